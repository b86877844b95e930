/**
 * Cheap exact shortcut before clipping: when no edge of a layer polygon enters the site's bounding
 * box, the box lies wholly inside or wholly outside that polygon, and one point decides which.
 * Most small sites lie inside the zones they touch, so most clips are skipped.
 */
import type { BBox, MultiPolygonCoords, Position } from '../geometry/index.js';
import { classifyPacked, PackedPolygons } from '../geometry/packed.js';

export type Relation = 'inside' | 'outside' | 'clip';

export function relateBoxToPolygons(box: BBox, probe: Position, input: PackedPolygons | MultiPolygonCoords, polysBox: BBox): Relation {
  // A polygon whose box is not around the site box may still reach into it: only edges tell.
  if (polysBox[0] >= box[0] && polysBox[2] <= box[2] && polysBox[1] >= box[1] && polysBox[3] <= box[3]) return 'clip';
  const polys = input instanceof PackedPolygons ? input : PackedPolygons.pack(input);
  const P = polys.xy;
  for (let r = polys.r0; r < polys.r1; r++) {
    for (let i = polys.ringStart(r) + 1; i < polys.ringEnd(r); i++) {
      if (segmentMeetsBox(P[2 * i - 2], P[2 * i - 1], P[2 * i], P[2 * i + 1], box)) return 'clip';
    }
  }
  return classifyPacked(probe[0], probe[1], polys) >= 0 ? 'inside' : 'outside';
}

/** Whether segment ab meets the closed box (Liang–Barsky clipping; allocation-free: it runs per edge). */
function segmentMeetsBox(ax: number, ay: number, bx: number, by: number, box: BBox): boolean {
  const x0 = box[0], y0 = box[1], x1 = box[2], y1 = box[3];
  // The common case: the segment's own box misses the box.
  if ((ax < x0 && bx < x0) || (ax > x1 && bx > x1) || (ay < y0 && by < y0) || (ay > y1 && by > y1)) return false;
  const dx = bx - ax, dy = by - ay;
  let t0 = 0, t1 = 1;
  for (let i = 0; i < 4; i++) {
    const p = i === 0 ? -dx : i === 1 ? dx : i === 2 ? -dy : dy;
    const q = i === 0 ? ax - x0 : i === 1 ? x1 - ax : i === 2 ? ay - y0 : y1 - ay;
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const r = q / p;
      if (p < 0) {
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
