/**
 * Property-based tests (fast-check) of the request parser, the geometry validator, the site-file
 * parser and the bundle loader: random and adversarial input always ends in a 2xx or a clear 4xx
 * (or the documented error type), within a time bound — never a 5xx, a crash or a hang.
 * FUZZ_RUNS sets the number of runs per property (CI: the default; `npm run fuzz`: many more).
 */
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BundleLoadError, InputProblem, loadBundle } from '../../engine/index.js';
import { normalizeSite } from '../../engine/geometry/index.js';
import { readSiteFile, SiteFileError } from '../../engine/io/index.js';
import { testApp } from '../helpers/app.js';
import { LAYOUT, writeTestBundle } from '../helpers/test-bundle.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const TIME_BOUND_MS = 5_000;
const { app } = await testApp([writeTestBundle(mkdtempSync(join(tmpdir(), 'fuzz-')))]);
const tally = { requests: 0, statuses: new Map<number, number>(), geometries: 0, files: 0, bundles: 0 };
afterAll(() => {
  console.log(
    `fuzz: ${tally.requests} requests (${[...tally.statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')}), ` +
      `${tally.geometries} geometries, ${tally.files} site files, ${tally.bundles} bundles; 5xx seen = ${[...tally.statuses].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0)}`,
  );
});

const [w, s, e, n] = LAYOUT.boundary;
const coord = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.double({ min: w, max: e, noNaN: true }), fc.double({ min: s, max: n, noNaN: true })).map(([x, y]) => [x, y]) },
  { weight: 1, arbitrary: fc.tuple(fc.double(), fc.double()).map(([x, y]) => [x, y]) }, // NaN, ±Infinity, 1e308, -0
  { weight: 1, arbitrary: fc.constantFrom([179.9999, 0], [-179.9999, 0], [180, 90], [1e308, -1e308], [26.91, 112.61]) },
  { weight: 1, arbitrary: fc.anything() },
);
const ring = fc.array(coord, { minLength: 0, maxLength: 12 }).map((r) => (r.length && Math.random() < 0.7 ? [...r, r[0]] : r));
const geometry = fc.oneof(
  fc.record({ type: fc.constant('Point'), coordinates: coord }),
  fc.record({ type: fc.constant('Polygon'), coordinates: fc.array(ring, { maxLength: 3 }) }),
  fc.record({ type: fc.constant('MultiPolygon'), coordinates: fc.array(fc.array(ring, { maxLength: 2 }), { maxLength: 3 }) }),
  fc.record({ type: fc.constant('LineString'), coordinates: fc.array(coord, { maxLength: 8 }) }),
  fc.record({ type: fc.constantFrom('Feature', 'GeometryCollection', 'Polygon', 'Circle'), geometry: fc.anything(), coordinates: fc.anything() }),
  fc.anything(),
);
const attributes = fc.dictionary(
  fc.constantFrom('unavoidable', 'keyProjectSector', 'corridorWidthM', 'intendedUsers', 'mineral', 'bogus', '__proto__', 'constructor'),
  fc.oneof(fc.boolean(), fc.double(), fc.integer(), fc.string(), fc.constantFrom('transport', 'coal', 'central-named')),
);
const validProject = fc.record({ name: fc.string(), activity: fc.constantFrom('industrial', 'transport', 'patrol', 'linear-infrastructure', 'mining', 'housing'), attributes }, { requiredKeys: ['activity'] });
const request = fc.oneof(
  { weight: 8, arbitrary: fc.record({ jurisdiction: fc.constant('test-town'), project: validProject, site: geometry }) },
  { weight: 2, arbitrary: fc.record(
  {
    jurisdiction: fc.oneof(fc.constant('test-town'), fc.string()),
    asOf: fc.oneof(fc.constant('2026-11-25'), fc.constant('2026-02-31'), fc.string()),
    project: fc.oneof(fc.record({ name: fc.string(), activity: fc.constantFrom('industrial', 'transport', 'patrol', 'linear-infrastructure', 'nope'), attributes }), fc.anything()),
    site: geometry,
  },
  { requiredKeys: [] },
) },
);

async function send(body: string | Uint8Array): Promise<number> {
  const payload = typeof body === 'string' ? body : new Blob([body as Uint8Array<ArrayBuffer>]);
  const t0 = Date.now();
  const res = await app.request('/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: payload });
  const ms = Date.now() - t0;
  tally.requests++;
  tally.statuses.set(res.status, (tally.statuses.get(res.status) ?? 0) + 1);
  if (res.status !== 200) expect(res.headers.get('content-type')).toContain('application/problem+json');
  await res.arrayBuffer();
  expect(ms).toBeLessThan(TIME_BOUND_MS);
  return res.status;
}
const OK = [200, 400, 404, 413, 422];

describe('POST /v1/evaluate never answers 5xx', () => {
  it('structured random requests', async () => {
    await fc.assert(fc.asyncProperty(request, async (r) => {
      expect(OK).toContain(await send(JSON.stringify(r)));
    }), { numRuns: RUNS });
  }, 600_000);

  it('random bytes, invalid UTF-8, deep nesting and wrong types', async () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc.string().map((x) => new TextEncoder().encode(x)),
      fc.integer({ min: 1, max: 100_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
      fc.integer({ min: 1, max: 5_000 }).map((d) => '{"site":'.repeat(d) + '1' + '}'.repeat(d)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
    );
    await fc.assert(fc.asyncProperty(bodies, async (b) => {
      expect(OK).toContain(await send(b));
    }), { numRuns: RUNS });
  }, 600_000);

  it('a million vertices is refused quickly with 413', async () => {
    const ring: number[][] = [];
    for (let i = 0; i < 1_000_000; i++) ring.push([w + (i % 1000) * 1e-6, s + Math.floor(i / 1000) * 1e-6]);
    ring.push(ring[0]);
    const body = JSON.stringify({ jurisdiction: 'test-town', project: { activity: 'industrial' }, site: { type: 'Polygon', coordinates: [ring] } });
    const res = await app.request('/v1/evaluate', { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(413);
  }, 60_000);
});

describe('the geometry validator never throws', () => {
  it('returns ok or a 413/422 with issues for anything', () => {
    fc.assert(
      fc.property(geometry, fc.option(fc.double(), { nil: undefined }), (g, width) => {
        tally.geometries++;
        const r = normalizeSite(g, { corridorWidthM: width, maxVertices: 5000 });
        if (!r.ok) {
          expect([413, 422]).toContain(r.status);
          expect(r.errors.length).toBeGreaterThan(0);
        } else {
          expect(Number.isFinite(r.site.areaM2)).toBe(true);
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('the site-file parser only ever throws SiteFileError', () => {
  const survey = `[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n带号=38\n[地块坐标]\n4,0.1,1,厂区,面,,工业,0601,@\nJ1,1,2977000.000,38462000.000\nJ2,1,2977000.000,38462030.000\nJ3,1,2977030.000,38462030.000\nJ1,1,2977000.000,38462000.000\n`;
  const mutate = fc.tuple(fc.nat(survey.length), fc.nat(40), fc.string({ maxLength: 12 })).map(([at, del, ins]) => survey.slice(0, at) + ins + survey.slice(at + del));
  it('mutated 界址点 files, random bytes and random names', () => {
    fc.assert(
      fc.property(fc.oneof(mutate.map((t) => new TextEncoder().encode(t)), fc.uint8Array({ maxLength: 400 })), fc.constantFrom('a.txt', 'b.wkt', 'c.geojson', 'd.zip', 'e'), (bytes, name) => {
        tally.files++;
        try {
          const r = readSiteFile(bytes, name);
          expect(r.geometry).toBeDefined();
        } catch (e) {
          if (!(e instanceof SiteFileError) && !(e instanceof InputProblem)) throw e;
        }
      }),
      { numRuns: RUNS * 5 },
    );
  });
});

describe('the bundle loader only ever refuses with BundleLoadError', () => {
  it('random manifests and layers', async () => {
    const feature = fc.record({ type: fc.constantFrom('Feature', 'Nope'), id: fc.oneof(fc.string(), fc.integer(), fc.anything()), properties: fc.oneof(fc.record({ kind: fc.constantFrom('boundary', 'road', 'heritage', 'urban-boundary', 'x'), zone: fc.anything(), ring: fc.anything(), widthM: fc.anything(), core: fc.anything() }), fc.anything()), geometry: geometry });
    await fc.assert(
      fc.asyncProperty(fc.record({ id: fc.oneof(fc.constant('t'), fc.string()), name: fc.string(), layers: fc.constant(['a.geojson']), sliverToleranceM2: fc.oneof(fc.double(), fc.constant(1)) }, { requiredKeys: [] }), fc.oneof(fc.array(feature, { maxLength: 6 }).map((fs) => JSON.stringify({ type: 'FeatureCollection', features: fs })), fc.string()), async (manifest, text) => {
        tally.bundles++;
        try {
          await loadBundle(manifest, { 'a.geojson': text });
        } catch (e) {
          if (!(e instanceof BundleLoadError)) throw e;
        }
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});
