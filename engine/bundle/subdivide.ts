/**
 * Splits a large polygon into pieces of at most `maxVertices` vertices by halving its bounding box
 * (the idea of PostGIS ST_Subdivide). Pieces partition the polygon: their areas add up to its area,
 * so a small site is clipped against a few dozen vertices instead of the whole zone.
 */
import { bboxOf, intersect, type BBox, type MultiPolygonCoords } from '../geometry/index.js';

export const DEFAULT_PIECE_VERTICES = 64;

export function subdivide(polys: MultiPolygonCoords, maxVertices = DEFAULT_PIECE_VERTICES, depth = 0): { polygons: MultiPolygonCoords; bbox: BBox }[] {
  const bbox = bboxOf(polys);
  if (vertexCount(polys) <= maxVertices || depth >= 16) return [{ polygons: polys, bbox }];
  const [w, s, e, n] = bbox;
  const halves: BBox[] = e - w >= n - s
    ? [[w, s, (w + e) / 2, n], [(w + e) / 2, s, e, n]]
    : [[w, s, e, (s + n) / 2], [w, (s + n) / 2, e, n]];
  const out: { polygons: MultiPolygonCoords; bbox: BBox }[] = [];
  for (const [x0, y0, x1, y1] of halves) {
    const rect: MultiPolygonCoords = [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];
    const part = intersect(polys, rect);
    if (part.length) out.push(...subdivide(part, maxVertices, depth + 1));
  }
  return out;
}

function vertexCount(polys: MultiPolygonCoords): number {
  let n = 0;
  for (const p of polys) for (const r of p) n += r.length;
  return n;
}
