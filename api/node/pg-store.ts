/**
 * The PostgreSQL store (DATABASE_URL=postgres://…): the same tables as SQLite, declared in
 * api/storage/schema-pg.ts, migrated at open from api/storage/migrations-pg.
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decisionStoreOn, type Tables } from '../storage/decision-store.js';
import { versionStoreOn } from '../storage/version-store.js';
import * as pgTables from '../storage/schema-pg.js';
import type { NodeStore } from './sqlite-store.js';

const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), '../storage/migrations-pg');

export function isPostgresUrl(url: string | undefined): url is string {
  return !!url && /^postgres(ql)?:\/\//i.test(url);
}

export async function openPgStore(url: string, opts: { max?: number } = {}): Promise<NodeStore> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  // An idle client's error (server restart) must not crash the process; the next query reconnects.
  pool.on('error', (e) => console.error(`zoning: postgresql: ${e.message}`));
  try {
    const db = drizzle(pool);
    await migrate(db, { migrationsFolder });
    const tables = pgTables as unknown as Tables;
    return { ...decisionStoreOn(db, tables), versions: versionStoreOn(db, tables), dialect: 'postgresql', close: () => pool.end() };
  } catch (e) {
    await pool.end().catch(() => {});
    throw e;
  }
}
