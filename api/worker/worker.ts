/**
 * Cloudflare Worker entry: the same Hono app, decisions in D1, the bundles compiled into the
 * Worker (api/worker/bundles.generated.ts). Built once per isolate, on the first request.
 */
import { drizzle } from 'drizzle-orm/d1';
import type { ExecutionContext } from 'hono';
import { buildPolicyRegistry, loadBundle, type Bundle } from '../../engine/index.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { createApp } from '../app.js';
import { problem } from '../problem.js';
import { drizzleDecisionStore } from '../storage/decision-store.js';
import { WORKER_BUNDLES } from './bundles.generated.js';
import pkg from '../../package.json';

interface Env {
  DB: Parameters<typeof drizzle>[0];
}

let app: Promise<ReturnType<typeof createApp>> | null = null;

async function build(env: Env) {
  const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
  const bundles = new Map<string, Bundle>();
  for (const b of WORKER_BUNDLES) {
    const bundle = await loadBundle(JSON.parse(b.manifest), b.layers, b.name);
    bundles.set(bundle.id, bundle);
  }
  return createApp({ bundles, policies, store: drizzleDecisionStore(drizzle(env.DB)), engineVersion: pkg.version });
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
