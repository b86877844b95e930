/**
 * The one Hono app, built from its dependencies (style.md §6). Node and Worker entries only build
 * the dependencies: bundles, policies, a decision store and a clock.
 */
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { Bundle, PolicyRegistry } from '../engine/index.js';
import { problem } from './problem.js';
import type { DecisionStore } from './storage/decision-store.js';
import { evaluateRoutes } from './routes/evaluate.js';
import { catalogRoutes } from './routes/catalog.js';
import { openapiDocument } from './routes/openapi.js';
import { clientKey, corsGuard, loadShedding, rateLimit } from './guards.js';
import { reportRoutes } from './routes/report.js';
import { siteExportRoutes } from './routes/site-export.js';
import { webRoutes } from './routes/web.js';
import { liveBundles, liveRegistry, liveState, type LiveState } from './storage/live.js';
import { memoryVersionStore, type VersionStore } from './storage/version-store.js';
import { createHistory } from './storage/history.js';
import { versionRoutes } from './routes/versions.js';
import { decisionLogRoutes } from './routes/decisions-log.js';
import { replayRoutes } from './routes/replay.js';
import { impactRoutes } from './routes/impact.js';
import { adminRoutes } from './routes/admin.js';

export interface AppDeps {
  bundles: ReadonlyMap<string, Bundle>;
  policies: PolicyRegistry;
  store: DecisionStore;
  engineVersion: string;
  clock?: () => Date;
  newId?: () => string;
  limits?: Partial<Limits>;
  /**
   * Mutable holders of the active bundles and policies: publishing over the API swaps them. When
   * absent they are made from `bundles` and `policies` (which are then only the initial state).
   */
  live?: LiveState;
  /** The archive of every bundle and policy version (replay after a restart); in memory when absent. */
  versions?: VersionStore;
  /** Bearer token guarding writes (ZONING_ADMIN_TOKEN); none or empty: writes refused with 403. */
  adminToken?: string;
  /** Body limit of bundle uploads and impact corpora (ZONING_MAX_UPLOAD_BYTES, default 64 MiB). */
  maxUploadBytes?: number;
  /**
   * Compress responses for clients that accept it (the Node server). Not under Workers, whose edge
   * compresses by itself.
   */
  compress?: boolean;
}

export interface Limits {
  maxBodyBytes: number;
  maxVertices: number;
  /** Requests served at once before shedding with 503 + Retry-After. */
  maxInFlight: number;
  /** Queueing delay past which requests are shed with 503 + Retry-After, ms. */
  maxQueueMs: number;
  /** Wall-clock budget of one evaluation, ms (422 past it). */
  evalTimeoutMs: number;
  /** Per-client requests per minute on /v1 (0 = off). */
  rateLimitPerMinute: number;
  /** Allowed CORS origins ('*' = any). */
  corsOrigins: string[];
  /** Budget of one suitability search, ms (422 past it); 0: six evaluation budgets. */
  suitabilityTimeoutMs: number;
  /** Suitability searches computed at once (503 + Retry-After beyond). */
  maxSuitability: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxVertices: 100_000,
  maxInFlight: 256,
  maxQueueMs: 1000,
  evalTimeoutMs: 10_000,
  rateLimitPerMinute: 0,
  corsOrigins: ['*'],
  suitabilityTimeoutMs: 0,
  maxSuitability: 1,
};

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const live = deps.live ?? liveState(deps.bundles, deps.policies);
  const versions = deps.versions ?? memoryVersionStore();
  const d = {
    ...deps,
    // The routes read the active state through these views (always the current holder value).
    bundles: liveBundles(live.bundles),
    policies: liveRegistry(live.policies),
    live,
    versions,
    adminToken: deps.adminToken ?? '',
    maxUploadBytes: deps.maxUploadBytes ?? 64 * 1024 * 1024,
    compress: deps.compress ?? false,
    clock: deps.clock ?? (() => new Date()),
    newId: deps.newId ?? (() => crypto.randomUUID()),
    limits: Object.fromEntries(
      Object.entries(DEFAULT_LIMITS).map(([k, v]) => [k, deps.limits?.[k as keyof Limits] ?? v]),
    ) as unknown as Limits,
  };
  app.use('*', corsGuard(d.limits.corsOrigins));
  // Large JSON (layers, ledgers, suitability) compressed for clients that ask (Accept-Encoding).
  if (d.compress) app.use('*', compress());
  app.use('/v1/*', loadShedding(d.limits.maxInFlight, d.limits.maxQueueMs));
  if (d.limits.rateLimitPerMinute > 0) app.use('/v1/*', rateLimit(d.limits.rateLimitPerMinute, clientKey));
  app.get('/healthz', async (c) => {
    const dbOk = await d.store.ping().catch(() => false);
    return c.json({ status: dbOk ? 'ok' : 'degraded', engineVersion: d.engineVersion, jurisdictions: [...d.bundles.keys()], database: dbOk }, dbOk ? 200 : 503);
  });
  app.get('/openapi.json', (c) => c.json(openapiDocument(d.engineVersion)));
  const vd = { ...d, history: createHistory(versions, live) };
  app.route('/v1', decisionLogRoutes(vd));
  app.route('/v1', replayRoutes(vd));
  app.route('/v1', versionRoutes(vd));
  app.route('/v1', impactRoutes(vd));
  app.route('/v1', adminRoutes(vd));
  app.route('/v1', evaluateRoutes(d));
  app.route('/v1', catalogRoutes(d));
  app.route('/v1', reportRoutes(vd));
  app.route('/v1', siteExportRoutes(d));
  app.route('/', webRoutes(d));
  app.notFound((c) => problem(404, '未找到', `没有这个地址：${c.req.method} ${new URL(c.req.url).pathname}`));
  app.onError((err) => {
    // Never reached by any input on purpose; if it is, answer as a problem, not a stack trace.
    console.error(err);
    return problem(500, '内部错误', '服务器内部错误，已记录');
  });
  return app;
}

export type ResolvedDeps = Required<Omit<AppDeps, 'limits'>> & { limits: Limits };
