/**
 * The page's routes without a browser: GET / and /web/* (embedded assets, content hashes, caching),
 * GET /v1/jurisdictions/{id}/layers.geojson, the generated assets being up to date, and the web
 * sources type-checking (web/tsconfig.json).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { WEB_ASSETS } from '../../web/assets.generated.js';
import { testApp } from '../helpers/app.js';
import { ROOT } from './harness.js';

let t: Awaited<ReturnType<typeof testApp>>;
beforeAll(async () => {
  t = await testApp([join(ROOT, 'fixtures/demo')]);
}, 120_000);

describe('GET / and /web/*', () => {
  it('serves the page in Chinese, with a CSP, every asset URL carrying its content hash', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    const urls = [...html.matchAll(/"\/web\/([\w.-]+)\?v=([0-9a-f]{16})"/g)];
    expect(urls.length).toBeGreaterThanOrEqual(5);
    for (const [, name, v] of urls) {
      expect(WEB_ASSETS[name]?.hash, name).toBe(v);
      const a = await t.app.request(`/web/${name}?v=${v}`);
      expect(a.status).toBe(200);
      expect(a.headers.get('cache-control')).toContain('immutable');
      expect(a.headers.get('content-type')).toBe(WEB_ASSETS[name].type);
    }
    expect(html).toContain('/web/leaflet.js?v=');
  });

  it('revalidates with ETag, compresses, and 404s an unknown asset as a problem', async () => {
    const a = WEB_ASSETS['main.js'];
    const stale = await t.app.request('/web/main.js?v=0000');
    expect(stale.headers.get('cache-control')).toBe('no-cache');
    const again = await t.app.request('/web/main.js', { headers: { 'if-none-match': `"${a.hash}"` } });
    expect(again.status).toBe(304);
    const gz = await t.app.request('/web/leaflet.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    const missing = await t.app.request('/web/nope.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    // Existing routes keep working next to the page.
    expect((await t.app.request('/healthz')).status).toBeLessThan(600);
    expect((await t.app.request('/v1/activities')).status).toBe(200);
  });

  it('module imports are versioned, so cached modules never mix versions', () => {
    for (const [name, a] of Object.entries(WEB_ASSETS)) {
      if (!name.endsWith('.js') || name === 'leaflet.js') continue;
      for (const m of a.body.matchAll(/from\s*["']\.\/([\w-]+\.js)(\?v=([0-9a-f]+))?["']/g)) {
        expect(m[3], `${name} imports ${m[1]} with its hash`).toBe(WEB_ASSETS[m[1]].hash);
      }
    }
  });
});

describe('GET /web/catalogue.json (the page\'s start-up data in one request)', () => {
  it('holds what the catalogue routes answer: jurisdictions, activities, attributes, vocabulary, and the chosen jurisdiction', async () => {
    const res = await t.app.request('/web/catalogue.json?jurisdiction=demo-county', { headers: { 'accept-encoding': 'gzip' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const cat = (await new Response(res.body!.pipeThrough(new DecompressionStream('gzip'))).json()) as any;
    const same = async (path: string) => (await t.app.request(path)).json();
    expect({ jurisdictions: cat.jurisdictions }).toEqual(await same('/v1/jurisdictions'));
    expect({ activities: cat.activities }).toEqual(await same('/v1/activities'));
    expect({ attributes: cat.attributes }).toEqual(await same('/v1/attributes'));
    expect(cat.vocabulary).toEqual(await same('/v1/vocabulary'));
    expect(cat.jurisdiction).toEqual(await same('/v1/jurisdictions/demo-county'));
    // Unknown or absent: the first jurisdiction.
    const other = (await (await t.app.request('/web/catalogue.json?jurisdiction=nowhere')).json()) as any;
    expect(other.jurisdiction.id).toBe('demo-county');
  });
});

describe('GET /v1/jurisdictions/{id}/layers.geojson', () => {
  it('returns every feature of the bundle with kind, zone and id; filters by kinds', async () => {
    const res = await t.app.request('/v1/jurisdictions/demo-county/layers.geojson');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/geo+json');
    const fc = (await res.json()) as any;
    const bundle = t.bundles.get('demo-county')!;
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(bundle.features.length);
    const byId = new Map<string, any>(fc.features.map((f: any) => [f.id, f]));
    for (const f of bundle.features) {
      const g = byId.get(f.id);
      expect(g.properties).toMatchObject({ id: f.id, kind: f.kind, zone: f.zone });
      expect(g.geometry.type).toMatch(f.polygons ? /Polygon$/ : /LineString$/);
    }
    const some = (await (await t.app.request('/v1/jurisdictions/demo-county/layers.geojson?kinds=road,heritage')).json()) as any;
    expect(new Set(some.features.map((f: any) => f.properties.kind))).toEqual(new Set(['road', 'heritage']));
    const etag = res.headers.get('etag')!;
    expect((await t.app.request('/v1/jurisdictions/demo-county/layers.geojson', { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('404 for an unknown jurisdiction, 422 for an unknown kind', async () => {
    const a = await t.app.request('/v1/jurisdictions/nowhere/layers.geojson');
    expect(a.status).toBe(404);
    const b = await t.app.request('/v1/jurisdictions/demo-county/layers.geojson?kinds=road,castle');
    expect(b.status).toBe(422);
    expect(((await b.json()) as any).errors[0]).toMatchObject({ path: '/kinds' });
  });
});

describe('build', () => {
  it('web/assets.generated.ts is up to date (scripts/build-web.ts --check)', () => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), join(ROOT, 'scripts/build-web.ts'), '--check'], { cwd: ROOT, stdio: 'pipe' });
  }, 60_000);

  it('the web sources type-check (web/tsconfig.json, strict, Leaflet types)', () => {
    const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'web/tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} })!;
    const program = ts.createProgram(config.fileNames, config.options);
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).toEqual([]);
  }, 60_000);
});
