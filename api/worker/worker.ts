/**
 * Cloudflare Worker entry: the same Hono app, decisions in D1, the bundles compiled into the
 * Worker (api/worker/bundles.generated.ts). Built once per isolate, on the first request: the
 * compiled-in bundles and the shipped policies are recorded in D1's version archive when new, and
 * versions published over the API (ZONING_ADMIN_TOKEN set as a secret) are restored from it.
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
import pkg from '../../package.json';

interface Env {
  DB: Parameters<typeof drizzle>[0];
  ZONING_ADMIN_TOKEN?: string;
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
