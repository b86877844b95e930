/**
 * A point guaranteed to lie strictly inside a polygon (holes respected), not merely its centroid
 * (which may fall outside a concave or holed polygon). Scan-line method: horizontal lines halfway
 * between consecutive distinct vertex latitudes cross the polygon in intervals (even–odd over every
 * ring); the midpoint of the widest interval lies inside. Of several scan lines the one whose point
 * is farthest from the boundary (the smaller of half the interval and half the vertex gap) wins.
 *
 * @example interiorPoint([[[0, 0], [4, 0], [4, 1], [1, 1], [1, 4], [0, 4], [0, 0]]]) // an L shape: a point in one arm
 */
import type { PolygonCoords, Position } from '../geometry/index.js';

const MAX_SCANLINES = 24;

export function interiorPoint(poly: PolygonCoords): Position | null {
  return interiorPoints(poly, 1)[0] ?? null;
}

/** Up to `k` points strictly inside the polygon, the farthest from its boundary first. */
export function interiorPoints(poly: PolygonCoords, k: number): Position[] {
  if (poly.length === 0 || poly[0].length < 4) return [];
  const ys: number[] = [];
  for (const ring of poly) for (const p of ring) ys.push(p[1]);
  ys.sort((a, b) => a - b);
  const gaps: { y: number; gap: number }[] = [];
  for (let i = 1; i < ys.length; i++) {
    const gap = ys[i] - ys[i - 1];
    if (gap > 0) gaps.push({ y: ys[i - 1] + gap / 2, gap });
  }
  if (gaps.length === 0) return [];
  // The widest gaps first: a scan line far from every vertex latitude is robust.
  gaps.sort((a, b) => b.gap - a.gap);
  const found: { p: Position; score: number }[] = [];
  for (const { y, gap } of gaps.slice(0, Math.max(MAX_SCANLINES, k))) {
    const xs: number[] = [];
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        const a = ring[i - 1];
        const b = ring[i];
        if ((a[1] > y) !== (b[1] > y)) xs.push(a[0] + ((y - a[1]) * (b[0] - a[0])) / (b[1] - a[1]));
      }
    }
    xs.sort((a, b) => a - b);
    let best: { p: Position; score: number } | null = null;
    for (let i = 0; i + 1 < xs.length; i += 2) {
      const w = xs[i + 1] - xs[i];
      if (!(w > 0)) continue;
      const score = Math.min(w, gap) / 2;
      if (!best || score > best.score) best = { p: [(xs[i] + xs[i + 1]) / 2, y], score };
    }
    if (best) found.push(best);
  }
  return found.sort((a, b) => b.score - a.score).slice(0, k).map((f) => f.p);
}

/** How far (degrees) the point found by interiorPoint is from the polygon's boundary, at least. */
export function interiorPointClearance(poly: PolygonCoords, p: Position): number {
  let d = Infinity;
  for (const ring of poly) {
    for (let i = 1; i < ring.length; i++) d = Math.min(d, segmentDistance(p, ring[i - 1], ring[i]));
  }
  return d;
}

function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  const x = a[0] + t * dx - p[0];
  const y = a[1] + t * dy - p[1];
  return Math.hypot(x, y);
}
