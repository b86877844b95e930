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

export function problem(status: number, title: string, detail: string, errors: ProblemItem[] = [], type = 'about:blank', headers: Record<string, string> = {}): Response {
  const body: ProblemBody = { type, title, status, detail, ...(errors.length ? { errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json; charset=utf-8', ...headers },
  });
}
