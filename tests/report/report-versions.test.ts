/**
 * The report's map is drawn from the bundle version that made the decision (its bundleHash), not
 * from whatever version is active when the report is asked for; when that version is unavailable
 * the figure says so and draws no layers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBundleDir } from '../../api/node/load-bundle-dir.js';
import { DEMO, root, versionsApp } from '../versions/helpers.js';

const GEOHAZARD = '地质灾害危险区/易发区';

let demo: { manifest: any; layers: Record<string, string> };
beforeAll(async () => {
  const r = await readBundleDir(DEMO);
  demo = { manifest: r.manifest, layers: r.layers };
});

function request() {
  const req = JSON.parse(readFileSync(join(root, 'fixtures/projects/industrial-flexible-zone.json'), 'utf8'));
  delete req.expect;
  return req;
}

/** The demo bundle plus a 地质灾害易发区 feature over the project's site. */
function withGeohazard() {
  const ring: number[][] = request().site.coordinates[0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [x0, y0, x1, y1] = [Math.min(...xs) - 0.0005, Math.min(...ys) - 0.0005, Math.max(...xs) + 0.0005, Math.max(...ys) + 0.0005];
  const fc = JSON.parse(demo.layers['layers/protection.geojson']);
  fc.features.push({ type: 'Feature', id: 'gh-report-test', properties: { kind: 'geohazard' }, geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] } });
  return { manifest: demo.manifest, layers: { ...demo.layers, 'layers/protection.geojson': JSON.stringify(fc) } };
}

/** The labels of the map's legend. */
function legend(html: string): string[] {
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
  const part = svg.slice(svg.indexOf('图例</text>') + '图例</text>'.length);
  return [...part.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

describe('GET /v1/decisions/{id}/report: the map of the version that decided', () => {
  it('draws the layers of the decision’s bundle version after the active one changed back', async () => {
    const t = await versionsApp();
    const original = await t.evaluate(request());
    expect(original.status).toBe(200);
    const pub = await t.post('/v1/jurisdictions/demo-county/bundle', withGeohazard(), t.admin);
    expect(pub.status).toBe(201);
    const changed = await t.evaluate(request());
    expect(changed.body.bundleHash).toBe(pub.body.bundleHash);
    expect(changed.body.findings.map((f: any) => f.kind)).toContain('geohazard');
    // The original map becomes active again.
    const back = await t.post('/v1/jurisdictions/demo-county/bundle', { manifest: demo.manifest, layers: demo.layers }, t.admin);
    expect(back.status).toBe(201);
    expect(back.body.bundleHash).toBe(original.body.bundleHash);

    const r = await t.get(`/v1/decisions/${changed.body.decisionId}/report`);
    expect(r.status).toBe(200);
    expect(legend(r.text)).toContain(GEOHAZARD);
    expect(r.text).not.toContain('与作出本决定时的数据包');
    expect(r.text).not.toContain('已不可用');
    // The decision on the original map: no geohazard layer on its figure.
    const o = await t.get(`/v1/decisions/${original.body.decisionId}/report`);
    expect(o.status).toBe(200);
    expect(legend(o.text)).not.toContain(GEOHAZARD);
    expect(legend(o.text).length).toBeGreaterThan(1);
  });

  it('a pinned version no longer available: the map says so and draws no layers', async () => {
    const t = await versionsApp();
    const d = await t.evaluate(request());
    const rec = await t.deps.store.record!(d.body.decisionId);
    const lost = { ...rec!.decision, decisionId: 'lost-map-1', bundleHash: 'sha256:0000000000000000000000000000000000000000000000000000000000000000' };
    await t.deps.store.save(lost, rec!.input);
    const r = await t.get('/v1/decisions/lost-map-1/report');
    expect(r.status).toBe(200);
    expect(r.text).toContain(`作出本决定的数据包版本（${lost.bundleHash}）已不可用`);
    expect(legend(r.text)).toEqual(['项目用地']);
    // The header still names the jurisdiction.
    expect(r.text).toContain('示范乡');
  });
});
