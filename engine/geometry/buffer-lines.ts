/**
 * Buffers (multi)linestrings by a half-width in metres into polygons in lon/lat, with ROUND caps
 * and joins (@turf/buffer / JSTS, 16 segments per quarter circle).
 *
 * @turf/buffer works on a sphere (R = 6371008.8 m), which would make the corridor up to 0.4 %
 * too narrow or too wide on the ellipsoid. So the lines are first projected to a CGCS2000
 * transverse-Mercator plane centred on them (true metres), those metres are handed to turf as
 * positions near (0°, 0°) on turf's sphere through the inverse of the very projection turf applies
 * (spherical azimuthal equidistant), and the buffer comes back the same way. The width is then
 * right to ≈ x²/(2R²) at x km from the centre (1e-5 for a 40 km long corridor).
 *
 * @example bufferLines([[[112.6, 26.9], [112.61, 26.9]]], 10) // a 20 m wide corridor
 */
import { buffer } from '@turf/buffer';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { bboxOf } from './bbox.js';
import { cleanPolygons } from './clean-polygons.js';
import { localProjection } from './local-projection.js';
import type { MultiPolygonCoords, Position } from './types.js';

/** turf's earth radius (metres). */
const TURF_R = 6371008.8;
const DEG = 180 / Math.PI;

/** Plane metres → position on turf's sphere (inverse azimuthal equidistant centred on 0°, 0°). */
function toSphere(x: number, y: number): Position {
  const rho = Math.hypot(x, y);
  if (rho === 0) return [0, 0];
  const c = rho / TURF_R;
  const sc = Math.sin(c);
  return [Math.atan2(x * sc, rho * Math.cos(c)) * DEG, Math.asin((sc * y) / rho) * DEG];
}

/** Position on turf's sphere → plane metres (azimuthal equidistant centred on 0°, 0°). */
function fromSphere(lon: number, lat: number): [number, number] {
  const l = lon / DEG, p = lat / DEG;
  const cosc = Math.cos(p) * Math.cos(l);
  const c = Math.acos(Math.max(-1, Math.min(1, cosc)));
  const k = c === 0 ? 1 : c / Math.sin(c);
  return [TURF_R * k * Math.cos(p) * Math.sin(l), TURF_R * k * Math.sin(p)];
}

/** Buffer lines (each with ≥ 2 distinct positions) by `halfWidthM`; [] if the buffer fails. */
export function bufferLines(lines: Position[][], halfWidthM: number): MultiPolygonCoords {
  const box = bboxOf(lines);
  const proj = localProjection((box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  const sphere = lines.map((l) => l.map(([lon, lat]) => {
    const [x, y] = proj.forward(lon, lat);
    return toSphere(x, y);
  }));
  const out = buffer({ type: 'MultiLineString', coordinates: sphere }, halfWidthM, { units: 'meters', steps: 16 }) as
    Feature<Polygon | MultiPolygon> | undefined;
  if (!out || !out.geometry) return [];
  const g = out.geometry;
  const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][];
  const back = polys.map((poly) => poly.map((ring) => ring.map(([lon, lat]) => {
    const [x, y] = fromSphere(lon, lat);
    return proj.inverse(x, y);
  })));
  for (const poly of back) for (const ring of poly) for (const p of ring) {
    if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return [];
  }
  return cleanPolygons(back);
}
