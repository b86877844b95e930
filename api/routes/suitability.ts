/**
 * POST /v1/suitability — where in a jurisdiction a project would be allowed, conditional or
 * forbidden: a GeoJSON FeatureCollection of exact polygons with their reasons and a summary of
 * areas by verdict (engine/suitability). Nothing is stored.
 *
 * A search is CPU work of seconds, so it is guarded like no other route:
 * - time budget: SUITABILITY_BUDGET_FACTOR × the evaluation budget (ZONING_EVAL_TIMEOUT_MS,
 *   10 s → 60 s by default; `limits.suitabilityTimeoutMs` when the app provides one); past it the
 *   answer is 422 `evaluation-timeout`, naming cellSizeM (and bbox) as what to change. The engine
 *   checks the deadline between cells, cuts, evaluations and unions.
 * - the client leaving stops it: the request's abort signal (under @hono/node-server it is aborted
 *   when the connection closes) is checked as often as the deadline.
 * - it yields to the event loop every few milliseconds, so evaluations are served meanwhile.
 * - at most `maxConcurrent` searches at once (default 1: they share the one JavaScript thread, and
 *   two at once only finish later); beyond it 503 with Retry-After, as load shedding answers.
 * - identical searches (same map, policies in force, project, box and cell) are answered from a
 *   small cache of serialized results (x-suitability-cache: hit).
 * - the response (several MB of GeoJSON for a whole jurisdiction) is compressed (gzip/deflate) when
 *   the client accepts it.
 */
import { Hono } from 'hono';
import { InputProblem } from '../../engine/index.js';
import { readSuitabilityRequest, suitability, suitabilityCacheKey, SuitabilityCancelled } from '../../engine/suitability/index.js';
import { overloaded, refuseIfOverdue } from '../guards.js';
import { problem } from '../problem.js';
import { readBody } from './request-body.js';
import type { ResolvedDeps } from '../app.js';

/** The search's budget is this many evaluation budgets (unless the app sets suitabilityTimeoutMs). */
export const SUITABILITY_BUDGET_FACTOR = 6;
const CACHE_ENTRIES = 4;

export interface SuitabilityRouteOptions {
  /** Searches computed at once (default: limits.maxSuitability, else 1). */
  maxConcurrent?: number;
  /** Budget of one search, ms (default: limits.suitabilityTimeoutMs, else 6 × evalTimeoutMs). */
  timeoutMs?: number;
  /** Retry-After (s) of the 503 when all slots are busy. */
  retryAfterS?: number;
}

export function suitabilityRoutes(d: ResolvedDeps, o: SuitabilityRouteOptions = {}): Hono & { running(): number } {
  const app = new Hono();
  const maxConcurrent = Math.max(1, o.maxConcurrent ?? d.limits.maxSuitability);
  const timeoutMs = o.timeoutMs ?? (d.limits.suitabilityTimeoutMs || SUITABILITY_BUDGET_FACTOR * d.limits.evalTimeoutMs);
  const retryAfterS = o.retryAfterS ?? 5;
  let running = 0;
  const cache = new Map<string, string>();

  app.post('/suitability', async (c) => {
    const raw = await readBody(c.req.raw, d.limits.maxBodyBytes);
    if (raw instanceof Response) return raw;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return problem(400, '请求体不是有效的 JSON', (e as Error).message, [{ path: '', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
    }
    const overdue = refuseIfOverdue(c);
    if (overdue) return overdue;
    const ctx = { bundles: d.bundles, policies: d.policies, engineVersion: d.engineVersion, maxVertices: d.limits.maxVertices };
    const now = d.clock();
    try {
      const request = readSuitabilityRequest(body);
      const unsupported = remoteSource(d.bundles.get(request.jurisdiction));
      if (unsupported) return unsupported;
      const key = suitabilityCacheKey(ctx, request, now);
      const hit = key === null ? undefined : cache.get(key);
      if (hit !== undefined) {
        cache.delete(key!);
        cache.set(key!, hit); // most recently used last
        return geoJson(hit, { 'x-suitability-cache': 'hit' });
      }
      if (running >= maxConcurrent) {
        return overloaded(`正在进行的适宜性分析已达上限 ${maxConcurrent} 个，请 ${retryAfterS} 秒后重试`, retryAfterS);
      }
      running++;
      try {
        const result = await suitability(ctx, request, { now, deadline: Date.now() + timeoutMs, signal: c.req.raw.signal });
        const text = JSON.stringify(result);
        if (key !== null) {
          cache.set(key, text);
          while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
        }
        return geoJson(text, { 'server-timing': `suitability;dur=${result.stats.timeMs}`, 'x-suitability-cache': 'miss' });
      } finally {
        running--;
      }
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      // The client has gone: nobody reads this answer (499, as proxies log a closed request).
      if (e instanceof SuitabilityCancelled) return problem(499, '客户端已断开', '客户端在分析完成前断开了连接，分析已停止', [], 'https://zoning.example/problems/client-closed');
      throw e;
    }
  });

  return Object.assign(app, { running: () => running });
}

function geoJson(text: string, headers: Record<string, string>): Response {
  return new Response(text, { status: 200, headers: { 'content-type': 'application/geo+json; charset=utf-8', ...headers } });
}

/**
 * Whole-jurisdiction analyses read every layer from memory; a bundle served by a remote layer source
 * (FlatGeobuf, PostGIS) answers site evaluations only.
 */
export function remoteSource(b: { source: string; id: string } | undefined): Response | null {
  if (!b || b.source === 'memory') return null;
  return problem(422, '数据源不支持此操作', `辖区 ${b.id} 的图层来自远程数据源（${b.source}），仅支持单个用地评估；适宜性分析与图层导出需内存数据源`, [{ path: '/jurisdiction', message: `图层数据源 ${b.source} 不支持整体读取` }], 'https://zoning.example/problems/unsupported-layer-source');
}
