/**
 * Site-file uploads to POST /v1/evaluate and GET /v1/decisions/{id}/site.txt, through the real app
 * in-process on the demo bundle: every upload gives the decision the equivalent GeoJSON request gives.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSiteFile } from '../../engine/io/index.js';
import { testApp } from '../helpers/app.js';
import { expectSameDecision, maxVertexErrorM } from './helpers/compare.js';
import { polygonParts, prjGk3, PRJ_CGCS2000, writeShapefile, zipShapefile } from './helpers/shapefile.js';
import { surveyText, type LL } from './helpers/survey-file.js';
import { HOLE, SURVEY_DIR, TWO } from './make-fixtures.js';
import { gkProj4 } from '../../engine/io/index.js';
import { projector } from '../../engine/io/gauss-kruger.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const { app, post } = await testApp([join(root, 'fixtures/demo')]);
const fixture = (name: string) => readFileSync(join(SURVEY_DIR, name));
const twin = (name: string) => JSON.parse(readFileSync(join(SURVEY_DIR, name), 'utf8'));
/** Millimetre rounding of projected coordinates moves areas by ~1e-6 relative. */
const MM = 1e-4;

const holeProject = { name: HOLE.project.name, activity: HOLE.project.activity };
const twoProject = { name: TWO.project.name, activity: TWO.project.activity };
const holeRequest = { jurisdiction: 'demo-county', project: { ...holeProject, attributes: {} }, site: twin('factory-hole-zone38.geojson').geometry };
const twoRequest = {
  jurisdiction: 'demo-county',
  project: { ...twoProject, attributes: {} },
  site: { type: 'MultiPolygon', coordinates: twin('two-parcels-zone19-6deg.geojson').features.map((f: any) => f.geometry.coordinates) },
};

async function raw(body: BodyInit | Uint8Array, contentType: string, query: Record<string, string>) {
  const res = await app.request(`/v1/evaluate?${new URLSearchParams(query)}`, { method: 'POST', headers: { 'content-type': contentType }, body: body as BodyInit });
  return { status: res.status, type: res.headers.get('content-type'), body: (await res.json()) as any };
}
async function multipart(form: FormData, query = '') {
  const res = await app.request(`/v1/evaluate${query}`, { method: 'POST', body: form });
  return { status: res.status, body: (await res.json()) as any };
}
const q = (p: { name: string; activity: string }) => ({ jurisdiction: 'demo-county', activity: p.activity, name: p.name });

const baseHole = await post(holeRequest);
const baseTwo = await post(twoRequest);

describe('the equivalent GeoJSON requests', () => {
  it('decide something worth comparing', () => {
    expect(baseHole.status).toBe(200);
    expect(baseHole.body.verdict).toBe('conditional');
    expect(baseHole.body.findings.length).toBeGreaterThan(1);
    expect(baseTwo.status).toBe(200);
    expect(baseTwo.body.verdict).toBe('forbidden');
    // and the comparison does tell decisions apart
    expect(() => expectSameDecision(baseHole.body, baseTwo.body, MM)).toThrow();
    expect(() => expectSameDecision(baseHole.body, { ...baseHole.body, site: { ...baseHole.body.site, areaM2: baseHole.body.site.areaM2 * 1.001 } }, MM)).toThrow(/areaM2/);
  });
});

describe('界址点坐标 TXT uploads', () => {
  it('raw text/plain body + query (3° zone 38, hole, UTF-8): the same decision as the GeoJSON twin', async () => {
    const r = await raw(fixture('factory-hole-zone38.txt'), 'text/plain; charset=utf-8', q(holeProject));
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body, MM);
    expect(r.body.warnings).toEqual(baseHole.body.warnings);
  });

  it('application/x-zoning-survey, the GBK file: the same decision', async () => {
    const r = await raw(fixture('factory-hole-zone38-gbk.txt'), 'application/x-zoning-survey', q(holeProject));
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body, MM);
  });

  it('multipart: file + request JSON (6° zone 19, two parcels, BOM): the same decision as the MultiPolygon twin', async () => {
    const form = new FormData();
    form.append('file', new Blob([fixture('two-parcels-zone19-6deg.txt')]), 'two-parcels-zone19-6deg.txt');
    form.append('request', JSON.stringify({ jurisdiction: 'demo-county', project: { ...twoProject, attributes: {} } }));
    const r = await multipart(form);
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseTwo.body, MM);
  });

  it('multipart: file + fields jurisdiction / activity / name / attributes', async () => {
    const form = new FormData();
    form.append('file', new Blob([fixture('factory-hole-zone38.txt')]), '坐标.txt');
    form.append('jurisdiction', 'demo-county');
    form.append('activity', holeProject.activity);
    form.append('name', holeProject.name);
    form.append('attributes', '{}');
    const r = await multipart(form);
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body, MM);
  });

  it('a zone given in the query for a file that names none', async () => {
    const text = surveyText([{ rings: HOLE.site.coordinates, name: 'x' }], { zone: 38, width: 3, prefix: false, headerZone: false });
    const none = await raw(text, 'text/plain', q(holeProject));
    expect(none.status).toBe(422);
    expect(none.body.errors[0].path).toBe('/file/header/带号');
    const r = await raw(text, 'text/plain', { ...q(holeProject), zone: '38', zoneWidth: '3' });
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body, MM);
  });

  it('the declared-area mismatch is a warning of the decision, with both figures', async () => {
    const text = surveyText([{ rings: HOLE.site.coordinates, areaHa: '6.0000' }], { zone: 38, width: 3, prefix: true });
    const r = await raw(text, 'text/plain', q(holeProject));
    expect(r.status).toBe(200);
    expect(r.body.verdict).toBe(baseHole.body.verdict);
    const w = r.body.warnings.filter((x: any) => x.code === 'site-file-area-mismatch');
    expect(w).toHaveLength(1);
    expect(w[0].message).toMatch(/申报面积 6 公顷与按界址点计算的椭球面积 5\.6568 公顷相差 \+6\.07%/);
    const stored = await (await app.request(`/v1/decisions/${r.body.decisionId}`)).json();
    expect(stored.warnings).toEqual(r.body.warnings);
  });

  it('a malformed file: 422 problem naming the line and the field', async () => {
    const text = fixture('factory-hole-zone38.txt').toString('utf8').replace('38361403.199', '3836l403.199');
    const r = await raw(text, 'text/plain', q(holeProject));
    expect(r.status).toBe(422);
    expect(r.type).toMatch(/^application\/problem\+json/);
    expect(r.body).toMatchObject({ type: 'https://zoning.example/problems/bad-site-file', status: 422 });
    expect(r.body.errors).toEqual([{ path: '/file/line/15/Y', message: '第 15 行：Y 坐标「3836l403.199」不是数值' }]);
    const form = new FormData();
    form.append('file', new Blob([text]), 'bad.txt');
    form.append('request', JSON.stringify({ jurisdiction: 'demo-county', project: holeProject }));
    expect((await multipart(form)).body.errors[0].path).toBe('/file/line/15/Y');
  });
});

describe('WKT, GeoJSON and Shapefile uploads', () => {
  const wkt = `POLYGON (${(HOLE.site.coordinates as LL[][]).map((r) => `(${r.map((p) => p.join(' ')).join(', ')})`).join(', ')})`;

  it('WKT (application/wkt): exactly the decision of the GeoJSON request', async () => {
    const r = await raw(wkt, 'application/wkt', q(holeProject));
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body);
  });

  it('a GeoJSON FeatureCollection (application/geo+json): one polygon, and two → MultiPolygon', async () => {
    const one = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: HOLE.site }] };
    expectSameDecision((await raw(JSON.stringify(one), 'application/geo+json', q(holeProject))).body, baseHole.body);
    const two = await raw(readFileSync(join(SURVEY_DIR, 'two-parcels-zone19-6deg.geojson')), 'application/geo+json', q(twoProject));
    expect(two.status).toBe(200);
    expectSameDecision(two.body, baseTwo.body);
  });

  it('a zipped Shapefile with .prj (lon/lat; CGCS2000 3° GK zone 38): the same decision', async () => {
    const ll = zipShapefile(writeShapefile(5, [{ parts: polygonParts(HOLE.site.coordinates) }]), PRJ_CGCS2000);
    expectSameDecision((await raw(ll, 'application/zip', q(holeProject))).body, baseHole.body);
    const p = projector(gkProj4({ zone: 38, width: 3 }, true));
    const gk = zipShapefile(writeShapefile(5, [{ parts: polygonParts((HOLE.site.coordinates as LL[][]).map((r) => r.map(([x, y]) => p.forward(x, y)))) }]), prjGk3(38, true));
    const r = await raw(gk, 'application/zip', q(holeProject));
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body, MM);
    const form = new FormData();
    form.append('file', new Blob([gk as Uint8Array<ArrayBuffer>]), 'site.zip');
    form.append('request', JSON.stringify({ jurisdiction: 'demo-county', project: holeProject }));
    expectSameDecision((await multipart(form)).body, baseHole.body, MM);
  });
});

describe('uploads recognised by their content', () => {
  const gkZip = () => {
    const p = projector(gkProj4({ zone: 38, width: 3 }, true));
    return zipShapefile(writeShapefile(5, [{ parts: polygonParts((HOLE.site.coordinates as LL[][]).map((r) => r.map(([x, y]) => p.forward(x, y)))) }]), prjGk3(38, true));
  };

  it('a zipped Shapefile sent as application/octet-stream, or with no content type: read as a zip upload', async () => {
    const zip = gkZip();
    const octet = await raw(zip, 'application/octet-stream', q(holeProject));
    expect(octet.status).toBe(200);
    expectSameDecision(octet.body, baseHole.body, MM);
    const res = await app.request(`/v1/evaluate?${new URLSearchParams(q(holeProject))}`, { method: 'POST', body: zip as Uint8Array<ArrayBuffer> });
    expect(res.status).toBe(200);
    expectSameDecision((await res.json()) as any, baseHole.body, MM);
    // bytes that are not a zip keep the JSON path's answer
    const junk = await raw(new Uint8Array([0xff, 0xfe, 0x00, 0x01]), 'application/octet-stream', q(holeProject));
    expect(junk.status).toBe(400);
  });

  it('a GeoJSON Feature, FeatureCollection or geometry sent as application/json with ?jurisdiction=: read as a GeoJSON site file', async () => {
    const fc = { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: HOLE.site }] };
    for (const body of [fc, fc.features[0], HOLE.site]) {
      const r = await raw(JSON.stringify(body), 'application/json', q(holeProject));
      expect(r.status, body.type).toBe(200);
      expectSameDecision(r.body, baseHole.body);
    }
    const two = await raw(readFileSync(join(SURVEY_DIR, 'two-parcels-zone19-6deg.geojson')), 'application/json; charset=utf-8', q(twoProject));
    expect(two.status).toBe(200);
    expectSameDecision(two.body, baseTwo.body);
    // without the jurisdiction in the query it is a (bad) JSON request, as before
    const noQuery = await raw(JSON.stringify(fc), 'application/json', {});
    expect(noQuery.status).toBe(400);
  });

  it('the JSON request path is unchanged, with or without a query', async () => {
    const r = await raw(JSON.stringify(holeRequest), 'application/json', {});
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body);
    const withQuery = await raw(JSON.stringify(holeRequest), 'application/json', { jurisdiction: 'demo-county' });
    expect(withQuery.status).toBe(200);
    expectSameDecision(withQuery.body, baseHole.body);
    const bad = await raw(JSON.stringify({ ...holeRequest, type: 'Feature' }), 'application/json', { jurisdiction: 'demo-county' });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('/type');
  });
});

describe('overlapping parcels in a 界址点坐标 upload', () => {
  it('the decision warns naming the parcels and their lines, not JSON pointers', async () => {
    const square = (TWO.site.coordinates as LL[][][])[0][0];
    const shifted = square.map(([x, y]) => [x + 0.0002, y + 0.0001] as LL);
    const text = surveyText([{ rings: [square], id: 'SY-01', name: '商业网点1' }, { rings: [shifted], id: 'SY-02', name: '商业网点2' }], { zone: 38, width: 3, prefix: true });
    const r = await raw(text, 'text/plain', q(twoProject));
    expect(r.status).toBe(200);
    const messages = r.body.warnings.map((w: any) => w.message).join('\n');
    expect(messages).not.toMatch(/\/coordinates/);
    expect(r.body.warnings).toContainEqual({ code: 'site-file-parcels-overlap', message: '第 13 行的地块 SY-01（商业网点1）与第 19 行的地块 SY-02（商业网点2）相互重叠或共边，已合并为一个用地范围计算' });
    // the same merged site the engine evaluates for the equivalent MultiPolygon request
    const geo = await post({ jurisdiction: 'demo-county', project: { ...twoProject, attributes: {} }, site: { type: 'MultiPolygon', coordinates: [[square], [shifted]] } });
    expect(geo.status).toBe(200);
    expect(Math.abs(r.body.site.areaM2 - geo.body.site.areaM2) / geo.body.site.areaM2).toBeLessThan(MM);
    expect(r.body.verdict).toBe(geo.body.verdict);
  });
});

describe('request checks', () => {
  const text = fixture('factory-hole-zone38.txt');

  it('the rest of the request is checked like a JSON request (400 with paths)', async () => {
    expect((await raw(text, 'text/plain', { activity: 'industrial' })).body.errors).toEqual([{ path: '/jurisdiction', message: '缺少必填字段 jurisdiction' }]);
    expect((await raw(text, 'text/plain', { jurisdiction: 'demo-county' })).body.errors[0].path).toBe('/project/activity');
    expect((await raw(text, 'text/plain', { ...q(holeProject), attributes: '{bad' })).body.errors[0].path).toBe('/project/attributes');
    expect((await raw(text, 'text/plain', { ...q(holeProject), asOf: '26-11-2026' })).body.errors[0].path).toBe('/asOf');
    expect((await raw(text, 'text/plain', { ...q(holeProject), zone: 'x' })).body.errors[0].path).toBe('/zone');
    expect((await raw(text, 'text/plain', { ...q(holeProject), zoneWidth: '4' })).status).toBe(400);
    expect((await raw(text, 'text/plain', { ...q(holeProject), jurisdiction: 'nowhere' })).status).toBe(404);
    expect((await raw(text, 'text/plain', { ...q(holeProject), activity: 'nothing' })).status).toBe(422);
  });

  it('multipart without a file, with a broken request part, with a site in the request part', async () => {
    const a = new FormData();
    a.append('request', '{}');
    expect((await multipart(a)).body.errors[0].path).toBe('/file');
    const b = new FormData();
    b.append('file', new Blob([text]), 'a.txt');
    b.append('request', '{');
    expect((await multipart(b)).body.errors[0].path).toBe('/request');
    const c = new FormData();
    c.append('file', new Blob([text]), 'a.txt');
    c.append('request', JSON.stringify({ ...holeRequest }));
    expect((await multipart(c)).body.errors[0].path).toBe('/site');
  });

  it('the body limit applies to uploads (413)', async () => {
    const small = await testApp([join(root, 'fixtures/demo')], { limits: { maxBodyBytes: 300 } });
    const res = await small.app.request(`/v1/evaluate?${new URLSearchParams(q(holeProject))}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text });
    expect(res.status).toBe(413);
    const form = new FormData();
    form.append('file', new Blob([text]), 'a.txt');
    expect((await small.app.request('/v1/evaluate', { method: 'POST', body: form })).status).toBe(413);
  });

  it('a JSON request sent as text/plain (no query) is still a JSON request', async () => {
    const r = await raw(JSON.stringify(holeRequest), 'text/plain', {});
    expect(r.status).toBe(200);
    expectSameDecision(r.body, baseHole.body);
  });
});

describe('GET /v1/decisions/{id}/site.txt', () => {
  const get = (path: string) => app.request(path);

  it('exports the site as 界址点坐标 TXT (UTF-8, CRLF, default 3° zone of the centroid, prefix) that round-trips within 1 cm', async () => {
    const res = await get(`/v1/decisions/${baseHole.body.decisionId}/site.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(res.headers.get('x-crs')).toBe('EPSG:4526');
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(text).toMatch(/\r\n/);
    expect(text).not.toMatch(/[^\r]\n/);
    expect(text).toContain('带号=38\r\n');
    expect(text).toContain('数据产生日期=2026-11-25\r\n');
    expect(text).toMatch(/\r\nJ1,1,\d{7}\.\d{3},38\d{6}\.\d{3}\r\n/);
    const back = readSiteFile(bytes, 'site.txt');
    expect(back.warnings).toEqual([]);
    expect(maxVertexErrorM(back.geometry, holeRequest.site)).toBeLessThan(0.01);
    // and uploading it again gives the same decision
    expectSameDecision((await raw(bytes, 'text/plain', q(holeProject))).body, baseHole.body, MM);
  });

  it('in a chosen zone: ?zone=19&zoneWidth=6&prefix=false, several parcels', async () => {
    const res = await get(`/v1/decisions/${baseTwo.body.decisionId}/site.txt?zone=19&zoneWidth=6&prefix=false`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-crs')).toBe('EPSG:4508');
    const text = await res.text();
    expect(text).toContain('几度分带=6\r\n');
    expect(text).toContain('带号=19\r\n');
    expect(text).toMatch(/\r\nJ1,1,\d{7}\.\d{3},\d{6}\.\d{3}\r\n/);
    const back = readSiteFile(new TextEncoder().encode(text), 'site.txt');
    expect(back.parcels).toHaveLength(2);
    expect(maxVertexErrorM(back.geometry, twoRequest.site)).toBeLessThan(0.01);
  });

  it('a decision made from an upload exports too; a corridor exports as its land', async () => {
    const up = await raw(fixture('factory-hole-zone38.txt'), 'text/plain', q(holeProject));
    const res = await get(`/v1/decisions/${up.body.decisionId}/site.txt`);
    expect(maxVertexErrorM(readSiteFile(new Uint8Array(await res.arrayBuffer()), 'x.txt').geometry, holeRequest.site)).toBeLessThan(0.01);
    const line = JSON.parse(readFileSync(join(root, 'fixtures/projects/linear-infrastructure-redline.json'), 'utf8'));
    const d = await post({ jurisdiction: 'demo-county', project: line.project, site: line.site });
    const c = await get(`/v1/decisions/${d.body.decisionId}/site.txt`);
    expect(c.status).toBe(200);
    const land = readSiteFile(new Uint8Array(await c.arrayBuffer()), 'x.txt');
    expect(Math.abs(land.parcels[0].computedAreaHa! * 1e4 - d.body.site.areaM2) / d.body.site.areaM2).toBeLessThan(1e-4);
  });

  it('404 for an unknown decision, 400 for bad parameters, 422 for a point site or a zone far away', async () => {
    expect((await get('/v1/decisions/nope/site.txt')).status).toBe(404);
    const id = baseHole.body.decisionId;
    for (const qs of ['zoneWidth=4', 'zone=abc', 'prefix=maybe']) expect((await get(`/v1/decisions/${id}/site.txt?${qs}`)).status).toBe(400);
    const far = await get(`/v1/decisions/${id}/site.txt?zone=40`);
    expect(far.status).toBe(422);
    expect((await far.json()).errors[0].path).toBe('/zone');
    const point = JSON.parse(readFileSync(join(root, 'fixtures/projects/patrol-point-redline.json'), 'utf8'));
    const d = await post({ jurisdiction: 'demo-county', project: point.project, site: point.site });
    expect((await get(`/v1/decisions/${d.body.decisionId}/site.txt`)).status).toBe(422);
  });
});
