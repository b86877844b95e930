/**
 * GET /v1/decisions — the project ledger officers keep (seed 004 （三十六）): the stored decisions,
 * filtered by jurisdiction, verdict, activity and creation time, in a stable order (createdAt, then
 * id), a page at a time (limit + cursor). Exports: CSV (`?format=csv` or `Accept: text/csv`, UTF-8
 * with a BOM so Excel reads the Chinese; columns added later are appended at the end so existing
 * consumers keep their column positions) and GeoJSON (`?format=geojson`: each decision's site from
 * the stored request, with the decision summary as properties; a corridor's LineString carries its
 * `corridorWidthM`, without which the line alone does not say which land was judged).
 */
import { Hono, type Context } from 'hono';
import { ACTIVITIES, AUTHORITIES, isCalendarDate, VERDICTS, type Decision } from '../../engine/index.js';
import { problem } from '../problem.js';
import type { DecisionQuery, DecisionRecord } from '../storage/decision-store.js';
import type { VersionDeps } from './versions.js';

const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 50;
/** Rows an export without `limit` carries at most (the X-Truncated header says when cut). */
const EXPORT_MAX = 20_000;

export function decisionLogRoutes(d: VersionDeps): Hono {
  const app = new Hono();

  app.get('/decisions', async (c) => {
    if (typeof d.store.list !== 'function') return problem(501, '不支持', '此存储不支持查询决定列表');
    const parsed = parseQuery(c);
    if (parsed instanceof Response) return parsed;
    const { query, format, limited } = parsed;
    if (format === 'json') {
      const page = await d.store.list(query);
      return c.json({
        decisions: page.items.map(summary),
        limit: query.limit,
        order: query.order,
        nextCursor: page.next ? encodeCursor(page.next) : null,
      });
    }
    // Exports: one page when `limit` is given, else everything that matches (up to EXPORT_MAX).
    const items: DecisionRecord[] = [];
    let next: DecisionQuery['after'] | null = query.after ?? null;
    let truncated = false;
    for (;;) {
      const want = limited ? query.limit : Math.min(MAX_LIMIT, EXPORT_MAX - items.length);
      const page = await d.store.list({ ...query, limit: want, after: next ?? undefined });
      items.push(...page.items);
      next = page.next;
      if (!next || limited) break;
      if (items.length >= EXPORT_MAX) {
        truncated = true;
        break;
      }
    }
    const headers: Record<string, string> = {};
    if (limited && next) headers['x-next-cursor'] = encodeCursor(next);
    if (truncated) headers['x-truncated'] = String(EXPORT_MAX);
    if (format === 'csv') {
      return new Response('\uFEFF' + toCsv(items), {
        headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="decisions.csv"', ...headers },
      });
    }
    const fc = {
      type: 'FeatureCollection',
      features: items.map((r) => ({ type: 'Feature', id: r.decision.decisionId, geometry: siteGeometry(r.input?.site), properties: flatSummary(r.decision) })),
    };
    return new Response(JSON.stringify(fc), {
      headers: { 'content-type': 'application/geo+json; charset=utf-8', 'content-disposition': 'attachment; filename="decisions.geojson"', ...headers },
    });
  });

  return app;
}

type Parsed = { query: DecisionQuery & { order: 'asc' | 'desc' }; format: 'json' | 'csv' | 'geojson'; limited: boolean };

function parseQuery(c: Context): Parsed | Response {
  const q = (k: string) => c.req.query(k);
  const bad = (name: string, message: string) => problem(400, '查询参数无效', `${name}：${message}`, [{ path: `/${name}`, message }]);
  const query: DecisionQuery & { order: 'asc' | 'desc' } = { limit: DEFAULT_LIMIT, order: 'desc' };
  const jurisdiction = q('jurisdiction');
  if (jurisdiction !== undefined) {
    if (!/^[a-z0-9-]{1,64}$/.test(jurisdiction)) return bad('jurisdiction', '应为辖区编号 [a-z0-9-]{1,64}');
    query.jurisdiction = jurisdiction;
  }
  const verdict = q('verdict');
  if (verdict !== undefined) {
    if (!(VERDICTS as readonly string[]).includes(verdict)) return bad('verdict', `应为 ${VERDICTS.join(' | ')} 之一`);
    query.verdict = verdict;
  }
  const activity = q('activity');
  if (activity !== undefined) {
    if (!(activity in ACTIVITIES)) return bad('activity', '未知的活动类型（见 GET /v1/activities）');
    query.activity = activity;
  }
  for (const k of ['from', 'to'] as const) {
    const v = q(k);
    if (v === undefined) continue;
    const t = instant(v, k === 'to');
    if (t === null) return bad(k, '应为日期 YYYY-MM-DD 或 ISO 8601 时间');
    query[k] = t;
  }
  const order = q('order');
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc') return bad('order', '应为 asc 或 desc');
    query.order = order;
  }
  const limit = q('limit');
  if (limit !== undefined) {
    const n = Number(limit);
    if (!/^\d+$/.test(limit) || n < 1 || n > MAX_LIMIT) return bad('limit', `应为 1–${MAX_LIMIT} 的整数`);
    query.limit = n;
  }
  const cursor = q('cursor');
  if (cursor !== undefined) {
    const after = decodeCursor(cursor);
    if (!after) return bad('cursor', '无效的分页游标（使用上一页返回的 nextCursor）');
    query.after = after;
  }
  const f = q('format');
  let format: Parsed['format'] = 'json';
  if (f !== undefined) {
    if (f !== 'json' && f !== 'csv' && f !== 'geojson') return bad('format', '应为 json、csv 或 geojson');
    format = f;
  } else {
    const accept = c.req.header('accept') ?? '';
    if (/\btext\/csv\b/i.test(accept)) format = 'csv';
    else if (/application\/geo\+json/i.test(accept)) format = 'geojson';
  }
  return { query, format, limited: limit !== undefined };
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-](\d{2}):(\d{2}))$/;

/**
 * A time bound (the decision log's from/to), checked strictly: a calendar date (that UTC day: `from`
 * its start, `to` — exclusive — the start of the next day) or a full ISO 8601 instant with its
 * offset (2026-11-25T08:00:00Z, 2026-11-25T16:00+08:00) whose every field is in range. Returns the
 * UTC instant comparable with createdAt, or null.
 */
function instant(v: string, isTo: boolean): string | null {
  if (isCalendarDate(v)) {
    const t = Date.parse(`${v}T00:00:00.000Z`);
    return new Date(isTo ? t + 86_400_000 : t).toISOString();
  }
  const m = INSTANT.exec(v);
  if (!m || !isCalendarDate(m[1])) return null;
  const [hh, mm, ss] = [Number(m[2]), Number(m[3]), m[4] === undefined ? 0 : Number(m[4])];
  if (hh > 23 || mm > 59 || ss > 59) return null;
  if (m[5] !== 'Z' && (Number(m[6]) > 23 || Number(m[7]) > 59)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export function encodeCursor(p: { createdAt: string; id: string }): string {
  const bytes = new TextEncoder().encode(JSON.stringify([p.createdAt, p.id]));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeCursor(s: string): { createdAt: string; id: string } | null {
  if (s.length > 400 || !/^[A-Za-z0-9_-]+$/.test(s)) return null;
  try {
    const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
    const json = new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)));
    const v = JSON.parse(json);
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { createdAt: v[0], id: v[1] };
  } catch {
    /* fall through */
  }
  return null;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function summary(r: DecisionRecord) {
  const d = r.decision;
  return {
    id: d.decisionId,
    createdAt: d.createdAt,
    jurisdiction: d.jurisdiction,
    projectName: d.project.name ?? null,
    applicant: d.project.applicant ?? null,
    activity: d.project.activity,
    verdict: d.verdict,
    asOf: d.asOf,
    siteType: d.site.type,
    siteAreaM2: d.site.areaM2,
    siteAreaHa: round(d.site.areaM2 / 10_000, 4),
    approvals: d.approvals.map((a) => ({ authority: a.authority, action: a.action })),
    bundleHash: d.bundleHash,
    engineVersion: d.engineVersion,
    policies: d.policies.map((p) => ({ id: p.id, version: p.version, hash: p.hash })),
  };
}

const authorityNames = (d: Decision) => [...new Set(d.approvals.map((a) => AUTHORITIES[a.authority] ?? a.authority))].join('；');
const policyList = (d: Decision) => d.policies.map((p) => `${p.id}@${p.version}`).join('; ');

/** Width of a buffered line site (corridor), m; null for other sites. */
function corridorWidth(d: Decision): number | null {
  if (typeof d.site.corridorWidthM === 'number') return d.site.corridorWidthM;
  const w = d.project.attributes?.corridorWidthM;
  return /LineString$/.test(d.site.type) && typeof w === 'number' ? w : null;
}

/** GeoJSON properties: flat values, as GIS tools read them best. */
function flatSummary(d: Decision) {
  return {
    id: d.decisionId,
    createdAt: d.createdAt,
    jurisdiction: d.jurisdiction,
    projectName: d.project.name ?? null,
    applicant: d.project.applicant ?? null,
    activity: d.project.activity,
    activityName: (ACTIVITIES as Record<string, string>)[d.project.activity] ?? null,
    verdict: d.verdict,
    asOf: d.asOf,
    siteAreaM2: d.site.areaM2,
    siteAreaHa: round(d.site.areaM2 / 10_000, 4),
    corridorWidthM: corridorWidth(d),
    approvals: authorityNames(d),
    conditions: d.conditions.map((x) => x.id).join('; '),
    bundleHash: d.bundleHash,
    policies: policyList(d),
  };
}

function siteGeometry(site: unknown): unknown {
  if (site && typeof site === 'object' && (site as { type?: unknown }).type === 'Feature') return (site as { geometry?: unknown }).geometry ?? null;
  return site ?? null;
}

/** The ledger's CSV columns: new ones go at the end (consumers read existing ones by position). */
export const CSV_COLUMNS = ['id', 'createdAt', 'jurisdiction', 'projectName', 'activity', 'verdict', 'siteAreaHa', 'approvals', 'bundleHash', 'policies', 'applicant', 'asOf'];

function toCsv(items: DecisionRecord[]): string {
  const rows = [CSV_COLUMNS];
  for (const { decision: d } of items) {
    rows.push([
      d.decisionId, d.createdAt, d.jurisdiction, d.project.name ?? '', d.project.activity, d.verdict,
      String(round(d.site.areaM2 / 10_000, 4)), authorityNames(d), d.bundleHash, policyList(d),
      d.project.applicant ?? '', d.asOf ?? '',
    ]);
  }
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** RFC 4180 quoting; text a spreadsheet would run as a formula (= + - @ at the start) is prefixed with '. */
function csvCell(v: string): string {
  let s = v;
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
