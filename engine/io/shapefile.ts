/**
 * Zipped Shapefiles (.shp + .dbf, .prj and .cpg when present), read with fflate and a small
 * .shp/.dbf parser of our own: shpjs reprojects through proj4's WKT parser with no way to report a
 * bad .prj, and its Node build needs node:zlib; this reader runs unchanged in Workers and
 * browsers. Polygons, polylines and points; Z/M ordinates dropped. Ring roles come from nesting
 * (a ring inside an odd number of rings is a hole), so files with the wrong ring orientation read
 * correctly. One record → one parcel; the .dbf gives 地块编号 / 地块名称 / 地块面积 when it has them.
 */
import { unzipSync } from 'fflate/browser'; // pure JS build: the same in Node, Workers and browsers
import { decodeWith } from './decode-text.js';
import { fileError, IssueCollector } from './errors.js';
import { guessTransform, transformFromPrj, type CoordTransform } from './crs.js';
import { areaCheck, areaHaOf, combineParcels, orientPolygon } from './polygons.js';
import type { LonLat, SiteFileOptions, SiteFileResult, SiteFileWarning, SiteGeometry, SiteParcel } from './types.js';

/** Inflated size limit of the zip's members we read (a zip bomb stops here). */
const MAX_INFLATED = 256 * 1024 * 1024;

type XY = [number, number];
type ShpRecord =
  | { kind: 'point'; index: number; p: XY }
  | { kind: 'line'; index: number; parts: XY[][] }
  | { kind: 'polygon'; index: number; parts: XY[][] };

export function readShapefileZip(bytes: Uint8Array, opts: SiteFileOptions = {}): SiteFileResult {
  let files: Record<string, Uint8Array>;
  let total = 0;
  try {
    files = unzipSync(bytes, {
      filter: (f) => {
        if (f.name.includes('__MACOSX/') || !/\.(shp|dbf|prj|cpg)$/i.test(f.name)) return false;
        total += f.originalSize;
        if (total > MAX_INFLATED) throw new Error(`解压后超过 ${MAX_INFLATED / 1048576} MiB`);
        return true;
      },
    });
  } catch (e) {
    return fileError('/file', `zip 文件无法解压：${(e as Error).message}`);
  }
  const names = Object.keys(files);
  const shps = names.filter((n) => /\.shp$/i.test(n));
  if (shps.length === 0) return fileError('/file', 'zip 中没有 .shp 文件');
  if (shps.length > 1) return fileError('/file', `zip 中有 ${shps.length} 个 .shp 图层（${shps.join('、')}）：每次只能上传一个图层`);
  const base = shps[0].slice(0, -4);
  const member = (ext: string) => names.find((n) => n.slice(0, -4) === base && n.slice(-4).toLowerCase() === ext);
  const dbfName = member('.dbf');
  const prjName = member('.prj');
  const cpgName = member('.cpg');
  const warnings: SiteFileWarning[] = [];

  const records = parseShp(files[shps[0]]);
  const cpg = cpgName ? new TextDecoder().decode(files[cpgName]).trim() : null;
  const rows = dbfName ? parseDbf(files[dbfName], cpg) : [];

  let tr: CoordTransform;
  if (prjName) {
    const t = transformFromPrj(decodeWith(null, files[prjName]));
    if (typeof t === 'string') return fileError('/file/prj', t);
    tr = t;
  } else {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const r of records) for (const p of r.kind === 'point' ? [r.p] : r.parts.flat()) {
      xs.push(p[0]);
      ys.push(p[1]);
    }
    const g = guessTransform(xs, ys, opts);
    if (typeof g === 'string') return fileError('/file/prj', `zip 中没有 .prj 文件，且${g}`);
    tr = g;
    if (g.crs.kind === 'geographic') warnings.push({ code: 'crs-assumed', message: 'zip 中没有 .prj 文件：坐标按 CGCS2000 经纬度读取' });
  }
  warnings.push(...tr.warnings);

  const issues = new IssueCollector();
  const conv = (p: XY, index: number): LonLat => {
    const r = tr.toLonLat(p[0], p[1]);
    if (typeof r === 'string') {
      issues.at(`/file/shp/record/${index + 1}`, `第 ${index + 1} 条记录：${r}`);
      return [NaN, NaN];
    }
    return r;
  };
  const parcels: SiteParcel[] = [];
  for (const r of records) {
    let geometry: SiteGeometry;
    if (r.kind === 'point') geometry = { type: 'Point', coordinates: conv(r.p, r.index) };
    else if (r.kind === 'line') {
      const lines = r.parts.map((l) => l.map((p) => conv(p, r.index)));
      geometry = lines.length === 1 ? { type: 'LineString', coordinates: lines[0] } : { type: 'MultiLineString', coordinates: lines };
    } else {
      const polys = assemblePolygons(r.parts).map((rings) => {
        const open = rings.map((ring) => ring.map((p) => conv(p, r.index)));
        return orientPolygon(open, open.map((x) => x.map(() => 0))).rings;
      });
      if (polys.length === 0) {
        issues.at(`/file/shp/record/${r.index + 1}`, `第 ${r.index + 1} 条记录：多边形没有有效的环`);
        continue;
      }
      geometry = polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys };
    }
    const row = rows[r.index] ?? {};
    const pick = (...keys: string[]) => {
      for (const k of keys) for (const [name, v] of Object.entries(row)) if (name.toUpperCase() === k.toUpperCase() && v !== '') return v;
      return undefined;
    };
    const id = pick('地块编号', 'DKBH', 'ID', 'BH');
    const name = pick('地块名称', 'DKMC', 'NAME', 'MC', '名称');
    const declared = pick('地块面积');
    const declaredAreaHa = declared !== undefined && Number.isFinite(Number(declared)) ? Number(declared) : null;
    parcels.push({ id: id ?? String(r.index + 1), name: name ?? null, declaredAreaHa, computedAreaHa: null, geometry });
  }
  issues.throwIfAny();
  if (parcels.length === 0) return fileError('/file/shp', '.shp 中没有几何对象');
  if (records.length < countRecords(files[shps[0]])) warnings.push({ code: 'null-shape', message: '.shp 中有空几何记录，已忽略' });
  for (const p of parcels) {
    p.computedAreaHa = areaHaOf(p.geometry);
    if (p.computedAreaHa !== null && p.declaredAreaHa !== null) {
      const m = areaCheck(p.declaredAreaHa, String(p.declaredAreaHa), p.computedAreaHa, null);
      if (m) warnings.push({ code: 'area-mismatch', message: `地块 ${p.id}${p.name ? `（${p.name}）` : ''}${m}` });
    }
  }
  const geometry = combineParcels(parcels);
  if (!geometry) return fileError('/file/shp', '图层中的几何类型不一致，或有多个点：无法合成一个用地');
  return { geometry, parcels, warnings: warnings.map((w) => w.message), warningItems: warnings, format: 'shapefile', crs: tr.crs };
}

function countRecords(shp: Uint8Array): number {
  const dv = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  let n = 0;
  for (let o = 100; o + 8 <= shp.byteLength; n++) o += 8 + dv.getInt32(o + 4, false) * 2;
  return n;
}

/** The records of a .shp (null shapes skipped). */
export function parseShp(shp: Uint8Array): ShpRecord[] {
  const dv = new DataView(shp.buffer, shp.byteOffset, shp.byteLength);
  if (shp.byteLength < 100 || dv.getInt32(0, false) !== 9994) return fileError('/file/shp', '.shp 文件头无效（不是 Shapefile）');
  const type = dv.getInt32(32, true);
  if ([8, 18, 28, 31].includes(type)) return fileError('/file/shp', `不支持的 Shapefile 几何类型 ${type}（多点或多面体）`);
  const out: ShpRecord[] = [];
  let o = 100;
  let index = 0;
  const bad = (msg: string): never => fileError(`/file/shp/record/${index + 1}`, `.shp 第 ${index + 1} 条记录：${msg}`);
  while (o + 8 <= shp.byteLength) {
    const len = dv.getInt32(o + 4, false) * 2;
    const c = o + 8;
    if (len < 4 || c + len > shp.byteLength) bad('记录长度超出文件');
    const st = dv.getInt32(c, true);
    const need = (n: number) => {
      if (n > len) bad('记录内容不完整');
    };
    if (st === 0) {
      // null shape
    } else if (st === 1 || st === 11 || st === 21) {
      need(20);
      out.push({ kind: 'point', index, p: [dv.getFloat64(c + 4, true), dv.getFloat64(c + 12, true)] });
    } else if ([3, 13, 23, 5, 15, 25].includes(st)) {
      need(44);
      const nParts = dv.getInt32(c + 36, true);
      const nPoints = dv.getInt32(c + 40, true);
      if (nParts < 1 || nPoints < 1) bad('没有坐标');
      need(44 + 4 * nParts + 16 * nPoints);
      const starts: number[] = [];
      for (let k = 0; k < nParts; k++) starts.push(dv.getInt32(c + 44 + 4 * k, true));
      const pts = c + 44 + 4 * nParts;
      const parts: XY[][] = [];
      for (let k = 0; k < nParts; k++) {
        const a = starts[k];
        const b = k + 1 < nParts ? starts[k + 1] : nPoints;
        if (a < 0 || b > nPoints || a >= b) bad('部件索引无效');
        const part: XY[] = [];
        for (let q = a; q < b; q++) part.push([dv.getFloat64(pts + 16 * q, true), dv.getFloat64(pts + 16 * q + 8, true)]);
        parts.push(part);
      }
      for (const part of parts) for (const p of part) if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) bad('坐标不是有限数值');
      out.push({ kind: st % 10 === 3 ? 'line' : 'polygon', index, parts });
    } else {
      bad(`不支持的几何类型 ${st}`);
    }
    o = c + len;
    index += 1;
  }
  return out;
}

/** The rows of a .dbf as strings keyed by field name (trimmed). */
export function parseDbf(dbf: Uint8Array, cpg: string | null): Record<string, string>[] {
  if (dbf.byteLength < 32) return [];
  const dv = new DataView(dbf.buffer, dbf.byteOffset, dbf.byteLength);
  const n = dv.getUint32(4, true);
  const headerLen = dv.getUint16(8, true);
  const recLen = dv.getUint16(10, true);
  const fields: { name: string; offset: number; length: number }[] = [];
  let offset = 1;
  for (let o = 32; o + 32 <= headerLen && dbf[o] !== 0x0d; o += 32) {
    let end = o;
    while (end < o + 11 && dbf[end] !== 0) end++;
    const length = dbf[o + 16];
    fields.push({ name: decodeWith(cpg, dbf.subarray(o, end)).trim(), offset, length });
    offset += length;
  }
  const rows: Record<string, string>[] = [];
  for (let r = 0; r < n; r++) {
    const base = headerLen + r * recLen;
    if (base + recLen > dbf.byteLength) break;
    const row: Record<string, string> = {};
    for (const f of fields) row[f.name] = decodeWith(cpg, dbf.subarray(base + f.offset, base + f.offset + f.length)).replace(/\0/g, '').trim();
    rows.push(row);
  }
  return rows;
}

/** Rings → polygons by nesting: a ring inside an odd number of rings is a hole of the innermost. */
function assemblePolygons(rings: XY[][]): XY[][][] {
  const open = rings
    .map((r) => (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r.slice(0, -1) : r))
    .filter((r) => r.length >= 3);
  const area = open.map((r) => Math.abs(planarArea2(r)));
  const order = open.map((_, i) => i).sort((a, b) => area[b] - area[a]);
  const parent: number[] = new Array(open.length).fill(-1);
  const depth: number[] = new Array(open.length).fill(0);
  for (const i of order) {
    // innermost larger ring containing it
    let best = -1;
    for (const j of order) {
      if (j === i || area[j] <= area[i]) continue;
      if (containsRing(open[j], open[i]) && (best === -1 || area[j] < area[best])) best = j;
    }
    parent[i] = best;
    depth[i] = best === -1 ? 0 : depth[best] + 1;
  }
  // in file order: outer rings first, then each hole to its outer ring
  const polys = new Map<number, XY[][]>();
  open.forEach((r, i) => {
    if (depth[i] % 2 === 0) polys.set(i, [r]);
  });
  open.forEach((r, i) => {
    if (depth[i] % 2 === 1) polys.get(parent[i])?.push(r);
  });
  return [...polys.values()];
}

function planarArea2(r: XY[]): number {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return s;
}

/** Whether `inner` lies in `outer`: a majority of its vertices (up to 15 sampled) inside, so a few touching vertices do not decide. */
function containsRing(outer: XY[], inner: XY[]): boolean {
  const step = Math.max(1, Math.floor(inner.length / 15));
  let yes = 0;
  let no = 0;
  for (let k = 0; k < inner.length; k += step) {
    if (inside(inner[k], outer)) yes++;
    else no++;
  }
  return yes > no;
}

function inside(p: XY, ring: XY[]): boolean {
  let c = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if ((a[1] > p[1]) !== (b[1] > p[1]) && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) c = !c;
  }
  return c;
}
