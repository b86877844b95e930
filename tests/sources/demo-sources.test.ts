/**
 * Issue 7: the three layer sources on the demo bundle give identical decisions — every sample
 * project of fixtures/projects and seeded random sites, evaluated through the in-memory bundle, the
 * FlatGeobuf file over HTTP Range requests and the PostGIS table, compared whole (findings, areas,
 * verdicts, questions, bundleHash) apart from decisionId and createdAt.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deserialize } from 'flatgeobuf/lib/mjs/geojson.js';
import type { BBox } from '../../engine/geometry/index.js';
import type { Bundle, IndexEntry } from '../../engine/bundle/types.js';
import { bytesRangeReader, openFgbBundle, openFgbUrl, SourceNotSupportedError, type FgbManifest } from '../../engine/sources/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { loadBundleIntoPostgis } from '../../api/node/sources/postgis-load.js';
import { evaluateOn, IN_CI, threeSources, type ThreeSources } from './helpers/three-sources.js';
import { randomSites, square } from './helpers/sites.js';

const root = join(__dirname, '../..');
const projectsDir = join(root, 'fixtures/projects');
const files = readdirSync(projectsDir).filter((f) => f.endsWith('.json')).sort();

let S: ThreeSources;
beforeAll(async () => {
  S = await threeSources(join(root, 'fixtures/demo'));
}, 240_000);
afterAll(async () => {
  await S?.close();
});

const remotes = () => [S.fgb.bundle, ...(S.postgis ? [S.postgis.bundle] : [])];
const entryKey = (es: IndexEntry[]) => es.map((e) => `${e.feature.id}|${e.feature.kind}|${e.feature.zone}|${JSON.stringify(e.bbox)}|${JSON.stringify(e.polygons ?? e.feature.lines)}|${JSON.stringify(e.feature.properties)}`);

describe('layer sources on the demo bundle', () => {
  it('describe the same bundle: hash, tolerances, local policies, bbox, boundary, layer statistics', () => {
    expect(S.postgis !== null || !IN_CI, 'PostGIS cluster (required under CI)').toBe(true);
    for (const b of remotes()) {
      expect(b.id).toBe(S.memory.id);
      expect(b.hash).toBe(S.memory.hash);
      expect(b.name).toBe(S.memory.name);
      expect(b.sliverToleranceM2).toBe(S.memory.sliverToleranceM2);
      expect(b.distanceSearchM).toBe(S.memory.distanceSearchM);
      expect(b.localPolicies).toEqual(S.memory.localPolicies);
      expect(b.bbox).toEqual(S.memory.bbox);
      expect(b.boundary).toEqual(JSON.parse(JSON.stringify(S.memory.boundary)));
      expect(b.stats).toEqual(JSON.parse(JSON.stringify(S.memory.stats)));
      expect(b.manifest).toEqual(S.memory.manifest);
    }
    expect([S.memory.source, ...remotes().map((b) => b.source)]).toEqual(['memory', 'flatgeobuf', ...(S.postgis ? ['postgis'] : [])]);
  });

  it('answer query(bbox) with the in-memory entries, in load order, pieces sharing their feature', async () => {
    const [w, s, e, n] = S.memory.bbox;
    let rnd = 7;
    const next = () => ((rnd = (rnd * 16807) % 2147483647) / 2147483647);
    let nonEmpty = 0;
    for (let i = 0; i < 150; i++) {
      const x = w + next() * (e - w);
      const y = s + next() * (n - s);
      const d = next() ** 2 * 0.02;
      const box: BBox = [x - d, y - d, x + d * next() * 2, y + d];
      const want = await S.memory.query(box);
      if (want.length) nonEmpty++;
      for (const b of remotes()) {
        const got = await b.query(box);
        expect(entryKey(got), `${b.source} ${box}`).toEqual(entryKey(want));
        // Pieces of one feature are one LayerFeature object, as in memory (the overlay sums by identity).
        const byId = new Map<string, unknown>();
        for (const g of got) {
          if (byId.has(g.feature.id)) expect(byId.get(g.feature.id)).toBe(g.feature);
          byId.set(g.feature.id, g.feature);
        }
      }
    }
    expect(nonEmpty).toBeGreaterThan(100);
    // The whole jurisdiction, and a box touching nothing.
    for (const box of [S.memory.bbox, [0, 0, 1, 1] as BBox]) {
      const want = entryKey(await S.memory.query(box));
      for (const b of remotes()) expect(entryKey(await b.query(box))).toEqual(want);
    }
  });

  for (const file of files) {
    it(`gives identical decisions for ${file}`, async () => {
      const { expect: _e, ...request } = JSON.parse(readFileSync(join(projectsDir, file), 'utf8'));
      const want = await evaluateOn(S.memory, S.policies, request);
      expect(want.ok, JSON.stringify(want)).toBe(true);
      for (const b of remotes()) expect(await evaluateOn(b, S.policies, request), b.source).toEqual(want);
    });
  }

  it('gives identical decisions (and identical refusals) for 40 seeded random sites', async () => {
    const sites = randomSites(S.memory.id, S.memory.bbox as [number, number, number, number], 40, 11);
    let decided = 0;
    for (const { kind, input } of sites) {
      const want = await evaluateOn(S.memory, S.policies, input);
      if (want.ok) decided++;
      for (const b of remotes()) expect(await evaluateOn(b, S.policies, input), `${b.source} ${kind} ${JSON.stringify(input.site)}`).toEqual(want);
    }
    expect(decided).toBeGreaterThan(20);
  });

  it('reads only a small part of the .fgb over HTTP for a 1 ha site', async () => {
    const path = `/${S.memory.id}.fgb`;
    const [w, s, e, n] = S.memory.bbox;
    const site = square(w + 0.5 * (e - w), s + 0.5 * (n - s), 100);
    const input = { jurisdiction: S.memory.id, project: { activity: 'industrial' }, site };
    // Cold: a new source opens the file (header + top of the tree), then evaluates.
    S.server.reset();
    const cold = await openFgbUrl(`${S.server.base}/${S.memory.id}.fgb.json`);
    const openBytes = S.server.bytes(path);
    const d = await evaluateOn(cold.bundle, S.policies, input);
    expect(d.ok).toBe(true);
    const coldBytes = S.server.bytes(path);
    // Warm: the same source, another evaluation.
    S.server.reset();
    await evaluateOn(cold.bundle, S.policies, input);
    const warmBytes = S.server.bytes(path);
    const warmRequests = S.server.requests(path);
    console.log(`demo .fgb ${S.fgb.bytes} bytes: open ${openBytes} B; 1 ha evaluation cold ${coldBytes} B, warm ${warmBytes} B in ${warmRequests} range requests`);
    expect(S.server.served.get(path)!.ranged).toBe(warmRequests);
    // The demo is small (≈ 7 km across): the box searched (site + 300 m) still meets long roads and
    // the boundary; the county test shows the fraction at scale.
    expect(coldBytes).toBeLessThan(S.fgb.bytes * 0.1);
    expect(warmBytes).toBeLessThan(S.fgb.bytes * 0.08);
    expect(warmRequests).toBeLessThanOrEqual(30);
    expect(cold.source.stats().bytes).toBe(coldBytes + warmBytes);
  });

  it('writes standard FlatGeobuf: the flatgeobuf package finds the same features in a box', async () => {
    const bytes = new Uint8Array(readFileSync(S.fgb.file));
    const [w, s, e, n] = S.memory.bbox;
    const rect = { minX: w + 0.3 * (e - w), minY: s + 0.3 * (n - s), maxX: w + 0.45 * (e - w), maxY: s + 0.45 * (n - s) };
    const debug = console.debug;
    console.debug = () => {}; // the package logs every step at debug level
    const got: { properties?: Record<string, unknown> | null; geometry: { type: string } }[] = [];
    try {
      for await (const f of deserialize(bytes, { rect })) got.push(f as never);
    } finally {
      console.debug = debug;
    }
    const mine = await S.fgb.bundle.query([rect.minX, rect.minY, rect.maxX, rect.maxY]);
    expect(got.length).toBeGreaterThan(10);
    expect(got.length).toBe(mine.length);
    expect(new Set(got.map((f) => f.properties!.fid))).toEqual(new Set(mine.map((m) => m.feature.id)));
  });

  it('refuses a sidecar that does not describe the file (hash mismatch)', async () => {
    const manifest = JSON.parse(readFileSync(`${S.fgb.file}.json`, 'utf8')) as FgbManifest;
    const bytes = new Uint8Array(readFileSync(S.fgb.file));
    await expect(openFgbBundle({ ...manifest, hash: 'sha256:' + '0'.repeat(64) }, bytesRangeReader(bytes), 'tampered')).rejects.toThrow(/holds demo-county sha256:/);
    await expect(openFgbBundle({ ...manifest, format: 'other' }, bytesRangeReader(bytes), 'old')).rejects.toThrow(/unknown format/);
    await expect(openFgbBundle(manifest, bytesRangeReader(new TextEncoder().encode('{"type":"FeatureCollection"}')), 'json')).rejects.toThrow(/not a FlatGeobuf file/);
  });

  it('a server that ignores Range is refused, not read whole', async () => {
    const plain = async (url: string | URL | Request, init?: RequestInit) => {
      const h = new Headers(init?.headers);
      h.delete('range');
      return fetch(url, { ...init, headers: h });
    };
    await expect(openFgbUrl(`${S.server.base}/${S.memory.id}.fgb.json`, { fetch: plain as typeof fetch })).rejects.toThrow(/ignored the Range header/);
  });

  it('remote bundles have no synchronous search (report map, suitability): a clear error', () => {
    for (const b of remotes()) expect(() => b.search(b.bbox)).toThrow(SourceNotSupportedError);
    for (const b of remotes()) expect(b.features.every((f) => f.kind === 'boundary')).toBe(true);
  });

  it('PostGIS: a node serving a replaced version fails loudly instead of answering from nothing', async () => {
    if (!S.postgis) return;
    const before = await S.postgis.bundle.query(S.memory.bbox);
    expect(before.length).toBeGreaterThan(1000);
    // Reload the same content (idempotent), then a changed bundle (another hash) without --keep-old.
    const client = new pg.Client({ connectionString: S.postgis.url });
    await client.connect();
    try {
      const again = await loadBundleIntoPostgis(S.memory, client);
      expect(again.replaced).toBe(true);
      expect(entryKey(await S.postgis.bundle.query(S.memory.bbox))).toEqual(entryKey(before));
      const changedDir = join(S.dir, 'changed');
      const { cpSync } = await import('node:fs');
      cpSync(join(root, 'fixtures/demo'), changedDir, { recursive: true });
      const m = JSON.parse(readFileSync(join(changedDir, 'jurisdiction.json'), 'utf8'));
      writeFileSync(join(changedDir, 'jurisdiction.json'), JSON.stringify({ ...m, name: `${m.name}（修订）` }));
      const changed: Bundle = await loadBundleDir(changedDir);
      const r = await loadBundleIntoPostgis(changed, client);
      expect(r.deletedVersions).toBe(1);
    } finally {
      await client.end();
    }
    await expect(S.postgis.bundle.query(S.memory.bbox)).rejects.toThrow(/no longer stored/);
  });
});
