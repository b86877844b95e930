/** WKT, GeoJSON and zipped Shapefile site files (engine/io readSiteFile). */
import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { detectSiteFormat, readSiteFile, SiteFileError, gkProj4 } from '../../engine/io/index.js';
import { projector } from '../../engine/io/gauss-kruger.js';
import { maxVertexErrorM } from './helpers/compare.js';
import { polygonParts, prjGk3, PRJ_CGCS2000, writeShapefile, zipShapefile } from './helpers/shapefile.js';
import { HOLE, TWO } from './make-fixtures.js';
import type { LL } from './helpers/survey-file.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
const holeRings: LL[][] = HOLE.site.coordinates;
const twoPolys: LL[][][] = TWO.site.coordinates;
const ring = (r: LL[]) => `(${r.map((p) => p.join(' ')).join(', ')})`;
const polyWkt = (rings: LL[][]) => `(${rings.map(ring).join(', ')})`;

function errorOf(bytes: Uint8Array, name: string, opts = {}): SiteFileError {
  try {
    readSiteFile(bytes, name, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(SiteFileError);
    return e as SiteFileError;
  }
  throw new Error('read without error');
}

/** GK 3° zone 38 [easting (prefixed or not), northing] of lon/lat. */
const gk38 = (prefixed: boolean) => {
  const p = projector(gkProj4({ zone: 38, width: 3 }, prefixed));
  return ([lon, lat]: LL): LL => p.forward(lon, lat);
};

describe('WKT', () => {
  it('POLYGON with a hole: the exact coordinates, RFC 7946 orientation', () => {
    const r = readSiteFile(utf8(`POLYGON ${polyWkt(holeRings)}`), 'site.wkt');
    expect(r.format).toBe('wkt');
    expect(r.geometry).toEqual(HOLE.site);
    expect(r.crs).toEqual({ kind: 'geographic' });
  });

  it('MULTIPOLYGON, lower case, Z ordinates, an EWKT SRID, several lines', () => {
    const z = (rings: LL[][]) => `(${rings.map((r) => `(${r.map((p) => `${p[0]} ${p[1]} 55.5`).join(',')})`).join(',')})`;
    const r = readSiteFile(utf8(`SRID=4490;multipolygon Z (${twoPolys.map(z).join(',\n ')})`), 'site.txt');
    expect(r.format).toBe('wkt');
    expect(r.geometry).toEqual(TWO.site);
    expect(r.parcels).toHaveLength(1);
  });

  it('one POLYGON a line: parcels of one MultiPolygon', () => {
    const r = readSiteFile(utf8(twoPolys.map((p) => `POLYGON ${polyWkt(p)}`).join('\n') + '\n'), 'parcels.wkt');
    expect(r.geometry).toEqual(TWO.site);
    expect(r.parcels.map((p) => p.id)).toEqual(['1', '2']);
  });

  it('POINT and LINESTRING', () => {
    expect(readSiteFile(utf8('POINT (112.6 26.9)'), 'p.wkt').geometry).toEqual({ type: 'Point', coordinates: [112.6, 26.9] });
    expect(readSiteFile(utf8('LINESTRING (112.6 26.9, 112.61 26.91)'), 'l.wkt').geometry).toEqual({ type: 'LineString', coordinates: [[112.6, 26.9], [112.61, 26.91]] });
  });

  it('Gauss-Krüger coordinates by SRID (EPSG:4526, prefixed) or by the easting prefix', () => {
    const f = gk38(true);
    const wkt = `POLYGON ${polyWkt(holeRings.map((r) => r.map(f)))}`;
    for (const text of [`SRID=4526;${wkt}`, wkt]) {
      const r = readSiteFile(utf8(text), 'site.wkt');
      expect(r.crs).toMatchObject({ kind: 'gauss-kruger', zone: 38, zoneWidth: 3 });
      expect(maxVertexErrorM(r.geometry, HOLE.site)).toBeLessThan(0.001);
    }
    const bare = `POLYGON ${polyWkt(holeRings.map((r) => r.map(gk38(false))))}`;
    expect(maxVertexErrorM(readSiteFile(utf8(bare), 'site.wkt', { zone: 38 }).geometry, HOLE.site)).toBeLessThan(0.001);
    expect(errorOf(utf8(bare), 'site.wkt').errors[0].message).toMatch(/请在请求中指定 zone/);
  });

  it('syntax errors name the line and column', () => {
    const e = errorOf(utf8('POLYGON ((112.6 26.9, 112.61 26.9,\n 112.61 x, 112.6 26.9))'), 'site.wkt');
    expect(e.errors).toEqual([{ path: '/file/line/2/column/9', message: '第 2 行第 9 列：应为坐标数值，实际为「x」' }]);
    expect(errorOf(utf8('POINT (1 2 #)'), 'site.wkt').errors[0].message).toBe('第 1 行第 12 列：无法识别的字符「#」');
    expect(errorOf(utf8('POLYGON ((112.6 26.9, 112.61 26.9'), 'site.wkt').errors[0].message).toMatch(/WKT 意外结束/);
    expect(errorOf(utf8('POLYGON EMPTY'), 'site.wkt').errors[0].path).toBe('/file/line/1/column/9');
    expect(errorOf(utf8('MULTIPOINT ((1 2))'), 'site.wkt').errors[0].message).toMatch(/不支持的几何类型 MULTIPOINT/);
    expect(errorOf(utf8('SRID=3857;POINT (1 2)'), 'site.wkt').errors[0].message).toMatch(/不支持的坐标系 SRID=3857/);
    expect(errorOf(utf8('POINT (1 2) LINESTRING (1 2, 3 4)'), 'site.wkt').errors[0].message).toMatch(/类型不一致/);
  });
});

describe('GeoJSON', () => {
  const feature = (geometry: unknown, properties: Record<string, unknown> = {}) => ({ type: 'Feature', properties, geometry });

  it('a Geometry, a Feature, a FeatureCollection of one polygon: that polygon, untouched', () => {
    for (const doc of [HOLE.site, feature(HOLE.site), { type: 'FeatureCollection', features: [feature(HOLE.site)] }]) {
      const r = readSiteFile(utf8(JSON.stringify(doc)), 'site.geojson');
      expect(r.format).toBe('geojson');
      expect(r.geometry).toEqual(HOLE.site);
    }
    // a zone named by the caller does not turn lon/lat into metres
    expect(readSiteFile(utf8(JSON.stringify(HOLE.site)), 'site.geojson', { zone: 38 }).geometry).toEqual(HOLE.site);
  });

  it('several polygon features → a MultiPolygon; names, ids and declared areas from properties', () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        feature({ type: 'Polygon', coordinates: twoPolys[0] }, { 地块编号: 'A', 地块名称: '甲', 地块面积: 0.2499 }),
        feature({ type: 'Polygon', coordinates: twoPolys[1] }, { name: '乙', 地块面积: 0.3 }),
        { type: 'Feature', properties: {}, geometry: null },
      ],
    };
    const r = readSiteFile(utf8(JSON.stringify(fc)), 'site.json');
    expect(r.geometry).toEqual(TWO.site);
    expect(r.parcels.map((p) => [p.id, p.name, p.declaredAreaHa])).toEqual([['A', '甲', 0.2499], ['2', '乙', 0.3]]);
    expect(r.warningItems.map((w) => w.code)).toEqual(['null-shape', 'area-mismatch']);
    expect(r.warnings[1]).toMatch(/地块 2（乙）申报面积 0\.3 公顷与按界址点计算的椭球面积 0\.2499 公顷相差 \+20\.03%/);
  });

  it('a legacy crs naming a CGCS2000 Gauss-Krüger EPSG code', () => {
    const doc = { type: 'Feature', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4547' } }, properties: {}, geometry: { type: 'Polygon', coordinates: holeRings.map((r) => r.map(gk38(false))) } };
    const r = readSiteFile(utf8(JSON.stringify(doc)), 'site.geojson');
    expect(r.crs).toMatchObject({ kind: 'gauss-kruger', zone: 38, zoneWidth: 3, prefixed: false, epsg: 4547 });
    expect(maxVertexErrorM(r.geometry, HOLE.site)).toBeLessThan(0.001);
  });

  it('errors: bad JSON (line and column), mixed types, unsupported types and CRS', () => {
    expect(errorOf(utf8('{\n  "type": "Polygon"\n  "coordinates": []\n}'), 'x.geojson').errors[0].path).toBe('/file/line/3/column/3');
    const mixed = { type: 'FeatureCollection', features: [feature(HOLE.site), feature({ type: 'LineString', coordinates: [[112.6, 26.9], [112.61, 26.9]] })] };
    expect(errorOf(utf8(JSON.stringify(mixed)), 'x.geojson').errors[0].message).toMatch(/类型不一致/);
    expect(errorOf(utf8('{"type":"GeometryCollection","geometries":[]}'), 'x.geojson').errors[0].path).toBe('/file/type');
    expect(errorOf(utf8(JSON.stringify({ ...feature(HOLE.site), crs: { type: 'name', properties: { name: 'EPSG:3857' } } })), 'x.geojson').errors[0].path).toBe('/file/crs');
    expect(errorOf(utf8('{"type":"FeatureCollection","features":[]}'), 'x.geojson').errors[0].path).toBe('/file/features');
  });
});

describe('zipped Shapefile', () => {
  const records = (polys: LL[][][], f: (p: LL) => LL = (p) => p) =>
    polys.map((rings, i) => ({ parts: polygonParts(rings.map((r) => r.map(f))), attrs: { DKBH: `D${i + 1}`, DKMC: `地块${i + 1}` } }));

  it('lon/lat with a CGCS2000 .prj: the exact polygon with its hole; attributes from the .dbf', () => {
    const zip = zipShapefile(writeShapefile(5, records([holeRings])), PRJ_CGCS2000);
    const r = readSiteFile(zip, 'site.zip');
    expect(r.format).toBe('shapefile');
    expect(r.crs).toEqual({ kind: 'geographic' });
    expect(r.geometry).toEqual(HOLE.site);
    expect(r.parcels[0]).toMatchObject({ id: 'D1', name: '地块1' });
    expect(r.warnings).toEqual([]);
  });

  it('two records → a MultiPolygon', () => {
    const r = readSiteFile(zipShapefile(writeShapefile(5, records(twoPolys)), PRJ_CGCS2000), 'x.zip');
    expect(r.geometry).toEqual(TWO.site);
    expect(r.parcels.map((p) => p.id)).toEqual(['D1', 'D2']);
  });

  it('a CGCS2000 3° GK .prj (zone prefix or central meridian) is reprojected', () => {
    for (const prefixed of [true, false]) {
      const zip = zipShapefile(writeShapefile(5, records([holeRings], gk38(prefixed))), prjGk3(38, prefixed));
      const r = readSiteFile(zip, 'x.zip');
      expect(r.crs).toMatchObject({ kind: 'gauss-kruger', zone: 38, zoneWidth: 3, prefixed, epsg: prefixed ? 4526 : 4547, centralMeridian: 114 });
      expect(maxVertexErrorM(r.geometry, HOLE.site)).toBeLessThan(0.001);
    }
  });

  it('a polygon with two parts that are both outer rings (islands) and wrong ring orientation', () => {
    // one record holding both polygons of TWO, rings written counter-clockwise (wrong for .shp)
    const parts = twoPolys.map((p) => p[0]);
    const r = readSiteFile(zipShapefile(writeShapefile(5, [{ parts }]), PRJ_CGCS2000), 'x.zip');
    expect(r.geometry).toEqual(TWO.site);
  });

  it('no .prj: lon/lat with a warning; projected without a zone is an error', () => {
    const r = readSiteFile(zipShapefile(writeShapefile(5, records([holeRings])), null), 'x.zip');
    expect(r.geometry).toEqual(HOLE.site);
    expect(r.warningItems.map((w) => w.code)).toEqual(['crs-assumed']);
    const gk = zipShapefile(writeShapefile(5, records([holeRings], gk38(false))), null);
    expect(errorOf(gk, 'x.zip').errors[0].path).toBe('/file/prj');
    expect(maxVertexErrorM(readSiteFile(gk, 'x.zip', { zone: 38, zoneWidth: 3 }).geometry, HOLE.site)).toBeLessThan(0.001);
  });

  it('points and lines', () => {
    expect(readSiteFile(zipShapefile(writeShapefile(1, [{ parts: [[[112.6, 26.9]]] }]), PRJ_CGCS2000), 'p.zip').geometry).toEqual({ type: 'Point', coordinates: [112.6, 26.9] });
    expect(readSiteFile(zipShapefile(writeShapefile(3, [{ parts: [[[112.6, 26.9], [112.61, 26.9]]] }]), PRJ_CGCS2000), 'l.zip').geometry).toEqual({ type: 'LineString', coordinates: [[112.6, 26.9], [112.61, 26.9]] });
  });

  it('errors: not a zip, no .shp, two layers, a truncated .shp, an unsupported projection, a lone .shp', () => {
    const files = writeShapefile(5, records([holeRings]));
    expect(errorOf(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'x.zip').errors[0].message).toMatch(/zip 文件无法解压/);
    expect(errorOf(zipSync({ 'a.txt': utf8('x') }), 'x.zip').errors[0].message).toBe('zip 中没有 .shp 文件');
    expect(errorOf(zipSync({ 'a.shp': files.shp, 'b.shp': files.shp }), 'x.zip').errors[0].message).toMatch(/2 个 .shp 图层/);
    expect(errorOf(zipShapefile({ ...files, shp: files.shp.subarray(0, files.shp.length - 20) }, PRJ_CGCS2000), 'x.zip').errors[0].path).toBe('/file/shp/record/1');
    const merc = 'PROJCS["WGS_1984_Web_Mercator",GEOGCS["GCS_WGS_1984"],PROJECTION["Mercator_Auxiliary_Sphere"],UNIT["Meter",1.0]]';
    expect(errorOf(zipShapefile(files, merc), 'x.zip').errors[0]).toMatchObject({ path: '/file/prj' });
    expect(errorOf(files.shp, 'site.shp').errors[0].message).toMatch(/压缩成 zip/);
  });

  it('is the same as shpjs reads it (a check of the test writer), and shpjs runs in Node', async () => {
    const shpjs: any = await import('shpjs' as string);
    const zip = zipShapefile(writeShapefile(5, records(twoPolys)), null);
    const fc = await shpjs.default(zip);
    const ours = readSiteFile(zip, 'x.zip');
    expect(fc.features.map((f: any) => f.properties.DKBH)).toEqual(['D1', 'D2']);
    expect(maxVertexErrorM({ type: 'MultiPolygon', coordinates: fc.features.map((f: any) => f.geometry.coordinates) }, ours.geometry)).toBe(0);
  });
});

describe('format detection', () => {
  it('by content first, then by extension', () => {
    expect(detectSiteFormat(utf8('{}'), 'a.txt', '{}')).toBe('geojson');
    expect(detectSiteFormat(utf8('POLYGON'), 'a.txt', ' polygon ((')).toBe('wkt');
    expect(detectSiteFormat(utf8('[属性描述]'), 'a.wkt', '[属性描述]')).toBe('wkt');
    expect(detectSiteFormat(utf8('[属性描述]'), 'a.txt', '[属性描述]')).toBe('survey-txt');
    expect(detectSiteFormat(new Uint8Array([0x50, 0x4b, 3, 4]), 'a.txt', null)).toBe('shapefile');
  });
});
