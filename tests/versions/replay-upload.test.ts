/**
 * Decisions made from an uploaded site file replay identically on their pinned versions: the stored
 * input keeps what the upload contributed (its warnings, a description of the file, the file itself
 * within the body limit), and replay adds the upload's warnings back as POST /v1/evaluate did.
 * Rows stored before uploads were recorded still replay.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, versionsApp } from './helpers.js';

const SURVEY = readFileSync(join(root, 'fixtures/survey/factory-hole-zone38.txt'), 'utf8');
/** The fixture with its declared area 5.6568 ha changed to 6 ha: the upload warns of the mismatch. */
const MISMATCH = SURVEY.replace('10,5.6568,GY-01,', '10,6.0000,GY-01,');
const query = new URLSearchParams({ jurisdiction: 'demo-county', activity: 'industrial', name: '申报面积不符的厂房' });

async function upload(t: Awaited<ReturnType<typeof versionsApp>>, body: BodyInit, headers: Record<string, string> = {}, q = query) {
  const res = await t.app.request(`/v1/evaluate?${q}`, { method: 'POST', headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

describe('replay of a decision on an uploaded site file', () => {
  it('a 界址点坐标 TXT whose declared area mismatches: the warning is kept and the replay is identical', async () => {
    expect(MISMATCH).not.toBe(SURVEY);
    const t = await versionsApp();
    const d = await upload(t, MISMATCH, { 'content-type': 'text/plain; charset=utf-8' });
    expect(d.status).toBe(200);
    const mismatch = d.body.warnings.filter((w: any) => w.code === 'site-file-area-mismatch');
    expect(mismatch).toHaveLength(1);

    const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay`);
    expect(r.status).toBe(200);
    expect(r.body.differences).toEqual([]);
    expect(r.body.identical).toBe(true);
    expect(r.body.decision.warnings).toEqual(d.body.warnings);
    const bytes = Buffer.from(MISMATCH, 'utf8');
    expect(r.body.upload).toEqual({ format: 'survey-txt', name: 'upload.txt', size: bytes.length, sha256: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, stored: true });

    // Replayed on other versions, the upload's warnings are there too: only the versions differ.
    const later = await t.post(`/v1/decisions/${d.body.decisionId}/replay?asOf=2027-06-01`);
    expect(later.status).toBe(200);
    expect(later.body.decision.warnings.filter((w: any) => w.code.startsWith('site-file-'))).toEqual(mismatch);
    expect(later.body.differences.filter((p: string) => p.startsWith('/warnings'))).toEqual([]);
  });

  it('stores with the input the file (base64), its description, its parcels as declared and its warnings', async () => {
    const t = await versionsApp();
    const d = await upload(t, MISMATCH, { 'content-type': 'application/x-zoning-survey' });
    expect(d.status).toBe(200);
    const rec = await (t.deps.store as any).record(d.body.decisionId);
    // The request as the engine read it: jurisdiction, project and the site the file was read into.
    expect(rec.input).toEqual({ jurisdiction: 'demo-county', project: { activity: 'industrial', name: '申报面积不符的厂房' }, site: expect.objectContaining({ type: 'Polygon' }) });
    const bytes = Buffer.from(MISMATCH, 'utf8');
    expect(rec.upload).toMatchObject({
      format: 'survey-txt', name: 'upload.txt', contentType: 'application/x-zoning-survey', size: bytes.length,
      sha256: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      warnings: d.body.warnings.filter((w: any) => w.code.startsWith('site-file-')),
      parcels: [expect.objectContaining({ id: 'GY-01', declaredAreaHa: 6 })],
    });
    expect(Buffer.from(rec.upload.base64, 'base64').toString('utf8')).toBe(MISMATCH);
    // The decision itself is what it was: GET returns it unchanged.
    expect((await t.get(`/v1/decisions/${d.body.decisionId}`)).body).toEqual(d.body);
  });

  it('multipart with the file name and a zone override: recorded, and identical on replay', async () => {
    const t = await versionsApp();
    const form = new FormData();
    form.append('file', new Blob([MISMATCH], { type: 'text/plain' }), '报批坐标.txt');
    form.append('request', JSON.stringify({ jurisdiction: 'demo-county', project: { activity: 'industrial', name: '多部分上传' } }));
    form.append('zone', '38');
    const d = await upload(t, form, {}, new URLSearchParams());
    expect(d.status).toBe(200);
    const rec = await (t.deps.store as any).record(d.body.decisionId);
    expect(rec.upload).toMatchObject({ name: '报批坐标.txt', format: 'survey-txt', options: { zone: 38 } });
    expect(d.body.warnings.some((w: any) => w.code === 'site-file-area-mismatch')).toBe(true);
    const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay`);
    expect(r.body.identical).toBe(true);
  });

  it('a file over the body limit once base64-encoded is described but not kept', async () => {
    const limit = Math.ceil(Buffer.byteLength(MISMATCH) * 1.2);
    const t = await versionsApp({ limits: { maxBodyBytes: limit } });
    const d = await upload(t, MISMATCH, { 'content-type': 'text/plain' });
    expect(d.status).toBe(200);
    const rec = await (t.deps.store as any).record(d.body.decisionId);
    expect(rec.upload.base64).toBeUndefined();
    expect(rec.upload.omitted).toMatch(/超过保存上限/);
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay`)).body.identical).toBe(true);
  });

  it('JSON requests store no upload record, also when sent as text/plain', async () => {
    const t = await versionsApp();
    const site = (await (t.deps.store as any).record((await upload(t, SURVEY, { 'content-type': 'text/plain' })).body.decisionId)).input.site;
    const request = { jurisdiction: 'demo-county', project: { activity: 'industrial', attributes: {} }, site };
    for (const [type, q] of [['application/json', ''], ['text/plain', ''], ['application/json', '?jurisdiction=demo-county']]) {
      const res = await t.app.request(`/v1/evaluate${q}`, { method: 'POST', headers: { 'content-type': type }, body: JSON.stringify(request) });
      expect(res.status).toBe(200);
      const rec = await (t.deps.store as any).record(((await res.json()) as any).decisionId);
      expect(rec.input).toEqual(request);
      expect(rec).not.toHaveProperty('upload');
    }
  });

  it('a GeoJSON Feature uploaded as application/geo+json: recorded as such, identical on replay', async () => {
    const t = await versionsApp();
    const site = (await (t.deps.store as any).record((await upload(t, SURVEY, { 'content-type': 'text/plain' })).body.decisionId)).input.site;
    const feature = JSON.stringify({ type: 'Feature', properties: { name: '厂区' }, geometry: site });
    const d = await upload(t, feature, { 'content-type': 'application/geo+json' });
    expect(d.status).toBe(200);
    const rec = await (t.deps.store as any).record(d.body.decisionId);
    expect(rec.upload).toMatchObject({ format: 'geojson', name: 'upload.geojson', size: Buffer.byteLength(feature) });
    expect(Buffer.from(rec.upload.base64, 'base64').toString('utf8')).toBe(feature);
    expect((await t.post(`/v1/decisions/${d.body.decisionId}/replay`)).body.identical).toBe(true);
  });

  it('a row stored before uploads were recorded (the request only) still replays, identically', async () => {
    const t = await versionsApp();
    const d = await upload(t, MISMATCH, { 'content-type': 'text/plain' });
    const store = t.deps.store as any;
    const rec = await store.record(d.body.decisionId);
    // Rewrite the row as an older release stored it: the parsed request, nothing of the upload.
    await store.save(rec.decision, rec.input, JSON.stringify(rec.decision));
    expect(await store.record(d.body.decisionId)).not.toHaveProperty('upload');
    const r = await t.post(`/v1/decisions/${d.body.decisionId}/replay`);
    expect(r.status).toBe(200);
    expect(r.body.identical).toBe(true);
    expect(r.body.upload).toBeNull();
  });
});
