/** Calls to the engine's HTTP API. Errors (RFC 9457 problems) become ApiError with their fields. */
import type { Problem } from './types.js';

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
}

async function read<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const p = (body && typeof body === 'object' ? body : {}) as Partial<Problem>;
    throw new ApiError({
      type: p.type, status: res.status, title: p.title ?? `请求失败（HTTP ${res.status}）`, detail: p.detail ?? text.slice(0, 300), errors: p.errors,
    });
  }
  return body as T;
}

export async function getJson<T>(url: string): Promise<T> {
  return read<T>(await fetch(url, { headers: { accept: 'application/json' } }));
}

export async function postJson<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return read<T>(await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), signal }));
}

/** POST multipart/form-data: the file as `file`, the rest of the request as the JSON part `request`. */
export async function postFile<T>(url: string, file: File, request: unknown, signal?: AbortSignal): Promise<T> {
  const form = new FormData();
  form.append('request', JSON.stringify(request));
  form.append('file', file, file.name);
  return read<T>(await fetch(url, { method: 'POST', headers: { accept: 'application/json' }, body: form, signal }));
}
