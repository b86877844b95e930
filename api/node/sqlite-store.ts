/** The default decision store under Node: an embedded SQLite file (ZONING_DB), migrated at open. */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzleDecisionStore, type DecisionStore } from '../storage/decision-store.js';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../storage/migrations');

export function openSqliteStore(file: string): DecisionStore & { close(): void } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  // FULL: a decision acknowledged with 200 survives a crash or power loss.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  const db = drizzle(sqlite);
  migrate(db, { migrationsFolder });
  return { ...drizzleDecisionStore(db), close: () => sqlite.close() };
}
