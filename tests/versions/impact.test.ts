/**
 * Change impact of national.urban-boundary 1.0.0 → 1.1.0 on the shipped corpus
 * (fixtures/impact/corpus.geojson, 12 sites in the demo bundle): exactly the five projects in the
 * flexible development zone that do not state the special conditions are met change, all through
 * the rule flexible-conditions-not-met — by the engine, over the API and from the CLI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPolicyRegistry } from '../../engine/index.js';
import { analyzeImpact, readCorpus } from '../../engine/impact/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import { CORPUS, DEMO, corpusRequest, root, versionsApp } from './helpers.js';

const UB = 'national.urban-boundary';
const CHANGED = ['flex-clinic-point', 'flex-edge-development-zone', 'flex-housing', 'flex-industrial', 'flex-tourism-road'];
const request = { policy: UB, from: '1.0.0', to: '1.1.0', asOf: '2026-11-25' };

function checkReport(r: any) {
  expect(r.projects).toBe(12);
  expect(r.errors).toEqual([]);
  expect(r.changed).toBe(5);
  expect(r.unchanged).toBe(7);
  expect(r.changes.map((c: any) => c.id).sort()).toEqual(CHANGED);
  expect(r.byRule).toEqual([{
    policy: UB, version: '1.1.0', rule: 'flexible-conditions-not-met', count: 5, projects: expect.any(Array),
    previously: [{ policy: UB, version: '1.0.0', rule: 'flexible-urban-development' }],
  }]);
  expect(r.byRule[0].projects.sort()).toEqual(CHANGED);
  expect(r.byVerdict).toEqual([{ from: 'conditional', to: 'forbidden', count: 4 }, { from: 'forbidden', to: 'forbidden', count: 1 }]);
  // The edge site was already forbidden (outside the boundary); its flexible-zone finding still changed.
  const edge = r.changes.find((c: any) => c.id === 'flex-edge-development-zone');
  expect(edge.verdict).toEqual({ from: 'forbidden', to: 'forbidden' });
  expect(edge.diff.findings.map((f: any) => f.key)).toEqual(['urban-boundary|flexible']);
}

describe('impact analysis', () => {
  it('the engine lists exactly the projects that change, grouped by rule', async () => {
    const bundle = await loadBundleDir(DEMO);
    const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
    const { projects, problems } = readCorpus(CORPUS);
    expect(problems).toEqual([]);
    const r = await analyzeImpact({ bundles: new Map([[bundle.id, bundle]]), policies, engineVersion: 'test' }, projects, { ...request, now: new Date('2026-11-25T08:00:00Z') });
    checkReport(r);
    // The reverse direction lists the same projects.
    const back = await analyzeImpact({ bundles: new Map([[bundle.id, bundle]]), policies, engineVersion: 'test' }, projects, { ...request, from: '1.1.0', to: '1.0.0', now: new Date() });
    expect(back.changes.map((c) => c.id).sort()).toEqual(CHANGED);
  });

  it('POST /v1/impact on a corpus, and on the stored decisions of a jurisdiction', async () => {
    const t = await versionsApp();
    const r = await t.post('/v1/impact', { ...request, projects: CORPUS });
    expect(r.status).toBe(200);
    expect(r.body.source).toBe('projects');
    checkReport(r.body);

    for (const f of CORPUS.features) expect((await t.evaluate(corpusRequest(f.id))).status).toBe(200);
    const s = await t.post('/v1/impact', { ...request, jurisdiction: 'demo-county' });
    expect(s.status).toBe(200);
    expect(s.body.source).toBe('decisions');
    expect(s.body.projects).toBe(12);
    expect(s.body.changes.map((c: any) => c.name).sort()).toEqual(CORPUS.features.filter((f: any) => CHANGED.includes(f.id)).map((f: any) => f.properties.name).sort());

    expect((await t.post('/v1/impact', { ...request, to: '9.9.9', projects: CORPUS })).status).toBe(404);
    expect((await t.post('/v1/impact', { ...request, policy: 'national.nothing', projects: CORPUS })).status).toBe(404);
    expect((await t.post('/v1/impact', { ...request })).status).toBe(400);
    expect((await t.post('/v1/impact', { ...request, projects: { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: null }] } })).status).toBe(422);
  });

  it('npm run impact prints the same report', () => {
    const args = ['tsx', 'scripts/impact.ts', '--policy', UB, '--from', '1.0.0', '--to', '1.1.0', '--projects', join(root, 'fixtures/impact/corpus.geojson'), '--asOf', '2026-11-25'];
    const json = spawnSync('npx', [...args, '--json'], { cwd: root, encoding: 'utf8' });
    expect(json.status, json.stderr).toBe(0);
    checkReport(JSON.parse(json.stdout));
    const text = spawnSync('npx', args, { cwd: root, encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('12 projects: 5 change, 7 unchanged');
    expect(text.stdout).toContain('flexible-conditions-not-met: 5 projects');
    const bad = spawnSync('npx', ['tsx', 'scripts/impact.ts', '--policy', UB], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
  }, 60_000);
});
