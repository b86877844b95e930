/**
 * A guarded call into martinez-polygon-clipping shared by intersect, difference and union.
 *
 * martinez 0.8 can throw on, loop forever on, or return wrong polygons for some inputs: shared
 * vertices, a vertex lying exactly on the other polygon's edge (common when a site is snapped to
 * parcel boundaries), polygons touching at a point. Each call therefore:
 *  1. cleans both operands (cleanPolygons);
 *  2. shifts them so that the south-west corner of their joint box is the origin: coordinates
 *     near 0 carry ~10⁴ times more absolute precision than coordinates near 112°; in fuzzing this
 *     removed martinez's hangs (tests/geometry/fixtures/martinez/hang-*.json);
 *  3. runs the operation, and rebuilds the output's structure from its rings
 *     (rebuild-polygons.ts: martinez returns figure-8 rings where result polygons touch);
 *  4. verifies the result with a second operation and a planar area identity
 *     (|A∩B| + |A−B| = |A| for intersection and difference, |A∪B| + |A∩B| = |A| + |B| for union)
 *     and by probing points beside the edges of A, B and both results (clip-check.ts);
 *  5. if an attempt throws or fails the check, retries with B translated by δ = 1e-9°, 1e-8°,
 *     1e-7° (≈0.1 mm … 1 cm), which removes exact degeneracies, and drops result slivers narrower
 *     than 4δ that the translation itself creates; throws GeometryOperationError if all fail.
 */
import * as martinez from 'martinez-polygon-clipping';
import { bboxIntersects, bboxOf } from './bbox.js';
import { resultsAgree } from './clip-check.js';
import { cleanPolygons, planarArea } from './clean-polygons.js';
import { rebuildPolygons } from './rebuild-polygons.js';
import { ringSignedArea2 } from './planar.js';
import type { MultiPolygonCoords, Position, Ring } from './types.js';

/** Thrown when a polygon operation fails on every attempt. */
export class GeometryOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeometryOperationError';
  }
}

export type ClipOp = 'intersection' | 'difference' | 'union';

/** Translations of the second operand tried in turn (degrees). */
const NUDGES = [0, 1e-9, 1e-8, 1e-7];
/** Relative tolerance of the area identity. */
const IDENTITY_TOLERANCE = 1e-9;
const OP_NAMES: Record<ClipOp, string> = { intersection: '求交', difference: '求差', union: '合并' };

function shift(m: MultiPolygonCoords, dx: number, dy: number): MultiPolygonCoords {
  return m.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x + dx, y + dy] as Position)));
}

/** One martinez call on operands already in the shifted frame; output rebuilt, same frame. */
function raw(op: ClipOp, a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  const f = op === 'intersection' ? martinez.intersection : op === 'difference' ? martinez.diff : martinez.union;
  const r = f(a, b);
  if (!r || r.length === 0) return [];
  const asMulti = (typeof (r as number[][][])[0][0][0] === 'number' ? [r] : r) as MultiPolygonCoords;
  return rebuildPolygons(asMulti.flat());
}

/**
 * The operation plus its check (see the module doc): [result, the checking operation's result],
 * or null when the identity fails.
 */
function verified(op: ClipOp, a: MultiPolygonCoords, b: MultiPolygonCoords): [MultiPolygonCoords, MultiPolygonCoords] | null {
  const A = planarArea(a), B = planarArea(b);
  const main = raw(op, a, b);
  const check = raw(op === 'intersection' ? 'difference' : 'intersection', a, b);
  const R = planarArea(main), C = planarArea(check);
  const tol = IDENTITY_TOLERANCE * (A + B) + 1e-20;
  const ok =
    op === 'union'
      ? Math.abs(R + C - A - B) <= tol && R >= Math.max(A, B) - tol && R <= A + B + tol
      : Math.abs(R + C - A) <= tol && (op === 'intersection' ? R <= Math.min(A, B) + tol : R >= A - B - tol);
  if (!ok) return null;
  const checkOp: ClipOp = op === 'intersection' ? 'difference' : 'intersection';
  return resultsAgree(a, b, op, main, checkOp, check) ? [main, check] : null;
}

/** Mean width of a ring: 2·area / perimeter. */
function ringWidth(ring: Ring): number {
  let per = 0;
  for (let i = 0; i + 1 < ring.length; i++) per += Math.hypot(ring[i + 1][0] - ring[i][0], ring[i + 1][1] - ring[i][1]);
  return per > 0 ? Math.abs(ringSignedArea2(ring)) / per : 0;
}

/** Drop shells and holes narrower than `w` (slivers created by nudging an operand). */
function dropSlivers(m: MultiPolygonCoords, w: number): MultiPolygonCoords {
  const out: MultiPolygonCoords = [];
  for (const poly of m) {
    if (ringWidth(poly[0]) < w) continue;
    out.push([poly[0], ...poly.slice(1).filter((h) => ringWidth(h) >= w)]);
  }
  return out;
}

/** Run a polygon operation on two (valid) multipolygons; see the module doc. */
export function clip(op: ClipOp, a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  const ca = cleanPolygons(a);
  const cb = cleanPolygons(b);
  if (ca.length === 0) return op === 'union' ? cb : [];
  if (cb.length === 0) return op === 'intersection' ? [] : ca;
  const { result, back } = attempts(op, ca, cb);
  return back(result[0]);
}

/**
 * A by B split into the part inside B and the part outside, from ONE guarded run: the intersection
 * and the difference that checks it are the two parts (intersect then difference would run the
 * pair twice). Throws GeometryOperationError when every attempt fails.
 */
export function splitBy(a: MultiPolygonCoords, b: MultiPolygonCoords): { inside: MultiPolygonCoords; outside: MultiPolygonCoords } {
  const ca = cleanPolygons(a);
  const cb = cleanPolygons(b);
  if (ca.length === 0) return { inside: [], outside: [] };
  if (cb.length === 0 || !bboxIntersects(bboxOf(ca), bboxOf(cb))) return { inside: [], outside: ca };
  const { result, back } = attempts('intersection', ca, cb);
  return { inside: back(result[0]), outside: back(result[1]) };
}

/**
 * Steps 2–5 of the module doc on cleaned, non-empty operands: the verified [result, check result]
 * in the shifted frame, and the way back to the operands' place.
 */
function attempts(op: ClipOp, ca: MultiPolygonCoords, cb: MultiPolygonCoords): { result: [MultiPolygonCoords, MultiPolygonCoords]; back: (m: MultiPolygonCoords) => MultiPolygonCoords } {
  const box = bboxOf([ca, cb] as unknown as Position[][][][]);
  const ox = box[0], oy = box[1];
  const sa = shift(ca, -ox, -oy);
  let lastError = '面积校验未通过';
  for (const d of NUDGES) {
    try {
      const r = verified(op, sa, shift(cb, d - ox, 0.618 * d - oy));
      if (r) return { result: r, back: (m) => cleanPolygons(shift(d > 0 ? dropSlivers(m, 4 * d) : m, ox, oy)) };
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
  }
  throw new GeometryOperationError(`多边形${OP_NAMES[op]}运算失败：${lastError}`);
}
