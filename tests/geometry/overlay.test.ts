/**
 * intersect / difference / union: shared edges, holes, multipolygons, containment, disjoint,
 * touching at an edge or a point; area identities on fuzzed inputs; martinez bug cases
 * (fixtures/martinez/*.json) and a PostGIS cross-check of overlap areas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  difference, ellipsoidalArea, intersect, union, type MultiPolygonCoords, type PolygonCoords,
} from '../../engine/geometry/index.js';
import { planarArea } from '../../engine/geometry/clean-polygons.js';
import { ringSignedArea2 } from '../../engine/geometry/planar.js';
import { DLAT, DLON, LAT0, LON0, rect, rng, starPairs, starRing } from './helpers.js';
import { multiPolygonJson, usePostgis } from './postgis.js';

const L = LON0, B = LAT0, g = 0.001; // ≈ 100 m grid
const sq = (x: number, y: number, w = 1, h = w): PolygonCoords => [rect(L + x * g, B + y * g, L + (x + w) * g, B + (y + h) * g)];
const area = ellipsoidalArea;
const A1 = area([sq(0, 0)]);

/**
 * Overlay is planar in lon/lat but areas are geodesic (edges are geodesics between vertices), so
 * splitting an edge at a new vertex changes a polygon's area by ~(2/3)·sagitta·length, where the
 * sagitta of a geodesic over a parallel of length L is ≈ L²·tanφ/(8R): areas of overlay pieces add
 * up only to ~1e-6 relative for 100 m edges, ~1e-5 for 1 km edges. Identities are checked to that.
 */
const ADDITIVITY = 2e-5;
const close = (a: number, b: number) => expect(Math.abs(a / b - 1)).toBeLessThan(ADDITIVITY);

/** Rings closed, shells CCW, holes CW. */
function expectWellFormed(m: MultiPolygonCoords): void {
  for (const poly of m) {
    poly.forEach((ring, i) => {
      expect(ring.length).toBeGreaterThanOrEqual(4);
      expect(ring[0]).toEqual(ring[ring.length - 1]);
      expect(Math.sign(ringSignedArea2(ring))).toBe(i === 0 ? 1 : -1);
    });
  }
}

describe('overlay: named cases', () => {
  it('adjacent squares sharing an edge: no intersection, union is one polygon', () => {
    const a = [sq(0, 0)], b = [sq(1, 0)];
    expect(area(intersect(a, b))).toBe(0);
    expect(intersect(a, b)).toEqual([]);
    const u = union([a, b]);
    expect(u).toHaveLength(1);
    expect(u[0]).toHaveLength(1);
    expect(area(u) / (area(a) + area(b)) - 1).toBeLessThan(1e-12);
    expect(area(difference(a, b)) / area(a)).toBeCloseTo(1, 12);
    expectWellFormed(u);
  });

  it('partly shared edge (squares offset by half a side)', () => {
    const a = [sq(0, 0, 2)], b = [sq(2, 1, 2)];
    expect(area(intersect(a, b))).toBe(0);
    expect(union([a, b])).toHaveLength(1);
  });

  it('touching only at a corner: area 0, union keeps two polygons (figure-8 rebuilt)', () => {
    const a = [sq(0, 0)], b = [sq(1, 1)];
    expect(area(intersect(a, b))).toBe(0);
    const u = union([a, b]);
    expect(u).toHaveLength(2);
    close(area(u), 2 * A1);
    expectWellFormed(u);
  });

  it('overlapping squares', () => {
    const a = [sq(0, 0, 2)], b = [sq(1, 1, 2)];
    const i = intersect(a, b);
    close(area(i), area([sq(1, 1, 1)]));
    close(area(difference(a, b)), area(a) - area(i));
    close(area(union([a, b])), area(a) + area(b) - area(i));
    expectWellFormed(i);
  });

  it('site entirely inside a feature: intersection is the site, difference empty', () => {
    const feature = [sq(0, 0, 10)], site = [sq(3, 3, 2)];
    expect(area(intersect(site, feature)) / area(site)).toBeCloseTo(1, 12);
    expect(area(difference(site, feature))).toBe(0);
    close(area(difference(feature, site)), area(feature) - area(site));
  });

  it('identical polygons', () => {
    const a = [sq(0, 0, 3)];
    expect(area(intersect(a, a)) / area(a)).toBeCloseTo(1, 12);
    expect(area(difference(a, a))).toBe(0);
    expect(area(union([a, a])) / area(a)).toBeCloseTo(1, 12);
  });

  it('disjoint: empty intersection, difference is the site', () => {
    const a = [sq(0, 0)], b = [sq(5, 5)];
    expect(intersect(a, b)).toEqual([]);
    expect(area(difference(a, b))).toBeCloseTo(area(a), 6);
    expect(union([a, b])).toHaveLength(2);
  });

  it('feature with a hole: the hole is excluded from the overlap', () => {
    const feature: MultiPolygonCoords = [[rect(L, B, L + 10 * g, B + 10 * g), rect(L + 4 * g, B + 4 * g, L + 6 * g, B + 6 * g).reverse()]];
    const site = [sq(3, 3, 4)]; // covers the hole and a 1-cell frame around it
    const i = intersect(site, feature);
    close(area(i), area(site) - area([sq(4, 4, 2)]));
    expect(i[0]).toHaveLength(2); // result keeps a hole
    expectWellFormed(i);
    const d = difference(site, feature);
    close(area(d), area([sq(4, 4, 2)]));
  });

  it('site exactly filling a hole: touches along the whole boundary, overlap 0', () => {
    const feature: MultiPolygonCoords = [[rect(L, B, L + 10 * g, B + 10 * g), rect(L + 4 * g, B + 4 * g, L + 6 * g, B + 6 * g).reverse()]];
    const site = [sq(4, 4, 2)];
    expect(area(intersect(site, feature))).toBeLessThan(1e-6);
    close(area(difference(site, feature)), area(site));
    close(area(union([site, feature])), area([sq(0, 0, 10)]));
  });

  it('multipolygon feature: the overlap sums over its parts', () => {
    const feature: MultiPolygonCoords = [sq(0, 0, 2), sq(3, 0, 2), sq(6, 0, 2)];
    const site = [sq(1, 0.5, 6, 1)]; // spans x 1..7
    const i = intersect(site, feature);
    expect(i).toHaveLength(3);
    const expected = area([sq(1, 0.5, 1, 1)]) + area([sq(3, 0.5, 2, 1)]) + area([sq(6, 0.5, 1, 1)]);
    close(area(i), expected);
  });

  it('union dissolves a list of overlapping and adjacent parcels', () => {
    const parcels = [[sq(0, 0)], [sq(1, 0)], [sq(0.5, 0.5)], [sq(5, 5)]];
    const u = union(parcels);
    expect(u).toHaveLength(2);
    expectWellFormed(u);
    expect(union([])).toEqual([]);
    expect(union([[]])).toEqual([]);
  });

  it('empty operands', () => {
    expect(intersect([], [sq(0, 0)])).toEqual([]);
    expect(difference([], [sq(0, 0)])).toEqual([]);
    expect(area(difference([sq(0, 0)], []))).toBeCloseTo(A1, 6);
  });

  it('does not mutate its inputs', () => {
    const a = [sq(0, 0, 2)], b = [sq(1, 1, 2)];
    const ca = JSON.stringify(a), cb = JSON.stringify(b);
    intersect(a, b); difference(a, b); union([a, b]);
    expect(JSON.stringify(a)).toBe(ca);
    expect(JSON.stringify(b)).toBe(cb);
  });
});

interface MartinezCase { note: string; a: MultiPolygonCoords; b: MultiPolygonCoords; intersectionM2?: number; unionM2?: number }
const MARTINEZ_DIR = new URL('./fixtures/martinez/', import.meta.url);

describe('overlay: martinez bug cases', () => {
  for (const file of readdirSync(MARTINEZ_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(new URL(file, MARTINEZ_DIR), 'utf8')) as MartinezCase;
    it(`${file}: ${c.note}`, () => {
      const A = area(c.a), B = area(c.b);
      const I = area(intersect(c.a, c.b)), D = area(difference(c.a, c.b)), U = area(union([c.a, c.b]));
      expect(Math.abs(I + D - A) / A).toBeLessThan(ADDITIVITY);
      expect(Math.abs(U - (A + B - I)) / A).toBeLessThan(ADDITIVITY);
      if (c.intersectionM2 !== undefined) expect(I).toBeCloseTo(c.intersectionM2, 1);
      if (c.unionM2 !== undefined) expect(U).toBeCloseTo(c.unionM2, 1);
    });
  }
});

describe('overlay: area identities on fuzzed inputs', () => {
  /**
   * Grid triangles and rectangles (shared vertices, vertices on edges, collinear edges: where
   * martinez fails) and random stars. Identities are checked on planar areas, which are exactly
   * additive; the slack covers results computed with a nudged operand (≤ perimeter × 1e-9°).
   */
  it('A∩B + A−B = A and A∪B + A∩B = A + B (planar) for 900 random pairs', () => {
    const r = rng(42);
    const q = () => Math.floor(r() * 6) * 0.0001;
    let worst = 0;
    for (let k = 0; k < 900; k++) {
      let a: MultiPolygonCoords, b: MultiPolygonCoords;
      if (k % 3 === 0) {
        const mk = () => { const x = L + q(), y = B + q(), w = 0.0001 * (1 + Math.floor(r() * 4)), h = 0.0001 * (1 + Math.floor(r() * 4)); return [rect(x, y, x + w, y + h)]; };
        a = [mk()];
        b = union([[mk()], [mk()]]);
      } else if (k % 3 === 1) {
        const tri = (): PolygonCoords => { const p = (): [number, number] => [L + q(), B + q()]; const t = [p(), p(), p()]; return [[...t, t[0]]]; };
        a = [tri()];
        b = [tri()];
        if (planarArea(a) < 1e-10 || planarArea(b) < 1e-10) continue; // collinear draw
      } else {
        a = [[starRing(L, B, 100, 3 + Math.floor(r() * 15), r)]];
        b = [[starRing(L + (r() - 0.5) * 200 * DLON, B + (r() - 0.5) * 200 * DLAT, 100, 3 + Math.floor(r() * 15), r)]];
      }
      const A = planarArea(a), Bv = planarArea(b);
      const I = planarArea(intersect(a, b)), D = planarArea(difference(a, b)), U = planarArea(union([a, b]));
      worst = Math.max(worst, Math.abs(I + D - A) / A, Math.abs(U + I - A - Bv) / A);
    }
    console.log(`overlay identities on fuzzed pairs: worst relative error ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
  });
});

describe('overlay: timing', () => {
  it('intersect + ellipsoidalArea of a 1 ha site against a 20-vertex patch', () => {
    const r = rng(5);
    const site: MultiPolygonCoords = [[rect(L, B, L + 100 * DLON, B + 100 * DLAT)]];
    const patch: MultiPolygonCoords = [[starRing(L + 80 * DLON, B + 50 * DLAT, 60, 20, r)]];
    for (let i = 0; i < 50; i++) area(intersect(site, patch)); // warm up
    const n = 500;
    const t0 = performance.now();
    let s = 0;
    for (let i = 0; i < n; i++) s += area(intersect(site, patch));
    const us = ((performance.now() - t0) / n) * 1000;
    expect(s / n).toBeGreaterThan(0);
    console.log(`intersect + area, 1 ha site × 20-vertex patch: ${us.toFixed(0)} µs per call`);
    expect(us).toBeLessThan(5000);
  });
});

describe('overlay: PostGIS cross-check of overlap areas', () => {
  const pg = usePostgis();

  it('intersection and difference areas agree with ST_Intersection / ST_Difference (geography area) within 1e-6', async () => {
    const r = rng(7);
    let maxRel = 0;
    for (const [k, [a, b]] of starPairs(r, 12, 20).entries()) {
      const sql = (fn: string) => `SELECT ST_Area(${fn}(ST_GeomFromGeoJSON($1), ST_GeomFromGeoJSON($2))::geography) AS v`;
      for (const [fn, ours] of [['ST_Intersection', area(intersect(a, b))], ['ST_Difference', area(difference(a, b))]] as const) {
        const theirs = await pg().number(sql(fn), [multiPolygonJson(a), multiPolygonJson(b)]);
        const rel = Math.abs(ours - theirs) / Math.max(theirs, 1);
        maxRel = Math.max(maxRel, rel);
        expect(rel, `${fn} case ${k}`).toBeLessThan(1e-6);
      }
    }
    console.log(`overlay vs PostGIS: max relative area difference ${maxRel.toExponential(3)}`);
  });
});

