/**
 * Ring-level checks of site validation: at least 4 positions, closed, repeated consecutive
 * positions dropped (tolerated, counted for a warning), not of zero area.
 */
import { IssueList, fmtPos } from './issues.js';
import { ringSignedArea2 } from './planar.js';
import type { ParsedPath } from './parse-geometry.js';
import type { Position } from './types.js';

/** A ring that passed the ring-level checks. */
export interface PreparedRing {
  path: string;
  /** Closed, without repeated consecutive positions. */
  coords: Position[];
  /** Index in the input of each kept position. */
  orig: number[];
  /** Twice the signed planar area (deg²), positive when counter-clockwise. */
  area2: number;
}

/** Drop repeated consecutive positions; returns kept positions and their input indices. */
export function dropRepeats(coords: readonly Position[]): { coords: Position[]; orig: number[] } {
  const out: Position[] = [];
  const orig: number[] = [];
  coords.forEach((p, i) => {
    const last = out[out.length - 1];
    if (last && last[0] === p[0] && last[1] === p[1]) return;
    out.push(p);
    orig.push(i);
  });
  return { coords: out, orig };
}

/** Check one ring; returns null after reporting an issue. `repeats` counts dropped positions. */
export function prepareRing(ring: ParsedPath, issues: IssueList, repeats: { n: number }): PreparedRing | null {
  const { path, coords: raw } = ring;
  if (raw.length < 4) {
    issues.add(path, `环至少需要 4 个坐标点（首尾相同），实际 ${raw.length} 个`);
    return null;
  }
  const f = raw[0], l = raw[raw.length - 1];
  if (f[0] !== l[0] || f[1] !== l[1]) {
    issues.add(path, `环未闭合：首点 ${fmtPos(f[0], f[1])} 与末点 ${fmtPos(l[0], l[1])} 不同，GeoJSON 要求首尾坐标相同`);
    return null;
  }
  const { coords, orig } = dropRepeats(raw);
  repeats.n += raw.length - coords.length;
  if (coords.length < 4) {
    issues.add(path, `环的面积为零：去除重复点后只有 ${coords.length - 1} 个不同顶点`);
    return null;
  }
  if (isFlat(coords)) {
    issues.add(path, '环的面积为零：所有顶点共线');
    return null;
  }
  // An edge spanning more than 180° of longitude is ambiguous (it could go either way round the
  // globe), and on the ellipsoid an edge along a meridian line at ±180° has no length: refused.
  for (let i = 1; i < coords.length; i++) {
    if (Math.abs(coords[i][0] - coords[i - 1][0]) > 180) {
      issues.add(`${path}/${orig[i]}`, `相邻两点经度相差超过 180°（${fmtPos(coords[i - 1][0], coords[i - 1][1])} 至 ${fmtPos(coords[i][0], coords[i][1])}），该边跨越 180° 经线，不受支持`);
      return null;
    }
  }
  const area2 = ringSignedArea2(coords);
  return { path, coords, orig, area2 };
}

/**
 * True when every vertex lies within 1e-9 × the ring's length of the line through its first
 * vertex and the vertex farthest from it (zero area; a bow-tie is not flat).
 */
function isFlat(coords: readonly Position[]): boolean {
  const [x0, y0] = coords[0];
  let fx = x0, fy = y0, fd = 0;
  for (const [x, y] of coords) {
    const d = Math.hypot(x - x0, y - y0);
    if (d > fd) { fd = d; fx = x; fy = y; }
  }
  if (fd === 0) return true;
  const ux = (fx - x0) / fd, uy = (fy - y0) / fd;
  for (const [x, y] of coords) {
    if (Math.abs((x - x0) * uy - (y - y0) * ux) > 1e-9 * fd) return false;
  }
  return true;
}
