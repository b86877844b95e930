/**
 * Issue 7 at county scale: a synthetic county (scripts/generate-jurisdiction.ts --size county
 * --seed 1, ≈ 100,000 features) behind the three layer sources; 50 seeded random sites (points,
 * 1 ha and 100 ha squares, corridors) give identical decisions through each, and a 1 ha evaluation
 * reads a tiny fraction of the FlatGeobuf file over HTTP.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateJurisdiction } from '../../scripts/generate-jurisdiction.js';
import { openFgbUrl } from '../../engine/sources/index.js';
import { evaluateOn, IN_CI, threeSources, type Outcome, type ThreeSources } from './helpers/three-sources.js';
import { randomSites, square } from './helpers/sites.js';

const SITES = Number(process.env.ZONING_SOURCES_COUNTY_SITES ?? 50);

let S: ThreeSources;
const genDir = mkdtempSync(join(tmpdir(), 'zoning-county-'));
beforeAll(async () => {
  const t0 = performance.now();
  const g = generateJurisdiction({ size: 'county', seed: 1, out: join(genDir, 'county') });
  const t1 = performance.now();
  S = await threeSources(g.dir);
  console.log(
    `county ${g.features} features, generated in ${((t1 - t0) / 1000).toFixed(1)} s; sources ready in ${((performance.now() - t1) / 1000).toFixed(1)} s ` +
      `(.fgb ${S.fgb.bytes} bytes written in ${S.fgb.buildMs} ms; PostGIS loaded in ${S.postgis?.loadMs} ms)`,
  );
}, 600_000);
afterAll(async () => {
  await S?.close();
  rmSync(genDir, { recursive: true, force: true });
});

const remotes = () => [S.fgb.bundle, ...(S.postgis ? [S.postgis.bundle] : [])];

describe('layer sources on a generated county', () => {
  it('describe the same bundle', () => {
    expect(S.postgis !== null || !IN_CI, 'PostGIS cluster (required under CI)').toBe(true);
    for (const b of remotes()) {
      expect(b.hash).toBe(S.memory.hash);
      expect(b.stats).toEqual(JSON.parse(JSON.stringify(S.memory.stats)));
      expect(b.bbox).toEqual(S.memory.bbox);
    }
  });

  it(`give identical decisions for ${SITES} seeded random sites`, async () => {
    const sites = randomSites(S.memory.id, S.memory.bbox as [number, number, number, number], SITES, 2026);
    const time = { memory: 0, flatgeobuf: 0, postgis: 0 };
    const pgMs0 = S.postgis?.source.queryMs ?? 0;
    const pgQ0 = S.postgis?.source.stats().queries ?? 0;
    const counts: Record<string, number> = {};
    for (const { kind, input } of sites) {
      let t = performance.now();
      const want: Outcome = await evaluateOn(S.memory, S.policies, input);
      time.memory += performance.now() - t;
      counts[`${kind} ${want.ok ? (want.decision.verdict as string) : want.status}`] = (counts[`${kind} ${want.ok ? (want.decision.verdict as string) : want.status}`] ?? 0) + 1;
      for (const b of remotes()) {
        t = performance.now();
        const got = await evaluateOn(b, S.policies, input);
        time[b.source as 'flatgeobuf' | 'postgis'] += performance.now() - t;
        expect(got, `${b.source} ${kind} ${JSON.stringify(input.site)}`).toEqual(want);
      }
    }
    const pgQueries = (S.postgis?.source.stats().queries ?? 0) - pgQ0;
    console.log(
      `county, ${SITES} sites: ${JSON.stringify(counts)}; total ms memory ${time.memory.toFixed(0)}, flatgeobuf ${time.flatgeobuf.toFixed(0)}, postgis ${time.postgis.toFixed(0)} ` +
        `(PostGIS query ${(((S.postgis?.source.queryMs ?? 0) - pgMs0) / pgQueries).toFixed(1)} ms mean over ${pgQueries})`,
    );
    expect(Object.keys(counts).filter((k) => !/ 4\d\d$/.test(k)).length).toBeGreaterThan(3);
  });

  it('a 1 ha evaluation reads well under 1% of the .fgb over HTTP', async () => {
    const path = `/${S.memory.id}.fgb`;
    const [w, s, e, n] = S.memory.bbox;
    const measure: { cold: number; warm: number; requests: number }[] = [];
    for (const [fx, fy] of [[0.5, 0.5], [0.4, 0.6], [0.6, 0.45]]) {
      const input = { jurisdiction: S.memory.id, project: { activity: 'industrial' }, site: square(w + fx * (e - w), s + fy * (n - s), 100) };
      S.server.reset();
      const fresh = await openFgbUrl(`${S.server.base}/${S.memory.id}.fgb.json`);
      const d = await evaluateOn(fresh.bundle, S.policies, input);
      expect(d).toEqual(await evaluateOn(S.memory, S.policies, input));
      const cold = S.server.bytes(path);
      S.server.reset();
      await evaluateOn(fresh.bundle, S.policies, input);
      measure.push({ cold, warm: S.server.bytes(path), requests: S.server.requests(path) });
    }
    console.log(`county .fgb ${S.fgb.bytes} bytes; 1 ha evaluations: ${measure.map((m) => `cold ${m.cold} B, warm ${m.warm} B in ${m.requests} requests`).join('; ')}`);
    for (const m of measure) {
      expect(m.cold).toBeLessThan(S.fgb.bytes * 0.01);
      expect(m.warm).toBeLessThan(S.fgb.bytes * 0.005);
    }
  });
});
