/**
 * Storage of decisions behind a small interface; one drizzle implementation serves SQLite
 * (better-sqlite3) and D1. A decision is stored before its 200 is sent.
 */
import { eq } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Decision, EvaluateInput } from '../../engine/index.js';
import { decisions } from './schema.js';

export interface DecisionStore {
  save(decision: Decision, input: EvaluateInput): Promise<void>;
  get(id: string): Promise<Decision | null>;
  ping(): Promise<boolean>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySQLite = BaseSQLiteDatabase<'sync' | 'async', any, any>;

export function drizzleDecisionStore(db: AnySQLite): DecisionStore {
  return {
    async save(d, input) {
      await db.insert(decisions).values({
        id: d.decisionId,
        jurisdiction: d.jurisdiction,
        verdict: d.verdict,
        activity: d.project.activity,
        createdAt: d.createdAt,
        asOf: d.asOf,
        bundleHash: d.bundleHash,
        engineVersion: d.engineVersion,
        siteAreaM2: d.site.areaM2,
        input: JSON.stringify(input),
        decision: JSON.stringify(d),
      });
    },
    async get(id) {
      const rows = await db.select({ decision: decisions.decision }).from(decisions).where(eq(decisions.id, id)).limit(1);
      return rows.length ? (JSON.parse(rows[0].decision) as Decision) : null;
    },
    async ping() {
      await db.select({ id: decisions.id }).from(decisions).limit(1);
      return true;
    },
  };
}

/** In-memory store for tests and the browser. */
export function memoryDecisionStore(): DecisionStore {
  const map = new Map<string, string>();
  return {
    async save(d) {
      map.set(d.decisionId, JSON.stringify(d));
    },
    async get(id) {
      const s = map.get(id);
      return s ? (JSON.parse(s) as Decision) : null;
    },
    async ping() {
      return true;
    },
  };
}
