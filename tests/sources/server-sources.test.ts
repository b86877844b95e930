/**
 * The Node server (`npm start`) with ZONING_LAYER_SOURCE=flatgeobuf (over HTTP, and from a local
 * directory) and =postgis answers an evaluation exactly as the in-memory server does, and refuses
 * to start on a misconfigured source.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { loadBundleIntoPostgis } from '../../api/node/sources/postgis-load.js';
import { openLayerSources } from '../../api/node/sources/select-source.js';
import { writeFgbFiles } from '../../scripts/build-fgb.js';
import { testApp } from '../helpers/app.js';
import { startServer } from '../helpers/server-process.js';
import { startRangeServer, type RangeServer } from './helpers/range-server.js';
import { startPgCluster, type PgCluster } from './helpers/pg-cluster.js';
import { IN_CI } from './helpers/three-sources.js';

const root = join(__dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'zoning-sources-server-'));
const request = (() => {
  const { expect: _e, ...r } = JSON.parse(readFileSync(join(root, 'fixtures/projects/straddle-farmland-arable.json'), 'utf8'));
  // The in-process app's clock is fixed; the servers' is not: pin the policy date for both.
  return { ...r, asOf: '2026-11-25' };
})();
let http: RangeServer;
let cluster: PgCluster | null = null;
let want: Record<string, unknown>;
let wantJurisdiction: Record<string, unknown>;

/** The in-process app runs as engine version "test"; the server reports package.json's. */
const stable = (d: Record<string, unknown>) => {
  const { decisionId: _i, createdAt: _c, engineVersion: _v, ...rest } = d;
  return rest;
};

beforeAll(async () => {
  const memory = await loadBundleDir(join(root, 'fixtures/demo'));
  await writeFgbFiles(memory, join(dir, 'fgb'));
  http = await startRangeServer(join(dir, 'fgb'));
  cluster = await startPgCluster();
  if (cluster) {
    const c = new pg.Client({ connectionString: cluster.url });
    await c.connect();
    try {
      await loadBundleIntoPostgis(memory, c);
    } finally {
      await c.end();
    }
  } else if (IN_CI) throw new Error('PostgreSQL is not installed: .ci/run installs it');
  const { app, post } = await testApp([join(root, 'fixtures/demo')]);
  const r = await post(request);
  expect(r.status).toBe(200);
  want = stable(r.body);
  wantJurisdiction = (await (await app.request('/v1/jurisdictions/demo-county')).json()) as Record<string, unknown>;
}, 180_000);
afterAll(async () => {
  await http?.close();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function evaluateOnServer(env: Record<string, string>, name: string) {
  const server = await startServer({ ZONING_DB: join(dir, `${name}.db`), ...env });
  try {
    expect(server.log()).toMatch(/listening on/);
    const res = await fetch(`${server.base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
    expect(res.status).toBe(200);
    const d = (await res.json()) as Record<string, unknown>;
    const j = (await (await fetch(`${server.base}/v1/jurisdictions/demo-county`)).json()) as Record<string, unknown>;
    return { decision: stable(d), jurisdiction: j, log: server.log() };
  } finally {
    await server.kill();
  }
}

describe('npm start with a remote layer source', () => {
  it('ZONING_LAYER_SOURCE=flatgeobuf over HTTP answers like the memory source', async () => {
    http.reset();
    const r = await evaluateOnServer({ ZONING_LAYER_SOURCE: 'flatgeobuf', ZONING_FGB_URL: `${http.base}/demo-county.fgb.json` }, 'fgb-http');
    expect(r.decision).toEqual(want);
    expect(r.log).toMatch(/serving demo-county sha256:\S+ from the flatgeobuf layer source/);
    expect(r.jurisdiction.bundleHash).toBe(wantJurisdiction.bundleHash);
    expect(r.jurisdiction.layers).toEqual(wantJurisdiction.layers);
    expect(http.requests('/demo-county.fgb')).toBeGreaterThan(0);
    expect(http.bytes('/demo-county.fgb')).toBeLessThan(readFileSync(join(dir, 'fgb/demo-county.fgb')).byteLength * 0.2);
  });

  it('ZONING_LAYER_SOURCE=flatgeobuf from a local directory answers like the memory source', async () => {
    const r = await evaluateOnServer({ ZONING_LAYER_SOURCE: 'flatgeobuf', ZONING_FGB_URL: join(dir, 'fgb') }, 'fgb-dir');
    expect(r.decision).toEqual(want);
  });

  it('ZONING_LAYER_SOURCE=postgis answers like the memory source', async () => {
    if (!cluster) return;
    const r = await evaluateOnServer({ ZONING_LAYER_SOURCE: 'postgis', ZONING_POSTGIS_URL: cluster.url }, 'postgis');
    expect(r.decision).toEqual(want);
    expect(r.jurisdiction.bundleHash).toBe(wantJurisdiction.bundleHash);
  });

  it('refuses to start on a misconfigured source, naming the setting', async () => {
    await expect(openLayerSources({ ZONING_LAYER_SOURCE: 'flatgeobuf' })).rejects.toThrow(/ZONING_FGB_URL/);
    await expect(openLayerSources({ ZONING_LAYER_SOURCE: 'postgis' })).rejects.toThrow(/ZONING_POSTGIS_URL/);
    await expect(openLayerSources({ ZONING_LAYER_SOURCE: 'shapefile' })).rejects.toThrow(/memory, flatgeobuf or postgis/);
    await expect(openLayerSources({ ZONING_LAYER_SOURCE: 'flatgeobuf', ZONING_FGB_URL: join(dir, 'nowhere') })).rejects.toThrow(/ENOENT/);
    expect(await openLayerSources({})).toBeNull();
    await expect(startServer({ ZONING_DB: join(dir, 'bad.db'), ZONING_LAYER_SOURCE: 'flatgeobuf', ZONING_FGB_URL: `${http.base}/missing.fgb.json` }, 30_000)).rejects.toThrow(/startup refused: .*missing\.fgb\.json: HTTP 404/);
  });
});
