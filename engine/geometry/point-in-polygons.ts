/**
 * Point-in-polygon test over a multipolygon. The boundary (outer rings and hole rings) counts as
 * inside; the interiors of holes do not.
 *
 * @example pointInPolygons([0.5, 0.5], [[[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]]) // true
 */
import { classify } from './polygon-locator.js';
import type { MultiPolygonCoords, Position } from './types.js';

export function pointInPolygons(p: Position, polys: MultiPolygonCoords): boolean {
  return classify(p[0], p[1], polys.filter((poly) => poly.length > 0)) >= 0;
}
