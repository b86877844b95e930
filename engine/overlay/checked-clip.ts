/**
 * The overlay's clipping with a cheaper check: exactly what geometry/intersect.ts and
 * geometry/union.ts return when their verification passes (the same cleaning, local origin and
 * single martinez run, so the same polygons to the last bit), but verified against the exact
 * overlap area measured independently by overlap-area.ts instead of by a second martinez run and
 * point probes. Whenever the areas disagree the verified general path runs, as before.
 *
 * Why it is safe: the general path's checks exist because martinez sometimes returns a wrong
 * polygon (a face on the wrong side, a lost piece); any such error changes the result's area,
 * which the boundary-classification area computed here without martinez catches.
 */
import * as martinez from 'martinez-polygon-clipping';
import { bboxIntersects, bboxOf, ellipsoidalArea, intersect, union, type MultiPolygonCoords, type Position } from '../geometry/index.js';
import { cleanPolygons } from '../geometry/clean-polygons.js';
import { rebuildPolygons } from '../geometry/rebuild-polygons.js';

function shift(m: MultiPolygonCoords, dx: number, dy: number): MultiPolygonCoords {
  return m.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x + dx, y + dy] as Position)));
}

/** One martinez run in the local frame, rebuilt and moved back: clip.ts's result at its first attempt. */
function firstAttempt(op: 'intersection' | 'union', a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  const ca = cleanPolygons(a);
  const cb = cleanPolygons(b);
  if (ca.length === 0) return op === 'union' ? cb : [];
  if (cb.length === 0) return op === 'intersection' ? [] : ca;
  const box = bboxOf([ca, cb] as unknown as Position[][][][]);
  const ox = box[0], oy = box[1];
  const sa = shift(ca, -ox, -oy);
  const sb = shift(cb, 0 - ox, 0.618 * 0 - oy);
  const r = (op === 'intersection' ? martinez.intersection : martinez.union)(sa as martinez.Geometry, sb as martinez.Geometry);
  const main = !r || r.length === 0 ? [] : rebuildPolygons(((typeof (r as number[][][])[0][0][0] === 'number' ? [r] : r) as MultiPolygonCoords).flat());
  return cleanPolygons(shift(main, ox, oy));
}

function agree(area: number, expected: number): boolean {
  return Math.abs(area - expected) <= 1e-8 * Math.max(area, expected) + 1e-5;
}

/** a ∩ b, with its ellipsoidal area, given the exact overlap area `expected` (m²). */
export function intersectChecked(a: MultiPolygonCoords, b: MultiPolygonCoords, expected: number): { pieces: MultiPolygonCoords; area: number } {
  if (a.length && b.length && bboxIntersects(bboxOf(a), bboxOf(b))) {
    try {
      const pieces = firstAttempt('intersection', a, b);
      const area = ellipsoidalArea(pieces);
      if (agree(area, expected)) return { pieces, area };
    } catch {
      /* the general path retries */
    }
  }
  const pieces = intersect(a, b);
  return { pieces, area: ellipsoidalArea(pieces) };
}

/**
 * The union of polygon sets known not to overlap one another, whose areas add up to `expected`
 * (m²): union.ts's balanced pairwise merge at first attempts, checked by area at the end.
 */
export function unionChecked(list: MultiPolygonCoords[], expected: number): MultiPolygonCoords {
  try {
    let layer: MultiPolygonCoords[] = [];
    for (const m of list) for (const poly of cleanPolygons(m)) layer.push([poly]);
    if (layer.length === 0) return [];
    while (layer.length > 1) {
      const next: MultiPolygonCoords[] = [];
      for (let i = 0; i < layer.length; i += 2) next.push(i + 1 < layer.length ? firstAttempt('union', layer[i], layer[i + 1]) : layer[i]);
      layer = next;
    }
    if (agree(ellipsoidalArea(layer[0]), expected)) return layer[0];
  } catch {
    /* the general path retries */
  }
  return union(list);
}
