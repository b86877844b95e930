/**
 * Well-known binary (OGC WKB, 2D) for the PostGIS source: coordinates travel as the float64s they
 * are, so the engine's overlay sees exactly the coordinates the bundle holds (text formats such as
 * ST_AsGeoJSON round to a number of decimals).
 */
import type { MultiPolygonCoords, Position } from '../geometry/index.js';

const POINT = 1, LINESTRING = 2, POLYGON = 3, MULTILINESTRING = 5, MULTIPOLYGON = 6;

export type WkbGeometry = { polygons: MultiPolygonCoords; lines: null } | { polygons: null; lines: Position[][] };

export function encodeWkb(g: { polygons: MultiPolygonCoords | null; lines: Position[][] | null }): Uint8Array {
  let size = 9;
  if (g.polygons) for (const p of g.polygons) size += 9 + p.reduce((a, r) => a + 4 + 16 * r.length, 0);
  else for (const l of g.lines!) size += 9 + 16 * l.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let o = 0;
  const head = (type: number, n: number) => {
    dv.setUint8(o, 1);
    dv.setUint32(o + 1, type, true);
    dv.setUint32(o + 5, n, true);
    o += 9;
  };
  const points = (r: Position[]) => {
    for (const [x, y] of r) {
      dv.setFloat64(o, x, true);
      dv.setFloat64(o + 8, y, true);
      o += 16;
    }
  };
  if (g.polygons) {
    head(MULTIPOLYGON, g.polygons.length);
    for (const p of g.polygons) {
      head(POLYGON, p.length);
      for (const r of p) {
        dv.setUint32(o, r.length, true);
        o += 4;
        points(r);
      }
    }
  } else {
    head(MULTILINESTRING, g.lines!.length);
    for (const l of g.lines!) {
      head(LINESTRING, l.length);
      points(l);
    }
  }
  return out;
}

export function decodeWkb(bytes: Uint8Array): WkbGeometry {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  let le = true;
  const u32 = () => {
    const v = dv.getUint32(o, le);
    o += 4;
    return v;
  };
  const ring = (): Position[] => {
    const n = u32();
    const r: Position[] = new Array(n);
    for (let i = 0; i < n; i++, o += 16) r[i] = [dv.getFloat64(o, le), dv.getFloat64(o + 8, le)];
    return r;
  };
  const geom = (): { type: number; value: unknown } => {
    le = dv.getUint8(o) === 1;
    o += 1;
    const raw = u32();
    if (raw & 0xe0000000) throw new Error('WKB: extended (EWKB) or Z/M geometries are not expected; use ST_AsBinary on 2D data');
    const type = raw % 1000;
    if (raw >= 1000) throw new Error('WKB: Z/M geometries are not expected');
    switch (type) {
      case LINESTRING: return { type, value: ring() };
      case POLYGON: {
        const n = u32();
        return { type, value: Array.from({ length: n }, ring) };
      }
      case MULTILINESTRING:
      case MULTIPOLYGON: {
        const n = u32();
        return { type, value: Array.from({ length: n }, () => geom().value) };
      }
      case POINT:
      default:
        throw new Error(`WKB: unexpected geometry type ${type}`);
    }
  };
  const g = geom();
  switch (g.type) {
    case POLYGON: return { polygons: [g.value as Position[][]], lines: null };
    case MULTIPOLYGON: return { polygons: g.value as MultiPolygonCoords, lines: null };
    case LINESTRING: return { polygons: null, lines: [g.value as Position[]] };
    default: return { polygons: null, lines: g.value as Position[][] };
  }
}
