/**
 * The web page (GET /, /web/*, its start-up data /web/catalogue.json) and the endpoints it adds to
 * the API: the map data it draws
 * (GET /v1/jurisdictions/{id}/layers.geojson) and the suitability search (POST /v1/suitability).
 * Static assets are compiled into web/assets.generated.ts (scripts/build-web.ts), so the same app
 * serves the page under Node and in the Worker. Asset URLs carry their content hash (?v=…): with the
 * right hash they are cached for a year; index.html is revalidated (ETag) on every load.
 */
import { Hono, type Context } from 'hono';
import { LAYER_KIND_IDS, type Bundle, type LayerKind } from '../../engine/index.js';
import { WEB_ASSETS } from '../../web/assets.generated.js';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';
import { catalogRoutes } from './catalog.js';
import { remoteSource, suitabilityRoutes } from './suitability.js';

const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'";

export function webRoutes(d: ResolvedDeps): Hono {
  const app = new Hono();
  const page = (c: Context) => asset(c, 'index.html');
  app.get('/', page);
  app.get('/index.html', page);

  // Everything the page needs to start, in one request (issue: six catalogue requests on load ran
  // into a per-client rate limit of 5 a minute): the jurisdictions, activities, attributes and
  // vocabulary, and the chosen jurisdiction's detail — the answers of the catalogue routes
  // themselves, asked in-process. The page's own data, like its assets: not under /v1.
  const catalogue = catalogRoutes(d);
  app.get('/web/catalogue.json', async (c) => {
    const get = async (path: string) => {
      const r = await catalogue.request(path);
      return r.ok ? r.json() : null;
    };
    const [jurisdictions, activities, attributes, vocabulary] = await Promise.all(['/jurisdictions', '/activities', '/attributes', '/vocabulary'].map(get)) as [
      { jurisdictions: { id: string }[] }, unknown, unknown, unknown,
    ];
    const asked = c.req.query('jurisdiction');
    const id = asked && d.bundles.has(asked) ? asked : jurisdictions.jurisdictions[0]?.id;
    const jurisdiction = id ? await get(`/jurisdictions/${encodeURIComponent(id)}`) : null;
    return c.json({ ...jurisdictions, ...(activities as object), ...(attributes as object), vocabulary, jurisdiction }, 200, { 'cache-control': 'no-cache' });
  });
  app.get('/web/:name', (c) => asset(c, c.req.param('name')));
  app.route('/v1', suitabilityRoutes(d));

  const cache = new WeakMap<Bundle, Map<string, { body: string; etag: string }>>();
  app.get('/v1/jurisdictions/:id/layers.geojson', (c) => {
    const b = d.bundles.get(c.req.param('id'));
    if (!b) return problem(404, '未知的辖区', `辖区 "${c.req.param('id')}" 不存在`, [{ path: '/jurisdiction', message: '未知的辖区' }]);
    const unsupported = remoteSource(b);
    if (unsupported) return unsupported;
    const asked = (c.req.query('kinds') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = asked.filter((k) => !(LAYER_KIND_IDS as string[]).includes(k));
    if (unknown.length) {
      return problem(422, '未知的图层类型', `kinds 含未知的图层类型：${unknown.join(', ')}；可选值见 GET /v1/vocabulary`,
        unknown.map((k) => ({ path: '/kinds', message: `未知的图层类型 "${k}"` })), 'https://zoning.example/problems/unknown-id');
    }
    const kinds = new Set<LayerKind>(asked.length ? (asked as LayerKind[]) : LAYER_KIND_IDS);
    const key = LAYER_KIND_IDS.filter((k) => kinds.has(k)).join(',');
    let perBundle = cache.get(b);
    if (!perBundle) cache.set(b, (perBundle = new Map()));
    let entry = perBundle.get(key);
    if (!entry) {
      entry = { body: layersGeoJson(b, kinds), etag: `"${b.hash.replace(/^sha256:/, '').slice(0, 32)}-${hashKey(key)}"` };
      perBundle.set(key, entry);
    }
    if (c.req.header('if-none-match') === entry.etag) return c.body(null, 304, { etag: entry.etag });
    return c.body(entry.body, 200, {
      'content-type': 'application/geo+json; charset=utf-8',
      etag: entry.etag,
      'cache-control': 'no-cache',
    });
  });

  return app;
}

function asset(c: Context, name: string): Response {
  const a = Object.prototype.hasOwnProperty.call(WEB_ASSETS, name) ? WEB_ASSETS[name] : undefined;
  if (!a) return problem(404, '未找到', `没有这个文件：/web/${name.slice(0, 100)}`);
  const etag = `"${a.hash}"`;
  const headers: Record<string, string> = {
    'content-type': a.type,
    etag,
    'x-content-type-options': 'nosniff',
    'cache-control': name !== 'index.html' && c.req.query('v') === a.hash ? 'public, max-age=31536000, immutable' : 'no-cache',
  };
  if (name === 'index.html') {
    headers['content-security-policy'] = CSP;
    headers['referrer-policy'] = 'no-referrer';
  }
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers);
  return c.body(a.body, 200, headers);
}

/** The bundle's features as GeoJSON: polygons and lines with id, kind, zone and their own properties. */
function layersGeoJson(b: Bundle, kinds: ReadonlySet<LayerKind>): string {
  const parts: string[] = [];
  for (const f of b.features) {
    if (!kinds.has(f.kind)) continue;
    const geometry = f.polygons
      ? f.polygons.length === 1 ? { type: 'Polygon', coordinates: f.polygons[0] } : { type: 'MultiPolygon', coordinates: f.polygons }
      : f.lines!.length === 1 ? { type: 'LineString', coordinates: f.lines![0] } : { type: 'MultiLineString', coordinates: f.lines };
    parts.push(JSON.stringify({ type: 'Feature', id: f.id, properties: { ...f.properties, id: f.id, kind: f.kind, zone: f.zone }, geometry }));
  }
  return `{"type":"FeatureCollection","jurisdiction":${JSON.stringify(b.id)},"bundleHash":${JSON.stringify(b.hash)},"features":[\n${parts.join(',\n')}\n]}\n`;
}

function hashKey(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}
