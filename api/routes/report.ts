/**
 * GET /v1/decisions/{id}/report — the printable report (HTML, A4 via @page CSS) of a stored
 * decision, drawn over the request's site when the store keeps the request (`getInput`), else over
 * the layers only. The map's layers are those of the bundle version that decided (the decision's
 * bundleHash: the active version, or the archived one); when that version is unavailable the map
 * says so and draws no layers rather than another version's. `?format=pdf` prints it to PDF with
 * headless Chromium on the Node server only.
 */
import { Hono } from 'hono';
import type { Bundle, Decision } from '../../engine/index.js';
import { renderReportHtml } from '../../report/render-report.js';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';
import type { History } from '../storage/history.js';

/** A store that can give back the original request of a decision (optional extension). */
interface InputStore { getInput?(id: string): Promise<unknown> }

/** The Node-only PDF printer, loaded on demand; its path is computed so Worker bundlers leave it out. */
type PdfModule = { renderPdf(html: string): Promise<Uint8Array<ArrayBuffer>> };
const PDF_MODULE = ['..', '..', 'cli', 'render-pdf.js'].join('/');

const HEADERS = {
  // The page carries no script and loads nothing: user text can never run (defence in depth).
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The bundle version a decision was made on, for its map; or why its layers cannot be drawn. */
async function decidingBundle(d: ResolvedDeps, history: History, decision: Decision): Promise<{ bundle?: Bundle; unavailable?: string; name?: string }> {
  const active = d.bundles.get(decision.jurisdiction);
  let bundle: Bundle | undefined;
  if (active?.hash === decision.bundleHash) bundle = active;
  else {
    try {
      bundle = await history.bundleByHash(decision.jurisdiction, decision.bundleHash);
    } catch {
      bundle = undefined; // an unreadable archive entry: the report still renders, without layers
    }
  }
  const name = bundle?.name ?? active?.name;
  if (!bundle) {
    return { name, unavailable: `作出本决定的数据包版本（${decision.bundleHash}）已不可用，图中未绘制管控图层，仅绘制用地范围；管控要素以本报告所列判定为准。` };
  }
  // The map figure reads the layers around the site from memory; a remote layer source (FlatGeobuf,
  // PostGIS) has no synchronous search, so its reports show the site alone.
  if (bundle.source !== 'memory') return { name, unavailable: '管控图层由远程数据源提供，图中未绘制管控图层，仅绘制用地范围。' };
  return { bundle, name };
}

export function reportRoutes(d: ResolvedDeps & { history: History }): Hono {
  const app = new Hono();
  // The archive of bundle versions, shared with replay: the map that decided.
  const history = d.history;

  app.get('/decisions/:id/report', async (c) => {
    const id = c.req.param('id');
    const decision: Decision | null = id.length <= 100 ? await d.store.get(id) : null;
    if (!decision) return problem(404, '决定不存在', `没有编号为 ${id.slice(0, 100)} 的决定`, [{ path: '/decisionId', message: '未知的决定编号' }]);
    const format = c.req.query('format') ?? 'html';
    if (format !== 'html' && format !== 'pdf') {
      return problem(400, '不支持的报告格式', `format 应为 html 或 pdf，实际为 ${format.slice(0, 20)}`, [{ path: '/format', message: '应为 html 或 pdf' }]);
    }

    let site: unknown;
    const store = d.store as InputStore;
    if (typeof store.getInput === 'function') {
      try {
        const input = (await store.getInput(id)) as { site?: unknown } | null;
        site = input?.site;
      } catch {
        site = undefined; // the report still renders, over the layers only
      }
    }
    const map = await decidingBundle(d, history, decision);
    const html = renderReportHtml(decision, { site, bundle: map.bundle, layersUnavailable: map.unavailable, jurisdictionName: map.name });

    if (format === 'pdf') {
      let mod: PdfModule;
      try {
        mod = (await import(/* @vite-ignore */ PDF_MODULE)) as PdfModule;
      } catch {
        return problem(501, 'PDF 不可用', '此运行环境不提供 PDF 输出，请打开 HTML 报告后用浏览器打印为 PDF', [{ path: '/format', message: '仅 Node 服务器支持 pdf' }]);
      }
      try {
        const pdf = await mod.renderPdf(html);
        return new Response(pdf, {
          status: 200,
          headers: { 'content-type': 'application/pdf', 'content-disposition': `inline; filename="report-${encodeURIComponent(decision.decisionId)}.pdf"`, ...HEADERS },
        });
      } catch (e) {
        return problem(503, 'PDF 生成失败', `无头浏览器不可用：${(e as Error).message.split('\n')[0].slice(0, 300)}`, [], 'about:blank', { 'retry-after': '30' });
      }
    }
    return new Response(html, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...HEADERS } });
  });

  return app;
}
