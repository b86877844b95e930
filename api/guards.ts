/**
 * Protections in front of the routes (issue 8): explicit CORS, load shedding (503 + Retry-After
 * rather than an unbounded queue) and an optional per-client rate limit (429 + Retry-After).
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { problem } from './problem.js';

/** CORS: public reads and evaluations from any configured origin; never credentials. */
export function corsGuard(origins: string[]): MiddlewareHandler {
  return cors({
    // An origin not on the list gets no Access-Control-Allow-Origin at all.
    origin: origins.includes('*') ? '*' : (origin) => (origins.includes(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['content-type', 'authorization'],
    exposeHeaders: ['retry-after'],
    maxAge: 600,
    credentials: false,
  });
}

/**
 * Sheds work beyond capacity instead of queueing it without bound. Evaluations are CPU bound and
 * would otherwise run to completion one after another as they are read, hiding the backlog in the
 * sockets; so each admitted request first yields to the event loop — every request already received
 * gets read and counted — and only then starts work. Two limits follow:
 * - at most `maxInFlight` requests admitted at once (the internal queue is bounded);
 * - a request that has waited more than `maxQueueMs` in that queue is refused when its turn comes,
 *   cheaply, rather than served late: the latency of what is served stays bounded.
 * Refusals are 503 with Retry-After.
 */
/** The 503 of a server that cannot take this work now: come back after `retryAfterS` seconds. */
export function overloaded(detail: string, retryAfterS: number): Response {
  return problem(503, '服务繁忙', detail, [], 'https://zoning.example/problems/overloaded', { 'retry-after': String(retryAfterS) });
}

export function loadShedding(maxInFlight: number, maxQueueMs = 1000, retryAfterS = 1): MiddlewareHandler & { inFlight(): number; shed(): number } {
  let inFlight = 0;
  let shed = 0;
  const yieldToLoop = typeof setImmediate === 'function'
    ? () => new Promise<void>((r) => setImmediate(r))
    : () => new Promise<void>((r) => setTimeout(r, 0));
  const refuse = (why: string) => {
    shed++;
    return overloaded(why, retryAfterS);
  };
  const handler: MiddlewareHandler = async (c, next) => {
    if (inFlight >= maxInFlight) return refuse(`排队的请求已达上限 ${maxInFlight}，请稍后重试`);
    inFlight++;
    try {
      // Under Node the server stamps when the headers arrived; elsewhere, from now.
      const arrived = (c.env as { incoming?: { zoningArrivedAt?: number } } | undefined)?.incoming?.zoningArrivedAt ?? Date.now();
      c.set('queueDeadline' as never, (arrived + maxQueueMs) as never);
      await yieldToLoop();
      if (Date.now() - arrived > maxQueueMs) return refuse(`请求排队超过 ${maxQueueMs} 毫秒，请稍后重试`);
      await next();
    } finally {
      inFlight--;
    }
  };
  return Object.assign(handler, { inFlight: () => inFlight, shed: () => shed });
}

/** Token bucket per client (the caller supplies the key, e.g. the socket's remote address). */
export function rateLimit(perMinute: number, keyOf: (c: Parameters<MiddlewareHandler>[0]) => string): MiddlewareHandler {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const rate = perMinute / 60_000;
  return async (c, next) => {
    const key = keyOf(c);
    const now = Date.now();
    const b = buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (b.tokens < 1) {
      buckets.set(key, b);
      const wait = Math.ceil((1 - b.tokens) / rate / 1000);
      return problem(429, '请求过于频繁', `每分钟最多 ${perMinute} 次请求`, [], 'https://zoning.example/problems/rate-limited', { 'retry-after': String(wait) });
    }
    b.tokens -= 1;
    buckets.set(key, b);
    if (buckets.size > 100_000) buckets.clear();
    await next();
  };
}

/** The client key: the socket's remote address under Node, CF-Connecting-IP under Workers. */
export function clientKey(c: Parameters<MiddlewareHandler>[0]): string {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? c.req.header('cf-connecting-ip') ?? 'anonymous';
}

/**
 * For CPU-heavy routes: once the body is in, a request that has already waited past its queue
 * deadline (set by loadShedding) is refused before the work starts. Returns the 503 or null.
 */
export function refuseIfOverdue(c: Parameters<MiddlewareHandler>[0], retryAfterS = 1): Response | null {
  const deadline = c.get('queueDeadline' as never) as unknown as number | undefined;
  if (deadline === undefined || Date.now() <= deadline) return null;
  return overloaded('请求排队超时，请稍后重试', retryAfterS);
}
