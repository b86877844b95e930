/**
 * The same app under workerd: `wrangler d1 migrations apply --local` then `wrangler dev`, offline,
 * with decisions in (local) D1. Proves every dependency loads without eval/new Function.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(__dirname, '../..');
const state = mkdtempSync(join(tmpdir(), 'zoning-wrangler-'));
const port = 8700 + Math.floor(Math.random() * 80);
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_UPDATE_NOTIFIER: '1' };
let proc: ChildProcess;

beforeAll(async () => {
  const wrangler = join(root, 'node_modules/.bin/wrangler');
  const mig = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'zoning', '--local', '--persist-to', state], { cwd: root, env, encoding: 'utf8' });
  if (mig.status !== 0) throw new Error(`migrations failed:\n${mig.stdout}\n${mig.stderr}`);
  proc = spawn(wrangler, ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--log-level', 'warn'], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  proc.stdout!.on('data', (b) => (log += b));
  proc.stderr!.on('data', (b) => (log += b));
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`wrangler dev did not start:\n${log}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 120_000);

afterAll(() => {
  if (proc?.pid) {
    try {
      process.kill(-proc.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  }
  rmSync(state, { recursive: true, force: true });
});

describe('the Worker (wrangler dev, workerd, D1)', () => {
  it('evaluates a demo project, stores it in D1 and reads it back', async () => {
    const body = (await import('../../fixtures/projects/industrial-on-permanent-farmland.json', { with: { type: 'json' } })).default as any;
    const { expect: _e, ...request } = body;
    const res = await fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(res.status).toBe(200);
    const decision = await res.json();
    expect(decision.verdict).toBe(body.expect.verdict);
    expect(decision.findings.length).toBeGreaterThan(0);
    const stored = await (await fetch(`${base}/v1/decisions/${decision.decisionId}`)).json();
    expect(stored).toEqual(decision);
  });

  it('answers bad input with problems, as under Node', async () => {
    const res = await fetch(`${base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jurisdiction":' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const act = await fetch(`${base}/v1/evaluate`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jurisdiction: 'demo-county', project: { activity: 'nope' }, site: { type: 'Point', coordinates: [112.6, 26.9] } }),
    });
    expect(act.status).toBe(422);
  });

  it('serves the catalogue and openapi', async () => {
    expect((await (await fetch(`${base}/v1/policies`)).json()).policies.length).toBeGreaterThanOrEqual(4);
    expect((await fetch(`${base}/openapi.json`)).status).toBe(200);
  });
});
