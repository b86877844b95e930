/** Builds the app's dependencies from the environment (contract §7). Node only. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { configureBundleLimits } from '../../engine/index.js';
import type { AppDeps } from '../app.js';
import { readBundleDir } from './load-bundle-dir.js';
import { openSqliteStore, type NodeStore } from './sqlite-store.js';
import { isPostgresUrl, openPgStore } from './pg-store.js';
import { bootState, type SourceBundle } from '../storage/boot.js';
import { liveState } from '../storage/live.js';
import { openLayerSources } from './sources/select-source.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_BUNDLE_DIR = join(root, 'fixtures/demo');
export const ENGINE_VERSION: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

export async function buildNodeDeps(env: NodeJS.ProcessEnv = process.env): Promise<AppDeps & { close(): Promise<void> | void; store: NodeStore }> {
  configureBundleLimits({ maxFeatures: num(env.ZONING_MAX_BUNDLE_FEATURES), maxBytes: num(env.ZONING_MAX_BUNDLE_BYTES) });
  const dirs = (env.ZONING_BUNDLES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // ZONING_LAYER_SOURCE=flatgeobuf|postgis: bundles served by a remote layer source (api/node/sources);
  // the demo directory then loads only when named in ZONING_BUNDLES.
  const remote = await openLayerSources(env);
  const sources: SourceBundle[] = [];
  try {
    for (const dir of dirs.length || remote ? dirs : [DEMO_BUNDLE_DIR]) {
      const { manifest, layers, root: origin } = await readBundleDir(resolve(dir));
      sources.push({ manifest, layers, origin, source: 'directory' });
    }
  } catch (e) {
    await remote?.close();
    throw e;
  }
  // DATABASE_URL=postgres://… selects PostgreSQL; else the embedded SQLite file ZONING_DB.
  let store: NodeStore;
  try {
    store = isPostgresUrl(env.DATABASE_URL) ? await openPgStore(env.DATABASE_URL) : openSqliteStore(env.ZONING_DB ?? './data/zoning.db');
  } catch (e) {
    await remote?.close();
    throw e;
  }
  let boot;
  try {
    // Active policies and bundles: shipped + previously published; new versions are recorded in the archive.
    boot = await bootState(store.versions, { policyDocuments: POLICY_DOCUMENTS, bundles: sources, now: new Date() });
    for (const b of remote?.bundles ?? []) {
      if (sources.some((s) => (s.manifest as { id?: unknown }).id === b.id)) throw new Error(`bundle ${b.id} is both in ZONING_BUNDLES and in the ${remote!.source} layer source`);
      const replaced = boot.bundles.get(b.id);
      if (replaced && replaced.hash !== b.hash) boot.notes.push(`bundle ${b.id}: the ${remote!.source} source (${b.hash.slice(0, 19)}) replaces the published ${replaced.hash.slice(0, 19)}`);
      boot.bundles.set(b.id, b);
      boot.notes.push(`serving ${b.id} ${b.hash.slice(0, 19)} from the ${remote!.source} layer source`);
    }
    for (const b of boot.bundles.values()) {
      for (const id of b.localPolicies) {
        if (!boot.policies.versions(id).length) throw new Error(`bundle ${b.id} lists unknown local policy ${id}`);
      }
    }
  } catch (e) {
    await store.close();
    await remote?.close();
    throw e;
  }
  for (const n of boot.notes) console.log(`zoning: ${n}`);
  const { bundles, policies } = boot;
  return {
    bundles, policies, store, engineVersion: ENGINE_VERSION,
    live: liveState(bundles, policies),
    versions: store.versions,
    adminToken: env.ZONING_ADMIN_TOKEN ?? '',
    maxUploadBytes: num(env.ZONING_MAX_UPLOAD_BYTES),
    compress: true,
    limits: {
      maxBodyBytes: num(env.ZONING_MAX_BODY_BYTES),
      maxVertices: num(env.ZONING_MAX_VERTICES),
      maxInFlight: num(env.ZONING_MAX_INFLIGHT),
      maxQueueMs: num(env.ZONING_MAX_QUEUE_MS),
      evalTimeoutMs: num(env.ZONING_EVAL_TIMEOUT_MS),
      rateLimitPerMinute: num(env.ZONING_RATE_LIMIT_PER_MINUTE),
      suitabilityTimeoutMs: num(env.ZONING_SUITABILITY_TIMEOUT_MS),
      maxSuitability: num(env.ZONING_MAX_SUITABILITY),
      corsOrigins: env.ZONING_CORS_ORIGINS ? env.ZONING_CORS_ORIGINS.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    },
    close: async () => {
      await store.close();
      await remote?.close();
    },
  };
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`invalid number in environment: ${v}`);
  return n;
}
