/** The default store under Node: an embedded SQLite file (ZONING_DB), migrated at open. */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decisionRow, drizzleDecisionStore, type FullDecisionStore } from '../storage/decision-store.js';
import type { Decision, EvaluateInput } from '../../engine/index.js';
import { versionStoreOn, type VersionStore } from '../storage/version-store.js';
import * as tables from '../storage/schema.js';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../storage/migrations');

/** A decision store with its version archive, on one database. */
export type NodeStore = FullDecisionStore & { versions: VersionStore; dialect: 'sqlite' | 'postgresql'; close(): Promise<void> | void };

export function openSqliteStore(file: string): NodeStore {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a decision acknowledged with 200 survives a crash or power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder });
  const store = drizzleDecisionStore(db);
  const commits = groupCommit((rows) => void db.insert(tables.decisions).values(rows).run());
  return {
    ...store, save: commits.save, versions: versionStoreOn(db, tables), dialect: 'sqlite',
    close: () => {
      commits.flush();
      sqlite.close();
    },
  };
}

type Row = ReturnType<typeof decisionRow>;
/** Rows per INSERT (SQLite allows 32,766 bound values; a row binds 11). */
const MAX_GROUP = 500;

/**
 * Group commit. With synchronous = FULL every commit waits for an fsync (≈ 1 ms or more), and
 * better-sqlite3 waits on the event loop's thread: one transaction per decision capped the server
 * at about one decision per fsync. Decisions saved while the event loop is busy are written
 * together instead, as one multi-row INSERT (one transaction, one fsync) on the next turn of the
 * loop; each save resolves only after that commit, so every acknowledged decision is durable.
 * A failed group is retried row by row, so one bad row fails only its own request.
 */
export function groupCommit(insert: (rows: Row[]) => void): { save(d: Decision, input: EvaluateInput, text?: string): Promise<void>; flush(): void } {
  let pending: { row: Row; resolve: () => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    while (pending.length) {
      const group = pending.slice(0, MAX_GROUP);
      pending = pending.slice(group.length);
      try {
        insert(group.map((p) => p.row));
        for (const p of group) p.resolve();
      } catch {
        for (const p of group) {
          try {
            insert([p.row]);
            p.resolve();
          } catch (e) {
            p.reject(e);
          }
        }
      }
    }
  };
  return {
    save(d, input, text) {
      return new Promise<void>((resolve, reject) => {
        pending.push({ row: decisionRow(d, input, text), resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    flush,
  };
}
