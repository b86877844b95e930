/** `npm start`: serves the app on PORT (default 8787) with SQLite storage. */
import { serve } from '@hono/node-server';
import { createApp } from '../app.js';
import { buildNodeDeps } from './build-deps.js';

const port = Number(process.env.PORT ?? 8787);
const t0 = performance.now();
let deps: Awaited<ReturnType<typeof buildNodeDeps>>;
try {
  deps = await buildNodeDeps();
} catch (e) {
  console.error(`zoning: startup refused: ${(e as Error).message}`);
  process.exit(1);
}
const app = createApp(deps);
// Slow clients may not hold sockets: bounded header, request and keep-alive times (issue 8).
const ms = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const server = serve({
  fetch: app.fetch,
  port,
  hostname: process.env.HOST ?? '0.0.0.0',
  serverOptions: { maxHeaderSize: ms('ZONING_MAX_HEADER_BYTES', 16 * 1024), requestTimeout: ms('ZONING_REQUEST_TIMEOUT_MS', 30_000), headersTimeout: ms('ZONING_HEADERS_TIMEOUT_MS', 10_000), keepAliveTimeout: ms('ZONING_KEEPALIVE_TIMEOUT_MS', 5_000), connectionsCheckingInterval: ms('ZONING_CONNECTIONS_CHECK_MS', 1_000) },
}, (info) => {
  const names = [...deps.bundles.values()].map((b) => `${b.id} (${b.features.length} features)`).join(', ');
  console.log(`zoning: listening on http://localhost:${info.port} — bundles: ${names}; loaded in ${(performance.now() - t0).toFixed(0)} ms`);
});
// When the request's headers arrived: the load shedder measures queueing from here, not from when
// the app first sees the request (which, for large bodies under load, is much later).
server.on('request', (req: { zoningArrivedAt?: number }) => {
  req.zoningArrivedAt = Date.now();
});
Object.assign(server, { keepAliveTimeout: ms('ZONING_KEEPALIVE_TIMEOUT_MS', 5_000), headersTimeout: ms('ZONING_HEADERS_TIMEOUT_MS', 10_000) });
const stop = () => {
  server.close(() => {
    void Promise.resolve(deps.close()).catch(() => {}).finally(() => process.exit(0));
  });
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
