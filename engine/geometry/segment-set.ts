/**
 * Projected segment sets with a Flatbush index, for distance queries: build one from lines or
 * rings, test two sets for any intersection, find the closest pair of points between two sets.
 */
import Flatbush from 'flatbush';
import { pointSegmentDistance, segmentIntersection, SegHit } from './planar.js';
import type { LocalProjection } from './local-projection.js';
import type { Position } from './types.js';

export interface SegmentSet {
  /** Segments as x1, y1, x2, y2 (projected metres). A lone position is a zero-length segment. */
  segs: Float64Array;
  /** Vertices as x, y. */
  verts: Float64Array;
  /** Segment index; null for small sets, which are scanned (cheaper than building one). */
  index: Flatbush | null;
}

/** Sets of fewer segments than this are scanned rather than indexed. */
const INDEX_MIN_SEGMENTS = 32;

/** Project lines (or rings) and index their segments; null when there is no position at all. */
export function buildSegmentSet(lines: readonly (readonly Position[])[], proj: LocalProjection): SegmentSet | null {
  let nSegs = 0, nVerts = 0;
  for (const l of lines) {
    if (l.length === 0) continue;
    nVerts += l.length;
    nSegs += Math.max(1, l.length - 1);
  }
  if (nSegs === 0) return null;
  const segs = new Float64Array(nSegs * 4);
  const verts = new Float64Array(nVerts * 2);
  let s = 0, v = 0;
  for (const l of lines) {
    if (l.length === 0) continue;
    let px = NaN, py = NaN;
    l.forEach((p, i) => {
      const [x, y] = proj.forward(p[0], p[1]);
      verts[v++] = x; verts[v++] = y;
      if (i > 0) { segs[s++] = px; segs[s++] = py; segs[s++] = x; segs[s++] = y; }
      px = x; py = y;
    });
    if (l.length === 1) { segs[s++] = px; segs[s++] = py; segs[s++] = px; segs[s++] = py; }
  }
  if (nSegs < INDEX_MIN_SEGMENTS) return { segs, verts, index: null };
  const index = new Flatbush(nSegs);
  for (let i = 0; i < nSegs; i++) {
    const x1 = segs[4 * i], y1 = segs[4 * i + 1], x2 = segs[4 * i + 2], y2 = segs[4 * i + 3];
    index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
  }
  index.finish();
  return { segs, verts, index };
}

/** True when some segment of `a` intersects or touches some segment of `b`. */
export function segmentSetsIntersect(a: SegmentSet, b: SegmentSet): boolean {
  const [small, big] = a.segs.length <= b.segs.length ? [a, b] : [b, a];
  const s = small.segs, t = big.segs;
  for (let i = 0; i < s.length; i += 4) {
    const ax = s[i], ay = s[i + 1], bx = s[i + 2], by = s[i + 3];
    const meets = (j: number) => segmentIntersection(ax, ay, bx, by, t[4 * j], t[4 * j + 1], t[4 * j + 2], t[4 * j + 3]).kind !== SegHit.None;
    if (big.index) {
      if (big.index.collides(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), meets)) return true;
      continue;
    }
    for (let j = 0; j < t.length / 4; j++) {
      if (Math.max(t[4 * j], t[4 * j + 2]) < Math.min(ax, bx) || Math.min(t[4 * j], t[4 * j + 2]) > Math.max(ax, bx)) continue;
      if (Math.max(t[4 * j + 1], t[4 * j + 3]) < Math.min(ay, by) || Math.min(t[4 * j + 1], t[4 * j + 3]) > Math.max(ay, by)) continue;
      if (meets(j)) return true;
    }
  }
  return false;
}

/** The closest pair found so far: distance and the two points (on `a`, on `b`). */
export interface NearestPair {
  d: number;
  ax: number; ay: number;
  bx: number; by: number;
}

/**
 * Closest points between two segment sets that do not intersect: the minimum over the vertices
 * of each set to the segments of the other. Each query searches a box of the best distance so far.
 */
export function nearestPair(a: SegmentSet, b: SegmentSet): NearestPair {
  const best: NearestPair = { d: Infinity, ax: NaN, ay: NaN, bx: NaN, by: NaN };
  scan(a, b, best, false);
  scan(b, a, best, true);
  return best;
}

function scan(from: SegmentSet, to: SegmentSet, best: NearestPair, swapped: boolean): void {
  const v = from.verts, t = to.segs;
  const visit = (x: number, y: number, j: number): void => {
    const r = pointSegmentDistance(x, y, t[4 * j], t[4 * j + 1], t[4 * j + 2], t[4 * j + 3]);
    if (r.d < best.d) {
      best.d = r.d;
      if (swapped) { best.ax = r.x; best.ay = r.y; best.bx = x; best.by = y; }
      else { best.ax = x; best.ay = y; best.bx = r.x; best.by = r.y; }
    }
  };
  const index = to.index;
  const n = t.length / 4;
  for (let i = 0; i < v.length; i += 2) {
    const x = v[i], y = v[i + 1];
    if (!index) {
      for (let j = 0; j < n; j++) visit(x, y, j);
      continue;
    }
    if (best.d === Infinity) {
      const near = index.neighbors(x, y, 1);
      if (near.length) visit(x, y, near[0]);
    }
    const r = best.d;
    index.search(x - r, y - r, x + r, y + r, (j) => { visit(x, y, j); return false; });
  }
}
