/**
 * PostgreSQL + PostGIS for the benchmark: a private cluster in a temporary directory on a loopback
 * port (like .ci/run), a bundle's polygon features loaded into a table with a GiST index, and the
 * overlay query of a site:
 *
 *   SELECT kind, zone, sum(ST_Area(ST_Intersection(geom, site)::geography)) FROM layers
 *   WHERE ST_Intersects(geom, site) GROUP BY kind, zone
 *
 * Settings favour the query side: fsync off (loading only; queries read), JIT off (it only adds
 * compile time to short queries), no parallel workers (each query's CPU stays in its backend, whose
 * /proc accounting the benchmark reads).
 */
import { spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { LAYER_KINDS, type LayerKind } from '../engine/vocabulary.js';

const PG_BIN = (() => {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return '';
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin/postgres'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : '';
})();

const isRoot = process.getuid?.() === 0;
function asPostgres(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = isRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, cmd), ...args], { encoding: 'utf8' })
    : spawnSync(join(PG_BIN, cmd), args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

export interface Cluster { url: string; port: number; dir: string; version: string; stop(): void }

export function postgisAvailable(): string | null {
  if (!PG_BIN) return 'PostgreSQL is not installed (/usr/lib/postgresql/*/bin)';
  if (!readdirSync('/usr/share/postgresql').some((v) => existsSync(`/usr/share/postgresql/${v}/extension/postgis.control`))) return 'PostGIS is not installed';
  return null;
}

export function startCluster(port: number): Cluster {
  const dir = mkdtempSync(join(tmpdir(), 'zoning-bench-pg-'));
  if (isRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim()));
  const init = asPostgres('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale']);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.out}`);
  const options = [
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir}`,
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
    '-c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=512MB',
    '-c jit=off -c max_parallel_workers_per_gather=0 -c max_parallel_maintenance_workers=0',
  ].join(' ');
  const start = asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  if (start.status !== 0) throw new Error(`pg_ctl start failed: ${start.out}\n${safeRead(join(dir, 'server.log'))}`);
  const version = spawnSync(join(PG_BIN, 'postgres'), ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    version,
    stop() {
      asPostgres('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', '-w', 'stop']);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function safeRead(f: string): string {
  try {
    return readFileSync(f, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}

/** The zone value the engine derives for a feature (load-bundle.ts readFeature). */
function zoneOf(kind: LayerKind, props: Record<string, unknown>): string {
  if (kind === 'ecological-redline') return props.core === true ? 'core' : '';
  const p = LAYER_KINDS[kind].zoneProperty;
  return p && props[p] !== undefined && props[p] !== null ? String(props[p]) : '';
}

export interface LoadReport { features: number; rows: number; invalid: number; seconds: number; tableMb: number; indexMb: number }

/**
 * Loads the polygon features of a bundle directory into `table` (subdivided to at most
 * `subdivide` vertices per row when > 0, like the engine's index), with a GiST index.
 */
export async function loadLayers(cluster: Cluster, bundleDir: string, table: string, subdivide: number, checkValid: boolean): Promise<LoadReport> {
  const t0 = performance.now();
  const manifest = JSON.parse(readFileSync(join(bundleDir, 'jurisdiction.json'), 'utf8')) as { layers: string[] };
  const tsv = join(cluster.dir, `${table}.tsv`);
  const fd = openSync(tsv, 'w');
  let features = 0;
  for (const file of manifest.layers) {
    const fc = JSON.parse(readFileSync(join(bundleDir, file), 'utf8')) as { features: { id?: unknown; properties: Record<string, unknown>; geometry: { type: string } }[] };
    let buf: string[] = [];
    fc.features.forEach((f, i) => {
      const kind = f.properties.kind as LayerKind;
      if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') return;
      const id = String(f.id ?? f.properties.id ?? `${file}:${i}`);
      buf.push(`${id}\t${kind}\t${zoneOf(kind, f.properties)}\t${JSON.stringify(f.geometry)}\n`);
      features++;
      if (buf.length >= 5000) {
        writeSync(fd, buf.join(''));
        buf = [];
      }
    });
    if (buf.length) writeSync(fd, buf.join(''));
  }
  closeSync(fd);
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis');
    await client.query(`DROP TABLE IF EXISTS ${table}_raw, ${table}`);
    await client.query(`CREATE UNLOGGED TABLE ${table}_raw (id text, kind text, zone text, gj text)`);
    const copy = spawnSync(join(PG_BIN, 'psql'), ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', `\\copy ${table}_raw FROM '${tsv}'`], { encoding: 'utf8' });
    if (copy.status !== 0) throw new Error(`psql \\copy failed: ${copy.stderr}`);
    rmSync(tsv, { force: true });
    const geom = 'ST_SetSRID(ST_GeomFromGeoJSON(gj), 4490)';
    await client.query(`CREATE TABLE ${table} AS SELECT id, kind, zone, ${subdivide > 0 ? `ST_Subdivide(${geom}, ${subdivide})` : geom} AS geom FROM ${table}_raw`);
    await client.query(`CREATE INDEX ${table}_geom ON ${table} USING gist (geom)`);
    await client.query(`VACUUM ANALYZE ${table}`);
    const invalid = checkValid ? Number((await client.query(`SELECT count(*) AS n FROM ${table}_raw WHERE NOT ST_IsValid(${geom})`)).rows[0].n) : -1;
    const rows = Number((await client.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);
    const size = (await client.query(`SELECT pg_table_size($1) AS t, pg_indexes_size($1) AS i`, [table])).rows[0];
    await client.query(`DROP TABLE ${table}_raw`);
    return { features, rows, invalid, seconds: (performance.now() - t0) / 1000, tableMb: Number(size.t) / 2 ** 20, indexMb: Number(size.i) / 2 ** 20 };
  } finally {
    await client.end();
  }
}

/** The overlay of one site (GeoJSON text, EPSG:4490): area per "kind|zone" in m². */
export function overlaySql(table: string): string {
  return `SELECT kind, zone, sum(ST_Area(ST_Intersection(l.geom, s.g)::geography)) AS area
    FROM ${table} l, (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4490) AS g) s
    WHERE ST_Intersects(l.geom, s.g)
    GROUP BY kind, zone`;
}

export interface OverlayClient { pid: number; run(geojson: string): Promise<Record<string, number>>; end(): Promise<void>; explain(geojson: string): Promise<string> }

export async function overlayClient(cluster: Cluster, table: string): Promise<OverlayClient> {
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const text = overlaySql(table);
  const name = `overlay_${table}`;
  return {
    pid,
    async run(geojson) {
      const r = await client.query({ name, text, values: [geojson] });
      const out: Record<string, number> = {};
      for (const row of r.rows as { kind: string; zone: string; area: number }[]) out[`${row.kind}|${row.zone}`] = Number(row.area);
      return out;
    },
    async explain(geojson) {
      const r = await client.query(`EXPLAIN ${text.replace('$1', `'${geojson.replace(/'/g, "''")}'`)}`);
      return r.rows.map((x: Record<string, string>) => x['QUERY PLAN']).join('\n');
    },
    end: () => client.end(),
  };
}
