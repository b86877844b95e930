/**
 * POST /v1/impact — change impact of a policy version:
 *   { "policy": "national.urban-boundary", "from": "1.0.0", "to": "1.1.0", "asOf"?: "YYYY-MM-DD",
 *     "projects": FeatureCollection }                       // sites with {jurisdiction?, activity, attributes, name}
 *   or { …, "jurisdiction": "demo-county" }                  // the stored decisions of a jurisdiction
 * Evaluates every project under both versions (those two pinned, every other policy as in force on
 * `asOf`, default today) and lists every project whose outcome changes, grouped by rule, with counts.
 * Read-only: nothing is stored.
 */
import { Hono } from 'hono';
import { InputProblem } from '../../engine/index.js';
import { analyzeImpact, impactVersions, readCorpus, type CorpusProject } from '../../engine/impact/index.js';
import { problem } from '../problem.js';
import { readBody } from './request-body.js';
import type { VersionDeps } from './versions.js';
import { isCalendarDate } from '../../engine/calendar-date.js';

/** Projects one request may analyse (each is evaluated twice). */
export const MAX_IMPACT_PROJECTS = 2000;

export function impactRoutes(d: VersionDeps & { maxUploadBytes: number }): Hono {
  const app = new Hono();

  app.post('/impact', async (c) => {
    // Open like evaluations, so bounded tighter than admin uploads: at most 16 MiB and MAX_IMPACT_PROJECTS projects.
    const raw = await readBody(c.req.raw, Math.min(d.maxUploadBytes, 16 * 1024 * 1024));
    if (raw instanceof Response) return raw;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return problem(400, '请求体不是有效的 JSON', (e as Error).message, [{ path: '', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
    }
    const bad = (path: string, message: string) => problem(400, '请求不符合接口格式', `${path}: ${message}`, [{ path, message }], 'https://zoning.example/problems/bad-request');
    if (!body || typeof body !== 'object' || Array.isArray(body)) return bad('', '应为对象');
    for (const k of ['policy', 'from', 'to'] as const) if (typeof body[k] !== 'string' || !body[k]) return bad(`/${k}`, '必填字符串');
    const asOf = body.asOf === undefined ? d.clock().toISOString().slice(0, 10) : body.asOf;
    if (!isCalendarDate(asOf)) return bad('/asOf', `应为存在的日期 YYYY-MM-DD，实际为 ${JSON.stringify(asOf)?.slice(0, 40)}`);
    const jurisdiction = body.jurisdiction;
    if (jurisdiction !== undefined && (typeof jurisdiction !== 'string' || !/^[a-z0-9-]{1,64}$/.test(jurisdiction))) return bad('/jurisdiction', '应为辖区编号');
    const ctx = { bundles: d.bundles, policies: d.policies, engineVersion: d.engineVersion, maxVertices: d.limits.maxVertices };
    try {
      impactVersions(ctx, { policy: body.policy as string, from: body.from as string, to: body.to as string });
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      throw e;
    }

    let projects: CorpusProject[];
    let source: 'projects' | 'decisions';
    let truncated = false;
    if (body.projects !== undefined) {
      source = 'projects';
      const { projects: ps, problems } = readCorpus(body.projects, jurisdiction as string | undefined);
      if (problems.length) {
        return problem(422, '项目集无效', problems.slice(0, 5).map((p) => `${p.path}: ${p.message}`).join('；'), problems.map((p) => ({ path: `/projects${p.path}`, message: p.message })));
      }
      if (ps.length > MAX_IMPACT_PROJECTS) {
        return problem(413, '项目过多', `一次最多分析 ${MAX_IMPACT_PROJECTS} 个项目，实际 ${ps.length} 个`, [{ path: '/projects/features', message: `上限 ${MAX_IMPACT_PROJECTS}` }], 'https://zoning.example/problems/too-large');
      }
      projects = ps;
    } else {
      source = 'decisions';
      if (jurisdiction === undefined) return bad('/projects', '须给出 projects（GeoJSON FeatureCollection）或 jurisdiction（分析该辖区已保存的决定）');
      if (typeof d.store.list !== 'function') return problem(501, '不支持', '此存储不支持查询决定列表');
      if (!d.bundles.has(jurisdiction as string)) return problem(404, '未知的辖区', `辖区 "${jurisdiction}" 不存在`, [{ path: '/jurisdiction', message: '未知的辖区' }]);
      projects = [];
      let after: { createdAt: string; id: string } | undefined;
      for (;;) {
        const page = await d.store.list({ jurisdiction: jurisdiction as string, order: 'asc', limit: 500, after });
        for (const r of page.items) {
          if (!r.input) continue;
          projects.push({ id: r.decision.decisionId, name: r.decision.project.name, input: r.input });
        }
        if (!page.next) break;
        if (projects.length >= MAX_IMPACT_PROJECTS) {
          truncated = true;
          break;
        }
        after = page.next;
      }
      if (projects.length > MAX_IMPACT_PROJECTS) {
        projects = projects.slice(0, MAX_IMPACT_PROJECTS);
        truncated = true;
      }
    }
    const report = await analyzeImpact(ctx, projects, { policy: body.policy as string, from: body.from as string, to: body.to as string, asOf, now: d.clock() });
    return c.json({ source, truncated, ...report });
  });

  return app;
}
