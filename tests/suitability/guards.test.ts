/**
 * POST /v1/suitability under pressure (audit, issue 8): a time budget answered with 422
 * evaluation-timeout; a search stops when its client goes (in-process through the request's
 * signal, and through a real socket closed under @hono/node-server); at most one search at a time
 * (503 + Retry-After beyond it); evaluations stay fast while a search runs; invalid asOf is a 422;
 * the output is rounded to 1e-7° and compressed; identical searches come from the cache.
 */
import { serve } from '@hono/node-server';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { memoryDecisionStore } from '../../api/storage/decision-store.js';
import { buildPolicyRegistry, type Bundle } from '../../engine/index.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';

const DEMO = join(__dirname, '../../fixtures/demo');
let bundles: Map<string, Bundle>;
let policies: Awaited<ReturnType<typeof buildPolicyRegistry>>;

beforeAll(async () => {
  const b = await loadBundleDir(DEMO);
  bundles = new Map([[b.id, b]]);
  policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
}, 120_000);

function app(limits: Record<string, number> = {}) {
  return createApp({ bundles, policies, store: memoryDecisionStore(), engineVersion: 'test', clock: () => new Date('2026-11-25T08:00:00Z'), limits, compress: true });
}

const WHOLE = { jurisdiction: 'demo-county', project: { activity: 'industrial' }, cellSizeM: 100 };
const SMALL = { jurisdiction: 'demo-county', project: { activity: 'industrial' }, bbox: [112.59, 26.875, 112.595, 26.88], cellSizeM: 200 };
const EVALUATE = { jurisdiction: 'demo-county', project: { activity: 'industrial' }, site: { type: 'Point', coordinates: [112.6246, 26.9066] } };

const post = (a: ReturnType<typeof app>, body: unknown, init: RequestInit = {}) =>
  a.request(new Request('http://test/v1/suitability', { method: 'POST', headers: { 'content-type': 'application/json', ...(init.headers ?? {}) }, body: JSON.stringify(body), signal: init.signal }));

describe('POST /v1/suitability guards', () => {
  it('an asOf that is no calendar day is a 422 on /asOf, as for /v1/evaluate', async () => {
    const a = app();
    for (const asOf of ['2026-13-45', '2027-02-30']) {
      const r = await post(a, { ...SMALL, asOf });
      expect(r.status).toBe(422);
      const p = (await r.json()) as any;
      expect(p.title).toBe('日期无效');
      expect(p.errors[0].path).toBe('/asOf');
    }
    expect((await post(a, { ...SMALL, asOf: '2026-11-25' })).status).toBe(200);
  });

  it('a search past its time budget ends with 422 evaluation-timeout (cooperative deadline)', async () => {
    // evalTimeoutMs 5 → a budget of 6 × 5 = 30 ms.
    const a = app({ evalTimeoutMs: 5 });
    const t0 = Date.now();
    const r = await post(a, WHOLE);
    const ms = Date.now() - t0;
    expect(r.status).toBe(422);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
    const p = (await r.json()) as any;
    expect(p.type).toBe('https://zoning.example/problems/evaluation-timeout');
    expect(p.title).toBe('分析超时');
    expect(p.errors.map((e: any) => e.path)).toContain('/cellSizeM');
    expect(ms).toBeLessThan(3000); // it stopped, it did not run to the end (~10 s) first
    // The slot is free again: a small search is answered.
    expect((await post(app({ evalTimeoutMs: 10_000 }), SMALL)).status).toBe(200);
  }, 30_000);

  it('one search at a time: a second gets 503 + Retry-After; aborting the first stops it (499) and frees the slot', async () => {
    const a = app();
    const ctrl = new AbortController();
    const first = post(a, WHOLE, { signal: ctrl.signal });
    await new Promise((r) => setTimeout(r, 200));
    const second = await post(a, SMALL);
    expect(second.status).toBe(503);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await second.json()) as any).type).toBe('https://zoning.example/problems/overloaded');
    const t0 = Date.now();
    ctrl.abort();
    const r = await first;
    expect(r.status).toBe(499);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect((await post(a, SMALL)).status).toBe(200);
  }, 30_000);

  it('output coordinates are rounded to 1e-7° (no float noise), compressed on request, repeated searches cached', async () => {
    const a = app();
    const body = { jurisdiction: 'demo-county', project: { activity: 'transport' }, bbox: [112.585, 26.872, 112.605, 26.892], cellSizeM: 200 };
    const plain = await post(a, body);
    expect(plain.headers.get('x-suitability-cache')).toBe('miss');
    const text = await plain.text();
    const fc = JSON.parse(text);
    const values: number[] = [];
    for (const f of fc.features) {
      values.push(...f.properties.point);
      for (const ring of f.geometry.coordinates) values.push(...ring.flat());
    }
    expect(values.length).toBeGreaterThan(1000);
    const noisy = values.filter((v) => (String(v).split('.')[1]?.length ?? 0) > 7 || Math.abs(v * 1e7 - Math.round(v * 1e7)) > 1e-6);
    expect(noisy.slice(0, 5)).toEqual([]); // no 26.895145465000002
    expect(/\d\.\d{9,}/.test(text)).toBe(false);
    const gz = await post(a, body, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.status).toBe(200);
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(gz.headers.get('x-suitability-cache')).toBe('hit');
    const zipped = Buffer.from(await gz.arrayBuffer());
    expect(zipped.length).toBeLessThan(text.length / 3);
    expect(gunzipSync(zipped).toString('utf8')).toBe(text);
    console.log(`suitability response: ${text.length} bytes, gzip ${zipped.length} bytes`);
  }, 60_000);
});

describe('POST /v1/suitability on a real socket (@hono/node-server)', () => {
  let server: ReturnType<typeof serve>;
  let base: string;
  beforeAll(async () => {
    const a = app();
    server = await new Promise((resolve) => {
      const s = serve({ fetch: a.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    await new Promise<void>((r) => server.close(() => r()));
  });

  const postJson = async (path: string, body: unknown) => {
    const t0 = performance.now();
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    await r.arrayBuffer();
    return { status: r.status, ms: performance.now() - t0 };
  };

  it('a client that disconnects stops its search: the slot is free at once', async () => {
    const req = httpRequest(`${base}/v1/suitability`, { method: 'POST', headers: { 'content-type': 'application/json' } });
    req.on('error', () => {});
    req.end(JSON.stringify(WHOLE));
    await new Promise((r) => setTimeout(r, 400));
    expect((await postJson('/v1/suitability', SMALL)).status).toBe(503); // the first is running
    req.destroy();
    const t0 = Date.now();
    let status = 0;
    while (Date.now() - t0 < 5000) {
      status = (await postJson('/v1/suitability', SMALL)).status;
      if (status === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(status).toBe(200);
    console.log(`slot free ${Date.now() - t0} ms after the client disconnected`);
    expect(Date.now() - t0).toBeLessThan(2000);
  }, 30_000);

  it('evaluations stay fast while searches run (three asked at once: one runs, two are shed)', async () => {
    const base0 = [];
    for (let i = 0; i < 3; i++) base0.push((await postJson('/v1/evaluate', EVALUATE)).ms);
    const ctrl = new AbortController();
    const searches = [0, 1, 2].map(() =>
      fetch(`${base}/v1/suitability`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...WHOLE, project: { activity: 'commercial' } }), signal: ctrl.signal })
        .then((r) => r.status, () => 'aborted'),
    );
    await new Promise((r) => setTimeout(r, 300));
    const during: number[] = [];
    for (let i = 0; i < 8; i++) {
      const r = await postJson('/v1/evaluate', EVALUATE);
      expect(r.status).toBe(200);
      during.push(r.ms);
    }
    ctrl.abort(); // the one running stops with its client
    const statuses = (await Promise.all(searches)).map(String).sort();
    expect(statuses).toEqual(['503', '503', 'aborted']);
    console.log(`evaluate alone ${base0.map((m) => m.toFixed(0)).join('/')} ms; while a search runs ${during.map((m) => m.toFixed(0)).join('/')} ms`);
    expect(Math.max(...during)).toBeLessThan(1000);
  }, 120_000);
});
