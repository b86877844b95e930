/** The storage suite on SQLite (better-sqlite3, the migrations of api/storage/migrations), and on the in-memory twin. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../../api/node/sqlite-store.js';
import { memoryDecisionStore } from '../../api/storage/decision-store.js';
import { memoryVersionStore } from '../../api/storage/version-store.js';
import { storageSuite } from './storage-suite.js';

storageSuite('SQLite (better-sqlite3)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zoning-sqlite-'));
  const store = openSqliteStore(join(dir, 'zoning.db'));
  return {
    store,
    versions: store.versions,
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

storageSuite('memory', async () => {
  const store = memoryDecisionStore();
  // The memory store overwrites a duplicate id silently; wrap it to refuse like the databases do.
  const save = store.save;
  const seen = new Set<string>();
  store.save = async (d, i) => {
    if (seen.has(d.decisionId)) throw new Error('duplicate');
    seen.add(d.decisionId);
    return save(d, i);
  };
  return { store, versions: memoryVersionStore(), close: () => {} };
});
