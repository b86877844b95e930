/**
 * The archive of versions: every bundle (map) version ever loaded or published, with its manifest
 * and layer texts, and every policy document ever shipped or published, by content hash. Decisions
 * pin these hashes; replay reads them back, after a restart too. Written once against drizzle (the
 * same tables in schema.ts and schema-pg.ts), plus an in-memory twin for tests and the browser.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { sha256 } from '../../engine/index.js';
import type { PolicyDocument } from '../../engine/index.js';
import type { AnyDrizzle, Tables } from './decision-store.js';

export type BundleSource = 'directory' | 'compiled' | 'api';
export type PolicySource = 'shipped' | 'api';

export interface BundleVersionInfo {
  jurisdiction: string;
  hash: string;
  name: string;
  features: number;
  source: BundleSource;
  createdAt: string;
}

export interface StoredBundle extends BundleVersionInfo {
  manifest: unknown;
  layers: Record<string, string>;
}

export interface BundleActivation { jurisdiction: string; hash: string; activatedAt: string; source: BundleSource }

export interface PolicyVersionInfo {
  hash: string;
  id: string;
  version: string;
  level: string;
  effective: { from: string; to?: string };
  source: PolicySource;
  createdAt: string;
}

export interface StoredPolicy extends PolicyVersionInfo { doc: PolicyDocument }

export interface VersionStore {
  /** Records a bundle version (idempotent); true when it was not known before. */
  putBundle(b: StoredBundle): Promise<boolean>;
  hasBundle(jurisdiction: string, hash: string): Promise<boolean>;
  getBundle(jurisdiction: string, hash: string): Promise<StoredBundle | null>;
  /** The versions of one jurisdiction, oldest first. */
  listBundles(jurisdiction: string): Promise<BundleVersionInfo[]>;
  /** Appends to the activation log: from `activatedAt` on, `hash` serves `jurisdiction`. */
  activate(a: BundleActivation): Promise<void>;
  /** The activation log, oldest first (of one jurisdiction, or of all). */
  activations(jurisdiction?: string): Promise<BundleActivation[]>;
  /** Records a policy document by hash (idempotent); true when it was not known before. */
  putPolicy(p: StoredPolicy): Promise<boolean>;
  getPolicy(hash: string): Promise<StoredPolicy | null>;
  /** Policy documents (of one id, or all), oldest first. */
  listPolicies(id?: string): Promise<StoredPolicy[]>;
}

/** Layer texts are stored in parts of at most this many UTF-16 units (≤ 768 KB of UTF-8 each: D1 caps a value at 2 MB). */
export const BLOB_PART_CHARS = 256 * 1024;

function splitParts(text: string): string[] {
  if (text.length === 0) return [''];
  const parts: string[] = [];
  for (let i = 0; i < text.length; ) {
    let end = Math.min(text.length, i + BLOB_PART_CHARS);
    // Never split a surrogate pair.
    if (end < text.length && /[\uD800-\uDBFF]/.test(text[end - 1])) end--;
    parts.push(text.slice(i, end));
    i = end;
  }
  return parts;
}

let activationSeq = 0;
/** Sortable by real time (the app's clock may stand still in tests): orders activations at the same instant. */
function activationId(): string {
  return `${String(Date.now()).padStart(15, '0')}-${String(activationSeq++ % 1e9).padStart(9, '0')}-${crypto.randomUUID().slice(0, 8)}`;
}

/** The version archive on any drizzle database whose tables are `tables` (SQLite, D1 or PostgreSQL). */
export function versionStoreOn(db: AnyDrizzle, tables: Tables): VersionStore {
  const { bundleVersions: bv, bundleBlobs: bb, bundleActivations: ba, policyVersions: pv } = tables;
  const info = (r: { jurisdiction: string; hash: string; name: string; features: number; source: string; createdAt: string }): BundleVersionInfo => ({
    jurisdiction: r.jurisdiction, hash: r.hash, name: r.name, features: Number(r.features), source: r.source as BundleSource, createdAt: r.createdAt,
  });
  const policy = (r: { hash: string; document: string; source: string; createdAt: string }): StoredPolicy => {
    const doc = JSON.parse(r.document) as PolicyDocument;
    return { hash: r.hash, id: doc.id, version: doc.version, level: doc.level, effective: doc.effective, source: r.source as PolicySource, createdAt: r.createdAt, doc };
  };
  return {
    async putBundle(b) {
      const layerHashes: Record<string, string> = {};
      for (const [path, text] of Object.entries(b.layers)) {
        const h = await sha256(text);
        layerHashes[path] = h;
        const parts = splitParts(text);
        const have = await db.select({ part: bb.part }).from(bb).where(eq(bb.hash, h));
        if (have.length === parts.length) continue;
        // Parts first, the version row last: a version row never names missing texts.
        for (let i = 0; i < parts.length; i++) await db.insert(bb).values({ hash: h, part: i, text: parts[i] }).onConflictDoNothing();
      }
      const inserted = await db.insert(bv).values({
        jurisdiction: b.jurisdiction, hash: b.hash, name: b.name, manifest: JSON.stringify(b.manifest), layers: JSON.stringify(layerHashes),
        features: b.features, source: b.source, createdAt: b.createdAt,
      }).onConflictDoNothing().returning({ hash: bv.hash });
      return inserted.length > 0;
    },
    async hasBundle(jurisdiction, hash) {
      const rows = await db.select({ hash: bv.hash }).from(bv).where(and(eq(bv.jurisdiction, jurisdiction), eq(bv.hash, hash))).limit(1);
      return rows.length > 0;
    },
    async getBundle(jurisdiction, hash) {
      const rows = await db.select().from(bv).where(and(eq(bv.jurisdiction, jurisdiction), eq(bv.hash, hash))).limit(1);
      if (!rows.length) return null;
      const r = rows[0];
      const layerHashes = JSON.parse(r.layers) as Record<string, string>;
      const wanted = [...new Set(Object.values(layerHashes))];
      const blobs: { hash: string; part: number; text: string }[] = wanted.length
        ? await db.select().from(bb).where(inArray(bb.hash, wanted)).orderBy(asc(bb.hash), asc(bb.part))
        : [];
      const texts = new Map<string, string[]>();
      for (const x of blobs) {
        const list = texts.get(x.hash) ?? [];
        list[Number(x.part)] = x.text;
        texts.set(x.hash, list);
      }
      const layers: Record<string, string> = {};
      for (const [path, h] of Object.entries(layerHashes)) {
        const parts = texts.get(h);
        if (!parts) throw new Error(`bundle ${jurisdiction} ${hash}: layer ${path} (${h}) is missing from bundle_blobs`);
        layers[path] = parts.join('');
      }
      return { ...info(r), manifest: JSON.parse(r.manifest), layers };
    },
    async listBundles(jurisdiction) {
      const rows = await db.select({
        jurisdiction: bv.jurisdiction, hash: bv.hash, name: bv.name, features: bv.features, source: bv.source, createdAt: bv.createdAt,
      }).from(bv).where(eq(bv.jurisdiction, jurisdiction)).orderBy(asc(bv.createdAt), asc(bv.hash));
      return rows.map(info);
    },
    async activate(a) {
      await db.insert(ba).values({ id: activationId(), jurisdiction: a.jurisdiction, hash: a.hash, activatedAt: a.activatedAt, source: a.source });
    },
    async activations(jurisdiction) {
      const rows = await db.select().from(ba).where(jurisdiction === undefined ? undefined : eq(ba.jurisdiction, jurisdiction))
        .orderBy(asc(ba.activatedAt), asc(ba.id));
      return rows.map((r: { jurisdiction: string; hash: string; activatedAt: string; source: string }) => ({
        jurisdiction: r.jurisdiction, hash: r.hash, activatedAt: r.activatedAt, source: r.source as BundleSource,
      }));
    },
    async putPolicy(p) {
      const inserted = await db.insert(pv).values({
        hash: p.hash, id: p.doc.id, version: p.doc.version, level: p.doc.level, effectiveFrom: p.doc.effective.from,
        effectiveTo: p.doc.effective.to ?? null, document: JSON.stringify(p.doc), source: p.source, createdAt: p.createdAt,
      }).onConflictDoNothing().returning({ hash: pv.hash });
      return inserted.length > 0;
    },
    async getPolicy(hash) {
      const rows = await db.select().from(pv).where(eq(pv.hash, hash)).limit(1);
      return rows.length ? policy(rows[0]) : null;
    },
    async listPolicies(id) {
      const rows = await db.select().from(pv).where(id === undefined ? undefined : eq(pv.id, id)).orderBy(asc(pv.createdAt), asc(pv.hash));
      return rows.map(policy);
    },
  };
}

/** In-memory twin (tests, the browser, and apps built without a database). */
export function memoryVersionStore(): VersionStore {
  const bundles = new Map<string, string>();
  const activations: BundleActivation[] = [];
  const policies = new Map<string, string>();
  const key = (j: string, h: string) => `${j}\u0000${h}`;
  const byTime = <T extends { createdAt: string }>(a: T, b: T) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0);
  return {
    async putBundle(b) {
      if (bundles.has(key(b.jurisdiction, b.hash))) return false;
      bundles.set(key(b.jurisdiction, b.hash), JSON.stringify(b));
      return true;
    },
    async hasBundle(j, h) {
      return bundles.has(key(j, h));
    },
    async getBundle(j, h) {
      const s = bundles.get(key(j, h));
      return s ? (JSON.parse(s) as StoredBundle) : null;
    },
    async listBundles(j) {
      return [...bundles.values()].map((s) => JSON.parse(s) as StoredBundle).filter((b) => b.jurisdiction === j).sort(byTime)
        .map(({ manifest: _m, layers: _l, ...rest }) => rest);
    },
    async activate(a) {
      activations.push({ ...a });
    },
    async activations(j) {
      return activations.filter((a) => j === undefined || a.jurisdiction === j)
        .map((a, i) => ({ a, i })).sort((x, y) => (x.a.activatedAt < y.a.activatedAt ? -1 : x.a.activatedAt > y.a.activatedAt ? 1 : x.i - y.i)).map((x) => ({ ...x.a }));
    },
    async putPolicy(p) {
      if (policies.has(p.hash)) return false;
      policies.set(p.hash, JSON.stringify(p));
      return true;
    },
    async getPolicy(h) {
      const s = policies.get(h);
      return s ? (JSON.parse(s) as StoredPolicy) : null;
    },
    async listPolicies(id) {
      return [...policies.values()].map((s) => JSON.parse(s) as StoredPolicy).filter((p) => id === undefined || p.id === id).sort(byTime);
    },
  };
}
