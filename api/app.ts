/**
 * The one Hono app, built from its dependencies (style.md §6). Node and Worker entries only build
 * the dependencies: bundles, policies, a decision store and a clock.
 */
import { Hono } from 'hono';
import type { Bundle, PolicyRegistry } from '../engine/index.js';
import { problem } from './problem.js';
import type { DecisionStore } from './storage/decision-store.js';
import { evaluateRoutes } from './routes/evaluate.js';
import { catalogRoutes } from './routes/catalog.js';
import { openapiDocument } from './routes/openapi.js';

export interface AppDeps {
  bundles: ReadonlyMap<string, Bundle>;
  policies: PolicyRegistry;
  store: DecisionStore;
  engineVersion: string;
  clock?: () => Date;
  newId?: () => string;
  limits?: { maxBodyBytes?: number; maxVertices?: number };
}

export const DEFAULT_LIMITS = { maxBodyBytes: 2 * 1024 * 1024, maxVertices: 100_000 };

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const d = {
    ...deps,
    clock: deps.clock ?? (() => new Date()),
    newId: deps.newId ?? (() => crypto.randomUUID()),
    limits: {
      maxBodyBytes: deps.limits?.maxBodyBytes ?? DEFAULT_LIMITS.maxBodyBytes,
      maxVertices: deps.limits?.maxVertices ?? DEFAULT_LIMITS.maxVertices,
    },
  };
  app.get('/healthz', async (c) => {
    const dbOk = await d.store.ping().catch(() => false);
    return c.json({ status: dbOk ? 'ok' : 'degraded', engineVersion: d.engineVersion, jurisdictions: [...d.bundles.keys()], database: dbOk }, dbOk ? 200 : 503);
  });
  app.get('/openapi.json', (c) => c.json(openapiDocument(d.engineVersion)));
  app.route('/v1', evaluateRoutes(d));
  app.route('/v1', catalogRoutes(d));
  app.notFound((c) => problem(404, '未找到', `没有这个地址：${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError((err) => {
    // Never reached by any input on purpose; if it is, answer as a problem, not a stack trace.
    console.error(err);
    return problem(500, '内部错误', '服务器内部错误，已记录');
  });
  return app;
}

export type ResolvedDeps = Required<Omit<AppDeps, 'limits'>> & { limits: typeof DEFAULT_LIMITS };
