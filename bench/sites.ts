/**
 * Benchmark sites placed inside a jurisdiction (seeded, reproducible): a point, a 1 ha and a 100 ha
 * quadrilateral (random aspect 0.6–1.6 and rotation), and a 10 km linear site (a gently turning
 * LineString with corridorWidthM 30). Sites leaving the boundary are dropped by the caller.
 */
import type { Bundle } from '../engine/index.js';
import { pointInPolygons, type Position } from '../engine/geometry/index.js';

export type SiteKind = 'point' | '1ha' | '100ha' | '10km';
export const SITE_KINDS: SiteKind[] = ['point', '1ha', '100ha', '10km'];
export const SITE_LABEL: Record<SiteKind, string> = { point: 'point', '1ha': '1 ha', '100ha': '100 ha', '10km': '10 km linear' };
export const CORRIDOR_WIDTH_M = 30;

export interface BenchRequest {
  jurisdiction: string;
  project: { name: string; activity: string; attributes: Record<string, number> };
  site: { type: string; coordinates: unknown };
}

const M_LAT = 110_574;
const mLon = (lat: number) => 111_320 * Math.cos((lat * Math.PI) / 180);

export class SiteMaker {
  private s: number;
  constructor(private readonly bundle: Bundle, seed: number) {
    this.s = (seed * 2654435761) >>> 0 || 1;
  }
  private rnd(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  inside(p: Position): boolean {
    return this.bundle.boundary.some((b) => pointInPolygons(p, b.polygons!));
  }
  point(): Position {
    const [w, s, e, n] = this.bundle.bbox;
    for (;;) {
      const p: Position = [w + this.rnd() * (e - w), s + this.rnd() * (n - s)];
      if (this.inside(p)) return p;
    }
  }
  /** A rotated rectangle of `areaM2` around a point inside (vertices inside the boundary). */
  quad(areaM2: number): Position[] {
    for (;;) {
      const c = this.point();
      const aspect = 0.6 + this.rnd();
      const w = Math.sqrt(areaM2 * aspect), h = areaM2 / w;
      const th = this.rnd() * Math.PI;
      const corners: Position[] = [[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]].map(([x, y]) => {
        const rx = x * Math.cos(th) - y * Math.sin(th), ry = x * Math.sin(th) + y * Math.cos(th);
        return [round7(c[0] + rx / mLon(c[1])), round7(c[1] + ry / M_LAT)];
      });
      if (corners.every((p) => this.inside(p))) return [...corners, corners[0]];
    }
  }
  /** A 10 km (by default) path turning by at most ±12° every 250 m, every vertex inside. */
  line(lengthM = 10_000, stepM = 250): Position[] {
    for (let attempt = 0; ; attempt++) {
      let p = this.point();
      let heading = this.rnd() * 2 * Math.PI;
      const pts: Position[] = [p];
      let ok = true;
      for (let i = 0; i < lengthM / stepM && ok; i++) {
        ok = false;
        for (let k = 0; k < 24; k++) {
          // Try gentle turns first, then wider ones, alternating sides.
          const turn = (this.rnd() - 0.5) * (Math.PI / 7.5) + (k === 0 ? 0 : (k % 2 ? 1 : -1) * Math.ceil(k / 2) * (Math.PI / 12));
          const h = heading + turn;
          const q: Position = [round7(p[0] + (stepM * Math.cos(h)) / mLon(p[1])), round7(p[1] + (stepM * Math.sin(h)) / M_LAT)];
          // Stay 100 m clear of the boundary (the corridor is 30 m wide).
          const clear = [0, 1, 2, 3].every((d) => this.inside([q[0] + (100 * Math.cos((d * Math.PI) / 2)) / mLon(q[1]), q[1] + (100 * Math.sin((d * Math.PI) / 2)) / M_LAT]));
          if (!clear) continue;
          pts.push(q);
          p = q;
          heading = h;
          ok = true;
          break;
        }
      }
      if (ok && !selfCrossing(pts)) return pts;
    }
  }
  request(kind: SiteKind, n: number): BenchRequest {
    const jurisdiction = this.bundle.id;
    switch (kind) {
      case 'point':
        return { jurisdiction, project: { name: `bench point ${n}`, activity: 'rural-housing', attributes: {} }, site: { type: 'Point', coordinates: this.point().map(round7) } };
      case '1ha':
        return { jurisdiction, project: { name: `bench 1 ha ${n}`, activity: 'industrial', attributes: {} }, site: { type: 'Polygon', coordinates: [this.quad(10_000)] } };
      case '100ha':
        return { jurisdiction, project: { name: `bench 100 ha ${n}`, activity: 'industrial', attributes: {} }, site: { type: 'Polygon', coordinates: [this.quad(1_000_000)] } };
      case '10km':
        return { jurisdiction, project: { name: `bench 10 km ${n}`, activity: 'linear-infrastructure', attributes: { corridorWidthM: CORRIDOR_WIDTH_M } }, site: { type: 'LineString', coordinates: this.line() } };
    }
  }
}

function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/** Whether two non-adjacent segments of the path cross (a corridor over itself is refused). */
function selfCrossing(pts: Position[]): boolean {
  const cross = (a: Position, b: Position, c: Position) => (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  for (let i = 0; i + 1 < pts.length; i++) {
    for (let j = i + 2; j + 1 < pts.length; j++) {
      const [a, b, c, d] = [pts[i], pts[i + 1], pts[j], pts[j + 1]];
      if (Math.sign(cross(a, b, c)) !== Math.sign(cross(a, b, d)) && Math.sign(cross(c, d, a)) !== Math.sign(cross(c, d, b))) return true;
    }
  }
  return false;
}
