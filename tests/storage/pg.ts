/**
 * A throw-away PostgreSQL database per test file, on the server named by TEST_DATABASE_URL (.ci/run
 * starts one on loopback). Without TEST_DATABASE_URL the PostgreSQL tests are skipped with a loud
 * warning locally, and fail under CI=true.
 */
import pg from 'pg';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');

export function warnNoPostgres(what: string): void {
  const line = '!'.repeat(100);
  console.warn(`\n${line}\n!! TEST_DATABASE_URL is not set: ${what} SKIPPED (PostgreSQL not verified).\n!! Run .ci/run, or start a server and set TEST_DATABASE_URL=postgres://user@127.0.0.1:port/db\n${line}\n`);
}

/** Creates a fresh database; returns its URL and a function that drops it. */
export async function createTestDatabase(prefix = 'zoning_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE template0 ENCODING 'UTF8'`);
  } finally {
    await admin.end();
  }
  const u = new URL(TEST_DATABASE_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      try {
        await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [name]);
        await c.query(`DROP DATABASE IF EXISTS "${name}"`);
      } finally {
        await c.end();
      }
    },
  };
}
