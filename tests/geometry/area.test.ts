/**
 * ellipsoidalArea against independently known values: the closed-form area of a lat/lon cell
 * (authalic-latitude formula), geographiclib's documented test values, and PostGIS
 * ST_Area(geography) for ~20 polygons near 112.6°E 26.9°N from 1 m² to 10 km².
 */
import { describe, expect, it } from 'vitest';
import { ellipsoidalArea, type MultiPolygonCoords, type PolygonCoords, type Position } from '../../engine/geometry/index.js';
import { circleRing, DLAT, DLON, LAT0, LON0, rect, rng, squareM, starRing } from './helpers.js';
import { multiPolygonJson, usePostgis } from './postgis.js';

/** Area of the cell [lon0, lon0+dlon] × [lat1, lat2] on an ellipsoid (a, f), closed form. */
function cellArea(a: number, f: number, dlonDeg: number, lat1: number, lat2: number): number {
  const e2 = f * (2 - f);
  const e = Math.sqrt(e2);
  const q = (lat: number) => {
    const s = Math.sin((lat * Math.PI) / 180);
    return (1 - e2) * (s / (1 - e2 * s * s) - (1 / (2 * e)) * Math.log((1 - e * s) / (1 + e * s)));
  };
  return ((a * a) / 2) * ((dlonDeg * Math.PI) / 180) * (q(lat2) - q(lat1));
}

/** A cell whose parallels are densified (geodesic edges then follow them to < 1e-9 relative). */
function densifiedCell(lon0: number, lat1: number, lon1: number, lat2: number, n: number): PolygonCoords {
  const ring: Position[] = [];
  for (let i = 0; i <= n; i++) ring.push([lon0 + ((lon1 - lon0) * i) / n, lat1]);
  for (let i = 0; i <= n; i++) ring.push([lon1 - ((lon1 - lon0) * i) / n, lat2]);
  ring.push([lon0, lat1]);
  return [ring];
}

describe('ellipsoidalArea: independent references', () => {
  it('matches the closed-form area of a 1°×1° cell (CGCS2000)', () => {
    const expected = cellArea(6378137, 1 / 298.257222101, 1, 26, 27);
    const got = ellipsoidalArea(densifiedCell(112, 26, 113, 27, 2000));
    expect(Math.abs(got / expected - 1)).toBeLessThan(1e-8);
    expect(expected).toBeGreaterThan(1.1e10);
  });

  it('matches the closed-form area of a 0.01° cell at 26.9°N', () => {
    const expected = cellArea(6378137, 1 / 298.257222101, 0.01, 26.9, 26.91);
    const got = ellipsoidalArea(densifiedCell(112.6, 26.9, 112.61, 26.91, 50));
    expect(Math.abs(got / expected - 1)).toBeLessThan(1e-9);
  });

  it("matches geographiclib's documented Planimeter values (WGS84 values; CGCS2000 differs < 1e-9)", () => {
    // geographiclib-geodesic test/geodesictest.js, Planimeter0: points given as [lat, lon]
    const diamond: Position[] = [[-1, 0], [0, -1], [1, 0], [0, 1], [-1, 0]];
    expect(ellipsoidalArea([diamond]) / 24619419146 - 1).toBeLessThan(1e-8);
    const octant: Position[] = [[0, 90], [0, 0], [90, 0], [0, 90]];
    expect(Math.abs(ellipsoidalArea([octant]) / 63758202715511 - 1)).toBeLessThan(1e-8);
  });

  it('is orientation-independent and subtracts holes', () => {
    const outer = rect(112.6, 26.9, 112.61, 26.91);
    const hole = rect(112.602, 26.902, 112.604, 26.904).reverse();
    const a = ellipsoidalArea([[outer]]);
    expect(ellipsoidalArea([[outer.slice().reverse()]])).toBeCloseTo(a, 6);
    const h = ellipsoidalArea([[hole]]);
    expect(ellipsoidalArea([[outer, hole]])).toBeCloseTo(a - h, 4);
    expect(ellipsoidalArea([outer, hole.slice().reverse()])).toBeCloseTo(a - h, 4); // PolygonCoords form
    expect(ellipsoidalArea([])).toBe(0);
  });
});

/** ~20 polygons near the test area, 1 m² … 10 km², with holes and multipolygons. */
function oracleCases(): { name: string; coords: MultiPolygonCoords }[] {
  const r = rng(20261125);
  const cases: { name: string; coords: MultiPolygonCoords }[] = [];
  for (const side of [1, 3, 10, 31.6, 100, 316, 1000, 3162]) {
    cases.push({ name: `square ${side} m`, coords: [squareM(LON0 + r() * 0.05, LAT0 + r() * 0.05, side)] });
  }
  for (const rM of [2, 20, 200, 800, 1700]) {
    cases.push({ name: `star r=${rM} m`, coords: [[starRing(LON0 + r() * 0.05, LAT0 + r() * 0.05, rM, 40, r)]] });
  }
  cases.push({ name: 'clockwise star', coords: [[starRing(LON0, LAT0, 300, 25, r, false)]] });
  const c = [LON0 + 0.02, LAT0 + 0.02] as const;
  cases.push({
    name: 'circle with two holes',
    coords: [[circleRing(c[0], c[1], 1000, 64), circleRing(c[0] + 300 * DLON, c[1], 150, 32, false), circleRing(c[0] - 300 * DLON, c[1], 200, 32, false)]],
  });
  cases.push({
    name: 'square with square hole (1 m² ring)',
    coords: [[rect(LON0, LAT0, LON0 + 3 * DLON, LAT0 + 3 * DLAT), rect(LON0 + DLON, LAT0 + DLAT, LON0 + 2 * DLON, LAT0 + 2 * DLAT).reverse()]],
  });
  cases.push({
    name: 'multipolygon of three stars',
    coords: [0, 1, 2].map((i) => [starRing(LON0 + i * 0.01, LAT0 - 0.01, 400, 30, r)]),
  });
  cases.push({
    name: 'multipolygon with hole and island in the hole',
    coords: [
      [rect(LON0, LAT0, LON0 + 0.02, LAT0 + 0.02), rect(LON0 + 0.005, LAT0 + 0.005, LON0 + 0.015, LAT0 + 0.015).reverse()],
      [rect(LON0 + 0.008, LAT0 + 0.008, LON0 + 0.012, LAT0 + 0.012)],
    ],
  });
  cases.push({ name: '10 km² rectangle', coords: [[rect(LON0, LAT0, LON0 + 2500 * DLON, LAT0 + 4000 * DLAT)]] });
  cases.push({ name: 'long thin strip 2 km × 2 m', coords: [[rect(LON0, LAT0, LON0 + 2000 * DLON, LAT0 + 2 * DLAT)]] });
  return cases;
}

describe('ellipsoidalArea against PostGIS ST_Area(geography)', () => {
  const pg = usePostgis();

  it('agrees within 1e-4 relative for ~20 polygons (reports the max)', async () => {
    const cases = oracleCases();
    expect(cases.length).toBeGreaterThanOrEqual(20);
    let maxRel = 0;
    const rows: string[] = [];
    for (const c of cases) {
      const ours = ellipsoidalArea(c.coords);
      const theirs = await pg().number('SELECT ST_Area(ST_GeomFromGeoJSON($1)::geography) AS v', [multiPolygonJson(c.coords)]);
      const rel = Math.abs(ours - theirs) / theirs;
      maxRel = Math.max(maxRel, rel);
      rows.push(`${c.name.padEnd(44)} ${theirs.toFixed(3).padStart(16)} m²  rel ${rel.toExponential(2)}`);
      expect(rel, c.name).toBeLessThan(1e-4);
    }
    console.log(`ellipsoidalArea vs PostGIS: max relative difference ${maxRel.toExponential(3)}\n${rows.join('\n')}`);
  });
});
