/** RFC 9457 problem responses (contract §6). */
import type { ProblemItem } from '../engine/index.js';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: ProblemItem[];
}

/**
 * Problem types by status, for problems without a more specific one. RFC 9457 wants the title of
 * an `about:blank` problem to be the status phrase; ours are specific Chinese titles, so each
 * problem names a type of its own.
 */
const TYPE_BY_STATUS: Record<number, string> = {
  400: 'bad-request', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 405: 'method-not-allowed',
  409: 'conflict', 413: 'too-large', 415: 'unsupported-media-type', 422: 'unprocessable', 429: 'rate-limited',
  500: 'internal', 503: 'unavailable',
};

export function problem(status: number, title: string, detail: string, errors: ProblemItem[] = [], type = 'about:blank', headers: Record<string, string> = {}): Response {
  if (type === 'about:blank' && TYPE_BY_STATUS[status]) type = `https://zoning.example/problems/${TYPE_BY_STATUS[status]}`;
  const body: ProblemBody = { type, title, status, detail, ...(errors.length ? { errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  });
}
