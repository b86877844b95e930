/** Comparisons for the site-file tests: polygons vertex by vertex (geodesic metres), decisions. */
import { expect } from 'vitest';
import { geodesicDistanceM } from '../../../engine/geometry/index.js';

type LL = [number, number];

const open = (r: LL[]) => (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r.slice(0, -1) : r);

/** Polygon / MultiPolygon coordinates as a list of polygons. */
export function polygonsOf(g: { type: string; coordinates: unknown }): LL[][][] {
  if (g.type === 'Polygon') return [g.coordinates as LL[][]];
  if (g.type === 'MultiPolygon') return g.coordinates as LL[][][];
  throw new Error(`not polygonal: ${g.type}`);
}

/**
 * The largest geodesic distance (m) between corresponding vertices of two polygonal geometries with
 * the same rings; a ring may start at another vertex or run the other way (the best match is used).
 * Throws when the structure (number of polygons, rings, vertices) differs.
 */
export function maxVertexErrorM(a: { type: string; coordinates: unknown }, b: { type: string; coordinates: unknown }): number {
  const pa = polygonsOf(a);
  const pb = polygonsOf(b);
  expect(pa.length).toBe(pb.length);
  let worst = 0;
  pa.forEach((poly, i) => {
    expect(poly.length).toBe(pb[i].length);
    poly.forEach((ring, j) => {
      const ra = open(ring);
      const rb = open(pb[i][j]);
      expect(ra.length).toBe(rb.length);
      let best = Infinity;
      for (const dir of [1, -1]) {
        for (let s = 0; s < rb.length; s++) {
          let m = 0;
          for (let k = 0; k < ra.length && m < best; k++) {
            const q = rb[(((s + dir * k) % rb.length) + rb.length) % rb.length];
            m = Math.max(m, geodesicDistanceM(ra[k], q));
          }
          best = Math.min(best, m);
        }
      }
      worst = Math.max(worst, best);
    });
  });
  return worst;
}

/** A decision without what differs between two evaluations of the same thing (id, time). */
export function comparable(d: any): any {
  const { decisionId: _i, createdAt: _c, ...rest } = d;
  return rest;
}

/**
 * Asserts two decisions are the same apart from id and time: same structure and strings, numbers
 * equal within `rel` relative (areas of sites that differ by millimetres of rounding).
 */
export function expectSameDecision(a: any, b: any, rel = 0): void {
  const walk = (x: any, y: any, path: string): void => {
    if (typeof x === 'number' && typeof y === 'number') {
      if (Math.abs(x - y) > rel * Math.max(Math.abs(x), Math.abs(y)) + (rel ? 1e-6 : 0)) throw new Error(`${path}: ${x} ≠ ${y}`);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) throw new Error(`${path}: length ${x.length} ≠ ${y.length}`);
      x.forEach((v, i) => walk(v, y[i], `${path}/${i}`));
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object') {
      const kx = Object.keys(x).sort();
      const ky = Object.keys(y).sort();
      if (kx.join() !== ky.join()) throw new Error(`${path}: keys ${kx} ≠ ${ky}`);
      for (const k of kx) walk(x[k], y[k], `${path}/${k}`);
      return;
    }
    if (x !== y) throw new Error(`${path}: ${JSON.stringify(x)} ≠ ${JSON.stringify(y)}`);
  };
  walk(comparable(a), comparable(b), '');
}
