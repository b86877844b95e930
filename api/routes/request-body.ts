/**
 * Reads and checks the body of POST /v1/evaluate: size limit (413), UTF-8 and JSON (400), the
 * request schema (400). Returns the request object or the problem response.
 */
import { validateEvaluateRequest } from '../../engine/index.js';
import { problem } from '../problem.js';

export async function readEvaluateRequest(req: Request, maxBytes: number): Promise<{ body: unknown } | Response> {
  const raw = await readBody(req, maxBytes);
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
  return { body };
}

/** Reads the body as text within the size limit (413 beyond it, contract §6). */
export async function readBody(req: Request, limit: number): Promise<string | Response> {
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
