/**
 * npm run load — a load generator against the real server on loopback (starts `npm start` on a
 * temporary database unless --url is given). Sends evaluations of demo-bundle sites at a given
 * concurrency for a given time, then reads back every acknowledged decision.
 * Prints requests/s, latency p50/p99 of admitted requests, status counts, 5xx seen, decisions lost.
 *   npm run load -- [--url http://127.0.0.1:8787] [--concurrency 32] [--seconds 10] [--heavy]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name: string, def: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const concurrency = Number(opt('concurrency', '32'));
const seconds = Number(opt('seconds', '10'));
const root = join(import.meta.dirname, '..');

let url = opt('url', '');
let server: ReturnType<typeof spawn> | null = null;
if (!url) {
  const dir = mkdtempSync(join(tmpdir(), 'zoning-load-'));
  server = spawn('npx', ['tsx', 'api/node/server.ts'], { cwd: root, env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ZONING_DB: join(dir, 'load.db') }, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
  url = await new Promise<string>((resolve, reject) => {
    let log = '';
    server!.stdout!.on('data', (b) => {
      log += b;
      const m = log.match(/listening on http:\/\/localhost:(\d+)/);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    server!.on('exit', () => reject(new Error(log)));
  });
}
const { hostname, port } = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const bodies = readdirSync(join(root, 'fixtures/projects'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => {
    const { expect: _e, ...req } = JSON.parse(readFileSync(join(root, 'fixtures/projects', f), 'utf8'));
    return JSON.stringify(req);
  });

const call = (method: string, path: string, body?: string) =>
  new Promise<{ status: number; text: string }>((resolve) => {
    const r = request({ host: hostname, port, path, method, agent, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    r.on('error', () => resolve({ status: 0, text: '' }));
    r.end(body);
  });

const statuses = new Map<number, number>();
const latencies: number[] = [];
const acked: string[] = [];
const end = Date.now() + seconds * 1000;
let i = 0;
const t0 = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < end) {
      const body = bodies[i++ % bodies.length];
      const t = performance.now();
      const r = await call('POST', '/v1/evaluate', body);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 200) {
        latencies.push(performance.now() - t);
        acked.push(JSON.parse(r.text).decisionId);
      }
    }
  }),
);
const elapsed = (Date.now() - t0) / 1000;
let lost = 0;
for (const id of acked) if ((await call('GET', `/v1/decisions/${id}`)).status !== 200) lost++;
latencies.sort((a, b) => a - b);
const q = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
const total = [...statuses.values()].reduce((a, b) => a + b, 0);
const fivexx = [...statuses].filter(([s]) => s >= 500 && s !== 503).reduce((a, [, n]) => a + n, 0);
console.log(`load: ${concurrency} concurrent clients for ${seconds} s against ${url}`);
console.log(`  requests ${total}  (${[...statuses].sort().map(([s, n]) => `${s}×${n}`).join(', ')})`);
console.log(`  throughput ${(statuses.get(200) ?? 0) / elapsed | 0} decisions/s stored; latency p50 ${q(0.5).toFixed(1)} ms, p99 ${q(0.99).toFixed(1)} ms`);
console.log(`  5xx other than shedding (503): ${fivexx}; decisions acknowledged ${acked.length}, lost ${lost}`);
if (server?.pid) process.kill(-server.pid, 'SIGTERM');
process.exit(fivexx || lost ? 1 : 0);
