/**
 * A guarded call into martinez-polygon-clipping shared by intersect, difference and union.
 *
 * martinez can throw on, loop forever on, or silently mis-handle some inputs (repeated points,
 * zero-area rings, near-collinear edges, polygons touching at a point). Each call therefore:
 *  1. cleans both operands (cleanPolygons);
 *  2. shifts them so that the south-west corner of their joint box is the origin: coordinates
 *     near 0 carry ~10⁴ times more absolute precision than coordinates near 112°, which in
 *     fuzzing removed martinez's hangs on shared vertices (see tests/geometry/overlay.test.ts);
 *  3. runs the operation and rebuilds the output's structure from its rings (rebuild-polygons.ts:
 *     martinez returns figure-8 rings where result polygons touch at a point);
 *  4. checks the result's planar area against bounds implied by the operands' areas;
 *  5. on a throw or a failed check, retries with coordinates snapped to 1e-9°, 1e-8° and 1e-7°
 *     (≈0.1 mm … 1 cm), and throws GeometryOperationError if every attempt fails.
 */
import * as martinez from 'martinez-polygon-clipping';
import { bboxOf } from './bbox.js';
import { cleanPolygons, planarArea } from './clean-polygons.js';
import { rebuildPolygons } from './rebuild-polygons.js';
import type { MultiPolygonCoords, Position } from './types.js';

/** Thrown when a polygon operation fails on every attempt. */
export class GeometryOperationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeometryOperationError';
  }
}

export type ClipOp = 'intersection' | 'difference' | 'union';

const SNAP_STEPS = [0, 1e-9, 1e-8, 1e-7];
/** Relative slack of the area checks. */
const AREA_SLACK = 1e-7;

function shift(m: MultiPolygonCoords, dx: number, dy: number): MultiPolygonCoords {
  return m.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x + dx, y + dy] as Position)));
}

/** One attempt on cleaned operands, in a frame with the origin at their joint south-west corner. */
function run(op: ClipOp, a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  const box = bboxOf([a, b] as unknown as Position[][][][]);
  const ox = box[0], oy = box[1];
  const f = op === 'intersection' ? martinez.intersection : op === 'difference' ? martinez.diff : martinez.union;
  const r = f(shift(a, -ox, -oy), shift(b, -ox, -oy));
  if (!r || r.length === 0) return [];
  const asMulti = (typeof (r as number[][][])[0][0][0] === 'number' ? [r] : r) as MultiPolygonCoords;
  return cleanPolygons(shift(rebuildPolygons(asMulti.flat()), ox, oy));
}

/** Whether the result's area is consistent with the operands' areas. */
function plausible(op: ClipOp, a: number, b: number, r: number): boolean {
  const tol = AREA_SLACK * Math.max(a, b) + 1e-20;
  if (!Number.isFinite(r) || r < -tol) return false;
  switch (op) {
    case 'intersection':
      return r <= Math.min(a, b) + tol;
    case 'difference':
      return r <= a + tol && r >= a - b - tol;
    case 'union':
      return r >= Math.max(a, b) - tol && r <= a + b + tol;
  }
}

/** Run a polygon operation on two (valid) multipolygons; see the module doc. */
export function clip(op: ClipOp, a: MultiPolygonCoords, b: MultiPolygonCoords): MultiPolygonCoords {
  let lastError: unknown = null;
  for (const step of SNAP_STEPS) {
    const ca = cleanPolygons(a, step);
    const cb = cleanPolygons(b, step);
    if (ca.length === 0) return op === 'union' ? cb : [];
    if (cb.length === 0) return op === 'intersection' ? [] : ca;
    try {
      const r = run(op, ca, cb);
      if (plausible(op, planarArea(ca), planarArea(cb), planarArea(r))) return r;
      lastError = new Error('面积校验未通过');
    } catch (e) {
      lastError = e;
    }
  }
  const why = lastError instanceof Error ? lastError.message : String(lastError);
  throw new GeometryOperationError(`多边形${OP_NAMES[op]}运算失败：${why}`);
}

const OP_NAMES: Record<ClipOp, string> = { intersection: '求交', difference: '求差', union: '合并' };
