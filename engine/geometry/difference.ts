/**
 * Difference a − b of two multipolygons (martinez-polygon-clipping, guarded: see clip.ts).
 *
 * @example difference(site.polygons, urbanBoundary) // the part of the site outside the boundary
 */
import { bboxIntersects, bboxOf } from './bbox.js';
import { clip } from './clip.js';
import { cleanPolygons } from './clean-polygons.js';
import type { MultiPolygonCoords } from './types.js';

export function difference(a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  if (a.length === 0) return [];
  if (b.length === 0 || !bboxIntersects(bboxOf(a), bboxOf(b))) return cleanPolygons(a);
  return clip('difference', a, b);
}
