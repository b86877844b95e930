/**
 * Writer of the 界址点坐标 TXT exchange format: one parcel per polygon, outer rings clockwise and
 * holes counter-clockwise on the map, numbered J1, J2… from the north-western point, each ring
 * closed by repeating its first point; X northing, Y easting (with the zone prefix unless
 * `prefix: false`), millimetres; 地块面积 the ellipsoidal area in hectares. CRLF, UTF-8.
 */
import { ellipsoidalArea } from '../geometry/index.js';
import { InputProblem } from '../problem.js';
import { centralMeridian, epsgOf, gkProjector, validZone, zoneOfLon, type GkZone, type ZoneWidth } from './gauss-kruger.js';
import { signedArea2 } from './polygons.js';
import type { LonLat } from './types.js';

export interface SurveyTxtOptions {
  /** 带号; default: the zone containing the site's centroid. */
  zone?: number;
  /** 几度分带; default 3. */
  zoneWidth?: ZoneWidth;
  /** Write the zone number in front of the eastings (default true). */
  prefix?: boolean;
  /** 地块名称 (the first parcel's; the others get "名称-2"…). */
  name?: string;
  /** 数据产生日期 (YYYY-MM-DD); default today. */
  date?: string;
  /** 数据产生单位. */
  producer?: string;
}

export interface SurveyTxtOutput {
  text: string;
  zone: number;
  zoneWidth: ZoneWidth;
  prefixed: boolean;
  epsg: number | null;
}

type Polys = LonLat[][][];

/** Polygon / MultiPolygon coordinates (lon/lat) → 界址点坐标 TXT. Throws InputProblem(422) on other geometries or a zone far from the site. */
export function writeSurveyTxt(geometry: { type: string; coordinates: unknown }, opts: SurveyTxtOptions = {}): SurveyTxtOutput {
  const polys: Polys = geometry.type === 'Polygon'
    ? [geometry.coordinates as LonLat[][]]
    : geometry.type === 'MultiPolygon'
      ? (geometry.coordinates as Polys)
      : bad('/site/type', `${geometry.type} 不是面状用地，无法写成界址点坐标`);
  const width: ZoneWidth = opts.zoneWidth ?? 3;
  const zone: GkZone = opts.zone !== undefined ? { zone: opts.zone, width } : zoneOfLon(centroidLon(polys), width);
  if (!validZone(zone.zone, width)) bad('/zone', `${zone.zone} 不是有效的 ${width}° 带号`);
  const cm = centralMeridian(zone);
  for (const poly of polys) for (const ring of poly) for (const [lon] of ring) {
    if (Math.abs(lon - cm) > width) bad('/zone', `用地（经度 ${lon.toFixed(4)}°）距第 ${zone.zone} 带（${width}° 分带）中央子午线 ${cm}° 超过 ${width}°：请选择用地所在的投影带`);
  }
  const prefix = opts.prefix ?? true;
  const proj = gkProjector(zone);
  const fmtY = (e: number) => (prefix ? zone.zone * 1e6 + e : e).toFixed(3);
  const date = opts.date ?? new Date().toISOString().slice(0, 10);
  const clean = (s: string) => s.replace(/[,，@＠\r\n]/g, ' ').trim();
  const out: string[] = [
    '[属性描述]',
    '格式版本号=1.01版本',
    `数据产生单位=${clean(opts.producer ?? '')}`,
    `数据产生日期=${date}`,
    '坐标系=2000国家大地坐标系',
    `几度分带=${width}`,
    '投影类型=高斯克吕格',
    '计量单位=米',
    `带号=${zone.zone}`,
    '精度=0.001',
    '转换参数=,,,,,,',
    '[地块坐标]',
  ];
  polys.forEach((poly, k) => {
    const lines: string[] = [];
    let n = 0;
    poly.forEach((ring, r) => {
      let pts = openRing(ring).map(([lon, lat]) => proj.forward(lon, lat));
      // outer clockwise, holes counter-clockwise on the map (E east, N north)
      const ccw = signedArea2(pts as LonLat[]) > 0;
      if ((r === 0) === ccw) pts = pts.reverse();
      // start at the north-western point
      let start = 0;
      for (let i = 1; i < pts.length; i++) if (pts[i][1] - pts[i][0] > pts[start][1] - pts[start][0]) start = i;
      pts = [...pts.slice(start), ...pts.slice(0, start)];
      const first = n + 1;
      for (const [e, nn] of pts) lines.push(`J${++n},${r + 1},${nn.toFixed(3)},${fmtY(e)}`);
      const [e0, n0] = pts[0];
      lines.push(`J${first},${r + 1},${n0.toFixed(3)},${fmtY(e0)}`);
    });
    const areaHa = ellipsoidalArea(poly) / 1e4;
    const name = clean(opts.name ?? '') + (k > 0 && opts.name ? `-${k + 1}` : '');
    out.push(`${lines.length},${areaHa.toFixed(4)},${k + 1},${name},面,,,,@`, ...lines);
  });
  return { text: out.join('\r\n') + '\r\n', zone: zone.zone, zoneWidth: width, prefixed: prefix, epsg: epsgOf(zone, prefix) };
}

function openRing(ring: LonLat[]): LonLat[] {
  const n = ring.length;
  return n > 1 && ring[0][0] === ring[n - 1][0] && ring[0][1] === ring[n - 1][1] ? ring.slice(0, -1) : ring.slice();
}

/** Area-weighted centroid longitude of the outer rings (planar in degrees: fine for choosing a zone). */
function centroidLon(polys: Polys): number {
  let a = 0;
  let cx = 0;
  let sum = 0;
  let count = 0;
  for (const poly of polys) {
    const r = openRing(poly[0] ?? []);
    for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
      const cross = r[j][0] * r[i][1] - r[i][0] * r[j][1];
      a += cross;
      cx += (r[j][0] + r[i][0]) * cross;
      sum += r[i][0];
      count++;
    }
  }
  if (count === 0) bad('/site/coordinates', '用地没有坐标');
  return Math.abs(a) > 1e-15 ? cx / (3 * a) : sum / count;
}

function bad(path: string, message: string): never {
  throw new InputProblem(422, '无法导出界址点坐标', message, [{ path, message }]);
}
