/**
 * Intersection of two multipolygons (martinez-polygon-clipping, guarded: see clip.ts).
 * Parts that only touch along an edge or at a point give no polygon.
 *
 * @example intersect(site.polygons, layerPolygons) // the part of the site inside the layer
 */
import { bboxIntersects, bboxOf } from './bbox.js';
import { clip } from './clip.js';
import type { MultiPolygonCoords } from './types.js';

export function intersect(a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  if (a.length === 0 || b.length === 0) return [];
  if (!bboxIntersects(bboxOf(a), bboxOf(b))) return [];
  return clip('intersection', a, b);
}
