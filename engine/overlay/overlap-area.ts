/**
 * Exact overlap areas without building the overlap polygons: the fast path of overlaySite.
 *
 * By Green's theorem the area of A ∩ B is the sum, over the directed boundary of A ∩ B, of each
 * edge's contribution; geographiclib's polygon area is such a sum (S12, the area between an
 * edge's geodesic and the equator). The boundary of A ∩ B is made of the pieces of A's edges that
 * lie inside B and the pieces of B's edges that lie inside A, plus edges the two share with both
 * interiors on the same side (counted once). So: split every edge of A and B at their mutual
 * intersections, classify each sub-segment (inside / outside / along the other boundary, same or
 * opposite direction), and add the area terms of the contributing ones. The result is the
 * ellipsoidal area (CGCS2000, geodesic edges) of the polygon the general clipper would build, up
 * to rounding (≈ 1e-6 m²); no polygon is built and nothing needs verifying: an overlap costs a
 * few dozen segment tests and geodesic inverses instead of two martinez runs and point probes.
 *
 * Classification: a point-in-polygon test for the first piece of a ring, then along the ring the
 * side flips at each proper crossing; after a touching or overlapping point, or a vertex on the
 * other boundary, the next piece is tested again. Every step that cannot decide (a tested piece
 * whose midpoint lies within NEAR of the other boundary and that is not short and along one of
 * its edges, a longitude outside (0°, 180°), an area outside [0, |A|]) returns null, and the
 * caller falls back to the general clipper (geometry/intersect.ts).
 *
 * interiorsMeet(P, Q) answers with the same classification whether two polygon sets share
 * interior points: features of one kind should not overlap, and when none of a constraint's
 * features do, the constraint's area is the sum of its features' areas (no union needed).
 */
import Flatbush from 'flatbush';
import { CGCS2000_A, CGCS2000_F, geod, GeodesicMask } from '../geometry/geodesic.js';
import { polygonLocator, type Locate } from '../geometry/polygon-locator.js';
import { classifyPacked, PackedPolygons } from '../geometry/packed.js';
import { orient, pointSegmentDistance2 } from '../geometry/planar.js';
import type { BBox, MultiPolygonCoords } from '../geometry/types.js';

/** Oriented edges of a multipolygon: shells counter-clockwise, holes clockwise, ring by ring. */
export interface EdgeSet {
  /** x1, y1, x2, y2 per edge. */
  xy: Float64Array;
  n: number;
  /** 1 where an edge is the last of its ring (the next edge starts another ring). */
  ringEnd: Uint8Array;
  box: BBox;
  /** Edge index (large sets only). */
  index: Flatbush | null;
  locate: Locate;
}

const INDEX_MIN_EDGES = 48;

/**
 * The edge set of a multipolygon; null when a ring is open or it leaves (0°, 180°) in longitude.
 * `indexMinEdges`: from how many edges an index is built (a set met only by a few edges of the
 * other is cheaper to scan than to index).
 */
export function edgeSet(input: MultiPolygonCoords | PackedPolygons, withLocator = true, indexMinEdges = INDEX_MIN_EDGES): EdgeSet | null {
  const m = input instanceof PackedPolygons ? input : PackedPolygons.pack(input);
  const P = m.xy;
  let n = 0;
  for (let r = m.r0; r < m.r1; r++) n += Math.max(0, m.ringEnd(r) - m.ringStart(r) - 1);
  const xy = new Float64Array(n * 4);
  const ringEnd = new Uint8Array(n);
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  let e = 0;
  for (let p = m.p0; p < m.p1; p++) {
    const shell = m.polyStart(p);
    for (let r = shell; r < m.polyEnd(p); r++) {
      const s = m.ringStart(r), t = m.ringEnd(r);
      const len = t - s;
      if (len < 2) continue;
      if (P[2 * s] !== P[2 * t - 2] || P[2 * s + 1] !== P[2 * t - 1]) return null; // open ring: not ours to judge
      let a2 = 0;
      const ox = P[2 * s], oy = P[2 * s + 1];
      for (let i = s + 1; i + 1 < t; i++) a2 += (P[2 * i] - ox) * (P[2 * i + 3] - oy) - (P[2 * i + 2] - ox) * (P[2 * i + 1] - oy);
      const forward = r === shell ? a2 > 0 : a2 < 0;
      for (let k = 0; k + 1 < len; k++) {
        const i = forward ? s + k : t - 1 - k;
        const j = forward ? s + k + 1 : t - 2 - k;
        const px = P[2 * i], py = P[2 * i + 1];
        xy[4 * e] = px; xy[4 * e + 1] = py; xy[4 * e + 2] = P[2 * j]; xy[4 * e + 3] = P[2 * j + 1];
        e++;
        if (px < box[0]) box[0] = px;
        if (py < box[1]) box[1] = py;
        if (px > box[2]) box[2] = px;
        if (py > box[3]) box[3] = py;
      }
      ringEnd[e - 1] = 1;
    }
  }
  if (!(box[0] > 0 && box[2] < 180)) return null; // the area sums assume no crossing of 0° or 180°
  let index: Flatbush | null = null;
  if (n >= indexMinEdges) {
    index = new Flatbush(n);
    for (let i = 0; i < n; i++) {
      const x1 = xy[4 * i], y1 = xy[4 * i + 1], x2 = xy[4 * i + 2], y2 = xy[4 * i + 3];
      index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
    }
    index.finish();
  }
  const locate: Locate = withLocator ? polygonLocator(m) : (x, y) => classifyPacked(x, y, m);
  return { xy, n, ringEnd, box, index, locate };
}

/**
 * What one set's edges carry after meeting the other set: split points (parameter t, point,
 * whether a proper crossing), overlap intervals [t0, t1, SAME | OPPOSITE], and whether an edge's
 * start or end vertex lies on the other boundary.
 */
interface Splits {
  t: number[][];
  x: number[][];
  y: number[][];
  proper: number[][];
  overlaps: number[][];
  /** Edges holding split points or overlaps. */
  edges: number[];
  startTouch: Uint8Array;
  endTouch: Uint8Array;
}

function newSplits(n: number): Splits {
  return { t: [], x: [], y: [], proper: [], overlaps: [], edges: [], startTouch: new Uint8Array(n), endTouch: new Uint8Array(n) };
}

const SAME = 1, OPPOSITE = -1;

/** The split lists of edge e, created (and e listed) at its first split point or overlap. */
function edgeSplits(s: Splits, e: number): number[] {
  let ts = s.t[e];
  if (!ts) {
    s.t[e] = ts = [];
    s.x[e] = [];
    s.y[e] = [];
    s.proper[e] = [];
    s.overlaps[e] = [];
    s.edges.push(e);
  }
  return ts;
}

function addSplit(s: Splits, e: number, t: number, x: number, y: number, proper: number): void {
  edgeSplits(s, e).push(t);
  s.x[e].push(x);
  s.y[e].push(y);
  s.proper[e].push(proper);
}

function addOverlap(s: Splits, e: number, t0: number, t1: number, same: number): void {
  edgeSplits(s, e);
  s.overlaps[e].push(t0, t1, same);
}

function paramOn(x1: number, y1: number, x2: number, y2: number, x: number, y: number): number {
  const dx = x2 - x1, dy = y2 - y1;
  return ((x - x1) * dx + (y - y1) * dy) / (dx * dx + dy * dy);
}

/**
 * Intersections of edge i of `a` with edge j of `b`, recorded as split points on both (the same
 * coordinates on both sides), as overlap intervals with their direction, and as touching vertices.
 */
function intersectEdges(A: Float64Array, i: number, B: Float64Array, j: number, sa: Splits, sb: Splits): void {
  const ax = A[4 * i], ay = A[4 * i + 1], bx = A[4 * i + 2], by = A[4 * i + 3];
  const cx = B[4 * j], cy = B[4 * j + 1], dx = B[4 * j + 2], dy = B[4 * j + 3];
  if (Math.max(ax, bx) < Math.min(cx, dx) - NEAR || Math.max(cx, dx) < Math.min(ax, bx) - NEAR || Math.max(ay, by) < Math.min(cy, dy) - NEAR || Math.max(cy, dy) < Math.min(ay, by) - NEAR) return;
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: the overlap along the dominant axis; its ends are input vertices.
    const useX = Math.abs(bx - ax) + Math.abs(dx - cx) >= Math.abs(by - ay) + Math.abs(dy - cy);
    const a0 = useX ? ax : ay, a1 = useX ? bx : by, c0 = useX ? cx : cy, c1 = useX ? dx : dy;
    const lo = Math.max(Math.min(a0, a1), Math.min(c0, c1));
    const hi = Math.min(Math.max(a0, a1), Math.max(c0, c1));
    if (lo > hi) return;
    let lx = ax, ly = ay, hx = ax, hy = ay;
    for (let k = 3; k >= 0; k--) {
      const px = k === 0 ? ax : k === 1 ? bx : k === 2 ? cx : dx;
      const py = k === 0 ? ay : k === 1 ? by : k === 2 ? cy : dy;
      const v = useX ? px : py;
      if (v === lo) { lx = px; ly = py; }
      if (v === hi) { hx = px; hy = py; }
    }
    const tLo = paramOn(ax, ay, bx, by, lx, ly), tHi = paramOn(ax, ay, bx, by, hx, hy);
    const uLo = paramOn(cx, cy, dx, dy, lx, ly), uHi = paramOn(cx, cy, dx, dy, hx, hy);
    if (tLo > 0 && tLo < 1) addSplit(sa, i, tLo, lx, ly, 0);
    if (uLo > 0 && uLo < 1) addSplit(sb, j, uLo, lx, ly, 0);
    if (tHi > 0 && tHi < 1) addSplit(sa, i, tHi, hx, hy, 0);
    if (uHi > 0 && uHi < 1) addSplit(sb, j, uHi, hx, hy, 0);
    if (lo < hi) {
      const same = (bx - ax) * (dx - cx) + (by - ay) * (dy - cy) > 0 ? SAME : OPPOSITE;
      addOverlap(sa, i, Math.min(tLo, tHi), Math.max(tLo, tHi), same);
      addOverlap(sb, j, Math.min(uLo, uHi), Math.max(uLo, uHi), same);
    }
    markEnds(ax, ay, bx, by, cx, cy, dx, dy, i, j, sa, sb);
    return;
  }
  if (d1 * d2 < 0 && d3 * d4 < 0) {
    const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
    const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
    const x = ax + t * (bx - ax), y = ay + t * (by - ay);
    addSplit(sa, i, t, x, y, 1);
    addSplit(sb, j, paramOn(cx, cy, dx, dy, x, y), x, y, 1);
  }
  // Touching: an endpoint of one on the other, exactly (orientation tolerance) or within NEAR
  // (a vertex interpolated on a shared edge, e.g. a subdivision cut, is off it by rounding).
  if (touch(ax, ay, cx, cy, dx, dy, d1, sb, j)) sa.startTouch[i] = 1;
  if (touch(bx, by, cx, cy, dx, dy, d2, sb, j)) sa.endTouch[i] = 1;
  if (touch(cx, cy, ax, ay, bx, by, d3, sa, i)) sb.startTouch[j] = 1;
  if (touch(dx, dy, ax, ay, bx, by, d4, sa, i)) sb.endTouch[j] = 1;
}

/** Marks the vertices of two collinear edges that lie on the other edge. */
function markEnds(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number, i: number, j: number, sa: Splits, sb: Splits): void {
  if (inSegmentBox(ax, ay, cx, cy, dx, dy)) sa.startTouch[i] = 1;
  if (inSegmentBox(bx, by, cx, cy, dx, dy)) sa.endTouch[i] = 1;
  if (inSegmentBox(cx, cy, ax, ay, bx, by)) sb.startTouch[j] = 1;
  if (inSegmentBox(dx, dy, ax, ay, bx, by)) sb.endTouch[j] = 1;
}

/** Whether point p lies in the box of segment (x1,y1)-(x2,y2): on it, for a point collinear with it. */
function inSegmentBox(px: number, py: number, x1: number, y1: number, x2: number, y2: number): boolean {
  return Math.min(x1, x2) <= px && px <= Math.max(x1, x2) && Math.min(y1, y2) <= py && py <= Math.max(y1, y2);
}

/** Whether point p touches segment (x1,y1)-(x2,y2); when inside it, records a split there. */
function touch(px: number, py: number, x1: number, y1: number, x2: number, y2: number, side: number, s: Splits, e: number): boolean {
  if (side === 0) {
    if (!inSegmentBox(px, py, x1, y1, x2, y2)) return false;
    const t = paramOn(x1, y1, x2, y2, px, py);
    if (t > 0 && t < 1) addSplit(s, e, t, px, py, 0);
    return true;
  }
  const t = paramOn(x1, y1, x2, y2, px, py);
  if (!(t >= 0 && t <= 1)) return false;
  const ex = x1 + t * (x2 - x1) - px, ey = y1 + t * (y2 - y1) - py;
  if (!(ex * ex + ey * ey < NEAR * NEAR)) return false;
  if (t > 0 && t < 1) addSplit(s, e, t, px, py, 0);
  return true;
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

/** Classification of a piece of boundary against the other set. */
const UNKNOWN = 0, IN = 1, OUT = -1, ON_SAME = 2, ON_OPPOSITE = 3;
/** What a walk does with each piece. */
const SUM_A = 0, SUM_B = 1, MEET = 2;

/** Within this distance (degrees, ≈ 0.1 mm) of a boundary a midpoint's side is not trusted. */
const NEAR = 1e-9;
/**
 * Pieces shorter than this (degrees, ≈ 1 cm) lying within NEAR of the other boundary are taken
 * as on it (their area term is then negligible either way); longer ones make the answer null.
 */
const SHORT = 1e-7;

function segDist2(S: Float64Array, j: number, x: number, y: number): number {
  return pointSegmentDistance2(x, y, S[4 * j], S[4 * j + 1], S[4 * j + 2], S[4 * j + 3]);
}

function nearBoundary(set: EdgeSet, x: number, y: number): boolean {
  const S = set.xy;
  if (set.index) {
    for (const j of set.index.search(x - NEAR, y - NEAR, x + NEAR, y + NEAR)) if (segDist2(S, j, x, y) < NEAR * NEAR) return true;
    return false;
  }
  for (let j = 0; j < set.n; j++) {
    if (Math.min(S[4 * j], S[4 * j + 2]) > x + NEAR || Math.max(S[4 * j], S[4 * j + 2]) < x - NEAR) continue;
    if (Math.min(S[4 * j + 1], S[4 * j + 3]) > y + NEAR || Math.max(S[4 * j + 1], S[4 * j + 3]) < y - NEAR) continue;
    if (segDist2(S, j, x, y) < NEAR * NEAR) return true;
  }
  return false;
}

/** ON_SAME / ON_OPPOSITE when segment pq lies within NEAR of one edge of `set` end to end, else UNKNOWN. */
function alongEdge(set: EdgeSet, px: number, py: number, qx: number, qy: number): number {
  const S = set.xy;
  let found = -1;
  for (let j = 0; j < set.n && found < 0; j++) {
    if (segDist2(S, j, px, py) < NEAR * NEAR && segDist2(S, j, qx, qy) < NEAR * NEAR) found = j;
  }
  if (found < 0) return UNKNOWN;
  const dot = (qx - px) * (S[4 * found + 2] - S[4 * found]) + (qy - py) * (S[4 * found + 3] - S[4 * found + 1]);
  return dot > 0 ? ON_SAME : ON_OPPOSITE;
}

/**
 * The side of piece pq against `other` by a point test at its midpoint; UNKNOWN when undecidable.
 * A piece running along the other boundary without an exact overlap (split points rounded onto
 * vertices, or a subdivision cut's vertex interpolated on a shared edge) is on that boundary when
 * it lies within NEAR of one edge of the other from end to end — for an area sum only when it is
 * short (a long one could leave a strip of area unaccounted: undecidable), for the topological
 * question of interiorsMeet at any length.
 */
function testPiece(other: EdgeSet, px: number, py: number, qx: number, qy: number, anyLength: boolean): number {
  const mx = (px + qx) / 2, my = (py + qy) / 2;
  const w = other.locate(mx, my);
  if (w !== 0 && !nearBoundary(other, mx, my)) return w > 0 ? IN : OUT;
  return anyLength || (qx - px) ** 2 + (qy - py) ** 2 < SHORT * SHORT ? alongEdge(other, px, py, qx, qy) : UNKNOWN;
}

/** Running state of a walk: the area sum (Neumaier) or whether the interiors met. */
interface Acc { sum: number; comp: number; k: number; meet: boolean }

function add(acc: Acc, v: number): void {
  const t = acc.sum + v;
  acc.comp += Math.abs(acc.sum) >= Math.abs(v) ? acc.sum - t + v : v - t + acc.sum;
  acc.sum = t;
}

/** Acts on one classified piece; false stops the walk (interiors met). */
function take(mode: number, acc: Acc, x1: number, y1: number, x2: number, y2: number, where: number): boolean {
  if (mode === MEET) {
    if (where === IN || where === ON_SAME) acc.meet = true;
    return !acc.meet;
  }
  if (where === IN || (mode === SUM_A && where === ON_SAME)) add(acc, s12(x1, y1, x2, y2, acc.k));
  return true;
}

/**
 * Walks the edges of `a` ring by ring, splitting them at their split points, classifying each
 * piece against `b` (edges outside `box` are outside b) and handing it to `take`. Returns null
 * when a piece cannot be classified, false when stopped, true otherwise.
 */
function walk(a: EdgeSet, b: EdgeSet, s: Splits, box: BBox, mode: number, acc: Acc): boolean | null {
  const A = a.xy;
  let state = UNKNOWN;
  for (let i = 0; i < a.n; i++) {
    if (s.startTouch[i]) state = UNKNOWN;
    const ax = A[4 * i], ay = A[4 * i + 1], bx = A[4 * i + 2], by = A[4 * i + 3];
    const ts = s.t[i];
    if (!ts) {
      if (Math.max(ax, bx) < box[0] || Math.min(ax, bx) > box[2] || Math.max(ay, by) < box[1] || Math.min(ay, by) > box[3]) {
        state = OUT;
      } else if (state !== IN && state !== OUT) {
        state = testPiece(b, ax, ay, bx, by, mode === MEET);
        if (state === UNKNOWN) return null;
      }
      if (!take(mode, acc, ax, ay, bx, by, state)) return false;
    } else {
      const order = ts.length === 1 ? [0] : ts.map((_, k) => k).sort((p, q) => ts[p] - ts[q]);
      const xs = s.x[i], ys = s.y[i], pr = s.proper[i], ov = s.overlaps[i];
      let px = ax, py = ay, pt = 0;
      let flip = 0, reset = false;
      for (let k = 0; k <= order.length; k++) {
        const last = k === order.length;
        const t = last ? 1 : ts[order[k]];
        const qx = last ? bx : xs[order[k]], qy = last ? by : ys[order[k]];
        if (!(qx === px && qy === py)) {
          // Entering this piece: flip at proper crossings, test again after anything else.
          if (reset) state = UNKNOWN;
          else if (flip && (state === IN || state === OUT)) state = -state;
          else if (flip) state = UNKNOWN;
          flip = 0;
          reset = false;
          const mid = (pt + t) / 2;
          let where = UNKNOWN;
          for (let o = 0; o < ov.length; o += 3) {
            if (ov[o] <= mid && mid <= ov[o + 1]) {
              where = ov[o + 2] === SAME ? ON_SAME : ON_OPPOSITE;
              break;
            }
          }
          if (where !== UNKNOWN) state = UNKNOWN;
          else if (state === IN || state === OUT) where = state;
          else {
            where = testPiece(b, px, py, qx, qy, mode === MEET);
            if (where === UNKNOWN) return null;
            state = where === IN || where === OUT ? where : UNKNOWN;
          }
          if (!take(mode, acc, px, py, qx, qy, where)) return false;
          px = qx; py = qy; pt = t;
        }
        if (!last) {
          if (pr[order[k]]) flip ^= 1;
          else reset = true;
        }
      }
      if (ov.length) state = UNKNOWN;
    }
    if (s.endTouch[i] || a.ringEnd[i]) state = UNKNOWN;
  }
  return true;
}

/** Split points of every edge of `a` and `b` where they meet (within `box`). */
function splitBoth(a: EdgeSet, b: EdgeSet, box: BBox): [Splits, Splits] {
  const sa = newSplits(a.n), sb = newSplits(b.n);
  // Iterate the smaller set, look up the larger one through its index when it has one.
  const swap = a.n > b.n;
  const small = swap ? b : a, big = swap ? a : b;
  const ss = swap ? sb : sa, sl = swap ? sa : sb;
  const S = small.xy, L = big.xy;
  const lo0 = box[0] - NEAR, lo1 = box[1] - NEAR, hi0 = box[2] + NEAR, hi1 = box[3] + NEAR;
  for (let i = 0; i < small.n; i++) {
    const x1 = S[4 * i], y1 = S[4 * i + 1], x2 = S[4 * i + 2], y2 = S[4 * i + 3];
    const e0 = Math.min(x1, x2), e1 = Math.min(y1, y2), e2 = Math.max(x1, x2), e3 = Math.max(y1, y2);
    if (e2 < lo0 || e0 > hi0 || e3 < lo1 || e1 > hi1) continue;
    if (big.index) {
      for (const j of big.index.search(e0 - NEAR, e1 - NEAR, e2 + NEAR, e3 + NEAR)) intersectEdges(S, i, L, j, ss, sl);
    } else {
      for (let j = 0; j < big.n; j++) intersectEdges(S, i, L, j, ss, sl);
    }
  }
  return [sa, sb];
}

function meetBox(a: BBox, b: BBox): BBox | null {
  const box: BBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return box[0] <= box[2] + NEAR && box[1] <= box[3] + NEAR ? box : null;
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
  const [sa, sb] = splitBoth(a, b, box);
  const touches = sa.edges.length > 0 || sb.edges.length > 0 || sa.startTouch.includes(1) || sb.startTouch.includes(1);
  const acc: Acc = { sum: 0, comp: 0, k: zoneAreaPerDegree((box[1] + box[3]) / 2), meet: false };
  if (walk(a, b, sa, box, SUM_A, acc) !== true) return null;
  if (walk(b, a, sb, box, SUM_B, acc) !== true) return null;
  const area = -(acc.sum + acc.comp); // S12 sums to minus the area of a counter-clockwise ring
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
  const [sa, sb] = splitBoth(a, b, box);
  const acc: Acc = { sum: 0, comp: 0, k: 0, meet: false };
  const r1 = walk(a, b, sa, box, MEET, acc);
  if (r1 === null) return null;
  if (acc.meet) return true;
  const r2 = walk(b, a, sb, box, MEET, acc);
  if (r2 === null) return null;
  return acc.meet;
}
