/**
 * Reads a site file for the CLI. When the engine's readers exist (engine/io: 界址点坐标 .txt, .wkt,
 * zipped Shapefiles, GeoJSON) they read every extension; without them the CLI reads GeoJSON
 * (.geojson / .json: a Geometry, a Feature, or a FeatureCollection) itself.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { InputProblem } from '../engine/index.js';
import { CliError } from './common.js';

export interface SiteParcelLike { id: string; name: string | null; geometry: unknown; properties?: Record<string, unknown> }

export interface SiteRead {
  geometry: unknown;
  /** The file's parcels / features, one site each for `zoning batch`. */
  parcels: SiteParcelLike[];
  /** A name the file gives the site (single feature / parcel), if any. */
  name: string | null;
  warnings: string[];
  reader: 'engine/io' | 'cli-geojson';
}

export interface SiteReadOptions { zone?: number; zoneWidth?: 3 | 6 }

type ReadSiteFile = (bytes: Uint8Array, filename: string, opts?: SiteReadOptions) => unknown;

let ioModule: Promise<{ readSiteFile?: ReadSiteFile } | null> | null = null;

/** engine/io when it is there; null when the module does not exist (yet). */
export function loadEngineIo(): Promise<{ readSiteFile?: ReadSiteFile } | null> {
  // A computed specifier: the CLI works (and type-checks) whether or not engine/io has landed.
  const spec = ['..', 'engine', 'io', 'index.js'].join('/');
  return (ioModule ??= import(/* @vite-ignore */ spec).then(
    (m) => m as { readSiteFile?: ReadSiteFile },
    (e: NodeJS.ErrnoException) => {
      if ((e.code === 'ERR_MODULE_NOT_FOUND' || e.code === 'MODULE_NOT_FOUND') && /engine[\\/]io[\\/]index/.test(e.message)) return null;
      throw e;
    },
  ));
}

export async function readSite(path: string, opts: SiteReadOptions = {}): Promise<SiteRead> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CliError(`无法读取用地文件 ${path}：${(e as Error).message}`);
  }
  const io = await loadEngineIo();
  if (io?.readSiteFile) {
    const r = (await io.readSiteFile(bytes, basename(path), opts)) as {
      geometry: unknown; warnings?: unknown[]; parcels?: { id: string; name: string | null; geometry: unknown }[];
    };
    const parcels = (r.parcels ?? []).map((p) => ({ id: String(p.id), name: p.name ?? null, geometry: p.geometry }));
    return {
      geometry: r.geometry,
      parcels: parcels.length ? parcels : [{ id: '1', name: null, geometry: r.geometry }],
      name: parcels.length === 1 ? parcels[0].name : null,
      warnings: (r.warnings ?? []).map((w) => (typeof w === 'string' ? w : ((w as { message?: string }).message ?? JSON.stringify(w)))),
      reader: 'engine/io',
    };
  }
  const ext = extname(path).toLowerCase();
  if (ext !== '.geojson' && ext !== '.json') {
    throw new CliError(`不支持的用地文件格式 ${ext || '（无扩展名）'}：本版本只读取 .geojson / .json（界址点坐标 .txt、.wkt 与 Shapefile 需引擎的 engine/io 模块）`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new CliError(`用地文件 ${path} 不是有效的 JSON：${(e as Error).message}`);
  }
  return geojsonSite(doc, path);
}

const GEOMETRY_TYPES = new Set(['Point', 'MultiPoint', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon']);

/** A GeoJSON document as a site: one geometry, or all polygon features merged into a MultiPolygon. */
export function geojsonSite(doc: unknown, label: string): SiteRead {
  const o = doc as { type?: unknown; geometry?: unknown; features?: unknown; properties?: unknown; id?: unknown };
  if (o && typeof o === 'object' && typeof o.type === 'string' && GEOMETRY_TYPES.has(o.type)) {
    return { geometry: doc, parcels: [{ id: '1', name: null, geometry: doc }], name: null, warnings: [], reader: 'cli-geojson' };
  }
  const feats: { id?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null }[] =
    o?.type === 'Feature' ? [o as never] : o?.type === 'FeatureCollection' && Array.isArray(o.features) ? (o.features as never[]) : [];
  if (!feats.length) {
    throw new InputProblem(422, '用地文件无法读取', `${label} 应为 GeoJSON 几何、Feature 或含要素的 FeatureCollection`, [{ path: '/type', message: '不是 GeoJSON 几何、Feature 或 FeatureCollection' }]);
  }
  const parcels: SiteParcelLike[] = feats.map((f, i) => {
    const p = f.properties && typeof f.properties === 'object' ? f.properties : {};
    const id = f.id ?? p.id;
    return {
      id: typeof id === 'string' || typeof id === 'number' ? String(id) : String(i + 1),
      name: typeof p.name === 'string' ? p.name : null,
      geometry: f.geometry,
      properties: p,
    };
  });
  if (parcels.length === 1) return { geometry: parcels[0].geometry, parcels, name: parcels[0].name, warnings: [], reader: 'cli-geojson' };
  const polys: unknown[] = [];
  for (const [i, p] of parcels.entries()) {
    const g = p.geometry as { type?: string; coordinates?: unknown[] } | null;
    if (g?.type === 'Polygon') polys.push(g.coordinates);
    else if (g?.type === 'MultiPolygon' && Array.isArray(g.coordinates)) polys.push(...g.coordinates);
    else {
      throw new InputProblem(422, '用地文件无法读取', `${label} 含 ${parcels.length} 个要素，只有全部为多边形时才能合并为一个用地；逐个判定请用 zoning batch`, [
        { path: `/features/${i}/geometry/type`, message: `要素几何为 ${g?.type ?? '空'}` },
      ]);
    }
  }
  return {
    geometry: { type: 'MultiPolygon', coordinates: polys },
    parcels,
    name: null,
    warnings: [`${label} 含 ${parcels.length} 个多边形要素，已合并为一个多部件用地判定`],
    reader: 'cli-geojson',
  };
}
