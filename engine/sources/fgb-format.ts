/**
 * The FlatGeobuf layout shared by the writer and the reader (https://flatgeobuf.org, spec 3.x):
 * magic bytes, size-prefixed header, packed Hilbert R-tree (node items of 4 float64 + uint64
 * offset, root first), size-prefixed features. The flatbuffers tables come from the flatgeobuf
 * package; the tree and the range reads are ours (no logging, bounded requests, any range source).
 */
export { Header } from 'flatgeobuf/lib/mjs/flat-geobuf/header.js';
export { Feature } from 'flatgeobuf/lib/mjs/flat-geobuf/feature.js';
export { Geometry } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry.js';
export { Column } from 'flatgeobuf/lib/mjs/flat-geobuf/column.js';
export { Crs } from 'flatgeobuf/lib/mjs/flat-geobuf/crs.js';
export { GeometryType } from 'flatgeobuf/lib/mjs/flat-geobuf/geometry-type.js';
export { ColumnType } from 'flatgeobuf/lib/mjs/flat-geobuf/column-type.js';

export const MAGIC = new Uint8Array([0x66, 0x67, 0x62, 0x03, 0x66, 0x67, 0x62, 0x01]);
export const NODE_BYTES = 40;
export const NODE_SIZE = 16;

/** Columns of a layer-source file, in this order (the properties of a feature are the `props` JSON). */
export const COLUMNS = [
  { name: 'ord', type: 'uint' },
  { name: 'fid', type: 'string' },
  { name: 'kind', type: 'string' },
  { name: 'zone', type: 'string' },
  { name: 'props', type: 'json' },
  { name: 'fxmin', type: 'double' },
  { name: 'fymin', type: 'double' },
  { name: 'fxmax', type: 'double' },
  { name: 'fymax', type: 'double' },
] as const;

/** [start, end) node indices of each tree level, leaves (level 0) first; the root is node 0. */
export function levelBounds(numItems: number, nodeSize: number): [number, number][] {
  if (numItems < 1) throw new Error('a FlatGeobuf index needs at least one item');
  let n = numItems;
  let numNodes = n;
  const counts = [n];
  do {
    n = Math.ceil(n / nodeSize);
    numNodes += n;
    counts.push(n);
  } while (n !== 1);
  const bounds: [number, number][] = [];
  let end = numNodes;
  for (const c of counts) {
    bounds.push([end - c, end]);
    end -= c;
  }
  return bounds;
}

export function treeBytes(numItems: number, nodeSize: number): number {
  const b = levelBounds(numItems, nodeSize);
  return b[0][1] * NODE_BYTES;
}

/** Hilbert curve index of (x, y) in [0, 65535]² (the ordering of flatbush and FlatGeobuf). */
export function hilbert(x: number, y: number): number {
  let a = x ^ y;
  let b = 0xffff ^ a;
  let c = 0xffff ^ (x | y);
  let d = x & (y ^ 0xffff);
  let A = a | (b >> 1);
  let B = (a >> 1) ^ a;
  let C = (c >> 1) ^ (b & (d >> 1)) ^ c;
  let D = (a & (c >> 1)) ^ (d >> 1) ^ d;
  a = A; b = B; c = C; d = D;
  A = (a & (a >> 2)) ^ (b & (b >> 2));
  B = (a & (b >> 2)) ^ (b & ((a ^ b) >> 2));
  C ^= (a & (c >> 2)) ^ (b & (d >> 2));
  D ^= (b & (c >> 2)) ^ ((a ^ b) & (d >> 2));
  a = A; b = B; c = C; d = D;
  A = (a & (a >> 4)) ^ (b & (b >> 4));
  B = (a & (b >> 4)) ^ (b & ((a ^ b) >> 4));
  C ^= (a & (c >> 4)) ^ (b & (d >> 4));
  D ^= (b & (c >> 4)) ^ ((a ^ b) & (d >> 4));
  a = A; b = B; c = C; d = D;
  C ^= (a & (c >> 8)) ^ (b & (d >> 8));
  D ^= (b & (c >> 8)) ^ ((a ^ b) & (d >> 8));
  a = C ^ (C >> 1);
  b = D ^ (D >> 1);
  let i0 = x ^ y;
  let i1 = b | (0xffff ^ (i0 | a));
  i0 = (i0 | (i0 << 8)) & 0x00ff00ff;
  i0 = (i0 | (i0 << 4)) & 0x0f0f0f0f;
  i0 = (i0 | (i0 << 2)) & 0x33333333;
  i0 = (i0 | (i0 << 1)) & 0x55555555;
  i1 = (i1 | (i1 << 8)) & 0x00ff00ff;
  i1 = (i1 | (i1 << 4)) & 0x0f0f0f0f;
  i1 = (i1 | (i1 << 2)) & 0x33333333;
  i1 = (i1 | (i1 << 1)) & 0x55555555;
  return ((i1 << 1) | i0) >>> 0;
}
