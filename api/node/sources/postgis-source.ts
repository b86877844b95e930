/**
 * The PostGIS layer source (Node only): province and national layers in one database shared by many
 * stateless API nodes. A query is one indexed statement (GiST `&&` on the box); geometries come
 * back as WKB, so the engine's exact overlay runs on the very coordinates of the bundle and gives
 * the same areas as in memory. The superset the float4 index boxes allow is trimmed exactly by
 * assembleEntries.
 *
 * ZONING_POSTGIS_URL=postgres://… serves every active version in the store (or the jurisdictions
 * in ZONING_POSTGIS_JURISDICTIONS); load them with api/node/sources/postgis-load.ts.
 */
import pg from 'pg';
import type { BBox } from '../../../engine/geometry/index.js';
import type { Bundle, IndexEntry } from '../../../engine/bundle/types.js';
import type { LayerKind } from '../../../engine/vocabulary.js';
import { assembleEntries, decodeWkb, readSourceMeta, sourceBundle, type EntryRow, type LayerSource, type SourceStats } from '../../../engine/sources/index.js';
import { ENTRIES_TABLE, VERSIONS_TABLE } from './postgis-schema.js';

const QUERY = `SELECT ord, id, kind, zone, props, feature_bbox, ST_AsBinary(geom) AS wkb
  FROM ${ENTRIES_TABLE}
  WHERE jurisdiction = $1 AND hash = $2 AND geom && ST_MakeEnvelope($3, $4, $5, $6, 4490)`;

export class PostgisLayerSource implements LayerSource {
  readonly name = 'postgis' as const;
  private queries = 0;
  private entries = 0;
  private bytes = 0;
  /** Total time spent in the database round trips, ms. */
  queryMs = 0;

  constructor(private readonly pool: pg.Pool, readonly jurisdiction: string, readonly hash: string) {}

  stats(): SourceStats {
    return { queries: this.queries, entries: this.entries, bytes: this.bytes, requests: this.queries };
  }

  async query(bbox: BBox): Promise<IndexEntry[]> {
    const t0 = performance.now();
    const res = await this.pool.query({ text: QUERY, values: [this.jurisdiction, this.hash, bbox[0], bbox[1], bbox[2], bbox[3]] });
    this.queryMs += performance.now() - t0;
    this.queries++;
    if (res.rows.length === 0) await this.checkVersion();
    const rows: EntryRow[] = res.rows.map((r) => {
      const wkb = r.wkb as Buffer;
      this.bytes += wkb.byteLength;
      const g = decodeWkb(wkb);
      return {
        ord: r.ord, id: r.id, kind: r.kind as LayerKind, zone: r.zone, properties: r.props,
        featureBbox: (r.feature_bbox as number[]).map(Number) as BBox, polygons: g.polygons, lines: g.lines,
      };
    });
    const out = assembleEntries(rows, bbox);
    this.entries += out.length;
    return out;
  }

  /** An empty answer is only trusted while the version this node serves is still stored. */
  private async checkVersion(): Promise<void> {
    const v = await this.pool.query(`SELECT 1 FROM ${VERSIONS_TABLE} WHERE jurisdiction = $1 AND hash = $2`, [this.jurisdiction, this.hash]);
    if (v.rowCount === 0) {
      throw new Error(`PostGIS layer data of ${this.jurisdiction} ${this.hash} is no longer stored (reloaded); restart this node to serve the active version`);
    }
  }
}

export interface OpenedPostgis { bundles: Bundle[]; sources: PostgisLayerSource[]; pool: pg.Pool; close(): Promise<void> }

export async function openPostgisBundles(url: string, opts: { jurisdictions?: string[]; max?: number } = {}): Promise<OpenedPostgis> {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10 });
  try {
    const { rows } = await pool.query(
      `SELECT jurisdiction, hash, meta FROM ${VERSIONS_TABLE} WHERE active ${opts.jurisdictions?.length ? 'AND jurisdiction = ANY($1)' : ''} ORDER BY jurisdiction`,
      opts.jurisdictions?.length ? [opts.jurisdictions] : [],
    );
    const missing = (opts.jurisdictions ?? []).filter((j) => !rows.some((r) => r.jurisdiction === j));
    if (missing.length) throw new Error(`PostGIS layer store has no active version of ${missing.join(', ')}`);
    if (!rows.length) throw new Error('PostGIS layer store holds no jurisdiction (load one with api/node/sources/postgis-load.ts)');
    const sources: PostgisLayerSource[] = [];
    const bundles: Bundle[] = [];
    for (const r of rows) {
      const meta = readSourceMeta(r.meta, `postgis ${r.jurisdiction}`);
      if (meta.hash !== r.hash || meta.id !== r.jurisdiction) throw new Error(`PostGIS layer store: version row ${r.jurisdiction} ${r.hash} carries metadata of ${meta.id} ${meta.hash}`);
      const source = new PostgisLayerSource(pool, r.jurisdiction, r.hash);
      sources.push(source);
      bundles.push(sourceBundle(meta, source));
    }
    return { bundles, sources, pool, close: () => pool.end() };
  } catch (e) {
    await pool.end().catch(() => {});
    if ((e as { code?: string }).code === '42P01') throw new Error('PostGIS layer store is empty: load a bundle with api/node/sources/postgis-load.ts');
    throw e;
  }
}
