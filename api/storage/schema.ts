/**
 * Storage schema (drizzle, SQLite dialect): one schema for better-sqlite3 (Node) and D1 (Worker).
 * api/storage/schema-pg.ts declares the same tables for PostgreSQL; keep the two side by side.
 * Migrations: api/storage/migrations (drizzle-kit generate; applied by the Node store at open and by
 * `wrangler d1 migrations apply` for D1).
 */
import { index, integer, primaryKey, sqliteTable, text, real } from 'drizzle-orm/sqlite-core';

export const decisions = sqliteTable(
  'decisions',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction').notNull(),
    verdict: text('verdict').notNull(),
    activity: text('activity').notNull(),
    createdAt: text('created_at').notNull(),
    asOf: text('as_of').notNull(),
    bundleHash: text('bundle_hash').notNull(),
    engineVersion: text('engine_version').notNull(),
    siteAreaM2: real('site_area_m2').notNull(),
    /** The full request as received (validated), for replay. */
    input: text('input').notNull(),
    /** The full response, returned verbatim by GET /v1/decisions/{id}. */
    decision: text('decision').notNull(),
  },
  (t) => [
    index('decisions_jurisdiction_created').on(t.jurisdiction, t.createdAt),
    index('decisions_verdict').on(t.verdict),
    index('decisions_created_id').on(t.createdAt, t.id),
  ],
);

/** Every bundle (map) version ever loaded or published, by jurisdiction and content hash. */
export const bundleVersions = sqliteTable(
  'bundle_versions',
  {
    jurisdiction: text('jurisdiction').notNull(),
    hash: text('hash').notNull(),
    name: text('name').notNull(),
    /** jurisdiction.json as loaded (JSON text). */
    manifest: text('manifest').notNull(),
    /** {layer path: blob hash} (JSON text); the texts are in bundle_blobs. */
    layers: text('layers').notNull(),
    features: integer('features').notNull(),
    /** 'directory' (ZONING_BUNDLES), 'compiled' (Worker) or 'api' (POST …/bundle). */
    source: text('source').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.hash] })],
);

/** Layer texts, content-addressed (sha256 of the text), split into parts (D1 limits a value to 2 MB). */
export const bundleBlobs = sqliteTable(
  'bundle_blobs',
  {
    hash: text('hash').notNull(),
    part: integer('part').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hash, t.part] })],
);

/** Append-only log of which bundle version served a jurisdiction from when: the latest is active. */
export const bundleActivations = sqliteTable(
  'bundle_activations',
  {
    id: text('id').primaryKey(),
    jurisdiction: text('jurisdiction').notNull(),
    hash: text('hash').notNull(),
    activatedAt: text('activated_at').notNull(),
    source: text('source').notNull(),
  },
  (t) => [index('bundle_activations_jurisdiction').on(t.jurisdiction, t.activatedAt)],
);

/** Every policy document ever shipped or published, by content hash (what decisions pin). */
export const policyVersions = sqliteTable(
  'policy_versions',
  {
    hash: text('hash').primaryKey(),
    id: text('id').notNull(),
    version: text('version').notNull(),
    level: text('level').notNull(),
    effectiveFrom: text('effective_from').notNull(),
    effectiveTo: text('effective_to'),
    /** The policy document (JSON text). */
    document: text('document').notNull(),
    /** 'shipped' (policies/ in the code) or 'api' (POST /v1/policies). */
    source: text('source').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('policy_versions_id').on(t.id, t.version)],
);
