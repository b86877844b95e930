/**
 * Distance bands for the suitability search: the land within `d` metres of a road's land or of a
 * heritage footprint, as polygons, so that the arrangement can cut cells where a rule's distance
 * threshold (公路建筑控制区 widths, the search radius…) changes the answer.
 *
 * Same construction as the geometry module's corridor buffer (engine/geometry/buffer-lines.ts):
 * project to a CGCS2000 transverse-Mercator plane centred on the geometry (true metres), hand the
 * metres to @turf/buffer as positions near (0°, 0°) on turf's sphere through the inverse of turf's
 * own projection, and come back the same way — but with 64 segments per quarter circle, so a round
 * cap of radius r departs from the true distance by at most r·(1 − cos(π/256)) (≈ 7 mm at 100 m).
 */
import { buffer } from '@turf/buffer';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { bboxOf, union, type MultiPolygonCoords, type Position } from '../geometry/index.js';
import { localProjection } from '../geometry/local-projection.js';

const TURF_R = 6371008.8;
const DEG = 180 / Math.PI;
export const BAND_STEPS = 64;

function toSphere(x: number, y: number): Position {
  const rho = Math.hypot(x, y);
  if (rho === 0) return [0, 0];
  const c = rho / TURF_R;
  const sc = Math.sin(c);
  return [Math.atan2(x * sc, rho * Math.cos(c)) * DEG, Math.asin((sc * y) / rho) * DEG];
}

function fromSphere(lon: number, lat: number): [number, number] {
  const l = lon / DEG;
  const p = lat / DEG;
  const c = Math.acos(Math.max(-1, Math.min(1, Math.cos(p) * Math.cos(l))));
  const k = c === 0 ? 1 : c / Math.sin(c);
  return [TURF_R * k * Math.cos(p) * Math.sin(l), TURF_R * k * Math.sin(p)];
}

/** The land within `distM` metres of lines or polygons (lon/lat); [] when the buffer fails. */
export function bandBuffer(src: { lines?: Position[][]; polygons?: MultiPolygonCoords }, distM: number): MultiPolygonCoords {
  if (!(distM > 0)) return [];
  const all = [...(src.lines ?? []), ...(src.polygons ?? []).flat()];
  if (all.length === 0) return [];
  const box = bboxOf(all);
  const proj = localProjection((box[0] + box[2]) / 2, (box[1] + box[3]) / 2);
  const there = ([lon, lat]: Position) => {
    const [x, y] = proj.forward(lon, lat);
    return toSphere(x, y);
  };
  const parts: MultiPolygonCoords[] = [];
  const run = (geometry: { type: 'MultiLineString'; coordinates: Position[][] } | { type: 'MultiPolygon'; coordinates: Position[][][] }) => {
    const out = buffer(geometry, distM, { units: 'meters', steps: BAND_STEPS }) as Feature<Polygon | MultiPolygon> | undefined;
    if (!out?.geometry) return;
    const g = out.geometry;
    const polys = (g.type === 'Polygon' ? [g.coordinates] : g.coordinates) as Position[][][];
    const back = polys.map((poly) => poly.map((ring) => ring.map(([lon, lat]) => {
      const [x, y] = fromSphere(lon, lat);
      return proj.inverse(x, y);
    })));
    if (back.every((poly) => poly.every((ring) => ring.every((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]))))) parts.push(back);
  };
  if (src.lines?.length) run({ type: 'MultiLineString', coordinates: src.lines.map((l) => l.map(there)) });
  if (src.polygons?.length) run({ type: 'MultiPolygon', coordinates: src.polygons.map((p) => p.map((r) => r.map(there))) });
  if (parts.length === 0) return [];
  return parts.length === 1 ? union([parts[0]]) : union(parts);
}

/**
 * The parts of lines that can come within `reachDeg` (degrees, generous) of a box: whole segments
 * whose bounding box meets the box grown by `reachDeg`. A buffer of the parts equals the buffer of
 * the whole lines inside the box, for any distance up to that reach.
 */
export function linesNear(lines: Position[][], box: [number, number, number, number], reachDeg: [number, number]): Position[][] {
  const [w, s, e, n] = [box[0] - reachDeg[0], box[1] - reachDeg[1], box[2] + reachDeg[0], box[3] + reachDeg[1]];
  const out: Position[][] = [];
  for (const line of lines) {
    let cur: Position[] = [];
    for (let i = 1; i < line.length; i++) {
      const a = line[i - 1];
      const b = line[i];
      const meets = Math.min(a[0], b[0]) <= e && Math.max(a[0], b[0]) >= w && Math.min(a[1], b[1]) <= n && Math.max(a[1], b[1]) >= s;
      if (meets) {
        if (cur.length === 0) cur.push(a);
        cur.push(b);
      } else if (cur.length) {
        out.push(cur);
        cur = [];
      }
    }
    if (cur.length) out.push(cur);
  }
  return out;
}
