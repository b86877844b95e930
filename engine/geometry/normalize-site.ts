/**
 * Validates a site (contract §5/§6) and normalizes it for overlay.
 *
 * Accepts a GeoJSON Geometry or a Feature (its geometry is used; issue paths stay relative to the
 * geometry object, so the caller prefixes "/site" or "/site/geometry"): Point, Polygon,
 * MultiPolygon, or LineString / MultiLineString buffered by `corridorWidthM` (round caps and
 * joins, see buffer-lines.ts). Over `maxVertices` positions gives status 413, every other problem
 * 422 with JSON pointers and Chinese messages. Repeated consecutive positions are dropped with a
 * warning; overlapping parts of a MultiPolygon are merged with a warning. Never throws.
 *
 * @example
 * const r = normalizeSite(body.site, { corridorWidthM: body.project.attributes?.corridorWidthM });
 * if (!r.ok) return problem(r.status, r.errors.map((e) => ({ ...e, path: '/site' + e.path })));
 */
import { bboxOf } from './bbox.js';
import { bufferLines } from './buffer-lines.js';
import { checkTopology } from './check-topology.js';
import { orientRing } from './clean-polygons.js';
import { ellipsoidalArea } from './ellipsoidal-area.js';
import { CORRIDOR_WIDTH_REQUIRED, IssueList, typeName } from './issues.js';
import {
  countPositions, parseGeometry, SITE_GEOMETRY_TYPES,
  type ParseContext, type ParsedPath, type ParsedPolygon, type SiteGeometryType,
} from './parse-geometry.js';
import { dropRepeats, prepareRing, type PreparedRing } from './prepare-ring.js';
import type { GeometryIssue, MultiPolygonCoords, NormalizeOptions, NormalizeResult, NormalizedSite, Position } from './types.js';
import { union } from './union.js';

export const DEFAULT_MAX_VERTICES = 100000;
/** Widest corridor accepted (m): beyond this the local projection used for buffering degrades. */
export const MAX_CORRIDOR_WIDTH_M = 100000;

export function normalizeSite(input: unknown, opts: NormalizeOptions = {}): NormalizeResult {
  try {
    return normalize(input, opts ?? {});
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return fail(422, [{ path: '', message: `无法处理该几何对象：${why}` }]);
  }
}

function fail(status: 413 | 422, errors: GeometryIssue[]): NormalizeResult {
  return { ok: false, status, errors };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function normalize(input: unknown, opts: NormalizeOptions): NormalizeResult {
  const maxVertices = typeof opts.maxVertices === 'number' && opts.maxVertices > 0 ? opts.maxVertices : DEFAULT_MAX_VERTICES;
  if (!isObject(input)) {
    return fail(422, [{ path: '', message: `site 必须是 GeoJSON 几何对象（${SITE_GEOMETRY_TYPES.join('、')}）或 Feature，实际为${typeName(input)}` }]);
  }
  let geom: Record<string, unknown> = input;
  if (input.type === 'Feature') {
    const g = input.geometry;
    if (!isObject(g)) return fail(422, [{ path: '', message: `Feature 的 geometry 必须是几何对象，实际为${typeName(g)}` }]);
    geom = g;
  }
  const type = geom.type;
  if (type === undefined) return fail(422, [{ path: '/type', message: '缺少 type（几何类型）' }]);
  if (typeof type !== 'string' || !(SITE_GEOMETRY_TYPES as readonly string[]).includes(type)) {
    const shown = typeof type === 'string' ? `"${type.slice(0, 40)}"` : typeName(type);
    return fail(422, [{ path: '/type', message: `不支持的几何类型 ${shown}：应为 ${SITE_GEOMETRY_TYPES.join('、')}` }]);
  }
  const t = type as SiteGeometryType;
  if (!('coordinates' in geom) || geom.coordinates === undefined) {
    return fail(422, [{ path: '/coordinates', message: '缺少 coordinates（坐标）' }]);
  }
  const vertexCount = countPositions(t, geom.coordinates);
  if (vertexCount > maxVertices) {
    return fail(413, [{ path: '/coordinates', message: `顶点数 ${vertexCount} 超过上限 ${maxVertices}` }]);
  }

  const ctx: ParseContext = { issues: new IssueList(), suspectSwapped: false };
  const parsed = parseGeometry(t, geom.coordinates, ctx);
  const warnings: string[] = [];
  const repeats = { n: 0 };
  const overlaps: [number, number][] = [];
  let site: NormalizedSite | null = null;

  if (parsed.type === 'Point') {
    if (parsed.point && ctx.issues.length === 0) {
      const p = parsed.point;
      site = { type: 'point', point: p, polygons: [], bbox: [p[0], p[1], p[0], p[1]], areaM2: 0, vertexCount };
    }
  } else if ('polygons' in parsed) {
    const polygons = preparePolygons(parsed.polygons, ctx.issues, repeats, warnings, overlaps);
    if (polygons && ctx.issues.length === 0) site = polygonSite('polygon', polygons, vertexCount);
  } else {
    const lines = prepareLines(parsed.lines, ctx.issues, repeats);
    const width = checkCorridorWidth(opts.corridorWidthM, ctx.issues);
    if (lines && width !== null && ctx.issues.length === 0) {
      const polygons = bufferCorridor(lines, width, ctx.issues, warnings);
      if (polygons && ctx.issues.length === 0) site = polygonSite('corridor', polygons, vertexCount);
    }
  }

  if (site && site.type !== 'point' && !(site.areaM2 > 0)) {
    ctx.issues.add('/coordinates', '用地面积为零：多边形在椭球面上退化（例如边沿 ±180° 经线或极点）');
  }
  if (!site || ctx.issues.length > 0) {
    const errors = ctx.issues.result();
    return fail(422, errors.length ? errors : [{ path: '', message: '几何对象无效' }]);
  }
  if (repeats.n > 0) warnings.unshift(`已删除 ${repeats.n} 个连续重复的坐标点`);
  if (ctx.suspectSwapped) warnings.push('部分坐标的经度在 18–54、纬度在 73–90 之间，坐标疑似经纬度颠倒：应为 [经度, 纬度]');
  return { ok: true, site, warnings, overlappingParts: overlaps };
}

function polygonSite(type: 'polygon' | 'corridor', polygons: MultiPolygonCoords, vertexCount: number): NormalizedSite {
  return { type, point: null, polygons, bbox: bboxOf(polygons), areaM2: ellipsoidalArea(polygons), vertexCount };
}

/**
 * Ring checks, topology, orientation, and merging of overlapping parts (their index pairs are
 * added to `overlaps`); null when invalid.
 */
function preparePolygons(
  parsed: ParsedPolygon[], issues: IssueList, repeats: { n: number }, warnings: string[], overlaps: [number, number][] = [],
): MultiPolygonCoords | null {
  const parts: PreparedRing[][] = [];
  const partPaths: string[] = [];
  for (const poly of parsed) {
    const rings: PreparedRing[] = [];
    let complete = poly.rings.length > 0;
    for (const r of poly.rings) {
      const prepared = r ? prepareRing(r, issues, repeats) : null;
      if (prepared) rings.push(prepared);
      else complete = false;
    }
    if (complete) {
      parts.push(rings);
      partPaths.push(poly.path);
    }
  }
  const before = issues.length;
  const { overlappingParts } = checkTopology(parts, issues);
  if (issues.length > before || parts.length !== parsed.length) return null;
  const polygons: MultiPolygonCoords = parts.map((rings) =>
    rings.map((r, i) => orientRing(r.coords.map((p) => [p[0], p[1]] as Position), i === 0)));
  if (overlappingParts.length === 0) return polygons;
  overlaps.push(...overlappingParts);
  const named = overlappingParts.slice(0, 3).map(([a, b]) => `${partPaths[a]} 与 ${partPaths[b]}`).join('、');
  warnings.push(`MultiPolygon 的部分多边形相互重叠或共边（${named}${overlappingParts.length > 3 ? ' 等' : ''}），已合并后计算`);
  return union(polygons.map((p) => [p]));
}

/** Line checks for a corridor: ≥ 2 positions, non-zero length; null when invalid. */
function prepareLines(parsed: (ParsedPath | null)[], issues: IssueList, repeats: { n: number }): Position[][] | null {
  const lines: Position[][] = [];
  for (const l of parsed) {
    if (!l) continue;
    if (l.coords.length < 2) {
      issues.add(l.path, `LineString 至少需要 2 个坐标点，实际 ${l.coords.length} 个`);
      continue;
    }
    const { coords } = dropRepeats(l.coords);
    repeats.n += l.coords.length - coords.length;
    if (coords.length < 2) {
      issues.add(l.path, 'LineString 长度为零：所有坐标点相同');
      continue;
    }
    lines.push(coords);
  }
  return lines.length === parsed.length ? lines : null;
}

function checkCorridorWidth(w: unknown, issues: IssueList): number | null {
  if (w === undefined || w === null) {
    issues.add('', CORRIDOR_WIDTH_REQUIRED);
    return null;
  }
  if (typeof w !== 'number' || !Number.isFinite(w) || w <= 0) {
    issues.add('', `corridorWidthM 必须是大于 0 的数值（米），实际为 ${typeof w === 'number' ? String(w) : typeName(w)}`);
    return null;
  }
  if (w > MAX_CORRIDOR_WIDTH_M) {
    issues.add('', `corridorWidthM ${w} 米超过上限 ${MAX_CORRIDOR_WIDTH_M} 米`);
    return null;
  }
  return w;
}

/** Buffer the lines and validate the result like a polygon site. */
function bufferCorridor(lines: Position[][], widthM: number, issues: IssueList, warnings: string[]): MultiPolygonCoords | null {
  const polys = bufferLines(lines, widthM / 2);
  if (polys.length === 0) {
    issues.add('', '无法生成线性工程的用地范围（缓冲失败）');
    return null;
  }
  const inner = new IssueList();
  const parsed: ParsedPolygon[] = polys.map((poly, i) => ({
    path: `/buffer/${i}`,
    rings: poly.map((coords, j) => ({ path: `/buffer/${i}/${j}`, coords })),
  }));
  const result = preparePolygons(parsed, inner, { n: 0 }, warnings);
  if (!result || inner.length > 0) {
    issues.add('', `线性工程缓冲后的用地范围无效：${inner.items[0]?.message ?? '未知原因'}`);
    return null;
  }
  return result;
}
