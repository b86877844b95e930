/**
 * Writes a bundle's index entries as one FlatGeobuf file with its packed Hilbert R-tree (the
 * flatgeobuf package's JavaScript writer writes no index, so the tree is built here, as the
 * reference writers build it). One feature per index entry: large features are stored as the
 * pieces loadBundle subdivided them into, so a small site reads a few pieces, not a whole zone.
 */
import * as flatbuffers from 'flatbuffers';
import type { BBox, MultiPolygonCoords, Position } from '../geometry/index.js';
import { bboxOf } from '../geometry/index.js';
import {
  Column, ColumnType, COLUMNS, Crs, Feature, Geometry, GeometryType, Header, hilbert, levelBounds, MAGIC, NODE_BYTES, NODE_SIZE,
} from './fgb-format.js';
import type { EntryRow, SourceIdentity } from './types.js';
import type { Bundle } from '../bundle/types.js';
import { sha256 } from '../hash.js';
import type { FgbManifest } from './fgb-source.js';
import { bundleEntryRows, describeBundle, identityOf } from './source-bundle.js';

export interface FgbLayout {
  bytes: Uint8Array;
  /** Magic bytes + size-prefixed header. */
  headerBytes: number;
  indexBytes: number;
  featureCount: number;
  nodeSize: number;
}

const TYPES = { uint: ColumnType.UInt, string: ColumnType.String, json: ColumnType.Json, double: ColumnType.Double } as const;
const enc = new TextEncoder();

export function writeFgb(rows: EntryRow[], identity: SourceIdentity, opts: { title?: string; nodeSize?: number } = {}): FgbLayout {
  if (rows.length === 0) throw new Error('writeFgb: no features');
  const nodeSize = opts.nodeSize ?? NODE_SIZE;
  const boxes = rows.map((r) => bboxOf((r.polygons ?? r.lines)!));
  const extent: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const b of boxes) {
    extent[0] = Math.min(extent[0], b[0]);
    extent[1] = Math.min(extent[1], b[1]);
    extent[2] = Math.max(extent[2], b[2]);
    extent[3] = Math.max(extent[3], b[3]);
  }
  // Hilbert order of the box centres over the extent (ties: load order, so the file is deterministic).
  const w = extent[2] - extent[0] || 1;
  const h = extent[3] - extent[1] || 1;
  const hv = boxes.map((b) => hilbert(Math.floor((0xffff * ((b[0] + b[2]) / 2 - extent[0])) / w), Math.floor((0xffff * ((b[1] + b[3]) / 2 - extent[1])) / h)));
  const order = rows.map((_, i) => i).sort((a, b) => hv[a] - hv[b] || rows[a].ord - rows[b].ord);

  const features = order.map((i) => featureBytes(rows[i]));
  const header = headerBytes(rows.length, nodeSize, extent, identity, opts.title);
  const bounds = levelBounds(rows.length, nodeSize);
  const numNodes = bounds[0][1];
  const boxesOut = new Float64Array(numNodes * 4);
  const offsets = new Float64Array(numNodes); // < 2^53: exact
  let off = 0;
  for (let k = 0; k < order.length; k++) {
    const node = bounds[0][0] + k;
    boxesOut.set(boxes[order[k]], node * 4);
    offsets[node] = off;
    off += features[k].byteLength;
  }
  const featuresBytes = off;
  for (let level = 0; level < bounds.length - 1; level++) {
    let [pos, end] = bounds[level];
    let parent = bounds[level + 1][0];
    while (pos < end) {
      const first = pos;
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let j = 0; j < nodeSize && pos < end; j++, pos++) {
        x0 = Math.min(x0, boxesOut[pos * 4]);
        y0 = Math.min(y0, boxesOut[pos * 4 + 1]);
        x1 = Math.max(x1, boxesOut[pos * 4 + 2]);
        y1 = Math.max(y1, boxesOut[pos * 4 + 3]);
      }
      boxesOut.set([x0, y0, x1, y1], parent * 4);
      offsets[parent] = first;
      parent++;
    }
  }
  const indexBytes = numNodes * NODE_BYTES;
  const out = new Uint8Array(MAGIC.length + header.byteLength + indexBytes + featuresBytes);
  out.set(MAGIC, 0);
  out.set(header, MAGIC.length);
  const view = new DataView(out.buffer);
  let p = MAGIC.length + header.byteLength;
  for (let n = 0; n < numNodes; n++, p += NODE_BYTES) {
    view.setFloat64(p, boxesOut[n * 4], true);
    view.setFloat64(p + 8, boxesOut[n * 4 + 1], true);
    view.setFloat64(p + 16, boxesOut[n * 4 + 2], true);
    view.setFloat64(p + 24, boxesOut[n * 4 + 3], true);
    view.setBigUint64(p + 32, BigInt(offsets[n]), true);
  }
  for (const f of features) {
    out.set(f, p);
    p += f.byteLength;
  }
  return { bytes: out, headerBytes: MAGIC.length + header.byteLength, indexBytes, featureCount: rows.length, nodeSize };
}

function headerBytes(count: number, nodeSize: number, extent: BBox, identity: SourceIdentity, title?: string): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const cols = COLUMNS.map((c) => {
    const name = b.createString(c.name);
    Column.startColumn(b);
    Column.addName(b, name);
    Column.addType(b, TYPES[c.type]);
    Column.addNullable(b, c.name === 'zone');
    return Column.endColumn(b);
  });
  const columns = Header.createColumnsVector(b, cols);
  const name = b.createString(identity.id);
  const titleOff = b.createString(title ?? identity.name);
  const desc = b.createString('zoning engine layer source: one feature per index entry (pieces of subdivided features); properties in the props column');
  const meta = b.createString(JSON.stringify(identity));
  const org = b.createString('EPSG');
  Crs.startCrs(b);
  Crs.addOrg(b, org);
  Crs.addCode(b, 4490);
  const crs = Crs.endCrs(b);
  const envelope = Header.createEnvelopeVector(b, extent);
  Header.startHeader(b);
  Header.addName(b, name);
  Header.addEnvelope(b, envelope);
  Header.addGeometryType(b, GeometryType.Unknown);
  Header.addColumns(b, columns);
  Header.addFeaturesCount(b, BigInt(count));
  b.forceDefaults(true);
  Header.addIndexNodeSize(b, nodeSize);
  b.forceDefaults(false);
  Header.addCrs(b, crs);
  Header.addTitle(b, titleOff);
  Header.addDescription(b, desc);
  Header.addMetadata(b, meta);
  b.finishSizePrefixed(Header.endHeader(b));
  return b.asUint8Array();
}

function featureBytes(row: EntryRow): Uint8Array {
  const b = new flatbuffers.Builder(1024);
  const geometry = row.polygons ? multiPolygon(b, row.polygons) : multiLine(b, row.lines!);
  const props = propertyBytes(row);
  const propsOff = Feature.createPropertiesVector(b, props);
  Feature.startFeature(b);
  Feature.addGeometry(b, geometry);
  Feature.addProperties(b, propsOff);
  b.finishSizePrefixed(Feature.endFeature(b));
  return b.asUint8Array().slice();
}

function propertyBytes(row: EntryRow): Uint8Array {
  const values: (number | string | null)[] = [
    row.ord, row.id, row.kind, row.zone, JSON.stringify(row.properties),
    row.featureBbox[0], row.featureBbox[1], row.featureBbox[2], row.featureBbox[3],
  ];
  const parts: Uint8Array[] = [];
  let size = 0;
  values.forEach((v, i) => {
    if (v === null) return;
    const type = COLUMNS[i].type;
    let part: Uint8Array;
    if (type === 'uint' || type === 'double') {
      part = new Uint8Array(2 + (type === 'uint' ? 4 : 8));
      const dv = new DataView(part.buffer);
      dv.setUint16(0, i, true);
      if (type === 'uint') dv.setUint32(2, v as number, true);
      else dv.setFloat64(2, v as number, true);
    } else {
      const s = enc.encode(String(v));
      part = new Uint8Array(6 + s.byteLength);
      const dv = new DataView(part.buffer);
      dv.setUint16(0, i, true);
      dv.setUint32(2, s.byteLength, true);
      part.set(s, 6);
    }
    parts.push(part);
    size += part.byteLength;
  });
  const out = new Uint8Array(size);
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.byteLength;
  }
  return out;
}

function flatXy(rings: Position[][]): { xy: Float64Array; ends: number[] } {
  let n = 0;
  for (const r of rings) n += r.length;
  const xy = new Float64Array(n * 2);
  const ends: number[] = [];
  let k = 0;
  for (const r of rings) {
    for (const [x, y] of r) {
      xy[k++] = x;
      xy[k++] = y;
    }
    ends.push(k / 2);
  }
  return { xy, ends };
}

function simple(b: flatbuffers.Builder, type: GeometryType, rings: Position[][]): flatbuffers.Offset {
  const { xy, ends } = flatXy(rings);
  const endsOff = ends.length > 1 ? Geometry.createEndsVector(b, ends) : 0;
  const xyOff = Geometry.createXyVector(b, xy);
  Geometry.startGeometry(b);
  if (endsOff) Geometry.addEnds(b, endsOff);
  Geometry.addXy(b, xyOff);
  Geometry.addType(b, type);
  return Geometry.endGeometry(b);
}

function multiPolygon(b: flatbuffers.Builder, polys: MultiPolygonCoords): flatbuffers.Offset {
  const parts = polys.map((rings) => simple(b, GeometryType.Polygon, rings));
  const partsOff = Geometry.createPartsVector(b, parts);
  Geometry.startGeometry(b);
  Geometry.addParts(b, partsOff);
  Geometry.addType(b, GeometryType.MultiPolygon);
  return Geometry.endGeometry(b);
}

function multiLine(b: flatbuffers.Builder, lines: Position[][]): flatbuffers.Offset {
  return simple(b, GeometryType.MultiLineString, lines);
}

/**
 * The FlatGeobuf file of a bundle loaded in memory and its sidecar manifest (what `npm run
 * build:fgb` writes as <id>.fgb and <id>.fgb.json).
 */
export async function fgbFromBundle(bundle: Bundle, file = `${bundle.id}.fgb`): Promise<{ bytes: Uint8Array; manifest: FgbManifest }> {
  const meta = describeBundle(bundle);
  const layout = writeFgb(bundleEntryRows(bundle), identityOf(meta), { title: bundle.name });
  const manifest: FgbManifest = {
    ...meta,
    fgb: { file, bytes: layout.bytes.byteLength, headerBytes: layout.headerBytes, indexBytes: layout.indexBytes, nodeSize: layout.nodeSize, sha256: await sha256(layout.bytes) },
  };
  return { bytes: layout.bytes, manifest };
}
