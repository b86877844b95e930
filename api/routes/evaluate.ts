/** POST /v1/evaluate and GET /v1/decisions/{id} (contract §5). */
import { Hono } from 'hono';
import { evaluateProject, InputProblem, validateEvaluateRequest, type EvaluateInput } from '../../engine/index.js';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';

export function evaluateRoutes(d: ResolvedDeps): Hono {
  const app = new Hono();

  app.post('/evaluate', async (c) => {
    const raw = await readBody(c.req.raw, d.limits.maxBodyBytes);
    if (raw instanceof Response) return raw;
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch (e) {
      return problem(400, '请求体不是有效的 JSON', (e as Error).message, [{ path: '', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
    }
    if (!validateEvaluateRequest(body)) {
      const errors = (validateEvaluateRequest.errors ?? []).map((e) => ({
        path: e.instancePath + (e.params.missingProperty ? `/${String(e.params.missingProperty)}` : e.params.additionalProperty ? `/${String(e.params.additionalProperty)}` : ''),
        message: schemaMessage(e.keyword, e.message, e.params),
      }));
      return problem(400, '请求不符合接口格式', errors.map((e) => `${e.path || '/'}: ${e.message}`).join('；'), errors, 'https://zoning.example/problems/bad-request');
    }
    const input = body as EvaluateInput;
    try {
      const decision = await evaluateProject(
        { bundles: d.bundles, policies: d.policies, engineVersion: d.engineVersion, maxVertices: d.limits.maxVertices },
        input,
        { decisionId: d.newId(), now: d.clock() },
      );
      await d.store.save(decision, input);
      return c.json(decision, 200);
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      throw e;
    }
  });

  app.get('/decisions/:id', async (c) => {
    const id = c.req.param('id');
    const decision = id.length <= 100 ? await d.store.get(id) : null;
    if (!decision) return problem(404, '决定不存在', `没有编号为 ${id.slice(0, 100)} 的决定`, [{ path: '/decisionId', message: '未知的决定编号' }]);
    return c.json(decision, 200);
  });

  return app;
}

/** Reads the body as text within the size limit (413 beyond it, contract §6). */
async function readBody(req: Request, limit: number): Promise<string | Response> {
  const tooLarge = () => problem(413, '请求体过大', `请求体超过上限 ${limit} 字节`, [{ path: '', message: `上限 ${limit} 字节` }], 'https://zoning.example/problems/too-large');
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let o = 0;
  for (const ch of chunks) {
    bytes.set(ch, o);
    o += ch.byteLength;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return problem(400, '请求体不是有效的 UTF-8', '请求体包含无效的 UTF-8 字节', [{ path: '', message: '无效的 UTF-8' }], 'https://zoning.example/problems/bad-json');
  }
}

function schemaMessage(keyword: string, message: string | undefined, params: Record<string, unknown>): string {
  switch (keyword) {
    case 'required': return `缺少必填字段 ${String(params.missingProperty)}`;
    case 'additionalProperties': return `不允许的字段 ${String(params.additionalProperty)}`;
    case 'type': return `类型应为 ${String(params.type)}`;
    case 'pattern': return `格式不符（${String(params.pattern)}）`;
    default: return message ?? keyword;
  }
}
