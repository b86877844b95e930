/**
 * An independent check of a clipping result, used by clip.ts to catch martinez's wrong answers.
 *
 * An area identity alone does not catch a face that martinez classifies wrongly (a piece of A
 * inside B reported in A−B instead of A∩B keeps |A∩B| + |A−B| = |A|). So probe points are taken
 * just beside the edges of A, B and both results (every face of the overlay is bounded by such
 * edges; large sets are sampled, small ones get several probes per edge), and at each probe our
 * own point location (polygon-locator.ts) must agree with the results: a probe strictly inside A
 * and B must be inside A∩B and outside A−B, and so on. Probes on a boundary are skipped.
 */
import { polygonLocator } from './polygon-locator.js';
import type { MultiPolygonCoords, Position } from './types.js';

/** About this many probes are taken per polygon set. */
const PROBES_PER_SET = 24;

export type CheckedOp = 'intersection' | 'difference' | 'union';

/** Whether a point strictly inside (1) / outside (-1) A and B belongs to the result of `op`. */
function belongs(op: CheckedOp, inA: number, inB: number): boolean {
  if (op === 'intersection') return inA > 0 && inB > 0;
  if (op === 'difference') return inA > 0 && inB < 0;
  return inA > 0 || inB > 0;
}

/** Probe points a hair to the left of points spread along the set's edges. */
function probes(m: MultiPolygonCoords, out: Position[]): void {
  let n = 0;
  for (const poly of m) for (const ring of poly) n += ring.length - 1;
  if (n <= 0) return;
  const step = Math.max(1, Math.floor(n / PROBES_PER_SET));
  const perEdge = Math.max(1, Math.ceil(PROBES_PER_SET / n));
  let k = 0;
  for (const poly of m) {
    for (const ring of poly) {
      for (let i = 0; i + 1 < ring.length; i++, k++) {
        if (k % step !== 0) continue;
        const p = ring[i], q = ring[i + 1];
        const dx = q[0] - p[0], dy = q[1] - p[1];
        const len = Math.hypot(dx, dy);
        if (!(len > 0)) continue;
        const eps = 1e-6 * len;
        for (let j = 0; j < perEdge; j++) {
          const t = (j + 0.5) / perEdge;
          out.push([p[0] + t * dx - (dy / len) * eps, p[1] + t * dy + (dx / len) * eps]);
        }
      }
    }
  }
}

/**
 * True when the result of `op` and the result of `checkOp` (the complementary run) agree with A
 * and B at every decisive probe.
 */
export function resultsAgree(
  a: MultiPolygonCoords, b: MultiPolygonCoords,
  op: CheckedOp, result: MultiPolygonCoords, checkOp: CheckedOp, check: MultiPolygonCoords,
): boolean {
  const pts: Position[] = [];
  for (const m of [a, b, result, check]) probes(m, pts);
  const inA = polygonLocator(a), inB = polygonLocator(b), inR = polygonLocator(result), inC = polygonLocator(check);
  for (const [x, y] of pts) {
    const sa = inA(x, y);
    if (sa === 0) continue;
    const sb = inB(x, y);
    if (sb === 0) continue;
    const r = inR(x, y);
    if (r !== 0 && (r > 0) !== belongs(op, sa, sb)) return false;
    const c = inC(x, y);
    if (c !== 0 && (c > 0) !== belongs(checkOp, sa, sb)) return false;
  }
  return true;
}
