/** Builds the real app in-process (memory store, fixed clock and ids) for API tests. */
import { createApp } from '../../api/app.js';
import { buildPolicyRegistry, type Bundle } from '../../engine/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { memoryDecisionStore } from '../../api/storage/decision-store.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';

export async function testApp(bundleDirs: string[], opts: { limits?: { maxBodyBytes?: number; maxVertices?: number } } = {}) {
  const bundles = new Map<string, Bundle>();
  for (const d of bundleDirs) {
    const b = await loadBundleDir(d);
    bundles.set(b.id, b);
  }
  let n = 0;
  const app = createApp({
    bundles,
    policies: await buildPolicyRegistry(POLICY_DOCUMENTS),
    store: memoryDecisionStore(),
    engineVersion: 'test',
    clock: () => new Date('2026-11-25T08:00:00Z'),
    newId: () => `test-${String(++n).padStart(6, '0')}`,
    limits: opts.limits,
    compress: true, // as the Node server (build-deps.ts)
  });
  const post = async (body: unknown) => {
    const res = await app.request('/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { app, post, bundles };
}
