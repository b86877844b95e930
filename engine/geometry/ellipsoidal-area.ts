/**
 * Ellipsoidal area on CGCS2000 with geographiclib's PolygonArea (edges are geodesics).
 *
 * @example
 * ellipsoidalArea([[[112.6, 26.9], [112.61, 26.9], [112.61, 26.91], [112.6, 26.91], [112.6, 26.9]]]);
 * // ≈ 1100687 m²
 */
import { newPolygonArea } from './geodesic.js';
import type { MultiPolygonCoords, PolygonCoords, Position } from './types.js';

/** Unsigned area of one ring in m², whatever its orientation; closing position optional. */
export function ringArea(ring: readonly Position[]): number {
  let n = ring.length;
  if (n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1]) n -= 1;
  if (n < 3) return 0;
  const pa = newPolygonArea();
  for (let i = 0; i < n; i++) pa.AddPoint(ring[i][1], ring[i][0]);
  const area = pa.Compute(false, true).area ?? 0;
  return Math.abs(area);
}

/** True when `polys` is a single polygon (list of rings) rather than a list of polygons. */
export function isPolygonCoords(polys: MultiPolygonCoords | PolygonCoords): polys is PolygonCoords {
  const first = polys[0] as unknown[] | undefined;
  const inner = first?.[0] as unknown[] | undefined;
  return inner !== undefined && typeof inner[0] === 'number';
}

/**
 * Area in m² of a polygon or multipolygon: each outer ring minus its holes, orientation-independent.
 * Parts of a multipolygon are assumed not to overlap (union them first if they may).
 */
export function ellipsoidalArea(polys: MultiPolygonCoords | PolygonCoords): number {
  const list: MultiPolygonCoords = isPolygonCoords(polys) ? [polys] : polys;
  let total = 0;
  for (const poly of list) {
    if (poly.length === 0) continue;
    let a = ringArea(poly[0]);
    for (let i = 1; i < poly.length; i++) a -= ringArea(poly[i]);
    total += a;
  }
  return total;
}
