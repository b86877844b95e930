/**
 * Startup (Node and Worker): builds the active policies and bundles from what ships with the code
 * and what was published before, and records in the archive every version not yet there, so a
 * replay after a restart still finds the map and the policies that decided.
 *
 * Policies: the shipped documents, plus those published over the API. For one id@version the shipped
 * document wins, else the one published first: documents are never rewritten, in-force windows are
 * derived from the sequence of versions (engine/policy/policy-registry.ts). Archives written before
 * that may also hold "closed" copies of a version (its text with an `effective.to` added when a
 * successor was published); they stay in the archive, where decisions that pinned their hashes
 * replay on them, but are not served.
 * Bundles: each configured bundle (ZONING_BUNDLES, or compiled into the Worker) is recorded when its
 * content is new, and then activated; a jurisdiction is served by its latest activated version (a
 * bundle published over the API stays active across restarts until the directory's content changes).
 */
import { buildPolicyRegistry, loadBundle, type Bundle, type PolicyDocument, type PolicyRegistry } from '../../engine/index.js';
import type { BundleSource, StoredPolicy, VersionStore } from './version-store.js';

export interface SourceBundle { manifest: unknown; layers: Record<string, string>; origin: string; source: BundleSource }

export interface BootResult {
  bundles: Map<string, Bundle>;
  policies: PolicyRegistry;
  /** What startup recorded or restored, for the log. */
  notes: string[];
}

export async function bootState(
  store: VersionStore,
  opts: { policyDocuments: Record<string, unknown>; bundles: SourceBundle[]; now: Date; warn?: (msg: string) => void },
): Promise<BootResult> {
  const warn = opts.warn ?? ((m: string) => console.warn(`zoning: ${m}`));
  const notes: string[] = [];
  const createdAt = opts.now.toISOString();

  // Policies.
  const shipped = await buildPolicyRegistry(opts.policyDocuments);
  let stored: StoredPolicy[] = [];
  try {
    stored = await store.listPolicies();
    const known = new Set(stored.map((p) => p.hash));
    const recorded: string[] = [];
    for (const cp of shipped.all) {
      if (known.has(cp.hash)) continue;
      await store.putPolicy({ hash: cp.hash, id: cp.doc.id, version: cp.doc.version, level: cp.doc.level, effective: cp.doc.effective, source: 'shipped', createdAt, doc: cp.doc });
      recorded.push(`${cp.doc.id}@${cp.doc.version}`);
    }
    if (recorded.length) notes.push(`recorded ${recorded.length} policy version(s) in the archive${recorded.length <= 3 ? `: ${recorded.join(', ')}` : ''}`);
  } catch (e) {
    warn(`policy archive unavailable (${(e as Error).message}); replays after a restart may miss versions`);
  }
  const chosen = new Map<string, { doc: PolicyDocument; shipped: boolean }>();
  for (const cp of shipped.all) chosen.set(`${cp.doc.id}@${cp.doc.version}`, { doc: cp.doc, shipped: true });
  // listPolicies is oldest first: the first document of an id@version is the one as published.
  const published = stored.filter((x) => x.source === 'api');
  for (const p of published) {
    const k = `${p.doc.id}@${p.doc.version}`;
    if (!chosen.has(k)) chosen.set(k, { doc: p.doc, shipped: false });
  }
  let policies = shipped;
  const restored = [...chosen.values()].filter((v) => !v.shipped).length;
  if (restored) {
    try {
      policies = await buildPolicyRegistry(Object.fromEntries([...chosen].map(([k, v]) => [k, v.doc])));
    } catch (e) {
      // An archive whose published versions only load in their "closed" form (written by an older
      // release): serve those, as that release did, rather than refuse to start.
      const legacy = new Map(chosen);
      const closedOver = (a: PolicyDocument, b: PolicyDocument) => !!a.effective.to && (!b.effective.to || a.effective.to < b.effective.to);
      for (const p of published) {
        const k = `${p.doc.id}@${p.doc.version}`;
        const prev = legacy.get(k);
        if (!prev || closedOver(p.doc, prev.doc)) legacy.set(k, { doc: p.doc, shipped: false });
      }
      warn(`published policy versions do not load as published (${(e as Error).message.split('\n')[0]}); serving their closed copies`);
      policies = await buildPolicyRegistry(Object.fromEntries([...legacy].map(([k, v]) => [k, v.doc])));
    }
    notes.push(`restored ${restored} published policy version(s)`);
  }

  // Bundles.
  const bundles = new Map<string, Bundle>();
  const sources = new Map<string, SourceBundle>();
  for (const s of opts.bundles) {
    const b = await loadBundle(s.manifest, s.layers, s.origin);
    if (bundles.has(b.id)) throw new Error(`two bundles have the id ${b.id} (${s.origin})`);
    bundles.set(b.id, b);
    sources.set(b.id, s);
    try {
      if (!(await store.hasBundle(b.id, b.hash))) {
        await store.putBundle({ jurisdiction: b.id, hash: b.hash, name: b.name, manifest: s.manifest, layers: s.layers, features: b.features.length, source: s.source, createdAt });
        await store.activate({ jurisdiction: b.id, hash: b.hash, activatedAt: createdAt, source: s.source });
        notes.push(`recorded bundle ${b.id} ${b.hash.slice(0, 19)}`);
      }
    } catch (e) {
      warn(`bundle archive unavailable (${(e as Error).message}); replays after a restart may miss map versions`);
    }
  }
  let activations: { jurisdiction: string; hash: string }[] = [];
  try {
    activations = await store.activations();
  } catch (e) {
    warn(`bundle activations unavailable (${(e as Error).message}); serving the configured bundles`);
  }
  const latest = new Map<string, string>();
  for (const a of activations) latest.set(a.jurisdiction, a.hash);
  for (const [j, hash] of latest) {
    if (bundles.get(j)?.hash === hash) continue;
    try {
      const s = await store.getBundle(j, hash);
      if (!s) throw new Error('not in the archive');
      const b = await loadBundle(s.manifest, s.layers, `${j}@${hash}`);
      bundles.set(j, b);
      notes.push(`serving published bundle ${j} ${hash.slice(0, 19)}`);
    } catch (e) {
      warn(`active bundle ${j} ${hash} cannot be restored (${(e as Error).message}); ${bundles.has(j) ? 'serving the configured one' : 'not served'}`);
    }
  }
  return { bundles, policies, notes };
}
