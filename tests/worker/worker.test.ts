/**
 * The same app under workerd: `wrangler d1 migrations apply --local` then `wrangler dev`, offline,
 * with decisions in (local) D1. Proves every dependency loads without eval/new Function.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { writeFgbFiles } from '../../scripts/build-fgb.js';
import { startRangeServer } from '../sources/helpers/range-server.js';

const root = join(__dirname, '../..');
const env = { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: 'true', NO_UPDATE_NOTIFIER: '1' };
const wrangler = join(root, 'node_modules/.bin/wrangler');

interface Dev { base: string; stop(): void }

/** `wrangler d1 migrations apply --local` then `wrangler dev` on a free port, with extra `--var`s. */
async function startDev(vars: Record<string, string> = {}): Promise<Dev> {
  const state = mkdtempSync(join(tmpdir(), 'zoning-wrangler-'));
  const port = 8700 + Math.floor(Math.random() * 80);
  const base = `http://127.0.0.1:${port}`;
  const mig = spawnSync(wrangler, ['d1', 'migrations', 'apply', 'zoning', '--local', '--persist-to', state], { cwd: root, env, encoding: 'utf8' });
  if (mig.status !== 0) throw new Error(`migrations failed:\n${mig.stdout}\n${mig.stderr}`);
  const varArgs = Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]);
  const proc: ChildProcess = spawn(wrangler, ['dev', '--port', String(port), '--ip', '127.0.0.1', '--persist-to', state, '--log-level', 'warn', ...varArgs], {
    cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  proc.stdout!.on('data', (b) => (log += b));
  proc.stderr!.on('data', (b) => (log += b));
  const stop = () => {
    if (proc.pid) {
      try {
        process.kill(-proc.pid, 'SIGTERM');
      } catch {
        /* gone */
      }
    }
    rmSync(state, { recursive: true, force: true });
  };
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.status === 200) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline || proc.exitCode !== null) {
      stop();
      throw new Error(`wrangler dev did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return { base, stop };
}

let dev: Dev;
let base = '';
beforeAll(async () => {
  dev = await startDev();
  base = dev.base;
}, 120_000);
afterAll(() => dev?.stop());

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

describe('the Worker with a FlatGeobuf layer source over HTTP (ZONING_FGB)', () => {
  it('answers as with the compiled-in bundle, reading a small part of the file by range', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoning-worker-fgb-'));
    const built = await writeFgbFiles(await loadBundleDir(join(root, 'fixtures/demo')), dir);
    const http = await startRangeServer(dir);
    const remote = await startDev({ ZONING_FGB: `${http.base}/demo-county.fgb.json` });
    try {
      const { expect: _e, ...request } = JSON.parse(readFileSync(join(root, 'fixtures/projects/straddle-farmland-arable.json'), 'utf8'));
      const pinned = { ...request, asOf: '2026-11-25' };
      const post = async (at: string) => {
        const res = await fetch(`${at}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(pinned) });
        expect(res.status).toBe(200);
        const { decisionId: _i, createdAt: _c, ...rest } = (await res.json()) as Record<string, unknown>;
        return rest;
      };
      http.reset();
      const fromFgb = await post(remote.base);
      expect(fromFgb).toEqual(await post(base));
      expect(http.requests('/demo-county.fgb')).toBeGreaterThan(0);
      expect(http.bytes('/demo-county.fgb')).toBeLessThan(built.bytes * 0.2);
    } finally {
      remote.stop();
      await http.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 150_000);
});
