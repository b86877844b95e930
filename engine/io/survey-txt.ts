/**
 * Reader of the 界址点坐标 TXT exchange format (建设用地报批 / 用地预审):
 *
 *   [属性描述]
 *   格式版本号=1.01版本
 *   坐标系=2000国家大地坐标系
 *   几度分带=3
 *   投影类型=高斯克吕格
 *   计量单位=米
 *   带号=38
 *   精度=0.001
 *   [地块坐标]
 *   5,0.9512,1,厂区,面,,工业用地,0601,@
 *   J1,1,2977602.118,38460117.031      ← 点号,圈号,X(北),Y(东, with or without the zone prefix)
 *   …
 *
 * 圈号 1 is the outer ring, 2, 3… holes. Tolerated: 【】 or ［］ brackets, full-width commas, =, @
 * and digits, a closing point repeated or not, blank lines, trailing spaces, CR/LF/CRLF, point lines
 * with extra columns after Y (高程, 备注…: read with a warning, unless an extra column also looks like
 * a coordinate, which makes X/Y ambiguous). Every problem is collected with its line and field
 * (`第 12 行：Y 坐标不是数值`, path /file/line/12/Y). Parcels that overlap or share an edge are
 * merged into one site with a warning naming them (地块编号, 名称, line).
 */
import { ellipsoidalArea, normalizeSite } from '../geometry/index.js';
import { round9 } from './crs.js';
import { IssueCollector } from './errors.js';
import { centralMeridian, epsgOf, gkProjector, impliedWidth, validZone, type GkZone, type ZoneWidth } from './gauss-kruger.js';
import { areaCheck, orientPolygon } from './polygons.js';
import type { LonLat, SiteFileOptions, SiteFileResult, SiteFileWarning, SiteGeometry, SiteParcel } from './types.js';

interface HeaderEntry { value: string; line: number }
interface RawPoint { name: string; ring: number; x: number; y: number; line: number }
interface RawParcel {
  line: number;
  count: number | null;
  areaHa: number | null;
  areaText: string;
  id: string;
  name: string | null;
  points: RawPoint[];
}

const SECTION = /^[[【［]\s*([^\]】］]*?)\s*[\]】］]$/;

/** Full-width digits, point, signs → ASCII; spaces removed (for numeric fields). */
export function asciiNumber(s: string): string {
  return s
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xff10 + 48))
    .replace(/[．。]/g, '.')
    .replace(/[－−]/g, '-')
    .replace(/＋/g, '+')
    .replace(/[\s\u3000]/g, '');
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** The fields of a point line, in order. */
const POINT_FIELDS = ['点号', '圈号', 'X', 'Y'] as const;
/** An extra field at least this large (m) could be a northing or easting: X/Y become ambiguous. */
const COORDINATE_MAGNITUDE = 1e5;

function parseNumber(s: string): number {
  const t = asciiNumber(s);
  return NUMBER.test(t) ? Number(t) : NaN;
}

function parseInteger(s: string): number {
  const t = asciiNumber(s);
  return /^\d+$/.test(t) ? Number(t) : NaN;
}

export function readSurveyTxt(text: string, opts: SiteFileOptions = {}): SiteFileResult {
  const issues = new IssueCollector();
  const warnings: SiteFileWarning[] = [];
  const warn = (code: SiteFileWarning['code'], message: string) => warnings.push({ code, message });
  const header = new Map<string, HeaderEntry>();
  const parcels: RawParcel[] = [];
  const extraFieldLines: { line: number; count: number }[] = [];
  let section: 'none' | 'header' | 'coords' | 'other' = 'none';
  let sawCoordsSection = false;

  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const ln = i + 1;
    const line = lines[i].replace(/\u3000/g, ' ').trim();
    if (!line) continue;
    const sec = SECTION.exec(line);
    if (sec) {
      const name = sec[1].replace(/\s/g, '');
      if (name === '属性描述') section = 'header';
      else if (name === '地块坐标') {
        section = 'coords';
        sawCoordsSection = true;
      } else {
        section = 'other';
        warn('unknown-section', `第 ${ln} 行：未知的节「${sec[1]}」，其内容已忽略`);
      }
      continue;
    }
    const fields = line.split(/[,，]/).map((f) => f.trim());
    // a parcel line ends with "@"; some writers drop it, but its 图形属性 (5th field) still says 面/线/点
    const isParcelLine = /[@＠]$/.test(line) || (fields.length >= 7 && /^(面|线|点)$/.test(fields[4]));
    if (section === 'none') {
      if (isParcelLine) {
        section = 'coords';
        warn('missing-section', `第 ${ln} 行：缺少 [地块坐标] 节标题，按地块坐标读取`);
      } else if (/[=＝]/.test(line)) {
        section = 'header';
        warn('missing-section', `第 ${ln} 行：缺少 [属性描述] 节标题，按属性描述读取`);
      } else {
        issues.line(ln, undefined, '应为节标题 [属性描述] 或 [地块坐标]');
        continue;
      }
    }
    if (section === 'other') continue;
    if (section === 'header') {
      const m = /^([^=＝]+)[=＝](.*)$/.exec(line);
      if (!m) {
        warn('ignored-line', `第 ${ln} 行：属性描述应为「键=值」，此行已忽略`);
        continue;
      }
      header.set(m[1].replace(/\s/g, ''), { value: m[2].trim(), line: ln });
      continue;
    }
    // [地块坐标]
    if (isParcelLine) {
      parcels.push(readParcelLine(fields, ln, parcels.length + 1, issues));
      continue;
    }
    const parcel = parcels[parcels.length - 1];
    if (!parcel) {
      issues.line(ln, undefined, '坐标行之前缺少地块行（界址点数,地块面积,地块编号,地块名称,图形属性,图幅号,地块用途,地类编码,@）');
      continue;
    }
    if (fields.length < 4) {
      const missing = POINT_FIELDS.slice(fields.length);
      issues.line(ln, missing[0], `坐标行缺少字段 ${missing.join('、')}：应有 4 个字段（点号,圈号,X,Y），实际 ${fields.length} 个`);
      continue;
    }
    if (fields.length > 4 && fields.slice(4).some((f) => f !== '')) {
      // Extra columns after Y (高程, 备注…) are ignored, unless one of them could itself be a
      // coordinate: then which two fields are X and Y cannot be told. (Trailing commas are no columns.)
      const extra = fields.slice(4);
      const k = extra.findIndex((f) => Math.abs(parseNumber(f)) >= COORDINATE_MAGNITUDE);
      if (k >= 0) {
        issues.line(ln, 'Y', `坐标行有 ${fields.length} 个字段，第 ${k + 5} 个字段「${extra[k]}」也像坐标值，无法确定 X、Y 是哪两个字段：应为 点号,圈号,X,Y`);
        continue;
      }
      extraFieldLines.push({ line: ln, count: fields.length });
    }
    const ring = parseInteger(fields[1]);
    const x = parseNumber(fields[2]);
    const y = parseNumber(fields[3]);
    let ok = true;
    if (!Number.isInteger(ring) || ring < 1) {
      issues.line(ln, '圈号', `圈号「${fields[1]}」不是正整数`);
      ok = false;
    }
    if (!Number.isFinite(x)) {
      issues.line(ln, 'X', fields[2] ? `X 坐标「${fields[2]}」不是数值` : 'X 坐标为空');
      ok = false;
    }
    if (!Number.isFinite(y)) {
      issues.line(ln, 'Y', fields[3] ? `Y 坐标「${fields[3]}」不是数值` : 'Y 坐标为空');
      ok = false;
    }
    if (ok) parcel.points.push({ name: fields[0], ring, x, y, line: ln });
  }
  if (!sawCoordsSection && parcels.length === 0 && issues.issues.length === 0) {
    issues.at('/file', '文件中没有 [地块坐标] 节，也没有地块');
  } else if (parcels.length === 0 && issues.issues.length === 0) {
    issues.at('/file', '[地块坐标] 节中没有地块');
  }
  issues.throwIfAny();
  if (extraFieldLines.length) {
    const shown = extraFieldLines.slice(0, 5).map((x) => x.line).join('、');
    const more = extraFieldLines.length > 5 ? `等 ${extraFieldLines.length} 个坐标行` : '';
    const counts = [...new Set(extraFieldLines.map((x) => x.count))].sort((a, b) => a - b).join('、');
    warn('extra-fields', `第 ${shown} 行${more}：坐标行有 ${counts} 个字段，多于 4 个（点号,圈号,X,Y）；已按前 4 个字段读取，其余字段已忽略`);
  }

  // ── coordinate system ──
  const zone = resolveZone(header, parcels, opts, issues, warn);
  checkHeader(header, issues, warn);
  issues.throwIfAny();
  const z = zone!;
  const proj = gkProjector(z.zone);

  // ── rings ──
  const out: SiteParcel[] = [];
  const outLines: number[] = [];
  const lineMaps: number[][][] = [];
  let anyPrefixed = false;
  for (const p of parcels) {
    if (p.points.length === 0) {
      issues.line(p.line, '界址点数', `地块 ${p.id} 没有坐标行`);
      continue;
    }
    const runs: RawPoint[][] = [];
    const seen = new Set<number>();
    for (const pt of p.points) {
      const last = runs[runs.length - 1];
      if (last && last[0].ring === pt.ring) last.push(pt);
      else {
        if (seen.has(pt.ring)) issues.line(pt.line, '圈号', `圈号 ${pt.ring} 不连续：同一圈的界址点应连续排列`);
        seen.add(pt.ring);
        runs.push([pt]);
      }
    }
    if (!seen.has(1)) issues.line(runs[0][0].line, '圈号', `地块 ${p.id} 缺少外圈（圈号 1）`);
    else if (runs[0][0].ring !== 1) issues.line(runs[0][0].line, '圈号', `地块 ${p.id} 的第一圈应为外圈（圈号 1）`);

    // project every point; eastings lose their zone prefix
    const planar: { e: number; n: number; line: number }[][] = [];
    let closedRuns = 0;
    for (const run of runs) {
      const before = issues.issues.length;
      const pts: { e: number; n: number; line: number }[] = [];
      for (const pt of run) {
        const r = toPlanar(pt, z.zone.zone, issues);
        if (r) {
          if (r.prefixed) anyPrefixed = true;
          pts.push({ e: r.e, n: r.n, line: pt.line });
        }
      }
      if (pts.length > 1) {
        const a = pts[0];
        const b = pts[pts.length - 1];
        if (Math.abs(a.e - b.e) <= 0.001 && Math.abs(a.n - b.n) <= 0.001) {
          pts.pop();
          closedRuns += 1;
        }
      }
      const distinct = new Set(pts.map((q) => `${q.e},${q.n}`)).size;
      if (distinct < 3 && issues.issues.length === before) {
        issues.line(run[0].line, '圈号', `地块 ${p.id} 第 ${run[0].ring} 圈只有 ${distinct} 个不同的界址点（至少 3 个）`);
      }
      planar.push(pts);
    }
    if (issues.issues.length) continue;
    // holes must lie in the outer ring
    for (let k = 1; k < planar.length; k++) {
      const outside = planar[k].find((q) => pointInRing(q.e, q.n, planar[0]) < 0);
      if (outside) issues.line(outside.line, '圈号', `地块 ${p.id} 的内圈（圈号 ${runs[k][0].ring}）有界址点位于外圈之外`);
    }
    if (p.count !== null) {
      const n = p.points.length;
      if (p.count !== n && p.count !== n + (runs.length - closedRuns) && p.count !== n - closedRuns) {
        warn('point-count-mismatch', `第 ${p.line} 行：地块 ${p.id} 声明界址点数 ${p.count}，实际读到 ${n} 个坐标行`);
      }
    }
    // to lon/lat, RFC 7946 orientation, closed
    const rings: LonLat[][] = [];
    const lineMap: number[][] = [];
    for (const pts of planar) {
      rings.push(pts.map((q) => round9(proj.inverse(q.e, q.n))));
      lineMap.push(pts.map((q) => q.line));
    }
    const oriented = orientPolygon(rings, lineMap);
    const geometry: SiteGeometry = { type: 'Polygon', coordinates: oriented.rings };
    const computedAreaHa = ellipsoidalArea(oriented.rings) / 1e4;
    const planarHa = planarArea(planar) / 1e4;
    const mismatch = areaCheck(p.areaHa, p.areaText, computedAreaHa, planarHa);
    if (mismatch) warn('area-mismatch', `第 ${p.line} 行：地块 ${p.id}${p.name ? `（${p.name}）` : ''}${mismatch}`);
    out.push({ id: p.id, name: p.name, declaredAreaHa: p.areaHa, computedAreaHa, geometry });
    outLines.push(p.line);
    lineMaps.push(oriented.lines);
  }
  issues.throwIfAny();

  let geometry: SiteGeometry = out.length === 1
    ? out[0].geometry
    : { type: 'MultiPolygon', coordinates: out.map((p) => p.geometry.coordinates as LonLat[][]) };
  const checked = checkGeometry(geometry, out, lineMaps, issues);
  issues.throwIfAny();
  if (checked && out.length > 1) {
    // The engine's topology test found the parcels that overlap or share an edge, and merged them.
    const pairs = checked.overlappingParts;
    if (pairs.length) {
      const label = (i: number) => `第 ${outLines[i]} 行的地块 ${out[i].id}${out[i].name ? `（${out[i].name}）` : ''}`;
      const named = pairs.slice(0, 5).map(([a, b]) => `${label(a)}与${label(b)}`).join('；');
      warn('parcels-overlap', `${named}${pairs.length > 5 ? `等 ${pairs.length} 对地块` : ''}相互重叠或共边，已合并为一个用地范围计算`);
      geometry = merged(checked.site.polygons as LonLat[][][]);
    }
  }

  return {
    geometry,
    parcels: out,
    warnings: warnings.map((w) => w.message),
    warningItems: warnings,
    format: 'survey-txt',
    crs: {
      kind: 'gauss-kruger', zone: z.zone.zone, zoneWidth: z.zone.width, prefixed: anyPrefixed,
      epsg: epsgOf(z.zone, anyPrefixed), centralMeridian: centralMeridian(z.zone),
    },
  };
}

function readParcelLine(fields: string[], ln: number, index: number, issues: IssueCollector): RawParcel {
  // drop the trailing "@" (alone, or stuck to the last field)
  const f = [...fields];
  const last = f[f.length - 1];
  if (last === '@' || last === '＠') f.pop();
  else f[f.length - 1] = last.replace(/[@＠]$/, '').trim();
  const countText = f[0] ?? '';
  const areaText = asciiNumber(f[1] ?? '');
  let count: number | null = null;
  if (countText !== '') {
    count = parseInteger(countText);
    if (!Number.isInteger(count) || count < 1) {
      issues.line(ln, '界址点数', `界址点数「${countText}」不是正整数`);
      count = null;
    }
  }
  let areaHa: number | null = null;
  if (areaText !== '') {
    areaHa = parseNumber(areaText);
    if (!Number.isFinite(areaHa) || areaHa < 0) {
      issues.line(ln, '地块面积', `地块面积「${f[1]}」不是非负数值（公顷）`);
      areaHa = null;
    }
  }
  const shape = (f[4] ?? '').trim();
  if (shape && !/^(面|polygon|面状|多边形)$/i.test(shape)) {
    issues.line(ln, '图形属性', `图形属性「${shape}」不受支持：只能读取面状地块`);
  }
  return {
    line: ln,
    count,
    areaHa,
    areaText,
    id: (f[2] ?? '').trim() || String(index),
    name: (f[3] ?? '').trim() || null,
    points: [],
  };
}

interface ZoneChoice { zone: GkZone }

function resolveZone(
  header: Map<string, HeaderEntry>, parcels: RawParcel[], opts: SiteFileOptions, issues: IssueCollector,
  warn: (code: SiteFileWarning['code'], message: string) => void,
): ZoneChoice | null {
  let headerWidth: ZoneWidth | null = null;
  const w = header.get('几度分带');
  if (w && w.value !== '') {
    const t = asciiNumber(w.value).replace(/[度°带]/g, '');
    headerWidth = /^(3|三)$/.test(t) ? 3 : /^(6|六)$/.test(t) ? 6 : null;
    if (headerWidth === null) issues.line(w.line, '几度分带', `几度分带「${w.value}」应为 3 或 6`);
  }
  let headerZone: number | null = null;
  const zh = header.get('带号');
  if (zh && zh.value !== '') {
    const m = /(\d+)/.exec(asciiNumber(zh.value));
    headerZone = m ? Number(m[1]) : null;
    if (headerZone === null) issues.line(zh.line, '带号', `带号「${zh.value}」不是整数`);
  }
  if (opts.zone !== undefined && headerZone !== null && opts.zone !== headerZone) {
    warn('zone-override', `按指定的带号 ${opts.zone} 换算（文件声明带号 ${headerZone}）`);
  }
  if (opts.zoneWidth !== undefined && headerWidth !== null && opts.zoneWidth !== headerWidth) {
    warn('zone-override', `按指定的 ${opts.zoneWidth}° 分带换算（文件声明 ${headerWidth}° 分带）`);
  }
  let zone = opts.zone ?? headerZone;
  let from = opts.zone !== undefined ? '指定的带号' : headerZone !== null ? `第 ${zh!.line} 行的带号` : '';
  if (zone === null) {
    const p = parcels.flatMap((q) => q.points).find((q) => q.y >= 1e6 && q.y < 1e9 && q.x < 1e7);
    if (p) {
      zone = Math.floor(p.y / 1e6);
      from = `第 ${p.line} 行 Y 坐标的带号前缀`;
    }
  }
  if (zone === null) {
    issues.at('/file/header/带号', '无法确定投影带：属性描述中没有「带号」，Y 坐标也不带带号前缀；请在文件中写明带号，或在请求中指定 zone', '带号');
    return null;
  }
  let width = opts.zoneWidth ?? headerWidth ?? impliedWidth(zone);
  if (width === null) {
    width = 3;
    warn('crs-assumed', `文件未写明几度分带，按 3° 带处理（带号 ${zone}）`);
  }
  if (!validZone(zone, width)) {
    if (zh && opts.zone === undefined) issues.line(zh.line, '带号', `带号 ${zone} 不是有效的 ${width}° 带号`);
    else issues.at('/file/header/带号', `${from} ${zone} 不是有效的 ${width}° 带号`, '带号');
    return null;
  }
  return { zone: { zone, width } };
}

function checkHeader(header: Map<string, HeaderEntry>, issues: IssueCollector, warn: (code: SiteFileWarning['code'], message: string) => void): void {
  const crs = header.get('坐标系');
  if (crs && crs.value && !/2000|CGCS/i.test(crs.value)) {
    if (/80|54|西安|北京|1980|1954/.test(crs.value)) {
      warn('datum-not-cgcs2000', `第 ${crs.line} 行：坐标系为「${crs.value}」，已按 2000 国家大地坐标系换算，位置可能有数十米偏差；请提供 CGCS2000 坐标`);
    } else if (!/WGS|84/i.test(crs.value)) {
      warn('crs-assumed', `第 ${crs.line} 行：坐标系「${crs.value}」未识别，已按 2000 国家大地坐标系换算`);
    }
  }
  const proj = header.get('投影类型');
  if (proj && proj.value && !/高斯|克吕格|gauss|kr[uü]ger|横轴|墨卡托|mercator|^tm$/i.test(proj.value)) {
    issues.line(proj.line, '投影类型', `投影类型「${proj.value}」不受支持：只能读取高斯-克吕格投影坐标`);
  }
  const params = header.get('转换参数');
  if (params && /\d/.test(params.value)) {
    warn('crs-assumed', `第 ${params.line} 行：转换参数「${params.value}」未使用：坐标按 2000 国家大地坐标系直接换算`);
  }
  const unit = header.get('计量单位');
  if (unit && unit.value && !/^(米|m|metre|meter|公尺)$/i.test(unit.value)) {
    warn('unit-not-metre', `第 ${unit.line} 行：计量单位为「${unit.value}」，坐标已按米读取`);
  }
}

/** X (northing), Y (easting, perhaps prefixed) → planar easting/northing without prefix; issues on failure. */
function toPlanar(pt: RawPoint, zone: number, issues: IssueCollector): { e: number; n: number; prefixed: boolean } | null {
  const { x, y } = pt;
  if (x >= 1e7 || (x >= 0 && x < 1e6 && y >= 1e6 && y < 1e7)) {
    issues.line(pt.line, 'X', `X、Y 坐标疑似颠倒（X=${x}，Y=${y}）：X 应为纵坐标（北向），Y 为横坐标（东向）`);
    return null;
  }
  let e = y;
  let prefixed = false;
  if (y >= 1e6) {
    const pre = Math.floor(y / 1e6);
    if (pre !== zone) {
      issues.line(pt.line, 'Y', `Y 坐标 ${y} 的带号前缀 ${pre} 与带号 ${zone} 不符`);
      return null;
    }
    e = y - pre * 1e6;
    prefixed = true;
  }
  if (!(e > 0 && e < 1e6)) {
    issues.line(pt.line, 'Y', `Y 坐标 ${y} 超出投影带范围`);
    return null;
  }
  if (!(x > 0 && x < 1e7)) {
    issues.line(pt.line, 'X', `X 坐标 ${x} 超出范围（应为 0–10000000 米的纵坐标）`);
    return null;
  }
  return { e, n: x, prefixed };
}

/** >0 inside, 0 on the boundary (1 mm), <0 outside; planar. */
function pointInRing(e: number, n: number, ring: { e: number; n: number }[]): number {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    const dx = b.e - a.e;
    const dy = b.n - a.n;
    const len2 = dx * dx + dy * dy;
    const t = len2 > 0 ? Math.max(0, Math.min(1, ((e - a.e) * dx + (n - a.n) * dy) / len2)) : 0;
    const px = a.e + t * dx - e;
    const py = a.n + t * dy - n;
    if (px * px + py * py <= 1e-6) return 0;
    if ((a.n > n) !== (b.n > n) && e < ((b.e - a.e) * (n - a.n)) / (b.n - a.n) + a.e) inside = !inside;
  }
  return inside ? 1 : -1;
}

function planarArea(rings: { e: number; n: number }[][]): number {
  let total = 0;
  rings.forEach((r, k) => {
    let s = 0;
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j].e - r[i].e) * (r[j].n + r[i].n);
    total += (k === 0 ? 1 : -1) * Math.abs(s / 2);
  });
  return total;
}

/** The site the engine made of the parcels (overlapping ones dissolved), as a site geometry. */
function merged(polygons: LonLat[][][]): SiteGeometry {
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

/**
 * Geometry validation of the engine, with its issues mapped back to the lines of the file; the
 * engine's result when valid.
 */
function checkGeometry(geometry: SiteGeometry, parcels: SiteParcel[], lineMaps: number[][][], issues: IssueCollector) {
  const r = normalizeSite(geometry, { maxVertices: Number.MAX_SAFE_INTEGER });
  if (r.ok) return r;
  if (r.status !== 422) return null;
  const multi = geometry.type === 'MultiPolygon';
  for (const e of r.errors) {
    const m = /^\/coordinates((?:\/\d+)*)/.exec(e.path);
    const idx = m ? m[1].split('/').filter(Boolean).map(Number) : [];
    const [pi, ri, vi] = multi ? idx : [0, ...idx];
    const ring = lineMaps[pi]?.[ri];
    const line = ring ? ring[vi !== undefined ? vi % ring.length : 0] : undefined;
    const where = parcels[pi] ? `地块 ${parcels[pi].id}${ri !== undefined ? ` 第 ${ri + 1} 圈` : ''}：` : '';
    if (line !== undefined) issues.line(line, undefined, where + e.message);
    else issues.at('/file' + e.path, where + e.message);
  }
  return null;
}
