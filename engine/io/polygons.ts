/** Small polygon helpers shared by the readers: orientation, area check, assembling parcels. */
import { ellipsoidalArea } from '../geometry/index.js';
import type { LonLat, SiteGeometry, SiteParcel } from './types.js';

/** Twice the signed planar area of an open or closed ring in lon/lat (>0: counter-clockwise). */
export function signedArea2(ring: readonly LonLat[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s;
}

/**
 * Open rings → closed rings in RFC 7946 orientation (outer counter-clockwise, holes clockwise),
 * carrying a parallel per-vertex tag array (the file's line numbers) through the reversal.
 */
export function orientPolygon<T>(rings: LonLat[][], tags: T[][]): { rings: LonLat[][]; lines: T[][] } {
  const outRings: LonLat[][] = [];
  const outTags: T[][] = [];
  rings.forEach((ring, k) => {
    let r = ring.slice();
    let t = tags[k].slice();
    const ccw = signedArea2(r) > 0;
    if ((k === 0) !== ccw) {
      // reverse, keeping the first vertex first
      r = [r[0], ...r.slice(1).reverse()];
      t = [t[0], ...t.slice(1).reverse()];
    }
    if (r.length && (r[0][0] !== r[r.length - 1][0] || r[0][1] !== r[r.length - 1][1])) r.push([r[0][0], r[0][1]]);
    outRings.push(r);
    outTags.push(t);
  });
  return { rings: outRings, lines: outTags };
}

/**
 * Declared area (公顷) against the ellipsoidal area: a message when they differ by more than 0.1 %
 * (and by more than half a unit of the declared figure's last digit, so rounding alone never
 * warns); null when they agree or nothing was declared.
 */
export function areaCheck(declaredHa: number | null, declaredText: string, computedHa: number, planarHa: number | null): string | null {
  if (declaredHa === null || !(computedHa > 0)) return null;
  const decimals = /\.(\d+)/.exec(declaredText)?.[1].length ?? 0;
  const halfUnit = 0.5 * 10 ** -decimals;
  const diff = Math.abs(declaredHa - computedHa);
  if (diff <= Math.max(0.001 * computedHa, halfUnit)) return null;
  const pct = ((declaredHa - computedHa) / computedHa) * 100;
  let msg = `申报面积 ${declaredHa} 公顷与按界址点计算的椭球面积 ${computedHa.toFixed(4)} 公顷相差 ${pct > 0 ? '+' : ''}${pct.toFixed(2)}%（超过 0.1%）`;
  if (planarHa !== null && Math.abs(declaredHa - planarHa) <= Math.max(0.001 * planarHa, halfUnit)) {
    msg += `；与高斯平面面积 ${planarHa.toFixed(4)} 公顷相符，申报面积可能是平面面积而非椭球面积`;
  }
  return msg;
}

/** One parcel → its geometry; several polygonal parcels → a MultiPolygon of all their polygons. */
export function combineParcels(parcels: SiteParcel[]): SiteGeometry | null {
  if (parcels.length === 1) return parcels[0].geometry;
  if (parcels.every((p) => p.geometry.type === 'Polygon' || p.geometry.type === 'MultiPolygon')) {
    const coords: LonLat[][][] = [];
    for (const p of parcels) {
      if (p.geometry.type === 'Polygon') coords.push(p.geometry.coordinates);
      else if (p.geometry.type === 'MultiPolygon') coords.push(...p.geometry.coordinates);
    }
    return { type: 'MultiPolygon', coordinates: coords };
  }
  if (parcels.every((p) => p.geometry.type === 'LineString' || p.geometry.type === 'MultiLineString')) {
    const coords: LonLat[][] = [];
    for (const p of parcels) {
      if (p.geometry.type === 'LineString') coords.push(p.geometry.coordinates);
      else if (p.geometry.type === 'MultiLineString') coords.push(...p.geometry.coordinates);
    }
    return { type: 'MultiLineString', coordinates: coords };
  }
  return null;
}

/** Ellipsoidal area in hectares of a polygonal geometry; null for points and lines. */
export function areaHaOf(g: SiteGeometry): number | null {
  if (g.type === 'Polygon') return ellipsoidalArea(g.coordinates) / 1e4;
  if (g.type === 'MultiPolygon') return ellipsoidalArea(g.coordinates) / 1e4;
  return null;
}
