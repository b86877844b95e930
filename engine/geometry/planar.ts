/**
 * Planar predicates shared by validation, clipping clean-up and distances.
 * Orientation uses a relative tolerance so that a vertex lying on a segment (up to rounding)
 * counts as collinear rather than as a crossing.
 */
import type { Position } from './types.js';

const ORIENT_TOLERANCE = 1e-13;

/** Sign of the turn a→b→c: 1 counter-clockwise, -1 clockwise, 0 collinear (within rounding). */
export function orient(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const l = (bx - ax) * (cy - ay);
  const r = (by - ay) * (cx - ax);
  const det = l - r;
  const bound = ORIENT_TOLERANCE * (Math.abs(l) + Math.abs(r));
  if (det > bound) return 1;
  if (det < -bound) return -1;
  return 0;
}

/**
 * Kinds of segment intersection: `Point` = the segments share exactly one point (crossing or
 * touching); `Overlap` = they are collinear and overlap along a positive length.
 */
export const SegHit = { None: 0, Point: 1, Overlap: 2 } as const;
export type SegHit = (typeof SegHit)[keyof typeof SegHit];

export interface SegIntersection {
  kind: SegHit;
  /** True for a crossing in both interiors. */
  proper: boolean;
  /** A point of the intersection (the crossing, or the start of the overlap). */
  x: number;
  y: number;
}

const NONE: Readonly<SegIntersection> = Object.freeze({ kind: SegHit.None, proper: false, x: NaN, y: NaN });

function between(a: number, b: number, v: number): boolean {
  return a <= b ? a <= v && v <= b : b <= v && v <= a;
}

/** Intersection of segments ab and cd. */
export function segmentIntersection(
  ax: number, ay: number, bx: number, by: number,
  cx: number, cy: number, dx: number, dy: number,
): Readonly<SegIntersection> {
  if (Math.max(ax, bx) < Math.min(cx, dx) || Math.max(cx, dx) < Math.min(ax, bx)) return NONE;
  if (Math.max(ay, by) < Math.min(cy, dy) || Math.max(cy, dy) < Math.min(ay, by)) return NONE;
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // collinear: overlap along the dominant axis
    const useX = Math.abs(bx - ax) + Math.abs(dx - cx) >= Math.abs(by - ay) + Math.abs(dy - cy);
    const a0 = useX ? ax : ay, a1 = useX ? bx : by, c0 = useX ? cx : cy, c1 = useX ? dx : dy;
    const lo = Math.max(Math.min(a0, a1), Math.min(c0, c1));
    const hi = Math.min(Math.max(a0, a1), Math.max(c0, c1));
    if (lo > hi) return NONE;
    const pick = (v: number): [number, number] => {
      // the input endpoint whose dominant coordinate is v
      for (const [px, py] of [[ax, ay], [bx, by], [cx, cy], [dx, dy]]) if ((useX ? px : py) === v) return [px, py];
      return [ax, ay];
    };
    const [x, y] = pick(lo);
    return { kind: lo < hi ? SegHit.Overlap : SegHit.Point, proper: false, x, y };
  }
  if (d1 * d2 < 0 && d3 * d4 < 0) {
    const den = (bx - ax) * (dy - cy) - (by - ay) * (dx - cx);
    const t = ((cx - ax) * (dy - cy) - (cy - ay) * (dx - cx)) / den;
    return { kind: SegHit.Point, proper: true, x: ax + t * (bx - ax), y: ay + t * (by - ay) };
  }
  if (d1 === 0 && between(cx, dx, ax) && between(cy, dy, ay)) return { kind: SegHit.Point, proper: false, x: ax, y: ay };
  if (d2 === 0 && between(cx, dx, bx) && between(cy, dy, by)) return { kind: SegHit.Point, proper: false, x: bx, y: by };
  if (d3 === 0 && between(ax, bx, cx) && between(ay, by, cy)) return { kind: SegHit.Point, proper: false, x: cx, y: cy };
  if (d4 === 0 && between(ax, bx, dx) && between(ay, by, dy)) return { kind: SegHit.Point, proper: false, x: dx, y: dy };
  return NONE;
}

/** Twice the signed planar area of a ring (positive when counter-clockwise); closing position optional. */
export function ringSignedArea2(ring: readonly Position[]): number {
  const n = ring.length;
  if (n < 3) return 0;
  const ox = ring[0][0], oy = ring[0][1];
  let s = 0;
  for (let i = 1; i + 1 < n; i++) {
    s += (ring[i][0] - ox) * (ring[i + 1][1] - oy) - (ring[i + 1][0] - ox) * (ring[i][1] - oy);
  }
  return s;
}

/** Distance from p to segment ab and the closest point on it (planar). */
export function pointSegmentDistance(
  px: number, py: number, ax: number, ay: number, bx: number, by: number,
): { d: number; x: number; y: number } {
  const vx = bx - ax, vy = by - ay;
  const len2 = vx * vx + vy * vy;
  let t = len2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const x = ax + t * vx, y = ay + t * vy;
  return { d: Math.hypot(px - x, py - y), x, y };
}

/**
 * Where p lies relative to a ring: 1 inside, 0 on the boundary, -1 outside (even-odd rule).
 * The ring may be open or closed.
 */
export function pointInRing(px: number, py: number, ring: readonly Position[]): 1 | 0 | -1 {
  let inside = false;
  const n = ring.length;
  if (n === 0) return -1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const k = rayEdge(px, py, ring[i][0], ring[i][1], ring[j][0], ring[j][1]);
    if (k === RAY_ON) return 0;
    if (k === RAY_CROSS) inside = !inside;
  }
  return inside ? 1 : -1;
}

/** As pointInRing, for the ring of vertices start … end − 1 of a flat x, y array (packed.ts). */
export function pointInFlatRing(px: number, py: number, xy: Float64Array, start: number, end: number): 1 | 0 | -1 {
  if (end === start) return -1;
  let inside = false;
  for (let i = start, j = end - 1; i < end; j = i++) {
    const k = rayEdge(px, py, xy[2 * i], xy[2 * i + 1], xy[2 * j], xy[2 * j + 1]);
    if (k === RAY_ON) return 0;
    if (k === RAY_CROSS) inside = !inside;
  }
  return inside ? 1 : -1;
}

const RAY_MISS = 0, RAY_CROSS = 1, RAY_ON = 2;

/**
 * One edge (xi, yi)–(xj, yj) of the even-odd test of p: RAY_ON when p lies on the edge,
 * RAY_CROSS when the ray from p towards +x crosses it, RAY_MISS otherwise. (Module-local: the
 * ring loops above call it per edge, and a call across modules costs several times more.)
 */
function rayEdge(px: number, py: number, xi: number, yi: number, xj: number, yj: number): number {
  if (between(yi, yj, py) && between(xi, xj, px) && orient(xj, yj, xi, yi, px, py) === 0) return RAY_ON;
  if ((yi > py) !== (yj > py) && px < xj + ((py - yj) * (xi - xj)) / (yi - yj)) return RAY_CROSS;
  return RAY_MISS;
}

/** Squared distance from p to segment ab (no allocation: for hot loops). */
export function pointSegmentDistance2(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const vx = bx - ax, vy = by - ay;
  const len2 = vx * vx + vy * vy;
  let t = len2 > 0 ? ((px - ax) * vx + (py - ay) * vy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const ex = ax + t * vx - px, ey = ay + t * vy - py;
  return ex * ex + ey * ey;
}
