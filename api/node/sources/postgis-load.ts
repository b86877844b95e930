/**
 * Loads a bundle into PostGIS for the postgis layer source. The bundle is read and validated by the
 * engine's loader first (same validation, subdivision and hash as in memory); its index entries are
 * stored as rows with their geometry in WKB (exact float64 coordinates).
 *
 *   npx tsx api/node/sources/postgis-load.ts <bundle dir> <postgres url> [--keep-old]
 *
 * The new version becomes active in one transaction; other versions of the jurisdiction are then
 * deleted unless --keep-old (nodes still serving an old version fail loudly on their next query
 * and must be restarted; with --keep-old they go on serving it consistently).
 */
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Bundle } from '../../../engine/bundle/types.js';
import { bundleEntryRows, describeBundle, encodeWkb } from '../../../engine/sources/index.js';
import { loadBundleDir } from '../load-bundle-dir.js';
import { ENTRIES_TABLE, SCHEMA_SQL, VERSIONS_TABLE } from './postgis-schema.js';

type Queryable = Pick<pg.PoolClient, 'query'>;

export async function ensurePostgisSchema(db: Queryable): Promise<void> {
  await db.query(SCHEMA_SQL);
}

export interface LoadResult { jurisdiction: string; hash: string; entries: number; replaced: boolean; deletedVersions: number; ms: number }

export async function loadBundleIntoPostgis(bundle: Bundle, client: pg.Client | pg.PoolClient, opts: { keepOld?: boolean; batch?: number } = {}): Promise<LoadResult> {
  const t0 = performance.now();
  const meta = describeBundle(bundle);
  const rows = bundleEntryRows(bundle);
  const batch = opts.batch ?? 500;
  await ensurePostgisSchema(client);
  await client.query('BEGIN');
  try {
    // Serialise loads of one jurisdiction.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`zoning-layer:${bundle.id}`]);
    const existing = await client.query(`SELECT 1 FROM ${VERSIONS_TABLE} WHERE jurisdiction = $1 AND hash = $2`, [bundle.id, bundle.hash]);
    const replaced = existing.rowCount === 1;
    await client.query(`DELETE FROM ${ENTRIES_TABLE} WHERE jurisdiction = $1 AND hash = $2`, [bundle.id, bundle.hash]);
    for (let i = 0; i < rows.length; i += batch) {
      const part = rows.slice(i, i + batch);
      const params: unknown[] = [bundle.id, bundle.hash];
      const values = part.map((r) => {
        const n = params.length;
        params.push(r.ord, r.id, r.kind, r.zone, JSON.stringify(r.properties), r.featureBbox, Buffer.from(encodeWkb(r)));
        return `($1, $2, $${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}::json, $${n + 6}::float8[], ST_GeomFromWKB($${n + 7}, 4490))`;
      });
      await client.query(`INSERT INTO ${ENTRIES_TABLE} (jurisdiction, hash, ord, id, kind, zone, props, feature_bbox, geom) VALUES ${values.join(', ')}`, params);
    }
    await client.query(`UPDATE ${VERSIONS_TABLE} SET active = false WHERE jurisdiction = $1 AND active`, [bundle.id]);
    await client.query(
      `INSERT INTO ${VERSIONS_TABLE} (jurisdiction, hash, meta, entries, active) VALUES ($1, $2, $3::jsonb, $4, true)
       ON CONFLICT (jurisdiction, hash) DO UPDATE SET meta = EXCLUDED.meta, entries = EXCLUDED.entries, loaded_at = now(), active = true`,
      [bundle.id, bundle.hash, JSON.stringify(meta), rows.length],
    );
    let deletedVersions = 0;
    if (!opts.keepOld) {
      await client.query(`DELETE FROM ${ENTRIES_TABLE} WHERE jurisdiction = $1 AND hash <> $2`, [bundle.id, bundle.hash]);
      deletedVersions = (await client.query(`DELETE FROM ${VERSIONS_TABLE} WHERE jurisdiction = $1 AND hash <> $2`, [bundle.id, bundle.hash])).rowCount ?? 0;
    }
    await client.query('COMMIT');
    await client.query(`ANALYZE ${ENTRIES_TABLE}`);
    return { jurisdiction: bundle.id, hash: bundle.hash, entries: rows.length, replaced, deletedVersions, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  }
}

export async function loadBundleDirIntoPostgis(dir: string, url: string, opts: { keepOld?: boolean } = {}): Promise<LoadResult> {
  const bundle = await loadBundleDir(resolve(dir));
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await loadBundleIntoPostgis(bundle, client, opts);
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const keepOld = args.includes('--keep-old');
  const [dir, url] = args.filter((a) => !a.startsWith('--'));
  if (!dir || !url) {
    console.error('usage: npx tsx api/node/sources/postgis-load.ts <bundle dir> <postgres url> [--keep-old]');
    process.exit(2);
  }
  try {
    const r = await loadBundleDirIntoPostgis(dir, url, { keepOld });
    console.log(`loaded ${r.jurisdiction} ${r.hash}: ${r.entries} entries in ${r.ms} ms${r.replaced ? ' (replaced the same version)' : ''}${r.deletedVersions ? `; deleted ${r.deletedVersions} older version(s)` : ''}`);
  } catch (e) {
    console.error(`postgis-load: ${(e as Error).message}`);
    process.exit(1);
  }
}
