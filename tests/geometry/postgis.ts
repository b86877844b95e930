/**
 * A PostGIS oracle for geometry tests: PGlite with the postgis extension (WASM, ~10 s to start).
 * Start it once per test file in beforeAll (timeout 60 s).
 */
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll } from 'vitest';
import { postgis } from '@electric-sql/pglite-postgis';

export interface PostgisOracle {
  /** Run a query returning one numeric column `v` for one row. */
  number(sql: string, params: unknown[]): Promise<number>;
  close(): Promise<void>;
}

export async function startPostgis(): Promise<PostgisOracle> {
  const db = await PGlite.create({ extensions: { postgis } });
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis');
  return {
    async number(sql, params) {
      const r = await db.query<{ v: number | string | null }>(sql, params);
      const v = r.rows[0]?.v;
      return v === null || v === undefined ? NaN : Number(v);
    },
    close: () => db.close(),
  };
}

/** GeoJSON text of a multipolygon for ST_GeomFromGeoJSON. */
export function multiPolygonJson(coords: unknown): string {
  return JSON.stringify({ type: 'MultiPolygon', coordinates: coords });
}

/** Starts the oracle before the enclosing describe's tests and closes it after; call the result to reach it. */
export function usePostgis(): () => PostgisOracle {
  let pg: PostgisOracle | undefined;
  beforeAll(async () => {
    pg = await startPostgis();
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
  });
  return () => pg!;
}
