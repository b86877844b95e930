/**
 * GeoJSON site files: a Geometry, a Feature, or a FeatureCollection (one polygon feature = that
 * polygon; several polygon features → a MultiPolygon; several line features → a MultiLineString).
 * lon/lat coordinates are passed through untouched, so the engine sees exactly what a JSON request
 * with the same geometry would give it. A legacy `crs` naming a CGCS2000 Gauss-Krüger EPSG code
 * (4491–4554), or projected coordinates with the caller's zone / an easting zone prefix, are
 * converted to lon/lat. A feature property 地块面积 (公顷) is checked like the TXT's.
 */
import { fileError, IssueCollector } from './errors.js';
import { epsgFromName, GEOGRAPHIC, guessTransform, transformFromEpsg, type CoordTransform } from './crs.js';
import { areaCheck, areaHaOf, combineParcels } from './polygons.js';
import type { SiteFileOptions, SiteFileResult, SiteFileWarning, SiteGeometry, SiteParcel } from './types.js';

const SITE_TYPES = ['Point', 'LineString', 'MultiLineString', 'Polygon', 'MultiPolygon'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function readGeoJson(text: string, opts: SiteFileOptions = {}): SiteFileResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split('\n').length;
      const col = before.length - before.lastIndexOf('\n');
      return fileError(`/file/line/${line}/column/${col}`, `第 ${line} 行第 ${col} 列：不是有效的 JSON（${msg}）`);
    }
    return fileError('/file', `不是有效的 JSON（${msg}）`);
  }
  if (!isObject(doc)) return fileError('/file', 'GeoJSON 应为对象（Geometry、Feature 或 FeatureCollection）');

  const warnings: SiteFileWarning[] = [];
  const entries: { geometry: Record<string, unknown>; path: string; props: Record<string, unknown>; id: unknown }[] = [];
  if (doc.type === 'FeatureCollection') {
    if (!Array.isArray(doc.features)) return fileError('/file/features', 'FeatureCollection 缺少 features 数组');
    doc.features.forEach((f, i) => {
      if (!isObject(f) || f.type !== 'Feature') return fileError(`/file/features/${i}`, `第 ${i + 1} 个要素不是 Feature`);
      if (f.geometry === null) {
        warnings.push({ code: 'null-shape', message: `第 ${i + 1} 个要素没有几何对象，已忽略` });
        return;
      }
      if (!isObject(f.geometry)) return fileError(`/file/features/${i}/geometry`, `第 ${i + 1} 个要素的 geometry 不是几何对象`);
      entries.push({ geometry: f.geometry, path: `/file/features/${i}/geometry`, props: isObject(f.properties) ? f.properties : {}, id: f.id });
    });
    if (entries.length === 0) return fileError('/file/features', 'FeatureCollection 中没有带几何对象的要素');
  } else if (doc.type === 'Feature') {
    if (!isObject(doc.geometry)) return fileError('/file/geometry', 'Feature 的 geometry 不是几何对象');
    entries.push({ geometry: doc.geometry, path: '/file/geometry', props: isObject(doc.properties) ? doc.properties : {}, id: doc.id });
  } else if (typeof doc.type === 'string' && SITE_TYPES.includes(doc.type)) {
    entries.push({ geometry: doc, path: '/file', props: {}, id: undefined });
  } else {
    return fileError('/file/type', `不支持的 GeoJSON 类型「${String(doc.type)}」：应为 ${SITE_TYPES.join('、')}、Feature 或 FeatureCollection`);
  }
  for (const e of entries) {
    if (!SITE_TYPES.includes(String(e.geometry.type))) {
      return fileError(`${e.path}/type`, `不支持的几何类型「${String(e.geometry.type)}」：应为 ${SITE_TYPES.join('、')}`);
    }
  }

  // coordinate system
  let tr: CoordTransform = GEOGRAPHIC;
  const crsName = isObject(doc.crs) && isObject(doc.crs.properties) ? doc.crs.properties.name : undefined;
  if (typeof crsName === 'string') {
    const code = epsgFromName(crsName);
    const t = code === null ? null : transformFromEpsg(code);
    if (!t) return fileError('/file/crs', `不支持的坐标系「${crsName}」：应为 EPSG:4490（CGCS2000 经纬度）或 EPSG:4491–4554（CGCS2000 高斯-克吕格）`);
    tr = t;
  } else {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const e of entries) collect(e.geometry.coordinates, xs, ys);
    const g = guessTransform(xs, ys, opts);
    if (typeof g === 'string') return fileError('/file', g);
    tr = g;
  }
  warnings.push(...tr.warnings);

  const issues = new IssueCollector();
  const parcels: SiteParcel[] = entries.map((e, k) => {
    const geometry = (tr === GEOGRAPHIC ? e.geometry : { type: e.geometry.type, coordinates: convert(e.geometry.coordinates, `${e.path}/coordinates`, tr, issues) }) as SiteGeometry;
    const p = e.props;
    const id = e.id ?? p['地块编号'] ?? p.id ?? p.ID;
    const name = p['地块名称'] ?? p.name ?? p['名称'] ?? p.NAME;
    const declared = p['地块面积'];
    return {
      id: id === undefined || id === null || id === '' ? String(k + 1) : String(id),
      name: typeof name === 'string' && name ? name : null,
      declaredAreaHa: typeof declared === 'number' && Number.isFinite(declared) ? declared : typeof declared === 'string' && declared.trim() !== '' && Number.isFinite(Number(declared)) ? Number(declared) : null,
      computedAreaHa: null,
      geometry,
    };
  });
  issues.throwIfAny();
  for (const p of parcels) {
    try {
      p.computedAreaHa = areaHaOf(p.geometry);
    } catch {
      p.computedAreaHa = null; // malformed coordinates: the engine's validation reports them
    }
    if (p.computedAreaHa !== null && p.declaredAreaHa !== null) {
      const m = areaCheck(p.declaredAreaHa, String(p.declaredAreaHa), p.computedAreaHa, null);
      if (m) warnings.push({ code: 'area-mismatch', message: `地块 ${p.id}${p.name ? `（${p.name}）` : ''}${m}` });
    }
  }
  const geometry = combineParcels(parcels);
  if (!geometry) return fileError('/file/features', '要素的几何类型不一致：多个要素须同为面或同为线（点只能有一个）');
  return { geometry, parcels, warnings: warnings.map((w) => w.message), warningItems: warnings, format: 'geojson', crs: tr.crs };
}

function collect(v: unknown, xs: number[], ys: number[]): void {
  if (!Array.isArray(v)) return;
  if (typeof v[0] === 'number') {
    if (typeof v[1] === 'number') {
      xs.push(v[0]);
      ys.push(v[1]);
    }
    return;
  }
  for (const c of v) collect(c, xs, ys);
}

function convert(v: unknown, path: string, tr: CoordTransform, issues: IssueCollector): unknown {
  if (!Array.isArray(v)) {
    issues.at(path, `${path.replace(/^\/file/, '')}：坐标应为数组`);
    return v;
  }
  if (typeof v[0] === 'number') {
    if (typeof v[1] !== 'number' || !Number.isFinite(v[0]) || !Number.isFinite(v[1])) {
      issues.at(path, `${path.replace(/^\/file/, '')}：坐标应为两个有限数值`);
      return v;
    }
    const r = tr.toLonLat(v[0], v[1]);
    if (typeof r === 'string') {
      issues.at(path, `${path.replace(/^\/file/, '')}：${r}`);
      return v;
    }
    return r;
  }
  return v.map((c, i) => convert(c, `${path}/${i}`, tr, issues));
}
