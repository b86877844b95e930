/**
 * Decision log schema (drizzle, SQLite dialect): one schema for better-sqlite3 (Node) and D1 (Worker).
 * Migrations: api/storage/migrations (drizzle-kit generate; applied by the Node store at open and by
 * `wrangler d1 migrations apply` for D1).
 */
import { index, sqliteTable, text, real } from 'drizzle-orm/sqlite-core';

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
  ],
);
