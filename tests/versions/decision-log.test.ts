/**
 * The decision log (GET /v1/decisions): filters, stable order, cursor pagination, and the two
 * exports officers keep as the project ledger — CSV for Excel (UTF-8 with BOM) and GeoJSON with each
 * decision's site.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/csv.js';
import { CORPUS, corpusRequest, root, versionsApp } from './helpers.js';

let t: Awaited<ReturnType<typeof versionsApp>>;
const made: any[] = [];

beforeAll(async () => {
  t = await versionsApp();
  for (const f of CORPUS.features) {
    const r = await t.evaluate(corpusRequest(f.id, f.id === 'flex-housing' ? { name: '=HYPERLINK("x"),含"引号"的项目' } : {}));
    expect(r.status).toBe(200);
    made.push(r.body);
  }
});

const ids = (r: any) => r.body.decisions.map((d: any) => d.id);

describe('GET /v1/decisions', () => {
  it('lists newest first by default, oldest first with order=asc, with a summary per decision', async () => {
    const all = await t.get('/v1/decisions?limit=100');
    expect(all.status).toBe(200);
    expect(ids(all)).toEqual(made.map((d) => d.decisionId).reverse());
    expect(all.body.nextCursor).toBeNull();
    const asc = await t.get('/v1/decisions?order=asc&limit=100');
    expect(ids(asc)).toEqual(made.map((d) => d.decisionId));
    const s = asc.body.decisions[0];
    expect(s).toMatchObject({
      id: made[0].decisionId, createdAt: made[0].createdAt, jurisdiction: 'demo-county', projectName: made[0].project.name,
      activity: made[0].project.activity, verdict: made[0].verdict, bundleHash: made[0].bundleHash,
    });
    expect(s.siteAreaHa).toBeCloseTo(made[0].site.areaM2 / 10_000, 4);
    expect(s.policies.map((p: any) => p.id)).toContain('national.urban-boundary');
  });

  it('pages with limit + cursor, in a stable order', async () => {
    const seen: string[] = [];
    let url = '/v1/decisions?limit=5&order=asc';
    for (let i = 0; i < 10; i++) {
      const r = await t.get(url);
      expect(r.body.decisions.length).toBeLessThanOrEqual(5);
      seen.push(...ids(r));
      if (!r.body.nextCursor) break;
      url = `/v1/decisions?limit=5&order=asc&cursor=${r.body.nextCursor}`;
    }
    expect(seen).toEqual(made.map((d) => d.decisionId));
  });

  it('filters by jurisdiction, verdict, activity and creation time', async () => {
    const forbidden = await t.get('/v1/decisions?verdict=forbidden&limit=100');
    expect(ids(forbidden).sort()).toEqual(made.filter((d) => d.verdict === 'forbidden').map((d) => d.decisionId).sort());
    const industrial = await t.get('/v1/decisions?activity=industrial&jurisdiction=demo-county&limit=100');
    expect(ids(industrial).sort()).toEqual(made.filter((d) => d.project.activity === 'industrial').map((d) => d.decisionId).sort());
    expect(ids(await t.get('/v1/decisions?jurisdiction=elsewhere'))).toEqual([]);
    const [a, b] = [made[3].createdAt, made[6].createdAt];
    const window = await t.get(`/v1/decisions?order=asc&from=${encodeURIComponent(a)}&to=${encodeURIComponent(b)}`);
    expect(ids(window)).toEqual(made.slice(3, 6).map((d) => d.decisionId)); // from inclusive, to exclusive
    expect(ids(await t.get(`/v1/decisions?from=2026-11-25&to=2026-11-25&limit=100`)).length).toBe(made.length); // a date is that whole (UTC) day
    expect(ids(await t.get(`/v1/decisions?from=2026-11-26`))).toEqual([]);
  });

  it('answers 400 for bad parameters', async () => {
    for (const q of ['verdict=maybe', 'activity=flying', 'limit=0', 'limit=501', 'limit=x', 'from=yesterday', 'cursor=%%%', 'cursor=abc', 'order=up', 'format=xml', 'jurisdiction=BAD!']) {
      const r = await t.get(`/v1/decisions?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.headers.get('content-type')).toContain('problem+json');
    }
  });

  it('exports CSV (UTF-8 with BOM, RFC 4180, formula-safe) by ?format=csv or Accept: text/csv', async () => {
    const r = await t.get('/v1/decisions?format=csv&order=asc');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toContain('decisions.csv');
    expect(r.text.charCodeAt(0)).toBe(0xfeff);
    const lines = r.text.slice(1).trimEnd().split('\r\n');
    // the original columns in their order, then applicant and asOf appended
    expect(lines[0]).toBe('id,createdAt,jurisdiction,projectName,activity,verdict,siteAreaHa,approvals,bundleHash,policies,applicant,asOf');
    expect(lines).toHaveLength(made.length + 1);
    const housing = made.find((d) => d.project.name.startsWith('=HYPERLINK'));
    expect(r.text).toContain(`${housing.decisionId},${housing.createdAt},demo-county,"'=HYPERLINK(""x""),含""引号""的项目",housing,${housing.verdict},`);
    const first = lines[1].split(',');
    expect(first.slice(0, 3)).toEqual([made[0].decisionId, made[0].createdAt, 'demo-county']);
    expect(lines[1]).toContain('national.urban-boundary@1.0.0');
    const viaAccept = await t.get('/v1/decisions?order=asc', { accept: 'text/csv' });
    expect(viaAccept.text).toBe(r.text);
    const filtered = await t.get('/v1/decisions?format=csv&verdict=forbidden');
    expect(filtered.text.slice(1).trimEnd().split('\r\n')).toHaveLength(made.filter((d) => d.verdict === 'forbidden').length + 1);
    const page = await t.get('/v1/decisions?format=csv&limit=2');
    expect(page.text.slice(1).trimEnd().split('\r\n')).toHaveLength(3);
    expect(page.headers.get('x-next-cursor')).toBeTruthy();
  });

  it('exports GeoJSON: each decision site from the stored request, the summary as properties', async () => {
    const r = await t.get('/v1/decisions?format=geojson&order=asc');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('application/geo+json');
    expect(r.body.type).toBe('FeatureCollection');
    expect(r.body.features).toHaveLength(made.length);
    r.body.features.forEach((f: any, i: number) => {
      expect(f.id).toBe(made[i].decisionId);
      expect(f.geometry).toEqual(CORPUS.features[i].geometry);
      expect(f.properties).toMatchObject({ id: made[i].decisionId, verdict: made[i].verdict, activity: made[i].project.activity, bundleHash: made[i].bundleHash });
    });
    const viaAccept = await t.get('/v1/decisions?order=asc', { accept: 'application/geo+json' });
    expect(viaAccept.body).toEqual(r.body);
  });

  it('the CSV carries applicant and asOf, as the JSON view does', async () => {
    const json = await t.get('/v1/decisions?order=asc&limit=100');
    const rows = parseCsv((await t.get('/v1/decisions?format=csv&order=asc')).text);
    expect(rows[0].slice(-2)).toEqual(['applicant', 'asOf']);
    rows.slice(1).forEach((row, i) => {
      const s = json.body.decisions[i];
      expect(row[0]).toBe(s.id);
      expect(row.slice(-2)).toEqual([s.applicant ?? '', s.asOf]);
    });
  });

  it('leaves GET /v1/decisions/{id} as it was', async () => {
    const r = await t.get(`/v1/decisions/${made[2].decisionId}`);
    expect(r.body).toEqual(made[2]);
    expect((await t.get('/v1/decisions/unknown')).status).toBe(404);
  });
});

describe('ledger exports of a corridor and an applicant', () => {
  it('CSV: applicant and asOf columns; GeoJSON: the LineString with its corridorWidthM', async () => {
    const app = await versionsApp();
    const line = JSON.parse(readFileSync(join(root, 'fixtures/projects/linear-infrastructure-redline.json'), 'utf8'));
    delete line.expect;
    line.project.applicant = '剑阁县交通运输局';
    line.asOf = '2026-10-01';
    const d = await app.evaluate(line);
    expect(d.status).toBe(200);
    const poly = await app.evaluate(corpusRequest('flex-housing'));
    expect(poly.status).toBe(200);

    const rows = parseCsv((await app.get('/v1/decisions?format=csv&order=asc')).text);
    const header = rows[0].map((h) => h.replace(/^\uFEFF/, ''));
    const row = rows.find((r) => r[0] === d.body.decisionId)!;
    expect(row[header.indexOf('applicant')]).toBe('剑阁县交通运输局');
    expect(row[header.indexOf('asOf')]).toBe('2026-10-01');
    expect(rows.find((r) => r[0] === poly.body.decisionId)![header.indexOf('applicant')]).toBe('');

    const fc = (await app.get('/v1/decisions?format=geojson&order=asc')).body;
    const corridor = fc.features.find((f: any) => f.id === d.body.decisionId);
    expect(corridor.geometry.type).toMatch(/LineString$/);
    expect(corridor.properties.corridorWidthM).toBe(line.project.attributes.corridorWidthM);
    expect(corridor.properties.applicant).toBe('剑阁县交通运输局');
    expect(fc.features.find((f: any) => f.id === poly.body.decisionId).properties.corridorWidthM).toBeNull();
  });
});
