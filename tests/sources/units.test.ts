/**
 * The pieces of the layer sources: WKB round trips, the FlatGeobuf writer/reader on edge cases
 * (one feature, a deep tree, no size hints, every box), and purity of engine/sources (it runs in
 * Workers: no node:* imports, and it bundles for the browser platform).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import type { BBox, MultiPolygonCoords, Position } from '../../engine/geometry/index.js';
import { assembleEntries, bytesRangeReader, decodeWkb, encodeWkb, FgbLayerSource, SOURCE_FORMAT, writeFgb, type EntryRow } from '../../engine/sources/index.js';

const sq = (x: number, y: number, d: number): Position[] => [[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]];

function rows(n: number): EntryRow[] {
  const out: EntryRow[] = [];
  for (let i = 0; i < n; i++) {
    const x = 112 + (i % 37) * 0.01 + i * 1e-9;
    const y = 27 + Math.floor(i / 37) * 0.01;
    const road = i % 5 === 4;
    const polygons: MultiPolygonCoords | null = road ? null : i % 3 === 0 ? [[sq(x, y, 0.004), sq(x + 0.001, y + 0.001, 0.001).reverse()], [sq(x + 0.006, y, 0.002)]] : [[sq(x, y, 0.005)]];
    const lines: Position[][] | null = road ? [[[x, y], [x + 0.003, y + 0.0071234567891234]], [[x, y + 0.001], [x + 0.1 / 3, y + 0.002]]] : null;
    out.push({
      ord: i, id: road ? `r-${i}` : `f-${Math.floor(i / 2)}`, kind: road ? 'road' : 'permanent-farmland', zone: road ? 'county' : null,
      properties: { kind: road ? 'road' : 'permanent-farmland', n: i, name: `名称 ${i}`, nested: { a: [1, 0.1 + 0.2] } },
      featureBbox: [x - 1, y - 1, x + 1, y + 1], polygons, lines,
    });
  }
  return out;
}

const identity = (n: number) => ({ format: SOURCE_FORMAT as typeof SOURCE_FORMAT, id: 'unit', name: '单元', hash: 'sha256:unit', entryCount: n });
const key = (es: ReturnType<typeof assembleEntries>) => es.map((e) => JSON.stringify([e.feature.id, e.feature.kind, e.feature.zone, e.feature.properties, e.feature.bbox, e.bbox, e.polygons, e.feature.lines]));

describe('WKB', () => {
  it('round-trips multipolygons with holes and multilinestrings bit for bit', () => {
    for (const r of rows(10)) {
      const back = decodeWkb(encodeWkb(r));
      expect(back.polygons).toEqual(r.polygons);
      expect(back.lines).toEqual(r.lines);
    }
  });
  it('reads big-endian WKB and single polygons / linestrings', () => {
    const be = new Uint8Array([0, 0, 0, 0, 2, 0, 0, 0, 2, ...f64be(1.5), ...f64be(-2.25), ...f64be(3), ...f64be(4)]);
    expect(decodeWkb(be)).toEqual({ polygons: null, lines: [[[1.5, -2.25], [3, 4]]] });
  });
});

function f64be(v: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, false);
  return [...b];
}

describe('FlatGeobuf writer and reader', () => {
  for (const [n, nodeSize] of [[1, 16], [2, 2], [17, 16], [300, 2], [1000, 16]] as const) {
    it(`${n} entries, node size ${nodeSize}: every box answers like a scan, with and without size hints`, async () => {
      const rs = rows(n);
      const file = writeFgb(rs, identity(n), { nodeSize });
      const hinted = new FgbLayerSource(bytesRangeReader(file.bytes), { headerBytes: file.headerBytes, fileBytes: file.bytes.byteLength, entryCount: n, nodeSize }, { cacheTreeBytes: 200 });
      const bare = new FgbLayerSource(bytesRangeReader(file.bytes), {}, { cacheTreeBytes: 0, mergeGapBytes: 0 });
      expect(await hinted.identity()).toEqual(identity(n));
      const boxes: BBox[] = [[-180, -90, 180, 90], [0, 0, 1, 1]];
      let seed = 12345;
      const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
      for (let i = 0; i < 60; i++) {
        // Around a random entry's corner, so most boxes meet something.
        const [x0, y0] = (rs[Math.floor(rnd() * n)].polygons?.[0][0] ?? rs[Math.floor(rnd() * n)].lines?.[0] ?? [[112, 27]])[0];
        const x = x0 + (rnd() - 0.5) * 0.01, y = y0 + (rnd() - 0.5) * 0.01;
        boxes.push([x, y, x + (i % 4) * 0.01 * rnd(), y + (i % 3) * 0.01 * rnd()]);
      }
      let nonEmpty = 0;
      for (const b of boxes) {
        const want = key(assembleEntries(rs, b));
        if (want.length) nonEmpty++;
        expect(key(await hinted.query(b)), `${b}`).toEqual(want);
        expect(key(await bare.query(b)), `${b}`).toEqual(want);
      }
      expect(nonEmpty).toBeGreaterThan(25);
    });
  }
});

describe('purity: engine/sources runs on Node, Workers and browsers', () => {
  const dir = join(__dirname, '../../engine/sources');
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  for (const f of files) {
    it(`${f}: no node:* imports, no Node globals`, () => {
      const src = readFileSync(join(dir, f), 'utf8');
      const imports = [...src.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec.startsWith('node:'), spec).toBe(false);
        if (!spec.startsWith('.')) expect(spec === 'flatbuffers' || spec.startsWith('flatgeobuf/'), spec).toBe(true);
      }
      const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      expect(code).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\brequire\s*\(|\bprocess\.|\bBuffer\./);
    });
  }
  it('bundles for the browser platform (as wrangler bundles a Worker)', async () => {
    const r = await build({ entryPoints: [join(dir, 'index.ts')], bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    expect(r.errors).toEqual([]);
    expect(r.outputFiles[0].text).not.toMatch(/from\s*["']node:/);
  }, 60_000);
});

describe('FlatGeobuf from an R2 bucket (a Worker binding)', () => {
  it('opens the sidecar by key, the .fgb next to it, and reads features by range', async () => {
    const { loadBundleDir } = await import('../../api/node/load-bundle-dir.js');
    const { fgbFromBundle, openFgbR2 } = await import('../../engine/sources/index.js');
    const memory = await loadBundleDir(join(__dirname, '../../fixtures/demo'));
    const { bytes, manifest } = await fgbFromBundle(memory);
    const objects = new Map<string, Uint8Array>([
      ['layers/demo-county.fgb.json', new TextEncoder().encode(JSON.stringify(manifest))],
      [`layers/${manifest.fgb.file}`, bytes],
    ]);
    const gets: { key: string; range?: { offset: number; length: number } }[] = [];
    const bucket = {
      async get(key: string, options?: { range: { offset: number; length: number } }) {
        gets.push({ key, range: options?.range });
        const b = objects.get(key);
        if (!b) return null;
        const part = options ? b.slice(options.range.offset, options.range.offset + options.range.length) : b;
        return { arrayBuffer: async () => part.buffer.slice(part.byteOffset, part.byteOffset + part.byteLength) as ArrayBuffer };
      },
    };
    const { bundle } = await openFgbR2(bucket, 'layers/demo-county.fgb.json');
    expect(bundle.hash).toBe(memory.hash);
    const box: BBox = [memory.bbox[0], memory.bbox[1], (memory.bbox[0] + memory.bbox[2]) / 2, (memory.bbox[1] + memory.bbox[3]) / 2];
    const got = (await bundle.query(box)).map((e) => e.feature.id);
    expect(got).toEqual((await memory.query(box)).map((e) => e.feature.id));
    expect(gets.filter((g) => g.key.endsWith('.fgb')).every((g) => g.range && g.range.length < bytes.byteLength)).toBe(true);
    await expect(openFgbR2(bucket, 'layers/missing.fgb.json')).rejects.toThrow(/no such object/);
  });
});
