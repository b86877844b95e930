/**
 * Cleans polygon coordinates for clipping and output: drops repeated consecutive positions,
 * closes rings, removes rings with fewer than three distinct vertices or zero planar area, drops
 * polygons whose shell vanished, orients shells counter-clockwise and holes clockwise.
 * Never mutates its input.
 */
import { ringSignedArea2 } from './planar.js';
import type { MultiPolygonCoords, PolygonCoords, Position, Ring } from './types.js';

/** Round a coordinate to a grid of `step` degrees (no-op when step is 0). */
function snap(v: number, step: number): number {
  return step > 0 ? Math.round(v / step) * step : v;
}

/** A closed, de-duplicated copy of a ring, or null when it is degenerate. */
export function cleanRing(ring: readonly Position[], snapStep = 0): Ring | null {
  const out: Ring = [];
  for (const p of ring) {
    const x = snap(p[0], snapStep), y = snap(p[1], snapStep);
    const last = out[out.length - 1];
    if (last && last[0] === x && last[1] === y) continue;
    out.push([x, y]);
  }
  if (out.length > 1) {
    const f = out[0], l = out[out.length - 1];
    if (f[0] !== l[0] || f[1] !== l[1]) out.push([f[0], f[1]]);
  }
  if (out.length < 4) return null;
  const a2 = ringSignedArea2(out);
  if (!(Math.abs(a2) > 0)) return null;
  return out;
}

/** Orient a closed ring: counter-clockwise when `ccw`, else clockwise. Returns a new array. */
export function orientRing(ring: Ring, ccw: boolean): Ring {
  const isCcw = ringSignedArea2(ring) > 0;
  return isCcw === ccw ? ring : ring.slice().reverse();
}

/** Clean one polygon; null when its shell is degenerate. */
export function cleanPolygon(poly: readonly (readonly Position[])[], snapStep = 0): PolygonCoords | null {
  if (poly.length === 0) return null;
  const shell = cleanRing(poly[0], snapStep);
  if (!shell) return null;
  const out: PolygonCoords = [orientRing(shell, true)];
  for (let i = 1; i < poly.length; i++) {
    const hole = cleanRing(poly[i], snapStep);
    if (hole) out.push(orientRing(hole, false));
  }
  return out;
}

/** Clean a multipolygon (see module doc). */
export function cleanPolygons(polys: readonly (readonly (readonly Position[])[])[], snapStep = 0): MultiPolygonCoords {
  const out: MultiPolygonCoords = [];
  for (const poly of polys) {
    const c = cleanPolygon(poly, snapStep);
    if (c) out.push(c);
  }
  return out;
}

/** Planar area (deg²) of a multipolygon: shells minus holes. Used for sanity checks only. */
export function planarArea(polys: MultiPolygonCoords): number {
  let s = 0;
  for (const poly of polys) {
    poly.forEach((ring, i) => {
      const a = Math.abs(ringSignedArea2(ring)) / 2;
      s += i === 0 ? a : -a;
    });
  }
  return s;
}
