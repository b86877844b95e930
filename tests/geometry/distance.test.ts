/**
 * distanceM / distanceToPolygonsM against geodesic references (geographiclib Inverse, with a
 * ternary search along geodesic segments), within 0.1 % up to ~20 km; zero when touching.
 */
import { describe, expect, it } from 'vitest';
import {
  distanceM, distanceToPolygonsM, normalizeSite, type MultiPolygonCoords, type NormalizedSite, type Position,
} from '../../engine/geometry/index.js';
import { cgcs2000, circleRing, DLAT, DLON, geodesicLinesDistance, geodesicPointToSegment, LAT0, LON0, rect, rng, starRing } from './helpers.js';

function site(geometry: unknown): NormalizedSite {
  const r = normalizeSite(geometry, {});
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.site;
}
const pointSite = (p: Position) => site({ type: 'Point', coordinates: p });
const polySite = (m: MultiPolygonCoords) => site({ type: 'MultiPolygon', coordinates: m });

/** A position `d` metres from (lon, lat) along azimuth `azi` (geodesic direct problem). */
function offset(lon: number, lat: number, azi: number, d: number): Position {
  const r = cgcs2000.Direct(lat, lon, azi, d);
  return [r.lon2 ?? NaN, r.lat2 ?? NaN];
}

const rel = (a: number, b: number) => Math.abs(a - b) / b;

describe('distanceM from a point', () => {
  let worst = 0;
  for (const d of [5, 50, 500, 2000, 8000, 20000]) {
    for (const azi of [0, 37, 90, 145, 230, 300]) {
      it(`to a vertex ${d} m away at azimuth ${azi}°`, () => {
        const p: Position = [LON0, LAT0];
        const q = offset(LON0, LAT0, azi, d);
        const far = offset(q[0], q[1], azi, 3 * d); // the line leads away from the point
        const got = distanceM(pointSite(p), [[q, far]]);
        const want = cgcs2000.Inverse(LAT0, LON0, q[1], q[0]).s12 ?? NaN;
        worst = Math.max(worst, rel(got, want));
        expect(rel(got, want)).toBeLessThan(1e-3);
      });
      it(`to the middle of a segment ${d} m away at azimuth ${azi}°`, () => {
        const p: Position = [LON0, LAT0];
        const foot = offset(LON0, LAT0, azi, d);
        const len = Math.min(2000, d);
        const a = offset(foot[0], foot[1], azi + 90, len), b = offset(foot[0], foot[1], azi - 90, len);
        const got = distanceM(pointSite(p), [[a, b]]);
        const want = geodesicPointToSegment(p, a, b);
        worst = Math.max(worst, rel(got, want));
        expect(rel(got, want)).toBeLessThan(1e-3);
      });
    }
  }
  it('reports the worst relative error', () => {
    console.log(`distanceM (point) vs geodesic: worst relative error ${worst.toExponential(2)}`);
  });

  it('is 0 on the line and Infinity for no line', () => {
    const p: Position = [LON0, LAT0];
    expect(distanceM(pointSite(p), [[[LON0 - 0.01, LAT0], [LON0 + 0.01, LAT0]]])).toBe(0);
    expect(distanceM(pointSite(p), [[[LON0 + 0.01, LAT0 + 0.01], [LON0, LAT0]]])).toBe(0);
    expect(distanceM(pointSite(p), [])).toBe(Infinity);
    expect(distanceM(pointSite(p), [[]])).toBe(Infinity);
  });
});

describe('distanceM from a polygon site', () => {
  const square = [[rect(LON0, LAT0, LON0 + 100 * DLON, LAT0 + 100 * DLAT)]] as MultiPolygonCoords; // ≈ 1 ha
  const s = polySite(square);

  it('matches the geodesic reference for random roads around a 1 ha site', () => {
    const r = rng(3);
    let worst = 0;
    for (let k = 0; k < 60; k++) {
      const d = 10 + r() * 15000;
      const azi = r() * 360;
      const c: Position = [LON0 + 50 * DLON, LAT0 + 50 * DLAT];
      const m = offset(c[0], c[1], azi, 80 + d);
      const a = offset(m[0], m[1], azi + 60 + r() * 60, 50 + r() * 2000);
      const b = offset(m[0], m[1], azi - 60 - r() * 60, 50 + r() * 2000);
      const line = [a, m, b];
      const got = distanceM(s, [line]);
      const want = geodesicLinesDistance(square[0], [line]);
      expect(want).toBeGreaterThan(0);
      worst = Math.max(worst, rel(got, want));
      expect(rel(got, want), `case ${k}: ${got} vs ${want}`).toBeLessThan(1e-3);
    }
    console.log(`distanceM (polygon) vs geodesic: worst relative error ${worst.toExponential(2)}`);
  });

  it('is 0 when the line crosses, touches or lies inside the site', () => {
    expect(distanceM(s, [[[LON0 - 0.01, LAT0 + 50 * DLAT], [LON0 + 0.01, LAT0 + 50 * DLAT]]])).toBe(0);
    expect(distanceM(s, [[[LON0 - 0.01, LAT0], [LON0 - 0.001, LAT0]], [[LON0 + 100 * DLON, LAT0 - 0.01], [LON0 + 100 * DLON, LAT0 + 0.01]]])).toBe(0);
    expect(distanceM(s, [[[LON0 + 10 * DLON, LAT0 + 10 * DLAT], [LON0 + 20 * DLON, LAT0 + 20 * DLAT]]])).toBe(0);
  });

  it('site with a hole: a line inside the hole is at the distance to the hole ring', () => {
    const holed = polySite([[rect(LON0, LAT0, LON0 + 0.01, LAT0 + 0.01), rect(LON0 + 0.004, LAT0 + 0.004, LON0 + 0.006, LAT0 + 0.006).reverse()]]);
    const line: Position[] = [[LON0 + 0.005, LAT0 + 0.0045], [LON0 + 0.005, LAT0 + 0.0055]];
    const got = distanceM(holed, [line]);
    const want = geodesicLinesDistance([rect(LON0 + 0.004, LAT0 + 0.004, LON0 + 0.006, LAT0 + 0.006)], [line]);
    expect(rel(got, want)).toBeLessThan(1e-3);
  });

  it('handles 10,000-vertex sites and roads quickly', () => {
    const big = polySite([[circleRing(LON0, LAT0, 500, 10_000)]]);
    const road: Position[] = Array.from({ length: 10_000 }, (_, i) => [LON0 - 0.05 + i * 1e-5, LAT0 + 0.006 + 0.001 * Math.sin(i / 500)]);
    const t0 = performance.now();
    const got = distanceM(big, [road]);
    const ms = performance.now() - t0;
    expect(got).toBeGreaterThan(0);
    expect(ms).toBeLessThan(2000);
    console.log(`distanceM 10k × 10k vertices: ${ms.toFixed(0)} ms, ${got.toFixed(2)} m`);
  });
});

describe('distanceToPolygonsM', () => {
  const square = [[rect(LON0, LAT0, LON0 + 100 * DLON, LAT0 + 100 * DLAT)]] as MultiPolygonCoords;
  const s = polySite(square);

  it('matches the geodesic reference for random polygons around the site', () => {
    const r = rng(11);
    let worst = 0;
    for (let k = 0; k < 30; k++) {
      const d = 200 + r() * 15000;
      const c = offset(LON0 + 50 * DLON, LAT0 + 50 * DLAT, r() * 360, d);
      const other: MultiPolygonCoords = [[starRing(c[0], c[1], 100, 12, r)]];
      const got = distanceToPolygonsM(s, other);
      const want = geodesicLinesDistance(square[0], other[0]);
      worst = Math.max(worst, rel(got, want));
      expect(rel(got, want)).toBeLessThan(1e-3);
    }
    console.log(`distanceToPolygonsM vs geodesic: worst relative error ${worst.toExponential(2)}`);
  });

  it('is 0 when overlapping, touching, containing or contained', () => {
    expect(distanceToPolygonsM(s, [[rect(LON0 + 50 * DLON, LAT0 + 50 * DLAT, LON0 + 0.01, LAT0 + 0.01)]])).toBe(0);
    expect(distanceToPolygonsM(s, [[rect(LON0 + 100 * DLON, LAT0, LON0 + 0.01, LAT0 + 0.01)]])).toBe(0);
    expect(distanceToPolygonsM(s, [[rect(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01)]])).toBe(0);
    expect(distanceToPolygonsM(s, [[rect(LON0 + 10 * DLON, LAT0 + 10 * DLAT, LON0 + 20 * DLON, LAT0 + 20 * DLAT)]])).toBe(0);
  });

  it('site inside a hole of the polygon: distance to the hole ring', () => {
    const feature: MultiPolygonCoords = [[rect(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01), rect(LON0 - 0.005, LAT0 - 0.005, LON0 + 0.005, LAT0 + 0.005).reverse()]];
    const got = distanceToPolygonsM(s, feature);
    const want = geodesicLinesDistance(square[0], [feature[0][1]]);
    expect(rel(got, want)).toBeLessThan(1e-3);
  });

  it('point sites: 0 inside or on the boundary, distance to a hole ring from inside the hole', () => {
    const feature: MultiPolygonCoords = [[rect(LON0 - 0.01, LAT0 - 0.01, LON0 + 0.01, LAT0 + 0.01), rect(LON0 - 0.005, LAT0 - 0.005, LON0 + 0.005, LAT0 + 0.005).reverse()]];
    expect(distanceToPolygonsM(pointSite([LON0 + 0.007, LAT0]), feature)).toBe(0);
    expect(distanceToPolygonsM(pointSite([LON0 + 0.01, LAT0]), feature)).toBe(0);
    const p: Position = [LON0 + 0.001, LAT0];
    const want = geodesicPointToSegment(p, [LON0 + 0.005, LAT0 - 0.005], [LON0 + 0.005, LAT0 + 0.005]);
    expect(rel(distanceToPolygonsM(pointSite(p), feature), want)).toBeLessThan(1e-3);
    expect(distanceToPolygonsM(pointSite(p), [])).toBe(Infinity);
  });
});
