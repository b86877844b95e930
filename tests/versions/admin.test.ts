/**
 * Guarded writes: publishing a policy version or a bundle needs the admin bearer token (403 when
 * none is configured, 401 without or with a wrong one); reads and evaluations stay open. A version
 * that fails validation is refused with 422 and the active one keeps serving; a valid one is
 * activated atomically, and decisions made before replay identically on the versions they pinned.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundleDir } from '../../api/node/load-bundle-dir.js';
import { constantTimeEqual } from '../../api/routes/admin.js';
import { DEMO, TOKEN, corpusRequest, shippedUrbanBoundary, steppingClock, tightenedUrbanBoundary, versionsApp } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const UB = 'national.urban-boundary';
const special = () => {
  const site = JSON.parse(readFileSync(join(DEMO, '../projects/housing-special-zone.json'), 'utf8')).site;
  return { jurisdiction: 'demo-county', asOf: '2027-02-01', project: { name: '特别用途区内物流中转站', activity: 'logistics', attributes: {} }, site };
};

let demo: { manifest: any; layers: Record<string, string> };
beforeAll(async () => {
  const r = await readBundleDir(DEMO);
  demo = { manifest: r.manifest, layers: r.layers };
});

describe('authorization of writes', () => {
  it('compares tokens in constant time (digests, no early exit)', async () => {
    expect(await constantTimeEqual('abc', 'abc')).toBe(true);
    expect(await constantTimeEqual('abc', 'abd')).toBe(false);
    expect(await constantTimeEqual('abc', 'abcd')).toBe(false);
  });

  it('no token configured: writes are disabled (403); reads and evaluations stay open', async () => {
    const t = await versionsApp({ adminToken: '' });
    const p = await t.post('/v1/policies', tightenedUrbanBoundary(), { authorization: 'Bearer anything' });
    expect(p.status).toBe(403);
    expect(p.headers.get('content-type')).toContain('problem+json');
    expect((await t.post('/v1/jurisdictions/demo-county/bundle', demo, { authorization: 'Bearer anything' })).status).toBe(403);
    expect((await t.get('/v1/policies')).status).toBe(200);
    expect((await t.evaluate(corpusRequest('flex-housing'))).status).toBe(200);
  });

  it('a token configured: 401 without it or with a wrong one, and the body is not even read', async () => {
    const t = await versionsApp();
    const none = await t.post('/v1/policies', tightenedUrbanBoundary());
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await t.post('/v1/policies', tightenedUrbanBoundary(), { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await t.post('/v1/policies', tightenedUrbanBoundary(), { authorization: `Basic ${btoa(`admin:${TOKEN}`)}` })).status).toBe(401);
    expect((await t.post('/v1/jurisdictions/demo-county/bundle', 'not json', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await t.get(`/v1/policies/${UB}/versions`)).body.versions).toHaveLength(2);
  });
});

describe('publishing a policy version', () => {
  it('refuses an invalid document (422) and keeps the active registry', async () => {
    const t = await versionsApp();
    const broken = { ...tightenedUrbanBoundary(), rules: 'none' };
    const r = await t.post('/v1/policies', broken, t.admin);
    expect(r.status).toBe(422);
    expect(r.body.errors.length).toBeGreaterThan(0);
    // Its own cases must pass and cover every rule, as `npm run policy:check` demands.
    const failing = tightenedUrbanBoundary();
    failing.tests.find((x) => x.expect.rule === 'special-infrastructure-type')!.expect.verdict = 'allowed';
    const f = await t.post('/v1/policies', failing, t.admin);
    expect(f.status).toBe(422);
    expect(f.body.errors.some((e: any) => e.path.startsWith('/tests/'))).toBe(true);
    const uncovered = tightenedUrbanBoundary();
    uncovered.tests = uncovered.tests.filter((x) => x.expect.rule !== 'special-infrastructure-type');
    const u = await t.post('/v1/policies', uncovered, t.admin);
    expect(u.status).toBe(422);
    expect(u.body.errors.map((e: any) => e.message).join()).toMatch(/special-infrastructure-type/);
    // Overlapping a version's explicit window (1.0.0 runs to 2027-01-01), or beginning the same day as another, is refused too.
    expect((await t.post('/v1/policies', tightenedUrbanBoundary('2026-12-01'), t.admin)).status).toBe(422);
    const sameDay = await t.post('/v1/policies', tightenedUrbanBoundary('2027-01-01'), t.admin);
    expect(sameDay.status).toBe(422);
    expect(sameDay.body.errors.map((e: any) => e.message).join()).toMatch(/overlap/);
    expect((await t.get(`/v1/policies/${UB}/versions`)).body.versions.map((v: any) => v.version)).toEqual(['1.0.0', '1.1.0']);
    // The same version number with other content: 409.
    const clash = shippedUrbanBoundary('1.1.0');
    clash.title = '改过的标题';
    expect((await t.post('/v1/policies', clash, t.admin)).status).toBe(409);
    // The very same document: 200, nothing changes.
    const same = await t.post('/v1/policies', shippedUrbanBoundary('1.1.0'), t.admin);
    expect(same.status).toBe(200);
    expect(same.body.created).toBe(false);
  });

  it('publishes a future version: its predecessor stays as it was, in force until the new one begins, and replay reports the change', async () => {
    const t = await versionsApp({ clock: steppingClock('2027-03-01T08:00:00.000Z') });
    const before = await t.evaluate(special());
    expect(before.status).toBe(200);
    const f0 = before.body.findings.find((f: any) => f.kind === 'urban-boundary');
    expect(f0).toMatchObject({ verdict: 'conditional', because: { rule: 'special-infrastructure-type', version: '1.1.0' } });
    const h110 = before.body.policies.find((p: any) => p.id === UB).hash;

    const pub = await t.post('/v1/policies', tightenedUrbanBoundary('2027-06-01'), t.admin);
    expect(pub.status).toBe(201);
    expect(pub.body).toMatchObject({ id: UB, version: '1.2.0', effective: { from: '2027-06-01' }, created: true, closed: { version: '1.1.0', effective: { from: '2027-01-01', to: '2027-06-01' }, hash: h110 } });
    expect(pub.headers.get('location')).toBe(`/v1/policies/${UB}?version=1.2.0`);
    const vs = (await t.get(`/v1/policies/${UB}/versions`)).body;
    expect(vs.inForce.version).toBe('1.1.0'); // today is 2027-03-01
    expect(vs.versions.map((v: any) => [v.version, v.status, v.hash === h110])).toEqual([['1.0.0', 'active', false], ['1.1.0', 'active', true], ['1.2.0', 'active', false]]);
    expect((await t.get(`/v1/policies/${UB}/versions?asOf=2027-06-01`)).body.inForce.version).toBe('1.2.0');

    const pinned = await t.post(`/v1/decisions/${before.body.decisionId}/replay`);
    expect(pinned.body.identical).toBe(true);
    const later = await t.post(`/v1/decisions/${before.body.decisionId}/replay?asOf=2027-07-01`);
    expect(later.body.outcomeChanged).toBe(true);
    expect(later.body.changes.verdict).toEqual({ from: 'conditional', to: 'forbidden' });
    expect(later.body.changes.findings).toEqual([expect.objectContaining({
      key: 'urban-boundary|special', verdict: { from: 'conditional', to: 'forbidden' },
      rule: { from: { policy: UB, version: '1.1.0', rule: 'special-infrastructure-type' }, to: { policy: UB, version: '1.2.0', rule: 'special-infrastructure-type' } },
    })]);
    expect(later.body.changes.conditions.removed.map((c: any) => c.id)).toContain('urban-boundary.special.listed-infrastructure');
    // Evaluations on dates from 2027-06-01 use it; before, 1.1.0 as before.
    const after = await t.evaluate({ ...special(), asOf: '2027-07-01' });
    expect(after.body.findings.find((f: any) => f.kind === 'urban-boundary').verdict).toBe('forbidden');
    const still = await t.evaluate(special());
    expect(still.body.policies.find((p: any) => p.id === UB)).toMatchObject({ version: '1.1.0', hash: h110 });
  });
});

describe('publishing a bundle', () => {
  it('refuses a broken bundle (422, with file, feature and problem) while the old one keeps serving', async () => {
    const t = await versionsApp();
    const hash = (await t.get('/v1/jurisdictions/demo-county')).body.bundleHash;
    const fc = JSON.parse(demo.layers['layers/zoning.geojson']);
    fc.features[3].properties.kind = 'urban-boundry';
    const broken = { manifest: demo.manifest, layers: { ...demo.layers, 'layers/zoning.geojson': JSON.stringify(fc) } };
    const r = await t.post('/v1/jurisdictions/demo-county/bundle', broken, t.admin);
    expect(r.status).toBe(422);
    expect(r.body.errors[0]).toEqual({ path: '/layers/layers~1zoning.geojson/features/3/properties/kind', message: expect.stringContaining('urban-boundry') });
    const missing = await t.post('/v1/jurisdictions/demo-county/bundle', { manifest: demo.manifest, layers: {} }, t.admin);
    expect(missing.status).toBe(422);
    const otherId = await t.post('/v1/jurisdictions/demo-county/bundle', { manifest: { ...demo.manifest, id: 'other' }, layers: demo.layers }, t.admin);
    expect(otherId.status).toBe(422);
    expect(otherId.body.errors[0].path).toBe('/manifest/id');
    expect((await t.post('/v1/jurisdictions/demo-county/bundle', 'not json', t.admin)).status).toBe(400);
    // Still the old map, still evaluating.
    expect((await t.get('/v1/jurisdictions/demo-county')).body.bundleHash).toBe(hash);
    const d = await t.evaluate(corpusRequest('flex-housing'));
    expect(d.status).toBe(200);
    expect(d.body.bundleHash).toBe(hash);
  });

  it('activates a valid new map; decisions on the old map replay identically on it', async () => {
    const t = await versionsApp();
    const old = await t.evaluate(corpusRequest('flex-housing'));
    const oldHash = old.body.bundleHash;
    // The new map: flexible zone ub-flexible-02 becomes part of the concentrated construction area.
    const fc = JSON.parse(demo.layers['layers/zoning.geojson']);
    const f = fc.features.find((x: any) => x.id === 'ub-flexible-02');
    f.properties.zone = 'concentrated';
    const next = { manifest: demo.manifest, layers: { ...demo.layers, 'layers/zoning.geojson': JSON.stringify(fc) } };
    const r = await t.post('/v1/jurisdictions/demo-county/bundle', next, t.admin);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ jurisdiction: 'demo-county', previous: oldHash, created: true });
    expect(r.body.bundleHash).not.toBe(oldHash);
    expect((await t.post('/v1/jurisdictions/demo-county/bundle', next, t.admin)).status).toBe(200); // unchanged
    expect((await t.get('/v1/jurisdictions/demo-county')).body.bundleHash).toBe(r.body.bundleHash);
    const versions = (await t.get('/v1/jurisdictions/demo-county/versions')).body;
    expect(versions.active).toBe(r.body.bundleHash);
    expect(versions.versions.map((v: any) => v.hash)).toEqual(expect.arrayContaining([r.body.bundleHash]));

    const now = await t.evaluate(corpusRequest('flex-housing'));
    expect(now.body.bundleHash).toBe(r.body.bundleHash);
    expect(now.body.findings.map((x: any) => `${x.kind}:${x.zone}`)).toContain('urban-boundary:concentrated');

    const pinned = await t.post(`/v1/decisions/${old.body.decisionId}/replay`);
    expect(pinned.body.identical).toBe(true);
    expect(pinned.body.decision.bundleHash).toBe(oldHash);
    const cur = await t.post(`/v1/decisions/${old.body.decisionId}/replay?current=true`);
    expect(cur.body.changes.bundle).toEqual({ from: oldHash, to: r.body.bundleHash });
    expect(cur.body.changes.findings.map((x: any) => `${x.key}:${x.change}`).sort()).toEqual(['urban-boundary|concentrated:added', 'urban-boundary|flexible:removed']);
  });
});
