/**
 * The FlatGeobuf layer source: reads only what a query needs, by byte range — the header and the
 * top levels of the packed R-tree once (cached for the life of the source), then per query the tree
 * nodes along the way down and the features whose boxes meet the query box, in a few coalesced
 * range requests (issued concurrently per tree level and for the features).
 */
import * as flatbuffers from 'flatbuffers';
import type { BBox, MultiPolygonCoords, Position } from '../geometry/index.js';
import type { Bundle, IndexEntry } from '../bundle/types.js';
import type { LayerKind } from '../vocabulary.js';
import { COLUMNS, Feature, Geometry, GeometryType, Header, levelBounds, MAGIC, NODE_BYTES } from './fgb-format.js';
import type { RangeReader } from './range-reader.js';
import { httpRangeReader, r2RangeReader, type R2BucketLike } from './range-reader.js';
import { assembleEntries, readSourceMeta, sourceBundle } from './source-bundle.js';
import type { EntryRow, LayerSource, SourceIdentity, SourceMeta, SourceStats } from './types.js';

/** The sidecar JSON written next to the .fgb file by `npm run build:fgb`. */
export interface FgbManifest extends SourceMeta {
  fgb: {
    /** The .fgb file, relative to the sidecar (or an absolute URL). */
    file: string;
    bytes: number;
    headerBytes: number;
    indexBytes: number;
    nodeSize: number;
    sha256: string;
  };
}

export interface FgbSourceOptions {
  /** Two ranges closer than this are read in one request (default 2048 bytes). */
  mergeGapBytes?: number;
  /** The top levels of the tree that fit in this many bytes are read once, at open (default 65536). */
  cacheTreeBytes?: number;
}

interface Opened {
  identity: SourceIdentity;
  count: number;
  nodeSize: number;
  bounds: [number, number][];
  indexStart: number;
  featuresStart: number;
  /** Node bytes [0, cachedNodes) of the tree. */
  cache: DataView;
  cachedNodes: number;
  columnIndex: number[];
}

interface Hit { offset: number; length: number | null }

const dec = new TextDecoder();

export class FgbLayerSource implements LayerSource {
  readonly name = 'flatgeobuf' as const;
  private opened: Promise<Opened> | null = null;
  private queries = 0;
  private entries = 0;
  private readonly gap: number;
  private readonly cacheBytes: number;

  constructor(
    readonly reader: RangeReader,
    /** Sizes from the sidecar, when known: one request opens the file. */
    private readonly hint: { headerBytes?: number; fileBytes?: number; entryCount?: number; nodeSize?: number } = {},
    opts: FgbSourceOptions = {},
  ) {
    this.gap = opts.mergeGapBytes ?? 2048;
    this.cacheBytes = opts.cacheTreeBytes ?? 65536;
  }

  stats(): SourceStats {
    return { queries: this.queries, entries: this.entries, bytes: this.reader.bytes, requests: this.reader.requests };
  }

  /** Reads the header and the top of the tree (once); gives the identity written in the header metadata. */
  async identity(): Promise<SourceIdentity> {
    return (await this.open()).identity;
  }

  private open(): Promise<Opened> {
    this.opened ??= this.doOpen().catch((e) => {
      this.opened = null;
      throw e;
    });
    return this.opened;
  }

  private async doOpen(): Promise<Opened> {
    const r = this.reader;
    const { headerBytes, entryCount, nodeSize } = this.hint;
    let guessNodes = 0;
    if (entryCount && nodeSize) guessNodes = cachedPrefix(levelBounds(entryCount, nodeSize), this.cacheBytes);
    let head = await r.read(0, (headerBytes ?? 16384) + guessNodes * NODE_BYTES);
    if (head.byteLength < 12 || !MAGIC.slice(0, 3).every((v, i) => head[i] === v)) throw new Error(`${r.describe}: not a FlatGeobuf file`);
    const headerLen = new DataView(head.buffer, head.byteOffset, head.byteLength).getUint32(8, true);
    if (headerLen < 8 || headerLen > 10 * 1024 * 1024) throw new Error(`${r.describe}: invalid FlatGeobuf header size ${headerLen}`);
    const indexStart = 12 + headerLen;
    if (head.byteLength < indexStart) head = concat(head, await r.read(head.byteLength, indexStart - head.byteLength));
    const header = Header.getSizePrefixedRootAsHeader(new flatbuffers.ByteBuffer(head.slice(8, indexStart)));
    const count = Number(header.featuresCount());
    const ns = header.indexNodeSize();
    if (!(count > 0) || ns < 2) throw new Error(`${r.describe}: the FlatGeobuf file has no features or no spatial index`);
    const columnIndex: number[] = [];
    const names = Array.from({ length: header.columnsLength() }, (_, i) => header.columns(i)!.name());
    for (const c of COLUMNS) {
      const i = names.indexOf(c.name);
      if (i < 0) throw new Error(`${r.describe}: not a layer-source file (column ${c.name} missing); build it with npm run build:fgb`);
      columnIndex.push(i);
    }
    let identity: SourceIdentity;
    try {
      identity = JSON.parse(header.metadata() ?? '');
    } catch {
      throw new Error(`${r.describe}: the FlatGeobuf header carries no layer-source metadata; build it with npm run build:fgb`);
    }
    const bounds = levelBounds(count, ns);
    const numNodes = bounds[0][1];
    const cachedNodes = cachedPrefix(bounds, this.cacheBytes);
    const need = indexStart + cachedNodes * NODE_BYTES;
    if (head.byteLength < need) head = concat(head, await r.read(head.byteLength, need - head.byteLength));
    const cache = new DataView(head.buffer, head.byteOffset + indexStart, cachedNodes * NODE_BYTES);
    return { identity, count, nodeSize: ns, bounds, indexStart, featuresStart: indexStart + numNodes * NODE_BYTES, cache, cachedNodes, columnIndex };
  }

  async query(bbox: BBox): Promise<IndexEntry[]> {
    const o = await this.open();
    this.queries++;
    const [qx0, qy0, qx1, qy1] = bbox;
    const hits: Hit[] = [];
    // Ranges of node indices to visit at the current level, from the root down.
    let ranges: [number, number][] = [[0, 1]];
    for (let level = o.bounds.length - 1; level >= 0 && ranges.length; level--) {
      const leaf = level === 0;
      const levelEnd = o.bounds[level][1];
      const chunks = await this.readNodes(o, ranges, leaf ? levelEnd : 0);
      const next: [number, number][] = [];
      for (const [s, e] of ranges) {
        for (let i = s; i < e; i++) {
          const v = nodeView(chunks, i);
          const p = (i - v.start) * NODE_BYTES;
          const dv = v.view;
          if (qx1 < dv.getFloat64(p, true) || qy1 < dv.getFloat64(p + 8, true) || qx0 > dv.getFloat64(p + 16, true) || qy0 > dv.getFloat64(p + 24, true)) continue;
          const offset = Number(dv.getBigUint64(p + 32, true));
          if (leaf) {
            let length: number | null = null;
            if (i + 1 < levelEnd) {
              const w = nodeView(chunks, i + 1);
              length = Number(w.view.getBigUint64((i + 1 - w.start) * NODE_BYTES + 32, true)) - offset;
            } else if (this.hint.fileBytes) length = this.hint.fileBytes - o.featuresStart - offset;
            hits.push({ offset, length });
          } else {
            const childEnd = Math.min(offset + o.nodeSize, o.bounds[level - 1][1]);
            const last = next[next.length - 1];
            if (last && last[1] === offset) last[1] = childEnd;
            else next.push([offset, childEnd]);
          }
        }
      }
      ranges = next;
    }
    const rows = await this.readFeatures(o, hits);
    const out = assembleEntries(rows, bbox);
    this.entries += out.length;
    return out;
  }

  /** Node bytes for `ranges` (node indices; leaves extended by one node for the next offset). */
  private async readNodes(o: Opened, ranges: [number, number][], leafEnd: number): Promise<{ start: number; end: number; view: DataView }[]> {
    const want = ranges.map(([s, e]) => [s, leafEnd ? Math.min(e + 1, leafEnd) : e] as [number, number]);
    const out: { start: number; end: number; view: DataView }[] = [];
    const fetch: [number, number][] = [];
    for (const [s, e] of want) {
      if (e <= o.cachedNodes) continue;
      const from = Math.max(s, o.cachedNodes);
      const last = fetch[fetch.length - 1];
      if (last && (from - last[1]) * NODE_BYTES <= this.gap) last[1] = Math.max(last[1], e);
      else fetch.push([from, e]);
    }
    if (o.cachedNodes) out.push({ start: 0, end: o.cachedNodes, view: o.cache });
    const got = await Promise.all(fetch.map(async ([s, e]) => {
      const b = await this.reader.read(o.indexStart + s * NODE_BYTES, (e - s) * NODE_BYTES);
      if (b.byteLength < (e - s) * NODE_BYTES) throw new Error(`${this.reader.describe}: truncated FlatGeobuf index`);
      return { start: s, end: e, view: new DataView(b.buffer, b.byteOffset, b.byteLength) };
    }));
    out.push(...got);
    return out;
  }

  private async readFeatures(o: Opened, hits: Hit[]): Promise<EntryRow[]> {
    if (!hits.length) return [];
    hits.sort((a, b) => a.offset - b.offset);
    // A feature of unknown length (the file's last) is read by its size prefix first.
    for (const h of hits) {
      if (h.length !== null) continue;
      const p = await this.reader.read(o.featuresStart + h.offset, 4);
      h.length = 4 + new DataView(p.buffer, p.byteOffset, 4).getUint32(0, true);
    }
    const groups: Hit[][] = [];
    for (const h of hits) {
      const g = groups[groups.length - 1];
      const prev = g?.[g.length - 1];
      if (prev && h.offset - (prev.offset + prev.length!) <= this.gap) g.push(h);
      else groups.push([h]);
    }
    const parts = await Promise.all(groups.map(async (g) => {
      const start = g[0].offset;
      const end = g[g.length - 1].offset + g[g.length - 1].length!;
      const bytes = await this.reader.read(o.featuresStart + start, end - start);
      if (bytes.byteLength < end - start) throw new Error(`${this.reader.describe}: truncated FlatGeobuf feature data`);
      return g.map((h) => decodeFeature(bytes.slice(h.offset - start, h.offset - start + h.length!), o.columnIndex, this.reader.describe));
    }));
    return parts.flat();
  }
}

function cachedPrefix(bounds: [number, number][], maxBytes: number): number {
  // Levels are stored root first: node indices [0, bounds[level][1]) cover the levels above and at `level`.
  let nodes = 0;
  for (let level = bounds.length - 1; level >= 0; level--) {
    if (bounds[level][1] * NODE_BYTES > maxBytes) break;
    nodes = bounds[level][1];
  }
  return nodes;
}

function nodeView(chunks: { start: number; end: number; view: DataView }[], i: number): { start: number; view: DataView } {
  for (const c of chunks) if (i >= c.start && i < c.end) return c;
  throw new Error(`FlatGeobuf index node ${i} not read`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}

function decodeFeature(bytes: Uint8Array, columnIndex: number[], where: string): EntryRow {
  const f = Feature.getSizePrefixedRootAsFeature(new flatbuffers.ByteBuffer(bytes));
  const props = f.propertiesArray();
  const values = new Map<number, unknown>();
  if (props) {
    const dv = new DataView(props.buffer, props.byteOffset, props.byteLength);
    let p = 0;
    while (p < props.byteLength) {
      const col = dv.getUint16(p, true);
      p += 2;
      const k = columnIndex.indexOf(col);
      const type = COLUMNS[k]?.type;
      if (type === 'uint') {
        values.set(k, dv.getUint32(p, true));
        p += 4;
      } else if (type === 'double') {
        values.set(k, dv.getFloat64(p, true));
        p += 8;
      } else if (type === 'string' || type === 'json') {
        const n = dv.getUint32(p, true);
        p += 4;
        values.set(k, dec.decode(props.subarray(p, p + n)));
        p += n;
      } else throw new Error(`${where}: unexpected column ${col} in a feature`);
    }
  }
  const g = f.geometry();
  if (!g) throw new Error(`${where}: feature without geometry`);
  const type = g.type();
  let polygons: MultiPolygonCoords | null = null;
  let lines: Position[][] | null = null;
  if (type === GeometryType.MultiPolygon) polygons = Array.from({ length: g.partsLength() }, (_, i) => rings(g.parts(i)!));
  else if (type === GeometryType.Polygon) polygons = [rings(g)];
  else if (type === GeometryType.MultiLineString || type === GeometryType.LineString) lines = rings(g);
  else throw new Error(`${where}: unexpected geometry type ${type}`);
  return {
    ord: values.get(0) as number,
    id: values.get(1) as string,
    kind: values.get(2) as LayerKind,
    zone: (values.get(3) as string | undefined) ?? null,
    properties: JSON.parse(values.get(4) as string),
    featureBbox: [values.get(5), values.get(6), values.get(7), values.get(8)] as BBox,
    polygons,
    lines,
  };
}

function rings(g: Geometry): Position[][] {
  const xy = g.xyArray() ?? new Float64Array(0);
  const ends = g.endsArray() ?? [xy.length / 2];
  const out: Position[][] = [];
  let s = 0;
  for (const e of ends) {
    const r: Position[] = [];
    for (let i = s; i < e; i++) r.push([xy[2 * i], xy[2 * i + 1]]);
    out.push(r);
    s = e;
  }
  return out;
}

/**
 * A bundle served from a FlatGeobuf file: checks that the file's header names the same bundle and
 * hash as the sidecar (so decisions carry the hash of the data that decided), and reads the header
 * and the top of the tree before returning.
 */
export async function openFgbBundle(manifestRaw: unknown, reader: RangeReader, where: string, opts: FgbSourceOptions = {}): Promise<{ bundle: Bundle; source: FgbLayerSource }> {
  const meta = readSourceMeta(manifestRaw, where) as FgbManifest;
  const fgb = meta.fgb;
  if (!fgb || typeof fgb.file !== 'string') throw new Error(`layer source ${where}: the manifest names no .fgb file`);
  const source = new FgbLayerSource(reader, { headerBytes: fgb.headerBytes, fileBytes: fgb.bytes, entryCount: meta.entryCount, nodeSize: fgb.nodeSize }, opts);
  const id = await source.identity();
  if (id.id !== meta.id || id.hash !== meta.hash || id.entryCount !== meta.entryCount) {
    throw new Error(`layer source ${where}: ${reader.describe} holds ${id.id} ${id.hash} (${id.entryCount} entries), the manifest says ${meta.id} ${meta.hash} (${meta.entryCount}); rebuild with npm run build:fgb`);
  }
  return { bundle: sourceBundle(meta, source), source };
}

/** Over HTTP (Node, Workers, browsers): the sidecar URL; the .fgb is resolved relative to it. */
export async function openFgbUrl(manifestUrl: string, opts: FgbSourceOptions & { fetch?: typeof fetch; headers?: Record<string, string> } = {}) {
  const f = opts.fetch ?? fetch;
  const res = await f(manifestUrl, { headers: opts.headers });
  if (!res.ok) throw new Error(`${manifestUrl}: HTTP ${res.status}`);
  const manifest = (await res.json()) as FgbManifest;
  const fgbUrl = new URL(manifest.fgb?.file ?? '', manifestUrl).toString();
  return openFgbBundle(manifest, httpRangeReader(fgbUrl, { fetch: opts.fetch, headers: opts.headers }), manifestUrl, opts);
}

/**
 * From an R2 bucket (a Worker's binding): the sidecar's key; the .fgb is resolved relative to it
 * ("layers/demo-county.fgb.json" → "layers/demo-county.fgb").
 */
export async function openFgbR2(bucket: R2BucketLike, manifestKey: string, opts: FgbSourceOptions = {}) {
  const obj = await bucket.get(manifestKey);
  if (!obj) throw new Error(`r2://${manifestKey}: no such object`);
  const manifest = JSON.parse(new TextDecoder().decode(await obj.arrayBuffer())) as FgbManifest;
  const dir = manifestKey.includes('/') ? manifestKey.slice(0, manifestKey.lastIndexOf('/') + 1) : '';
  return openFgbBundle(manifest, r2RangeReader(bucket, dir + (manifest.fgb?.file ?? '')), `r2://${manifestKey}`, opts);
}
