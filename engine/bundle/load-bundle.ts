/**
 * Loads a jurisdiction bundle (contract §2) from its manifest and the text of its layer files.
 * Validates every feature, refusing the bundle with messages that name the file, the feature index
 * and the problem; builds the spatial index (flatbush) once, at load.
 */
import Flatbush from 'flatbush';
import { validateJurisdiction } from '../generated/validators.js';
import { sha256 } from '../hash.js';
import { splitFeatureCollection } from './feature-texts.js';
import { bboxOf, ellipsoidalArea, type BBox, type MultiPolygonCoords, type Position } from '../geometry/index.js';
import { CoordinatePool, type PackedPolygons } from '../geometry/packed.js';
import { LAYER_KINDS, ZONE_VALUES, type LayerKind } from '../vocabulary.js';
import type { Bundle, IndexEntry, LayerFeature, LayerStats, Manifest } from './types.js';
import { subdivide } from './subdivide.js';

export interface BundleProblem { file: string; feature: number | null; path: string; message: string }

export class BundleLoadError extends Error {
  constructor(public readonly bundle: string, public readonly problems: BundleProblem[]) {
    super(
      `bundle ${bundle} refused:\n` +
        problems.slice(0, 50).map((p) => `  ${p.file}${p.feature === null ? '' : ` feature ${p.feature}`}${p.path ? ` ${p.path}` : ''}: ${p.message}`).join('\n') +
        (problems.length > 50 ? `\n  … and ${problems.length - 50} more` : ''),
    );
  }
}

const MAX_PROBLEMS = 200;

/** Size limits of a bundle (issue 8): refused at load, whatever the source, with a clear message. */
export interface BundleLimits { maxFeatures: number; maxBytes: number }
const limits: BundleLimits = { maxFeatures: 5_000_000, maxBytes: 2 * 1024 ** 3 };

/** Set the process-wide bundle limits (the Node entry reads ZONING_MAX_BUNDLE_FEATURES / _BYTES). */
export function configureBundleLimits(l: Partial<BundleLimits>): void {
  if (l.maxFeatures !== undefined) limits.maxFeatures = l.maxFeatures;
  if (l.maxBytes !== undefined) limits.maxBytes = l.maxBytes;
}

export async function loadBundle(manifestRaw: unknown, layerTexts: Record<string, string>, source = 'jurisdiction.json'): Promise<Bundle> {
  if (!validateJurisdiction(manifestRaw)) {
    throw new BundleLoadError(source, (validateJurisdiction.errors ?? []).map((e) => ({
      file: 'jurisdiction.json', feature: null, path: e.instancePath || '/', message: `${e.message ?? e.keyword}`,
    })));
  }
  const manifest = manifestRaw as Manifest;
  const problems: BundleProblem[] = [];
  const bytes = manifest.layers.reduce((n, f) => n + (layerTexts[f]?.length ?? 0), 0);
  if (bytes > limits.maxBytes) {
    throw new BundleLoadError(manifest.id, [{ file: 'jurisdiction.json', feature: null, path: '/layers', message: `图层文件合计 ${bytes} 字符，超过上限 ${limits.maxBytes}` }]);
  }
  const features: LayerFeature[] = [];
  const seenIds = new Set<string>();
  // Polygons are kept packed in one pool (16 bytes a vertex instead of ≈ 72) as soon as a feature
  // is read, so that the nested arrays of a whole layer never live at once; entries and features
  // rebuild the nested form on demand. Large features are subdivided into pieces first.
  const pool = new CoordinatePool();
  const entries: IndexEntry[] = [];
  const keep = (f: LayerFeature): LayerFeature => {
    if (!f.polygons) {
      entries.push({ feature: f, polygons: null, bbox: f.bbox });
      return f;
    }
    const pieces = subdivide(f.polygons);
    const kept = new PackedFeature(f, pool.add(f.polygons));
    if (pieces.length === 1) entries.push(new PackedEntry(kept, kept.packed, pieces[0].bbox));
    else for (const piece of pieces) entries.push(new PackedEntry(kept, pool.add(piece.polygons), piece.bbox));
    return kept;
  };
  const hashParts: string[] = [];
  for (const file of manifest.layers) {
    const text = layerTexts[file];
    if (text === undefined) {
      problems.push({ file, feature: null, path: '', message: '图层文件不存在' });
      continue;
    }
    hashParts.push(`${file}\n${await sha256(text)}`);
    // Feature by feature where the structure allows (feature-texts.ts): the peak memory of one feature.
    const split = splitFeatureCollection(text);
    let fc: unknown;
    try {
      fc = JSON.parse(split ? split.outer : text);
    } catch (e) {
      problems.push({ file, feature: null, path: '', message: `不是有效的 JSON：${(e as Error).message}` });
      continue;
    }
    if (!isObj(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
      problems.push({ file, feature: null, path: '', message: '必须是 GeoJSON FeatureCollection' });
      continue;
    }
    const count = split ? split.features.length : fc.features.length;
    for (let i = 0; i < count; i++) {
      if (problems.length >= MAX_PROBLEMS) break;
      let f: unknown;
      if (split) {
        try {
          f = JSON.parse(split.features[i]);
        } catch (e) {
          problems.push({ file, feature: i, path: '', message: `要素不是有效的 JSON：${(e as Error).message}` });
          continue;
        }
      } else f = fc.features[i];
      const r = readFeature(f, `${file}:${i}`);
      if ('problem' in r) problems.push({ file, feature: i, path: r.path, message: r.problem });
      else if (seenIds.has(r.feature.id)) problems.push({ file, feature: i, path: '/id', message: `要素编号 ${r.feature.id} 重复` });
      else {
        seenIds.add(r.feature.id);
        features.push(keep(r.feature));
      }
    }
  }
  if (features.length > limits.maxFeatures) {
    problems.push({ file: 'jurisdiction.json', feature: null, path: '/layers', message: `要素 ${features.length} 个，超过上限 ${limits.maxFeatures}` });
  }
  if (problems.length) throw new BundleLoadError(manifest.id, problems);

  pool.trim();
  const boundary = features.filter((f) => f.kind === 'boundary');
  if (boundary.length === 0) throw new BundleLoadError(manifest.id, [{ file: 'jurisdiction.json', feature: null, path: '/layers', message: '缺少 boundary（行政辖区范围）要素' }]);

  const index = new Flatbush(Math.max(entries.length, 1));
  for (const e of entries) index.add(e.bbox[0], e.bbox[1], e.bbox[2], e.bbox[3]);
  if (entries.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const bbox = boundary.reduce<BBox>((b, f) => [Math.min(b[0], f.bbox[0]), Math.min(b[1], f.bbox[1]), Math.max(b[2], f.bbox[2]), Math.max(b[3], f.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
  const search = (b: BBox) => (entries.length ? index.search(b[0], b[1], b[2], b[3]).sort((x, y) => x - y).map((i) => entries[i]) : []);
  const { layers: _l, ...manifestRest } = manifest;
  const hash = await sha256(JSON.stringify({ manifest: manifestRest, layers: hashParts }));
  let stats: LayerStats[] | null = null;
  return {
    id: manifest.id,
    name: manifest.name,
    manifest,
    hash,
    sliverToleranceM2: manifest.sliverToleranceM2 ?? 1,
    maxRoadHalfWidthM: features.reduce((m, f) => (f.kind === 'road' && typeof f.properties.widthM === 'number' ? Math.max(m, f.properties.widthM / 2) : m), 0),
    distanceSearchM: typeof manifest.distanceSearchM === 'number' && manifest.distanceSearchM >= 0 ? manifest.distanceSearchM : 300,
    localPolicies: manifest.policies ?? [],
    features,
    featureById: new Map(features.map((f) => [f.id, f])),
    boundary,
    bbox,
    search,
    query: async (b) => search(b),
    source: 'memory',
    get stats() {
      return (stats ??= computeStats(features));
    },
  };
}

/** A polygon feature of a loaded bundle: its polygons kept packed, rebuilt nested when read. */
class PackedFeature implements LayerFeature {
  readonly id: string;
  readonly kind: LayerKind;
  readonly zone: string | null;
  readonly properties: Record<string, unknown>;
  readonly lines = null;
  readonly bbox: BBox;
  constructor(f: LayerFeature, readonly packed: PackedPolygons) {
    this.id = f.id;
    this.kind = f.kind;
    this.zone = f.zone;
    this.properties = f.properties;
    this.bbox = f.bbox;
  }
  get polygons(): MultiPolygonCoords {
    return this.packed.unpack();
  }
}

/** An index entry of a loaded bundle (a feature, or a piece of a subdivided one), packed likewise. */
class PackedEntry implements IndexEntry {
  constructor(readonly feature: LayerFeature, readonly packed: PackedPolygons, readonly bbox: BBox) {}
  get polygons(): MultiPolygonCoords {
    return this.packed.unpack();
  }
}

function computeStats(features: LayerFeature[]): LayerStats[] {
  const map = new Map<string, LayerStats>();
  for (const f of features) {
    const key = `${f.kind}|${f.zone ?? ''}`;
    let s = map.get(key);
    if (!s) map.set(key, (s = { kind: f.kind, zone: f.zone, features: 0, areaM2: f.polygons ? 0 : null }));
    s.features++;
    if (f.polygons && s.areaM2 !== null) s.areaM2 += ellipsoidalArea(f.polygons);
  }
  return [...map.values()].sort((a, b) => a.kind.localeCompare(b.kind) || String(a.zone).localeCompare(String(b.zone)));
}

type ReadResult = { feature: LayerFeature } | { problem: string; path: string };

function readFeature(f: unknown, fallbackId: string): ReadResult {
  if (!isObj(f) || f.type !== 'Feature') return { problem: '必须是 GeoJSON Feature', path: '' };
  const props = isObj(f.properties) ? f.properties : null;
  if (!props) return { problem: '缺少 properties', path: '/properties' };
  const kind = props.kind;
  if (typeof kind !== 'string' || !(kind in LAYER_KINDS)) {
    return { problem: `未知的图层类型 kind=${JSON.stringify(kind)}（应为 ${Object.keys(LAYER_KINDS).join(', ')} 之一）`, path: '/properties/kind' };
  }
  // The vocabulary's own strings, not the parsed ones: see detach().
  const k = KIND_NAMES.get(kind)!;
  const zoneProp = LAYER_KINDS[k].zoneProperty;
  let zone: string | null = null;
  if (zoneProp) {
    const raw = props[zoneProp];
    const allowed = ZONE_VALUES[k]!;
    const value = raw === undefined || raw === null ? undefined : String(raw);
    if (value === undefined || !(value in allowed)) {
      return { problem: `${kind} 要素的 ${zoneProp} 必须是 ${Object.keys(allowed).join(' | ')} 之一，实际为 ${JSON.stringify(raw)}`, path: `/properties/${zoneProp}` };
    }
    zone = Object.keys(allowed).find((z) => z === value)!;
  }
  if (k === 'ecological-redline') {
    if (props.core !== undefined && typeof props.core !== 'boolean') return { problem: 'core 必须是布尔值', path: '/properties/core' };
    zone = props.core === true ? 'core' : null;
  }
  if (k === 'arable-land' && props.paddy !== undefined && typeof props.paddy !== 'boolean') return { problem: 'paddy 必须是布尔值', path: '/properties/paddy' };
  if (k === 'road' && props.widthM !== undefined && !(typeof props.widthM === 'number' && Number.isFinite(props.widthM) && props.widthM >= 0)) {
    return { problem: 'widthM 必须是非负数', path: '/properties/widthM' };
  }
  const rawId = f.id ?? props.id;
  const id = typeof rawId === 'string' || typeof rawId === 'number' ? detach(String(rawId)) : fallbackId;
  const g = f.geometry;
  if (!isObj(g)) return { problem: '缺少 geometry', path: '/geometry' };
  const isLine = k === 'road';
  try {
    if (isLine) {
      const lines = g.type === 'LineString' ? [g.coordinates] : g.type === 'MultiLineString' ? g.coordinates : null;
      if (!lines || !Array.isArray(lines)) return { problem: 'road 要素的几何必须是 LineString 或 MultiLineString', path: '/geometry/type' };
      const ls = lines.map((l: unknown, i: number) => readLine(l, `/geometry/coordinates${g.type === 'LineString' ? '' : `/${i}`}`));
      const bad = ls.find((x): x is { problem: string; path: string } => 'problem' in x);
      if (bad) return bad;
      const coords = (ls as { line: Position[] }[]).map((x) => x.line);
      return { feature: { id, kind: k, zone, properties: detach(props), polygons: null, lines: coords, bbox: bboxOf(coords) } };
    }
    const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : null;
    if (!polys || !Array.isArray(polys)) return { problem: `${kind} 要素的几何必须是 Polygon 或 MultiPolygon`, path: '/geometry/type' };
    const out: MultiPolygonCoords = [];
    for (let p = 0; p < polys.length; p++) {
      const base = g.type === 'Polygon' ? '/geometry/coordinates' : `/geometry/coordinates/${p}`;
      if (!Array.isArray(polys[p]) || polys[p].length === 0) return { problem: '多边形必须至少有一个环', path: base };
      const rings: Position[][] = [];
      for (let r = 0; r < polys[p].length; r++) {
        const rr = readRing(polys[p][r], `${base}/${r}`);
        if ('problem' in rr) return rr;
        rings.push(rr.line);
      }
      out.push(rings);
    }
    return { feature: { id, kind: k, zone, properties: detach(props), polygons: out, lines: null, bbox: bboxOf(out) } };
  } catch (e) {
    return { problem: `几何无法读取：${(e as Error).message}`, path: '/geometry' };
  }
}

function readLine(l: unknown, path: string): { line: Position[] } | { problem: string; path: string } {
  if (!Array.isArray(l) || l.length < 2) return { problem: '线至少需要 2 个坐标点', path };
  // The parsed arrays are kept when every position is exactly [lon, lat] (no copy: at county
  // scale, copying millions of positions doubled the load's allocations); else a 2D copy.
  let plain = true;
  for (let i = 0; i < l.length; i++) {
    const c = l[i];
    if (!Array.isArray(c) || c.length < 2 || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !Number.isFinite(c[0]) || !Number.isFinite(c[1])) {
      return { problem: '坐标必须是有限数值 [经度, 纬度]', path: `${path}/${i}` };
    }
    if (c[0] < -180 || c[0] > 180 || c[1] < -90 || c[1] > 90) return { problem: `坐标超出经纬度范围：${JSON.stringify(c)}`, path: `${path}/${i}` };
    if (c.length !== 2) plain = false;
  }
  if (plain) return { line: l as Position[] };
  return { line: l.map((c: number[]) => [c[0], c[1]] as Position) };
}

function readRing(r: unknown, path: string): { line: Position[] } | { problem: string; path: string } {
  const res = readLine(r, path);
  if ('problem' in res) return res;
  const ring = res.line;
  if (ring.length < 4) return { problem: '环至少需要 4 个坐标点', path };
  const a = ring[0];
  const b = ring[ring.length - 1];
  if (a[0] !== b[0] || a[1] !== b[1]) return { problem: '环未闭合（首尾坐标不同）', path };
  return res;
}

const KIND_NAMES = new Map(Object.keys(LAYER_KINDS).map((k) => [k, k as LayerKind]));

/**
 * A copy of a parsed value whose strings no longer point into the layer file's text. V8's
 * JSON.parse returns strings of 13 characters or more as slices of the parsed text, so one kept
 * "permanent-farmland" kept the whole file alive (at county scale: 60 MB more for the bundle's
 * lifetime). Prefixing and slicing off a character makes a string of its own.
 */
function detach<T>(v: T): T {
  if (typeof v === 'string') return (v.length >= 13 ? (' ' + v).slice(1) : v) as T;
  if (Array.isArray(v)) return v.map(detach) as T;
  if (v && typeof v === 'object') {
    for (const [key, x] of Object.entries(v)) if (typeof x === 'string' ? x.length >= 13 : x && typeof x === 'object') (v as Record<string, unknown>)[key] = detach(x);
    return v;
  }
  return v;
}

function isObj(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
