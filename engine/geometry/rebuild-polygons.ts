/**
 * Rebuilds polygon structure from a set of rings whose edges do not cross (the boundary of a
 * clipping result), ignoring the orientation and nesting the producer gave them.
 *
 * martinez sometimes returns a "figure-8" ring through a point where two result polygons touch,
 * traversing the lobes in opposite directions, or nests rings inconsistently. Here every ring is
 * split at repeated vertices into simple loops; loops are nested by containment: a loop inside an
 * even number of loops is a shell, inside an odd number a hole of its smallest container.
 */
import Flatbush from 'flatbush';
import { cleanRing, orientRing } from './clean-polygons.js';
import { pointInRing, ringSignedArea2 } from './planar.js';
import type { MultiPolygonCoords, Position, Ring } from './types.js';

/** Loops smaller than this (deg², ≈1e-8 m²) are dropped as numerical dust. */
const MIN_LOOP_AREA = 1e-18;

/** Split a ring into simple loops at repeated vertices. */
export function splitLoops(ring: readonly Position[]): Ring[] {
  const loops: Ring[] = [];
  const stack: Position[] = [];
  const at = new Map<string, number>();
  const n = ring.length > 1 && ring[0][0] === ring[ring.length - 1][0] && ring[0][1] === ring[ring.length - 1][1]
    ? ring.length - 1 : ring.length;
  for (let i = 0; i <= n; i++) {
    const p = ring[i % n];
    const key = `${p[0]},${p[1]}`;
    const j = at.get(key);
    if (j !== undefined) {
      const loop = stack.splice(j);
      for (const q of loop) at.delete(`${q[0]},${q[1]}`);
      loop.push([p[0], p[1]]);
      if (loop.length >= 4) loops.push(loop);
    }
    at.set(key, stack.length);
    stack.push([p[0], p[1]]);
  }
  return loops;
}

interface Loop {
  ring: Ring;
  area: number;
  box: [number, number, number, number];
  parent: number;
  depth: number;
}

/** Build shells with holes from non-crossing rings (any orientation, any grouping). */
export function rebuildPolygons(rings: readonly (readonly Position[])[]): MultiPolygonCoords {
  const loops: Loop[] = [];
  for (const r of rings) {
    for (const l of splitLoops(r)) {
      const c = cleanRing(l);
      if (!c) continue;
      const area = Math.abs(ringSignedArea2(c)) / 2;
      if (area < MIN_LOOP_AREA) continue;
      let a = Infinity, b = Infinity, x2 = -Infinity, y2 = -Infinity;
      for (const [x, y] of c) {
        if (x < a) a = x;
        if (y < b) b = y;
        if (x > x2) x2 = x;
        if (y > y2) y2 = y;
      }
      loops.push({ ring: c, area, box: [a, b, x2, y2], parent: -1, depth: 0 });
    }
  }
  if (loops.length === 0) return [];
  loops.sort((p, q) => q.area - p.area);
  if (loops.length > 1) {
    const index = new Flatbush(loops.length);
    for (const l of loops) index.add(l.box[0], l.box[1], l.box[2], l.box[3]);
    index.finish();
    loops.forEach((l, i) => {
      let best = -1;
      for (const j of index.search(l.box[0], l.box[1], l.box[2], l.box[3])) {
        if (j >= i) continue; // only larger loops can contain this one
        const o = loops[j];
        if (!(o.box[0] <= l.box[0] && o.box[1] <= l.box[1] && o.box[2] >= l.box[2] && o.box[3] >= l.box[3])) continue;
        if (best !== -1 && o.area >= loops[best].area) continue;
        if (inside(l.ring, o.ring)) best = j;
      }
      l.parent = best;
    });
  }
  // loops are sorted by decreasing area, so parents come first
  for (const l of loops) l.depth = l.parent === -1 ? 0 : loops[l.parent].depth + 1;
  const shellOf = new Map<number, Ring[]>();
  const out: MultiPolygonCoords = [];
  loops.forEach((l, i) => {
    if (l.depth % 2 === 0) {
      const poly: Ring[] = [orientRing(l.ring, true)];
      shellOf.set(i, poly);
      out.push(poly);
    } else {
      shellOf.get(l.parent)?.push(orientRing(l.ring, false));
    }
  });
  return out;
}

/** Whether ring `a` lies inside ring `b` (judged at its first vertex off b's boundary). */
function inside(a: Ring, b: Ring): boolean {
  for (const [x, y] of a) {
    const s = pointInRing(x, y, b);
    if (s !== 0) return s > 0;
  }
  // every vertex on b's boundary: compare an edge midpoint
  for (let i = 0; i + 1 < a.length; i++) {
    const s = pointInRing((a[i][0] + a[i + 1][0]) / 2, (a[i][1] + a[i + 1][1]) / 2, b);
    if (s !== 0) return s > 0;
  }
  return false;
}
