/**
 * Cheap exact shortcut before clipping: when no edge of a layer polygon enters the site's bounding
 * box, the box lies wholly inside or wholly outside that polygon, and one point decides which.
 * Most small sites lie inside the zones they touch, so most clips are skipped.
 */
import { pointInPolygons, type BBox, type MultiPolygonCoords, type Position } from '../geometry/index.js';

export type Relation = 'inside' | 'outside' | 'clip';

export function relateBoxToPolygons(box: BBox, probe: Position, polys: MultiPolygonCoords, polysBox: BBox): Relation {
  // A polygon whose box is not around the site box may still reach into it: only edges tell.
  if (polysBox[0] >= box[0] && polysBox[2] <= box[2] && polysBox[1] >= box[1] && polysBox[3] <= box[3]) return 'clip';
  for (const poly of polys) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        if (segmentMeetsBox(ring[i - 1], ring[i], box)) return 'clip';
      }
    }
  }
  return pointInPolygons(probe, polys) ? 'inside' : 'outside';
}

/** Whether segment ab meets the closed box (Liang–Barsky clipping). */
function segmentMeetsBox(a: Position, b: Position, [x0, y0, x1, y1]: BBox): boolean {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  let t0 = 0;
  let t1 = 1;
  const p = [-dx, dx, -dy, dy];
  const q = [a[0] - x0, x1 - a[0], a[1] - y0, y1 - a[1]];
  for (let i = 0; i < 4; i++) {
    if (p[i] === 0) {
      if (q[i] < 0) return false;
    } else {
      const r = q[i] / p[i];
      if (p[i] < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
    }
  }
  return true;
}
