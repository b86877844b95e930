/**
 * Versions survive a restart, on SQLite and on PostgreSQL: the Node dependencies are built twice on
 * the same database (as `npm start` does), and decisions made on a map and a policy version that are
 * no longer active replay identically, read back from the version archive. A bundle published over
 * the API stays active across restarts until the configured directory's content changes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app.js';
import { buildNodeDeps } from '../../api/node/build-deps.js';
import { readBundleDir } from '../../api/node/load-bundle-dir.js';
import { LAYOUT, box, writeTestBundle, type Box } from '../helpers/test-bundle.js';
import { TOKEN, tightenedUrbanBoundary } from './helpers.js';
import { createTestDatabase, IN_CI, TEST_DATABASE_URL, warnNoPostgres } from '../storage/pg.js';

const inner = ([w, s, e, n]: Box, m = 0.001): Box => [w + m, s + m, e - m, n - m];
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
/** The published version's first day: only future-dated versions are published (the server's clock is real here). */
const FROM = ['2027-06-01', day(Date.now() + 86_400_000)].sort()[1];
const AFTER = day(Date.parse(FROM) + 30 * 86_400_000);
const request = { jurisdiction: 'test-town', asOf: '2026-11-25', project: { name: '弹性发展区内厂房', activity: 'industrial', attributes: {} }, site: box(inner(LAYOUT.flexible)) };

function restartSuite(name: string, database: () => Promise<{ env: Record<string, string>; drop(): Promise<void> }>) {
  describe(`versions across restarts on ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'zoning-restart-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('replays on the old map and the old policy text after a restart; the published bundle stays active', async () => {
      const db = await database();
      const bundleDir = writeTestBundle(join(dir, 'bundle'));
      const env = { ...db.env, ZONING_BUNDLES: bundleDir, ZONING_ADMIN_TOKEN: TOKEN };
      const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const json = async (r: Response | Promise<Response>) => (await r).json() as Promise<any>;
      try {
        // First run: decide on the configured map, publish a new map and a policy version.
        const deps1 = await buildNodeDeps(env);
        const app1 = createApp(deps1);
        const d1 = await json(app1.request('/v1/evaluate', { method: 'POST', headers: auth, body: JSON.stringify(request) }));
        expect(d1.findings.map((f: any) => `${f.kind}:${f.zone}`)).toContain('urban-boundary:flexible');
        const src = await readBundleDir(bundleDir);
        const controls = JSON.parse(src.layers['layers/controls.geojson']);
        controls.features.find((f: any) => f.id === 'ub-f').properties.zone = 'concentrated';
        const pub = await app1.request('/v1/jurisdictions/test-town/bundle', {
          method: 'POST', headers: auth, body: JSON.stringify({ manifest: src.manifest, layers: { ...src.layers, 'layers/controls.geojson': JSON.stringify(controls) } }),
        });
        expect(pub.status).toBe(201);
        const h2 = (await pub.json() as any).bundleHash;
        const d2 = await json(app1.request('/v1/evaluate', { method: 'POST', headers: auth, body: JSON.stringify(request) }));
        expect(d2.bundleHash).toBe(h2);
        expect((await app1.request('/v1/policies', { method: 'POST', headers: auth, body: JSON.stringify(tightenedUrbanBoundary(FROM)) })).status).toBe(201);
        await deps1.close();

        // Second run on the same database.
        const deps2 = await buildNodeDeps(env);
        const app2 = createApp(deps2);
        expect((await json(app2.request('/v1/jurisdictions/test-town'))).bundleHash).toBe(h2);
        const versions = await json(app2.request('/v1/jurisdictions/test-town/versions'));
        expect(versions.versions.map((v: any) => [v.hash, v.source, v.active])).toEqual([[d1.bundleHash, 'directory', false], [h2, 'api', true]]);
        const pv = await json(app2.request(`/v1/policies/national.urban-boundary/versions?asOf=${AFTER}`));
        expect(pv.inForce.version).toBe('1.2.0');
        // Each version once, with the window it is in force (1.1.0's document unchanged: its window ends where 1.2.0 begins).
        expect(pv.versions.map((v: any) => [v.version, v.status, v.effective.to ?? null, v.declared.to ?? null])).toEqual([
          ['1.0.0', 'active', '2027-01-01', '2027-01-01'], ['1.1.0', 'active', FROM, null], ['1.2.0', 'active', null, null],
        ]);
        for (const d of [d1, d2]) {
          const r = await json(app2.request(`/v1/decisions/${d.decisionId}/replay`, { method: 'POST' }));
          expect(r.identical, JSON.stringify(r.differences)).toBe(true);
          expect(r.decision.bundleHash).toBe(d.bundleHash);
        }
        const cur = await json(app2.request(`/v1/decisions/${d1.decisionId}/replay?current=true`, { method: 'POST' }));
        expect(cur.changes.bundle).toEqual({ from: d1.bundleHash, to: h2 });
        const log = await json(app2.request('/v1/decisions?order=asc'));
        expect(log.decisions.map((x: any) => x.id)).toEqual([d1.decisionId, d2.decisionId]);
        await deps2.close();

        // The directory's content changes: the new content is recorded and activated.
        const boundary = readFileSync(join(bundleDir, 'layers/boundary.geojson'), 'utf8');
        writeFileSync(join(bundleDir, 'layers/boundary.geojson'), boundary.replace('"b-1"', '"b-1-v3"'));
        const deps3 = await buildNodeDeps(env);
        const app3 = createApp(deps3);
        const h3 = (await json(app3.request('/v1/jurisdictions/test-town'))).bundleHash;
        expect([d1.bundleHash, h2]).not.toContain(h3);
        expect((await json(app3.request('/v1/jurisdictions/test-town/versions'))).versions).toHaveLength(3);
        expect((await json(app3.request(`/v1/decisions/${d2.decisionId}/replay`, { method: 'POST' }))).identical).toBe(true);
        await deps3.close();
      } finally {
        await db.drop();
      }
    }, 60_000);
  });
}

restartSuite('SQLite', async () => {
  const d = mkdtempSync(join(tmpdir(), 'zoning-restart-db-'));
  return { env: { ZONING_DB: join(d, 'zoning.db') }, drop: async () => rmSync(d, { recursive: true, force: true }) };
});

if (TEST_DATABASE_URL) {
  restartSuite('PostgreSQL', async () => {
    const db = await createTestDatabase('zoning_restart');
    return { env: { DATABASE_URL: db.url }, drop: db.drop };
  });
} else if (IN_CI) {
  describe('versions across restarts on PostgreSQL', () => {
    it('has a server: TEST_DATABASE_URL must be set under CI', () => {
      throw new Error('TEST_DATABASE_URL is not set under CI=true');
    });
  });
} else {
  warnNoPostgres('the restart tests on PostgreSQL are');
}
