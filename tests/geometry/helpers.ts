/** Shape generators and references shared by the geometry tests. */
import * as geographiclibNs from 'geographiclib-geodesic';
import type { MultiPolygonCoords, PolygonCoords, Position, Ring } from '../../engine/geometry/index.js';

type Lib = typeof geographiclibNs;
export const geographiclib: Lib = (geographiclibNs as unknown as { default?: Lib }).default ?? geographiclibNs;
/** WGS84, as PostGIS uses it. */
export const wgs84 = geographiclib.Geodesic.WGS84;
/** CGCS2000, as the engine uses it. */
export const cgcs2000 = new geographiclib.Geodesic.Geodesic(6378137, 1 / 298.257222101);

/** The test area: 相市乡, 衡南县. */
export const LON0 = 112.6;
export const LAT0 = 26.9;

/** Degrees of longitude / latitude per metre near LAT0 (good to ~1e-3, for building shapes only). */
export const DLON = 1 / (111320 * Math.cos((LAT0 * Math.PI) / 180));
export const DLAT = 1 / 110850;

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Axis-aligned rectangle ring (counter-clockwise, closed) in degrees. */
export function rect(x0: number, y0: number, x1: number, y1: number): Ring {
  return [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];
}

/** A square of side `sideM` metres with its south-west corner at (lon, lat), as a polygon. */
export function squareM(lon: number, lat: number, sideM: number): PolygonCoords {
  return [rect(lon, lat, lon + sideM * DLON, lat + sideM * DLAT)];
}

/** A star-shaped ring (simple by construction) of mean radius `rM` metres around (lon, lat). */
export function starRing(lon: number, lat: number, rM: number, n: number, rand: () => number, ccw = true): Ring {
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const t = ((ccw ? i : -i) / n) * 2 * Math.PI;
    const r = rM * (0.6 + 0.8 * rand());
    ring.push([lon + r * Math.cos(t) * DLON, lat + r * Math.sin(t) * DLAT]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/** A circle-ish ring of radius `rM` metres (n vertices). */
export function circleRing(lon: number, lat: number, rM: number, n: number, ccw = true): Ring {
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const t = ((ccw ? i : -i) / n) * 2 * Math.PI;
    ring.push([lon + rM * Math.cos(t) * DLON, lat + rM * Math.sin(t) * DLAT]);
  }
  ring.push([ring[0][0], ring[0][1]]);
  return ring;
}

/**
 * Geodesic distance (CGCS2000) from p to the geodesic segment a–b, by ternary search along the
 * segment (the distance is unimodal along short segments) — an independent reference.
 */
export function geodesicPointToSegment(p: Position, a: Position, b: Position): number {
  const g = cgcs2000;
  const inv = g.Inverse(a[1], a[0], b[1], b[0]);
  const len = inv.s12 ?? 0;
  const line = g.InverseLine(a[1], a[0], b[1], b[0]);
  const dist = (s: number) => {
    const q = line.Position(s);
    return g.Inverse(p[1], p[0], q.lat2 ?? NaN, q.lon2 ?? NaN).s12 ?? NaN;
  };
  let lo = 0, hi = len;
  for (let i = 0; i < 200 && hi - lo > 1e-6; i++) {
    const m1 = lo + (hi - lo) / 3, m2 = hi - (hi - lo) / 3;
    if (dist(m1) < dist(m2)) hi = m2;
    else lo = m1;
  }
  return Math.min(dist(0), dist(len), dist((lo + hi) / 2));
}

/** Reference distance between two sets of lines (no intersection assumed). */
export function geodesicLinesDistance(a: Position[][], b: Position[][]): number {
  let best = Infinity;
  const scan = (from: Position[][], to: Position[][]) => {
    for (const l of from) for (const p of l) for (const m of to) {
      if (m.length === 1) best = Math.min(best, cgcs2000.Inverse(p[1], p[0], m[0][1], m[0][0]).s12 ?? NaN);
      for (let i = 0; i + 1 < m.length; i++) best = Math.min(best, geodesicPointToSegment(p, m[i], m[i + 1]));
    }
  };
  scan(a, b);
  scan(b, a);
  return best;
}

/** All rings of a multipolygon as lines. */
export function ringsOf(m: MultiPolygonCoords): Position[][] {
  return m.flat();
}

/**
 * Overlay test pairs around (LON0, LAT0): a star of `vertices` vertices, and another star or
 * (every third pair) a circle with a hole, placed so that they overlap partly.
 */
export function starPairs(rand: () => number, count: number, vertices = 24): [MultiPolygonCoords, MultiPolygonCoords][] {
  const out: [MultiPolygonCoords, MultiPolygonCoords][] = [];
  for (let k = 0; k < count; k++) {
    const a: MultiPolygonCoords = [[starRing(LON0, LAT0, 300, vertices, rand)]];
    const cx = LON0 + (rand() - 0.5) * 400 * DLON;
    const b: MultiPolygonCoords = k % 3 === 0
      ? [[circleRing(cx, LAT0, 250, 48), circleRing(cx + (rand() - 0.5) * 200 * DLON, LAT0, 60, 16, false)]]
      : [[starRing(LON0 + (rand() - 0.5) * 400 * DLON, LAT0 + (rand() - 0.5) * 400 * DLAT, 300, 25, rand)]];
    out.push([a, b]);
  }
  return out;
}
