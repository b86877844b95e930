/** The default store under Node: an embedded SQLite file (ZONING_DB), migrated at open. */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzleDecisionStore, type FullDecisionStore } from '../storage/decision-store.js';
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
  return { ...drizzleDecisionStore(db), versions: versionStoreOn(db, tables), dialect: 'sqlite', close: () => void sqlite.close() };
}
