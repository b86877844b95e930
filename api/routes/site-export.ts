/**
 * GET /v1/decisions/{id}/site.txt?zone=38&zoneWidth=3&prefix=true — the site of a stored decision
 * as a 界址点坐标 TXT (建设用地报批 exchange format), CGCS2000 Gauss-Krüger, UTF-8, CRLF.
 * Defaults: 3° zones, the zone containing the site's centroid, eastings with the zone prefix.
 * The site is the one the engine evaluated (a corridor is written as its buffered land).
 */
import { Hono } from 'hono';
import { normalizeSite } from '../../engine/geometry/index.js';
import { InputProblem } from '../../engine/index.js';
import { writeSurveyTxt } from '../../engine/io/index.js';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';

export function siteExportRoutes(d: ResolvedDeps): Hono {
  const app = new Hono();

  app.get('/decisions/:id/site.txt', async (c) => {
    const id = c.req.param('id');
    const decision = id.length <= 100 ? await d.store.get(id) : null;
    if (!decision) return problem(404, '决定不存在', `没有编号为 ${id.slice(0, 100)} 的决定`, [{ path: '/decisionId', message: '未知的决定编号' }]);
    const input = typeof d.store.getInput === 'function' ? await d.store.getInput(id) : null;
    if (!input || input.site === undefined) {
      return problem(404, '用地不存在', `决定 ${id} 未保存原始请求，无法导出用地`, [{ path: '/decisionId', message: '该决定没有保存用地' }]);
    }

    const q = (k: string) => c.req.query(k);
    const width = q('zoneWidth') ?? '3';
    if (width !== '3' && width !== '6') return bad('/zoneWidth', `zoneWidth 应为 3 或 6，实际为「${width.slice(0, 20)}」`);
    const zoneText = q('zone');
    let zone: number | undefined;
    if (zoneText !== undefined && zoneText !== '') {
      if (!/^\d{1,3}$/.test(zoneText)) return bad('/zone', `zone 应为整数带号，实际为「${zoneText.slice(0, 20)}」`);
      zone = Number(zoneText);
    }
    const prefixText = (q('prefix') ?? 'true').toLowerCase();
    if (!['true', 'false', '1', '0'].includes(prefixText)) return bad('/prefix', `prefix 应为 true 或 false，实际为「${prefixText.slice(0, 20)}」`);

    const corridor = input.project?.attributes?.corridorWidthM;
    const site = normalizeSite(input.site, { corridorWidthM: typeof corridor === 'number' ? corridor : undefined, maxVertices: Number.MAX_SAFE_INTEGER });
    if (!site.ok) return problem(422, '无法导出界址点坐标', '保存的用地无效', site.errors.map((e) => ({ ...e, path: '/site' + e.path })));
    if (site.site.type === 'point') return bad('/site', '点状用地没有界址，无法导出界址点坐标', 422);

    try {
      const polys = site.site.polygons;
      const out = writeSurveyTxt(polys.length === 1 ? { type: 'Polygon', coordinates: polys[0] } : { type: 'MultiPolygon', coordinates: polys }, {
        zone,
        zoneWidth: Number(width) as 3 | 6,
        prefix: prefixText === 'true' || prefixText === '1',
        name: decision.project.name ?? '',
        date: decision.createdAt.slice(0, 10),
        producer: d.bundles.get(decision.jurisdiction)?.name ?? decision.jurisdiction,
      });
      const safeId = id.replace(/[^A-Za-z0-9._-]/g, '_');
      return new Response(out.text, {
        status: 200,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'content-disposition': `attachment; filename="${safeId}-site.txt"`,
          'x-crs': out.epsg !== null ? `EPSG:${out.epsg}` : `CGCS2000 GK ${out.zoneWidth}-degree zone ${out.zone}`,
        },
      });
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      throw e;
    }
  });

  return app;
}

function bad(path: string, message: string, status = 400): Response {
  return problem(status, status === 400 ? '查询参数无效' : '无法导出界址点坐标', message, [{ path, message }]);
}
