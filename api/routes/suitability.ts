/**
 * POST /v1/suitability — where in a jurisdiction a project would be allowed, conditional or
 * forbidden: a GeoJSON FeatureCollection of exact polygons with their reasons and a summary of
 * areas by verdict (engine/suitability). Nothing is stored.
 */
import { Hono } from 'hono';
import { InputProblem } from '../../engine/index.js';
import { readSuitabilityRequest, suitability } from '../../engine/suitability/index.js';
import { problem } from '../problem.js';
import { readBody } from './request-body.js';
import type { ResolvedDeps } from '../app.js';

export function suitabilityRoutes(d: ResolvedDeps): Hono {
  const app = new Hono();

  app.post('/suitability', async (c) => {
    const raw = await readBody(c.req.raw, d.limits.maxBodyBytes);
    if (raw instanceof Response) return raw;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return problem(400, '请求体不是有效的 JSON', (e as Error).message, [{ path: '', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
    }
    try {
      const request = readSuitabilityRequest(body);
      const unsupported = remoteSource(d.bundles.get(request.jurisdiction));
      if (unsupported) return unsupported;
      const result = await suitability(
        { bundles: d.bundles, policies: d.policies, engineVersion: d.engineVersion, maxVertices: d.limits.maxVertices },
        request,
        { now: d.clock() },
      );
      return new Response(JSON.stringify(result), {
        status: 200,
        headers: { 'content-type': 'application/geo+json; charset=utf-8', 'server-timing': `suitability;dur=${result.stats.timeMs}` },
      });
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      throw e;
    }
  });

  return app;
}

/**
 * Whole-jurisdiction analyses read every layer from memory; a bundle served by a remote layer source
 * (FlatGeobuf, PostGIS) answers site evaluations only.
 */
export function remoteSource(b: { source: string; id: string } | undefined): Response | null {
  if (!b || b.source === 'memory') return null;
  return problem(422, '数据源不支持此操作', `辖区 ${b.id} 的图层来自远程数据源（${b.source}），仅支持单个用地评估；适宜性分析与图层导出需内存数据源`, [{ path: '/jurisdiction', message: `图层数据源 ${b.source} 不支持整体读取` }], 'https://zoning.example/problems/unsupported-layer-source');
}
