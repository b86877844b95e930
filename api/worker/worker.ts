/**
 * Cloudflare Worker entry: the same Hono app, decisions in D1, the bundles compiled into the
 * Worker (api/worker/bundles.generated.ts). Built once per isolate, on the first request: the
 * compiled-in bundles and the shipped policies are recorded in D1's version archive when new, and
 * versions published over the API (ZONING_ADMIN_TOKEN set as a secret) are restored from it.
 *
 * Large jurisdictions need not be compiled in: ZONING_FGB (a var) lists FlatGeobuf layer sources
 * (build:fgb), each a sidecar URL on any HTTP server that honours Range, or `r2:<key>` of the
 * sidecar in the R2 bucket bound as LAYERS; the Worker then reads, per evaluation, only the
 * features near the site (engine/sources/README.md).
 */
import { drizzle } from 'drizzle-orm/d1';
import type { ExecutionContext } from 'hono';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { createApp } from '../app.js';
import { problem } from '../problem.js';
import { drizzleDecisionStore } from '../storage/decision-store.js';
import { versionStoreOn } from '../storage/version-store.js';
import { bootState } from '../storage/boot.js';
import { liveState } from '../storage/live.js';
import * as tables from '../storage/schema.js';
import { WORKER_BUNDLES } from './bundles.generated.js';
import { openFgbR2, openFgbUrl, type R2BucketLike } from '../../engine/sources/index.js';
import type { Bundle } from '../../engine/index.js';
import pkg from '../../package.json';

interface Env {
  DB: Parameters<typeof drizzle>[0];
  ZONING_ADMIN_TOKEN?: string;
  /** Comma-separated FlatGeobuf sidecars: https://…/<id>.fgb.json or r2:<key>. */
  ZONING_FGB?: string;
  LAYERS?: R2BucketLike;
}

/** The bundles of the FlatGeobuf layer sources ZONING_FGB names. */
async function layerSources(env: Env): Promise<Bundle[]> {
  const out: Bundle[] = [];
  for (const item of (env.ZONING_FGB ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    if (item.startsWith('r2:')) {
      if (!env.LAYERS) throw new Error(`ZONING_FGB names ${item}, but no R2 bucket is bound as LAYERS`);
      out.push((await openFgbR2(env.LAYERS, item.slice(3))).bundle);
    } else out.push((await openFgbUrl(item)).bundle);
  }
  return out;
}

let app: Promise<ReturnType<typeof createApp>> | null = null;

async function build(env: Env) {
  const db = drizzle(env.DB);
  const versions = versionStoreOn(db, tables);
  const { bundles, policies } = await bootState(versions, {
    policyDocuments: POLICY_DOCUMENTS,
    bundles: WORKER_BUNDLES.map((b) => ({ manifest: JSON.parse(b.manifest), layers: b.layers, origin: b.name, source: 'compiled' as const })),
    now: new Date(),
  });
  for (const b of await layerSources(env)) bundles.set(b.id, b); // a source's map replaces a compiled one of the same id
  return createApp({
    bundles, policies, store: drizzleDecisionStore(db), engineVersion: pkg.version,
    live: liveState(bundles, policies), versions, adminToken: env.ZONING_ADMIN_TOKEN ?? '',
  });
}

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      app ??= build(env);
      return (await app).fetch(request, env, ctx);
    } catch (e) {
      app = null;
      return problem(503, '服务启动失败', (e as Error).message, [], 'about:blank', { 'retry-after': '5' });
    }
  },
};
