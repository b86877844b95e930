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
const server = serve({ fetch: app.fetch, port, hostname: process.env.HOST ?? '0.0.0.0' }, (info) => {
  const names = [...deps.bundles.values()].map((b) => `${b.id} (${b.features.length} features)`).join(', ');
  console.log(`zoning: listening on http://localhost:${info.port} — bundles: ${names}; loaded in ${(performance.now() - t0).toFixed(0)} ms`);
});
const stop = () => {
  server.close(() => {
    deps.close();
    process.exit(0);
  });
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
