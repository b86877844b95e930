/** POST /v1/evaluate through the real app in-process, on the test township with known areas. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';
import { LAYOUT, box, boxAreaM2, writeTestBundle, type Box } from '../helpers/test-bundle.js';

const dir = writeTestBundle(mkdtempSync(join(tmpdir(), 'eval-')));
const { post, app } = await testApp([dir], { limits: { maxVertices: 1000 } });
const req = (activity: string, site: unknown, attributes: Record<string, unknown> = {}) => ({ jurisdiction: 'test-town', project: { activity, attributes }, site });
const inner = ([w, s, e, n]: Box, m = 0.001): Box => [w + m, s + m, e - m, n - m];
const finding = (d: any, kind: string) => d.findings.find((f: any) => f.kind === kind);

describe('overlay semantics', () => {
  it('an overlap under the sliver tolerance is a warning, not a finding', async () => {
    const [, s, e] = LAYOUT.farmland;
    // 0.000005° × 0.0004°: about 0.5 m × 44 m → ~22 m²; make it thinner: 1e-8° ≈ 1 mm → ~0.04 m²
    const site: Box = [e - 1e-8, s + 0.001, e + 0.0005, s + 0.0014];
    const r = await post(req('industrial', box(site)));
    expect(r.status).toBe(200);
    // pf-2 shares the edge at `e`: the site lies over pf-2 except a sliver over pf-1
    const pf = finding(r.body, 'permanent-farmland');
    expect(pf.featureIds).toEqual(['pf-2']);
    const sliver = r.body.warnings.find((w: any) => w.code === 'sliver');
    expect(sliver).toMatchObject({ kind: 'permanent-farmland', featureIds: ['pf-1'] });
    expect(sliver.areaM2).toBeLessThan(1);
  });

  it('a hole over the farmland excludes it', async () => {
    const outer = inner(LAYOUT.boundary, 0.003);
    const hole = LAYOUT.farmland;
    const site = { type: 'Polygon', coordinates: [box(outer).coordinates[0], [[hole[0], hole[1]], [hole[0], hole[3]], [hole[2], hole[3]], [hole[2], hole[1]], [hole[0], hole[1]]]] };
    const r = await post(req('patrol', site));
    expect(r.status).toBe(200);
    expect(finding(r.body, 'permanent-farmland')?.featureIds).toEqual(['pf-2']);
    expect(Math.abs(r.body.site.areaM2 - (boxAreaM2(outer) - boxAreaM2(hole))) / r.body.site.areaM2).toBeLessThan(1e-4);
  });

  it('a MultiPolygon site is judged part by part, areas exact', async () => {
    const a = inner(LAYOUT.farmland);
    const b = inner(LAYOUT.concentrated);
    const site = { type: 'MultiPolygon', coordinates: [box(a).coordinates, box(b).coordinates] };
    const r = await post(req('industrial', site));
    expect(r.body.verdict).toBe('forbidden');
    const pf = finding(r.body, 'permanent-farmland');
    const ub = r.body.findings.find((f: any) => f.kind === 'urban-boundary' && f.zone === 'concentrated');
    expect(Math.abs(pf.overlapAreaM2 - boxAreaM2(a)) / boxAreaM2(a)).toBeLessThan(1e-4);
    expect(Math.abs(ub.overlapAreaM2 - boxAreaM2(b)) / boxAreaM2(b)).toBeLessThan(1e-4);
    expect(pf.overlapShare + ub.overlapShare).toBeCloseTo(1, 5);
    // the outside-the-boundary part is the farmland part
    const out = r.body.findings.find((f: any) => f.kind === 'urban-boundary' && f.zone === 'outside');
    expect(out.overlapAreaM2).toBeCloseTo(pf.overlapAreaM2, 0);
  });

  it('a Feature is accepted as the site, and errors point into its geometry', async () => {
    const ok = await post(req('industrial', { type: 'Feature', properties: {}, geometry: box(inner(LAYOUT.concentrated)) }));
    expect(ok.body.verdict).toBe('allowed');
    const bad = await post(req('industrial', { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[112.61, 26.92], [112.611, 26.92], [112.61, 26.92]]] } }));
    expect(bad.status).toBe(422);
    expect(bad.body.errors[0].path).toMatch(/^\/site\/geometry\/coordinates/);
  });

  it('a site over the vertex limit is a 413', async () => {
    const [w, s, e, n] = inner(LAYOUT.boundary);
    const ring: number[][] = [];
    for (let i = 0; i < 1200; i++) {
      const t = (2 * Math.PI * i) / 1200;
      ring.push([(w + e) / 2 + 0.005 * Math.cos(t), (s + n) / 2 + 0.005 * Math.sin(t)]);
    }
    ring.push(ring[0]);
    const r = await post(req('industrial', { type: 'Polygon', coordinates: [ring] }));
    expect(r.status).toBe(413);
  });
});

describe('policies at work', () => {
  it('a major project in the red line needs the ministry and the State Council, highest first', async () => {
    const r = await post(req('transport', box(inner(LAYOUT.redline)), { majorProjectBasis: 'national-plan-transport-water', unavoidable: true }));
    expect(r.body.verdict).toBe('conditional');
    const auth = r.body.approvals.map((a: any) => a.authority);
    expect(auth[0]).toBe('state-council');
    expect(auth).toContain('ministry');
    expect(auth).toContain('provincial-government');
    expect(auth.indexOf('ministry')).toBeLessThan(auth.indexOf('provincial-government'));
  });

  it('the farmland reserve is managed as arable land: construction conditional on 占补平衡', async () => {
    const r = await post(req('industrial', box(inner(LAYOUT.reserve, 0.0005))));
    const f = finding(r.body, 'farmland-reserve');
    expect(f.verdict).toBe('conditional');
    expect(f.conditions.length).toBeGreaterThan(0);
    expect(JSON.stringify(f.conditions)).toMatch(/占|垦/);
  });

  it('answers that matter only together are a joint question; answering them moves the verdict as it said', async () => {
    const site = box(inner(LAYOUT.redline));
    const first = await post(req('linear-infrastructure', site, { corridorWidthM: 5 }));
    expect(first.body.verdict).toBe('forbidden');
    // Neither answer alone changes anything: neither is a question on its own…
    expect(first.body.questions.find((x: any) => x.attribute === 'unavoidable')).toBeUndefined();
    const no = await post(req('linear-infrastructure', site, { corridorWidthM: 5, unavoidable: true }));
    expect(no.body.verdict).toBe('forbidden');
    // …together they are.
    const j = first.body.jointQuestions.find((x: any) => x.answers.some((a: any) => a.attribute === 'unavoidable'));
    expect(j.answers).toEqual([{ attribute: 'inCountyPlan', value: true }, { attribute: 'unavoidable', value: true }]);
    const yes = await post(req('linear-infrastructure', site, { corridorWidthM: 5, unavoidable: true, inCountyPlan: true }));
    expect(yes.body.verdict).toBe(j.verdict);
    expect(yes.body.jointQuestions).toEqual([]);
  });

  it('verdicts are deterministic: the same request gives the same decision', async () => {
    const body = req('transport', box(inner(LAYOUT.farmland)), { keyProjectSector: 'transport' });
    const a = await post(body);
    const b = await post(body);
    const strip = ({ decisionId: _i, createdAt: _c, ...rest }: any) => rest;
    expect(strip(a.body)).toEqual(strip(b.body));
    expect(a.body.decisionId).not.toBe(b.body.decisionId);
  });

  it('a forbidden decision lists no approvals or conditions (none makes it permissible); its findings keep theirs', async () => {
    // Farmland (a key transport project: conditional) and the red line next to it (no basis: forbidden).
    const [w, s, , n] = inner(LAYOUT.farmland);
    const [, , e2] = inner(LAYOUT.redline);
    const r = await post(req('transport', box([w, s, e2, n]), { keyProjectSector: 'transport', unavoidable: true }));
    expect(r.body.verdict).toBe('forbidden');
    expect(finding(r.body, 'permanent-farmland').verdict).toBe('conditional');
    expect(finding(r.body, 'permanent-farmland').approvals.length).toBeGreaterThan(0);
    expect(r.body.approvals).toEqual([]);
    expect(r.body.conditions).toEqual([]);
  });

  it('approval bases state the figures that triggered them; distances only on the kinds judged by distance', async () => {
    const r = await post(req('transport', box(inner(LAYOUT.farmland)), { keyProjectSector: 'transport', unavoidable: true }));
    expect(r.body.verdict).toBe('conditional');
    const pf = finding(r.body, 'permanent-farmland');
    const level = r.body.projectFindings.find((p: any) => p.policy === 'national.approval-level');
    expect(level.approvals[0].basis).toContain(`占用永久基本农田 ${(pf.overlapAreaM2 / 10_000).toFixed(4)} 公顷`);
    expect(r.body.approvals.find((a: any) => a.authority === 'state-council').basis).toContain('公顷');
    expect(pf.distanceM).toBeNull();
  });

  it('a date on which a national policy has no version in force is refused, not judged open', async () => {
    const r = await post({ ...req('industrial', box(inner(LAYOUT.farmland))), asOf: '2020-12-31' });
    expect(r.status).toBe(422);
    expect(r.body.type).toMatch(/no-policy-in-force/);
    expect(r.body.detail).toContain('national.permanent-farmland');
    expect(r.body.detail).toContain('2021-01-01');
    expect(r.body.errors[0].path).toBe('/asOf');
    const ok = await post({ ...req('industrial', box(inner(LAYOUT.farmland))), asOf: '2021-01-01' });
    expect(ok.status).toBe(200);
    expect(ok.body.verdict).toBe('forbidden');
  });

  it('an impossible calendar date is refused', async () => {
    for (const asOf of ['2027-02-30', '2026-13-01', '2026-00-10']) {
      const r = await post({ ...req('industrial', box(inner(LAYOUT.concentrated))), asOf });
      expect(r.status, asOf).toBe(422);
      expect(r.body.errors[0].path).toBe('/asOf');
    }
  });

  it('each decision names the policy versions and hashes, and the bundle hash', async () => {
    const r = await post(req('industrial', box(inner(LAYOUT.concentrated))));
    expect(r.body.bundleHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const p of r.body.policies) expect(p.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(r.body.policies.map((p: any) => p.id)).toContain('national.urban-boundary');
  });
});

describe('catalogue endpoints', () => {
  it('GET /v1/policies and /v1/policies/{id} with clauses and rules', async () => {
    const list = (await (await app.request('/v1/policies')).json()).policies;
    expect(list.length).toBeGreaterThanOrEqual(4);
    const p = await (await app.request('/v1/policies/national.permanent-farmland')).json();
    expect(p.clauses.length).toBeGreaterThan(0);
    expect(p.rules.length).toBeGreaterThan(0);
    expect(p.hash).toMatch(/^sha256:/);
    const missing = await app.request('/v1/policies/national.nothing');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('problem+json');
  });

  it('GET /v1/jurisdictions/{id} gives layer statistics with ellipsoidal areas', async () => {
    const j = await (await app.request('/v1/jurisdictions/test-town')).json();
    const pf = j.layers.find((l: any) => l.kind === 'permanent-farmland');
    const want = boxAreaM2(LAYOUT.farmland) + boxAreaM2(LAYOUT.farmland2);
    expect(Math.abs(pf.areaM2 - want) / want).toBeLessThan(1e-4);
    expect((await app.request('/v1/jurisdictions/nowhere')).status).toBe(404);
  });

  it('unknown routes are problems too', async () => {
    const r = await app.request('/v2/whatever');
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toContain('problem+json');
  });
});
