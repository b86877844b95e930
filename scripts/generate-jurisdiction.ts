/**
 * Synthetic jurisdictions at any scale (issue 7): a bundle directory (contract §2) with every layer
 * kind, reproducible from a seed, for benchmarks and load tests.
 *
 *   npx tsx scripts/generate-jurisdiction.ts --size township|county|province --seed 1 --out <dir>
 *
 * | size     | area          | features     | cell    |
 * |----------|---------------|--------------|---------|
 * | township | ≈ 7,700 ha    | ≈ 1,500      | 140 m   |
 * | county   | ≈ 240,000 ha  | ≈ 120,000    | 85 m    |
 * | province | ≈ 2,300,000 ha| ≈ 1,100,000  | 85 m    |
 *
 * How (linear in the number of cells, streamed to disk):
 *   1. a jittered lattice tessellates the plane into quadrilateral cells whose edges carry 0–3
 *      wiggle vertices; neighbouring cells share their vertices exactly (each vertex and wiggle point
 *      is a pure function of its lattice index and the seed);
 *   2. the jurisdiction is the union of the cells inside a noisy ellipse (largest 4-connected part,
 *      holes filled); seeded noise fields (elevation, fertility, moisture…) and seeded centres (county
 *      seat, towns, villages, reservoirs, mines) give every cell a planning zone, one primary land
 *      class (永久基本农田 / 耕地 / 储备区 / 后备资源 / 生态保护红线 / 公益林 / none) and its other
 *      layer values (城镇开发边界, 村庄建设边界, 水源保护区, 矿产, 地灾, 城市四线);
 *   3. a feature is a 4-connected set of cells of one value within one block (2×2 bricks for
 *      farmland parcels, coarse blocks for zones and control lines); its rings are traced along the
 *      cells' outer edges (edges between two cells of the set cancel), so features of one kind never
 *      overlap, zones partition the jurisdiction, and enclosed other cells become holes; some
 *      parcels get a pond (a hole);
 *   4. heritage sites are footprints with protection and control rings as annuli (non-overlapping);
 *      roads are noisy polylines (expressway, national, provincial, county roads between towns,
 *      township roads to every village) cut into segments of at most ~2 km.
 * Coordinates: local metres → lon/lat (CGCS2000, equirectangular at the centre, 1e-7° ≈ 1 cm),
 * centred near 113°E, 27°N.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type JurisdictionSize = 'township' | 'county' | 'province';

interface SizeSpec {
  areaHa: number;
  cellM: number;
  aspect: number;
  /** Coarse block (cells) of zones and control lines. */
  coarse: number;
  /** Spacing of towns, villages, heritage sites and reservoirs (m); mines per 10,000 ha. */
  townSpacingM: number;
  villageSpacingM: number;
  heritageSpacingM: number;
  reservoirs: number;
  mines: number;
  deposits: number;
  depositRadiusM: [number, number];
  name: string;
  policies: string[];
}

const HENGYANG = ['local.hengyang-2021-2035', 'local.hengyang-resources-2021-2025'];
export const SIZES: Record<JurisdictionSize, SizeSpec> = {
  township: {
    areaHa: 7_700, cellM: 135, aspect: 0.8, coarse: 12, townSpacingM: 1e9, villageSpacingM: 1_400, heritageSpacingM: 2_000,
    reservoirs: 1, mines: 1, deposits: 3, depositRadiusM: [300, 700], name: '合成乡', policies: [...HENGYANG, 'local.xiangshi-2021-2035'],
  },
  county: {
    areaHa: 240_000, cellM: 78, aspect: 0.85, coarse: 32, townSpacingM: 11_000, villageSpacingM: 1_600, heritageSpacingM: 2_500,
    reservoirs: 6, mines: 4, deposits: 10, depositRadiusM: [900, 2_600], name: '合成县', policies: HENGYANG,
  },
  province: {
    areaHa: 2_400_000, cellM: 78, aspect: 0.85, coarse: 32, townSpacingM: 11_000, villageSpacingM: 1_600, heritageSpacingM: 2_500,
    reservoirs: 50, mines: 35, deposits: 90, depositRadiusM: [900, 2_600], name: '合成省（片区）', policies: HENGYANG,
  },
};

const LON0 = 113.0;
const LAT0 = 27.0;
const M_PER_DEG_LAT = 110_574;
const M_PER_DEG_LON = 111_320 * Math.cos((LAT0 * Math.PI) / 180);
/** Lattice jitter and edge wiggle, as fractions of the cell side (keep cells simple: see validity). */
const JITTER = 0.2;
const WIGGLE = 0.05;
/** Features per layer file (files stay far below V8's string limit). */
const FEATURES_PER_FILE = 100_000;

// ───────────────────────────── seeded hashing and noise ─────────────────────────────

function hash4(a: number, b: number, c: number, seed: number): number {
  let h = Math.imul(a | 0, 0x27d4eb2d) ^ Math.imul(b | 0, 0x165667b1) ^ Math.imul(c | 0, 0x9e3779b1) ^ Math.imul(seed | 0, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

class Noise {
  constructor(private readonly seed: number) {}
  u(a: number, b: number, c: number): number {
    return hash4(a, b, c, this.seed) / 4294967296;
  }
  value(x: number, y: number, salt: number): number {
    const ix = Math.floor(x), iy = Math.floor(y);
    const fx = x - ix, fy = y - iy;
    const sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
    const a = this.u(ix, iy, salt), b = this.u(ix + 1, iy, salt);
    const c = this.u(ix, iy + 1, salt), d = this.u(ix + 1, iy + 1, salt);
    return a + (b - a) * sx + (c - a) * sy + (a - b - c + d) * sx * sy;
  }
  /** Fractal noise in about [-1, 1]. */
  fbm(x: number, y: number, salt: number, octaves = 4): number {
    let sum = 0, amp = 0.5, norm = 0, f = 1;
    for (let o = 0; o < octaves; o++) {
      sum += amp * (this.value(x * f, y * f, salt + o * 101) * 2 - 1);
      norm += amp;
      amp *= 0.5;
      f *= 2;
    }
    return sum / norm;
  }
}

/** mulberry32 for sequential choices. */
class Rng {
  private s: number;
  constructor(seed: number, stream: number) {
    this.s = hash4(seed, stream, 0x5eed, 7) || 1;
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
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
}

// ───────────────────────────── cell values ─────────────────────────────

const ZONE = { none: 0, farmland: 1, ecoProtection: 2, ecoControl: 3, urban: 4, rural: 5, mining: 6 } as const;
const ZONE_IDS = ['', 'farmland-protection', 'ecological-protection', 'ecological-control', 'urban-development', 'rural-development', 'mining-energy'];

const LAND = { none: 0, pf: 1, arable: 2, paddy: 3, redline: 4, redlineCore: 5, farmReserve: 6, arableReserve: 7, forestNational: 8, forestProvincial: 9 } as const;
const PARCEL_CLASSES = new Set<number>([LAND.pf, LAND.arable, LAND.paddy, LAND.farmReserve, LAND.arableReserve]);
const NATURAL_CLASSES = new Set<number>([LAND.redline, LAND.redlineCore, LAND.forestNational, LAND.forestProvincial]);

const URBAN_IDS = ['', 'concentrated', 'flexible', 'special'];
const WATER_IDS = ['', '1', '2', 'quasi'];
const ULINE_IDS = ['', 'green', 'blue', 'purple', 'yellow'];
const MINERALS = ['coal', 'iron', 'limestone', 'rare-earth', 'tungsten', 'lead', 'zinc', 'fluorite', 'gold', 'building-stone'];

interface Centre { x: number; y: number; r: number; id: number }

export interface GenerateOptions { size: JurisdictionSize; seed: number; out: string; log?: (s: string) => void }
export interface GenerateResult {
  dir: string;
  id: string;
  features: number;
  byKind: Record<string, number>;
  areaHa: number;
  vertices: number;
  bytes: number;
  files: string[];
  seconds: number;
  bbox: [number, number, number, number];
}

export function generateJurisdiction(opts: GenerateOptions): GenerateResult {
  const t0 = performance.now();
  const spec = SIZES[opts.size];
  const seed = opts.seed | 0;
  const noise = new Noise(seed);
  const log = opts.log ?? (() => {});
  const s = spec.cellM;

  // Outline: a noisy ellipse of the target area (semi-axes a, b).
  const a = Math.sqrt((spec.areaHa * 10_000) / (Math.PI * spec.aspect));
  const b = a * spec.aspect;
  const NX = Math.ceil((2.5 * a) / s);
  const NY = Math.ceil((2.5 * b) / s);
  const X0 = -(NX * s) / 2;
  const Y0 = -(NY * s) / 2;
  const outlineRng = new Rng(seed, 1);
  const harmonics = [2, 3, 5, 8, 13].map((k, i) => ({ k, amp: [0.08, 0.06, 0.04, 0.02, 0.012][i], phase: outlineRng.range(0, 2 * Math.PI) }));
  const insideOutline = (x: number, y: number) => {
    const th = Math.atan2(y / b, x / a);
    let r = 1;
    for (const h of harmonics) r += h.amp * Math.sin(h.k * th + h.phase);
    r += 0.05 * noise.fbm(x / (a / 4), y / (a / 4), 11, 3);
    return (x / a) ** 2 + (y / b) ** 2 < r * r;
  };

  // Lattice vertices (metres), shared by every cell around them.
  const VW = NX + 1;
  const vxy = new Float64Array(VW * (NY + 1) * 2);
  for (let j = 0; j <= NY; j++) {
    for (let i = 0; i <= NX; i++) {
      const k = (j * VW + i) * 2;
      vxy[k] = X0 + i * s + (noise.u(i, j, 1) * 2 - 1) * JITTER * s;
      vxy[k + 1] = Y0 + j * s + (noise.u(i, j, 2) * 2 - 1) * JITTER * s;
    }
  }
  const N = NX * NY;
  const cx = (c: number) => X0 + ((c % NX) + 0.5) * s;
  const cy = (c: number) => Y0 + (Math.floor(c / NX) + 0.5) * s;

  // 1. the jurisdiction: largest 4-connected set of inside cells, holes filled.
  const inside = new Uint8Array(N);
  for (let c = 0; c < N; c++) inside[c] = insideOutline(cx(c), cy(c)) ? 1 : 0;
  keepLargestAndFill(inside, NX, NY);
  let cellCount = 0;
  for (let c = 0; c < N; c++) cellCount += inside[c];
  log(`lattice ${NX}×${NY}, ${cellCount} cells inside`);

  // Seeded centres.
  const centresRng = new Rng(seed, 2);
  const insideAt = (x: number, y: number) => {
    const i = Math.floor((x - X0) / s), j = Math.floor((y - Y0) / s);
    return i >= 0 && j >= 0 && i < NX && j < NY && inside[j * NX + i] === 1;
  };
  const jitteredCentres = (spacing: number, rMin: number, rMax: number, keep = 1, stream = 0): Centre[] => {
    const out: Centre[] = [];
    const r = new Rng(seed, 100 + stream);
    for (let y = -b * 1.3; y < b * 1.3; y += spacing) {
      for (let x = -a * 1.3; x < a * 1.3; x += spacing) {
        const px = x + r.range(0.2, 0.8) * spacing, py = y + r.range(0.2, 0.8) * spacing;
        const radius = r.range(rMin, rMax);
        if (r.next() < keep && insideAt(px, py)) out.push({ x: px, y: py, r: radius, id: out.length });
      }
    }
    return out;
  };
  const seat: Centre = { x: centresRng.range(-0.2, 0.2) * a, y: centresRng.range(-0.2, 0.2) * b, r: opts.size === 'township' ? 650 : 1_900, id: 0 };
  const towns: Centre[] = [seat, ...jitteredCentres(spec.townSpacingM, 450, 800, 1, 1).filter((t) => Math.hypot(t.x - seat.x, t.y - seat.y) > 4_000)];
  towns.forEach((t, i) => (t.id = i));
  const villages = jitteredCentres(spec.villageSpacingM, 140, 230, 0.9, 2).filter((v) => !towns.some((t) => Math.hypot(v.x - t.x, v.y - t.y) < t.r + 500));
  const randomInside = (r: Rng, filter: (x: number, y: number) => boolean = () => true) => {
    for (let k = 0; k < 10_000; k++) {
      const x = r.range(-a, a), y = r.range(-b, b);
      if (insideAt(x, y) && filter(x, y)) return { x, y };
    }
    return { x: 0, y: 0 };
  };

  // Noise fields.
  const elevAt = (x: number, y: number) => noise.fbm(x / 9_000, y / 9_000, 21, 4) + 0.45 * noise.fbm(x / 2_500, y / 2_500, 23, 3);
  const elev = new Float32Array(N);
  const sample: number[] = [];
  for (let c = 0; c < N; c++) {
    if (!inside[c]) continue;
    elev[c] = elevAt(cx(c), cy(c));
    if ((c & 7) === 0) sample.push(elev[c]);
  }
  sample.sort((p, q) => p - q);
  const quantile = (q: number) => sample[Math.min(sample.length - 1, Math.floor(q * sample.length))] ?? 0;
  const E_PROT = quantile(0.9), E_CTRL = quantile(0.72), E_CORE = quantile(0.975), E_HAZ = quantile(0.6), E_RES = quantile(0.75);

  const mineRng = new Rng(seed, 3);
  const notTown = (x: number, y: number) => !towns.some((t) => Math.hypot(x - t.x, y - t.y) < t.r + 1_500);
  const mines: Centre[] = Array.from({ length: spec.mines }, (_, i) => ({ ...randomInside(mineRng, notTown), r: mineRng.range(350, 650), id: i }));
  const reservoirs: Centre[] = Array.from({ length: spec.reservoirs }, (_, i) => ({
    ...randomInside(mineRng, (x, y) => notTown(x, y) && elevAt(x, y) > E_RES), r: mineRng.range(300, 420), id: i,
  }));
  const deposits: Centre[] = Array.from({ length: spec.deposits }, (_, i) => ({ ...randomInside(mineRng), r: mineRng.range(...spec.depositRadiusM), id: i }));
  // A river or two: sinuous north–south lines.
  const rivers = Array.from({ length: Math.max(1, Math.round((2 * a) / 45_000)) }, (_, i) => ({
    x0: -a + ((i + 0.5) * 2 * a) / Math.max(1, Math.round((2 * a) / 45_000)) + mineRng.range(-0.1, 0.1) * a,
    amp: mineRng.range(0.03, 0.06) * a, wl: mineRng.range(0.3, 0.5) * b, ph: mineRng.range(0, 6.28), half: opts.size === 'township' ? 60 : 80,
  }));
  const riverDist = (x: number, y: number) => Math.min(...rivers.map((r) => Math.abs(x - (r.x0 + r.amp * Math.sin(y / r.wl + r.ph)))));

  // Spatial hash of centres for nearest queries.
  const nearest = (list: Centre[], cell: number) => {
    const grid = new Map<number, Centre[]>();
    for (const p of list) {
      const k = Math.floor(p.x / cell) * 100_003 + Math.floor(p.y / cell);
      (grid.get(k) ?? grid.set(k, []).get(k)!).push(p);
    }
    return (x: number, y: number): [Centre | null, number] => {
      const gx = Math.floor(x / cell), gy = Math.floor(y / cell);
      let best: Centre | null = null, bd = Infinity;
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) {
        for (const p of grid.get((gx + dx) * 100_003 + gy + dy) ?? []) {
          const d = Math.hypot(x - p.x, y - p.y) / p.r;
          if (d < bd) { bd = d; best = p; }
        }
      }
      return [best, bd];
    };
  };
  const nearTown = nearest(towns, 5_000);
  const nearVillage = nearest(villages, 1_000);
  const nearMine = nearest(mines, 2_000);
  const nearReservoir = nearest(reservoirs, 6_000);
  const nearDeposit = nearest(deposits, 6_000);

  // 2. cell values.
  const zone = new Uint8Array(N), land = new Uint8Array(N), urban = new Uint8Array(N), village = new Uint8Array(N);
  const water = new Uint8Array(N), mineral = new Uint8Array(N), hazard = new Uint8Array(N), uline = new Uint8Array(N);
  for (let c = 0; c < N; c++) {
    if (!inside[c]) continue;
    const x = cx(c), y = cy(c), e = elev[c];
    const wob = 1 + 0.3 * noise.fbm(x / 700, y / 700, 31, 2);
    const [town, td] = nearTown(x, y);
    const [, vd] = nearVillage(x, y);
    const [, md] = nearMine(x, y);
    const h = noise.u(c % NX, Math.floor(c / NX), 41);
    const river = riverDist(x, y) < rivers[0].half;
    let z: number;
    if (town && td < wob) z = ZONE.urban;
    else if (md < wob) z = ZONE.mining;
    else if (e > E_PROT) z = ZONE.ecoProtection;
    else if (e > E_CTRL) z = ZONE.ecoControl;
    else if (vd < 1.6 * wob) z = ZONE.rural;
    else z = noise.fbm(x / 3_000, y / 3_000, 51, 3) > -0.25 ? ZONE.farmland : ZONE.rural;
    zone[c] = z;
    // Urban boundary: the urban zone, a flexible ring around it, a special patch beside some towns.
    if (z === ZONE.urban) urban[c] = 1;
    else if (town && td < 1.35 * wob && z !== ZONE.ecoProtection) urban[c] = 2;
    else if (town && td < 1.7 * wob && z !== ZONE.ecoProtection && Math.cos(Math.atan2(y - town.y, x - town.x) - town.id * 2.1) > 0.8) urban[c] = 3;
    if (z === ZONE.rural && vd < wob) village[c] = 1;
    // Primary land class.
    const fine = noise.fbm(x / 600, y / 600, 61, 2);
    let l: number = LAND.none;
    const wet = noise.fbm(x / 2_000, y / 2_000, 71, 3) > -0.1 ? LAND.paddy : LAND.arable;
    if (z === ZONE.ecoProtection) l = e > E_CORE ? LAND.redlineCore : LAND.redline;
    else if (z === ZONE.ecoControl) {
      const f = noise.fbm(x / 1_800, y / 1_800, 81, 3);
      l = f > 0.2 ? LAND.forestNational : f > -0.15 ? LAND.forestProvincial : fine > 0.45 ? LAND.arableReserve : LAND.none;
    } else if (z === ZONE.farmland) l = fine > 0.55 ? LAND.farmReserve : h < 0.08 ? wet : h < 0.14 ? LAND.none : LAND.pf;
    else if (z === ZONE.rural && !village[c]) l = h < 0.45 ? wet : h < 0.58 ? LAND.pf : fine > 0.5 ? LAND.arableReserve : LAND.none;
    if (river) l = LAND.none;
    if (urban[c] && l === LAND.pf) l = wet;
    land[c] = l;
    // Other layers.
    const [, rd] = nearReservoir(x, y);
    const rw = rd / (1 + 0.15 * noise.fbm(x / 900, y / 900, 91, 2));
    water[c] = rw < 1 ? 1 : rw < 3 ? 2 : rw < 6 ? 3 : 0;
    const [dep, dd] = nearDeposit(x, y);
    if (dep && dd < 1 + 0.35 * noise.fbm(x / 1_200, y / 1_200, 101 + dep.id, 3)) mineral[c] = 1 + (dep.id % MINERALS.length);
    if (e > E_HAZ && noise.fbm(x / 1_100, y / 1_100, 111, 3) > 0.42) hazard[c] = 1;
    if (z === ZONE.urban) {
      const g = noise.fbm(x / 500, y / 500, 121, 2);
      uline[c] = g > 0.4 ? 1 : g < -0.5 ? 2 : h > 0.985 ? 4 : 0;
    }
  }

  // Heritage sites (needed before the purple lines): spaced, fully inside.
  const heritage = jitteredCentres(spec.heritageSpacingM, 15, 35, opts.size === 'township' ? 0.75 : 0.55, 3)
    .filter((p) => [0, 1, 2, 3, 4, 5, 6, 7].every((k) => insideAt(p.x + 600 * Math.cos(k * 0.785), p.y + 600 * Math.sin(k * 0.785))));
  for (const p of heritage) {
    const i0 = Math.floor((p.x - X0) / s), j0 = Math.floor((p.y - Y0) / s);
    for (let dj = -3; dj <= 3; dj++) for (let di = -3; di <= 3; di++) {
      const c = (j0 + dj) * NX + i0 + di;
      if (zone[c] === ZONE.urban && Math.hypot(cx(c) - p.x, cy(c) - p.y) < 220) uline[c] = 3;
    }
  }

  // ───────── output ─────────
  const out = resolve(opts.out);
  if (existsSync(out)) {
    for (const f of ['jurisdiction.json', 'layers']) rmSync(join(out, f), { recursive: true, force: true });
  }
  mkdirSync(join(out, 'layers'), { recursive: true });
  const writer = new LayerWriter(out);
  const kx = 1 / M_PER_DEG_LON, ky = 1 / M_PER_DEG_LAT;
  const fmt = (v: number) => {
    const n = Math.round(v * 1e7);
    const str = String(n);
    return `${str.slice(0, -7)}.${str.slice(-7)}`;
  };
  const pt = (x: number, y: number) => `[${fmt(LON0 + x * kx)},${fmt(LAT0 + y * ky)}]`;

  // Edge wiggles: points between lattice vertices, from the edge's own hash (same for both cells).
  // Horizontal edge (i, j): V(i,j) → V(i+1,j); vertical edge (i, j): V(i,j) → V(i,j+1).
  const wiggle = (vertical: boolean, i: number, j: number): number[] => {
    const hh = noise.u(i, j, vertical ? 201 : 202);
    const m = hh < 0.25 ? 0 : hh < 0.6 ? 1 : hh < 0.85 ? 2 : 3;
    if (m === 0) return [];
    const a0 = (j * VW + i) * 2, b0 = vertical ? ((j + 1) * VW + i) * 2 : (j * VW + i + 1) * 2;
    const ax = vxy[a0], ay = vxy[a0 + 1], bx = vxy[b0], by = vxy[b0 + 1];
    const len = Math.hypot(bx - ax, by - ay);
    const nx = -(by - ay) / len, ny = (bx - ax) / len;
    const pts: number[] = [];
    for (let k = 0; k < m; k++) {
      const t = (k + 1) / (m + 1) + (noise.u(i * 4 + k, j, vertical ? 203 : 204) - 0.5) * (0.3 / (m + 1));
      const d = (noise.u(i * 4 + k, j, vertical ? 205 : 206) * 2 - 1) * WIGGLE * s;
      pts.push(ax + t * (bx - ax) + d * nx, ay + t * (by - ay) + d * ny);
    }
    return pts;
  };

  // Directed boundary edges of a cell set; ring tracing keeps to the left at pinch vertices.
  // dir: 0 E, 1 N, 2 W, 3 S. Edge from vertex `from` to `to`.
  const traceRings = (cells: number[], member: (c: number) => boolean): { text: string; area: number; first: number }[] => {
    const out0: { from: number; to: number; dir: number; i: number; j: number; vertical: boolean; rev: boolean }[] = [];
    for (const c of cells) {
      const i = c % NX, j = (c - i) / NX;
      if (j === 0 || !member(c - NX)) out0.push({ from: j * VW + i, to: j * VW + i + 1, dir: 0, i, j, vertical: false, rev: false });
      if (i === NX - 1 || !member(c + 1)) out0.push({ from: j * VW + i + 1, to: (j + 1) * VW + i + 1, dir: 1, i: i + 1, j, vertical: true, rev: false });
      if (j === NY - 1 || !member(c + NX)) out0.push({ from: (j + 1) * VW + i + 1, to: (j + 1) * VW + i, dir: 2, i, j: j + 1, vertical: false, rev: true });
      if (i === 0 || !member(c - 1)) out0.push({ from: (j + 1) * VW + i, to: j * VW + i, dir: 3, i, j, vertical: true, rev: true });
    }
    const byFrom = new Map<number, number[]>();
    out0.forEach((e, k) => {
      const l = byFrom.get(e.from);
      if (l) l.push(k);
      else byFrom.set(e.from, [k]);
    });
    const used = new Uint8Array(out0.length);
    const rings: { text: string; area: number; first: number }[] = [];
    for (let start = 0; start < out0.length; start++) {
      if (used[start]) continue;
      const parts: string[] = [];
      let area2 = 0;
      let k = start;
      for (;;) {
        used[k] = 1;
        const e = out0[k];
        const fx = vxy[e.from * 2], fy = vxy[e.from * 2 + 1];
        const tx = vxy[e.to * 2], ty = vxy[e.to * 2 + 1];
        area2 += fx * ty - tx * fy;
        parts.push(pt(fx, fy));
        const w = wiggle(e.vertical, e.i, e.j);
        if (e.rev) for (let q = w.length - 2; q >= 0; q -= 2) parts.push(pt(w[q], w[q + 1]));
        else for (let q = 0; q < w.length; q += 2) parts.push(pt(w[q], w[q + 1]));
        const next = byFrom.get(e.to)!;
        let chosen = -1;
        if (next.length === 1) chosen = next[0];
        else {
          // Prefer the left turn (hug the current cell), then straight, then right.
          for (const turn of [1, 0, 3]) {
            const want = (e.dir + turn) % 4;
            const cand = next.find((n) => !used[n] && out0[n].dir === want);
            if (cand !== undefined) { chosen = cand; break; }
          }
          if (chosen < 0) chosen = next.find((n) => !used[n]) ?? next[0];
        }
        if (chosen === start || used[chosen]) break;
        k = chosen;
      }
      parts.push(parts[0]);
      rings.push({ text: `[${parts.join(',')}]`, area: area2 / 2, first: out0[start].from });
    }
    return rings;
  };

  /** Polygon text of one 4-connected component: the one positive ring is the shell, the others holes. */
  const polygonOf = (cells: number[], member: (c: number) => boolean, extraHoles: string[] = []): string => {
    const rings = traceRings(cells, member);
    let shell = 0;
    for (let r = 1; r < rings.length; r++) if (rings[r].area > rings[shell].area) shell = r;
    return `[${[rings[shell].text, ...rings.filter((_, r) => r !== shell).map((r) => r.text), ...extraHoles].join(',')}]`;
  };

  const mark = new Int32Array(N);
  let stamp = 0;
  /**
   * Components of `field` (non-zero values accepted by `accept`) within blocks of `bw`×`bh` cells
   * (brick: odd block rows shifted by half a block), block by block. Calls emit(value, cells,
   * member, block) per component; `member` is valid during the call.
   */
  const components = (
    field: Uint8Array, accept: (v: number) => boolean, bw: number, bh: number, brick: boolean,
    emit: (value: number, cells: number[], member: (c: number) => boolean, block: number) => void,
  ) => {
    const base = stamp; // marks > base belong to this pass
    const blockOf = (c: number) => {
      const i = c % NX, j = (c - i) / NX;
      const bj = Math.floor(j / bh);
      const shift = brick && bj % 2 === 1 ? Math.floor(bw / 2) : 0;
      return Math.floor((i + shift) / bw) * 1_000_003 + bj;
    };
    for (let bj = 0; bj * bh < NY; bj++) {
      const shift = brick && bj % 2 === 1 ? Math.floor(bw / 2) : 0;
      for (let bi = 0; bi * bw - shift < NX; bi++) {
        const block = bi * 1_000_003 + bj;
        for (let j = bj * bh; j < Math.min(NY, (bj + 1) * bh); j++) {
          for (let i = Math.max(0, bi * bw - shift); i < Math.min(NX, (bi + 1) * bw - shift); i++) {
            const c0 = j * NX + i;
            const v = field[c0];
            if (!v || !inside[c0] || mark[c0] > base || !accept(v)) continue;
            const id = ++stamp;
            const cells: number[] = [c0];
            mark[c0] = id;
            for (let q = 0; q < cells.length; q++) {
              const c = cells[q];
              const ci = c % NX;
              if (ci > 0) visit(c - 1);
              if (ci < NX - 1) visit(c + 1);
              if (c >= NX) visit(c - NX);
              if (c < N - NX) visit(c + NX);
            }
            function visit(nb: number) {
              if (mark[nb] === id || field[nb] !== v || !inside[nb] || blockOf(nb) !== block) return;
              mark[nb] = id;
              cells.push(nb);
            }
            emit(v, cells, (c) => mark[c] === id, block);
          }
        }
      }
    }
  };

  let nextId = 0;
  const id = (prefix: string) => `${prefix}-${(++nextId).toString(36).padStart(6, '0')}`;
  const hole = (c: number, r: number): string => {
    const i = c % NX, j = (c - i) / NX;
    let mx = 0, my = 0;
    for (const [di, dj] of [[0, 0], [1, 0], [1, 1], [0, 1]]) {
      mx += vxy[((j + dj) * VW + i + di) * 2] / 4;
      my += vxy[((j + dj) * VW + i + di) * 2 + 1] / 4;
    }
    const pts: string[] = [];
    for (let k = 8; k >= 0; k--) pts.push(pt(mx + r * Math.cos((k % 8) * Math.PI / 4), my + r * Math.sin((k % 8) * Math.PI / 4)));
    return `[${pts.join(',')}]`; // clockwise: a hole
  };

  // Boundary.
  writer.open('boundary');
  components(inside, () => true, NX, NY, false, (_v, cells, member) => {
    writer.feature(id('bd'), `{"kind":"boundary","name":${JSON.stringify(spec.name)}}`, 'Polygon', polygonOf(cells, member));
  });

  // Zones: planning zones, urban boundary, village boundary.
  writer.open('zoning');
  const C = spec.coarse;
  components(zone, () => true, C, C, false, (v, cells, member) => {
    writer.feature(id('pz'), `{"kind":"planning-zone","zone":"${ZONE_IDS[v]}"}`, 'Polygon', polygonOf(cells, member));
  });
  components(urban, () => true, C, C, false, (v, cells, member) => {
    writer.feature(id('ub'), `{"kind":"urban-boundary","zone":"${URBAN_IDS[v]}"}`, 'Polygon', polygonOf(cells, member));
  });
  components(village, () => true, C, C, false, (_v, cells, member) => {
    writer.feature(id('vb'), `{"kind":"village-boundary"}`, 'Polygon', polygonOf(cells, member));
  });

  // Primary land layers: farmland parcels in 2×2 bricks (a few with a pond), natural land in coarse blocks.
  writer.open('land');
  const pondRng = new Rng(seed, 5);
  const landProps = (v: number) =>
    v === LAND.pf ? '{"kind":"permanent-farmland"}'
      : v === LAND.arable ? '{"kind":"arable-land","paddy":false}'
        : v === LAND.paddy ? '{"kind":"arable-land","paddy":true}'
          : v === LAND.farmReserve ? '{"kind":"farmland-reserve"}'
            : v === LAND.arableReserve ? '{"kind":"arable-reserve"}'
              : v === LAND.redline ? '{"kind":"ecological-redline"}'
                : v === LAND.redlineCore ? '{"kind":"ecological-redline","core":true}'
                  : v === LAND.forestNational ? '{"kind":"public-forest","level":"national"}'
                    : '{"kind":"public-forest","level":"provincial"}';
  const landPrefix = (v: number) => (v === LAND.pf ? 'pf' : v === LAND.arable || v === LAND.paddy ? 'al' : v === LAND.farmReserve ? 'fr' : v === LAND.arableReserve ? 'ar' : v <= LAND.redlineCore ? 'er' : 'fo');
  components(land, (v) => PARCEL_CLASSES.has(v), 2, 2, true, (v, cells, member) => {
    const holes = pondRng.next() < 0.04 ? [hole(cells[0], 0.09 * s)] : [];
    writer.feature(id(landPrefix(v)), landProps(v), 'Polygon', polygonOf(cells, member, holes));
  });
  components(land, (v) => NATURAL_CLASSES.has(v), Math.max(4, C / 2), Math.max(4, C / 2), false, (v, cells, member) => {
    writer.feature(id(landPrefix(v)), landProps(v), 'Polygon', polygonOf(cells, member));
  });

  // Protection layers.
  writer.open('protection');
  components(water, () => true, C, C, false, (v, cells, member) => {
    writer.feature(id('ws'), `{"kind":"water-source","level":"${WATER_IDS[v]}"}`, 'Polygon', polygonOf(cells, member));
  });
  // Deposits and geohazard areas: every component of one value in one block is one MultiPolygon.
  const multi = (field: Uint8Array, bw: number, props: (v: number) => string, prefix: string) => {
    let pending: { block: number; value: number; polys: string[] } | null = null;
    const flush = () => {
      if (!pending) return;
      writer.feature(id(prefix), props(pending.value), pending.polys.length === 1 ? 'Polygon' : 'MultiPolygon', pending.polys.length === 1 ? pending.polys[0] : `[${pending.polys.join(',')}]`);
      pending = null;
    };
    components(field, () => true, bw, bw, false, (v, cells, member, block) => {
      if (!pending || pending.block !== block || pending.value !== v) {
        flush();
        pending = { block, value: v, polys: [] };
      }
      pending.polys.push(polygonOf(cells, member));
    });
    flush();
  };
  multi(mineral, C, (v) => `{"kind":"mineral-deposit","mineral":"${MINERALS[v - 1]}"}`, 'md');
  multi(hazard, Math.max(4, C / 2), () => '{"kind":"geohazard"}', 'gh');
  components(uline, () => true, Math.max(4, C / 4), Math.max(4, C / 4), false, (v, cells, member) => {
    writer.feature(id('ul'), `{"kind":"urban-line","line":"${ULINE_IDS[v]}"}`, 'Polygon', polygonOf(cells, member));
  });
  // Heritage: footprint, protection range and control zone as non-overlapping annuli.
  const hr = new Rng(seed, 6);
  const levels = ['national', 'provincial', 'municipal', 'county', 'county', 'county', 'county', 'municipal'];
  heritage.forEach((p, n) => {
    const k = 24;
    const ringAt = (radius: number, cw: boolean) => {
      const pts: string[] = [];
      for (let q = 0; q <= k; q++) {
        const t = ((cw ? k - q : q) % k) * (2 * Math.PI) / k;
        const rr = radius * (1 + 0.12 * Math.sin(3 * t + n));
        pts.push(pt(p.x + rr * Math.cos(t), p.y + rr * Math.sin(t)));
      }
      return `[${pts.join(',')}]`;
    };
    const rSite = p.r, rProt = rSite + hr.range(60, 120), rCtrl = rProt + hr.range(100, 180);
    const name = `合成文物点${n + 1}号`;
    const level = hr.pick(levels);
    const props = (ring: string) => `{"kind":"heritage","ring":"${ring}","name":"${name}","level":"${level}"}`;
    writer.feature(id('hs'), props('site'), 'Polygon', `[${ringAt(rSite, false)}]`);
    if (hr.next() < 0.3) return; // footprint only: a local policy derives the ranges
    writer.feature(id('hp'), props('protection'), 'Polygon', `[${ringAt(rProt, false)},${ringAt(rSite, true)}]`);
    writer.feature(id('hc'), props('control'), 'Polygon', `[${ringAt(rCtrl, false)},${ringAt(rProt, true)}]`);
  });

  // Roads.
  writer.open('roads');
  const rr = new Rng(seed, 7);
  const roads: { cls: string; width: number; from: { x: number; y: number }; to: { x: number; y: number } }[] = [];
  const crossings = Math.max(1, Math.round((2 * a) / 60_000));
  for (let q = 0; q < crossings; q++) {
    const yy = -b + ((q + 0.5) * 2 * b) / crossings + rr.range(-0.1, 0.1) * b;
    roads.push({ cls: 'expressway', width: 26, from: { x: -1.4 * a, y: yy + rr.range(-0.2, 0.2) * b }, to: { x: 1.4 * a, y: yy + rr.range(-0.2, 0.2) * b } });
    const xx = -a + ((q + 0.5) * 2 * a) / crossings + rr.range(-0.1, 0.1) * a;
    roads.push({ cls: 'national', width: 20, from: { x: xx + rr.range(-0.2, 0.2) * a, y: -1.4 * b }, to: { x: xx + rr.range(-0.2, 0.2) * a, y: 1.4 * b } });
  }
  roads.push({ cls: 'provincial', width: 16, from: { x: -1.4 * a, y: seat.y - 0.6 * b }, to: { x: 1.4 * a, y: seat.y + 0.5 * b } });
  // County roads: each town to its nearest earlier town (a spanning tree); township roads: each village to the nearest town or village.
  towns.forEach((t, i) => {
    if (i === 0) return;
    let best = towns[0];
    for (let q = 0; q < i; q++) if (Math.hypot(t.x - towns[q].x, t.y - towns[q].y) < Math.hypot(t.x - best.x, t.y - best.y)) best = towns[q];
    roads.push({ cls: 'county', width: 10, from: t, to: best });
  });
  // Villages nearest the seat first; each joins the nearest town or already-joined village.
  const HUB_CELL = 2_000;
  const hubGrid = new Map<number, { x: number; y: number }[]>();
  const addHub = (p: { x: number; y: number }) => {
    const k = Math.floor(p.x / HUB_CELL) * 100_003 + Math.floor(p.y / HUB_CELL);
    (hubGrid.get(k) ?? hubGrid.set(k, []).get(k)!).push(p);
  };
  towns.forEach(addHub);
  const nearestHub = (p: { x: number; y: number }) => {
    const gx = Math.floor(p.x / HUB_CELL), gy = Math.floor(p.y / HUB_CELL);
    for (let ring = 1; ring < 200; ring++) {
      let best: { x: number; y: number } | null = null, bd = Infinity;
      for (let dx = -ring; dx <= ring; dx++) for (let dy = -ring; dy <= ring; dy++) {
        for (const h of hubGrid.get((gx + dx) * 100_003 + gy + dy) ?? []) {
          const d = Math.hypot(p.x - h.x, p.y - h.y);
          if (d < bd) { bd = d; best = h; }
        }
      }
      if (best && bd <= ring * HUB_CELL) return best;
    }
    return towns[0];
  };
  const villagesByDist = [...villages].sort((p, q) => Math.hypot(p.x - seat.x, p.y - seat.y) - Math.hypot(q.x - seat.x, q.y - seat.y));
  for (const v of villagesByDist) {
    roads.push({ cls: 'township', width: 6, from: v, to: nearestHub(v) });
    addHub(v);
  }
  roads.forEach((road, n) => {
    const len = Math.hypot(road.to.x - road.from.x, road.to.y - road.from.y);
    if (len < 50) return;
    const steps = Math.max(2, Math.ceil(len / 120));
    const nx = -(road.to.y - road.from.y) / len, ny = (road.to.x - road.from.x) / len;
    const amp = Math.min(len * 0.08, road.cls === 'expressway' ? 3_000 : 900);
    let seg: string[] = [];
    let segLen = 0;
    let px = NaN, py = NaN;
    const flush = () => {
      if (seg.length >= 2) writer.feature(id('rd'), `{"kind":"road","roadClass":"${road.cls}","widthM":${road.width}}`, 'LineString', `[${seg.join(',')}]`);
      seg = [];
      segLen = 0;
    };
    for (let q = 0; q <= steps; q++) {
      const t = q / steps;
      const off = amp * Math.sin(Math.PI * t) * noise.fbm(t * 3, n * 7.3, 301, 3);
      const x = road.from.x + t * (road.to.x - road.from.x) + off * nx;
      const y = road.from.y + t * (road.to.y - road.from.y) + off * ny;
      if (!insideAt(x, y)) {
        flush();
        px = NaN;
        continue;
      }
      if (!Number.isNaN(px)) segLen += Math.hypot(x - px, y - py);
      seg.push(pt(x, y));
      px = x;
      py = y;
      if (segLen > 2_000) {
        const last = seg[seg.length - 1];
        flush();
        seg.push(last);
      }
    }
    flush();
  });
  writer.close();

  const lonMin = LON0 + X0 * kx, latMin = LAT0 + Y0 * ky;
  const manifest = {
    id: `synthetic-${opts.size}-${seed}`,
    name: `${spec.name}（合成数据，种子 ${seed}）`,
    crs: 'EPSG:4490',
    policies: spec.policies,
    sliverToleranceM2: 1,
    layers: writer.files,
    generator: { script: 'scripts/generate-jurisdiction.ts', size: opts.size, seed },
  };
  writeFileSync(join(out, 'jurisdiction.json'), JSON.stringify(manifest, null, 2) + '\n');
  const cellArea = s * s; // mean lattice cell area (jitter averages out)
  return {
    dir: out,
    id: manifest.id,
    features: writer.count,
    byKind: writer.byKind,
    areaHa: (cellCount * cellArea) / 10_000,
    vertices: writer.vertices,
    bytes: writer.bytes,
    files: writer.files,
    seconds: (performance.now() - t0) / 1000,
    bbox: [lonMin, latMin, LON0 - X0 * kx, LAT0 - Y0 * ky],
  };
}

/** Streams features into layer files of at most FEATURES_PER_FILE features each. */
class LayerWriter {
  files: string[] = [];
  count = 0;
  vertices = 0;
  bytes = 0;
  byKind: Record<string, number> = {};
  private fd = -1;
  private buf: string[] = [];
  private bufLen = 0;
  private inFile = 0;
  private base = '';
  private part = 0;
  constructor(private readonly dir: string) {}
  open(base: string): void {
    this.endFile();
    this.base = base;
    this.part = 0;
  }
  private startFile(): void {
    const name = `layers/${this.base}${this.part ? `-${this.part}` : ''}.geojson`;
    this.part++;
    this.files.push(name);
    this.fd = openSync(join(this.dir, name), 'w');
    this.inFile = 0;
    this.push('{"type":"FeatureCollection","features":[\n');
  }
  private endFile(): void {
    if (this.fd < 0) return;
    this.push('\n]}\n');
    this.flush();
    closeSync(this.fd);
    this.fd = -1;
  }
  private push(s: string): void {
    this.buf.push(s);
    this.bufLen += s.length;
    if (this.bufLen > 1 << 22) this.flush();
  }
  private flush(): void {
    if (!this.buf.length) return;
    const data = this.buf.join('');
    this.bytes += Buffer.byteLength(data);
    writeSync(this.fd, data);
    this.buf = [];
    this.bufLen = 0;
  }
  feature(id: string, props: string, type: string, coords: string): void {
    if (this.fd < 0 || this.inFile >= FEATURES_PER_FILE) {
      this.endFile();
      this.startFile();
    }
    const kind = props.slice(9, props.indexOf('"', 9));
    this.byKind[kind] = (this.byKind[kind] ?? 0) + 1;
    for (let q = 0; q < coords.length - 1; q++) if (coords.charCodeAt(q) === 91 && coords.charCodeAt(q + 1) !== 91) this.vertices++;
    this.push(`${this.inFile ? ',\n' : ''}{"type":"Feature","id":"${id}","properties":${props},"geometry":{"type":"${type}","coordinates":${coords}}}`);
    this.inFile++;
    this.count++;
  }
  close(): void {
    this.endFile();
  }
}

/** Keeps the largest 4-connected set of 1-cells and fills its holes (cells not reachable from the edge). */
function keepLargestAndFill(grid: Uint8Array, NX: number, NY: number): void {
  const N = NX * NY;
  const label = new Int32Array(N).fill(-1);
  const nb = (c: number, f: (n: number) => void) => {
    const i = c % NX;
    if (i > 0) f(c - 1);
    if (i < NX - 1) f(c + 1);
    if (c >= NX) f(c - NX);
    if (c < N - NX) f(c + NX);
  };
  let best = -1, bestSize = 0, next = 0;
  const stack: number[] = [];
  for (let c = 0; c < N; c++) {
    if (!grid[c] || label[c] >= 0) continue;
    const l = next++;
    let size = 0;
    label[c] = l;
    stack.push(c);
    while (stack.length) {
      const q = stack.pop()!;
      size++;
      nb(q, (n) => {
        if (grid[n] && label[n] < 0) {
          label[n] = l;
          stack.push(n);
        }
      });
    }
    if (size > bestSize) { bestSize = size; best = l; }
  }
  // Outside: reachable from the grid's edge without crossing the kept set.
  const outside = new Uint8Array(N);
  for (let c = 0; c < N; c++) {
    const i = c % NX, j = Math.floor(c / NX);
    if ((i === 0 || j === 0 || i === NX - 1 || j === NY - 1) && label[c] !== best) {
      outside[c] = 1;
      stack.push(c);
    }
  }
  while (stack.length) {
    const q = stack.pop()!;
    nb(q, (n) => {
      if (!outside[n] && label[n] !== best) {
        outside[n] = 1;
        stack.push(n);
      }
    });
  }
  for (let c = 0; c < N; c++) grid[c] = outside[c] ? 0 : 1;
}

// ───────────────────────────── CLI ─────────────────────────────

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const opt = (name: string, def?: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : def;
  };
  const size = opt('size', 'township') as JurisdictionSize;
  if (!(size in SIZES)) {
    console.error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
    process.exit(2);
  }
  const seed = Number(opt('seed', '1'));
  const out = opt('out', `data/synthetic-${size}-${seed}`)!;
  if (existsSync(out) && readdirSync(out).some((f) => f !== 'jurisdiction.json' && f !== 'layers')) {
    console.error(`${out} holds other files; refusing to overwrite it`);
    process.exit(2);
  }
  const r = generateJurisdiction({ size, seed, out, log: (m) => console.error(`  ${m}`) });
  console.log(`${r.id}: ${r.features.toLocaleString('en')} features, ${Math.round(r.areaHa).toLocaleString('en')} ha, ${r.vertices.toLocaleString('en')} vertices, ${(r.bytes / 2 ** 20).toFixed(1)} MiB in ${r.files.length} file(s), ${r.seconds.toFixed(1)} s → ${r.dir}`);
  for (const [k, n] of Object.entries(r.byKind).sort()) console.log(`  ${k.padEnd(20)} ${n.toLocaleString('en').padStart(10)}`);
}
