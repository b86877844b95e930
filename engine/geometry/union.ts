/**
 * Union of a list of multipolygons (martinez-polygon-clipping, guarded: see clip.ts).
 * Every polygon of every input is merged pairwise in a balanced tree, so overlapping parts
 * within one input are dissolved too and n polygons cost O(log n) rounds.
 *
 * @example union([parcelA, parcelB]) // one polygon where they share an edge
 */
import { clip } from './clip.js';
import { cleanPolygons } from './clean-polygons.js';
import type { MultiPolygonCoords } from './types.js';

export function union(list: MultiPolygonCoords[]): MultiPolygonCoords {
  let layer: MultiPolygonCoords[] = [];
  for (const m of list) for (const poly of cleanPolygons(m)) layer.push([poly]);
  if (layer.length === 0) return [];
  if (layer.length === 1) return layer[0];
  while (layer.length > 1) {
    const next: MultiPolygonCoords[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      next.push(i + 1 < layer.length ? clip('union', layer[i], layer[i + 1]) : layer[i]);
    }
    layer = next;
  }
  return layer[0];
}
