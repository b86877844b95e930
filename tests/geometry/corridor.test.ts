/**
 * Corridors (LineString / MultiLineString sites buffered by corridorWidthM/2, round caps):
 * area ≈ length × width + the two half-disc caps, and every buffer vertex at half the width
 * from the line (geodesic reference).
 */
import { describe, expect, it } from 'vitest';
import { geodesicDistanceM, normalizeSite, type Position } from '../../engine/geometry/index.js';
import { geodesicPointToSegment, LAT0, LON0 } from './helpers.js';

/** Area of the buffer's polygonal caps: JSTS approximates the circle with 64 chords. */
const capsArea = (r: number) => 32 * r * r * Math.sin((2 * Math.PI) / 64);

function corridor(coords: Position[] | Position[][], widthM: number) {
  const multi = Array.isArray(coords[0][0]);
  const r = normalizeSite({ type: multi ? 'MultiLineString' : 'LineString', coordinates: coords }, { corridorWidthM: widthM });
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.site;
}

function lineLength(line: Position[]): number {
  let s = 0;
  for (let i = 0; i + 1 < line.length; i++) s += geodesicDistanceM(line[i], line[i + 1]);
  return s;
}

describe('corridor area ≈ length × width + caps', () => {
  const cases: [string, Position[], number][] = [
    ['1 km east-west, 20 m', [[LON0, LAT0], [LON0 + 0.01, LAT0]], 20],
    ['1 km north-south, 20 m', [[LON0, LAT0], [LON0, LAT0 + 0.009]], 20],
    ['diagonal 1.4 km, 8 m', [[LON0, LAT0], [LON0 + 0.01, LAT0 + 0.009]], 8],
    ['20 km east-west, 60 m (expressway)', [[LON0 - 0.1, LAT0], [LON0 + 0.1, LAT0]], 60],
    ['30 km north-south, 30 m', [[LON0, LAT0 - 0.135], [LON0, LAT0 + 0.135]], 30],
    ['500 m, 200 m wide', [[LON0, LAT0], [LON0 + 0.005, LAT0]], 200],
    ['short 10 m, 5 m', [[LON0, LAT0], [LON0 + 0.0001, LAT0]], 5],
  ];
  let worst = 0;
  for (const [name, line, w] of cases) {
    it(name, () => {
      const site = corridor(line, w);
      expect(site.type).toBe('corridor');
      const expected = lineLength(line) * w + capsArea(w / 2);
      const rel = Math.abs(site.areaM2 / expected - 1);
      worst = Math.max(worst, rel);
      expect(rel).toBeLessThan(5e-3); // the brief's bound
      expect(rel).toBeLessThan(2e-4); // what the ellipsoid-aware buffer achieves
    });
  }
  it('reports the worst relative error', () => {
    console.log(`corridor area vs length × width + caps: worst relative error ${worst.toExponential(2)}`);
  });

  it('a bent road: within 0.5 % of length × width + caps', () => {
    const line: Position[] = [[LON0, LAT0], [LON0 + 0.005, LAT0 + 0.002], [LON0 + 0.01, LAT0 - 0.001], [LON0 + 0.015, LAT0 + 0.001]];
    const site = corridor(line, 12);
    expect(Math.abs(site.areaM2 / (lineLength(line) * 12 + capsArea(6)) - 1)).toBeLessThan(5e-3);
  });

  it('two separate lines: two polygons, twice the area of one', () => {
    const a: Position[] = [[LON0, LAT0], [LON0 + 0.01, LAT0]];
    const b: Position[] = [[LON0, LAT0 + 0.01], [LON0 + 0.01, LAT0 + 0.01]];
    const site = corridor([a, b], 10);
    expect(site.polygons).toHaveLength(2);
    const one = corridor(a, 10).areaM2;
    expect(site.areaM2 / (2 * one)).toBeCloseTo(1, 3);
  });

  it('vertex count reported is the input line', () => {
    expect(corridor([[LON0, LAT0], [LON0 + 0.001, LAT0], [LON0 + 0.002, LAT0 + 0.001]], 10).vertexCount).toBe(3);
  });
});

describe('corridor geometry is right on the ellipsoid', () => {
  for (const [name, line] of [
    ['east-west', [[LON0, LAT0], [LON0 + 0.02, LAT0]]],
    ['north-south', [[LON0, LAT0], [LON0, LAT0 + 0.02]]],
    ['bent', [[LON0, LAT0], [LON0 + 0.01, LAT0 + 0.005], [LON0 + 0.02, LAT0]]],
  ] as [string, Position[]][]) {
    it(`every buffer vertex lies at half the width from the ${name} line (±0.1 %)`, () => {
      const w = 40;
      const site = corridor(line, w);
      let worst = 0;
      for (const p of site.polygons[0][0]) {
        let d = Infinity;
        for (let i = 0; i + 1 < line.length; i++) d = Math.min(d, geodesicPointToSegment(p, line[i], line[i + 1]));
        worst = Math.max(worst, Math.abs(d / (w / 2) - 1));
      }
      // chords of the round joins put no vertex inside the circle; all vertices are on it
      expect(worst).toBeLessThan(1e-3);
    });
  }
});
