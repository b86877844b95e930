/**
 * The report's map figure: the site over the control layers around it, as inline SVG — each layer
 * kind styled (fill colour / hatch) and labelled, a legend, a scale bar in metres, a north arrow and
 * a lon/lat graticule on the frame. Lon/lat are projected with a local equirectangular scale (the
 * GRS80/CGCS2000 radii of curvature at the frame's centre), exact enough for a figure of a few km.
 * Pure: no I/O, no node:*.
 */
import type { Bundle, LayerFeature } from '../engine/bundle/types.js';
import { escapeHtml, zoneName } from './format.js';

type Pos = [number, number];
type BBox = [number, number, number, number];

export interface MapOptions {
  /** The site: a GeoJSON Geometry or Feature (Point, (Multi)Polygon, (Multi)LineString). */
  site?: unknown;
  bundle?: Bundle;
  /** Corridor width of a line site, drawn to scale. */
  corridorWidthM?: number;
  /** Feature ids to frame when there is no site (e.g. the findings' features). */
  focusFeatureIds?: string[];
}

export interface MapFigure {
  svg: string;
  /** Metres the frame spans, east–west and north–south. */
  extentM: [number, number];
  /** Frame centre, lon/lat. */
  center: Pos;
  legend: string[];
  /** Whether the site itself is drawn. */
  siteDrawn: boolean;
}

// ─── layout (SVG user units; the figure is scaled to the page width) ──────────────────────────────
const W = 1000;
const H = 660;
const FX = 46; // map frame
const FY = 30;
const FW = 664;
const FH = 590;
const LX = FX + FW + 22; // legend panel
const LW = W - LX - 4;

// ─── styles ───────────────────────────────────────────────────────────────────────────────────────
interface Pattern { id: string; svg: string }
interface Style {
  key: string;
  label: string;
  order: number;
  fill: string;
  fillOpacity: number;
  stroke: string;
  strokeWidth: number;
  dash?: string;
  line?: boolean;
  /** Label features of this style on the map. */
  labelled: boolean;
}

const hatch = (id: string, color: string, angle: number, gap: number, width: number, bg = 'none', bgOpacity = 0): Pattern => ({
  id,
  svg:
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="${gap}" height="${gap}" patternTransform="rotate(${angle})">` +
    (bg !== 'none' ? `<rect width="${gap}" height="${gap}" fill="${bg}" fill-opacity="${bgOpacity}"/>` : '') +
    `<line x1="0" y1="0" x2="0" y2="${gap}" stroke="${color}" stroke-width="${width}"/></pattern>`,
});
const cross = (id: string, color: string, gap: number, width: number, bg: string, bgOpacity: number): Pattern => ({
  id,
  svg:
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="${gap}" height="${gap}" patternTransform="rotate(45)">` +
    `<rect width="${gap}" height="${gap}" fill="${bg}" fill-opacity="${bgOpacity}"/>` +
    `<line x1="0" y1="0" x2="0" y2="${gap}" stroke="${color}" stroke-width="${width}"/>` +
    `<line x1="0" y1="0" x2="${gap}" y2="0" stroke="${color}" stroke-width="${width}"/></pattern>`,
});
const dots = (id: string, color: string, gap: number, r: number, bg: string, bgOpacity: number): Pattern => ({
  id,
  svg:
    `<pattern id="${id}" patternUnits="userSpaceOnUse" width="${gap}" height="${gap}">` +
    `<rect width="${gap}" height="${gap}" fill="${bg}" fill-opacity="${bgOpacity}"/>` +
    `<circle cx="${gap / 2}" cy="${gap / 2}" r="${r}" fill="${color}"/></pattern>`,
});

const PATTERNS: Pattern[] = [
  hatch('p-er', '#2e7d32', 45, 7, 1.2, '#66bb6a', 0.28),
  cross('p-er-core', '#1b5e20', 6, 1.1, '#43a047', 0.35),
  hatch('p-pf', '#a88a00', -45, 8, 0.9, '#f2d33c', 0.78),
  hatch('p-fr', '#c9a227', 45, 9, 0.8, '#f7e9a0', 0.7),
  dots('p-ar', '#9e8b3a', 7, 1.1, '#efe6b5', 0.6),
  dots('p-gf', '#2e7d32', 8, 1.5, '#c8e6c9', 0.45),
  hatch('p-ws1', '#0d47a1', 45, 5, 1.1, '#64b5f6', 0.45),
  hatch('p-ws2', '#1565c0', 45, 8, 1, '#90caf9', 0.35),
  hatch('p-wsq', '#1e88e5', 45, 12, 0.8, '#bbdefb', 0.3),
  cross('p-md', '#6d4c41', 10, 0.8, '#d7ccc8', 0.35),
  hatch('p-gh', '#e65100', -45, 7, 1.2, '#ffcc80', 0.35),
  hatch('p-hr-p', '#6a1b9a', 45, 5, 1, '#ce93d8', 0.45),
  hatch('p-hr-c', '#8e24aa', -45, 8, 0.8, '#e1bee7', 0.35),
];

const PZ: Record<string, [string, string]> = {
  'farmland-protection': ['#f6efc6', '#d8c978'],
  'ecological-protection': ['#d4ebd2', '#8fbf8b'],
  'ecological-control': ['#e3f0dc', '#a9cda0'],
  'urban-development': ['#f7dcd7', '#d99a90'],
  'rural-development': ['#f3e7d5', '#cfb48c'],
  'mining-energy': ['#e5ddef', '#aa97c8'],
};
const UL: Record<string, string> = { green: '#2e7d32', blue: '#1565c0', purple: '#7b1fa2', yellow: '#f9a825' };
const ROAD: Record<string, [number, string]> = {
  expressway: [5, '#e65100'], national: [4.2, '#ef6c00'], provincial: [3.6, '#f9a825'], county: [3, '#9e9e9e'], township: [2.2, '#bdbdbd'],
};

function styleFor(f: LayerFeature): Style {
  const z = f.zone;
  const base = { fill: 'none', fillOpacity: 1, stroke: '#555', strokeWidth: 0.6, labelled: true };
  const label = (name: string) => name;
  switch (f.kind) {
    case 'planning-zone': {
      const [fill, stroke] = PZ[z ?? ''] ?? ['#eeeeee', '#bbbbbb'];
      return { ...base, key: `planning-zone|${z}`, label: `规划分区·${zoneName('planning-zone', z)}`, order: 1, fill, stroke, strokeWidth: 0.8, labelled: true };
    }
    case 'village-boundary':
      return { ...base, key: 'village-boundary', label: '村庄建设边界', order: 2, fill: '#e8d5c0', fillOpacity: 0.7, stroke: '#8d6e63', strokeWidth: 1, dash: '5 3' };
    case 'arable-reserve':
      return { ...base, key: 'arable-reserve', label: '耕地后备资源', order: 3, fill: 'url(#p-ar)', stroke: '#9e8b3a', strokeWidth: 0.6 };
    case 'arable-land':
      return f.properties.paddy === true
        ? { ...base, key: 'arable-land|paddy', label: '耕地（水田）', order: 4, fill: '#d9e9a6', fillOpacity: 0.85, stroke: '#8aa63a', strokeWidth: 0.6 }
        : { ...base, key: 'arable-land', label: '耕地', order: 4.1, fill: '#ece3a4', fillOpacity: 0.85, stroke: '#b0a050', strokeWidth: 0.6 };
    case 'farmland-reserve':
      return { ...base, key: 'farmland-reserve', label: '永久基本农田储备区', order: 5, fill: 'url(#p-fr)', stroke: '#c9a227', strokeWidth: 0.8 };
    case 'permanent-farmland':
      return { ...base, key: 'permanent-farmland', label: '永久基本农田', order: 6, fill: 'url(#p-pf)', stroke: '#9c7f00', strokeWidth: 0.7 };
    case 'mineral-deposit':
      return { ...base, key: 'mineral-deposit', label: '重要矿产资源分布范围', order: 7, fill: 'url(#p-md)', stroke: '#6d4c41', strokeWidth: 1, dash: '8 3' };
    case 'public-forest':
      return { ...base, key: `public-forest|${z}`, label: zoneName('public-forest', z) ?? '公益林', order: 8, fill: 'url(#p-gf)', stroke: '#388e3c', strokeWidth: 0.9, dash: z === 'provincial' ? '4 3' : undefined };
    case 'geohazard':
      return { ...base, key: 'geohazard', label: '地质灾害危险区/易发区', order: 9, fill: 'url(#p-gh)', stroke: '#e65100', strokeWidth: 1 };
    case 'water-source': {
      const p = z === '1' ? 'p-ws1' : z === '2' ? 'p-ws2' : 'p-wsq';
      return { ...base, key: `water-source|${z}`, label: `饮用水水源${zoneName('water-source', z)}`, order: 10 + (z === '1' ? 0.3 : z === '2' ? 0.2 : 0.1), fill: `url(#${p})`, stroke: '#1565c0', strokeWidth: 1, dash: z === 'quasi' ? '6 3' : undefined };
    }
    case 'ecological-redline':
      return z === 'core'
        ? { ...base, key: 'ecological-redline|core', label: '生态保护红线·核心保护区', order: 11.1, fill: 'url(#p-er-core)', stroke: '#1b5e20', strokeWidth: 1.6 }
        : { ...base, key: 'ecological-redline', label: '生态保护红线', order: 11, fill: 'url(#p-er)', stroke: '#2e7d32', strokeWidth: 1.4 };
    case 'heritage':
      return z === 'site'
        ? { ...base, key: 'heritage|site', label: '文物本体', order: 12.2, fill: '#6a1b9a', fillOpacity: 0.8, stroke: '#4a148c', strokeWidth: 1 }
        : z === 'protection'
          ? { ...base, key: 'heritage|protection', label: '文物保护范围', order: 12.1, fill: 'url(#p-hr-p)', stroke: '#6a1b9a', strokeWidth: 1 }
          : { ...base, key: 'heritage|control', label: '文物建设控制地带', order: 12, fill: 'url(#p-hr-c)', stroke: '#8e24aa', strokeWidth: 1, dash: '5 3' };
    case 'urban-line': {
      const c = UL[z ?? ''] ?? '#555';
      return { ...base, key: `urban-line|${z}`, label: zoneName('urban-line', z) ?? '城市四线', order: 13, fill: c, fillOpacity: 0.22, stroke: c, strokeWidth: 1.6 };
    }
    case 'urban-boundary': {
      const dash = z === 'flexible' ? '9 4' : z === 'special' ? '10 3 2 3' : undefined;
      const fill = z === 'concentrated' ? '#e57373' : z === 'flexible' ? '#f48fb1' : '#ce93d8';
      return { ...base, key: `urban-boundary|${z}`, label: `城镇开发边界·${zoneName('urban-boundary', z)}`, order: 14, fill, fillOpacity: 0.16, stroke: '#c62828', strokeWidth: 2, dash };
    }
    case 'road': {
      const [w, c] = ROAD[z ?? ''] ?? [2, '#999'];
      return { ...base, key: `road|${z}`, label: zoneName('road', z) ?? '公路', order: 15, fill: 'none', stroke: c, strokeWidth: w, line: true };
    }
    case 'boundary':
      return { ...base, key: 'boundary', label: '行政辖区界线', order: 16, fill: 'none', stroke: '#212121', strokeWidth: 2.2, dash: '14 4 3 4', labelled: false };
    default:
      return { ...base, key: f.kind, label: label(f.kind), order: 0.5, fill: '#cccccc', fillOpacity: 0.3, stroke: '#777' };
  }
}

// ─── projection ───────────────────────────────────────────────────────────────────────────────────
const A = 6378137;
const E2 = 0.00669438002290; // GRS80 (CGCS2000)
const RAD = Math.PI / 180;

interface Projection {
  px(p: Pos): Pos;
  metresPerPx: number;
  bbox: BBox;
  center: Pos;
  kx: number;
  ky: number;
}

function makeProjection(target: BBox, minPadM: number, padShare: number): Projection {
  const center: Pos = [(target[0] + target[2]) / 2, (target[1] + target[3]) / 2];
  const phi = center[1] * RAD;
  const s = Math.sin(phi);
  const w = 1 - E2 * s * s;
  const ky = ((A * (1 - E2)) / Math.pow(w, 1.5)) * RAD; // metres per degree of latitude
  const kx = (A / Math.sqrt(w)) * Math.cos(phi) * RAD; // metres per degree of longitude
  const wM = (target[2] - target[0]) * kx;
  const hM = (target[3] - target[1]) * ky;
  const pad = Math.max(minPadM, padShare * Math.max(wM, hM));
  const metresPerPx = Math.max((wM + 2 * pad) / FW, (hM + 2 * pad) / FH, 0.05);
  const halfLon = (FW / 2) * metresPerPx / kx;
  const halfLat = (FH / 2) * metresPerPx / ky;
  return {
    px: ([lon, lat]) => [FX + FW / 2 + ((lon - center[0]) * kx) / metresPerPx, FY + FH / 2 - ((lat - center[1]) * ky) / metresPerPx],
    metresPerPx,
    bbox: [center[0] - halfLon, center[1] - halfLat, center[0] + halfLon, center[1] + halfLat],
    center,
    kx,
    ky,
  };
}

// ─── site geometry ────────────────────────────────────────────────────────────────────────────────
interface Shapes { polygons: Pos[][][]; lines: Pos[][]; points: Pos[] }

function isPos(p: unknown): p is Pos {
  return Array.isArray(p) && p.length >= 2 && typeof p[0] === 'number' && typeof p[1] === 'number' && Number.isFinite(p[0]) && Number.isFinite(p[1]);
}
const posList = (l: unknown): Pos[] => (Array.isArray(l) ? l.filter(isPos).map((p) => [p[0], p[1]] as Pos) : []);

/** Reads the drawable parts of a GeoJSON Geometry / Feature / FeatureCollection; ignores what it cannot read. */
export function siteShapes(g: unknown, out: Shapes = { polygons: [], lines: [], points: [] }, depth = 0): Shapes {
  if (!g || typeof g !== 'object' || depth > 4) return out;
  const o = g as { type?: unknown; coordinates?: unknown; geometry?: unknown; geometries?: unknown; features?: unknown };
  const c = o.coordinates as unknown[];
  switch (o.type) {
    case 'Feature': return siteShapes(o.geometry, out, depth + 1);
    case 'FeatureCollection': if (Array.isArray(o.features)) for (const f of o.features) siteShapes(f, out, depth + 1); return out;
    case 'GeometryCollection': if (Array.isArray(o.geometries)) for (const x of o.geometries) siteShapes(x, out, depth + 1); return out;
    case 'Point': if (isPos(c)) out.points.push([c[0], c[1]]); return out;
    case 'MultiPoint': out.points.push(...posList(c)); return out;
    case 'LineString': { const l = posList(c); if (l.length >= 2) out.lines.push(l); return out; }
    case 'MultiLineString': if (Array.isArray(c)) for (const x of c) { const l = posList(x); if (l.length >= 2) out.lines.push(l); } return out;
    case 'Polygon': if (Array.isArray(c)) { const rings = c.map(posList).filter((r) => r.length >= 3); if (rings.length) out.polygons.push(rings); } return out;
    case 'MultiPolygon':
      if (Array.isArray(c)) for (const p of c) { if (!Array.isArray(p)) continue; const rings = p.map(posList).filter((r) => r.length >= 3); if (rings.length) out.polygons.push(rings); }
      return out;
    default: return out;
  }
}

function bboxOfPositions(list: Iterable<Pos>): BBox | null {
  let b: BBox | null = null;
  for (const [x, y] of list) {
    if (!b) b = [x, y, x, y];
    else { if (x < b[0]) b[0] = x; if (y < b[1]) b[1] = y; if (x > b[2]) b[2] = x; if (y > b[3]) b[3] = y; }
  }
  return b;
}
function* shapePositions(s: Shapes): Iterable<Pos> {
  for (const p of s.polygons) for (const r of p) yield* r;
  for (const l of s.lines) yield* l;
  yield* s.points;
}

// ─── drawing helpers ──────────────────────────────────────────────────────────────────────────────
const n1 = (v: number) => (Math.round(v * 10) / 10).toString();

function ringPath(ring: Pos[], proj: Projection, close: boolean): string {
  let d = '';
  let last: Pos | null = null;
  let count = 0;
  for (let i = 0; i < ring.length; i++) {
    const p = proj.px(ring[i]);
    const isLast = i === ring.length - 1;
    if (last && !isLast && Math.abs(p[0] - last[0]) < 0.6 && Math.abs(p[1] - last[1]) < 0.6) continue;
    d += `${count === 0 ? 'M' : 'L'}${n1(p[0])} ${n1(p[1])}`;
    last = p;
    count++;
  }
  return count >= 2 ? d + (close ? 'Z' : '') : '';
}

function polygonsPath(polys: Pos[][][], proj: Projection): string {
  let d = '';
  for (const p of polys) for (const r of p) d += ringPath(r, proj, true);
  return d;
}

function pointInRings(pt: Pos, rings: Pos[][]): boolean {
  let inside = false;
  for (const r of rings) {
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const [xi, yi] = r[i];
      const [xj, yj] = r[j];
      if (yi > pt[1] !== yj > pt[1] && pt[0] < ((xj - xi) * (pt[1] - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

const textWidth = (s: string, size: number) => [...s].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? size : size * 0.58), 0);

type Rect = [number, number, number, number];

/** Whether segment a–b meets rectangle r (Liang–Barsky). */
function segmentMeetsRect(a: Pos, b: Pos, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const checks: [number, number][] = [[-dx, a[0] - r[0]], [dx, r[2] - a[0]], [-dy, a[1] - r[1]], [dy, r[3] - a[1]]];
  for (const [p, q] of checks) {
    if (p === 0) {
      if (q < 0) return false;
    } else {
      const t = q / p;
      if (p < 0) { if (t > t1) return false; if (t > t0) t0 = t; }
      else { if (t < t0) return false; if (t < t1) t1 = t; }
    }
  }
  return true;
}

/** Whether a feature shows inside the frame: an edge crosses it, or (filled) it covers the frame's centre. */
function showsInFrame(f: LayerFeature, proj: Projection, r: Rect, filled: boolean): boolean {
  const lines = (f.lines ?? []).map((l) => l.map((p) => proj.px(p as Pos)));
  const rings = (f.polygons ?? []).flatMap((p) => p.map((ring) => ring.map((q) => proj.px(q as Pos))));
  for (const l of [...lines, ...rings]) for (let i = 1; i < l.length; i++) if (segmentMeetsRect(l[i - 1], l[i], r)) return true;
  return filled && rings.length > 0 && pointInRings([(r[0] + r[2]) / 2, (r[1] + r[3]) / 2], rings);
}
const overlaps = (a: Rect, b: Rect) => a[0] < b[2] && a[2] > b[0] && a[1] < b[3] && a[3] > b[1];

function niceStep(target: number, steps: number[]): number {
  for (const s of steps) if (s >= target) return s;
  return steps[steps.length - 1];
}

function dms(deg: number, pos: string, neg: string, secondsDecimals: number): string {
  const sign = deg < 0 ? neg : pos;
  let v = Math.abs(deg);
  let d = Math.floor(v);
  v = (v - d) * 60;
  let m = Math.floor(v + 1e-9);
  let s = (v - m) * 60;
  const rounded = Number(s.toFixed(secondsDecimals));
  if (rounded >= 60) { s = 0; m += 1; } else s = rounded;
  if (m >= 60) { m -= 60; d += 1; }
  return `${d}°${String(m).padStart(2, '0')}′${s.toFixed(secondsDecimals).padStart(2 + (secondsDecimals ? secondsDecimals + 1 : 0), '0')}″${sign}`;
}

// ─── the figure ───────────────────────────────────────────────────────────────────────────────────
/** Renders the map figure, or null when there is neither a site nor a bundle to draw. */
export function renderMapSvg(opts: MapOptions): MapFigure | null {
  const site = siteShapes(opts.site);
  const siteBox = bboxOfPositions(shapePositions(site));
  const bundle = opts.bundle;
  let target: BBox | null = siteBox;
  let minPad = 300;
  let padShare = 0.35;
  if (!target && bundle && opts.focusFeatureIds?.length) {
    const want = new Set(opts.focusFeatureIds);
    const feats = bundle.features.filter((f) => want.has(f.id) && f.kind !== 'boundary' && f.kind !== 'planning-zone');
    if (feats.length) target = feats.reduce<BBox>((b, f) => [Math.min(b[0], f.bbox[0]), Math.min(b[1], f.bbox[1]), Math.max(b[2], f.bbox[2]), Math.max(b[3], f.bbox[3])], [...feats[0].bbox] as BBox);
    minPad = 150;
    padShare = 0.15;
  }
  if (!target && bundle) {
    target = [...bundle.bbox] as BBox;
    minPad = 100;
    padShare = 0.03;
  }
  if (!target) return null;
  const proj = makeProjection(target, minPad, padShare);

  // Layers in the frame: each feature once (the index holds subdivided pieces), full geometry.
  const byStyle = new Map<string, { style: Style; features: LayerFeature[] }>();
  if (bundle) {
    const seen = new Set<LayerFeature>();
    for (const e of bundle.search(proj.bbox)) {
      if (seen.has(e.feature)) continue;
      seen.add(e.feature);
      const st = styleFor(e.feature);
      if (!showsInFrame(e.feature, proj, [FX, FY, FX + FW, FY + FH], !st.line && st.fill !== 'none')) continue;
      let g = byStyle.get(st.key);
      if (!g) byStyle.set(st.key, (g = { style: st, features: [] }));
      g.features.push(e.feature);
    }
  }
  const groups = [...byStyle.values()].sort((a, b) => a.style.order - b.style.order || a.style.key.localeCompare(b.style.key));

  const parts: string[] = [];
  const labels: string[] = [];
  const placed: Rect[] = [];
  const frameRect: Rect = [FX + 4, FY + 4, FX + FW - 4, FY + FH - 4];

  // Keep the site, the north arrow and the scale bar clear of labels.
  const siteShapesPx = siteBox ? [proj.px([siteBox[0], siteBox[3]]), proj.px([siteBox[2], siteBox[1]])] : null;
  if (siteShapesPx) placed.push([siteShapesPx[0][0] - 6, siteShapesPx[0][1] - 6, siteShapesPx[1][0] + 6, siteShapesPx[1][1] + 6]);
  placed.push([FX + FW - 70, FY, FX + FW, FY + 86]);
  placed.push([FX, FY + FH - 58, FX + 260, FY + FH]);

  const tryLabel = (text: string, candidates: Pos[], size: number, color: string, weight = 500): boolean => {
    const w = textWidth(text, size) + 6;
    const h = size * 1.35;
    for (const [x, y] of candidates) {
      const r: Rect = [x - w / 2, y - h / 2, x + w / 2, y + h / 2];
      if (r[0] < frameRect[0] || r[1] < frameRect[1] || r[2] > frameRect[2] || r[3] > frameRect[3]) continue;
      if (placed.some((p) => overlaps(p, r))) continue;
      placed.push(r);
      labels.push(
        `<text x="${n1(x)}" y="${n1(y + size * 0.36)}" font-size="${size}" font-weight="${weight}" fill="${color}" text-anchor="middle" class="halo">${escapeHtml(text)}</text>`,
      );
      return true;
    }
    return false;
  };

  for (const { style, features } of groups) {
    let d = '';
    if (style.line) {
      for (const f of features) for (const l of f.lines ?? []) d += ringPath(l, proj, false);
      if (!d) continue;
      parts.push(`<path d="${d}" fill="none" stroke="#ffffff" stroke-width="${style.strokeWidth + 2}" stroke-linejoin="round" stroke-linecap="round"/>`);
      parts.push(`<path d="${d}" fill="none" stroke="${style.stroke}" stroke-width="${style.strokeWidth}" stroke-linejoin="round" stroke-linecap="round"/>`);
    } else {
      for (const f of features) if (f.polygons) d += polygonsPath(f.polygons as Pos[][][], proj);
      if (!d) continue;
      parts.push(
        `<path d="${d}" fill="${style.fill}" fill-opacity="${style.fillOpacity}" fill-rule="evenodd" stroke="${style.stroke}" stroke-width="${style.strokeWidth}"${style.dash ? ` stroke-dasharray="${style.dash}"` : ''} stroke-linejoin="round"/>`,
      );
    }
  }

  // Without the site: outline the features it was found on.
  const siteParts: string[] = [];
  let focusDrawn = false;
  if (!siteBox && bundle && opts.focusFeatureIds?.length) {
    const want = new Set(opts.focusFeatureIds);
    let d = '';
    for (const g of groups) for (const f of g.features) if (want.has(f.id) && f.polygons) d += polygonsPath(f.polygons as Pos[][][], proj);
    if (d) {
      focusDrawn = true;
      siteParts.push(`<path d="${d}" fill="none" stroke="#ffffff" stroke-width="4.5" stroke-linejoin="round"/><path d="${d}" fill="none" stroke="#b71c1c" stroke-width="2" stroke-dasharray="7 3" stroke-linejoin="round"/>`);
    }
  }
  if (site.polygons.length) {
    const d = polygonsPath(site.polygons, proj);
    siteParts.push(`<path d="${d}" fill="#d50000" fill-opacity="0.22" fill-rule="evenodd" stroke="#ffffff" stroke-width="5.5" stroke-linejoin="round"/>`);
    siteParts.push(`<path d="${d}" fill="none" stroke="#d50000" stroke-width="2.6" stroke-linejoin="round"/>`);
  }
  if (site.lines.length) {
    let d = '';
    for (const l of site.lines) d += ringPath(l, proj, false);
    const wPx = Math.max(3, (opts.corridorWidthM ?? 0) / proj.metresPerPx);
    siteParts.push(`<path d="${d}" fill="none" stroke="#ffffff" stroke-width="${n1(wPx + 4)}" stroke-linejoin="round" stroke-linecap="round"/>`);
    siteParts.push(`<path d="${d}" fill="none" stroke="#d50000" stroke-opacity="0.45" stroke-width="${n1(wPx)}" stroke-linejoin="round" stroke-linecap="round"/>`);
    siteParts.push(`<path d="${d}" fill="none" stroke="#d50000" stroke-width="1.4" stroke-dasharray="6 3"/>`);
  }
  for (const p of site.points) {
    const [x, y] = proj.px(p);
    siteParts.push(
      `<circle cx="${n1(x)}" cy="${n1(y)}" r="9" fill="#ffffff" stroke="#d50000" stroke-width="2.6"/><circle cx="${n1(x)}" cy="${n1(y)}" r="3.2" fill="#d50000"/>`,
    );
  }

  // Labels: the site first, then each style group once, on its largest visible feature.
  if (siteBox) {
    const [a, b] = [proj.px([siteBox[0], siteBox[3]]), proj.px([siteBox[2], siteBox[1]])];
    const cx = (a[0] + b[0]) / 2;
    const cands: Pos[] = [[cx, a[1] - 16], [cx, b[1] + 18], [b[0] + 44, (a[1] + b[1]) / 2], [a[0] - 44, (a[1] + b[1]) / 2], [cx, a[1] - 40], [cx, b[1] + 42]];
    placed.shift();
    tryLabel('项目用地', cands, 15, '#b71c1c', 700);
    placed.push([a[0] - 6, a[1] - 6, b[0] + 6, b[1] + 6]);
  }
  const clipToFrame = (b: BBox): Rect | null => {
    const p1 = proj.px([b[0], b[3]]);
    const p2 = proj.px([b[2], b[1]]);
    const r: Rect = [Math.max(p1[0], frameRect[0]), Math.max(p1[1], frameRect[1]), Math.min(p2[0], frameRect[2]), Math.min(p2[1], frameRect[3])];
    return r[2] > r[0] && r[3] > r[1] ? r : null;
  };
  // Larger areas label first (they have room), small ones later.
  const labelOrder = [...groups].filter((g) => g.style.labelled).sort((a, b) => b.style.order - a.style.order);
  for (const { style, features } of labelOrder) {
    const size = 12.5;
    const color = style.line ? '#5d4037' : darken(style.stroke);
    if (style.line) {
      // Roads: the name at the middle of the longest visible stretch.
      for (const f of features) {
        const name = typeof f.properties.name === 'string' ? `${f.properties.name}` : style.label;
        const pts = (f.lines ?? []).flat().map((p) => proj.px(p)).filter(([x, y]) => x > frameRect[0] + 30 && x < frameRect[2] - 30 && y > frameRect[1] + 12 && y < frameRect[3] - 12);
        if (pts.length < 1) continue;
        const mid = Math.floor(pts.length / 2);
        const cands: Pos[] = [pts[mid], pts[Math.floor(pts.length / 4)], pts[Math.floor((3 * pts.length) / 4)], pts[0], pts[pts.length - 1]]
          .filter(Boolean)
          .flatMap(([x, y]) => [[x, y - 10], [x, y + 12]] as Pos[]);
        tryLabel(name, cands, 10.5, color);
      }
      continue;
    }
    const ranked = features
      .map((f) => ({ f, r: clipToFrame(f.bbox as BBox) }))
      .filter((x): x is { f: LayerFeature; r: Rect } => !!x.r)
      .sort((a, b) => (b.r[2] - b.r[0]) * (b.r[3] - b.r[1]) - (a.r[2] - a.r[0]) * (a.r[3] - a.r[1]));
    for (const { f, r } of ranked.slice(0, 6)) {
      const ringsPx = (f.polygons ?? []).flatMap((p) => p.map((ring) => ring.map((q) => proj.px(q as Pos))));
      const cx = (r[0] + r[2]) / 2;
      const cy = (r[1] + r[3]) / 2;
      const cands: Pos[] = [];
      const N = 9;
      for (let i = 0; i <= N; i++) for (let j = 0; j <= N; j++) cands.push([r[0] + ((r[2] - r[0]) * i) / N, r[1] + ((r[3] - r[1]) * j) / N]);
      const inside = cands.filter((p) => pointInRings(p, ringsPx)).sort((a, b) => Math.hypot(a[0] - cx, a[1] - cy) - Math.hypot(b[0] - cx, b[1] - cy));
      if (tryLabel(style.label, inside, size, color)) break;
    }
  }

  // Graticule ticks and labels on the frame.
  const grat: string[] = [];
  const spanLon = proj.bbox[2] - proj.bbox[0];
  const stepsDeg = [1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s / 3600);
  const step = niceStep(spanLon / 4, stepsDeg);
  const secDec = 0;
  for (let lon = Math.ceil(proj.bbox[0] / step) * step; lon <= proj.bbox[2]; lon += step) {
    const [x] = proj.px([lon, proj.center[1]]);
    if (x < FX + 30 || x > FX + FW - 30) continue;
    grat.push(`<line x1="${n1(x)}" y1="${FY}" x2="${n1(x)}" y2="${FY + 7}"/><line x1="${n1(x)}" y1="${FY + FH}" x2="${n1(x)}" y2="${FY + FH - 7}"/>`);
    grat.push(`<text x="${n1(x)}" y="${FY - 7}" text-anchor="middle" class="grat">${dms(lon, 'E', 'W', secDec)}</text>`);
    grat.push(`<text x="${n1(x)}" y="${FY + FH + 16}" text-anchor="middle" class="grat">${dms(lon, 'E', 'W', secDec)}</text>`);
  }
  for (let lat = Math.ceil(proj.bbox[1] / step) * step; lat <= proj.bbox[3]; lat += step) {
    const [, y] = proj.px([proj.center[0], lat]);
    if (y < FY + 30 || y > FY + FH - 30) continue;
    grat.push(`<line x1="${FX}" y1="${n1(y)}" x2="${FX + 7}" y2="${n1(y)}"/><line x1="${FX + FW}" y1="${n1(y)}" x2="${FX + FW - 7}" y2="${n1(y)}"/>`);
    grat.push(`<text x="${FX - 8}" y="${n1(y)}" text-anchor="middle" class="grat" transform="rotate(-90 ${FX - 8} ${n1(y)})">${dms(lat, 'N', 'S', secDec)}</text>`);
  }

  // Scale bar: a round length near a quarter of the frame, in four alternating segments.
  const sbTarget = (FW * proj.metresPerPx) / 4;
  const pow = Math.pow(10, Math.floor(Math.log10(sbTarget)));
  const lenM = [1, 2, 2.5, 5, 10].map((k) => k * pow).filter((v) => v <= sbTarget).pop() ?? pow;
  const lenPx = lenM / proj.metresPerPx;
  const sbX = FX + 18;
  const sbY = FY + FH - 24;
  const unit = (m: number) => (lenM >= 1000 ? `${+(m / 1000).toFixed(2)}` : `${+m.toFixed(1)}`);
  const sb: string[] = [`<rect x="${sbX - 10}" y="${sbY - 24}" width="${n1(lenPx + 20 + 40)}" height="40" fill="#ffffff" fill-opacity="0.88" stroke="#9e9e9e" stroke-width="0.6"/>`];
  for (let i = 0; i < 4; i++) {
    sb.push(`<rect x="${n1(sbX + (lenPx * i) / 4)}" y="${sbY}" width="${n1(lenPx / 4)}" height="6" fill="${i % 2 ? '#ffffff' : '#212121'}" stroke="#212121" stroke-width="0.8"/>`);
  }
  for (const i of [0, 2, 4]) sb.push(`<text x="${n1(sbX + (lenPx * i) / 4)}" y="${sbY - 5}" text-anchor="middle" font-size="10.5">${unit((lenM * i) / 4)}</text>`);
  sb.push(`<text x="${n1(sbX + lenPx + 8)}" y="${sbY + 7}" font-size="10.5">${lenM >= 1000 ? '千米' : '米'}</text>`);

  // North arrow (the projection keeps north up).
  const nx = FX + FW - 36;
  const ny = FY + 22;
  const north =
    `<g class="north"><circle cx="${nx}" cy="${ny + 26}" r="24" fill="#ffffff" fill-opacity="0.88" stroke="#9e9e9e" stroke-width="0.6"/>` +
    `<path d="M${nx} ${ny + 6}L${nx + 9} ${ny + 40}L${nx} ${ny + 33}Z" fill="#212121"/><path d="M${nx} ${ny + 6}L${nx - 9} ${ny + 40}L${nx} ${ny + 33}Z" fill="#ffffff" stroke="#212121" stroke-width="1"/>` +
    `<text x="${nx}" y="${ny + 2}" text-anchor="middle" font-size="13" font-weight="700">北</text></g>`;

  // Legend: the site, then every style drawn in the frame.
  const legendItems: { swatch: string; label: string }[] = [];
  if (site.polygons.length) legendItems.push({ swatch: `<rect x="0" y="0" width="30" height="16" fill="#d50000" fill-opacity="0.22" stroke="#d50000" stroke-width="2.4"/>`, label: '项目用地' });
  if (site.lines.length) legendItems.push({ swatch: `<line x1="0" y1="8" x2="30" y2="8" stroke="#d50000" stroke-opacity="0.45" stroke-width="8"/><line x1="0" y1="8" x2="30" y2="8" stroke="#d50000" stroke-width="1.4" stroke-dasharray="6 3"/>`, label: '项目用地（线性工程）' });
  if (focusDrawn) legendItems.push({ swatch: `<rect x="1" y="1" width="28" height="14" fill="none" stroke="#b71c1c" stroke-width="2" stroke-dasharray="5 2"/>`, label: '用地所涉图斑' });
  if (site.points.length) legendItems.push({ swatch: `<circle cx="15" cy="8" r="7" fill="#ffffff" stroke="#d50000" stroke-width="2.4"/><circle cx="15" cy="8" r="2.6" fill="#d50000"/>`, label: '项目位置（点）' });
  for (const { style } of [...groups].sort((a, b) => b.style.order - a.style.order)) {
    const swatch = style.line
      ? `<line x1="0" y1="8" x2="30" y2="8" stroke="#ffffff" stroke-width="${style.strokeWidth + 2}"/><line x1="0" y1="8" x2="30" y2="8" stroke="${style.stroke}" stroke-width="${style.strokeWidth}"/>`
      : `<rect x="0.5" y="0.5" width="29" height="15" fill="${style.fill}" fill-opacity="${style.fillOpacity}" stroke="${style.stroke}" stroke-width="${Math.min(style.strokeWidth, 2)}"${style.dash ? ` stroke-dasharray="${style.dash.split(' ').map((v) => Math.max(1, Number(v) / 2)).join(' ')}"` : ''}/>`;
    legendItems.push({ swatch, label: style.label });
  }
  const rowH = Math.min(24, (FH - 40) / Math.max(legendItems.length, 1));
  const legend: string[] = [
    `<rect x="${LX}" y="${FY}" width="${LW}" height="${FH}" fill="#ffffff" stroke="#424242" stroke-width="0.8"/>`,
    `<text x="${LX + LW / 2}" y="${FY + 24}" text-anchor="middle" font-size="15" font-weight="700" letter-spacing="6">图例</text>`,
  ];
  legendItems.forEach((it, i) => {
    const y = FY + 40 + i * rowH;
    const scale = Math.min(1, rowH / 22);
    legend.push(`<g transform="translate(${LX + 12} ${n1(y)}) scale(${scale.toFixed(3)})">${it.swatch}</g>`);
    legend.push(`<text x="${LX + 12 + 38 * scale}" y="${n1(y + 12 * scale)}" font-size="${Math.min(12, 12 * scale + 1).toFixed(1)}">${escapeHtml(it.label)}</text>`);
  });

  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" class="map" role="img" aria-label="项目用地与管控图层叠加示意图" font-family="'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif">` +
    `<defs>${PATTERNS.map((p) => p.svg).join('')}<clipPath id="map-frame"><rect x="${FX}" y="${FY}" width="${FW}" height="${FH}"/></clipPath>` +
    `<style>.halo{paint-order:stroke;stroke:#fff;stroke-width:3.2px;stroke-linejoin:round}.grat{font-size:10px;fill:#424242}.grid line{stroke:#424242;stroke-width:0.8}</style></defs>` +
    `<rect x="${FX}" y="${FY}" width="${FW}" height="${FH}" fill="#fbfbf8"/>` +
    `<g clip-path="url(#map-frame)">${parts.join('')}${siteParts.join('')}${labels.join('')}</g>` +
    `<rect x="${FX}" y="${FY}" width="${FW}" height="${FH}" fill="none" stroke="#212121" stroke-width="1.4"/>` +
    `<rect x="${FX - 3}" y="${FY - 3}" width="${FW + 6}" height="${FH + 6}" fill="none" stroke="#212121" stroke-width="0.5"/>` +
    `<g class="grid">${grat.join('')}</g>${sb.join('')}${north}${legend.join('')}</svg>`;

  return {
    svg,
    extentM: [FW * proj.metresPerPx, FH * proj.metresPerPx],
    center: proj.center,
    legend: legendItems.map((i) => i.label),
    siteDrawn: !!siteBox,
  };
}

/** A darker shade of a #rrggbb colour, for label text on its own fill. */
function darken(hex: string): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return '#333333';
  const v = parseInt(m[1], 16);
  const f = (c: number) => Math.round(c * 0.62).toString(16).padStart(2, '0');
  return `#${f(v >> 16)}${f((v >> 8) & 255)}${f(v & 255)}`;
}
