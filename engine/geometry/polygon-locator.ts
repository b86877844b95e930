/**
 * Point location in a multipolygon (strictly inside / on the boundary / strictly outside), with a
 * Flatbush index over the edges for large inputs: a query only visits edges whose boxes meet the
 * horizontal ray from the point, instead of every edge.
 */
import Flatbush from 'flatbush';
import { orient, pointInRing } from './planar.js';
import type { MultiPolygonCoords } from './types.js';
import { classifyPacked, PackedPolygons } from './packed.js';

/** Below this many edges a plain scan is faster than building an index. */
const INDEX_MIN_EDGES = 256;

export type Locate = (x: number, y: number) => 1 | 0 | -1;

/** 1 strictly inside, 0 on a boundary, -1 strictly outside (plain scan). */
export function classify(x: number, y: number, m: MultiPolygonCoords): 1 | 0 | -1 {
  for (const poly of m) {
    const s = pointInRing(x, y, poly[0]);
    if (s === 0) return 0;
    if (s < 0) continue;
    let inHole = false;
    for (let h = 1; h < poly.length; h++) {
      const t = pointInRing(x, y, poly[h]);
      if (t === 0) return 0;
      if (t > 0) { inHole = true; break; }
    }
    if (!inHole) return 1;
  }
  return -1;
}

/** A locator for `m`: a plain scan for small inputs, an indexed ray cast for large ones. */
export function polygonLocator(input: MultiPolygonCoords | PackedPolygons): Locate {
  const m = input instanceof PackedPolygons ? input : PackedPolygons.pack(input);
  const r0 = m.r0, r1 = m.r1;
  let nEdges = 0;
  for (let r = r0; r < r1; r++) nEdges += Math.max(0, m.ringEnd(r) - m.ringStart(r) - 1);
  if (nEdges < INDEX_MIN_EDGES) return (x, y) => classifyPacked(x, y, m);

  const xy = new Float64Array(nEdges * 4);
  const edgeRing = new Int32Array(nEdges);
  const ringPoly: number[] = [];
  const ringIsHole: boolean[] = [];
  const index = new Flatbush(nEdges);
  const P = m.xy;
  let e = 0;
  for (let p = m.p0; p < m.p1; p++) {
    for (let r = m.polyStart(p); r < m.polyEnd(p); r++) {
      ringPoly.push(p);
      ringIsHole.push(r > m.polyStart(p));
      for (let i = m.ringStart(r); i + 1 < m.ringEnd(r); i++, e++) {
        const x1 = P[2 * i], y1 = P[2 * i + 1], x2 = P[2 * i + 2], y2 = P[2 * i + 3];
        xy[4 * e] = x1; xy[4 * e + 1] = y1; xy[4 * e + 2] = x2; xy[4 * e + 3] = y2;
        edgeRing[e] = r - r0;
        index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
      }
    }
  }
  index.finish();
  const parity = new Uint8Array(ringPoly.length);
  const maxX = index.maxX;

  return (x, y) => {
    parity.fill(0);
    let onBoundary = false;
    index.search(x, y, Math.max(x, maxX), y, (k) => {
      if (onBoundary) return false;
      const x1 = xy[4 * k], y1 = xy[4 * k + 1], x2 = xy[4 * k + 2], y2 = xy[4 * k + 3];
      if (orient(x1, y1, x2, y2, x, y) === 0 &&
        Math.min(x1, x2) <= x && x <= Math.max(x1, x2) && Math.min(y1, y2) <= y && y <= Math.max(y1, y2)) {
        onBoundary = true;
        return false;
      }
      if ((y1 > y) !== (y2 > y) && x < x1 + ((y - y1) * (x2 - x1)) / (y2 - y1)) parity[edgeRing[k]] ^= 1;
      return false;
    });
    if (onBoundary) return 0;
    // a polygon contains the point when its shell does and none of its holes does
    const shellIn = new Set<number>();
    const holeIn = new Set<number>();
    for (let r = 0; r < parity.length; r++) {
      if (!parity[r]) continue;
      (ringIsHole[r] ? holeIn : shellIn).add(ringPoly[r]);
    }
    for (const p of shellIn) if (!holeIn.has(p)) return 1;
    return -1;
  };
}
