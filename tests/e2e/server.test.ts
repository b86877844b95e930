/**
 * End to end: starts the real `npm start` process on a bundle the test writes, with its own SQLite
 * file and port, and checks verdicts, findings, areas, questions and errors over HTTP.
 */
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAYOUT, box, boxAreaM2, writeTestBundle, type Box } from '../helpers/test-bundle.js';
import { startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let base = '';
const dir = mkdtempSync(join(tmpdir(), 'zoning-e2e-'));
const db = join(dir, 'decisions.db');

beforeAll(async () => {
  writeTestBundle(join(dir, 'bundle'));
  server = await startServer({ ZONING_BUNDLES: join(dir, 'bundle'), ZONING_DB: db });
  base = server.base;
});

afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

const post = async (body: unknown, raw?: string) => {
  const res = await fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ?? JSON.stringify(body) });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: (await res.json()) as any };
};
const req = (activity: string, site: unknown, attributes: Record<string, unknown> = {}) => ({
  jurisdiction: 'test-town',
  project: { name: '测试项目', activity, attributes },
  site,
});
const inner = ([w, s, e, n]: Box, m = 0.001): Box => [w + m, s + m, e - m, n - m];

describe('npm start serves the evaluate API end to end', () => {
  it('health, catalogue and openapi', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const j = await (await fetch(`${base}/v1/jurisdictions/test-town`)).json();
    expect(j.layers.find((l: any) => l.kind === 'permanent-farmland').features).toBe(2);
    const acts = await (await fetch(`${base}/v1/activities`)).json();
    expect(acts.activities).toHaveLength(29);
    const api = await (await fetch(`${base}/openapi.json`)).json();
    expect(api.paths['/v1/evaluate'].post.requestBody).toBeDefined();
  });

  it('industrial on permanent farmland: forbidden, exact area, stored and readable', async () => {
    const site = inner(LAYOUT.farmland);
    const r = await post(req('industrial', box(site)));
    expect(r.status).toBe(200);
    expect(r.body.verdict).toBe('forbidden');
    const f = r.body.findings.find((x: any) => x.kind === 'permanent-farmland');
    expect(f.verdict).toBe('forbidden');
    expect(f.featureIds).toEqual(['pf-1']);
    expect(Math.abs(f.overlapAreaM2 - boxAreaM2(site)) / boxAreaM2(site)).toBeLessThan(1e-4);
    expect(f.overlapShare).toBeCloseTo(1, 6);
    expect(f.clauses.length).toBeGreaterThan(0);
    expect(f.clauses[0].text.length).toBeGreaterThan(10);
    expect(f.because.policy).toBe('national.permanent-farmland');
    const stored = await (await fetch(`${base}/v1/decisions/${r.body.decisionId}`)).json();
    expect(stored).toEqual(r.body);
  });

  it('a site over two features of one constraint sums them in one finding', async () => {
    const site: Box = [112.607, 26.906, 112.611, 26.909]; // across the shared edge of pf-1 and pf-2
    const r = await post(req('industrial', box(site)));
    const pf = r.body.findings.filter((x: any) => x.kind === 'permanent-farmland');
    expect(pf).toHaveLength(1);
    expect(pf[0].featureIds.sort()).toEqual(['pf-1', 'pf-2']);
    expect(Math.abs(pf[0].overlapAreaM2 - boxAreaM2(site)) / boxAreaM2(site)).toBeLessThan(1e-4);
  });

  it('a key transport project on permanent farmland: conditional, State Council; questions when unstated', async () => {
    const site = box(inner(LAYOUT.farmland));
    const ok = await post(req('transport', site, { keyProjectSector: 'transport', unavoidable: true }));
    expect(ok.body.verdict).toBe('conditional');
    expect(ok.body.approvals[0].authority).toBe('state-council');
    const ask = await post(req('transport', site, { keyProjectSector: 'transport' }));
    expect(ask.body.verdict).toBe('forbidden');
    const q = ask.body.questions.find((x: any) => x.attribute === 'unavoidable');
    expect(q).toMatchObject({ ifTrue: 'conditional', ifFalse: 'forbidden' });
  });

  it('urban boundary zones and the land outside it', async () => {
    const conc = await post(req('industrial', box(inner(LAYOUT.concentrated))));
    expect(conc.body.verdict).toBe('allowed');
    expect(conc.body.findings.map((f: any) => `${f.kind}:${f.zone}`)).toEqual(['urban-boundary:concentrated']);
    expect(conc.body.landSupply.find((l: any) => l.method === 'tender-auction-listing').status).toBe('required');
    const special = await post(req('housing', box(inner(LAYOUT.special))));
    expect(special.body.verdict).toBe('forbidden');
    const outside = await post(req('development-zone', box([112.601, 26.931, 112.603, 26.933])));
    expect(outside.body.verdict).toBe('forbidden');
    expect(outside.body.findings[0]).toMatchObject({ kind: 'urban-boundary', zone: 'outside' });
  });

  it('red line: patrol allowed at a point; core zone forbidden; a heritage protection range forbids industry', async () => {
    const [w, s, e, n] = LAYOUT.redline;
    const pt = await post(req('patrol', { type: 'Point', coordinates: [(w + e) / 2, (s + n) / 2] }));
    expect(pt.body.verdict).toBe('allowed');
    const f = pt.body.findings.find((x: any) => x.kind === 'ecological-redline');
    expect(f.overlapAreaM2).toBeNull();
    const core = await post(req('research-monitoring', box(inner(LAYOUT.redlineCore, 0.0005))));
    expect(core.body.verdict).toBe('forbidden');
    expect(core.body.findings.find((x: any) => x.kind === 'ecological-redline').zone).toBe('core');
    const her = await post(req('industrial', box(LAYOUT.heritage)));
    const h = her.body.findings.find((x: any) => x.kind === 'heritage');
    expect(h).toMatchObject({ zone: 'protection', verdict: 'forbidden', featureIds: ['h-1'] });
    expect(h.because.policy).toBe('national.heritage');
  });

  it('a linear site is buffered by corridorWidthM and needs it', async () => {
    const line = { type: 'LineString', coordinates: [[112.614, 26.9075], [112.621, 26.9075]] };
    const r = await post(req('linear-infrastructure', line, { corridorWidthM: 10, unavoidable: true, inCountyPlan: true }));
    expect(r.status).toBe(200);
    expect(r.body.site.type).toBe('LineString');
    expect(r.body.findings.find((x: any) => x.kind === 'ecological-redline').verdict).not.toBe('forbidden');
    const missing = await post(req('linear-infrastructure', line));
    expect(missing.status).toBe(422);
    expect(missing.body.errors[0].path).toBe('/project/attributes/corridorWidthM');
  });

  it('errors are RFC 9457 problems naming what and where', async () => {
    const bad = await post(null, '{not json');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    const schema = await post({ jurisdiction: 'test-town', project: {}, site: { type: 'Point', coordinates: [0, 0] } });
    expect(schema.status).toBe(400);
    expect(schema.body.errors.some((e: any) => e.path === '/project/activity')).toBe(true);
    const long = await post({ ...req('industrial', box(inner(LAYOUT.concentrated))), project: { name: '长'.repeat(600), activity: 'industrial' } });
    expect(long.status).toBe(400);
    expect(long.body.errors.find((e: any) => e.path === '/project/name').message).toMatch(/长度不得超过 \d+ 个字符/);
    const act = await post(req('casino', box(inner(LAYOUT.concentrated))));
    expect(act.status).toBe(422);
    expect(act.body.errors[0]).toMatchObject({ path: '/project/activity' });
    const attr = await post(req('industrial', box(inner(LAYOUT.concentrated)), { keyProjectSector: 'railway' }));
    expect(attr.status).toBe(422);
    expect(attr.body.errors[0].path).toBe('/project/attributes/keyProjectSector');
    const unknownAttr = await post(req('industrial', box(inner(LAYOUT.concentrated)), { colour: 'red' }));
    expect(unknownAttr.status).toBe(422);
    const swapped = await post(req('industrial', { type: 'Point', coordinates: [26.91, 112.61] }));
    expect(swapped.status).toBe(422);
    expect(swapped.body.errors[0].path).toMatch(/^\/site\/coordinates/);
    expect(swapped.body.errors[0].message).toMatch(/颠倒/);
    const unclosed = await post(req('industrial', { type: 'Polygon', coordinates: [[[112.61, 26.91], [112.62, 26.91], [112.62, 26.92], [112.61, 26.92]]] }));
    expect(unclosed.status).toBe(422);
    const bow = await post(req('industrial', { type: 'Polygon', coordinates: [[[112.61, 26.91], [112.62, 26.92], [112.62, 26.91], [112.61, 26.92], [112.61, 26.91]]] }));
    expect(bow.status).toBe(422);
    const outside = await post(req('industrial', box([112.7, 26.9, 112.71, 26.91])));
    expect(outside.status).toBe(422);
    expect(outside.body.title).toMatch(/辖区/);
    const juris = await post({ ...req('industrial', box(inner(LAYOUT.concentrated))), jurisdiction: 'nowhere' });
    expect(juris.status).toBe(404);
    // A specific title goes with a type of its own (RFC 9457: about:blank takes the status phrase).
    expect(juris.body.type).toMatch(/^https:\/\/zoning\.example\/problems\//);
    const badId = await post({ ...req('industrial', box(inner(LAYOUT.concentrated))), jurisdiction: 'Bad Id!' });
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].path).toBe('/jurisdiction');
    const big = await post(null, JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }));
    expect(big.status).toBe(413);
    const missing = await fetch(`${base}/v1/decisions/does-not-exist`);
    expect(missing.status).toBe(404);
  });

  it('a client that hangs up in the middle of its body leaves no error in the log, and the server serves on', async () => {
    const before = server.log();
    const { hostname, port } = new URL(base);
    await new Promise<void>((resolve, reject) => {
      const sock = connect(Number(port), hostname, () => {
        sock.write('POST /v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jurisdiction":');
        setTimeout(() => {
          sock.destroy();
          resolve();
        }, 100);
      });
      sock.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 200));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const added = server.log().slice(before.length);
    expect(added).not.toMatch(/Error|aborted|ECONNRESET/);
  });

  it('decisions persist in the SQLite file', () => {
    expect(existsSync(db)).toBe(true);
  });
});
