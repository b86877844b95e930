/**
 * Exact overlap areas without building the overlap polygons: the fast path of overlaySite.
 *
 * By Green's theorem the area of A ∩ B is the sum, over the directed boundary of A ∩ B, of each
 * edge's contribution; geographiclib's polygon area is such a sum (S12, the area between an
 * edge's geodesic and the equator). The boundary of A ∩ B is made of the pieces of A's edges that
 * lie inside B and the pieces of B's edges that lie inside A, plus edges the two share with both
 * interiors on the same side (counted once). So: split every edge of A and B at their mutual
 * intersections, classify each sub-segment by its midpoint (inside / outside / along the other
 * boundary, same or opposite direction), and add S12 of the contributing ones. The result is the
 * ellipsoidal area (CGCS2000, geodesic edges) of the same polygon the general clipper would
 * build, up to rounding (~1e-6 m²); no polygon is built, nothing needs verifying, and an
 * overlap costs a few dozen segment tests and geodesic inverses instead of two martinez runs and
 * point probes.
 *
 * Every step that cannot decide (a sub-segment's midpoint on the other boundary without a
 * recorded overlap, a longitude outside (0°, 180°), an area outside [0, |A|]) returns null and
 * the caller falls back to the general clipper (geometry/intersect.ts).
 *
 * interiorsMeet(P, Q) answers with the same classification whether two polygons share interior
 * points: features of one kind should not overlap, and when none of a constraint's features do,
 * the constraint's area is the sum of its features' areas (no union needed).
 */
import Flatbush from 'flatbush';
import { CGCS2000_A, CGCS2000_F, geod, GeodesicMask } from '../geometry/geodesic.js';
import { classify, polygonLocator, type Locate } from '../geometry/polygon-locator.js';
import { orient } from '../geometry/planar.js';
import type { BBox, MultiPolygonCoords } from '../geometry/types.js';

/** Oriented edges of a multipolygon: shells counter-clockwise, holes clockwise. */
export interface EdgeSet {
  /** x1, y1, x2, y2 per edge. */
  xy: Float64Array;
  n: number;
  box: BBox;
  /** Edge index (large sets only). */
  index: Flatbush | null;
  locate: Locate;
}

const INDEX_MIN_EDGES = 48;

export function edgeSet(m: MultiPolygonCoords, withLocator = true): EdgeSet | null {
  let n = 0;
  for (const poly of m) for (const ring of poly) n += Math.max(0, ring.length - 1);
  const xy = new Float64Array(n * 4);
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  let e = 0;
  for (const poly of m) {
    for (let r = 0; r < poly.length; r++) {
      const ring = poly[r];
      const len = ring.length;
      if (len < 2) continue;
      if (ring[0][0] !== ring[len - 1][0] || ring[0][1] !== ring[len - 1][1]) return null; // open ring: not ours to judge
      let a2 = 0;
      const ox = ring[0][0], oy = ring[0][1];
      for (let i = 1; i + 1 < len; i++) a2 += (ring[i][0] - ox) * (ring[i + 1][1] - oy) - (ring[i + 1][0] - ox) * (ring[i][1] - oy);
      const forward = r === 0 ? a2 > 0 : a2 < 0;
      for (let i = 0; i + 1 < len; i++) {
        const p = forward ? ring[i] : ring[len - 1 - i];
        const q = forward ? ring[i + 1] : ring[len - 2 - i];
        xy[4 * e] = p[0]; xy[4 * e + 1] = p[1]; xy[4 * e + 2] = q[0]; xy[4 * e + 3] = q[1];
        e++;
        if (p[0] < box[0]) box[0] = p[0];
        if (p[1] < box[1]) box[1] = p[1];
        if (p[0] > box[2]) box[2] = p[0];
        if (p[1] > box[3]) box[3] = p[1];
      }
    }
  }
  if (!(box[0] > 0 && box[2] < 180)) return null; // S12 sums assume no crossing of 0° or 180°
  let index: Flatbush | null = null;
  if (n >= INDEX_MIN_EDGES) {
    index = new Flatbush(n);
    for (let i = 0; i < n; i++) {
      const x1 = xy[4 * i], y1 = xy[4 * i + 1], x2 = xy[4 * i + 2], y2 = xy[4 * i + 3];
      index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
    }
    index.finish();
  }
  const locate: Locate = withLocator ? polygonLocator(m) : (x, y) => classify(x, y, m);
  return { xy, n, box, index, locate };
}

/** Split points of one edge: parameter t along it, the point, and overlap intervals with the other set. */
interface Splits { t: number[]; x: number[]; y: number[]; /** [t0, t1, same ? 1 : -1] */ overlaps: number[] }

const SAME = 1, OPPOSITE = -1;

function addSplit(s: Splits, t: number, x: number, y: number): void {
  s.t.push(t);
  s.x.push(x);
  s.y.push(y);
}

function paramOn(x1: number, y1: number, x2: number, y2: number, x: number, y: number): number {
  const dx = x2 - x1, dy = y2 - y1;
  return ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy);
}

/**
 * Intersections of edge i of `a` with edge j of `b`, recorded as split points on both (the same
 * coordinates on both sides) and, for collinear overlaps, as intervals with their direction.
 * Returns false when the configuration is degenerate beyond what the classification handles.
 */
function intersectEdges(a: EdgeSet, i: number, b: EdgeSet, j: number, sa: Splits, sb: Splits): boolean {
  const A = a.xy, B = b.xy;
  const ax = A[4 * i], ay = A[4 * i + 1], bx = A[4 * i + 2], by = A[4 * i + 3];
  const cx = B[4 * j], cy = B[4 * j + 1], dx = B[4 * j + 2], dy = B[4 * j + 3];
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx) || Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return true;
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: the overlap along the dominant axis, its ends are input vertices.
    const useX = Math.abs(bx - ax) + Math.abs(dx - cx) >= Math.abs(by - ay) + Math.abs(dy - cy);
    const ka = useX ? [ax, bx] : [ay, by], kc = useX ? [cx, dx] : [cy, dy];
    const lo = Math.max(Math.min(ka[0], ka[1]), Math.min(kc[0], kc[1]));
    const hi = Math.min(Math.max(ka[0], ka[1]), Math.max(kc[0], kc[1]));
    if (lo > hi) return true;
    const pts: [number, number][] = [[ax, ay], [bx, by], [cx, cy], [dx, dy]];
    const at = (v: number) => pts.find((p) => (useX ? p[0] : p[1]) === v)!;
    const pLo = at(lo), pHi = at(hi);
    const tLo = paramOn(ax, ay, bx, by, pLo[0], pLo[1]), tHi = paramOn(ax, ay, bx, by, pHi[0], pHi[1]);
    const uLo = paramOn(cx, cy, dx, dy, pLo[0], pLo[1]), uHi = paramOn(cx, cy, dx, dy, pHi[0], pHi[1]);
    for (const [t, u, p] of [[tLo, uLo, pLo], [tHi, uHi, pHi]] as [number, number, [number, number]][]) {
      if (t > 0 && t < 1) addSplit(sa, t, p[0], p[1]);
      if (u > 0 && u < 1) addSplit(sb, u, p[0], p[1]);
    }
    if (lo < hi) {
      const same = (bx - ax) * (dx - cx) + (by - ay) * (dy - cy) > 0 ? SAME : OPPOSITE;
      sa.overlaps.push(Math.min(tLo, tHi), Math.max(tLo, tHi), same);
      sb.overlaps.push(Math.min(uLo, uHi), Math.max(uLo, uHi), same);
    }
    return true;
  }
  if (d1 * d2 < 0 && d3 * d4 < 0) {
    const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
    const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
    const x = ax + t * (bx - ax), y = ay + t * (by - ay);
    addSplit(sa, t, x, y);
    addSplit(sb, paramOn(cx, cy, dx, dy, x, y), x, y);
    return true;
  }
  // Touching: an endpoint of one on the other, exactly (orientation tolerance) or within NEAR
  // (a vertex interpolated on a shared edge, e.g. a subdivision cut, is off it by rounding).
  touch(ax, ay, cx, cy, dx, dy, d1, sb);
  touch(bx, by, cx, cy, dx, dy, d2, sb);
  touch(cx, cy, ax, ay, bx, by, d3, sa);
  touch(dx, dy, ax, ay, bx, by, d4, sa);
  return true;
}

function touch(px: number, py: number, x1: number, y1: number, x2: number, y2: number, side: number, s: Splits): void {
  if (side === 0) {
    if (Math.min(x1, x2) <= px && px <= Math.max(x1, x2) && Math.min(y1, y2) <= py && py <= Math.max(y1, y2)) addSplit(s, paramOn(x1, y1, x2, y2, px, py), px, py);
    return;
  }
  const t = paramOn(x1, y1, x2, y2, px, py);
  if (!(t > 0 && t < 1)) return;
  const ex = x1 + t * (x2 - x1) - px, ey = y1 + t * (y2 - y1) - py;
  if (ex * ex + ey * ey < NEAR * NEAR) addSplit(s, t, px, py);
}

/**
 * Area term of one directed edge (m²): geographiclib's S12 (the area between the edge's geodesic
 * and the equator), minus `k` times its longitude span, k = the area between the equator and a
 * reference parallel per degree of longitude. Over a closed boundary the spans cancel, so the sum
 * is unchanged; but each term shrinks to the area between the edge and the reference parallel,
 * so rounding and a piece missed by a hair cost that much (≈ 1e-6 m²) instead of a strip down
 * to the equator (≈ 0.3 m² per 1e-12°).
 */
function s12(x1: number, y1: number, x2: number, y2: number, k: number): number {
  return (geod.Inverse(y1, x1, y2, x2, GeodesicMask.AREA).S12 ?? NaN) - k * (x2 - x1);
}

const E2 = CGCS2000_F * (2 - CGCS2000_F);
const E = Math.sqrt(E2);

/** The area between the equator and the parallel `latDeg` per degree of longitude (m²), CGCS2000. */
export function zoneAreaPerDegree(latDeg: number): number {
  const s = Math.sin((latDeg * Math.PI) / 180);
  const q = (1 - E2) * (s / (1 - E2 * s * s) - (1 / (2 * E)) * Math.log((1 - E * s) / (1 + E * s)));
  return ((CGCS2000_A * CGCS2000_A * q) / 2) * (Math.PI / 180);
}

type Visit = (edge: number, x1: number, y1: number, x2: number, y2: number, where: number) => boolean;
/** Classification of a sub-segment: inside, outside, along the other boundary (same / opposite direction). */
const IN = 1, OUT = -1, ON_SAME = 2, ON_OPPOSITE = 3;

/**
 * Walks the sub-segments of the edges of `a` (only those meeting `box`; the others are outside
 * `b`), classifies each against `b` and calls `visit`; false from visit stops the walk. Returns
 * null when a sub-segment cannot be classified.
 */
export function walk(a: EdgeSet, b: EdgeSet, splits: Map<number, Splits>, box: BBox, visit: Visit): boolean | null {
  const A = a.xy;
  const each = (i: number): boolean | null => {
    const ax = A[4 * i], ay = A[4 * i + 1], bx = A[4 * i + 2], by = A[4 * i + 3];
    if (Math.max(ax, bx) < box[0] || Math.min(ax, bx) > box[2] || Math.max(ay, by) < box[1] || Math.min(ay, by) > box[3]) {
      return visit(i, ax, ay, bx, by, OUT);
    }
    const s = splits.get(i);
    if (!s) {
      const w = b.locate((ax + bx) / 2, (ay + by) / 2);
      if (w === 0) return null;
      return visit(i, ax, ay, bx, by, w > 0 ? IN : OUT);
    }
    const order = s.t.map((_, k) => k).sort((p, q) => s.t[p] - s.t[q]);
    let px = ax, py = ay, pt = 0;
    for (let k = 0; k <= order.length; k++) {
      const last = k === order.length;
      const t = last ? 1 : s.t[order[k]];
      const qx = last ? bx : s.x[order[k]], qy = last ? by : s.y[order[k]];
      if (qx === px && qy === py) continue;
      const mid = (pt + t) / 2;
      let where = 0;
      for (let o = 0; o < s.overlaps.length; o += 3) {
        if (s.overlaps[o] <= mid && mid <= s.overlaps[o + 1]) {
          where = s.overlaps[o + 2] === SAME ? ON_SAME : ON_OPPOSITE;
          break;
        }
      }
      if (!where) {
        const mx = (px + qx) / 2, my = (py + qy) / 2;
        const w = b.locate(mx, my);
        if (w === 0 || nearBoundary(b, mx, my)) {
          // A piece running along the other boundary without an exact overlap (split points
          // rounded onto vertices): when short and along an edge of the other within NEAR from
          // end to end, it is on that boundary; else undecidable.
          where = (qx - px) ** 2 + (qy - py) ** 2 < SHORT * SHORT ? alongEdge(b, px, py, qx, qy) : 0;
          if (!where) return null;
        } else where = w > 0 ? IN : OUT;
      }
      if (!visit(i, px, py, qx, qy, where)) return false;
      px = qx; py = qy; pt = t;
    }
    return true;
  };
  for (let i = 0; i < a.n; i++) {
    const r = each(i);
    if (r !== true) return r;
  }
  return true;
}

/** Within this distance (degrees, ≈ 0.1 mm) of a boundary a midpoint's side is not trusted. */
const NEAR = 1e-9;
/**
 * Pieces shorter than this (degrees, ≈ 1 cm) lying within NEAR of the other boundary are taken
 * as on it (their area term is then negligible either way); longer ones make the answer null.
 */
const SHORT = 1e-7;

function nearBoundary(set: EdgeSet, x: number, y: number): boolean {
  const S = set.xy;
  if (set.index) return set.index.search(x - NEAR, y - NEAR, x + NEAR, y + NEAR).some((j) => segDist2(S, j, x, y) < NEAR * NEAR);
  for (let j = 0; j < set.n; j++) {
    if (Math.min(S[4 * j], S[4 * j + 2]) > x + NEAR || Math.max(S[4 * j], S[4 * j + 2]) < x - NEAR) continue;
    if (Math.min(S[4 * j + 1], S[4 * j + 3]) > y + NEAR || Math.max(S[4 * j + 1], S[4 * j + 3]) < y - NEAR) continue;
    if (segDist2(S, j, x, y) < NEAR * NEAR) return true;
  }
  return false;
}

function segDist2(S: Float64Array, j: number, x: number, y: number): number {
  const x1 = S[4 * j], y1 = S[4 * j + 1], x2 = S[4 * j + 2], y2 = S[4 * j + 3];
  const vx = x2 - x1, vy = y2 - y1;
  const len2 = vx * vx + vy * vy;
  let t = len2 > 0 ? ((x - x1) * vx + (y - y1) * vy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const dx = x1 + t * vx - x, dy = y1 + t * vy - y;
  return dx * dx + dy * dy;
}

/** ON_SAME / ON_OPPOSITE when segment pq lies within NEAR of one edge of `set` end to end, else 0. */
function alongEdge(set: EdgeSet, px: number, py: number, qx: number, qy: number): number {
  const S = set.xy;
  const lo0 = Math.min(px, qx) - NEAR, hi0 = Math.max(px, qx) + NEAR, lo1 = Math.min(py, qy) - NEAR, hi1 = Math.max(py, qy) + NEAR;
  const test = (j: number) => segDist2(S, j, px, py) < NEAR * NEAR && segDist2(S, j, qx, qy) < NEAR * NEAR;
  let found = -1;
  if (set.index) {
    for (const j of set.index.search(lo0, lo1, hi0, hi1)) if (test(j)) { found = j; break; }
  } else {
    for (let j = 0; j < set.n && found < 0; j++) {
      if (Math.min(S[4 * j], S[4 * j + 2]) > hi0 || Math.max(S[4 * j], S[4 * j + 2]) < lo0) continue;
      if (Math.min(S[4 * j + 1], S[4 * j + 3]) > hi1 || Math.max(S[4 * j + 1], S[4 * j + 3]) < lo1) continue;
      if (test(j)) found = j;
    }
  }
  if (found < 0) return 0;
  const dot = (qx - px) * (S[4 * found + 2] - S[4 * found]) + (qy - py) * (S[4 * found + 3] - S[4 * found + 1]);
  return dot > 0 ? ON_SAME : ON_OPPOSITE;
}

/** Split points of every edge of `a` and `b` where they meet, or null when degenerate. */
export function splitBoth(a: EdgeSet, b: EdgeSet, box: BBox): [Map<number, Splits>, Map<number, Splits>] | null {
  const sa = new Map<number, Splits>(), sb = new Map<number, Splits>();
  const get = (m: Map<number, Splits>, k: number) => {
    let s = m.get(k);
    if (!s) m.set(k, (s = { t: [], x: [], y: [], overlaps: [] }));
    return s;
  };
  // Iterate the smaller set, look up the larger one through its index when it has one.
  const [small, big, swapped] = a.n <= b.n ? [a, b, false] : [b, a, true];
  const S = small.xy, Bx = big.xy;
  for (let i = 0; i < small.n; i++) {
    const x1 = S[4 * i], y1 = S[4 * i + 1], x2 = S[4 * i + 2], y2 = S[4 * i + 3];
    const lo0 = Math.min(x1, x2), lo1 = Math.min(y1, y2), hi0 = Math.max(x1, x2), hi1 = Math.max(y1, y2);
    if (hi0 < box[0] || lo0 > box[2] || hi1 < box[1] || lo1 > box[3]) continue;
    const test = (j: number): boolean => {
      const ok = swapped
        ? intersectEdges(big, j, small, i, peek(sa, j), peek(sb, i))
        : intersectEdges(small, i, big, j, peek(sa, i), peek(sb, j));
      return ok;
    };
    if (big.index) {
      for (const j of big.index.search(lo0, lo1, hi0, hi1)) if (!test(j)) return null;
    } else {
      for (let j = 0; j < big.n; j++) {
        if (Bx[4 * j + 2] < lo0 && Bx[4 * j] < lo0) continue;
        if (!test(j)) return null;
      }
    }
  }
  // Drop empty split records (edges tested but not met).
  for (const m of [sa, sb]) for (const [k, s] of m) if (s.t.length === 0 && s.overlaps.length === 0) m.delete(k);
  return [sa, sb];
  function peek(m: Map<number, Splits>, k: number): Splits {
    return get(m, k);
  }
}

function meetBox(a: BBox, b: BBox): BBox | null {
  const box: BBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return box[0] <= box[2] && box[1] <= box[3] ? box : null;
}

/**
 * Ellipsoidal area (m²) of a ∩ b, or null when the fast path cannot vouch for it. `maxArea`
 * bounds the result (the smaller operand's area, or more); a sum outside [0, maxArea] is a
 * misclassification and gives null.
 */
export function overlapArea(a: EdgeSet, b: EdgeSet, maxArea: number): number | null {
  return overlapProbe(a, b, maxArea)?.area ?? null;
}

/**
 * overlapArea, and whether the two boundaries meet at all (cross, touch or share a piece): when
 * they do not and the area is 0, the polygons are disjoint and no clipper is needed.
 */
export function overlapProbe(a: EdgeSet, b: EdgeSet, maxArea: number): { area: number; touches: boolean } | null {
  const box = meetBox(a.box, b.box);
  if (!box) return { area: 0, touches: false };
  const splits = splitBoth(a, b, box);
  if (!splits) return null;
  const touches = splits[0].size > 0 || splits[1].size > 0;
  let sum = 0, comp = 0;
  const add = (v: number) => {
    // Neumaier summation: the terms are large (areas down to the equator) and cancel.
    const t = sum + v;
    comp += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  };
  const k = zoneAreaPerDegree((box[1] + box[3]) / 2);
  const fromA = walk(a, b, splits[0], box, (_i, x1, y1, x2, y2, where) => {
    if (where === IN || where === ON_SAME) add(s12(x1, y1, x2, y2, k));
    return true;
  });
  if (fromA !== true) return null;
  const fromB = walk(b, a, splits[1], box, (_i, x1, y1, x2, y2, where) => {
    if (where === IN) add(s12(x1, y1, x2, y2, k));
    return true;
  });
  if (fromB !== true) return null;
  const area = -(sum + comp); // geographiclib's S12 sums to minus the area of a counter-clockwise ring
  const slack = 1e-9 * maxArea + 1e-6;
  if (!(area >= -slack && area <= maxArea + slack)) return null;
  return { area: Math.max(0, area), touches };
}

/**
 * Whether the interiors of two polygon sets share a point: some boundary piece of one lies
 * strictly inside the other, or they share a boundary piece with both interiors on the same side.
 * Null when undecidable (the caller assumes they may).
 */
export function interiorsMeet(a: EdgeSet, b: EdgeSet): boolean | null {
  const box = meetBox(a.box, b.box);
  if (!box) return false;
  const splits = splitBoth(a, b, box);
  if (!splits) return null;
  let meet = false;
  const stop: Visit = (_i, _x1, _y1, _x2, _y2, where) => {
    if (where === IN || where === ON_SAME) meet = true;
    return !meet;
  };
  const r1 = walk(a, b, splits[0], box, stop);
  if (r1 === null) return null;
  if (meet) return true;
  const r2 = walk(b, a, splits[1], box, stop);
  if (r2 === null) return null;
  return meet;
}
