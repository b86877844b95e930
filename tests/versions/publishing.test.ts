/**
 * Publishing policy versions keeps the past as it was:
 * - only future-dated versions are published (not before today, not on or before the `from` of the
 *   version in force): a back-dated one would change which text was in force on days already past;
 * - a version's document and hash never change once published: in-force windows are derived from
 *   the sequence (a version without `to` is in force until the next one's `from`), each version is
 *   listed once with its window, and decisions replay identically on their own asOf;
 * - a published version may not end on its own (`effective.to`): later dates would have no version;
 * - dates are calendar days: impossible ones are refused with 400 naming the parameter.
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { bootState } from '../../api/storage/boot.js';
import { memoryDecisionStore } from '../../api/storage/decision-store.js';
import { memoryVersionStore } from '../../api/storage/version-store.js';
import { buildPolicyRegistry, PolicyLoadError, type PolicyDocument } from '../../engine/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { DEMO, TOKEN, corpusRequest, shippedUrbanBoundary, steppingClock, tightenedUrbanBoundary, versionsApp } from './helpers.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const UB = 'national.urban-boundary';
/** A logistics depot in the special-use zone: conditional under 1.1.0, forbidden under the tightened 1.2.0. */
const special = (asOf: string) => {
  const site = JSON.parse(readFileSync(join(DEMO, '../projects/housing-special-zone.json'), 'utf8')).site;
  return { jurisdiction: 'demo-county', asOf, project: { name: '特别用途区内物流中转站', activity: 'logistics', attributes: {} }, site };
};
const ubOf = (d: any) => d.policies.find((p: any) => p.id === UB);

describe('back-dated versions are refused', () => {
  it('a version from a past date (409, in Chinese): what was in force then, and replays on that date, stay as they were', async () => {
    const t = await versionsApp({ clock: steppingClock('2027-07-01T08:00:00.000Z') });
    const d = await t.evaluate(special('2027-06-15'));
    expect(ubOf(d.body).version).toBe('1.1.0');
    const r = await t.post('/v1/policies', tightenedUrbanBoundary('2027-06-01'), t.admin);
    expect(r.status).toBe(409);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    expect(r.body.detail).toMatch(/2027-06-01.*早于今天 2027-07-01/);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: '/effective/from' })]);
    const vs = (await t.get(`/v1/policies/${UB}/versions?asOf=2027-06-15`)).body;
    expect(vs.versions.map((v: any) => v.version)).toEqual(['1.0.0', '1.1.0']);
    expect(vs.inForce.version).toBe('1.1.0');
    const replay = await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2027-06-15`);
    expect(replay.body.identical).toBe(true);
  });

  it('a version beginning on or before the one in force (409), even when that is today', async () => {
    // Today is 2027-01-01, the day 1.1.0 came into force.
    const t = await versionsApp({ clock: steppingClock('2027-01-01T08:00:00.000Z') });
    const r = await t.post('/v1/policies', tightenedUrbanBoundary('2027-01-01'), t.admin);
    expect(r.status).toBe(409);
    expect(r.body.detail).toMatch(/不晚于现行版本 1\.1\.0 的生效日期 2027-01-01/);
    // A future date is accepted.
    expect((await t.post('/v1/policies', tightenedUrbanBoundary('2027-01-02'), t.admin)).status).toBe(201);
  });

  it('the repo\'s own versions keep loading (the registry judges sequences, not today)', async () => {
    const reg = await buildPolicyRegistry(POLICY_DOCUMENTS);
    expect(reg.versions(UB).map((v) => v.doc.version)).toEqual(['1.0.0', '1.1.0']);
  });
});

describe('a published version never changes', () => {
  it('publishing a successor neither rewrites nor re-hashes its predecessor; each version is listed once with its derived window', async () => {
    const t = await versionsApp({ clock: steppingClock('2027-03-01T08:00:00.000Z') });
    const d = await t.evaluate(special('2027-02-01'));
    const h110 = ubOf(d.body).hash;
    const pub = await t.post('/v1/policies', tightenedUrbanBoundary('2027-06-01'), t.admin);
    expect(pub.status).toBe(201);
    expect(pub.body.closed).toEqual({ version: '1.1.0', effective: { from: '2027-01-01', to: '2027-06-01' }, hash: h110 });

    const vs = (await t.get(`/v1/policies/${UB}/versions`)).body;
    expect(vs.versions.map((v: any) => [v.version, v.status, v.effective, v.declared])).toEqual([
      ['1.0.0', 'active', { from: '2021-01-01', to: '2027-01-01' }, { from: '2021-01-01', to: '2027-01-01' }],
      ['1.1.0', 'active', { from: '2027-01-01', to: '2027-06-01' }, { from: '2027-01-01' }],
      ['1.2.0', 'active', { from: '2027-06-01' }, { from: '2027-06-01' }],
    ]);
    expect(vs.versions[1].hash).toBe(h110);
    expect(vs.versions[1].otherTexts).toEqual([]);
    expect((await t.get(`/v1/policies/${UB}?version=1.1.0`)).body.hash).toBe(h110);

    // Replays on the decision's own date: identical (before, the re-hashed 1.1.0 made it differ).
    const own = await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2027-02-01`);
    expect(own.body.differences).toEqual([]);
    expect(own.body.identical).toBe(true);
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay`)).body.identical).toBe(true);
    // New decisions on that date pin the same text.
    expect(ubOf((await t.evaluate(special('2027-02-01'))).body).hash).toBe(h110);
  });

  it('the registry derives windows from the sequence; same-day starts, explicit overlaps, gaps and impossible dates are refused', async () => {
    const base = POLICY_DOCUMENTS['national.permanent-farmland'] as PolicyDocument;
    const v1 = structuredClone(base);
    const v2 = structuredClone(base);
    v2.version = '2.0.0';
    v2.effective = { from: '2027-01-01' };
    const reg = await buildPolicyRegistry({ a: v1, b: v2 });
    expect(reg.inForce(base.id, '2026-12-31')?.doc.version).toBe(base.version);
    expect(reg.inForce(base.id, '2027-01-01')?.doc.version).toBe('2.0.0');
    expect(reg.versions(base.id)[0].doc.effective).toEqual({ from: '2021-01-01' }); // untouched
    const refused = async (docs: Record<string, unknown>, re: RegExp) => {
      const e = await buildPolicyRegistry(docs).catch((x) => x);
      expect(e).toBeInstanceOf(PolicyLoadError);
      expect(e.message).toMatch(re);
    };
    await refused({ a: v1, b: { ...v2, effective: { from: '2021-01-01' } } }, /overlap/);
    await refused({ a: { ...v1, effective: { from: '2021-01-01', to: '2027-02-01' } }, b: v2 }, /overlap/);
    await refused({ a: { ...v1, effective: { from: '2021-01-01', to: '2026-12-01' } }, b: v2 }, /gap/);
    await refused({ a: v1, b: { ...v2, effective: { from: '2027-02-30' } } }, /2027-02-30 is not a calendar date/);
  });

  it('an archive written by an older release (a "closed" copy of 1.1.0): served as published, listed once, old pins still replay', async () => {
    const versions = memoryVersionStore();
    const decisions = memoryDecisionStore();
    const demo = await loadBundleDir(DEMO);
    const bundles = new Map([[demo.id, demo]]);
    // What the older release did on publishing 1.2.0: 1.1.0 re-written with effective.to and served so.
    const closed = { ...shippedUrbanBoundary('1.1.0'), effective: { from: '2027-01-01', to: '2027-06-01' } };
    const v120 = tightenedUrbanBoundary('2027-06-01');
    const oldDocs = { ...POLICY_DOCUMENTS, [`${UB}@1.1.0`]: closed, [`${UB}@1.2.0`]: v120 };
    const oldReg = await buildPolicyRegistry(oldDocs);
    await bootState(versions, { policyDocuments: POLICY_DOCUMENTS, bundles: [], now: new Date('2026-11-25T00:00:00Z') });
    const hClosed = oldReg.versions(UB).find((p) => p.doc.version === '1.1.0')!.hash;
    const h120 = oldReg.versions(UB).find((p) => p.doc.version === '1.2.0')!.hash;
    for (const [hash, doc] of [[h120, v120], [hClosed, closed]] as const) {
      await versions.putPolicy({ hash, id: UB, version: doc.version, level: doc.level, effective: doc.effective, source: 'api', createdAt: '2026-12-01T00:00:00.000Z', doc });
    }
    const clock = steppingClock('2027-03-01T08:00:00.000Z');
    const old = createApp({ bundles, policies: oldReg, store: decisions, versions, engineVersion: 'test', clock, newId: () => 'legacy-1', adminToken: TOKEN });
    const res = await old.request('/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(special('2027-02-01')) });
    const d = (await res.json()) as any;
    expect(ubOf(d).hash).toBe(hClosed);

    // This release boots on that archive.
    const boot = await bootState(versions, { policyDocuments: POLICY_DOCUMENTS, bundles: [], now: new Date('2027-03-01T00:00:00Z'), warn: () => {} });
    const h110 = boot.policies.versions(UB).find((p) => p.doc.version === '1.1.0')!;
    expect(h110.doc.effective).toEqual({ from: '2027-01-01' });
    expect(boot.policies.inForce(UB, '2027-07-01')?.hash).toBe(h120);
    const app = createApp({ bundles, policies: boot.policies, store: decisions, versions, engineVersion: 'test', clock, newId: () => 'new-1', adminToken: TOKEN });
    const vs = (await (await app.request(`/v1/policies/${UB}/versions`)).json()) as any;
    expect(vs.versions.map((v: any) => [v.version, v.effective.to ?? null])).toEqual([['1.0.0', '2027-01-01'], ['1.1.0', '2027-06-01'], ['1.2.0', null]]);
    expect(vs.versions[1].otherTexts.map((x: any) => x.hash)).toEqual([hClosed]);
    const replay = (await (await app.request(`/v1/decisions/${d.decisionId}/replay`, { method: 'POST' })).json()) as any;
    expect(replay.identical).toBe(true);
  });
});

describe('published versions do not end on their own', () => {
  it('effective.to on a published version is refused (422): no later date is left without a version', async () => {
    const t = await versionsApp();
    const ending = tightenedUrbanBoundary('2027-06-01');
    ending.effective = { from: '2027-06-01', to: '2028-01-01' };
    const r = await t.post('/v1/policies', ending, t.admin);
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([expect.objectContaining({ path: '/effective/to' })]);
    expect(r.body.detail).toMatch(/不能指定失效日期/);
    expect((await t.get(`/v1/policies/${UB}/versions`)).body.versions.map((v: any) => v.version)).toEqual(['1.0.0', '1.1.0']);
    // Without it, the version runs until a successor is published.
    const ok = await t.post('/v1/policies', tightenedUrbanBoundary('2027-06-01'), t.admin);
    expect(ok.status).toBe(201);
    const vs = (await t.get(`/v1/policies/${UB}/versions?asOf=2031-01-01`)).body;
    expect(vs.inForce.version).toBe('1.2.0');
  });

  it('republishing a shipped version unchanged (even one with its own `to`) is still a no-op', async () => {
    const t = await versionsApp();
    const r = await t.post('/v1/policies', shippedUrbanBoundary('1.0.0'), t.admin);
    expect(r.status).toBe(200);
    expect(r.body.created).toBe(false);
  });
});

describe('dates are calendar days', () => {
  it('replay ?asOf=, versions ?asOf=, impact asOf and a published effective.from: impossible dates are 400/422 naming the field', async () => {
    const t = await versionsApp();
    const d = await t.evaluate(corpusRequest('flex-housing'));
    for (const bad of ['2027-02-30', '2026-02-29', '2027-04-31', '2027-13-01', '2027-00-10']) {
      const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(r.headers.get('content-type')).toContain('application/problem+json');
      expect(r.body.errors).toEqual([{ path: '/asOf', message: expect.stringContaining(bad) }]);
      const v = await t.get(`/v1/policies/${UB}/versions?asOf=${bad}`);
      expect(v.status, bad).toBe(400);
      expect(v.body.errors[0].path).toBe('/asOf');
      const i = await t.post('/v1/impact', { policy: UB, from: '1.0.0', to: '1.1.0', asOf: bad, projects: { type: 'FeatureCollection', features: [] } });
      expect(i.status, bad).toBe(400);
      expect(i.body.errors[0].path).toBe('/asOf');
    }
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2028-02-29`)).status).toBe(200); // a leap day
    const p = tightenedUrbanBoundary('2027-02-30');
    const r = await t.post('/v1/policies', p, t.admin);
    expect(r.status).toBe(422);
    expect(r.body.errors[0].path).toBe('/effective/from');
  });

  it('time bounds (the decision log\'s from/to): a calendar date or a full ISO instant with its offset', async () => {
    const t = await versionsApp({});
    for (const good of ['2026-11-25', '2026-11-25T16:00+08:00', '2026-11-25T08:00:00.123Z']) {
      expect((await t.get(`/v1/decisions?from=${encodeURIComponent(good)}&to=${encodeURIComponent(good)}`)).status, good).toBe(200);
    }
    for (const bad of ['2026-02-30', '2026-02-30T00:00:00Z', '2026-11-25T24:00:00Z', '2026-11-25T08:60:00Z', '2026-11-25T08:00:00', '2026-11-25T08:00:00+25:00', 'yesterday', '2026-11-25T08:00:00ZZ']) {
      const r = await t.get(`/v1/decisions?from=${encodeURIComponent(bad)}`);
      expect(r.status, bad).toBe(400);
      expect(r.body.errors[0].path).toBe('/from');
    }
  });
});
