/**
 * First stage of site validation: the GeoJSON structure and every position (type, nesting,
 * numbers, finiteness, ranges, swapped lon/lat). Rings and lines whose positions are all valid
 * come out as arrays of 2-D positions; everything else becomes an issue.
 */
import { IssueList, SWAP_HINT, fmtPos, typeName } from './issues.js';
import type { Position } from './types.js';

export type SiteGeometryType = 'Point' | 'LineString' | 'MultiLineString' | 'Polygon' | 'MultiPolygon';
export const SITE_GEOMETRY_TYPES: readonly SiteGeometryType[] = ['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];

/** A ring or line whose positions all passed, with its JSON pointer. */
export interface ParsedPath {
  path: string;
  coords: Position[];
}

export interface ParsedPolygon {
  path: string;
  /** null where the ring had invalid positions (already reported). */
  rings: (ParsedPath | null)[];
}

export type ParsedGeometry =
  | { type: 'Point'; point: Position | null }
  | { type: 'LineString' | 'MultiLineString'; lines: (ParsedPath | null)[] }
  | { type: 'Polygon' | 'MultiPolygon'; polygons: ParsedPolygon[] };

export interface ParseContext {
  issues: IssueList;
  /** Set when some position looks like [lat, lon] in China although it is in range. */
  suspectSwapped: boolean;
}

/** Validate one position; returns it as [lon, lat] or null after reporting. */
export function parsePosition(v: unknown, path: string, ctx: ParseContext): Position | null {
  if (!Array.isArray(v)) {
    ctx.issues.add(path, `坐标点必须是 [经度, 纬度] 数组，实际为${typeName(v)}`);
    return null;
  }
  if (v.length < 2) {
    ctx.issues.add(path, `坐标点至少需要经度和纬度两个数值，实际 ${v.length} 个`);
    return null;
  }
  let ok = true;
  for (let k = 0; k < Math.min(v.length, 3); k++) {
    const c: unknown = v[k];
    if (typeof c !== 'number') {
      ctx.issues.add(`${path}/${k}`, `坐标值必须是数字，实际为${typeName(c)}`);
      ok = false;
    } else if (!Number.isFinite(c)) {
      ctx.issues.add(`${path}/${k}`, `坐标值必须是有限数值，实际为 ${String(c)}`);
      ok = false;
    }
  }
  if (!ok) return null;
  const lon = v[0] as number, lat = v[1] as number;
  const lonBad = Math.abs(lon) > 180, latBad = Math.abs(lat) > 90;
  if (lonBad || latBad) {
    const parts: string[] = [];
    if (lonBad) parts.push(`经度 ${lon} 超出 [-180, 180]`);
    if (latBad) parts.push(`纬度 ${lat} 超出 [-90, 90]`);
    if (latBad && Math.abs(lon) <= 90 && Math.abs(lat) <= 180) parts.push(SWAP_HINT);
    ctx.issues.add(path, `坐标 ${fmtPos(lon, lat)} 无效：${parts.join('；')}`);
    return null;
  }
  if (lon >= 18 && lon <= 54 && lat >= 73 && lat <= 90) ctx.suspectSwapped = true;
  return [lon, lat];
}

/** Validate an array of positions (a line or a ring). */
function parsePositions(v: unknown, path: string, what: string, ctx: ParseContext): ParsedPath | null {
  if (!Array.isArray(v)) {
    ctx.issues.add(path, `${what}必须是坐标点数组，实际为${typeName(v)}`);
    return null;
  }
  const coords: Position[] = [];
  let ok = true;
  for (let i = 0; i < v.length; i++) {
    if (ctx.issues.full) return null;
    const p = parsePosition(v[i], `${path}/${i}`, ctx);
    if (p) coords.push(p);
    else ok = false;
  }
  return ok ? { path, coords } : null;
}

/** Validate a non-empty array and map its items. */
function parseList<T>(v: unknown, path: string, what: string, ctx: ParseContext, item: (x: unknown, p: string) => T): T[] {
  if (!Array.isArray(v)) {
    ctx.issues.add(path, `${what}必须是数组，实际为${typeName(v)}`);
    return [];
  }
  if (v.length === 0) {
    ctx.issues.add(path, `${what}不能为空`);
    return [];
  }
  const out: T[] = [];
  for (let i = 0; i < v.length; i++) {
    if (ctx.issues.full) break;
    out.push(item(v[i], `${path}/${i}`));
  }
  return out;
}

function parsePolygon(v: unknown, path: string, ctx: ParseContext): ParsedPolygon {
  const rings = parseList(v, path, 'Polygon 的坐标（环的列表）', ctx, (r, p) => parsePositions(r, p, '环', ctx));
  return { path, rings };
}

/** Parse the coordinates of a geometry of a known type. */
export function parseGeometry(type: SiteGeometryType, coordinates: unknown, ctx: ParseContext): ParsedGeometry {
  const path = '/coordinates';
  switch (type) {
    case 'Point':
      return { type, point: parsePosition(coordinates, path, ctx) };
    case 'LineString':
      return { type, lines: [parsePositions(coordinates, path, 'LineString 的坐标', ctx)] };
    case 'MultiLineString':
      return { type, lines: parseList(coordinates, path, 'MultiLineString 的坐标', ctx, (l, p) => parsePositions(l, p, 'LineString 的坐标', ctx)) };
    case 'Polygon':
      return { type, polygons: [parsePolygon(coordinates, path, ctx)] };
    case 'MultiPolygon':
      return { type, polygons: parseList(coordinates, path, 'MultiPolygon 的坐标', ctx, (p, pp) => parsePolygon(p, pp, ctx)) };
  }
}

/** Count positions at the nesting depth the type expects (junk elsewhere counts as 0). */
export function countPositions(type: SiteGeometryType, coordinates: unknown): number {
  const depth = type === 'Point' ? 0 : type === 'LineString' ? 1 : type === 'Polygon' || type === 'MultiLineString' ? 2 : 3;
  return count(coordinates, depth);
}

function count(v: unknown, depth: number): number {
  if (depth === 0) return 1;
  if (!Array.isArray(v)) return 0;
  if (depth === 1) return v.length;
  let n = 0;
  for (const x of v) n += count(x, depth - 1);
  return n;
}
