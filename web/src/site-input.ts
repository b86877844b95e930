/**
 * Reading a site typed, pasted or uploaded in the page: GeoJSON (Geometry, Feature or
 * FeatureCollection), plain "经度,纬度" lines, and — for the map preview only — 界址点坐标 TXT
 * (CGCS2000 Gauss–Krüger, 3° or 6° zones). The server reads the TXT file itself; this preview
 * only draws it.
 */
import type { Geometry, Position } from './types.js';

export class SiteInputError extends Error {}

/** A site geometry from GeoJSON text or coordinate lines. */
export function parseSiteText(text: string): Geometry {
  const t = text.trim();
  if (!t) throw new SiteInputError('内容为空');
  if (t.startsWith('{') || t.startsWith('[')) {
    let obj: unknown;
    try {
      obj = JSON.parse(t);
    } catch (e) {
      throw new SiteInputError(`不是有效的 JSON：${(e as Error).message}`);
    }
    if (Array.isArray(obj)) return fromPositions(obj.map((p, i) => toPosition(p, i + 1)));
    return fromGeoJson(obj);
  }
  const positions: Position[] = [];
  t.split(/\r?\n/).forEach((line, i) => {
    const s = line.trim();
    if (!s || s.startsWith('#')) return;
    const nums = s.split(/[\s,，;；]+/).filter(Boolean).map(Number);
    if (nums.length < 2 || !nums.slice(0, 2).every(Number.isFinite)) throw new SiteInputError(`第 ${i + 1} 行不是“经度,纬度”：${s.slice(0, 40)}`);
    positions.push([nums[0], nums[1]]);
  });
  return fromPositions(positions);
}

function toPosition(p: unknown, n: number): Position {
  if (!Array.isArray(p) || p.length < 2 || typeof p[0] !== 'number' || typeof p[1] !== 'number') throw new SiteInputError(`第 ${n} 个坐标不是 [经度, 纬度]`);
  return [p[0], p[1]];
}

function fromPositions(ps: Position[]): Geometry {
  if (ps.length === 0) throw new SiteInputError('没有坐标');
  if (ps.length === 1) return { type: 'Point', coordinates: ps[0] };
  if (ps.length < 3) throw new SiteInputError('多边形至少需要 3 个顶点（一个点位只需 1 行）');
  const ring = ps.slice();
  const a = ring[0];
  const b = ring[ring.length - 1];
  if (a[0] !== b[0] || a[1] !== b[1]) ring.push([a[0], a[1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** A Geometry, a Feature, or a FeatureCollection (its polygons merged into one MultiPolygon). */
export function fromGeoJson(obj: unknown): Geometry {
  const o = obj as { type?: string; geometry?: unknown; features?: unknown[]; coordinates?: unknown };
  if (!o || typeof o !== 'object') throw new SiteInputError('不是 GeoJSON 对象');
  if (o.type === 'Feature') return fromGeoJson(o.geometry);
  if (o.type === 'FeatureCollection') {
    const geoms = (o.features ?? []).map((f) => fromGeoJson(f));
    if (geoms.length === 0) throw new SiteInputError('FeatureCollection 中没有要素');
    if (geoms.length === 1) return geoms[0];
    const polys: Position[][][] = [];
    for (const g of geoms) {
      if (g.type === 'Polygon') polys.push(g.coordinates);
      else if (g.type === 'MultiPolygon') polys.push(...g.coordinates);
      else throw new SiteInputError('多个要素时只支持面（Polygon / MultiPolygon）');
    }
    return { type: 'MultiPolygon', coordinates: polys };
  }
  if (['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'].includes(String(o.type))) {
    if (!Array.isArray(o.coordinates)) throw new SiteInputError('缺少 coordinates');
    return o as Geometry;
  }
  throw new SiteInputError(`不支持的 GeoJSON 类型：${String(o.type)}`);
}

export function looksLikeSurveyTxt(text: string): boolean {
  return /[[【［]\s*地块坐标\s*[\]】］]/.test(text);
}

// ---- 界址点坐标 TXT (preview) ------------------------------------------------------------

const ascii = (s: string) =>
  s.replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48)).replace(/[．]/g, '.').replace(/[，]/g, ',').replace(/[＝]/g, '=').replace(/＠/g, '@').trim();

/** Parses a 界址点坐标 file into lon/lat (for drawing); throws SiteInputError on what it cannot read. */
export function parseSurveyTxt(text: string): Geometry {
  const header = new Map<string, string>();
  let section = '';
  const parcels: Map<number, Position[]>[] = [];
  let zone: number | null = null;
  let width: 3 | 6 = 3;
  const raw: { parcel: number; ring: number; x: number; y: number }[] = [];
  for (const line0 of text.split(/\r\n|\r|\n/)) {
    const line = ascii(line0);
    if (!line) continue;
    const sec = /^[[【［]\s*(.*?)\s*[\]】］]$/.exec(line);
    if (sec) {
      section = sec[1];
      continue;
    }
    if (section === '属性描述') {
      const m = /^([^=]+)=(.*)$/.exec(line);
      if (m) header.set(m[1].trim(), m[2].trim());
      continue;
    }
    if (section !== '地块坐标') continue;
    if (line.endsWith('@')) {
      parcels.push(new Map());
      continue;
    }
    const f = line.split(',').map((s) => s.trim());
    if (f.length < 4) continue;
    const ring = Number(f[1]);
    const x = Number(f[2]);
    const y = Number(f[3]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new SiteInputError(`坐标不是数值：${line0.trim().slice(0, 60)}`);
    if (parcels.length === 0) parcels.push(new Map());
    raw.push({ parcel: parcels.length - 1, ring: Number.isFinite(ring) ? ring : 1, x, y });
  }
  if (raw.length === 0) throw new SiteInputError('没有读到 [地块坐标] 中的界址点');
  const z = Number(header.get('带号'));
  if (Number.isInteger(z) && z > 0) zone = z;
  if (header.get('几度分带') === '6') width = 6;
  for (const p of raw) {
    let easting = p.y;
    if (easting >= 1e7) {
      const prefix = Math.floor(easting / 1e6);
      zone ??= prefix;
      easting -= prefix * 1e6;
    }
    if (zone === null) throw new SiteInputError('无法确定高斯–克吕格带号（缺少“带号=”且 Y 坐标无带号前缀）');
    const lon0 = width === 3 ? zone * 3 : zone * 6 - 3;
    const ll = gkInverse(p.x, easting - 500000, lon0);
    const rings = parcels[p.parcel];
    const list = rings.get(p.ring) ?? [];
    list.push(ll);
    rings.set(p.ring, list);
  }
  const polys: Position[][][] = [];
  for (const rings of parcels) {
    if (rings.size === 0) continue;
    const ordered = [...rings.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => close(r));
    polys.push(ordered);
  }
  if (polys.length === 0) throw new SiteInputError('没有读到地块');
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}

function close(r: Position[]): Position[] {
  const a = r[0];
  const b = r[r.length - 1];
  return a[0] === b[0] && a[1] === b[1] ? r : [...r, [a[0], a[1]]];
}

/**
 * Inverse transverse Mercator (Gauss–Krüger, scale 1) on the CGCS2000 ellipsoid by Krüger's series
 * to n⁴ (millimetre accuracy within a zone): northing x, false-easting-free easting y → [lon, lat].
 */
export function gkInverse(x: number, y: number, lon0: number): Position {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const n = f / (2 - f);
  const n2 = n * n, n3 = n2 * n, n4 = n3 * n;
  const A = (a / (1 + n)) * (1 + n2 / 4 + n4 / 64);
  const beta = [n / 2 - (2 * n2) / 3 + (37 * n3) / 96 - n4 / 360, n2 / 48 + n3 / 15 - (437 * n4) / 1440, (17 * n3) / 480 - (37 * n4) / 840, (4397 * n4) / 161280];
  const delta = [2 * n - (2 * n2) / 3 - 2 * n3 + (116 * n4) / 45, (7 * n2) / 3 - (8 * n3) / 5 - (227 * n4) / 45, (56 * n3) / 15 - (136 * n4) / 35, (4279 * n4) / 630];
  const xi = x / A;
  const eta = y / A;
  let xi1 = xi;
  let eta1 = eta;
  for (let j = 1; j <= 4; j++) {
    xi1 -= beta[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
    eta1 -= beta[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
  }
  const chi = Math.asin(Math.sin(xi1) / Math.cosh(eta1));
  let phi = chi;
  for (let j = 1; j <= 4; j++) phi += delta[j - 1] * Math.sin(2 * j * chi);
  const lon = lon0 + (Math.atan2(Math.sinh(eta1), Math.cos(xi1)) * 180) / Math.PI;
  return [lon, (phi * 180) / Math.PI];
}

/** [lon, lat] positions of any geometry (for bounds). */
export function positionsOf(g: Geometry): Position[] {
  switch (g.type) {
    case 'Point': return [g.coordinates];
    case 'LineString': return g.coordinates;
    case 'MultiLineString': return g.coordinates.flat();
    case 'Polygon': return g.coordinates.flat();
    case 'MultiPolygon': return g.coordinates.flat(2);
  }
}
