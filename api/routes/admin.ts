/**
 * Guarded writes: publishing a policy version (POST /v1/policies, body = a policy document) and a
 * jurisdiction's bundle (POST /v1/jurisdictions/{id}/bundle, body = {manifest, layers: {path: text}}).
 * Both need `Authorization: Bearer <ZONING_ADMIN_TOKEN>` (compared in constant time); with no token
 * configured writes are disabled (403). A version that fails validation is refused with 422 and
 * the problems, and never replaces the active one; activation swaps the reference atomically.
 * A policy version is published only future-dated (409 when its effective.from is before today or
 * not after the version in force) and without an end date of its own (422 on effective.to): it is
 * in force until its successor begins, and no published document is ever rewritten (`closed` names
 * the predecessor whose in-force window now ends, with its unchanged hash).
 */
import { Hono, type Context } from 'hono';
import { problem } from '../problem.js';
import { readBody } from './request-body.js';
import type { Refusal } from '../storage/history.js';
import type { VersionDeps } from './versions.js';

export type AdminDeps = VersionDeps & { adminToken: string; maxUploadBytes: number };

export function adminRoutes(d: AdminDeps): Hono {
  const app = new Hono();

  app.post('/policies', async (c) => {
    const denied = await authorize(c, d.adminToken);
    if (denied) return denied;
    const body = await readJson(c.req.raw, d.limits.maxBodyBytes);
    if (body instanceof Response) return body;
    const r = await d.history.publishPolicy(body, d.clock());
    if (!r.ok) return refusal(r);
    const p = r.policy;
    return c.json(
      { id: p.doc.id, version: p.doc.version, level: p.doc.level, effective: p.doc.effective, hash: p.hash, created: r.created, closed: r.closed },
      r.created ? 201 : 200,
      { location: `/v1/policies/${encodeURIComponent(p.doc.id)}?version=${encodeURIComponent(p.doc.version)}` },
    );
  });

  app.post('/jurisdictions/:id/bundle', async (c) => {
    const denied = await authorize(c, d.adminToken);
    if (denied) return denied;
    const id = c.req.param('id');
    if (!/^[a-z0-9-]{1,64}$/.test(id)) return problem(400, '辖区编号无效', '辖区编号应为 [a-z0-9-]{1,64}', [{ path: '/jurisdiction', message: '应为 [a-z0-9-]{1,64}' }]);
    const body = await readJson(c.req.raw, d.maxUploadBytes);
    if (body instanceof Response) return body;
    const r = await d.history.publishBundle(id, body, d.clock());
    if (!r.ok) return refusal(r);
    return c.json(
      { jurisdiction: r.bundle.id, bundleHash: r.bundle.hash, features: r.bundle.features.length, previous: r.previous, created: r.created },
      r.created ? 201 : 200,
      { location: `/v1/jurisdictions/${id}` },
    );
  });

  return app;
}

function refusal(r: Refusal): Response {
  return problem(r.status, r.title, r.detail, r.errors.slice(0, 500), r.status === 422 ? 'https://zoning.example/problems/invalid-version' : 'about:blank');
}

async function readJson(req: Request, limit: number): Promise<unknown | Response> {
  const raw = await readBody(req, limit);
  if (raw instanceof Response) return raw;
  try {
    return JSON.parse(raw);
  } catch (e) {
    return problem(400, '请求体不是有效的 JSON', (e as Error).message, [{ path: '', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
  }
}

/** null when the request carries the admin token; else the 401/403 problem. The body is not read before. */
export async function authorize(c: Context, token: string): Promise<Response | null> {
  if (!token) {
    return problem(403, '写入已停用', '服务器未配置 ZONING_ADMIN_TOKEN，发布政策和数据包的接口已停用', [], 'https://zoning.example/problems/writes-disabled');
  }
  const header = c.req.header('authorization') ?? '';
  const m = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const challenge = { 'www-authenticate': 'Bearer realm="zoning-admin"' };
  if (!m) return problem(401, '需要认证', '写入需要 Authorization: Bearer <管理令牌>', [{ path: '/headers/authorization', message: '缺少 Bearer 令牌' }], 'about:blank', challenge);
  if (!(await constantTimeEqual(m[1], token))) {
    return problem(401, '认证失败', '管理令牌不正确', [{ path: '/headers/authorization', message: '令牌不正确' }], 'about:blank', { 'www-authenticate': 'Bearer realm="zoning-admin", error="invalid_token"' });
  }
  return null;
}

/** Compares SHA-256 digests byte by byte without an early exit: the time does not depend on where they differ, nor on the length. */
export async function constantTimeEqual(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder();
  const [x, y] = await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))]);
  const u = new Uint8Array(x);
  const v = new Uint8Array(y);
  let diff = 0;
  for (let i = 0; i < u.length; i++) diff |= u[i] ^ v[i];
  return diff === 0;
}
