/**
 * Policy versions and replay: `asOf` chooses between the two shipped versions of
 * national.urban-boundary; overlapping or gapped validity is refused at load; a stored decision
 * replays identically on the versions it pinned, and reports every change on other versions.
 */
import { describe, expect, it } from 'vitest';
import { buildPolicyRegistry, PolicyLoadError } from '../../engine/index.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { corpusRequest, shippedUrbanBoundary, steppingClock, versionsApp } from './helpers.js';

const UB = 'national.urban-boundary';
const ubFinding = (d: any) => d.findings.find((f: any) => f.kind === 'urban-boundary' && f.zone === 'flexible');

describe('policy versions', () => {
  it('ships two versions of national.urban-boundary, the first closed where the second begins', async () => {
    const reg = await buildPolicyRegistry(POLICY_DOCUMENTS);
    const vs = reg.versions(UB);
    expect(vs.map((v) => [v.doc.version, v.doc.effective])).toEqual([
      ['1.0.0', { from: '2021-01-01', to: '2027-01-01' }],
      ['1.1.0', { from: '2027-01-01' }],
    ]);
    expect(reg.inForce(UB, '2026-12-31')?.doc.version).toBe('1.0.0');
    expect(reg.inForce(UB, '2027-01-01')?.doc.version).toBe('1.1.0');
    expect(reg.inForce(UB, '2020-12-31')).toBeUndefined();
    expect(vs[0].doc.clauses).toEqual(vs[1].doc.clauses); // the same clauses, cited differently
  });

  it('refuses overlapping or gapped validity for one policy id at load', async () => {
    const overlap = { ...shippedUrbanBoundary('1.1.0'), effective: { from: '2026-06-01' } };
    await expect(buildPolicyRegistry({ ...POLICY_DOCUMENTS, [`${UB}@1.1.0`]: overlap })).rejects.toThrow(/overlap/);
    const gap = { ...shippedUrbanBoundary('1.1.0'), effective: { from: '2027-03-01' } };
    const e = await buildPolicyRegistry({ ...POLICY_DOCUMENTS, [`${UB}@1.1.0`]: gap }).catch((x) => x);
    expect(e).toBeInstanceOf(PolicyLoadError);
    expect(e.message).toMatch(/gap between versions 1\.0\.0 and 1\.1\.0/);
  });

  it('asOf chooses the version in force: conditional before 2027, forbidden from 2027-01-01', async () => {
    const t = await versionsApp();
    const before = await t.evaluate(corpusRequest('flex-housing', { asOf: '2026-12-31' }));
    expect(before.status).toBe(200);
    expect(before.body.policies.find((p: any) => p.id === UB).version).toBe('1.0.0');
    expect(ubFinding(before.body)).toMatchObject({ verdict: 'conditional', because: { rule: 'flexible-urban-development', version: '1.0.0' } });
    const after = await t.evaluate(corpusRequest('flex-housing', { asOf: '2027-01-01' }));
    expect(after.body.policies.find((p: any) => p.id === UB).version).toBe('1.1.0');
    expect(ubFinding(after.body)).toMatchObject({ verdict: 'forbidden', because: { rule: 'flexible-conditions-not-met', version: '1.1.0' } });
    expect(after.body.verdict).toBe('forbidden');
    // Answering the question restores the conditional verdict under 1.1.0.
    expect(after.body.questions.find((q: any) => q.attribute === 'conditionsMet')).toMatchObject({ ifTrue: 'conditional', ifFalse: 'forbidden' });
    const met = await t.evaluate(corpusRequest('flex-housing', { asOf: '2027-01-01', attributes: { conditionsMet: true } }));
    expect(ubFinding(met.body)).toMatchObject({ verdict: 'conditional', because: { rule: 'flexible-urban-development' } });
  });

  it('GET /v1/policies/{id}/versions and GET /v1/jurisdictions/{id}/versions', async () => {
    const t = await versionsApp();
    const p = await t.get(`/v1/policies/${UB}/versions`);
    expect(p.status).toBe(200);
    expect(p.body.inForce.version).toBe('1.0.0'); // the app's clock reads 2026-11-25
    expect(p.body.versions.map((v: any) => [v.version, v.status, v.inForce])).toEqual([['1.0.0', 'active', true], ['1.1.0', 'active', false]]);
    expect((await t.get(`/v1/policies/${UB}/versions?asOf=2027-02-01`)).body.inForce.version).toBe('1.1.0');
    expect((await t.get('/v1/policies/national.nothing/versions')).status).toBe(404);
    expect((await t.get(`/v1/policies/${UB}/versions?asOf=tomorrow`)).status).toBe(400);
    // The existing catalogue route is unchanged.
    const one = await t.get(`/v1/policies/${UB}?version=1.1.0`);
    expect(one.body.version).toBe('1.1.0');
    const j = await t.get('/v1/jurisdictions/demo-county/versions');
    expect(j.status).toBe(200);
    expect(j.body.active).toMatch(/^sha256:/);
    expect(j.body.versions.filter((v: any) => v.active)).toHaveLength(1);
    expect((await t.get('/v1/jurisdictions/nowhere/versions')).status).toBe(404);
  });
});

describe('replay', () => {
  it('on the pinned versions the result is identical', async () => {
    const t = await versionsApp();
    for (const id of ['flex-housing', 'flex-edge-development-zone', 'farmland-industrial', 'flex-clinic-point']) {
      const d = await t.evaluate(corpusRequest(id));
      expect(d.status).toBe(200);
      const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ mode: 'pinned', identical: true, outcomeChanged: false, differences: [] });
      const { createdAt: _a, ...replayed } = r.body.decision;
      const { createdAt: _b, ...original } = d.body;
      expect(replayed).toEqual(original);
      expect(r.body.changes.findings).toEqual([]);
    }
  });

  it('pins the decision: versions and hashes of every policy, the bundle hash, the engine version and the input', async () => {
    const t = await versionsApp();
    const req = corpusRequest('flex-housing');
    const d = await t.evaluate(req);
    const rec = await (t.deps.store as any).record(d.body.decisionId);
    expect(rec.input).toEqual(req);
    expect(rec.decision.bundleHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(rec.decision.engineVersion).toBe('test');
    for (const p of rec.decision.policies) expect(p).toMatchObject({ id: expect.any(String), version: expect.any(String), hash: expect.stringMatching(/^sha256:/) });
  });

  it('with ?asOf past the second version reports every change and the rules responsible', async () => {
    const t = await versionsApp();
    const d = await t.evaluate(corpusRequest('flex-housing'));
    expect(d.body.verdict).toBe('conditional');
    const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2027-06-01`);
    expect(r.status).toBe(200);
    expect(r.body.mode).toBe('asOf');
    expect(r.body.identical).toBe(false);
    expect(r.body.outcomeChanged).toBe(true);
    expect(r.body.changes.verdict).toEqual({ from: 'conditional', to: 'forbidden' });
    expect(r.body.changes.findings).toEqual([
      expect.objectContaining({
        key: 'urban-boundary|flexible', change: 'changed', verdict: { from: 'conditional', to: 'forbidden' },
        rule: { from: { policy: UB, version: '1.0.0', rule: 'flexible-urban-development' }, to: { policy: UB, version: '1.1.0', rule: 'flexible-conditions-not-met' } },
        conditions: { added: [], removed: expect.arrayContaining([expect.objectContaining({ id: 'urban-boundary.flexible.specific-conditions' })]) },
      }),
    ]);
    expect(r.body.changes.conditions.removed.map((c: any) => c.id)).toContain('urban-boundary.flexible.within-scale');
    expect(r.body.changes.policies).toEqual([expect.objectContaining({ id: UB, from: expect.objectContaining({ version: '1.0.0' }), to: expect.objectContaining({ version: '1.1.0' }) })]);
    expect(r.body.changes.asOf).toEqual({ from: d.body.asOf, to: '2027-06-01' });
    expect(r.body.rules).toEqual(expect.arrayContaining([
      { policy: UB, version: '1.0.0', rule: 'flexible-urban-development', side: 'old' },
      { policy: UB, version: '1.1.0', rule: 'flexible-conditions-not-met', side: 'new' },
    ]));
    expect(r.body.differences).toContain('/verdict');
    // A project the new version does not touch: not identical (other asOf, other versions) but the outcome is the same.
    const same = await t.evaluate(corpusRequest('concentrated-industrial'));
    const rs = await t.post(`/v1/decisions/${same.body.decisionId}/replay?asOf=2027-06-01`);
    expect(rs.body.outcomeChanged).toBe(false);
    expect(rs.body.changes.findings).toEqual([]);
  });

  it('with ?current=true evaluates on the versions in force today', async () => {
    const t = await versionsApp({ clock: steppingClock('2027-03-01T08:00:00.000Z') });
    const d = await t.evaluate(corpusRequest('flex-industrial', { asOf: '2026-11-25' }));
    expect(d.body.policies.find((p: any) => p.id === UB).version).toBe('1.0.0');
    const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay?current=true`);
    expect(r.body.mode).toBe('current');
    expect(r.body.replay.asOf).toBe('2027-03-01');
    expect(r.body.changes.verdict).toEqual({ from: 'conditional', to: 'forbidden' });
    expect(r.body.rules.map((x: any) => `${x.side}:${x.rule}`)).toEqual(expect.arrayContaining(['old:flexible-urban-development', 'new:flexible-conditions-not-met']));
    // Pinned replay of the same decision is still identical.
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay`)).body.identical).toBe(true);
  });

  it('answers problems for unknown decisions and bad parameters; GET /v1/decisions/{id} still works', async () => {
    const t = await versionsApp();
    expect((await t.post('/v1/decisions/nope/replay')).status).toBe(404);
    const d = await t.evaluate(corpusRequest('flex-housing'));
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2027-13-45`)).status).toBe(400);
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2027-01-01&current=true`)).status).toBe(400);
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay?current=maybe`)).status).toBe(400);
    const got = await t.get(`/v1/decisions/${d.body.decisionId}`);
    expect(got.body).toEqual(d.body);
  });
});
