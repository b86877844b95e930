/** The storage suite on a real PostgreSQL server (node-postgres, the migrations of api/storage/migrations-pg). */
import { describe, it } from 'vitest';
import { openPgStore } from '../../api/node/pg-store.js';
import { storageSuite } from './storage-suite.js';
import { createTestDatabase, IN_CI, TEST_DATABASE_URL, warnNoPostgres } from './pg.js';

if (TEST_DATABASE_URL) {
  storageSuite('PostgreSQL (node-postgres)', async () => {
    const db = await createTestDatabase();
    const store = await openPgStore(db.url, { max: 3 });
    return {
      store,
      versions: store.versions,
      close: async () => {
        await store.close();
        await db.drop();
      },
    };
  });
} else if (IN_CI) {
  describe('storage suite on PostgreSQL', () => {
    it('has a server: TEST_DATABASE_URL must be set under CI (.ci/run starts PostgreSQL)', () => {
      throw new Error('TEST_DATABASE_URL is not set under CI=true');
    });
  });
} else {
  warnNoPostgres('the storage suite on PostgreSQL is');
  describe.skip('storage suite on PostgreSQL (TEST_DATABASE_URL unset)', () => {
    it('skipped', () => {});
  });
}
