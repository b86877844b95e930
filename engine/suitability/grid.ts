/**
 * The evaluation grid of a suitability search: square cells of about `cellSizeM` metres laid over a
 * lon/lat box. Grid lines are computed once, so neighbouring cells share exactly the same edge
 * coordinates (their pieces dissolve cleanly).
 */
import type { BBox } from '../geometry/index.js';

const A = 6378137;
const F = 1 / 298.257222101; // CGCS2000 / GRS80
const E2 = F * (2 - F);

/** Metres per degree of latitude and of longitude at latitude `latDeg` on the CGCS2000 ellipsoid. */
export function metresPerDegree(latDeg: number): { lat: number; lon: number } {
  const phi = (latDeg * Math.PI) / 180;
  const s = Math.sin(phi);
  const w = 1 - E2 * s * s;
  const m = (A * (1 - E2)) / (w * Math.sqrt(w)); // meridian radius of curvature
  const n = A / Math.sqrt(w); // prime vertical radius of curvature
  return { lat: (m * Math.PI) / 180, lon: (n * Math.cos(phi) * Math.PI) / 180 };
}

export interface Grid {
  /** Column edges, west to east: xs[0] = west, xs[nx] = east. */
  xs: number[];
  /** Row edges, south to north. */
  ys: number[];
  nx: number;
  ny: number;
  cells: number;
}

/** Number of columns and rows a box needs at a cell size (without building the grid). */
export function gridSize([w, s, e, n]: BBox, cellSizeM: number): { nx: number; ny: number } {
  const mpd = metresPerDegree((s + n) / 2);
  const dx = cellSizeM / mpd.lon;
  const dy = cellSizeM / mpd.lat;
  // A last column or row narrower than a millionth of a cell is not added.
  return { nx: Math.max(1, Math.ceil((e - w) / dx - 1e-6)), ny: Math.max(1, Math.ceil((n - s) / dy - 1e-6)) };
}

export function buildGrid(box: BBox, cellSizeM: number): Grid {
  const [w, s, e, n] = box;
  const { nx, ny } = gridSize(box, cellSizeM);
  const mpd = metresPerDegree((s + n) / 2);
  const dx = cellSizeM / mpd.lon;
  const dy = cellSizeM / mpd.lat;
  const xs = Array.from({ length: nx + 1 }, (_, i) => (i === nx ? e : Math.min(e, w + i * dx)));
  const ys = Array.from({ length: ny + 1 }, (_, j) => (j === ny ? n : Math.min(n, s + j * dy)));
  return { xs, ys, nx, ny, cells: nx * ny };
}
