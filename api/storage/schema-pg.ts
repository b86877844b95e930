/**
 * Storage schema (drizzle, PostgreSQL dialect): the same tables as api/storage/schema.ts (SQLite,
 * D1), column for column. Migrations: api/storage/migrations-pg (drizzle-kit generate --config
 * drizzle.pg.config.ts; applied by the PostgreSQL store at open).
 * decisions.id and decisions.created_at are COLLATE "C" in the migration (hand-added; drizzle-kit
 * does not model collations): the log's order is then byte order, as in SQLite, whatever the
 * database's locale.
 */
import { doublePrecision, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';

export const decisions = pgTable(
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
    siteAreaM2: doublePrecision('site_area_m2').notNull(),
    input: text('input').notNull(),
    decision: text('decision').notNull(),
  },
  (t) => [
    index('decisions_jurisdiction_created').on(t.jurisdiction, t.createdAt),
    index('decisions_verdict').on(t.verdict),
    index('decisions_created_id').on(t.createdAt, t.id),
  ],
);

export const bundleVersions = pgTable(
  'bundle_versions',
  {
    jurisdiction: text('jurisdiction').notNull(),
    hash: text('hash').notNull(),
    name: text('name').notNull(),
    manifest: text('manifest').notNull(),
    layers: text('layers').notNull(),
    features: integer('features').notNull(),
    source: text('source').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.jurisdiction, t.hash] })],
);

export const bundleBlobs = pgTable(
  'bundle_blobs',
  {
    hash: text('hash').notNull(),
    part: integer('part').notNull(),
    text: text('text').notNull(),
  },
  (t) => [primaryKey({ columns: [t.hash, t.part] })],
);

export const bundleActivations = pgTable(
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

export const policyVersions = pgTable(
  'policy_versions',
  {
    hash: text('hash').primaryKey(),
    id: text('id').notNull(),
    version: text('version').notNull(),
    level: text('level').notNull(),
    effectiveFrom: text('effective_from').notNull(),
    effectiveTo: text('effective_to'),
    document: text('document').notNull(),
    source: text('source').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('policy_versions_id').on(t.id, t.version)],
);
