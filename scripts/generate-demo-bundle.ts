/**
 * Generates the demo jurisdiction bundle `fixtures/demo/` (示范乡, simulated from 衡南县相市乡) and the
 * sample evaluate requests `fixtures/projects/*.json`.
 *
 *   npx tsx scripts/generate-demo-bundle.ts            # regenerate, then verify and print the figures
 *   npx tsx scripts/generate-demo-bundle.ts --check    # only verify what is on disk
 *
 * Deterministic: every random choice comes from a seeded PRNG (no Math.random), so two runs write
 * byte-identical files. The data are synthetic: the proportions (7,677.75 ha township, 2,987.19 ha
 * 耕地, 2,527.81 ha 永久基本农田, 589.20 ha 生态保护红线), the village names, the 耒水, the 甘斗冲水库
 * and the monuments of 表5-1 come from seed 001; the shapes are invented.
 *
 * How the map is built (all geometry in metres on a local transverse Mercator, CGCS2000 ellipsoid,
 * converted to lon/lat at the end):
 *   1. a Voronoi tessellation of "land parcels" (~3 ha; ~0.5 ha in the town) whose cells share exact
 *      vertices; the township is the union of the cells whose seed lies in an irregular blob;
 *   2. every cell gets one planning zone (规划分区) from an elevation field, the river corridor and the
 *      town, so the zones partition the township exactly (unions by edge cancellation);
 *   3. parcel-level layers (永久基本农田, 耕地, 耕地后备资源) are cells shrunk inward (ditches, field
 *      roads), roughened, cut by road land and water; control lines (红线, 城镇开发边界, 村庄建设边界,
 *      公益林, 储备区) are unions of cells, so each lies inside its zone by construction;
 *   4. other protection layers (水源保护区, 矿产, 地灾, 文物) are shapes clipped with martinez;
 *   5. sample projects are placed by searching the generated layers with ≥ 20 m margins.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Flatbush from 'flatbush';
import * as geographiclibNs from 'geographiclib-geodesic';
import * as martinez from 'martinez-polygon-clipping';
import proj4 from 'proj4';

// ───────────────────────────── settings ─────────────────────────────

const SEED = 'xiangshi-demo/v1';
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE_DIR = join(ROOT, 'fixtures', 'demo');
const PROJECTS_DIR = join(ROOT, 'fixtures', 'projects');

const ORIGIN_LON = 112.6;
const ORIGIN_LAT = 26.9;
const TMERC = `+proj=tmerc +lat_0=${ORIGIN_LAT} +lon_0=${ORIGIN_LON} +k=1 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs`;

/** Targets from seed 001 (hectares). */
const TARGET = {
  township: 7677.75,
  arableTotal: 2987.19,
  permanentFarmland: 2527.81,
  redline: 589.2,
  ecologicalControl: 1450,
  farmlandReserve: 120,
  arableReserve: 65,
  forestNational: 520,
  forestProvincial: 400,
  mining: 85,
};
const HA = 10_000;

// ───────────────────────────── PRNG and noise ─────────────────────────────

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32, seeded from a string. */
class Rng {
  private s: number;
  constructor(seed: string) {
    this.s = hashString(seed) || 1;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}
const rngFor = (name: string) => new Rng(`${SEED}/${name}`);

function lattice(ix: number, iy: number, salt: number): number {
  let h = Math.imul(ix | 0, 374761393) ^ Math.imul(iy | 0, 668265263) ^ Math.imul(salt | 0, 2246822519);
  h = Math.imul(h ^ (h >>> 13), 1274126177);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}
function valueNoise(x: number, y: number, salt: number): number {
  const ix = Math.floor(x), iy = Math.floor(y);
  const fx = x - ix, fy = y - iy;
  const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  const a = lattice(ix, iy, salt), b = lattice(ix + 1, iy, salt);
  const c = lattice(ix, iy + 1, salt), d = lattice(ix + 1, iy + 1, salt);
  return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
}
/** Fractal noise in [-1, 1]. */
function fbm(x: number, y: number, salt: number, octaves = 4): number {
  let sum = 0, amp = 0.5, norm = 0, f = 1;
  for (let o = 0; o < octaves; o++) {
    sum += amp * (valueNoise(x * f, y * f, salt + o * 101) * 2 - 1);
    norm += amp;
    amp *= 0.5;
    f *= 2;
  }
  return sum / norm;
}

// ───────────────────────────── planar geometry (metres) ─────────────────────────────

type Pt = [number, number];
/** An open ring (first point not repeated). */
type Ring = Pt[];
/** Outer ring CCW first, holes CW. */
type Poly = Ring[];
type MPoly = Poly[];
type BBox = [number, number, number, number];

const dist = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const add = (a: Pt, b: Pt): Pt => [a[0] + b[0], a[1] + b[1]];

function ringArea(r: Ring): number {
  let s = 0;
  for (let i = 0, n = r.length; i < n; i++) {
    const a = r[i], b = r[(i + 1) % n];
    s += a[0] * b[1] - b[0] * a[1];
  }
  return s / 2;
}
const polyArea = (p: Poly) => Math.abs(ringArea(p[0])) - p.slice(1).reduce((s, h) => s + Math.abs(ringArea(h)), 0);
const mpolyArea = (m: MPoly) => m.reduce((s, p) => s + polyArea(p), 0);

function ringCentroid(r: Ring): Pt {
  let cx = 0, cy = 0, a = 0;
  for (let i = 0, n = r.length; i < n; i++) {
    const p = r[i], q = r[(i + 1) % n];
    const w = p[0] * q[1] - q[0] * p[1];
    a += w;
    cx += (p[0] + q[0]) * w;
    cy += (p[1] + q[1]) * w;
  }
  return [cx / (3 * a), cy / (3 * a)];
}

function pointInRing(p: Pt, r: Ring): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const a = r[i], b = r[j];
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside;
}
const pointInPoly = (p: Pt, poly: Poly) => pointInRing(p, poly[0]) && !poly.slice(1).some((h) => pointInRing(p, h));
const pointInMPoly = (p: Pt, m: MPoly) => m.some((poly) => pointInPoly(p, poly));

function segPointDist(p: Pt, a: Pt, b: Pt): number {
  const dx = b[0] - a[0], dy = b[1] - a[1];
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy);
}
function cross(o: Pt, a: Pt, b: Pt): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}
function segmentsIntersect(a: Pt, b: Pt, c: Pt, d: Pt): boolean {
  const d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}
function segSegDist(a: Pt, b: Pt, c: Pt, d: Pt): number {
  if (segmentsIntersect(a, b, c, d)) return 0;
  return Math.min(segPointDist(a, c, d), segPointDist(b, c, d), segPointDist(c, a, b), segPointDist(d, a, b));
}

function bboxOf(pts: Iterable<Pt>): BBox {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y] of pts) {
    if (x < x0) x0 = x;
    if (y < y0) y0 = y;
    if (x > x1) x1 = x;
    if (y > y1) y1 = y;
  }
  return [x0, y0, x1, y1];
}
const mpolyBBox = (m: MPoly) => bboxOf(m.flatMap((p) => p[0]));
const bboxOverlap = (a: BBox, b: BBox, pad = 0) => a[0] - pad <= b[2] && b[0] - pad <= a[2] && a[1] - pad <= b[3] && b[1] - pad <= a[3];

/** All ring segments of a multipolygon. */
function* segmentsOf(m: MPoly): Generator<[Pt, Pt]> {
  for (const p of m) for (const r of p) for (let i = 0; i < r.length; i++) yield [r[i], r[(i + 1) % r.length]];
}
/** Minimum distance between the boundaries of two multipolygons (0 when they cross). */
function boundaryDistance(a: MPoly, b: MPoly, cap = Infinity): number {
  const bb = mpolyBBox(a);
  const pad = Number.isFinite(cap) ? cap : 1e9;
  const bs = [...segmentsOf(b)].filter(([p, q]) => bboxOverlap(bb, bboxOf([p, q]), pad));
  let best = Infinity;
  for (const [p, q] of segmentsOf(a)) for (const [r, s] of bs) best = Math.min(best, segSegDist(p, q, r, s));
  return best;
}
function pointBoundaryDistance(p: Pt, m: MPoly): number {
  let best = Infinity;
  for (const [a, b] of segmentsOf(m)) best = Math.min(best, segPointDist(p, a, b));
  return best;
}
function polylineDistance(p: Pt, line: Pt[]): number {
  let best = Infinity;
  for (let i = 0; i + 1 < line.length; i++) best = Math.min(best, segPointDist(p, line[i], line[i + 1]));
  return best;
}

/** Keep the part of a convex polygon where nx*x + ny*y >= c (Sutherland–Hodgman, one plane). */
function clipHalfPlane(poly: Ring, nx: number, ny: number, c: number): Ring {
  const out: Ring = [];
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const p = poly[i], q = poly[(i + 1) % n];
    const dp = nx * p[0] + ny * p[1] - c, dq = nx * q[0] + ny * q[1] - c;
    if (dp >= 0) out.push(p);
    if (dp >= 0 !== dq >= 0) {
      const t = dp / (dp - dq);
      out.push([p[0] + t * (q[0] - p[0]), p[1] + t * (q[1] - p[1])]);
    }
  }
  return out;
}

/** Removes repeated and (nearly) collinear vertices of an open ring. */
function cleanRing(r: Ring, eps = 1e-3): Ring {
  let pts = r.filter((p, i) => dist(p, r[(i + 1) % r.length]) > eps);
  let changed = true;
  while (changed && pts.length > 3) {
    changed = false;
    for (let i = 0; i < pts.length; i++) {
      const a = pts[(i - 1 + pts.length) % pts.length], b = pts[i], c = pts[(i + 1) % pts.length];
      const len = dist(a, c);
      if (len === 0 || Math.abs(cross(a, b, c)) / len < eps) {
        pts = pts.slice(0, i).concat(pts.slice(i + 1));
        changed = true;
        break;
      }
    }
  }
  return pts;
}

/** Inward offset of a convex CCW ring by d (mitred), or null when it vanishes. */
function insetConvex(r: Ring, d: number): Ring | null {
  let p = r.slice();
  for (let i = 0; i < r.length; i++) {
    const a = r[i], b = r[(i + 1) % r.length];
    const len = dist(a, b);
    if (len < 1e-9) continue;
    const nx = -(b[1] - a[1]) / len, ny = (b[0] - a[0]) / len;
    p = clipHalfPlane(p, nx, ny, nx * a[0] + ny * a[1] + d);
    if (p.length < 3) return null;
  }
  p = cleanRing(p, 0.05);
  return p.length >= 3 && ringArea(p) > 0 ? p : null;
}

function orientPoly(p: Poly): Poly {
  return p.map((r, i) => {
    const a = ringArea(r);
    return (i === 0 ? a < 0 : a > 0) ? r.slice().reverse() : r;
  });
}

// martinez interop (closed rings)
const closeRing = (r: Ring): Pt[] => [...r, r[0]];
const toM = (m: MPoly): martinez.MultiPolygon => m.map((p) => p.map(closeRing)) as martinez.MultiPolygon;
function fromM(g: martinez.Geometry | null, minArea = 0.5): MPoly {
  if (!g || g.length === 0) return [];
  const isPoly = typeof (g as martinez.Polygon)[0][0][0] === 'number';
  const polys = (isPoly ? [g as martinez.Polygon] : (g as martinez.MultiPolygon));
  const out: MPoly = [];
  for (const p of polys) {
    const rings = p.map((r) => cleanRing(r.slice(0, -1).map(([x, y]) => [x, y] as Pt), 1e-4)).filter((r) => r.length >= 3 && Math.abs(ringArea(r)) > 1e-3);
    if (rings.length === 0 || Math.abs(ringArea(rings[0])) < minArea) continue;
    out.push(orientPoly([rings[0], ...rings.slice(1).filter((h) => Math.abs(ringArea(h)) >= 1e-2)]));
  }
  return out;
}
const mIntersect = (a: MPoly, b: MPoly) => (a.length && b.length ? fromM(martinez.intersection(toM(a), toM(b))) : []);
const mDiff = (a: MPoly, b: MPoly) => (a.length === 0 ? [] : b.length === 0 ? a : fromM(martinez.diff(toM(a), toM(b))));
const mUnion = (a: MPoly, b: MPoly) => (a.length === 0 ? b : b.length === 0 ? a : fromM(martinez.union(toM(a), toM(b))));

/** A star-shaped irregular blob (simple by construction). */
function blob(center: Pt, radius: number, rng: Rng, opts: { n?: number; amp?: number; harmonics?: number; sx?: number; sy?: number; rot?: number } = {}): Ring {
  const n = opts.n ?? 40, amp = opts.amp ?? 0.18, H = opts.harmonics ?? 5;
  const coef: [number, number][] = [];
  let total = 0;
  for (let k = 2; k < 2 + H; k++) {
    const a = rng.range(0.3, 1) / Math.pow(k, 0.9);
    coef.push([a, rng.range(0, Math.PI * 2)]);
    total += a;
  }
  const scale = amp / total;
  const rot = opts.rot ?? 0, sx = opts.sx ?? 1, sy = opts.sy ?? 1;
  const ring: Ring = [];
  for (let i = 0; i < n; i++) {
    const t = (i / n) * Math.PI * 2;
    let r = 1;
    coef.forEach(([a, ph], j) => (r += scale * a * Math.cos((j + 2) * t + ph)));
    const x = r * Math.cos(t) * sx * radius, y = r * Math.sin(t) * sy * radius;
    ring.push([center[0] + x * Math.cos(rot) - y * Math.sin(rot), center[1] + x * Math.sin(rot) + y * Math.cos(rot)]);
  }
  return ring;
}
function scaleRing(r: Ring, about: Pt, k: number): Ring {
  return r.map(([x, y]) => [about[0] + (x - about[0]) * k, about[1] + (y - about[1]) * k]);
}
const rect = (c: Pt, w: number, h: number): Ring => [
  [c[0] - w / 2, c[1] - h / 2], [c[0] + w / 2, c[1] - h / 2], [c[0] + w / 2, c[1] + h / 2], [c[0] - w / 2, c[1] + h / 2],
];
/** A rectangle of width w (across) and length l (along angle a) centred on c. */
function strip(c: Pt, l: number, w: number, a: number): Ring {
  const ux = Math.cos(a), uy = Math.sin(a), vx = -uy, vy = ux;
  const pts: Ring = [
    [c[0] - ux * l / 2 - vx * w / 2, c[1] - uy * l / 2 - vy * w / 2],
    [c[0] + ux * l / 2 - vx * w / 2, c[1] + uy * l / 2 - vy * w / 2],
    [c[0] + ux * l / 2 + vx * w / 2, c[1] + uy * l / 2 + vy * w / 2],
    [c[0] - ux * l / 2 + vx * w / 2, c[1] - uy * l / 2 + vy * w / 2],
  ];
  return ringArea(pts) < 0 ? pts.reverse() : pts;
}

/** Catmull–Rom spline through control points, sampled about every `step` metres. */
function spline(ctrl: Pt[], step = 40): Pt[] {
  const out: Pt[] = [];
  for (let i = 0; i + 1 < ctrl.length; i++) {
    const p0 = ctrl[Math.max(0, i - 1)], p1 = ctrl[i], p2 = ctrl[i + 1], p3 = ctrl[Math.min(ctrl.length - 1, i + 2)];
    const n = Math.max(1, Math.ceil(dist(p1, p2) / step));
    for (let s = 0; s < n; s++) {
      const t = s / n, t2 = t * t, t3 = t2 * t;
      const f = (a: number, b: number, c: number, d: number) => 0.5 * (2 * b + (-a + c) * t + (2 * a - 5 * b + 4 * c - d) * t2 + (-a + 3 * b - 3 * c + d) * t3);
      out.push([f(p0[0], p1[0], p2[0], p3[0]), f(p0[1], p1[1], p2[1], p3[1])]);
    }
  }
  out.push(ctrl[ctrl.length - 1]);
  return out;
}

/** The land of a smooth polyline of half-width `half` (flat ends). */
function corridor(line: Pt[], half: number): Ring {
  const left: Pt[] = [], right: Pt[] = [];
  for (let i = 0; i < line.length; i++) {
    const a = line[Math.max(0, i - 1)], b = line[Math.min(line.length - 1, i + 1)];
    const len = dist(a, b);
    const nx = -(b[1] - a[1]) / len, ny = (b[0] - a[0]) / len;
    left.push([line[i][0] + nx * half, line[i][1] + ny * half]);
    right.push([line[i][0] - nx * half, line[i][1] - ny * half]);
  }
  const ring = [...right, ...left.reverse()];
  return ringArea(ring) < 0 ? ring.reverse() : ring;
}

/** Parts of a polyline inside a polygon. */
function clipLine(line: Pt[], poly: Poly, minLen = 30): Pt[][] {
  const segs = [...segmentsOf([poly])];
  const pieces: Pt[][] = [];
  let cur: Pt[] = [];
  const flush = () => {
    if (cur.length >= 2) {
      let len = 0;
      for (let i = 1; i < cur.length; i++) len += dist(cur[i - 1], cur[i]);
      if (len >= minLen) pieces.push(cur);
    }
    cur = [];
  };
  for (let i = 0; i + 1 < line.length; i++) {
    const a = line[i], b = line[i + 1];
    const ts = [0, 1];
    for (const [c, d] of segs) {
      if (!segmentsIntersect(a, b, c, d)) continue;
      const den = (b[0] - a[0]) * (d[1] - c[1]) - (b[1] - a[1]) * (d[0] - c[0]);
      if (den === 0) continue;
      ts.push(((c[0] - a[0]) * (d[1] - c[1]) - (c[1] - a[1]) * (d[0] - c[0])) / den);
    }
    ts.sort((x, y) => x - y);
    for (let k = 0; k + 1 < ts.length; k++) {
      const p: Pt = [a[0] + ts[k] * (b[0] - a[0]), a[1] + ts[k] * (b[1] - a[1])];
      const q: Pt = [a[0] + ts[k + 1] * (b[0] - a[0]), a[1] + ts[k + 1] * (b[1] - a[1])];
      const mid: Pt = [(p[0] + q[0]) / 2, (p[1] + q[1]) / 2];
      if (pointInPoly(mid, poly)) {
        if (cur.length === 0) cur.push(p);
        else if (dist(cur[cur.length - 1], p) > 1e-6) {
          flush();
          cur.push(p);
        }
        cur.push(q);
      } else flush();
    }
  }
  flush();
  return pieces.map((pc) => pc.filter((p, i) => i === 0 || dist(p, pc[i - 1]) > 0.5));
}

// ───────────────────────────── Voronoi parcels ─────────────────────────────

type Zone = 'farmland-protection' | 'ecological-protection' | 'ecological-control' | 'urban-development' | 'rural-development' | 'mining-energy';
type UbZone = 'concentrated' | 'flexible' | 'special';

interface Cell {
  idx: number;
  seed: Pt;
  verts: number[];
  ring: Ring;
  area: number;
  nbrs: number[];
  h: number;
  riverD: number;
  zone?: Zone;
  ub?: UbZone;
  /** what occupies the parcel beyond its zone */
  use?: 'village' | 'heritage' | 'arable' | 'arable-reserve' | 'urban-line' | 'pf';
  hill?: string;
  forest?: 'national' | 'provincial';
  core?: boolean;
  village?: number;
}

/** Canonical vertex store: Voronoi vertices computed by neighbouring cells are merged within 3 mm. */
class VertexStore {
  readonly pts: Pt[] = [];
  private grid = new Map<string, number[]>();
  id(p: Pt): number {
    const q = 0.005;
    const gx = Math.round(p[0] / q), gy = Math.round(p[1] / q);
    for (let dx = -1; dx <= 1; dx++)
      for (let dy = -1; dy <= 1; dy++) {
        for (const i of this.grid.get(`${gx + dx},${gy + dy}`) ?? []) if (dist(this.pts[i], p) < 0.003) return i;
      }
    const i = this.pts.length;
    this.pts.push(p);
    const k = `${gx},${gy}`;
    (this.grid.get(k) ?? this.grid.set(k, []).get(k)!).push(i);
    return i;
  }
}

function voronoi(seeds: Pt[], store: VertexStore): { verts: number[]; ring: Ring }[] {
  const G = 200;
  const grid = new Map<string, number[]>();
  seeds.forEach((s, i) => {
    const k = `${Math.floor(s[0] / G)},${Math.floor(s[1] / G)}`;
    (grid.get(k) ?? grid.set(k, []).get(k)!).push(i);
  });
  return seeds.map((s, i) => {
    const R = 700;
    let poly: Ring = [[s[0] - R, s[1] - R], [s[0] + R, s[1] - R], [s[0] + R, s[1] + R], [s[0] - R, s[1] + R]];
    const cand: [number, number][] = [];
    const gx = Math.floor(s[0] / G), gy = Math.floor(s[1] / G);
    for (let dx = -5; dx <= 5; dx++)
      for (let dy = -5; dy <= 5; dy++)
        for (const j of grid.get(`${gx + dx},${gy + dy}`) ?? []) if (j !== i) cand.push([dist(s, seeds[j]), j]);
    cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [d, j] of cand) {
      const maxR = Math.max(...poly.map((p) => dist(p, s)));
      if (d / 2 > maxR) break;
      const t = seeds[j];
      const nx = s[0] - t[0], ny = s[1] - t[1];
      poly = clipHalfPlane(poly, nx, ny, (s[0] * s[0] + s[1] * s[1] - t[0] * t[0] - t[1] * t[1]) / 2);
    }
    const verts: number[] = [];
    for (const p of poly) {
      const v = store.id(p);
      if (verts[verts.length - 1] !== v) verts.push(v);
    }
    while (verts.length > 1 && verts[0] === verts[verts.length - 1]) verts.pop();
    return { verts, ring: verts.map((v) => store.pts[v]) };
  });
}

/** Union of cells by cancelling shared edges; rings traced keeping the interior on the left. */
function unionCells(cells: Cell[], ids: Iterable<number>, store: VertexStore): MPoly {
  const edges = new Set<string>();
  const set = [...ids];
  for (const id of set) {
    const v = cells[id].verts;
    for (let i = 0; i < v.length; i++) edges.add(`${v[i]},${v[(i + 1) % v.length]}`);
  }
  const out = new Map<number, number[]>();
  for (const e of edges) {
    const [a, b] = e.split(',').map(Number);
    if (edges.has(`${b},${a}`)) continue;
    (out.get(a) ?? out.set(a, []).get(a)!).push(b);
  }
  const used = new Set<string>();
  const rings: Ring[] = [];
  const P = store.pts;
  for (const [a0, bs] of [...out.entries()].sort((x, y) => x[0] - y[0])) {
    for (const b0 of bs) {
      if (used.has(`${a0},${b0}`)) continue;
      const ring: number[] = [a0];
      let a = a0, b = b0;
      used.add(`${a},${b}`);
      for (let guard = 0; guard < 1e6; guard++) {
        ring.push(b);
        const cands = (out.get(b) ?? []).filter((w) => !used.has(`${b},${w}`));
        if (cands.length === 0) throw new Error(`unionCells: open ring at vertex ${b}`);
        let next = cands[0];
        if (cands.length > 1) {
          const din = Math.atan2(P[a][1] - P[b][1], P[a][0] - P[b][0]);
          let best = Infinity;
          for (const w of cands) {
            let cw = din - Math.atan2(P[w][1] - P[b][1], P[w][0] - P[b][0]);
            while (cw <= 0) cw += Math.PI * 2;
            if (cw < best) (best = cw), (next = w);
          }
        }
        used.add(`${b},${next}`);
        a = b;
        b = next;
        if (b === a0) break;
      }
      rings.push(ring.map((v) => P[v]));
    }
  }
  const outers = rings.filter((r) => ringArea(r) > 0).map((r) => [cleanRing(r, 1e-4)] as Poly);
  const holes = rings.filter((r) => ringArea(r) < 0);
  for (const h of holes) {
    const probe: Pt = [(h[0][0] + h[1][0]) / 2, (h[0][1] + h[1][1]) / 2];
    const owners = outers.filter((o) => pointInRing(probe, o[0])).sort((x, y) => ringArea(x[0]) - ringArea(y[0]));
    if (owners.length === 0) throw new Error('unionCells: orphan hole');
    owners[0].push(cleanRing(h, 1e-4));
  }
  return outers;
}

function connectedComponents(cells: Cell[], ids: number[]): number[][] {
  const set = new Set(ids);
  const seen = new Set<number>();
  const comps: number[][] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    const comp: number[] = [];
    const stack = [id];
    seen.add(id);
    while (stack.length) {
      const c = stack.pop()!;
      comp.push(c);
      for (const n of cells[c].nbrs) if (set.has(n) && !seen.has(n)) seen.add(n), stack.push(n);
    }
    comps.push(comp.sort((a, b) => a - b));
  }
  return comps;
}

// ───────────────────────────── the synthetic township ─────────────────────────────

/** 耒水: centreline x(y) and half-width, flowing south → north through the township. */
const riverX = (y: number) => -600 + 520 * Math.sin(y / 1700 + 0.6) + 190 * Math.sin(y / 640 + 1.3);
const riverSlope = (y: number) => (520 / 1700) * Math.cos(y / 1700 + 0.6) + (190 / 640) * Math.cos(y / 640 + 1.3);
const riverHalf = (y: number) => 95 + 22 * Math.sin(y / 900 + 0.4);
const riverDist = (p: Pt) => Math.abs(p[0] - riverX(p[1])) / Math.sqrt(1 + riverSlope(p[1]) ** 2);

const HILLS = [
  { name: 'SE', c: [2600, -2600] as Pt, s: 1400, a: 1.0 },
  { name: 'NW', c: [-2900, 3700] as Pt, s: 1250, a: 0.9 },
  { name: 'NE', c: [2300, 3500] as Pt, s: 850, a: 0.72 },
  { name: 'SW', c: [-2800, -3100] as Pt, s: 1000, a: 0.62 },
];
const RESERVOIR_C: Pt = [-2100, 2900];
const MINE_C: Pt = [-2550, -3350];

function bump(p: Pt, c: Pt, s: number): number {
  const d2 = (p[0] - c[0]) ** 2 + (p[1] - c[1]) ** 2;
  return Math.exp(-d2 / (2 * s * s));
}
function elevation(p: Pt): number {
  let h = 0;
  for (const hl of HILLS) h += hl.a * bump(p, hl.c, hl.s);
  h += 0.22 * fbm(p[0] / 1800, p[1] / 1800, 7);
  h -= 0.35 * Math.exp(-(riverDist(p) ** 2) / (2 * 700 * 700));
  h -= 0.45 * bump(p, RESERVOIR_C, 450);
  return h;
}
function hillOf(p: Pt): string {
  let best = '', bv = -1;
  for (const hl of HILLS) {
    const v = hl.a * bump(p, hl.c, hl.s);
    if (v > bv) (bv = v), (best = hl.name);
  }
  return best;
}

interface Road {
  id: string;
  name: string;
  roadClass: 'expressway' | 'national' | 'provincial' | 'county' | 'township';
  widthM: number;
  line: Pt[];
  parts: Pt[][];
}

interface LayerFeat {
  id: string;
  kind: string;
  props: Record<string, unknown>;
  m?: MPoly;
  lines?: Pt[][];
}

interface Mask { bbox: BBox; m: MPoly }

const VILLAGE_NAMES = ['白衣村', '合溪村', '荷塘村', '虎塘村', '黄金坪村', '金紫村', '直壁村', '上壁村'];

function buildWorld() {
  const log: string[] = [];
  // 1. township blob and parcels ------------------------------------------------------------
  let B0 = blob([0, 0], 4900, rngFor('boundary'), { n: 160, amp: 0.2, harmonics: 7, sx: 0.86, sy: 1.16, rot: 0.12 });
  B0 = scaleRing(B0, [0, 0], Math.sqrt((TARGET.township * HA) / ringArea(B0)));
  const tc: Pt = [riverX(-500) + 650, -500];
  const RF = 1400;
  const seeds: Pt[] = [];
  const bb = bboxOf(B0);
  {
    const r = rngFor('seeds');
    const S = 190, rowH = (S * Math.sqrt(3)) / 2;
    for (let row = 0, y = bb[1] - 900; y <= bb[3] + 900; row++, y += rowH)
      for (let x = bb[0] - 900 + (row % 2) * (S / 2); x <= bb[2] + 900; x += S) {
        const p: Pt = [x + r.range(-0.3, 0.3) * S, y + r.range(-0.3, 0.3) * S];
        if (dist(p, tc) >= RF) seeds.push(p);
      }
    const s = 75, rh = (s * Math.sqrt(3)) / 2;
    for (let row = 0, y = tc[1] - RF; y <= tc[1] + RF; row++, y += rh)
      for (let x = tc[0] - RF + (row % 2) * (s / 2); x <= tc[0] + RF; x += s) {
        const p: Pt = [x + r.range(-0.28, 0.28) * s, y + r.range(-0.28, 0.28) * s];
        if (dist(p, tc) < RF - 20) seeds.push(p);
      }
  }
  const store = new VertexStore();
  const vor = voronoi(seeds, store);
  const cells: Cell[] = vor.map((v, idx) => ({
    idx, seed: seeds[idx], verts: v.verts, ring: v.ring, area: ringArea(v.ring), nbrs: [], h: elevation(seeds[idx]), riverD: riverDist(seeds[idx]),
  }));
  {
    const owner = new Map<string, number>();
    for (const c of cells) for (let i = 0; i < c.verts.length; i++) owner.set(`${c.verts[i]},${c.verts[(i + 1) % c.verts.length]}`, c.idx);
    for (const c of cells)
      for (let i = 0; i < c.verts.length; i++) {
        const o = owner.get(`${c.verts[(i + 1) % c.verts.length]},${c.verts[i]}`);
        if (o !== undefined && !c.nbrs.includes(o)) c.nbrs.push(o);
      }
  }
  // township = cells whose seed lies in the blob, holes filled, largest component
  const inside = new Set(cells.filter((c) => pointInRing(c.seed, B0)).map((c) => c.idx));
  {
    const ext = new Set<number>();
    const stack = cells.filter((c) => c.seed[0] < bb[0] || c.seed[0] > bb[2] || c.seed[1] < bb[1] || c.seed[1] > bb[3]).map((c) => c.idx);
    stack.forEach((i) => ext.add(i));
    while (stack.length) {
      const c = stack.pop()!;
      for (const n of cells[c].nbrs) if (!inside.has(n) && !ext.has(n)) ext.add(n), stack.push(n);
    }
    for (const c of cells) if (!inside.has(c.idx) && !ext.has(c.idx)) inside.add(c.idx);
  }
  const comps = connectedComponents(cells, [...inside].sort((a, b) => a - b)).sort((a, b) => b.length - a.length);
  const T = comps[0].map((i) => cells[i]);
  const inT = new Set(T.map((c) => c.idx));
  for (const c of T) c.nbrs = c.nbrs.filter((n) => inT.has(n)).sort((a, b) => a - b);
  const B = unionCells(cells, inT, store);
  if (B.length !== 1 || B[0].length !== 1) throw new Error(`township boundary is not one simple polygon (${B.length})`);
  const boundary = B[0];
  log.push(`parcels: ${T.length} cells, township ${(polyArea(boundary) / HA).toFixed(2)} ha`);
  const bDist = (p: Pt) => pointBoundaryDistance(p, [boundary]);

  const sumArea = (cs: Iterable<Cell>) => [...cs].reduce((s, c) => s + c.area, 0);
  const free = (c: Cell) => c.zone === undefined;

  // 2. town (城镇开发边界 = 城镇发展区) ---------------------------------------------------------
  const ubCenter: Pt = [tc[0] - 200, tc[1]];
  const ubBlob = blob(ubCenter, 950, rngFor('ub'), { n: 48, amp: 0.14, sx: 1.0, sy: 0.9, rot: 0.2 });
  const parkC: Pt = [tc[0] + 150, tc[1] - 520];
  for (const c of T) {
    if (!pointInRing(c.seed, ubBlob)) continue;
    c.zone = 'urban-development';
    const [x, y] = c.seed;
    const ang = Math.atan2(y - tc[1], x - tc[0]);
    if (c.riverD < riverHalf(y) + 70 || dist(c.seed, parkC) < 210) c.ub = 'special';
    else if (x < riverX(y) || (ang > 0.15 && ang < 1.75 && dist(c.seed, ubCenter) > 560)) c.ub = 'flexible';
    else c.ub = 'concentrated';
  }

  // 3. water, wetland and ecological zones -------------------------------------------------
  const resRing = blob(RESERVOIR_C, 330, rngFor('reservoir'), { n: 36, amp: 0.2, sx: 1.3, sy: 0.6, rot: -0.3 });
  const resHalo = scaleRing(resRing, RESERVOIR_C, 1.35);
  for (const c of T) if (free(c) && pointInRing(c.seed, resHalo)) c.zone = 'ecological-control';
  // 鸟洲 wetland on the 耒水 south of the town (红线, not forest)
  for (const c of T) if (free(c) && c.riverD < riverHalf(c.seed[1]) + 130 && c.seed[1] > -3700 && c.seed[1] < -2500) (c.zone = 'ecological-protection'), (c.hill = 'wetland');
  for (const c of T) if (free(c) && c.riverD < 330) c.zone = 'ecological-control';
  const wetlandArea = sumArea(T.filter((c) => c.hill === 'wetland'));
  const quotas: Record<string, number> = { NE: 60 * HA, NW: 170 * HA };
  quotas.SE = TARGET.redline * HA - wetlandArea - quotas.NE - quotas.NW;
  for (const hl of ['SE', 'NW', 'NE']) {
    let acc = 0;
    for (const c of T.filter((c) => free(c) && hillOf(c.seed) === hl).sort((a, b) => b.h - a.h || a.idx - b.idx)) {
      if (acc + c.area / 2 > quotas[hl]) break;
      c.zone = 'ecological-protection';
      c.hill = hl;
      acc += c.area;
    }
  }
  // core area of the SE red line: interior cells round the summit
  {
    let acc = 0;
    const se = T.filter((c) => c.hill === 'SE').sort((a, b) => b.h - a.h || a.idx - b.idx);
    for (const c of se) {
      if (acc > 70 * HA) break;
      if (c.nbrs.every((n) => cells[n].zone === 'ecological-protection' && cells[n].hill === 'SE')) (c.core = true), (acc += c.area);
    }
  }
  {
    let acc = 0;
    for (const c of T.filter(free).sort((a, b) => dist(a.seed, MINE_C) - dist(b.seed, MINE_C) || a.idx - b.idx)) {
      if (acc >= TARGET.mining * HA) break;
      c.zone = 'mining-energy';
      acc += c.area;
    }
  }
  {
    let acc = sumArea(T.filter((c) => c.zone === 'ecological-control'));
    for (const c of T.filter(free).sort((a, b) => b.h - a.h || a.idx - b.idx)) {
      if (acc >= TARGET.ecologicalControl * HA) break;
      c.zone = 'ecological-control';
      acc += c.area;
    }
  }
  for (const c of T) if (!c.hill && (c.zone === 'ecological-control' || c.zone === 'ecological-protection')) c.hill = hillOf(c.seed);

  // 4. major roads -----------------------------------------------------------------------
  const roads: Road[] = [];
  const addRoad = (id: string, name: string, roadClass: Road['roadClass'], widthM: number, ctrl: Pt[]) => {
    const line = spline(ctrl, 40);
    const parts = clipLine(line, boundary, 60);
    if (parts.length) roads.push({ id, name, roadClass, widthM, line, parts });
  };
  addRoad('rd-01', '机场高速', 'expressway', 26, [[-7500, 1300], [-3500, 1500], [-600, 1750], [2500, 2100], [7500, 1700]]);
  addRoad('rd-02', 'G322', 'national', 12, [[-300, -8000], [-100, -4000], [tc[0] + 120, tc[1] - 700], [tc[0] + 60, tc[1]], [tc[0] + 150, tc[1] + 900], [tc[0] + 500, 3000], [tc[0] + 300, 8000]]);
  addRoad('rd-03', 'S315', 'provincial', 10, [[-7500, -1800], [-3500, -1300], [-1200, -800], [tc[0] - 120, tc[1] - 40], [tc[0] + 60, tc[1]]]);
  addRoad('rd-04', 'X031', 'county', 7.5, [[tc[0] + 60, tc[1]], [1500, -250], [3500, 100], [7500, -300]]);
  addRoad('rd-05', 'X032', 'county', 7.5, [[tc[0] + 150, tc[1] + 1400], [-600, 950], [-2500, 500], [-7500, 400]]);
  addRoad('rd-06', 'X033', 'county', 7.5, [[tc[0] + 110, tc[1] - 650], [1000, -1800], [1100, -3800], [900, -8000]]);
  const roadDist = (p: Pt) => Math.min(...roads.map((r) => polylineDistance(p, r.line) - r.widthM / 2));

  // 5. villages (村庄建设边界) ----------------------------------------------------------------
  const villages: { name: string; central: boolean; cells: number[][]; center: Pt }[] = [];
  {
    const rv = rngFor('villages');
    const cands = T.filter((c) => free(c) && c.riverD > 380 && dist(c.seed, tc) > 1500 && bDist(c.seed) > 450);
    const chosen: Cell[] = [];
    while (chosen.length < 12) {
      let best: Cell | null = null, bv = -Infinity;
      for (const c of cands) {
        if (!free(c)) continue;
        const d = Math.min(dist(c.seed, tc), ...chosen.map((o) => dist(o.seed, c.seed)));
        const v = Math.min(d, 1900) - 250 * Math.abs(c.h - 0.3) + 40 * lattice(c.idx, 3, 11);
        if (v > bv) (bv = v), (best = c);
      }
      if (!best) throw new Error('no village site');
      chosen.push(best);
    }
    // names: 沿江村 nearest the river, 仰山村 the highest, 托塘村/许田村 (central villages) nearest the town
    const order = chosen.map((c, i) => i);
    const names: string[] = new Array(12);
    const take = (score: (c: Cell) => number, name: string) => {
      const i = order.filter((k) => !names[k]).sort((a, b) => score(chosen[a]) - score(chosen[b]) || a - b)[0];
      names[i] = name;
    };
    take((c) => c.riverD, '沿江村');
    take((c) => -c.h, '仰山村');
    take((c) => dist(c.seed, tc), '托塘村');
    take((c) => dist(c.seed, tc), '许田村');
    const rest = order.filter((k) => !names[k]).sort((a, b) => Math.atan2(chosen[a].seed[1] - tc[1], chosen[a].seed[0] - tc[0]) - Math.atan2(chosen[b].seed[1] - tc[1], chosen[b].seed[0] - tc[0]));
    rest.forEach((k, j) => (names[k] = VILLAGE_NAMES[j]));
    chosen.forEach((c0, vi) => {
      const central = names[vi] === '托塘村' || names[vi] === '许田村';
      const nClusters = central ? 4 : rv.int(2, 3);
      const clusterSeeds = [c0];
      const near = T.filter((c) => free(c) && c !== c0 && dist(c.seed, c0.seed) < 850 && c.riverD > 300 && bDist(c.seed) > 250).sort((a, b) => lattice(a.idx, vi, 5) - lattice(b.idx, vi, 5));
      for (const c of near) {
        if (clusterSeeds.length >= nClusters) break;
        if (clusterSeeds.every((s) => dist(s.seed, c.seed) > 420)) clusterSeeds.push(c);
      }
      const clusters: number[][] = [];
      for (const s of clusterSeeds) {
        const cl = [s.idx];
        s.zone = 'rural-development';
        s.use = 'village';
        s.village = vi;
        const grow = central ? rv.int(1, 3) : rv.int(0, 2);
        for (let g = 0; g < grow; g++) {
          const opts = cl.flatMap((i) => cells[i].nbrs).filter((n) => free(cells[n]) && cells[n].nbrs.every((m) => cells[m].village === undefined || cells[m].village === vi));
          if (!opts.length) break;
          const n = opts.sort((a, b) => cells[a].h - cells[b].h || a - b)[0];
          cells[n].zone = 'rural-development';
          cells[n].use = 'village';
          cells[n].village = vi;
          cl.push(n);
        }
        clusters.push(cl);
      }
      villages.push({ name: names[vi], central, cells: clusters, center: c0.seed });
    });
  }

  // 6. township roads to villages far from a road --------------------------------------------
  {
    let k = 1;
    const rr = rngFor('township-roads');
    for (const v of villages) {
      const cents = v.cells.map((cl) => ringCentroid(unionCells(cells, cl, store)[0][0]));
      let best = -1, bd = Infinity, q: Pt = [0, 0];
      cents.forEach((c, i) => {
        for (const r of roads)
          for (const p of r.parts.flat()) {
            const d = dist(p, c);
            if (d < bd) (bd = d), (best = i), (q = p);
          }
      });
      if (bd < 220) continue;
      const target = cents[best];
      const mid: Pt = [(q[0] + target[0]) / 2, (q[1] + target[1]) / 2];
      const len = dist(q, target);
      const nx = -(target[1] - q[1]) / len, ny = (target[0] - q[0]) / len;
      const off = rr.range(-0.12, 0.12) * len;
      addRoad(`rd-${String(6 + k).padStart(2, '0')}`, `Y${String(300 + k).padStart(3, '0')}`, 'township', 5.5, [q, [mid[0] + nx * off, mid[1] + ny * off], target]);
      k++;
    }
  }
  const masks: Mask[] = [];
  for (const r of roads) {
    const m: MPoly = [[corridor(r.line, r.widthM / 2 + 2)]];
    masks.push({ bbox: mpolyBBox(m), m });
  }
  const riverLine: Pt[] = [];
  const riverHalfs: number[] = [];
  for (let y = -8500; y <= 8500; y += 40) riverLine.push([riverX(y), y]), riverHalfs.push(riverHalf(y));
  const riverPoly: MPoly = [[corridorVar(riverLine, riverHalfs)]];
  masks.push({ bbox: mpolyBBox(riverPoly), m: riverPoly });
  masks.push({ bbox: bboxOf(resRing), m: [[resRing]] });

  // 7. heritage (表5-1) ----------------------------------------------------------------------
  const heritageSites: { name: string; level: string; address: string; w: number; h: number; rings?: { e: number; w: number; s: number; n: number; control: number }; cell: Cell }[] = [];
  {
    const byName = (n: string) => villages.find((v) => v.name === n)!;
    const pickNear = (v: typeof villages[number], avoid: Pt[], minRoad: number) => {
      const vcells = new Set(v.cells.flat());
      const opts = [...vcells].flatMap((i) => cells[i].nbrs).filter((n) => free(cells[n]) && !vcells.has(n) && cells[n].area > 15000);
      const uniq = [...new Set(opts)].sort((a, b) => a - b).map((i) => cells[i]);
      const ok = uniq.filter((c) => roadDist(c.seed) > minRoad && avoid.every((a) => dist(a, c.seed) > 700));
      ok.sort((a, b) => roadDist(b.seed) - roadDist(a.seed) || a.idx - b.idx);
      if (!ok.length) throw new Error(`no heritage site near ${v.name}`);
      return ok[0];
    };
    const tt = byName('托塘村');
    const c1 = pickNear(tt, [], 150);
    heritageSites.push({ name: '洛夫旧居', level: 'county', address: '托塘村上新组', w: 34, h: 22, rings: { e: 15, w: 15, s: 15, n: 15, control: 30 }, cell: c1 });
    const c2 = pickNear(tt, [c1.seed], 260);
    heritageSites.push({ name: '烟竹祖堂大屋', level: 'county', address: '托塘村上头组、下头组', w: 72, h: 46, rings: { e: 150, w: 100, s: 150, n: 100, control: 30 }, cell: c2 });
    const c3 = pickNear(byName('合溪村'), [c1.seed, c2.seed], 120);
    heritageSites.push({ name: '合溪辽冲大屋', level: 'county', address: '合溪村尧冲组', w: 58, h: 38, cell: c3 });
    for (const s of heritageSites) (s.cell.zone = 'rural-development'), (s.cell.use = 'heritage');
  }

  // 8. farmland protection zone: lowland parcels until the 永久基本农田 target is met ---------------
  const pfPatches: { cell: Cell; poly: Poly }[] = [];
  {
    const rp = rngFor('farmland');
    let acc = 0;
    const cands = T.filter(free).sort((a, b) => suitability(b) - suitability(a) || a.idx - b.idx);
    for (const c of cands) {
      if (acc >= TARGET.permanentFarmland * HA) break;
      c.zone = 'farmland-protection';
      for (const poly of parcelPatch(c, rp, masks, { inset: [4, 9], holeChance: 0.07 })) {
        pfPatches.push({ cell: c, poly });
        acc += polyArea(poly);
        c.use = 'pf';
      }
    }
  }
  for (const c of T) if (free(c)) c.zone = 'rural-development';

  // 9. forests (公益林) on the hills -----------------------------------------------------------
  {
    const hillCells = T.filter((c) => (c.zone === 'ecological-control' || c.zone === 'ecological-protection') && c.hill !== 'wetland' && c.riverD > 420 && !pointInRing(c.seed, resHalo));
    const take = (level: 'national' | 'provincial', hills: string[], quota: number) => {
      let acc = 0;
      for (const c of hillCells.filter((c) => hills.includes(c.hill!) && !c.forest).sort((a, b) => b.h - a.h || a.idx - b.idx)) {
        if (acc >= quota) break;
        c.forest = level;
        acc += c.area;
      }
    };
    take('national', ['SE', 'NE'], TARGET.forestNational * HA);
    take('provincial', ['NW', 'SW'], TARGET.forestProvincial * HA);
  }

  // 10. arable land (一般耕地), reserves ------------------------------------------------------
  const arablePatches: { cell: Cell; poly: Poly; paddy: boolean }[] = [];
  {
    const ra = rngFor('arable');
    let acc = 0;
    const target = (TARGET.arableTotal - TARGET.permanentFarmland) * HA;
    const cands = T.filter((c) => c.zone === 'rural-development' && !c.use).sort((a, b) => suitability(b) - suitability(a) || a.idx - b.idx);
    for (const c of cands) {
      if (acc >= target) break;
      const paddy = c.h < 0.12 || c.riverD < 1300;
      for (const poly of parcelPatch(c, ra, masks, { inset: [4, 8], holeChance: 0.03 })) {
        arablePatches.push({ cell: c, poly, paddy });
        acc += polyArea(poly);
        c.use = 'arable';
      }
    }
  }
  const reserveGroups: number[][] = [];
  {
    const arableCells = T.filter((c) => c.use === 'arable');
    const taken = new Set<number>();
    let acc = 0;
    const starts = arableCells.slice().sort((a, b) => lattice(a.idx, 1, 77) - lattice(b.idx, 1, 77));
    for (const s of starts) {
      if (acc >= TARGET.farmlandReserve * HA) break;
      if (taken.has(s.idx) || s.nbrs.some((n) => taken.has(n)) || reserveGroups.some((g) => g.some((i) => dist(cells[i].seed, s.seed) < 900))) continue;
      const g = [s.idx];
      for (let k = 0; k < 4; k++) {
        const opt = g.flatMap((i) => cells[i].nbrs).filter((n) => cells[n].use === 'arable' && !g.includes(n) && !taken.has(n) && cells[n].nbrs.every((m) => !taken.has(m)));
        if (!opt.length) break;
        g.push(opt.sort((a, b) => a - b)[0]);
      }
      if (g.length < 2) continue;
      g.forEach((i) => taken.add(i));
      reserveGroups.push(g);
      acc += sumArea(g.map((i) => cells[i]));
    }
  }
  const arableReservePatches: { cell: Cell; poly: Poly }[] = [];
  {
    const rr = rngFor('arable-reserve');
    let acc = 0;
    const cands = T.filter((c) => ((c.zone === 'rural-development' && !c.use) || (c.zone === 'ecological-control' && !c.forest && c.riverD > 450 && !pointInRing(c.seed, resHalo))) && c.h > 0.2 && c.h < 0.7)
      .sort((a, b) => lattice(a.idx, 2, 99) - lattice(b.idx, 2, 99));
    for (const c of cands) {
      if (acc >= TARGET.arableReserve * HA) break;
      if (c.nbrs.some((n) => cells[n].use === 'arable-reserve')) continue;
      for (const poly of parcelPatch(c, rr, masks, { inset: [8, 14], holeChance: 0 })) {
        arableReservePatches.push({ cell: c, poly });
        acc += polyArea(poly);
        c.use = 'arable-reserve';
      }
    }
  }

  return { log, cells, T, store, boundary, tc, ubBlob, parkC, resRing, riverPoly, roads, masks, villages, heritageSites, pfPatches, arablePatches, reserveGroups, arableReservePatches, roadDist };
}

/** Lowland, near-river parcels first: where the 永久基本农田 lies. */
function suitability(c: Cell): number {
  return -c.h + 0.3 * fbm(c.seed[0] / 1400, c.seed[1] / 1400, 21) + (c.riverD < 1200 ? 0.08 : 0);
}

function corridorVar(line: Pt[], halfs: number[]): Ring {
  const left: Pt[] = [], right: Pt[] = [];
  for (let i = 0; i < line.length; i++) {
    const a = line[Math.max(0, i - 1)], b = line[Math.min(line.length - 1, i + 1)];
    const len = dist(a, b);
    const nx = -(b[1] - a[1]) / len, ny = (b[0] - a[0]) / len;
    left.push([line[i][0] + nx * halfs[i], line[i][1] + ny * halfs[i]]);
    right.push([line[i][0] - nx * halfs[i], line[i][1] - ny * halfs[i]]);
  }
  const ring = [...right, ...left.reverse()];
  return ringArea(ring) < 0 ? ring.reverse() : ring;
}

/**
 * A field patch from a parcel: shrunk inward (ditches and field roads), roughened with inward
 * notches (stays inside the convex parcel, hence simple), cut by road land and water, maybe a pond
 * hole. Pieces keep 4–20 vertices.
 */
function parcelPatch(c: Cell, rng: Rng, masks: Mask[], o: { inset: [number, number]; holeChance: number }): Poly[] {
  const inset = insetConvex(c.ring, rng.range(o.inset[0], o.inset[1]));
  if (!inset || ringArea(inset) < 1500) return [];
  const bb = bboxOf(inset);
  const hits = masks.filter((m) => bboxOverlap(bb, m.bbox, 1));
  let ring = inset;
  if (hits.length === 0) {
    const cen = ringCentroid(inset);
    const out: Ring = [];
    for (let i = 0; i < inset.length; i++) {
      const a = inset[i], b = inset[(i + 1) % inset.length];
      out.push(a);
      if (dist(a, b) > 50 && rng.chance(0.5) && out.length + (inset.length - i) < 18) {
        const t = rng.range(0.3, 0.7), k = rng.range(0.04, 0.16);
        const m: Pt = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
        out.push([m[0] + k * (cen[0] - m[0]), m[1] + k * (cen[1] - m[1])]);
      }
    }
    ring = out;
  }
  let pieces: MPoly = [[ring]];
  for (const m of hits) pieces = mDiff(pieces, m.m);
  const result: Poly[] = [];
  for (const p of pieces) {
    const outer = cleanRing(p[0], 0.05);
    if (outer.length < 4 || outer.length > 20 || Math.abs(ringArea(outer)) < 1500) continue;
    const poly: Poly = orientPoly([outer, ...p.slice(1)]);
    if (poly.length === 1 && hits.length === 0 && rng.chance(o.holeChance)) {
      const cen = ringCentroid(outer);
      const rh = rng.range(10, 20);
      if (pointInRing(cen, outer) && pointBoundaryDistance(cen, [[outer]]) > rh + 12) {
        const hole: Ring = [];
        const n = rng.int(4, 6), ph = rng.range(0, Math.PI);
        for (let i = 0; i < n; i++) {
          const t = ph + (i / n) * Math.PI * 2, r = rh * rng.range(0.75, 1);
          hole.push([cen[0] + r * Math.cos(t), cen[1] + r * Math.sin(t)]);
        }
        poly.push(hole.reverse());
      }
    }
    result.push(poly);
  }
  return result;
}

// ───────────────────────────── layers ─────────────────────────────

type World = ReturnType<typeof buildWorld>;

const sortByPosition = <T>(items: T[], at: (t: T) => Pt) =>
  items.map((t) => ({ t, p: at(t) })).sort((a, b) => b.p[1] - a.p[1] || a.p[0] - b.p[0]).map((x) => x.t);
const pad = (n: number, w: number) => String(n).padStart(w, '0');

function buildLayers(w: World) {
  const { cells, T, store, boundary } = w;
  const feats: LayerFeat[] = [];
  const B: MPoly = [boundary];
  const unionOf = (cs: Cell[]) => unionCells(cells, cs.map((c) => c.idx), store);
  const componentsOf = (cs: Cell[]) => connectedComponents(cells, cs.map((c) => c.idx).sort((a, b) => a - b)).map((ids) => unionCells(cells, ids, store));
  const centroidOf = (m: MPoly) => ringCentroid(m.slice().sort((a, b) => polyArea(b) - polyArea(a))[0][0]);

  feats.push({ id: 'boundary', kind: 'boundary', props: { name: '示范乡（相市乡模拟数据）行政辖区' }, m: B });

  // planning zones: a partition of the township
  const ZONE_ABBR: Record<Zone, string> = {
    'farmland-protection': 'fp', 'ecological-protection': 'ep', 'ecological-control': 'ec', 'urban-development': 'ud', 'rural-development': 'rd', 'mining-energy': 'me',
  };
  for (const zone of Object.keys(ZONE_ABBR) as Zone[]) {
    const polys = sortByPosition(componentsOf(T.filter((c) => c.zone === zone)), centroidOf);
    polys.forEach((m, i) => feats.push({ id: `pz-${ZONE_ABBR[zone]}-${pad(i + 1, 3)}`, kind: 'planning-zone', props: { zone }, m }));
  }
  // urban development boundary and its three zones
  for (const zone of ['concentrated', 'flexible', 'special'] as UbZone[]) {
    const polys = sortByPosition(componentsOf(T.filter((c) => c.ub === zone)), centroidOf);
    polys.forEach((m, i) => feats.push({ id: `ub-${zone}-${pad(i + 1, 2)}`, kind: 'urban-boundary', props: { zone }, m }));
  }
  // ecological red line (core areas separate)
  {
    const ep = T.filter((c) => c.zone === 'ecological-protection');
    const names: Record<string, string> = { wetland: '耒水鸟洲湿地', SE: '东南丘陵水源涵养区', NW: '西北丘陵水土保持区', NE: '东北丘陵生物多样性维护区', SW: '西南丘陵' };
    const parts = [
      ...componentsOf(ep.filter((c) => c.core)).map((m) => ({ m, core: true })),
      ...componentsOf(ep.filter((c) => !c.core)).map((m) => ({ m, core: false })),
    ];
    sortByPosition(parts, (x) => centroidOf(x.m)).forEach((x, i) => {
      const hill = [...cells].filter((c) => c.zone === 'ecological-protection' && pointInMPoly(c.seed, x.m))[0]?.hill ?? 'SE';
      feats.push({ id: `er-${pad(i + 1, 2)}`, kind: 'ecological-redline', props: { core: x.core, name: `${names[hill]}${x.core ? '（自然保护地核心保护区）' : ''}` }, m: x.m });
    });
  }
  const pieceFeats = (kind: string, prefix: string, width: number, items: { poly: Poly; props?: Record<string, unknown> }[]) =>
    sortByPosition(items, (x) => ringCentroid(x.poly[0])).forEach((x, i) => feats.push({ id: `${prefix}-${pad(i + 1, width)}`, kind, props: { ...(x.props ?? {}) }, m: [x.poly] }));
  pieceFeats('permanent-farmland', 'pf', 4, w.pfPatches);
  pieceFeats('arable-land', 'al', 4, w.arablePatches.map((a) => ({ poly: a.poly, props: { paddy: a.paddy } })));
  {
    const roadAndWater = w.masks;
    const items: { poly: Poly }[] = [];
    for (const g of w.reserveGroups) {
      let m = unionCells(cells, g, w.store);
      const bb = mpolyBBox(m);
      for (const mk of roadAndWater) if (bboxOverlap(bb, mk.bbox)) m = mDiff(m, mk.m);
      for (const p of m) if (polyArea(p) > 3000) items.push({ poly: p });
    }
    pieceFeats('farmland-reserve', 'fr', 3, items);
  }
  pieceFeats('arable-reserve', 'ar', 3, w.arableReservePatches);
  // villages (村庄建设边界)
  {
    const items: { poly: Poly; props: Record<string, unknown> }[] = [];
    for (const v of w.villages) for (const cl of v.cells) for (const p of unionCells(cells, cl, store)) items.push({ poly: p, props: { name: v.name } });
    pieceFeats('village-boundary', 'vb', 3, items);
  }
  // heritage (表5-1): footprint, and where the bundle gives them, 保护范围 and 建设控制地带 as rings
  w.heritageSites.forEach((s, i) => {
    const c = s.cell.seed;
    const site = rect(c, s.w, s.h);
    const props = { name: s.name, level: s.level, address: s.address };
    const id = `hr-${pad(i + 1, 2)}`;
    feats.push({ id: `${id}-site`, kind: 'heritage', props: { ring: 'site', ...props }, m: [[site]] });
    if (s.rings) {
      const r = s.rings;
      const P: Ring = [[c[0] - s.w / 2 - r.w, c[1] - s.h / 2 - r.s], [c[0] + s.w / 2 + r.e, c[1] - s.h / 2 - r.s], [c[0] + s.w / 2 + r.e, c[1] + s.h / 2 + r.n], [c[0] - s.w / 2 - r.w, c[1] + s.h / 2 + r.n]];
      const C: Ring = [[P[0][0] - r.control, P[0][1] - r.control], [P[1][0] + r.control, P[1][1] - r.control], [P[2][0] + r.control, P[2][1] + r.control], [P[3][0] - r.control, P[3][1] + r.control]];
      feats.push({ id: `${id}-protection`, kind: 'heritage', props: { ring: 'protection', ...props }, m: mIntersect([orientPoly([P, site])], B) });
      feats.push({ id: `${id}-control`, kind: 'heritage', props: { ring: 'control', ...props }, m: mIntersect([orientPoly([C, P])], B) });
    }
  });
  // drinking-water source (甘斗冲水库): level 1 round the intake, level 2 and quasi as rings
  {
    const rw = rngFor('water-source');
    const intake: Pt = [RESERVOIR_C[0] + 300 * Math.cos(-0.3), RESERVOIR_C[1] + 300 * Math.sin(-0.3)];
    const L1: MPoly = [[blob(intake, 300, rw, { n: 32, amp: 0.15 })]];
    const L2: MPoly = mUnion([[blob(RESERVOIR_C, 1150, rw, { n: 56, amp: 0.15 })]], L1);
    const Q: MPoly = mUnion([[blob([RESERVOIR_C[0] - 150, RESERVOIR_C[1] + 150], 1750, rw, { n: 72, amp: 0.12 })]], L2);
    const l1 = mIntersect(L1, B), l2 = mIntersect(mDiff(L2, L1), B), q = mIntersect(mDiff(Q, L2), B);
    const nm = '甘斗冲水库饮用水水源';
    feats.push({ id: 'ws-1', kind: 'water-source', props: { level: '1', name: `${nm}一级保护区` }, m: l1 });
    feats.push({ id: 'ws-2', kind: 'water-source', props: { level: '2', name: `${nm}二级保护区` }, m: l2 });
    feats.push({ id: 'ws-quasi', kind: 'water-source', props: { level: 'quasi', name: `${nm}准保护区` }, m: q });
  }
  // public forest
  for (const level of ['national', 'provincial'] as const) {
    const polys = sortByPosition(componentsOf(T.filter((c) => c.forest === level)), centroidOf);
    polys.forEach((m, i) => feats.push({ id: `gf-${level === 'national' ? 'n' : 'p'}-${pad(i + 1, 2)}`, kind: 'public-forest', props: { level }, m }));
  }
  // mineral deposits (压覆 ranges)
  {
    const rm = rngFor('minerals');
    const deps: { mineral: string; name: string; ring: Ring }[] = [
      { mineral: 'limestone', name: '水泥用灰岩矿', ring: blob(MINE_C, 700, rm, { n: 40, amp: 0.2, sx: 1.15, sy: 0.9 }) },
      { mineral: 'coal', name: '煤矿', ring: blob([500, -4700], 650, rm, { n: 40, amp: 0.18, sx: 1.4, sy: 0.8, rot: 0.3 }) },
      { mineral: 'brick-clay', name: '砖瓦用页岩', ring: blob([1300, 4300], 260, rm, { n: 28, amp: 0.2 }) },
    ];
    deps.forEach((d, i) => feats.push({ id: `md-${pad(i + 1, 2)}`, kind: 'mineral-deposit', props: { mineral: d.mineral, name: d.name }, m: mIntersect([[d.ring]], B) }));
  }
  // geological hazards at the hill foot, kept out of the villages
  {
    const rg = rngFor('geohazard');
    const villageM = unionOf(T.filter((c) => c.use === 'village'));
    const cands = T.filter((c) => c.zone === 'ecological-control' && c.hill !== 'wetland' && c.riverD > 500 && c.nbrs.some((n) => cells[n].zone === 'rural-development'))
      .sort((a, b) => lattice(a.idx, 4, 31) - lattice(b.idx, 4, 31));
    const centers: Cell[] = [];
    for (const c of cands) if (centers.length < 5 && centers.every((o) => dist(o.seed, c.seed) > 1500)) centers.push(c);
    const types = ['滑坡易发区', '崩塌易发区', '不稳定斜坡', '滑坡易发区', '泥石流易发区'];
    const items: { m: MPoly; name: string }[] = [];
    centers.forEach((c, i) => {
      let m: MPoly = [[blob(c.seed, rg.range(170, 300), rg, { n: 30, amp: 0.25, sx: rg.range(0.8, 1.3), rot: rg.range(0, 3) })]];
      m = mIntersect(mDiff(m, villageM), B).filter((p) => polyArea(p) > 5000);
      const v = w.villages.slice().sort((a, b) => dist(a.center, c.seed) - dist(b.center, c.seed))[0];
      if (m.length) items.push({ m, name: `${v.name}${types[i]}` });
    });
    sortByPosition(items, (x) => centroidOf(x.m)).forEach((x, i) => feats.push({ id: `gh-${pad(i + 1, 2)}`, kind: 'geohazard', props: { name: x.name }, m: x.m }));
  }
  // urban lines inside the urban boundary
  const urban = buildUrbanLines(w);
  feats.push(...urban.feats);
  // roads
  for (const r of w.roads) feats.push({ id: r.id, kind: 'road', props: { roadClass: r.roadClass, widthM: r.widthM, name: r.name }, lines: r.parts });
  return { feats, park: urban.park };
}

function buildUrbanLines(w: World) {
  const { cells, T, store } = w;
  const feats: LayerFeat[] = [];
  const ub = T.filter((c) => c.zone === 'urban-development');
  const UB = unionCells(cells, ub.map((c) => c.idx), store);
  const roadsOK = (c: Cell, m: number) => w.roadDist(c.seed) > m;
  const used = new Set<number>();
  const claim = (c: Cell) => {
    used.add(c.idx);
    c.use = 'urban-line';
    return c;
  };
  const freeCell = (c: Cell) => !used.has(c.idx) && c.nbrs.every((n) => !used.has(n));
  // blue: the 耒水 inside the town
  mIntersect(w.riverPoly, UB).forEach((p, i) => feats.push({ id: `ul-blue-${pad(i + 1, 2)}`, kind: 'urban-line', props: { line: 'blue', name: '耒水（镇区段）' }, m: [p] }));
  // green: the riverside park north of the centre, and a small park in the centre
  {
    let m = unionCells(cells, ub.filter((c) => c.ub === 'special' && c.riverD > riverHalf(c.seed[1]) && c.seed[1] > w.tc[1] - 100).map((c) => c.idx), store);
    m = mDiff(m, w.riverPoly);
    for (const mk of w.masks) if (bboxOverlap(mpolyBBox(m), mk.bbox)) m = mDiff(m, mk.m);
    m.filter((p) => polyArea(p) > 1500).forEach((p, i) => feats.push({ id: `ul-green-${pad(i + 1, 2)}`, kind: 'urban-line', props: { line: 'green', name: '滨江公园' }, m: [p] }));
  }
  const parkCell = ub
    .filter((c) => c.ub === 'concentrated' && c.nbrs.some((n) => cells[n].ub === 'flexible') && c.nbrs.every((n) => cells[n].ub !== 'special') && c.riverD > 450)
    .sort((a, b) => w.roadDist(b.seed) - w.roadDist(a.seed) || a.idx - b.idx)[0];
  const park = insetConvex(claim(parkCell).ring, 4)!;
  feats.push({ id: 'ul-green-park', kind: 'urban-line', props: { line: 'green', name: '镇区街头游园' }, m: [[park]] });
  // yellow: waterworks upstream (south), sewage works downstream (north), substation; purple: old street
  const pick = (label: string, f: (c: Cell) => boolean, score: (c: Cell) => number) => {
    const c = ub.filter((c) => c.ub !== 'special' && freeCell(c) && f(c) && roadsOK(c, 40)).sort((a, b) => score(a) - score(b) || a.idx - b.idx)[0];
    if (!c) throw new Error(`no cell for ${label}`);
    return claim(c);
  };
  const half = (c: Cell) => riverHalf(c.seed[1]);
  const yellow = [
    { name: '镇区自来水厂', c: pick('waterworks', (c) => c.riverD > half(c) + 90 && c.riverD < half(c) + 260 && c.seed[1] < w.tc[1] - 200, (c) => -c.seed[1] * 0 + Math.abs(c.seed[1] - (w.tc[1] - 450))) },
    { name: '镇区污水处理厂', c: pick('sewage', (c) => c.riverD > half(c) + 90 && c.riverD < half(c) + 300 && c.seed[1] > w.tc[1] + 350, (c) => -c.seed[1]) },
    { name: '35kV变电站', c: pick('substation', (c) => c.ub === 'flexible' && c.seed[0] > w.tc[0], (c) => -(c.seed[0] + c.seed[1])) },
  ];
  yellow.forEach((y, i) => feats.push({ id: `ul-yellow-${pad(i + 1, 2)}`, kind: 'urban-line', props: { line: 'yellow', name: y.name }, m: [[insetConvex(y.c.ring, 3)!]] }));
  const purple = pick('old street', (c) => c.ub === 'concentrated', (c) => dist(c.seed, [w.tc[0] - 150, w.tc[1] + 200]));
  feats.push({ id: 'ul-purple-01', kind: 'urban-line', props: { line: 'purple', name: '相市老街历史地段' }, m: [[insetConvex(purple.ring, 3)!]] });
  return { feats, park: { ring: park, cell: parkCell } };
}
