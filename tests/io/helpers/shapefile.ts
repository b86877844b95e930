/**
 * A minimal Shapefile writer for the tests (polygons, polylines, points; .shp, .shx, .dbf with
 * character fields, .prj, .cpg), zipped with fflate, so no binary fixture is committed.
 * Polygon outer rings are written clockwise and holes counter-clockwise, as the format wants.
 */
import { zipSync } from 'fflate';

type XY = [number, number];

export interface ShpRecord { parts: XY[][]; attrs?: Record<string, string> }

export const PRJ_CGCS2000 =
  'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]';

/** ESRI .prj of a CGCS2000 3° Gauss-Krüger zone, with or without the zone prefix. */
export function prjGk3(zone: number, prefixed: boolean): string {
  const name = prefixed ? `CGCS2000_3_Degree_GK_Zone_${zone}` : `CGCS2000_3_Degree_GK_CM_${3 * zone}E`;
  return `PROJCS["${name}",${PRJ_CGCS2000},PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",${prefixed ? zone * 1e6 + 500000 : 500000}.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",${3 * zone}.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]`;
}

const signed = (r: XY[]) => {
  let s = 0;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) s += (r[j][0] - r[i][0]) * (r[j][1] + r[i][1]);
  return s;
};

/** Polygon rings (GeoJSON, any orientation) → shapefile parts: closed, outer clockwise, holes counter-clockwise. */
export function polygonParts(rings: XY[][]): XY[][] {
  return rings.map((r, k) => {
    let ring = r.slice();
    const last = ring[ring.length - 1];
    if (ring[0][0] !== last[0] || ring[0][1] !== last[1]) ring.push([ring[0][0], ring[0][1]]);
    const ccw = signed(ring) > 0;
    if ((k === 0) === ccw) ring = ring.reverse();
    return ring;
  });
}

export function writeShapefile(shapeType: 1 | 3 | 5, records: ShpRecord[]): { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array } {
  const contents = records.map((r) => {
    const pts = r.parts.flat();
    if (shapeType === 1) {
      const b = new DataView(new ArrayBuffer(20));
      b.setInt32(0, 1, true);
      b.setFloat64(4, pts[0][0], true);
      b.setFloat64(12, pts[0][1], true);
      return new Uint8Array(b.buffer);
    }
    const size = 44 + 4 * r.parts.length + 16 * pts.length;
    const b = new DataView(new ArrayBuffer(size));
    b.setInt32(0, shapeType, true);
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => b.setFloat64(4 + 8 * i, v, true));
    b.setInt32(36, r.parts.length, true);
    b.setInt32(40, pts.length, true);
    let start = 0;
    r.parts.forEach((p, i) => {
      b.setInt32(44 + 4 * i, start, true);
      start += p.length;
    });
    const o = 44 + 4 * r.parts.length;
    pts.forEach((p, i) => {
      b.setFloat64(o + 16 * i, p[0], true);
      b.setFloat64(o + 16 * i + 8, p[1], true);
    });
    return new Uint8Array(b.buffer);
  });
  const all = records.flatMap((r) => r.parts.flat());
  const bbox = [Math.min(...all.map((p) => p[0])), Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[0])), Math.max(...all.map((p) => p[1]))];
  const header = (lengthBytes: number) => {
    const h = new DataView(new ArrayBuffer(100));
    h.setInt32(0, 9994, false);
    h.setInt32(24, lengthBytes / 2, false);
    h.setInt32(28, 1000, true);
    h.setInt32(32, shapeType, true);
    bbox.forEach((v, i) => h.setFloat64(36 + 8 * i, v, true));
    return new Uint8Array(h.buffer);
  };
  const shpLen = 100 + contents.reduce((s, c) => s + 8 + c.length, 0);
  const shp = new Uint8Array(shpLen);
  const shx = new Uint8Array(100 + 8 * contents.length);
  shp.set(header(shpLen), 0);
  shx.set(header(shx.length), 0);
  const sv = new DataView(shp.buffer);
  const xv = new DataView(shx.buffer);
  let o = 100;
  contents.forEach((c, i) => {
    xv.setInt32(100 + 8 * i, o / 2, false);
    xv.setInt32(104 + 8 * i, c.length / 2, false);
    sv.setInt32(o, i + 1, false);
    sv.setInt32(o + 4, c.length / 2, false);
    shp.set(c, o + 8);
    o += 8 + c.length;
  });
  return { shp, shx, dbf: writeDbf(records.map((r) => r.attrs ?? {})) };
}

/** A dBASE III file with character fields (UTF-8; say so in a .cpg). */
export function writeDbf(rows: Record<string, string>[]): Uint8Array {
  const enc = new TextEncoder();
  const names = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (names.length === 0) names.push('ID');
  const lens = names.map((n) => Math.max(1, ...rows.map((r) => enc.encode(r[n] ?? '').length)));
  const headerLen = 32 + 32 * names.length + 1;
  const recLen = 1 + lens.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(headerLen + recLen * rows.length + 1);
  const v = new DataView(out.buffer);
  out[0] = 0x03;
  out[1] = 126;
  out[2] = 11;
  out[3] = 25;
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLen, true);
  v.setUint16(10, recLen, true);
  names.forEach((n, i) => {
    const o = 32 + 32 * i;
    out.set(enc.encode(n).subarray(0, 10), o);
    out[o + 11] = 'C'.charCodeAt(0);
    out[o + 16] = lens[i];
  });
  out[headerLen - 1] = 0x0d;
  rows.forEach((r, k) => {
    let o = headerLen + k * recLen;
    out[o++] = 0x20;
    names.forEach((n, i) => {
      const b = enc.encode(r[n] ?? '');
      out.fill(0x20, o, o + lens[i]);
      out.set(b, o);
      o += lens[i];
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

export function zipShapefile(files: { shp: Uint8Array; shx: Uint8Array; dbf: Uint8Array }, prj: string | null, base = 'site'): Uint8Array {
  const enc = new TextEncoder();
  return zipSync({
    [`${base}.shp`]: files.shp,
    [`${base}.shx`]: files.shx,
    [`${base}.dbf`]: files.dbf,
    [`${base}.cpg`]: enc.encode('UTF-8'),
    ...(prj !== null ? { [`${base}.prj`]: enc.encode(prj) } : {}),
  });
}
