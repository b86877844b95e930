/**
 * The real server under stress (issue 8): no acknowledged decision is lost when the process is
 * SIGKILLed under concurrent load; overload is shed with 503 + Retry-After; slow clients are cut off;
 * CORS is explicit; the optional rate limit answers 429.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type ServerProcess } from '../helpers/server-process.js';
import { LAYOUT, box, writeTestBundle, type Box } from '../helpers/test-bundle.js';

const dir = mkdtempSync(join(tmpdir(), 'zoning-hard-'));
const bundle = writeTestBundle(join(dir, 'bundle'));
const servers: ServerProcess[] = [];
afterAll(async () => {
  for (const s of servers) await s.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});
const start = async (env: Record<string, string> = {}) => {
  const s = await startServer({ ZONING_BUNDLES: bundle, ZONING_DB: join(dir, 'decisions.db'), ...env });
  servers.push(s);
  return s;
};
const inner = ([w, s, e, n]: Box, m = 0.001): Box => [w + m, s + m, e - m, n - m];
const body = (i: number) => JSON.stringify({
  jurisdiction: 'test-town',
  project: { name: `压力测试 ${i}`, activity: i % 2 ? 'industrial' : 'transport', attributes: i % 3 ? {} : { keyProjectSector: 'transport' } },
  site: box(inner(i % 2 ? LAYOUT.concentrated : LAYOUT.farmland, 0.0005 + (i % 7) * 0.0001)),
});
const evaluate = (base: string, i: number) =>
  fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(i) });

describe('durability', () => {
  it('every decision acknowledged before a SIGKILL is there after restart', async () => {
    const s = await start();
    const acked: string[] = [];
    let stop = false;
    let i = 0;
    const worker = async () => {
      while (!stop) {
        try {
          const r = await evaluate(s.base, i++);
          if (r.status === 200) acked.push(((await r.json()) as { decisionId: string }).decisionId);
        } catch {
          return; // connection cut by the kill
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    await new Promise((r) => setTimeout(r, 1500));
    await s.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    expect(acked.length).toBeGreaterThan(20);
    const again = await start();
    let missing = 0;
    for (const id of acked) if ((await fetch(`${again.base}/v1/decisions/${id}`)).status !== 200) missing++;
    expect(missing).toBe(0);
    await again.kill();
  }, 120_000);
});

describe('overload and slow clients', () => {
  it('sheds load beyond capacity with 503 and Retry-After, and serves the rest', async () => {
    const s = await start({ ZONING_MAX_QUEUE_MS: '500' });
    // Heavy sites (a 20,000-vertex ring over several layers) so that 200 at once exceed what one
    // core does within the queue bound, however fast the engine gets.
    const [w, so, e, n] = LAYOUT.boundary;
    const ring: number[][] = [];
    const N = 20_000;
    for (let k = 0; k < N; k++) {
      const t = (2 * Math.PI * k) / N;
      ring.push([(w + e) / 2 + 0.012 * Math.cos(t) * (1 + 0.05 * Math.sin(40 * t)), (so + n) / 2 + 0.012 * Math.sin(t)]);
    }
    ring.push(ring[0]);
    const heavy = JSON.stringify({ jurisdiction: 'test-town', project: { activity: 'industrial' }, site: { type: 'Polygon', coordinates: [ring] } });
    // node:http with unlimited sockets, so that all 200 really arrive at once (fetch serialises them).
    const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
    const { hostname, port } = new URL(s.base);
    const post = () =>
      new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; ms: number }>((resolve, reject) => {
        const t0 = Date.now();
        const r = request({ host: hostname, port, path: '/v1/evaluate', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(heavy) } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, ms: Date.now() - t0 }));
        });
        r.on('error', reject);
        r.end(heavy);
      });
    const results = await Promise.all(Array.from({ length: 200 }, post));
    const admittedMs = results.filter((r) => r.status === 200).map((r) => r.ms);
    // Admitted requests waited at most the queue bound plus their own work (generous on a shared CI core).
    expect(Math.max(...admittedMs)).toBeLessThan(10_000);
    expect(results.filter((r) => r.status === 503).length).toBeGreaterThan(100);
    const codes = results.map((r) => r.status);
    const shed = results.filter((r) => r.status === 503);
    expect(codes.filter((c) => c === 200).length).toBeGreaterThan(0);
    expect(shed.length).toBeGreaterThan(0);
    expect(codes.every((c) => c === 200 || c === 503)).toBe(true);
    for (const r of shed) expect(r.headers['retry-after']).toBe('1');
    expect(String(shed[0].headers['content-type'])).toContain('problem+json');
    await s.kill();
  }, 60_000);

  it('cuts off a client that never finishes its headers', async () => {
    const s = await start({ ZONING_HEADERS_TIMEOUT_MS: '1000', ZONING_REQUEST_TIMEOUT_MS: '1500' });
    const { port } = new URL(s.base);
    const closedAfter = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      const sock = connect(Number(port), '127.0.0.1', () => sock.write('POST /v1/evaluate HTTP/1.1\r\nHost: x\r\n'));
      sock.on('close', () => resolve(Date.now() - t0));
      sock.on('data', () => {}); // read, so that the server's close is seen
      sock.on('error', () => {});
      setTimeout(() => resolve(Infinity), 10_000);
    });
    expect(closedAfter).toBeLessThan(5_000);
    await s.kill();
  }, 30_000);

  it('CORS is explicit and the optional rate limit answers 429 with Retry-After', async () => {
    const s = await start({ ZONING_CORS_ORIGINS: 'https://planning.example', ZONING_RATE_LIMIT_PER_MINUTE: '5' });
    const pre = await fetch(`${s.base}/v1/evaluate`, { method: 'OPTIONS', headers: { origin: 'https://planning.example', 'access-control-request-method': 'POST' } });
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://planning.example');
    const other = await fetch(`${s.base}/v1/activities`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    // one request above already took one of the 5 tokens (the preflight is answered by CORS first)
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await fetch(`${s.base}/v1/activities`)).status);
    expect(codes).toEqual([200, 200, 200, 200, 429, 429, 429]);
    const limited = await fetch(`${s.base}/v1/activities`);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await s.kill();
  }, 30_000);
});
