/**
 * End to end over HTTP (the real `npm start` process) for the remaining control rules: a site near
 * a heritage footprint (local 表5-1 distances), a site in each water-source level, sites at several
 * distances from an expressway, a restricted and a forbidden mineral, a site over a mineral
 * deposit, and an approval level decided by each threshold of 土地管理法 第四十六条.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { LAYOUT, box, boxAreaM2, writeTestBundle, type Box } from '../helpers/test-bundle.js';

let server: ServerProcess;
const dir = mkdtempSync(join(tmpdir(), 'zoning-rules-'));
beforeAll(async () => {
  writeTestBundle(join(dir, 'bundle'), 'test-town', { extras: true });
  server = await startServer({ ZONING_BUNDLES: join(dir, 'bundle'), ZONING_DB: join(dir, 'd.db') });
});
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (activity: string, site: unknown, attributes: Record<string, unknown> = {}) => {
  const res = await fetch(`${server.base}/v1/evaluate`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jurisdiction: 'test-town', project: { name: '规则测试', activity, attributes }, site }),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as any;
};
const finding = (d: any, kind: string, zone?: string | null) => d.findings.find((f: any) => f.kind === kind && (zone === undefined || f.zone === zone));
const inner = ([w, s, e, n]: Box, m: number): Box => [w + m, s + m, e - m, n - m];
const M_PER_DEG_LAT = 110_800; // near 26.9°N
const M_PER_DEG_LON = 99_370;

/** A 20 m × 20 m square whose southern edge lies `d` metres north of the road land's edge. */
const northOfRoad = (d: number): Box => {
  const south = LAYOUT.expresswayLat + (10 + d) / M_PER_DEG_LAT;
  return [112.62, south, 112.62 + 20 / M_PER_DEG_LON, south + 20 / M_PER_DEG_LAT];
};
/** A 10 m square whose western edge lies `d` metres east of the monument's footprint. */
const eastOfMonument = (d: number): Box => {
  const [, s, e] = LAYOUT.monument;
  const west = e + d / M_PER_DEG_LON;
  return [west, s, west + 10 / M_PER_DEG_LON, s + 10 / M_PER_DEG_LAT];
};

describe('heritage: a site near a monument footprint (local 表5-1 distances)', () => {
  it('forbidden within the protection distance, conditional in the control zone, allowed beyond', async () => {
    const verdicts: Record<number, string> = {};
    for (const d of [5, 25, 80]) {
      const r = await post('industrial', box(eastOfMonument(d)));
      const f = finding(r, 'heritage', 'site');
      expect(f, `${d} m`).toBeDefined();
      expect(Math.abs(f.distanceM - d)).toBeLessThan(1);
      verdicts[d] = f.verdict;
      if (d < 45) expect(f.because.level).toBe('local');
    }
    expect(verdicts).toEqual({ 5: 'forbidden', 25: 'conditional', 80: 'allowed' });
  });
});

describe('drinking-water source protection levels', () => {
  it('level 1: no construction unrelated to water supply', async () => {
    const r = await post('industrial', box(inner(LAYOUT.water1, 0.0003)));
    expect(finding(r, 'water-source', '1').verdict).toBe('forbidden');
    const supply = await post('water-conservancy', box(inner(LAYOUT.water1, 0.0003)), { waterSupplyRelated: true });
    expect(finding(supply, 'water-source', '1').verdict).not.toBe('forbidden');
  });
  it('level 2: no project discharging pollutants; the question says so', async () => {
    const site = box(inner(LAYOUT.water2, 0.0003));
    const r = await post('industrial', site);
    expect(finding(r, 'water-source', '2').verdict).toBe('conditional');
    expect(r.questions.find((q: any) => q.attribute === 'dischargesPollutants')).toMatchObject({ ifTrue: 'forbidden' });
    const dirty = await post('industrial', site, { dischargesPollutants: true });
    expect(finding(dirty, 'water-source', '2').verdict).toBe('forbidden');
  });
  it('quasi-protection zone: only projects that seriously pollute water are forbidden', async () => {
    const site = box(inner(LAYOUT.waterQuasi, 0.0003));
    const r = await post('industrial', site);
    expect(finding(r, 'water-source', 'quasi').verdict).not.toBe('forbidden');
    const serious = await post('industrial', site, { seriousWaterPollution: true });
    expect(finding(serious, 'water-source', 'quasi').verdict).toBe('forbidden');
  });
});

describe('expressway building-control zone at several distances', () => {
  it('industry is forbidden inside 30 m of the road land; a development zone inside 80 m', async () => {
    const seen: string[] = [];
    let quoted = 0;
    for (const d of [0, 12, 25, 45, 70, 95, 150]) {
      const ind = finding(await post('industrial', box(northOfRoad(d))), 'road', 'expressway');
      const dz = finding(await post('development-zone', box(northOfRoad(d))), 'road', 'expressway');
      expect(Math.abs(ind.distanceM - d), `distance at ${d} m`).toBeLessThan(1);
      // The explanation quotes this site's distance (12 m and 25 m are judged alike, each with its own figure).
      for (const f of [ind, dz]) {
        for (const c of f.because.checks.filter((x: any) => x.fact === 'distanceM')) {
          expect(c.actual, `check at ${d} m`).toBe(f.distanceM);
          quoted++;
        }
      }
      seen.push(`${d}:${ind.verdict[0]}${dz.verdict[0]}`);
    }
    expect(seen).toEqual(['0:ff', '12:ff', '25:ff', '45:af', '70:af', '95:aa', '150:aa']);
    expect(quoted).toBeGreaterThan(7);
  });
});

describe('minerals', () => {
  const site = box(inner(LAYOUT.flexible, 0.001));
  const mining = (d: any) => d.projectFindings.find((p: any) => p.policy === 'national.mining');
  it('coal is strictly restricted (conditional); mercury is withdrawn (forbidden)', async () => {
    const coal = await post('mining', site, { mineral: 'coal', miningStage: 'extraction' });
    expect(mining(coal).verdict).toBe('conditional');
    const mercury = await post('mining', site, { mineral: 'mercury', miningStage: 'extraction' });
    expect(mining(mercury).verdict).toBe('forbidden');
    expect(mercury.verdict).toBe('forbidden');
  });
  it('construction over an important deposit needs the 压覆 approval', async () => {
    const over = box(inner(LAYOUT.deposit, 0.0005));
    const r = await post('industrial', over);
    const f = finding(r, 'mineral-deposit');
    expect(f.verdict).toBe('conditional');
    expect(f.approvals.length).toBeGreaterThan(0);
    expect(finding(await post('industrial', over, { overlayApproved: false }), 'mineral-deposit').verdict).toBe('forbidden');
  });
});

describe('approval level decided by each threshold (土地管理法 第四十四、四十六条)', () => {
  const level = (d: any) => d.projectFindings.find((p: any) => p.policy === 'national.approval-level');
  it('permanent farmland → State Council', async () => {
    const r = await post('transport', box(inner(LAYOUT.farmland, 0.001)), { keyProjectSector: 'transport', unavoidable: true });
    expect(level(r).approvals[0].authority).toBe('state-council');
    expect(level(r).because.rule).toBe('ap.permanent-farmland');
  });
  it('arable land other than permanent farmland over 35 ha → State Council; under it → province', async () => {
    expect(boxAreaM2(LAYOUT.bigArable)).toBeGreaterThan(350_000);
    const big = await post('industrial', box(LAYOUT.bigArable));
    expect(level(big).because.rule).toBe('ap.arable-over-35ha');
    expect(level(big).approvals[0].authority).toBe('state-council');
    const [w, s, , n] = LAYOUT.bigArable;
    const small = await post('industrial', box([w, s, w + 0.003, n]));
    expect(level(small).because.rule).toBe('ap.provincial');
    expect(level(small).approvals[0].authority).toBe('provincial-government');
  });
  it('a farmland reserve designated on arable land counts once: 31 ha of arable land stays under 35 ha', async () => {
    const site: Box = [112.616, 26.931, 112.623, 26.935];
    const r = await post('industrial', box(site));
    const arable = finding(r, 'arable-land').overlapAreaM2, reserve = finding(r, 'farmland-reserve').overlapAreaM2;
    expect(arable).toBeCloseTo(boxAreaM2(site), -1);
    expect(reserve).toBeCloseTo(boxAreaM2(LAYOUT.reserveOnArable), -1);
    expect(arable + reserve).toBeGreaterThan(350_000); // the sum would cross the threshold…
    expect(arable).toBeLessThan(350_000); // …the land does not
    expect(level(r).because.rule).toBe('ap.provincial');
    expect(level(r).approvals[0].authority).toBe('provincial-government');
  });
  it('other land over 70 ha → State Council; a small site → the provincial government', async () => {
    expect(boxAreaM2(LAYOUT.concentrated)).toBeGreaterThan(700_000);
    const big = await post('industrial', box(LAYOUT.concentrated), { newConstructionLand: true });
    expect(level(big).because.rule).toBe('ap.other-over-70ha');
    expect(level(big).approvals[0].authority).toBe('state-council');
    const small = await post('industrial', box(inner(LAYOUT.concentrated, 0.004)), { newConstructionLand: true });
    expect(level(small).because.rule).toBe('ap.provincial');
  });
});
