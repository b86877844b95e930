/**
 * Site files in, site files out (pure TypeScript: Node, Workers, browsers).
 *
 * `readSiteFile(bytes, filename, opts)` reads a 界址点坐标 TXT (建设用地报批 / 用地预审 exchange
 * format, CGCS2000 Gauss-Krüger 3° or 6° zones), WKT / EWKT, GeoJSON (Geometry, Feature,
 * FeatureCollection) or a zipped Shapefile with its .prj, and returns the site as lon/lat GeoJSON,
 * its parcels one by one, and warnings (declared area against ellipsoidal area, assumed CRS…).
 * It throws SiteFileError (a 422 InputProblem) whose items name the line and field.
 *
 * `writeSurveyTxt(geometry, opts)` writes a site back as 界址点坐标 TXT in a chosen zone.
 *
 * @example
 * const r = readSiteFile(bytes, '报批坐标.txt');           // or { zone: 38, zoneWidth: 3 }
 * r.geometry;  // { type: 'Polygon', coordinates: [[[112.60…, 26.89…], …]] }
 * r.parcels;   // [{ id: '1', name: '厂区', declaredAreaHa: 0.9512, computedAreaHa: 0.95118…, geometry }]
 * r.warnings;  // ['第 13 行：地块 1（厂区）申报面积 1.2 公顷与按界址点计算的椭球面积 0.9512 公顷相差 …']
 */
import { decodeText } from './decode-text.js';
import { fileError, SiteFileError } from './errors.js';
import { readGeoJson } from './geojson.js';
import { readShapefileZip } from './shapefile.js';
import { readSurveyTxt } from './survey-txt.js';
import type { SiteFileFormat, SiteFileOptions, SiteFileResult } from './types.js';
import { readWkt } from './wkt.js';

export type {
  LonLat, SiteFileCrs, SiteFileFormat, SiteFileOptions, SiteFileResult, SiteFileWarning, SiteGeometry, SiteParcel,
} from './types.js';
export { SiteFileError, SITE_FILE_PROBLEM, type SiteFileIssue } from './errors.js';
export { writeSurveyTxt, type SurveyTxtOptions, type SurveyTxtOutput } from './survey-txt-write.js';
export {
  centralMeridian, epsgOf, gkProj4, zoneOfEpsg, zoneOfLon, type GkZone, type ZoneWidth,
} from './gauss-kruger.js';

const WKT_START = /^\s*(SRID\s*=\s*\d+\s*;\s*)?(MULTI)?(POLYGON|POINT|LINESTRING|GEOMETRYCOLLECTION)\b/i;

/**
 * The format of a file: the content decides (zip signature, JSON object, WKT keyword), the
 * extension only when the content is not conclusive. Text files that are none of these are
 * read as 界址点坐标 TXT.
 */
export function detectSiteFormat(bytes: Uint8Array, filename: string, text: string | null): SiteFileFormat {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'shapefile';
  if (text !== null) {
    const t = text.trimStart();
    if (t.startsWith('{')) return 'geojson';
    if (WKT_START.test(t)) return 'wkt';
  }
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'zip') return 'shapefile';
  if (ext === 'wkt') return 'wkt';
  if (ext === 'geojson' || ext === 'json') return 'geojson';
  return 'survey-txt';
}

export function readSiteFile(bytes: Uint8Array, filename: string, opts: SiteFileOptions = {}): SiteFileResult {
  if (opts.zone !== undefined && (!Number.isInteger(opts.zone) || opts.zone < 1 || opts.zone > 120)) fileError('/zone', `带号 ${opts.zone} 无效：应为 1–120 的整数`);
  if (opts.zoneWidth !== undefined && opts.zoneWidth !== 3 && opts.zoneWidth !== 6) fileError('/zoneWidth', `几度分带 ${String(opts.zoneWidth)} 无效：应为 3 或 6`);
  if (bytes.length === 0) fileError('/file', '文件为空');
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (ext === 'shp' || ext === 'dbf' || ext === 'shx') fileError('/file', `不能单独上传 .${ext} 文件：请把 .shp、.shx、.dbf、.prj 一起压缩成 zip 上传`);
  try {
    const isZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
    if (isZip || ext === 'zip') return readShapefileZip(bytes, opts);
    const text = decodeText(bytes).text;
    switch (detectSiteFormat(bytes, filename, text)) {
      case 'geojson': return readGeoJson(text, opts);
      case 'wkt': return readWkt(text, opts);
      default: return readSurveyTxt(text, opts);
    }
  } catch (e) {
    if (e instanceof SiteFileError) throw e;
    // a reader's bug must not become a 5xx: report it as a file problem
    throw new SiteFileError([{ path: '/file', message: `无法读取用地文件：${e instanceof Error ? e.message : String(e)}` }]);
  }
}
