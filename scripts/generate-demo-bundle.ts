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
import { buffer as turfBuffer } from '@turf/buffer';
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
/**
 * martinez can throw on (or mishandle) degenerate input; retry with coordinates snapped to 1 mm and
 * 1 cm, accepting only results whose area is consistent with the operands'.
 */
function guarded(op: 'intersection' | 'diff' | 'union', a: MPoly, b: MPoly): MPoly {
  const f = martinez[op];
  const A = mpolyArea(a), Bv = mpolyArea(b);
  const snap = (m: MPoly, q: number): MPoly =>
    q === 0 ? m : m.map((p) => p.map((r) => cleanRing(r.map(([x, y]) => [Math.round(x / q) * q, Math.round(y / q) * q] as Pt), 1e-6)).filter((r) => r.length >= 3));
  let last: unknown = null;
  for (const q of [0, 0.001, 0.01]) {
    try {
      const r = fromM(f(toM(snap(a, q)), toM(snap(b, q))));
      const R = mpolyArea(r), tol = 1e-6 * Math.max(A, Bv) + 1;
      const ok = op === 'intersection' ? R <= Math.min(A, Bv) + tol : op === 'diff' ? R <= A + tol && R >= A - Bv - tol : R >= Math.max(A, Bv) - tol && R <= A + Bv + tol;
      if (ok) return r;
      last = new Error(`implausible area ${R} from ${A}, ${Bv}`);
    } catch (e) {
      last = e;
    }
  }
  throw new Error(`martinez ${op} failed: ${String(last)}`);
}
const mIntersect = (a: MPoly, b: MPoly) => (a.length && b.length ? guarded('intersection', a, b) : []);
const mDiff = (a: MPoly, b: MPoly) => (a.length === 0 ? [] : b.length === 0 ? a : guarded('diff', a, b));
const mUnion = (a: MPoly, b: MPoly) => (a.length === 0 ? b : b.length === 0 ? a : guarded('union', a, b));

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
  let B0 = blob([0, 0], 4900, rngFor('boundary'), { n: 220, amp: 0.3, harmonics: 11, sx: 0.86, sy: 1.16, rot: 0.12 });
  B0 = scaleRing(B0, [0, 0], Math.sqrt((TARGET.township * HA) / ringArea(B0)));
  const tc: Pt = [riverX(-500) + 650, -500];
  const ubCenter: Pt = [tc[0] - 200, tc[1]];
  const ubBlob = blob(ubCenter, 950, rngFor('ub'), { n: 48, amp: 0.14, sx: 1.0, sy: 0.9, rot: 0.2 });
  const fineRing = scaleRing(ubBlob, ubCenter, 1.2);
  const seeds: Pt[] = [];
  const bb = bboxOf(B0);
  {
    const r = rngFor('seeds');
    const S = 190, rowH = (S * Math.sqrt(3)) / 2;
    for (let row = 0, y = bb[1] - 900; y <= bb[3] + 900; row++, y += rowH)
      for (let x = bb[0] - 900 + (row % 2) * (S / 2); x <= bb[2] + 900; x += S) {
        const p: Pt = [x + r.range(-0.3, 0.3) * S, y + r.range(-0.3, 0.3) * S];
        if (!pointInRing(p, fineRing)) seeds.push(p);
      }
    const s = 75, rh = (s * Math.sqrt(3)) / 2;
    const fb = bboxOf(fineRing);
    for (let row = 0, y = fb[1]; y <= fb[3]; row++, y += rh)
      for (let x = fb[0] + (row % 2) * (s / 2); x <= fb[2]; x += s) {
        const p: Pt = [x + r.range(-0.28, 0.28) * s, y + r.range(-0.28, 0.28) * s];
        if (pointInRing(p, fineRing) && pointBoundaryDistance(p, [[fineRing]]) > 25) seeds.push(p);
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
  const parkC: Pt = [tc[0] - 60, tc[1] - 560];
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
  const gx = tc[0] + 400;
  addRoad('rd-02', 'G322', 'national', 12, [[-300, -8000], [-100, -4000], [gx - 20, tc[1] - 800], [gx, tc[1]], [gx + 30, tc[1] + 900], [gx + 250, 3000], [tc[0] + 300, 8000]]);
  addRoad('rd-03', 'S315', 'provincial', 10, [[-7500, -1800], [-3500, -1300], [-1200, -800], [tc[0] - 150, tc[1] - 60], [gx, tc[1]]]);
  addRoad('rd-04', 'X031', 'county', 7.5, [[gx, tc[1]], [1700, -250], [3500, 100], [7500, -300]]);
  addRoad('rd-05', 'X032', 'county', 7.5, [[gx + 40, tc[1] + 1400], [-600, 950], [-2500, 500], [-7500, 400]]);
  addRoad('rd-06', 'X033', 'county', 7.5, [[gx - 10, tc[1] - 650], [1200, -1800], [1200, -3800], [900, -8000]]);
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
      if (bd < 150) continue;
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

  return { log, cells, T, store, boundary, tc, ubBlob, parkC, resRing, riverPoly, riverLine, riverHalfs, roads, masks, villages, heritageSites, pfPatches, arablePatches, reserveGroups, arableReservePatches, roadDist };
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
      { mineral: 'coal', name: '煤矿', ring: blob([700, -4050], 650, rm, { n: 40, amp: 0.18, sx: 1.4, sy: 0.8, rot: 0.3 }) },
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
    // keep a 3 m embankment path between the water (blue line) and the park (green line)
    m = mDiff(m, [[corridorVar(w.riverLine, w.riverHalfs.map((h) => h + 3))]]);
    for (const mk of w.masks) if (bboxOverlap(mpolyBBox(m), mk.bbox)) m = mDiff(m, mk.m);
    m.filter((p) => polyArea(p) > 1500).forEach((p, i) => feats.push({ id: `ul-green-${pad(i + 1, 2)}`, kind: 'urban-line', props: { line: 'green', name: '滨江公园' }, m: [p] }));
  }
  const parkCell = ub
    .filter((c) => c.ub === 'concentrated' && c.nbrs.some((n) => cells[n].ub === 'flexible') && c.nbrs.every((n) => cells[n].ub === 'concentrated' || cells[n].ub === 'flexible') && c.riverD > 450)
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
    { name: '镇区自来水厂', c: pick('waterworks', (c) => c.riverD > half(c) + 90 && c.riverD < half(c) + 260 && c.seed[1] < w.tc[1] - 200, (c) => Math.abs(c.seed[1] - (w.tc[1] - 450))) },
    { name: '镇区污水处理厂', c: pick('sewage', (c) => c.riverD > half(c) + 90 && c.riverD < half(c) + 300 && c.seed[1] > w.tc[1] + 350, (c) => -c.seed[1]) },
    { name: '35kV变电站', c: pick('substation', (c) => c.ub === 'flexible' && c.seed[0] > w.tc[0], (c) => -(c.seed[0] + c.seed[1])) },
  ];
  yellow.forEach((y, i) => feats.push({ id: `ul-yellow-${pad(i + 1, 2)}`, kind: 'urban-line', props: { line: 'yellow', name: y.name }, m: [[insetConvex(y.c.ring, 3)!]] }));
  const purple = pick('old street', (c) => c.ub === 'concentrated', (c) => dist(c.seed, [w.tc[0] - 150, w.tc[1] + 200]));
  feats.push({ id: 'ul-purple-01', kind: 'urban-line', props: { line: 'purple', name: '相市老街历史地段' }, m: [[insetConvex(purple.ring, 3)!]] });
  return { feats, park: { ring: park, cell: parkCell } };
}

// ───────────────────────────── output ─────────────────────────────

const toLonLat = proj4(TMERC, 'EPSG:4326');
const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
function llPoint(p: Pt): [number, number] {
  const [lon, lat] = toLonLat.forward([p[0], p[1]]);
  return [r7(lon), r7(lat)];
}
function llLine(l: Pt[]): [number, number][] {
  const out: [number, number][] = [];
  for (const p of l) {
    const q = llPoint(p);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  return out;
}
/**
 * Rounding to 7 decimals moves a point by up to ~0.5 cm, which can put a vertex that lies on the
 * township boundary (where a layer was clipped to it) just outside. Such vertices are nudged by one
 * unit of the last decimal to the inside, so every feature stays within the boundary.
 */
let keepInside: ((q: [number, number]) => [number, number]) | null = null;
function makeKeepInside(boundaryLL: [number, number][]) {
  const vertices = new Set(boundaryLL.map((q) => `${q[0]},${q[1]}`));
  const ring = boundaryLL.slice(0, -1) as Pt[];
  const bb = bboxOf(ring);
  const segIdx = new Flatbush(ring.length);
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i], b = ring[(i + 1) % ring.length];
    segIdx.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  }
  segIdx.finish();
  const E = 1e-7;
  return (q: [number, number]): [number, number] => {
    if (vertices.has(`${q[0]},${q[1]}`)) return q;
    // only points within ~2 cm of the boundary can be affected
    if (segIdx.search(q[0] - 3 * E, q[1] - 3 * E, q[0] + 3 * E, q[1] + 3 * E).length === 0) return q;
    if (q[0] >= bb[0] && q[0] <= bb[2] && pointInRing(q, ring)) return q;
    for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1], [1, -1], [-1, 1], [-1, -1], [2, 0], [-2, 0], [0, 2], [0, -2]]) {
      const c: [number, number] = [r7(q[0] + dx * E), r7(q[1] + dy * E)];
      if (pointInRing(c, ring)) return c;
    }
    return q;
  };
}
function llRing(r: Ring): [number, number][] {
  const out = llLine(r).map((q) => (keepInside ? keepInside(q) : q));
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  out.push(out[0]);
  return out;
}
type Geometry =
  | { type: 'Point'; coordinates: [number, number] }
  | { type: 'LineString'; coordinates: [number, number][] }
  | { type: 'MultiLineString'; coordinates: [number, number][][] }
  | { type: 'Polygon'; coordinates: [number, number][][] }
  | { type: 'MultiPolygon'; coordinates: [number, number][][][] };
function llPolys(m: MPoly): Geometry {
  const polys = m.map((p) => p.map(llRing));
  return polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
}
function llGeometry(f: LayerFeat): Geometry {
  if (f.lines) return f.lines.length === 1 ? { type: 'LineString', coordinates: llLine(f.lines[0]) } : { type: 'MultiLineString', coordinates: f.lines.map(llLine) };
  return llPolys(f.m!);
}

const LAYER_FILES: { file: string; kinds: string[] }[] = [
  { file: 'layers/boundary.geojson', kinds: ['boundary'] },
  { file: 'layers/controls.geojson', kinds: ['ecological-redline', 'permanent-farmland', 'farmland-reserve', 'arable-land', 'arable-reserve'] },
  { file: 'layers/zoning.geojson', kinds: ['planning-zone', 'urban-boundary', 'village-boundary'] },
  { file: 'layers/protection.geojson', kinds: ['heritage', 'water-source', 'public-forest', 'mineral-deposit', 'geohazard', 'urban-line'] },
  { file: 'layers/roads.geojson', kinds: ['road'] },
];

function featureCollectionText(feats: LayerFeat[]): string {
  const lines = feats.map((f) => {
    const saved = keepInside;
    if (f.kind === 'boundary') keepInside = null;
    const geometry = llGeometry(f);
    keepInside = saved;
    return JSON.stringify({ type: 'Feature', id: f.id, properties: { kind: f.kind, ...f.props }, geometry });
  });
  return `{"type":"FeatureCollection","features":[\n${lines.join(',\n')}\n]}\n`;
}

function writeBundle(feats: LayerFeat[]) {
  rmSync(join(BUNDLE_DIR, 'layers'), { recursive: true, force: true });
  mkdirSync(join(BUNDLE_DIR, 'layers'), { recursive: true });
  const manifest = {
    id: 'demo-county',
    name: '示范乡（相市乡模拟数据）',
    crs: 'EPSG:4490',
    // The plans that govern the township (contract §2): the city plan, the city's resources plan and
    // the township plan; national policies apply without being listed.
    policies: ['local.hengyang-2021-2035', 'local.hengyang-resources-2021-2025', 'local.xiangshi-2021-2035'],
    sliverToleranceM2: 1,
    layers: LAYER_FILES.map((l) => l.file),
  };
  writeFileSync(join(BUNDLE_DIR, 'jurisdiction.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const boundary = feats.find((f) => f.kind === 'boundary')!;
  keepInside = makeKeepInside(llRing(boundary.m![0][0]));
  for (const l of LAYER_FILES) {
    const fs = l.kinds.flatMap((k) => feats.filter((f) => f.kind === k));
    writeFileSync(join(BUNDLE_DIR, l.file), featureCollectionText(fs));
  }
}

// ───────────────────────────── sample projects ─────────────────────────────

type SiteM =
  | { type: 'Point'; p: Pt }
  | { type: 'Polygon'; m: MPoly }
  | { type: 'LineString'; line: Pt[]; width: number };

interface Touch { kind: string; zone: string | null; id: string; relation: 'inside' | 'straddle' }

const zoneOf = (f: { kind: string; props: Record<string, unknown> }): string | null => {
  const p = f.props;
  if (f.kind === 'ecological-redline') return p.core === true ? 'core' : null;
  const v = p.zone ?? p.ring ?? p.level ?? p.line ?? p.roadClass;
  return v === undefined ? null : String(v);
};

class SiteChecker {
  private index: Flatbush;
  private boxes: BBox[];
  constructor(private feats: LayerFeat[]) {
    this.boxes = feats.map((f) => (f.m ? mpolyBBox(f.m) : bboxOf(f.lines!.flat())));
    this.index = new Flatbush(feats.length);
    for (const b of this.boxes) this.index.add(b[0], b[1], b[2], b[3]);
    this.index.finish();
  }
  static area(site: SiteM): MPoly | null {
    if (site.type === 'Point') return null;
    if (site.type === 'Polygon') return site.m;
    return [[corridor(site.line, site.width / 2)]];
  }
  /** A multipolygon site is placed part by part: each part must be clean on its own. */
  assessParts(site: SiteM, allow: (t: Touch) => boolean): { touches: Touch[]; problem: string | null } {
    if (site.type !== 'Polygon' || site.m.length === 1) return this.assess(site, allow);
    const touches = new Map<string, Touch>();
    for (const part of site.m) {
      const r = this.assess({ type: 'Polygon', m: [part] }, allow);
      if (r.problem) return r;
      for (const t of r.touches) if (!touches.has(t.id) || t.relation === 'straddle') touches.set(t.id, t);
    }
    return { touches: [...touches.values()], problem: null };
  }
  /** Touches of a site, or the first reason it is not a clean placement. */
  assess(site: SiteM, allow: (t: Touch) => boolean, margin = 20, roadMargin = 60): { touches: Touch[]; problem: string | null } {
    const S = SiteChecker.area(site);
    const sb = S ? mpolyBBox(S) : ([site.type === 'Point' ? site.p[0] : 0, site.type === 'Point' ? site.p[1] : 0, site.type === 'Point' ? site.p[0] : 0, site.type === 'Point' ? site.p[1] : 0] as BBox);
    const SA = S ? mpolyArea(S) : 0;
    const touches: Touch[] = [];
    const hits = this.index.search(sb[0] - 150, sb[1] - 150, sb[2] + 150, sb[3] + 150).sort((a, b) => a - b);
    for (const i of hits) {
      const f = this.feats[i];
      if (f.kind === 'road') {
        const w = Number(f.props.widthM);
        let d = Infinity;
        for (const l of f.lines!) {
          if (site.type === 'Point') d = Math.min(d, polylineDistance(site.p, l));
          else {
            for (let k = 0; k + 1 < l.length; k++) {
              if (S!.some((p) => pointInPoly(l[k], p))) d = 0;
              for (const [a, b] of segmentsOf(S!)) d = Math.min(d, segSegDist(l[k], l[k + 1], a, b));
            }
          }
        }
        if (d - w / 2 < roadMargin) return { touches, problem: `within ${roadMargin} m of road ${f.id}` };
        continue;
      }
      const t: Touch = { kind: f.kind, zone: zoneOf(f), id: f.id, relation: 'inside' };
      if (site.type === 'Point') {
        const inside = pointInMPoly(site.p, f.m!);
        if (pointBoundaryDistance(site.p, f.m!) < margin) return { touches, problem: `point near the edge of ${f.id}` };
        if (inside) touches.push(t);
        continue;
      }
      const a = mpolyArea(mIntersect(S!, f.m!));
      const bd = boundaryDistance(S!, f.m!, margin + 1);
      if (a < 0.01) {
        if (bd < margin) return { touches, problem: `too close to ${f.id}` };
      } else if (a >= SA - 0.01) {
        if (bd < margin) return { touches, problem: `inside ${f.id} but near its edge` };
        touches.push(t);
      } else {
        t.relation = 'straddle';
        if (!allow(t)) return { touches, problem: `straddles ${f.id}` };
        touches.push(t);
      }
    }
    if (!touches.some((t) => t.kind === 'boundary' && t.relation === 'inside')) return { touches, problem: 'not inside the township' };
    return { touches: touches.filter((t) => t.kind !== 'boundary'), problem: null };
  }
}

interface ProjectSpec {
  name: string;
  title: string;
  activity: string;
  attributes: Record<string, unknown>;
  verdict: 'allowed' | 'conditional' | 'forbidden';
  approvals?: string[];
  landSupply?: { method: string; status: string }[];
  note: string;
  candidates: () => SiteM[];
  allow?: (t: Touch) => boolean;
  accept: (kinds: string[], touches: Touch[]) => boolean;
}

const kindsOf = (ts: Touch[]) => [...new Set(ts.map((t) => t.kind))].sort();
const sameKinds = (want: string[]) => (k: string[]) => k.join() === want.slice().sort().join();
const sq = (c: Pt, s: number): SiteM => ({ type: 'Polygon', m: [[rect(c, s, s)]] });
const byKey = <T>(xs: T[], key: (x: T) => number) => xs.slice().sort((a, b) => key(a) - key(b));

function buildProjects(w: World, feats: LayerFeat[], park: { ring: Ring; cell: Cell }): { spec: ProjectSpec; site: SiteM; touches: Touch[] }[] {
  const { T, cells } = w;
  const checker = new SiteChecker(feats);
  const featById = new Map(feats.map((f) => [f.id, f]));
  const hash = (c: Cell, k: number) => lattice(c.idx, k, 4242);
  const centre = (c: Cell) => ringCentroid(c.ring);
  const nonRiverSpecial = (c: Cell) => c.ub === 'special' && c.riverD > riverHalf(c.seed[1]) + 60;
  const redlineCells = (core: boolean | null) => T.filter((c) => c.zone === 'ecological-protection' && (core === null || !!c.core === core));
  const pfPolys = feats.filter((f) => f.kind === 'permanent-farmland');
  const ubOnly = (zones: string[]) => (t: Touch) => t.kind === 'urban-boundary' && zones.includes(String(t.zone));
  const redNonCore = (t: Touch) => t.kind === 'ecological-redline' && t.zone === null;

  const specs: ProjectSpec[] = [
    {
      name: 'industrial-concentrated-1ha', title: '集中建设区内农产品加工厂（1公顷）', activity: 'industrial', attributes: {}, verdict: 'allowed',
      landSupply: [{ method: 'tender-auction-listing', status: 'required' }],
      note: '集中建设区用于布局各类城镇集中建设（专栏3-3）；工业用地须招标拍卖挂牌出让。',
      candidates: () => byKey(T.filter((c) => c.ub === 'concentrated'), (c) => hash(c, 1)).map((c) => sq(c.seed, 100)),
      accept: sameKinds(['planning-zone', 'urban-boundary']),
    },
    {
      name: 'housing-special-zone', title: '特别用途区内商品住宅', activity: 'housing', attributes: {}, verdict: 'forbidden',
      note: '特别用途区原则上禁止任何城镇集中建设行为，不得新增市政、交通物流、生态修复、必要配套及游憩设施以外的城镇建设用地（专栏3-3）。',
      candidates: () => byKey(T.filter(nonRiverSpecial), (c) => hash(c, 2)).map((c) => sq(c.seed, 60)),
      accept: sameKinds(['planning-zone', 'urban-boundary']),
    },
    {
      name: 'municipal-special-zone', title: '特别用途区内污水提升泵站', activity: 'municipal-infrastructure', attributes: {}, verdict: 'allowed',
      note: '特别用途区允许新增市政基础设施用地（专栏3-3）。',
      candidates: () => byKey(T.filter(nonRiverSpecial), (c) => hash(c, 3)).map((c) => sq(c.seed, 50)),
      accept: sameKinds(['planning-zone', 'urban-boundary']),
    },
    {
      name: 'industrial-flexible-zone', title: '弹性发展区内标准厂房', activity: 'industrial', attributes: {}, verdict: 'conditional',
      note: '弹性发展区在满足特定条件下方可进行城镇开发和集中建设（专栏3-3）。',
      candidates: () => byKey(T.filter((c) => c.ub === 'flexible'), (c) => hash(c, 4)).map((c) => sq(c.seed, 80)),
      accept: sameKinds(['planning-zone', 'urban-boundary']),
    },
    {
      name: 'development-zone-outside-ub', title: '城镇开发边界外设立农产品加工园区', activity: 'development-zone', attributes: {}, verdict: 'forbidden',
      note: '城镇开发边界外不得设立各类开发区（专栏3-3）。',
      candidates: () => byKey(T.filter((c) => c.zone === 'rural-development' && !c.use), (c) => hash(c, 5)).map((c) => sq(centre(c), 110)),
      accept: sameKinds(['planning-zone']),
    },
    {
      name: 'industrial-on-permanent-farmland', title: '永久基本农田上建设厂房', activity: 'industrial', attributes: {}, verdict: 'forbidden',
      note: '永久基本农田任何单位和个人不得擅自占用或改变其用途；工业项目不属于可占用的重点建设项目（专栏3-1）。',
      candidates: () => byKey(pfPolys.filter((f) => f.m!.length === 1 && f.m![0].length === 1 && polyArea(f.m![0]) > 20000), (f) => lattice(Number(f.id.slice(3)), 6, 1))
        .map((f) => sq(ringCentroid(f.m![0][0]), 60)),
      accept: sameKinds(['permanent-farmland', 'planning-zone']),
    },
    {
      name: 'transport-key-project-farmland', title: '国家重点交通项目（公路）穿越永久基本农田', activity: 'transport',
      attributes: { keyProjectSector: 'transport', unavoidable: true }, verdict: 'conditional', approvals: ['state-council'],
      note: '国家能源、交通、水利、军事设施等重点建设项目选址确实难以避让永久基本农田的，农用地转用或土地征收必须经国务院批准（专栏3-1）。',
      candidates: () => byKey(T.filter((c) => c.zone === 'farmland-protection'), (c) => hash(c, 7)).flatMap((c) =>
        [0, Math.PI / 4, Math.PI / 2, (3 * Math.PI) / 4].map((a) => ({ type: 'Polygon', m: [[strip(c.seed, 500, 40, a)]] }) as SiteM)),
      allow: (t) => t.kind === 'permanent-farmland',
      accept: (k, ts) => sameKinds(['permanent-farmland', 'planning-zone'])(k) && ts.filter((t) => t.kind === 'permanent-farmland').length >= 3,
    },
    {
      name: 'linear-infrastructure-redline', title: '跨耒水鸟洲湿地供水管线', activity: 'linear-infrastructure',
      attributes: { corridorWidthM: 12, unavoidable: true, inCountyPlan: true }, verdict: 'conditional',
      note: '必须且无法避让、符合县级以上国土空间规划的线性基础设施、供水设施属生态保护红线内允许的有限人为活动（专栏3-2）；若涉及新增建设用地审批，须附省级人民政府出具的意见（则为 conditional）；线路另经过生态控制区，衡阳市总体规划要求符合特别控制单元详细规划（地方政策收紧），故为 conditional。',
      candidates: () => {
        const out: SiteM[] = [];
        for (let y = -3500; y <= -2700; y += 50)
          for (const L of [320, 290, 260, 230, 200]) {
            const x = riverX(y);
            out.push({ type: 'LineString', width: 12, line: [[x - L, y - 25], [x, y], [x + L, y + 30]] });
          }
        return out;
      },
      allow: (t) => redNonCore(t) || (t.kind === 'planning-zone' && (t.zone === 'ecological-control' || t.zone === 'ecological-protection')),
      accept: (k, ts) => sameKinds(['ecological-redline', 'planning-zone'])(k) && ts.some((t) => t.zone === 'ecological-control') && ts.some((t) => t.zone === 'ecological-protection'),
    },
    {
      name: 'patrol-point-redline', title: '鸟洲湿地管护巡护站点', activity: 'patrol', attributes: {}, verdict: 'allowed',
      note: '管护巡护、保护执法属生态保护红线内允许的有限人为活动（专栏3-2）。',
      candidates: () => byKey(redlineCells(false).filter((c) => c.hill === 'wetland'), (c) => hash(c, 9)).map((c) => ({ type: 'Point', p: c.seed }) as SiteM),
      accept: sameKinds(['ecological-redline', 'planning-zone']),
    },
    {
      name: 'industrial-in-redline', title: '生态保护红线内建设厂房', activity: 'industrial', attributes: {}, verdict: 'forbidden',
      note: '生态保护红线内严格禁止开发性、生产性建设活动（第四章第二节 生态保护区；专栏3-2）。',
      candidates: () => byKey(redlineCells(false).filter((c) => c.hill !== 'wetland'), (c) => hash(c, 10)).map((c) => sq(c.seed, 80)),
      accept: (k) => sameKinds(['ecological-redline', 'planning-zone'])(k) || sameKinds(['ecological-redline', 'planning-zone', 'public-forest'])(k),
    },
    {
      name: 'research-core-redline', title: '自然保护地核心保护区内科研监测样地', activity: 'research-monitoring', attributes: {}, verdict: 'forbidden',
      note: '自然保护地核心保护区原则上禁止人为活动（第四章第二节 生态保护区），规划文本未列例外，故为 forbidden；《自然保护区条例》第十八条、第二十七条另允许经保护区管理机构批准的科学研究，须由主管部门依该条例另行认定。',
      candidates: () => byKey(redlineCells(true), (c) => hash(c, 11)).map((c) => sq(c.seed, 50)),
      accept: (k, ts) => ts.some((t) => t.kind === 'ecological-redline' && t.zone === 'core') && (sameKinds(['ecological-redline', 'planning-zone'])(k) || sameKinds(['ecological-redline', 'planning-zone', 'public-forest'])(k)),
    },
    {
      name: 'major-project-redline', title: '国家级规划明确的交通项目占用生态保护红线', activity: 'transport',
      attributes: { majorProjectBasis: 'national-plan-transport-water', unavoidable: true }, verdict: 'conditional', approvals: ['state-council', 'ministry', 'provincial-government'],
      note: '国家级规划明确的交通、水利项目可占用生态保护红线，由自然资源部用地预审后报国务院批准，附省级人民政府不可避让论证意见（专栏3-2 严格占用生态保护红线用地审批）。',
      candidates: () => byKey(redlineCells(false).filter((c) => c.hill !== 'wetland'), (c) => hash(c, 12)).flatMap((c) =>
        [0.3, 1.2, 2.1].map((a) => ({ type: 'Polygon', m: [[strip(c.seed, 300, 40, a)]] }) as SiteM)),
      accept: (k, ts) => ts.every((t) => t.zone !== 'core') && (sameKinds(['ecological-redline', 'planning-zone'])(k) || sameKinds(['ecological-redline', 'planning-zone', 'public-forest'])(k)),
    },
    {
      name: 'straddle-urban-zones-with-hole', title: '跨集中建设区与弹性发展区的厂区（中间保留街头游园）', activity: 'industrial', attributes: {}, verdict: 'conditional',
      note: '场地跨集中建设区与弹性发展区，弹性发展区部分为 conditional；场地外环包住绿线游园，但游园位于内环（洞）中，不与绿线重叠——忽略洞的实现会误判为占用绿线。',
      candidates: () => {
        const pb = bboxOf(park.ring);
        const hole: Ring = [[pb[0] - 25, pb[1] - 25], [pb[0] - 25, pb[3] + 25], [pb[2] + 25, pb[3] + 25], [pb[2] + 25, pb[1] - 25]];
        const c = ringCentroid(park.ring);
        const out: SiteM[] = [];
        for (const size of [300, 260, 220])
          for (const dx of [0, -40, 40, -80, 80])
            for (const dy of [0, -40, 40, -80, 80]) {
              const outer = rect([c[0] + dx, c[1] + dy], size, size * 0.8);
              if (hole.every((p) => pointInRing(p, outer) && pointBoundaryDistance(p, [[outer]]) > 30)) out.push({ type: 'Polygon', m: [[outer, hole]] });
            }
        return out;
      },
      allow: ubOnly(['concentrated', 'flexible']),
      accept: (k, ts) => sameKinds(['planning-zone', 'urban-boundary'])(k) && ts.some((t) => t.zone === 'concentrated') && ts.some((t) => t.zone === 'flexible'),
    },
    {
      name: 'straddle-farmland-arable', title: '跨永久基本农田与一般耕地的仓储厂房', activity: 'industrial', attributes: {}, verdict: 'forbidden',
      note: '场地部分位于永久基本农田（农田保护区），部分位于一般耕地（乡村发展区）；占用永久基本农田的部分决定 forbidden。',
      candidates: () => {
        const out: SiteM[] = [];
        for (const c of byKey(T.filter((c) => c.use === 'pf'), (c) => hash(c, 14)))
          for (const n of c.nbrs)
            if (cells[n].use === 'arable') out.push({ type: 'Polygon', m: [[strip([(c.seed[0] + cells[n].seed[0]) / 2, (c.seed[1] + cells[n].seed[1]) / 2], 200, 120, Math.atan2(cells[n].seed[1] - c.seed[1], cells[n].seed[0] - c.seed[0]))]] });
        return out;
      },
      allow: (t) => ['permanent-farmland', 'arable-land'].includes(t.kind) || (t.kind === 'planning-zone' && ['farmland-protection', 'rural-development'].includes(String(t.zone))),
      accept: (k, ts) => sameKinds(['arable-land', 'permanent-farmland', 'planning-zone'])(k) && ts.some((t) => t.zone === 'farmland-protection') && ts.some((t) => t.zone === 'rural-development'),
    },
    {
      name: 'ecological-restoration-100ha', title: '东南丘陵山水林田湖草生态修复工程（100公顷）', activity: 'ecological-restoration',
      attributes: { inCountyPlan: true, ecoRestorationPlan: true }, verdict: 'allowed',
      note: '依据县级以上国土空间规划和生态保护修复专项规划开展的生态修复属生态保护红线内允许的有限人为活动（专栏3-2）；生态控制区允许生态建设。场地避开核心保护区。不涉及新增建设用地（若涉及则须附省级人民政府意见，为 conditional）。',
      candidates: () => {
        const out: SiteM[] = [];
        const rr = rngFor('project-100ha');
        for (const c of byKey(T.filter((c) => (c.zone === 'ecological-control' || c.zone === 'ecological-protection') && !c.core && c.hill !== 'wetland' && c.riverD > 700), (c) => hash(c, 15))) {
          const b = blob(c.seed, 560, rr, { n: 36, amp: 0.12, sx: rr.range(0.8, 1.25) });
          out.push({ type: 'Polygon', m: [[scaleRing(b, c.seed, Math.sqrt(1_000_000 / ringArea(b)))]] });
        }
        return out;
      },
      allow: (t) => redNonCore(t) || t.kind === 'public-forest' || (t.kind === 'planning-zone' && ['ecological-control', 'ecological-protection'].includes(String(t.zone))),
      accept: (k, ts) => k.includes('ecological-redline') && k.every((x) => ['ecological-redline', 'planning-zone', 'public-forest'].includes(x)) && ts.every((t) => t.zone !== 'core'),
    },
    {
      name: 'rural-housing-point-village', title: '村庄建设边界内村民自建房', activity: 'rural-housing', attributes: { landOwnership: 'collective' }, verdict: 'conditional',
      note: '乡村发展区内村庄建设边界内安排村民建房（第四章第二节 乡村发展区；第六章第九节）；未说明是否有经批准的村庄规划及乡村建设规划许可，故为 conditional（回答该问题可改变结论）。',
      candidates: () => byKey(T.filter((c) => c.use === 'village'), (c) => hash(c, 16)).map((c) => ({ type: 'Point', p: c.seed }) as SiteM),
      accept: sameKinds(['planning-zone', 'village-boundary']),
    },
    {
      name: 'public-service-allocation', title: '镇区卫生院扩建（划拨）', activity: 'public-service', attributes: { allocationCatalog: true }, verdict: 'allowed',
      landSupply: [{ method: 'allocation', status: 'permitted' }],
      note: '集中建设区内的公共服务设施；符合《划拨用地目录》的可以划拨方式供地。',
      candidates: () => byKey(T.filter((c) => c.ub === 'concentrated'), (c) => hash(c, 17)).map((c) => sq(c.seed, 80)),
      accept: sameKinds(['planning-zone', 'urban-boundary']),
    },
    {
      name: 'commercial-multipolygon-two-zones', title: '集中建设区与特别用途区两处商业网点（MultiPolygon）', activity: 'commercial', attributes: {}, verdict: 'forbidden',
      note: '两块地：集中建设区内一块（允许），特别用途区内一块（商业不属特别用途区可新增的用地，forbidden）；总体取最严。',
      candidates: () => {
        const a = byKey(T.filter((c) => c.ub === 'concentrated'), (c) => hash(c, 18)).slice(0, 40);
        const b = byKey(T.filter(nonRiverSpecial), (c) => hash(c, 19)).slice(0, 40);
        const out: SiteM[] = [];
        for (let i = 0; i < Math.min(a.length, b.length); i++) out.push({ type: 'Polygon', m: [[rect(a[i].seed, 50, 50)], [rect(b[i].seed, 50, 50)]] });
        return out;
      },
      accept: (k, ts) => sameKinds(['planning-zone', 'urban-boundary'])(k) && ts.some((t) => t.zone === 'concentrated') && ts.some((t) => t.zone === 'special'),
    },
  ];

  const placed: { spec: ProjectSpec; site: SiteM; touches: Touch[] }[] = [];
  for (const spec of specs) {
    let found: { site: SiteM; touches: Touch[] } | null = null;
    let tried = 0;
    const reasons = new Map<string, number>();
    for (const site of spec.candidates()) {
      if (++tried > 4000) break;
      const r = checker.assessParts(site, spec.allow ?? (() => false));
      if (r.problem) {
        const k = r.problem.replace(/[a-z]+-[\w-]+$/, '…');
        reasons.set(k, (reasons.get(k) ?? 0) + 1);
        continue;
      }
      if (spec.accept(kindsOf(r.touches), r.touches)) {
        found = { site, touches: r.touches };
        break;
      }
      reasons.set(`kinds ${kindsOf(r.touches).join('+')}`, (reasons.get(`kinds ${kindsOf(r.touches).join('+')}`) ?? 0) + 1);
    }
    if (!found) throw new Error(`no placement for project ${spec.name} after ${tried} tries: ${[...reasons].map(([k, v]) => `${k} ×${v}`).join('; ')}`);
    placed.push({ spec, ...found });
  }
  void featById;
  return placed;
}

function siteGeometry(site: SiteM): Geometry {
  if (site.type === 'Point') return { type: 'Point', coordinates: llPoint(site.p) };
  if (site.type === 'LineString') return { type: 'LineString', coordinates: llLine(site.line) };
  return llPolys(site.m);
}

/** JSON with two-space indentation, but arrays holding no objects (coordinates, id lists) on one line. */
function pretty(v: unknown, indent = ''): string {
  const flat = (x: unknown): boolean => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every(flat));
  if (flat(v)) return JSON.stringify(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) return `[\n${v.map((x) => inner + pretty(x, inner)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${JSON.stringify(k)}: ${pretty(x, inner)}`).join(',\n')}\n${indent}}`;
}

function writeProjects(placed: ReturnType<typeof buildProjects>) {
  rmSync(PROJECTS_DIR, { recursive: true, force: true });
  mkdirSync(PROJECTS_DIR, { recursive: true });
  for (const { spec, site, touches } of placed) {
    const groups = new Map<string, { kind: string; zone: string | null; featureIds: string[] }>();
    for (const t of touches) {
      const k = `${t.kind}|${t.zone}`;
      if (!groups.has(k)) groups.set(k, { kind: t.kind, zone: t.zone, featureIds: [] });
      groups.get(k)!.featureIds.push(t.id);
    }
    const constraints: Record<string, unknown>[] = [...groups.values()]
      .map((g) => ({ ...g, featureIds: g.featureIds.sort() }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || String(a.zone).localeCompare(String(b.zone)));
    const fullyInUb = touches.some((t) => t.kind === 'urban-boundary') && touches.filter((t) => t.kind === 'urban-boundary').every((t) => t.relation === 'inside' || t.relation === 'straddle')
      && !touches.some((t) => t.kind === 'planning-zone' && t.zone !== 'urban-development');
    if (!fullyInUb) constraints.push({ kind: 'urban-boundary', zone: 'outside', featureIds: [], derived: true });
    const body = {
      jurisdiction: 'demo-county',
      project: { name: spec.title, activity: spec.activity, attributes: spec.attributes },
      site: siteGeometry(site),
      expect: {
        verdict: spec.verdict,
        kinds: kindsOf(touches),
        constraints,
        ...(spec.approvals ? { approvals: spec.approvals } : {}),
        ...(spec.landSupply ? { landSupply: spec.landSupply } : {}),
        note: spec.note,
      },
    };
    writeFileSync(join(PROJECTS_DIR, `${spec.name}.json`), `${pretty(body)}\n`);
  }
}

// ───────────────────────────── verification (reads the files back) ─────────────────────────────

type GeoLib = typeof geographiclibNs;
const geoLib: GeoLib = (geographiclibNs as unknown as { default?: GeoLib }).default ?? geographiclibNs;
const geod = new geoLib.Geodesic.Geodesic(6378137, 1 / 298.257222101);
type LL = [number, number];
type LLPoly = LL[][];

function geoRingArea(r: LL[]): number {
  const p = new geoLib.PolygonArea.PolygonArea(geod, false);
  for (let i = 0; i + 1 < r.length; i++) p.AddPoint(r[i][1], r[i][0]);
  return Math.abs(p.Compute(false, true).area ?? 0);
}
const geoPolyArea = (p: LLPoly) => geoRingArea(p[0]) - p.slice(1).reduce((s, h) => s + geoRingArea(h), 0);
const geoArea = (m: LLPoly[]) => m.reduce((s, p) => s + geoPolyArea(p), 0);
const llPolysOf = (g: Geometry): LLPoly[] => (g.type === 'Polygon' ? [g.coordinates as LL[][]] : g.type === 'MultiPolygon' ? (g.coordinates as LL[][][]) : []);
function llClip(op: 'intersection' | 'diff', a: LLPoly[], b: LLPoly[]): LLPoly[] {
  const r = martinez[op](a as martinez.MultiPolygon, b as martinez.MultiPolygon);
  if (!r || r.length === 0) return [];
  return (typeof (r as martinez.Polygon)[0][0][0] === 'number' ? [r] : r) as LLPoly[];
}
const llBBox = (m: LLPoly[]): BBox => bboxOf(m.flatMap((p) => p[0]) as Pt[]);
const signedLL = (r: LL[]) => ringArea(r.slice(0, -1) as Pt[]);

interface VFeat { file: string; index: number; id: string; kind: string; props: Record<string, unknown>; geometry: Geometry; polys: LLPoly[]; bbox: BBox; area: number }

interface VerifyReport {
  ok: boolean;
  features: number;
  bytes: number;
  fileSizes: { file: string; bytes: number; features: number }[];
  kinds: { kind: string; count: number; areaHa: number | null; zones: { zone: string; count: number; areaHa: number }[]; extra: string }[];
  checks: { label: string; ok: boolean; detail: string }[];
  projects: { file: string; title: string; activity: string; attributes: Record<string, unknown>; geometry: string; area: string; verdict: string; kinds: string[]; note: string }[];
}

function verify(): VerifyReport {
  const problems: string[] = [];
  const report: VerifyReport = { ok: false, features: 0, bytes: 0, fileSizes: [], kinds: [], checks: [], projects: [] };
  const manifest = JSON.parse(readFileSync(join(BUNDLE_DIR, 'jurisdiction.json'), 'utf8')) as { layers: string[] };
  const feats: VFeat[] = [];
  let bytes = 0;
  for (const file of manifest.layers) {
    const text = readFileSync(join(BUNDLE_DIR, file), 'utf8');
    bytes += Buffer.byteLength(text);
    const fc = JSON.parse(text) as { features: { id: string; properties: Record<string, unknown>; geometry: Geometry }[] };
    report.fileSizes.push({ file, bytes: Buffer.byteLength(text), features: fc.features.length });
    fc.features.forEach((f, index) => {
      const polys = llPolysOf(f.geometry);
      const pts = polys.length ? polys.flatMap((p) => p[0]) : f.geometry.type === 'LineString' ? (f.geometry.coordinates as LL[]) : (f.geometry.coordinates as LL[][]).flat();
      feats.push({ file, index, id: f.id, kind: String(f.properties.kind), props: f.properties, geometry: f.geometry, polys, bbox: bboxOf(pts as Pt[]), area: polys.length ? geoArea(polys) : 0 });
    });
  }
  const where = (f: VFeat) => `${f.file}#${f.index} ${f.id}`;
  // 1. every feature on its own
  const KIND_PROPS: Record<string, (p: Record<string, unknown>) => boolean> = {
    boundary: () => true,
    'ecological-redline': (p) => typeof p.core === 'boolean',
    'permanent-farmland': () => true,
    'farmland-reserve': () => true,
    'arable-land': (p) => typeof p.paddy === 'boolean',
    'arable-reserve': () => true,
    'urban-boundary': (p) => ['concentrated', 'flexible', 'special'].includes(String(p.zone)),
    'planning-zone': (p) => ['farmland-protection', 'ecological-protection', 'ecological-control', 'urban-development', 'rural-development', 'mining-energy'].includes(String(p.zone)),
    'village-boundary': (p) => typeof p.name === 'string',
    heritage: (p) => ['site', 'protection', 'control'].includes(String(p.ring)) && typeof p.name === 'string' && ['national', 'provincial', 'municipal', 'county'].includes(String(p.level)),
    'water-source': (p) => ['1', '2', 'quasi'].includes(String(p.level)),
    'public-forest': (p) => ['national', 'provincial'].includes(String(p.level)),
    road: (p) => ['expressway', 'national', 'provincial', 'county', 'township'].includes(String(p.roadClass)) && typeof p.widthM === 'number',
    'mineral-deposit': (p) => typeof p.mineral === 'string',
    'urban-line': (p) => ['green', 'blue', 'purple', 'yellow'].includes(String(p.line)),
    geohazard: () => true,
  };
  const ids = new Set<string>();
  for (const f of feats) {
    if (ids.has(f.id)) problems.push(`${where(f)}: duplicate id`);
    ids.add(f.id);
    if (!(f.kind in KIND_PROPS)) problems.push(`${where(f)}: unknown kind ${f.kind}`);
    else if (!KIND_PROPS[f.kind](f.props)) problems.push(`${where(f)}: bad properties ${JSON.stringify(f.props)}`);
    const isRoad = f.kind === 'road';
    if (isRoad !== (f.geometry.type === 'LineString' || f.geometry.type === 'MultiLineString')) problems.push(`${where(f)}: geometry ${f.geometry.type}`);
    const flat = JSON.stringify(f.geometry.coordinates).match(/-?\d+\.\d+/g) ?? [];
    if (flat.some((v) => (v.split('.')[1] ?? '').length > 7)) problems.push(`${where(f)}: more than 7 decimals`);
    for (const [pi, p] of f.polys.entries()) {
      p.forEach((r, ri) => {
        const a = r[0], b = r[r.length - 1];
        if (r.length < 4 || a[0] !== b[0] || a[1] !== b[1]) problems.push(`${where(f)}: ring ${pi}/${ri} not closed or too short`);
        const sa = signedLL(r);
        if (ri === 0 ? sa <= 0 : sa >= 0) problems.push(`${where(f)}: ring ${pi}/${ri} has the wrong winding`);
        const keys = new Set(r.slice(0, -1).map((q) => `${q[0]},${q[1]}`));
        if (keys.size !== r.length - 1) problems.push(`${where(f)}: ring ${pi}/${ri} repeats a vertex`);
        if (ri > 0 && !r.slice(0, -1).every((q) => pointInRing(q as Pt, p[0] as Pt[]))) problems.push(`${where(f)}: hole ${pi}/${ri} outside its shell`);
      });
      if (f.kind === 'permanent-farmland' && (p[0].length - 1 < 4 || p[0].length - 1 > 20)) problems.push(`${where(f)}: ${p[0].length - 1} vertices`);
    }
    if (f.polys.length && selfIntersects(f.polys)) problems.push(`${where(f)}: self-intersection`);
    for (const [pi, p] of f.polys.entries()) {
      const seen = new Set<string>();
      for (const r of p) for (const q of r.slice(0, -1)) {
        const k = `${q[0]},${q[1]}`;
        if (seen.has(k)) problems.push(`${where(f)}: rings of polygon ${pi} touch at ${k}`);
        seen.add(k);
      }
    }
  }
  const featureProblems = problems.length;
  // 2. areas and counts
  const byKind = new Map<string, VFeat[]>();
  for (const f of feats) (byKind.get(f.kind) ?? byKind.set(f.kind, []).get(f.kind)!).push(f);
  const boundary = byKind.get('boundary')![0];
  const ha = (m2: number) => (m2 / HA).toFixed(2);
  console.log(`\nbundle: ${feats.length} features, ${(bytes / 1024 / 1024).toFixed(2)} MB in ${manifest.layers.length} files`);
  console.log('kind                    features      area ha   by zone');
  for (const [kind, fs] of byKind) {
    const zoneKey = (f: VFeat) => {
      const z = zoneOf(f);
      return z === null ? null : z;
    };
    const zones = new Map<string, { n: number; a: number }>();
    for (const f of fs) {
      const z = zoneKey(f);
      if (z === null) continue;
      const e = zones.get(z) ?? zones.set(z, { n: 0, a: 0 }).get(z)!;
      e.n++;
      e.a += f.area;
    }
    const total = fs.reduce((s, f) => s + f.area, 0);
    const extra = kind === 'road'
      ? [...zones].map(([z, e]) => `${z} ${e.n}`).join(', ') + ` (${(fs.reduce((s, f) => s + lineLength(f.geometry), 0) / 1000).toFixed(1)} km)`
      : [...zones].map(([z, e]) => `${z} ${e.n}/${ha(e.a)}`).join(', ');
    console.log(`${kind.padEnd(22)} ${String(fs.length).padStart(9)} ${kind === 'road' ? '            ' : ha(total).padStart(12)}   ${extra}`);
    let note = '';
    if (kind === 'arable-land') note = `水田 paddy ${fs.filter((f) => f.props.paddy).length} features / ${ha(fs.filter((f) => f.props.paddy).reduce((s, f) => s + f.area, 0))} ha, 旱地 dry ${fs.filter((f) => !f.props.paddy).length}`;
    if (kind === 'permanent-farmland') note = `${fs.filter((f) => f.polys.some((p) => p.length > 1)).length} with holes; ${Math.min(...fs.map((f) => f.polys[0][0].length - 1))}–${Math.max(...fs.map((f) => f.polys[0][0].length - 1))} vertices per shell`;
    if (kind === 'road') note = extra;
    if (kind === 'mineral-deposit') note = fs.map((f) => `${f.props.mineral} ${ha(f.area)} ha`).join(', ');
    if (kind === 'heritage') note = [...new Set(fs.map((f) => `${f.props.name}（${f.props.level}）`))].join('、');
    if (note && kind !== 'road') console.log(`${''.padEnd(46)}${note}`);
    report.kinds.push({ kind, count: fs.length, areaHa: kind === 'road' ? null : total / HA, zones: kind === 'road' ? [] : [...zones].map(([zone, e]) => ({ zone, count: e.n, areaHa: e.a / HA })), extra: note });
  }
  // 3. no overlap within a kind
  let pairs = 0;
  for (const [kind, fs] of byKind) {
    if (kind === 'road' || kind === 'boundary') continue;
    const idx = new Flatbush(fs.length);
    for (const f of fs) idx.add(...f.bbox);
    idx.finish();
    let worst = 0;
    for (let i = 0; i < fs.length; i++)
      for (const j of idx.search(...fs[i].bbox)) {
        if (j <= i) continue;
        pairs++;
        const a = geoArea(llClip('intersection', fs[i].polys, fs[j].polys));
        worst = Math.max(worst, a);
        if (a > 0.01) problems.push(`${kind}: ${fs[i].id} overlaps ${fs[j].id} by ${a.toFixed(3)} m²`);
      }
    if (worst > 0) console.log(`  ${kind}: largest overlap between two features ${worst.toExponential(2)} m²`);
  }
  console.log(`overlap check: ${pairs} bbox-overlapping pairs within kinds tested with martinez`);
  report.checks.push({ label: 'no two features of one kind overlap (roads excepted)', ok: !problems.some((p) => p.includes(' overlaps ')), detail: `${pairs} bbox-overlapping pairs intersected with martinez` });
  // 4. consistency between layers
  const zonesOf = (kind: string, zone?: string) => (byKind.get(kind) ?? []).filter((f) => zone === undefined || zoneOf(f) === zone);
  const within = (label: string, subject: VFeat[], container: VFeat[], tol: number) => {
    let worst = 0;
    for (const f of subject) {
      const cs = container.filter((c) => bboxOverlap(c.bbox, f.bbox));
      const inside = cs.reduce((s, c) => s + geoArea(llClip('intersection', f.polys, c.polys)), 0);
      const out = f.area - inside;
      worst = Math.max(worst, out);
      if (out > tol) problems.push(`${label}: ${f.id} has ${out.toFixed(2)} m² outside`);
    }
    console.log(`  ${label.padEnd(52)} ok=${worst <= tol}  (largest residue ${worst.toFixed(4)} m²)`);
    report.checks.push({ label, ok: worst <= tol, detail: `largest area outside ${worst.toFixed(4)} m²` });
  };
  const disjoint = (label: string, a: VFeat[], b: VFeat[]) => {
    let total = 0;
    for (const f of a) for (const g of b) if (bboxOverlap(f.bbox, g.bbox)) total += geoArea(llClip('intersection', f.polys, g.polys));
    if (total > 0.01) problems.push(`${label}: ${total.toFixed(2)} m² overlap`);
    console.log(`  ${label.padEnd(52)} ok=${total <= 0.01}  (overlap ${total.toFixed(4)} m²)`);
    report.checks.push({ label, ok: total <= 0.01, detail: `overlap ${total.toFixed(4)} m²` });
  };
  console.log('consistency:');
  const all = feats.filter((f) => f.polys.length && f.kind !== 'boundary');
  within('every polygon feature inside the boundary', all, [boundary], 0.05);
  within('permanent-farmland inside farmland-protection zones', zonesOf('permanent-farmland'), zonesOf('planning-zone', 'farmland-protection'), 0.01);
  disjoint('permanent-farmland vs ecological-redline', zonesOf('permanent-farmland'), zonesOf('ecological-redline'));
  disjoint('permanent-farmland vs urban-boundary', zonesOf('permanent-farmland'), zonesOf('urban-boundary'));
  disjoint('permanent-farmland vs arable-land', zonesOf('permanent-farmland'), zonesOf('arable-land'));
  within('ecological-redline inside ecological-protection zones', zonesOf('ecological-redline'), zonesOf('planning-zone', 'ecological-protection'), 0.01);
  within('urban-boundary inside urban-development zones', zonesOf('urban-boundary'), zonesOf('planning-zone', 'urban-development'), 0.01);
  within('urban-line inside the urban boundary', zonesOf('urban-line'), zonesOf('urban-boundary'), 1);
  within('village-boundary inside rural-development zones', zonesOf('village-boundary'), zonesOf('planning-zone', 'rural-development'), 0.01);
  within('arable-land inside rural-development zones', zonesOf('arable-land'), zonesOf('planning-zone', 'rural-development'), 0.01);
  disjoint('arable-reserve vs ecological-redline', zonesOf('arable-reserve'), zonesOf('ecological-redline'));
  disjoint('arable-reserve vs urban-boundary', zonesOf('arable-reserve'), zonesOf('urban-boundary'));
  disjoint('arable-reserve vs public-forest', zonesOf('arable-reserve'), zonesOf('public-forest'));
  disjoint('village-boundary vs geohazard', zonesOf('village-boundary'), zonesOf('geohazard'));
  const zoneSum = zonesOf('planning-zone').reduce((s, f) => s + f.area, 0);
  const partitionOk = Math.abs(zoneSum - boundary.area) < 1;
  if (!partitionOk) problems.push(`planning zones sum to ${ha(zoneSum)} ha, boundary ${ha(boundary.area)} ha`);
  console.log(`  ${'planning zones partition the boundary'.padEnd(52)} ok=${partitionOk}  (${ha(zoneSum)} ha vs ${ha(boundary.area)} ha)`);
  report.checks.unshift({ label: 'every feature valid: closed rings, CCW shells / CW holes, no self-intersection or repeated vertex, ≤ 7 decimals, unique ids, properties of its kind', ok: featureProblems === 0, detail: `${feats.length} features` });
  report.checks.push({ label: 'planning zones partition the boundary', ok: partitionOk, detail: `${ha(zoneSum)} ha vs ${ha(boundary.area)} ha` });
  // 5. sample projects
  console.log('\nsample projects:');
  for (const file of readdirSync(PROJECTS_DIR).filter((f) => f.endsWith('.json')).sort()) {
    const body = JSON.parse(readFileSync(join(PROJECTS_DIR, file), 'utf8'));
    const g = body.site as Geometry;
    let sitePolys: LLPoly[] = [];
    if (g.type === 'LineString') {
      const buf = turfBuffer({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: g.coordinates } }, body.project.attributes.corridorWidthM / 2, { units: 'meters' });
      sitePolys = llPolysOf(buf!.geometry as Geometry);
    } else sitePolys = llPolysOf(g);
    const found = new Set<string>();
    const siteBox: BBox = g.type === 'Point' ? [g.coordinates[0], g.coordinates[1], g.coordinates[0], g.coordinates[1]] : llBBox(sitePolys);
    for (const f of feats) {
      if (!f.polys.length || f.kind === 'boundary' || !bboxOverlap(f.bbox, siteBox)) continue;
      const hit = g.type === 'Point' ? f.polys.some((p) => pointInPoly(g.coordinates as Pt, p as Pt[][])) : geoArea(llClip('intersection', sitePolys, f.polys)) > 1;
      if (hit) found.add(f.kind);
    }
    const inside = g.type === 'Point' ? boundary.polys.some((p) => pointInPoly(g.coordinates as Pt, p as Pt[][])) : geoArea(llClip('diff', sitePolys, boundary.polys)) < 0.01;
    const kinds = [...found].sort();
    const ok = kinds.join() === body.expect.kinds.join() && inside;
    if (!ok) problems.push(`project ${file}: kinds ${kinds.join('+')} ≠ expected ${body.expect.kinds.join('+')}${inside ? '' : ' (outside the boundary)'}`);
    const area = sitePolys.length ? `${(geoArea(sitePolys) / HA).toFixed(3)} ha` : '';
    console.log(`  ${ok ? 'ok ' : 'BAD'} ${file.replace('.json', '').padEnd(36)} ${body.project.activity.padEnd(24)} ${g.type.padEnd(12)} ${area.padStart(11)}  → ${body.expect.verdict.padEnd(11)} [${kinds.join(', ')}]`);
    report.projects.push({ file, title: body.project.name, activity: body.project.activity, attributes: body.project.attributes, geometry: g.type, area, verdict: body.expect.verdict, kinds, note: body.expect.note });
  }
  if (problems.length) {
    console.log(`\n${problems.length} problem(s):`);
    for (const p of problems.slice(0, 60)) console.log(`  - ${p}`);
  } else console.log('\nall checks passed');
  report.ok = problems.length === 0;
  report.features = feats.length;
  report.bytes = bytes;
  return report;
}

function lineLength(g: Geometry): number {
  const lines = g.type === 'LineString' ? [g.coordinates as LL[]] : g.type === 'MultiLineString' ? (g.coordinates as LL[][]) : [];
  let s = 0;
  for (const l of lines) for (let i = 0; i + 1 < l.length; i++) s += geod.Inverse(l[i][1], l[i][0], l[i + 1][1], l[i + 1][0]).s12 ?? 0;
  return s;
}

/** Whether any two segments of a (multi)polygon properly cross. */
function selfIntersects(polys: LLPoly[]): boolean {
  const segs: [Pt, Pt][] = [];
  for (const p of polys) for (const r of p) for (let i = 0; i + 1 < r.length; i++) segs.push([r[i] as Pt, r[i + 1] as Pt]);
  const idx = new Flatbush(segs.length);
  for (const [a, b] of segs) idx.add(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]));
  idx.finish();
  for (let i = 0; i < segs.length; i++) {
    const [a, b] = segs[i];
    for (const j of idx.search(Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[0], b[0]), Math.max(a[1], b[1]))) {
      if (j <= i) continue;
      if (segmentsIntersect(a, b, segs[j][0], segs[j][1])) return true;
    }
  }
  return false;
}

// ───────────────────────────── README ─────────────────────────────

const KIND_NAMES: Record<string, string> = {
  boundary: '行政辖区范围', 'ecological-redline': '生态保护红线', 'permanent-farmland': '永久基本农田', 'farmland-reserve': '永久基本农田储备区',
  'arable-land': '耕地（一般耕地）', 'arable-reserve': '耕地后备资源', 'urban-boundary': '城镇开发边界', 'planning-zone': '规划分区',
  'village-boundary': '村庄建设边界', heritage: '文物保护单位', 'water-source': '饮用水水源保护区', 'public-forest': '公益林', road: '公路',
  'mineral-deposit': '重要矿产资源分布范围', 'urban-line': '城市四线', geohazard: '地质灾害易发区',
};
const FILE_OF_KIND = (kind: string) => LAYER_FILES.find((l) => l.kinds.includes(kind))!.file.replace('layers/', '');

function writeReadme(r: VerifyReport) {
  const kind = (k: string) => r.kinds.find((x) => x.kind === k);
  const ha = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(2));
  const rows = r.kinds.map((k) => `| \`${k.kind}\` | ${KIND_NAMES[k.kind]} | ${FILE_OF_KIND(k.kind)} | ${k.count} | ${ha(k.areaHa)} | ${[...k.zones.map((z) => `${z.zone}: ${z.count} / ${z.areaHa.toFixed(2)} ha`), k.extra].filter(Boolean).join('; ')} |`);
  const target = (label: string, got: number | null | undefined, want: number) => `| ${label} | ${want.toFixed(2)} | ${ha(got)} |`;
  const pf = kind('permanent-farmland')?.areaHa ?? 0, al = kind('arable-land')?.areaHa ?? 0;
  const projects = r.projects.map((p) => `| \`${p.file.replace('.json', '')}\` | ${p.title} | \`${p.activity}\` ${Object.keys(p.attributes).length ? `<br>\`${JSON.stringify(p.attributes)}\`` : ''} | ${p.geometry}${p.area ? `, ${p.area}` : ''} | **${p.verdict}** | ${p.kinds.join(', ')} | ${p.note} |`);
  const text = `# Fixtures

Generated by \`scripts/generate-demo-bundle.ts\` — do not edit by hand.

\`\`\`sh
npx tsx scripts/generate-demo-bundle.ts          # regenerate fixtures/demo, fixtures/projects and this file, then verify
npx tsx scripts/generate-demo-bundle.ts --check  # verify what is on disk only
\`\`\`

The generator is deterministic (a seeded PRNG, no \`Math.random\`): two runs write byte-identical files.
It exits non-zero when a check below fails.

## \`demo/\` — the demo jurisdiction bundle (\`demo-county\`, 示范乡（相市乡模拟数据）)

A synthetic township near 112.6°E 26.9°N (CGCS2000, \`EPSG:4490\`) modelled on 衡南县相市乡 (seed 001,
《衡南县相市乡国土空间总体规划（2021-2035年）》): the proportions, the village names (表6-1), the 耒水
flowing south to north through the 镇区, the 甘斗冲水库, the 鸟洲 wetland and the three county-level
monuments of 表5-1 come from the plan; every shape is invented. Do not read it as the real township.

\`jurisdiction.json\` lists ${r.fileSizes.length} layer files, ${r.features} features, ${(r.bytes / 1024 / 1024).toFixed(2)} MB in all:

| file | features | size |
|---|---|---|
${r.fileSizes.map((f) => `| \`${f.file}\` | ${f.features} | ${(f.bytes / 1024).toFixed(0)} KB |`).join('\n')}

No \`policies\` key yet: the local policy ids are added by hand when the local policies exist.

### Layers (areas are ellipsoidal, CGCS2000, geographiclib)

| kind | 名称 | file | features | area (ha) | by zone / notes |
|---|---|---|---|---|---|
${rows.join('\n')}

Against the plan's figures (ha):

| figure | seed 001 | bundle |
|---|---|---|
${target('镇域面积 (boundary)', kind('boundary')?.areaHa, TARGET.township)}
${target('耕地保护目标 (permanent-farmland + arable-land)', pf + al, TARGET.arableTotal)}
${target('永久基本农田 (permanent-farmland)', pf, TARGET.permanentFarmland)}
${target('生态保护红线 (ecological-redline)', kind('ecological-redline')?.areaHa, TARGET.redline)}

### How it is built and what holds

- The township is a Voronoi tessellation of land parcels (~3 ha; ~0.5 ha in the 镇区) whose cells share
  exact vertices. Every parcel has one planning zone, so \`planning-zone\` features (one per connected
  area) partition the boundary exactly, with all six zones.
- \`ecological-redline\` = the \`ecological-protection\` zone. The 自然保护地核心保护区 is a separate
  feature with \`core: true\`, lying in a hole of the surrounding red-line feature (\`core: false\`).
  The 鸟洲 wetland on the 耒水 is red line without forest.
- \`urban-boundary\` = the \`urban-development\` zone, split into \`concentrated\` / \`flexible\` (west bank
  and north-east) / \`special\` (the 耒水 and its banks, and a hill park in the south with no urban line).
- \`permanent-farmland\`: parcels of the \`farmland-protection\` zone shrunk by 4–9 m (ditches, field
  roads), notched, cut by road land (road width + 2 m each side) and water; some with pond holes. They lie
  inside the farmland-protection zone, outside the red line and the urban boundary.
- \`arable-land\` (一般耕地) lies in the \`rural-development\` zone next to the farmland; \`paddy\` near the 耒水
  and on low ground. \`farmland-reserve\` blocks cover groups of arable parcels (managed as 一般耕地).
  \`arable-reserve\` lies outside the red line, the urban boundary and public forest (专栏3-1).
- \`village-boundary\`: ${kind('village-boundary')?.count ?? 0} clusters of the 12 villages (\`name\`), in the rural-development zone, clear of geohazards.
- \`heritage\` (表5-1): each monument has a \`site\` footprint. 洛夫旧居 and 烟竹祖堂大屋 also carry explicit
  rings built the way 表5-1 measures them: \`protection\` = 保护范围 **minus the footprint** (洛夫旧居 15 m each
  way; 烟竹祖堂大屋 150 m east and south, 100 m west and north), \`control\` = 建设控制地带 **minus 保护范围** (30 m
  beyond). 合溪辽冲大屋 has only its footprint, so a local policy derives its 15 m / 30 m rings.
- \`water-source\` (甘斗冲水库): level \`1\` round the intake; \`2\` and \`quasi\` are rings (martinez
  differences), so the three levels do not overlap.
- \`road\`: LineStrings clipped to the boundary, \`roadClass\` and \`widthM\` (expressway 26, national 12,
  provincial 10, county 7.5, township 5.5); names 机场高速, G322 (from the plan), S315, X03x, Y30x (invented).
- \`urban-line\` inside the urban boundary: blue = the 耒水 in the 镇区, green = 滨江公园 (3 m from the water) and
  a small 街头游园, yellow = 自来水厂, 污水处理厂, 变电站, purple = 老街历史地段.
- \`mineral-deposit\`: limestone (round the mining-energy zone), coal (under farmland, for 压覆 cases),
  brick-clay. \`geohazard\`: five hill-foot areas named after the nearest village.
- Ids are stable strings: \`boundary\`, \`pz-fp-001\`, \`ub-concentrated-01\`, \`er-01\`, \`pf-0001\`
  (numbered north to south), \`al-0001\`, \`fr-001\`, \`ar-001\`, \`vb-001\`, \`hr-01-site\`, \`ws-1\`,
  \`gf-n-01\`, \`md-01\`, \`gh-01\`, \`ul-blue-01\`, \`rd-01\`. Coordinates have 7 decimals (≈ 1 cm).

Checks run by the generator on the files as written:

| check | result | detail |
|---|---|---|
${r.checks.map((c) => `| ${c.label} | ${c.ok ? 'ok' : '**FAILED**'} | ${c.detail} |`).join('\n')}

## \`projects/\` — sample evaluate requests

Each file is a \`POST /v1/evaluate\` body (contract §5) plus a sibling \`expect\` field with what a planner
expects: \`verdict\`; \`kinds\`, the bundle layer kinds whose features the site overlaps (area > 1 m², or
containing a point site); \`constraints\`, the same per kind and zone with the feature ids, plus
\`{"kind": "urban-boundary", "zone": "outside", "derived": true}\` when the site is outside the urban
boundary (the engine's derived pseudo-zone; red-line core features have zone \`core\`); optional
\`approvals\` (the authorities expected, highest first) and \`landSupply\` (entries that should appear with
that status; others may appear too); and a \`note\` citing the clause. Sites are placed by searching the
generated layers: each lies inside its intended features with ≥ 20 m margins, ≥ 20 m from every other
feature and ≥ 60 m from road land, except where a case is about straddling.

| file | project | activity / attributes | site | expected | kinds | why |
|---|---|---|---|---|---|---|
${projects.join('\n')}
`;
  writeFileSync(join(ROOT, 'fixtures', 'README.md'), text);
}

// ───────────────────────────── main ─────────────────────────────

function main() {
  const checkOnly = process.argv.includes('--check');
  if (!checkOnly) {
    const t0 = Date.now();
    const world = buildWorld();
    for (const l of world.log) console.log(l);
    const { feats, park } = buildLayers(world);
    writeBundle(feats);
    const placed = buildProjects(world, feats, park);
    writeProjects(placed);
    console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } else if (!existsSync(join(BUNDLE_DIR, 'jurisdiction.json'))) {
    console.error('no bundle on disk; run without --check first');
    process.exit(1);
  }
  const report = verify();
  if (!checkOnly) writeReadme(report);
  if (!report.ok) process.exit(1);
}

main();
