/** Builds the app's dependencies from the environment (contract §7). Node only. */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPolicyRegistry, type Bundle } from '../../engine/index.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import type { AppDeps } from '../app.js';
import { loadBundleDir } from './load-bundle-dir.js';
import { openSqliteStore } from './sqlite-store.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEMO_BUNDLE_DIR = join(root, 'fixtures/demo');
export const ENGINE_VERSION: string = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;

export async function buildNodeDeps(env: NodeJS.ProcessEnv = process.env): Promise<AppDeps & { close(): void }> {
  const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
  const dirs = (env.ZONING_BUNDLES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const bundles = new Map<string, Bundle>();
  for (const dir of dirs.length ? dirs : [DEMO_BUNDLE_DIR]) {
    const b = await loadBundleDir(resolve(dir));
    if (bundles.has(b.id)) throw new Error(`two bundles have the id ${b.id} (${dir})`);
    for (const id of b.localPolicies) {
      if (!policies.versions(id).length) throw new Error(`bundle ${b.id} (${dir}) lists unknown local policy ${id}`);
    }
    bundles.set(b.id, b);
  }
  const store = openSqliteStore(env.ZONING_DB ?? './data/zoning.db');
  return {
    bundles, policies, store, engineVersion: ENGINE_VERSION,
    limits: {
      maxBodyBytes: env.ZONING_MAX_BODY_BYTES ? Number(env.ZONING_MAX_BODY_BYTES) : undefined,
      maxVertices: env.ZONING_MAX_VERTICES ? Number(env.ZONING_MAX_VERTICES) : undefined,
    },
    close: () => store.close(),
  };
}
