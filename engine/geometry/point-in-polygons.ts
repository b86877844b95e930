/**
 * Point-in-polygon test over a multipolygon. The boundary (outer rings and hole rings) counts as
 * inside; the interiors of holes do not.
 *
 * @example pointInPolygons([0.5, 0.5], [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]) // true
 */
import { pointInRing } from './planar.js';
import type { MultiPolygonCoords, Position } from './types.js';

export function pointInPolygons(p: Position, polys: MultiPolygonCoords): boolean {
  const [x, y] = p;
  for (const poly of polys) {
    if (poly.length === 0) continue;
    const outer = pointInRing(x, y, poly[0]);
    if (outer === 0) return true;
    if (outer < 0) continue;
    let inHole = false;
    for (let h = 1; h < poly.length; h++) {
      const r = pointInRing(x, y, poly[h]);
      if (r === 0) return true;
      if (r > 0) { inHole = true; break; }
    }
    if (!inHole) return true;
  }
  return false;
}
