/**
 * Coordinate systems of WKT, GeoJSON and Shapefile uploads: lon/lat (CGCS2000 / WGS 84), or a
 * CGCS2000 Gauss-Krüger zone named by an EPSG code (GeoJSON `crs`, EWKT `SRID=`), by a .prj, by
 * the caller's zone override, or by the zone prefix of the eastings. Projected coordinates are
 * [x = easting, y = northing] as in every GIS format (unlike the 界址点 TXT, where X is north).
 */
import {
  centralMeridian, epsgOf, gkProj4, impliedWidth, projector, tmercProj4, validZone, zoneOfEpsg,
  type GkZone, type Projector, type ZoneWidth,
} from './gauss-kruger.js';
import type { LonLat, SiteFileCrs, SiteFileOptions, SiteFileWarning } from './types.js';

export interface CoordTransform {
  crs: SiteFileCrs;
  /** [x, y] of the file → [lon, lat], or a Chinese message saying why not. */
  toLonLat(x: number, y: number): LonLat | string;
  warnings: SiteFileWarning[];
}

export const GEOGRAPHIC: CoordTransform = {
  crs: { kind: 'geographic' },
  toLonLat: (x, y) => (Math.abs(x) <= 180 && Math.abs(y) <= 90 ? [x, y] : `坐标 (${x}, ${y}) 不是经纬度`),
  warnings: [],
};

/** A Gauss-Krüger zone; eastings may carry the zone prefix (checked against the zone). */
export function gkTransform(zone: GkZone, declaredPrefixed: boolean | null = null, warnings: SiteFileWarning[] = []): CoordTransform {
  const proj = projector(gkProj4(zone, false));
  return {
    crs: { kind: 'gauss-kruger', zone: zone.zone, zoneWidth: zone.width, prefixed: declaredPrefixed ?? false, epsg: epsgOf(zone, declaredPrefixed ?? false), centralMeridian: centralMeridian(zone) },
    toLonLat(x, y) {
      let e = x;
      if (x >= 1e6) {
        const pre = Math.floor(x / 1e6);
        if (pre !== zone.zone) return `横坐标 ${x} 的带号前缀 ${pre} 与带号 ${zone.zone} 不符`;
        e = x - pre * 1e6;
      }
      if (!(e > 0 && e < 1e6)) return `横坐标 ${x} 超出投影带范围`;
      if (!(y > 0 && y < 1e7)) return `纵坐标 ${y} 超出范围`;
      return round9(proj.inverse(e, y));
    },
    warnings,
  };
}

/** A transverse-Mercator definition from a .prj: applied as given. */
function tmercTransform(def: string, crs: SiteFileCrs, warnings: SiteFileWarning[]): CoordTransform {
  const proj: Projector = projector(def);
  return {
    crs,
    toLonLat(x, y) {
      if (!Number.isFinite(x) || !Number.isFinite(y)) return `坐标 (${x}, ${y}) 不是有限数值`;
      const r = proj.inverse(x, y);
      if (!Number.isFinite(r[0]) || !Number.isFinite(r[1]) || Math.abs(r[1]) > 90) return `坐标 (${x}, ${y}) 无法换算为经纬度`;
      return round9(r);
    },
    warnings,
  };
}

/** lon/lat to 1e-9° (0.1 mm): keeps output stable across platforms without losing precision. */
export function round9(p: [number, number]): LonLat {
  return [Math.round(p[0] * 1e9) / 1e9, Math.round(p[1] * 1e9) / 1e9];
}

/** EPSG code → transform: 4490 / 4326 / CRS84 geographic, 4491–4554 Gauss-Krüger; null when unsupported. */
export function transformFromEpsg(code: number): CoordTransform | null {
  if (code === 4490 || code === 4326 || code === 4610 || code === 4479) return GEOGRAPHIC;
  const z = zoneOfEpsg(code);
  if (!z) return null;
  return gkTransform({ zone: z.zone, width: z.width }, z.prefixed);
}

/** An EPSG code from a CRS name: "EPSG:4527", "urn:ogc:def:crs:EPSG::4527", "CRS84"(→4326). */
export function epsgFromName(name: string): number | null {
  if (/CRS84$/i.test(name)) return 4326;
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d+)$/i.exec(name.trim()) ?? /^(\d{4,5})$/.exec(name.trim());
  return m ? Number(m[1]) : null;
}

/**
 * No CRS in the file: lon/lat when every coordinate is within lon/lat range; otherwise Gauss-Krüger
 * in the caller's zone, or in the zone of the easting prefix. A Chinese message when neither.
 */
export function guessTransform(xs: number[], ys: number[], opts: SiteFileOptions): CoordTransform | string {
  const geographic = xs.every((x) => Math.abs(x) <= 180) && ys.every((y) => Math.abs(y) <= 90);
  // lon/lat values cannot be Gauss-Krüger metres, whatever zone the caller names
  if (geographic) return GEOGRAPHIC;
  let zone = opts.zone;
  let from = '指定的带号';
  if (zone === undefined) {
    const x = xs.find((v) => v >= 1e6 && v < 1e9);
    if (x === undefined) {
      return '坐标不是经纬度，也不带带号前缀：无法确定投影带，请在请求中指定 zone（带号）和 zoneWidth（3 或 6）';
    }
    zone = Math.floor(x / 1e6);
    from = '横坐标的带号前缀';
  }
  const warnings: SiteFileWarning[] = [];
  let width: ZoneWidth | null = opts.zoneWidth ?? impliedWidth(zone);
  if (width === null) width = 3;
  if (!validZone(zone, width)) return `${from} ${zone} 不是有效的 ${width}° 带号`;
  warnings.push({ code: 'crs-assumed', message: `文件未声明坐标系：按 CGCS2000 高斯-克吕格 ${width}° 带第 ${zone} 带（${from}）换算` });
  return gkTransform({ zone, width }, xs.some((v) => v >= 1e6), warnings);
}

/** A .prj (ESRI WKT1, OGC WKT1 or WKT2) → transform, or a Chinese message when unsupported. */
export function transformFromPrj(prj: string): CoordTransform | string {
  const text = prj.trim();
  const warnings: SiteFileWarning[] = [];
  if (/Xian|Xi'an|1980|Beijing|1954/i.test(text) && !/2000/.test(text)) {
    warnings.push({ code: 'datum-not-cgcs2000', message: '.prj 的大地基准不是 CGCS2000（西安80/北京54），已按 CGCS2000 换算，位置可能有数十米偏差' });
  }
  const epsg = /AUTHORITY\["EPSG",\s*"?(\d+)"?\]\s*\]\s*$/i.exec(text) ?? /ID\["EPSG",\s*(\d+)\]\s*\]\s*$/i.exec(text);
  if (!/^(PROJCS|PROJCRS|PROJECTEDCRS)\b/i.test(text)) {
    if (/^(GEOGCS|GEOGCRS|GEODCRS|GEOGRAPHICCRS)\b/i.test(text) || text === '') return { ...GEOGRAPHIC, warnings };
    if (epsg) {
      const t = transformFromEpsg(Number(epsg[1]));
      if (t) return { ...t, warnings };
    }
    return `.prj 无法识别：${text.slice(0, 80)}`;
  }
  const method = /PROJECTION\["([^"]+)"/i.exec(text)?.[1] ?? /METHOD\["([^"]+)"/i.exec(text)?.[1] ?? '';
  if (!/gauss|kr[uü]ger|transverse[ _]mercator|^tmerc$/i.test(method)) {
    return `.prj 的投影「${method || '未知'}」不受支持：只能读取经纬度或高斯-克吕格（横轴墨卡托）投影`;
  }
  const params = new Map<string, number>();
  for (const m of text.matchAll(/PARAMETER\["([^"]+)",\s*([-+\d.eE]+)/gi)) params.set(m[1].toLowerCase().replace(/[\s-]+/g, '_'), Number(m[2]));
  const get = (names: string[], dflt: number) => {
    for (const n of names) if (params.has(n)) return params.get(n)!;
    return dflt;
  };
  const lon0 = get(['central_meridian', 'longitude_of_natural_origin', 'longitude_of_origin', 'longitude_of_center'], NaN);
  if (!Number.isFinite(lon0)) return '.prj 缺少中央子午线（Central_Meridian）';
  const fe = get(['false_easting'], 0);
  const fn = get(['false_northing'], 0);
  const k = get(['scale_factor', 'scale_factor_at_natural_origin'], 1);
  const lat0 = get(['latitude_of_origin', 'latitude_of_natural_origin', 'latitude_of_center'], 0);
  // the last UNIT of a PROJCS is its linear unit
  const units = [...text.matchAll(/UNIT\["([^"]*)",\s*([\d.eE+-]+)/gi)];
  const unit = units[units.length - 1];
  if (unit && Math.abs(Number(unit[2]) - 1) > 1e-9) return `.prj 的长度单位不是米（${unit[1]}，${unit[2]}）`;
  const prefixed = fe >= 1e6;
  const prefixZone = prefixed ? Math.floor(fe / 1e6) : null;
  const name = /^PROJ\w*\["([^"]*)"/i.exec(text)?.[1] ?? '';
  const named = /([36])_?Degree.*?Zone_?(\d+)/i.exec(name);
  let zone: GkZone | null = null;
  if (named) zone = { width: Number(named[1]) as ZoneWidth, zone: Number(named[2]) };
  else if (prefixZone !== null) {
    if (3 * prefixZone === lon0) zone = { width: 3, zone: prefixZone };
    else if (6 * prefixZone - 3 === lon0) zone = { width: 6, zone: prefixZone };
  } else {
    const w = /6_?Degree/i.test(name) ? 6 : 3;
    const z = w === 3 ? lon0 / 3 : (lon0 + 3) / 6;
    if (Number.isInteger(z)) zone = { width: w, zone: z };
  }
  const crs: SiteFileCrs = {
    kind: 'gauss-kruger', zone: zone?.zone ?? null, zoneWidth: zone?.width ?? null, prefixed,
    epsg: zone ? epsgOf(zone, prefixed) : null, centralMeridian: lon0,
  };
  return tmercTransform(tmercProj4(lon0, fe, fn, k, lat0), crs, warnings);
}
