/**
 * Storage of decisions behind a small interface. One implementation, written once against drizzle's
 * query builder, serves the three engines: SQLite (better-sqlite3, schema.ts), D1 (Worker, the same
 * SQLite schema) and PostgreSQL (node-postgres, schema-pg.ts: the same tables in pg-core). A
 * decision is stored, with the full request that produced it (and, for an uploaded site file, what
 * the upload contributed: UploadRecord), before its 200 is sent.
 */
import { and, asc, desc, eq, gt, gte, lt, or, type SQL } from 'drizzle-orm';
import type { BaseSQLiteDatabase } from 'drizzle-orm/sqlite-core';
import type { Decision, EvaluateInput, Warning } from '../../engine/index.js';
import * as sqliteTables from './schema.js';

/**
 * What an uploaded site file (POST /v1/evaluate with a 界址点坐标 TXT, WKT, GeoJSON or zipped
 * Shapefile) contributed to a decision beyond the GeoJSON request it was read into: the file's
 * description, the options it was read with, what it declared (parcels, declared areas, CRS), the
 * warnings the upload added to the decision, and — when it fits the body limit — the file itself.
 */
export interface UploadRecord {
  /** The format the file was read as: survey-txt (界址点坐标), wkt, geojson or shapefile (zip). */
  format: string;
  /** The file name (multipart), or the name its content type stands for (raw body: upload.txt…). */
  name: string;
  /** The content type of the part or of the raw body. */
  contentType: string | null;
  size: number;
  /** sha256 of the file's bytes, `sha256:` + hex. */
  sha256: string;
  /** The Gauss-Krüger zone overrides given with the file (zone, zoneWidth). */
  options?: { zone?: number; zoneWidth?: 3 | 6 };
  /** The coordinate system the file was read in, and its parcels as declared (without geometry). */
  crs?: unknown;
  parcels?: { id: string; name: string | null; declaredAreaHa: number | null; computedAreaHa: number | null }[];
  /** The warnings the upload added to the decision (site-file-…), in order. */
  warnings: Warning[];
  /** The file's bytes, base64; absent when that would exceed the body limit (`omitted` says so). */
  base64?: string;
  omitted?: string;
}

/**
 * A stored decision with the request that produced it and, for an uploaded site file, what the
 * upload contributed (absent for JSON requests and for rows stored before uploads were recorded).
 */
export interface DecisionRecord { decision: Decision; input: EvaluateInput; upload?: UploadRecord }

/**
 * The upload travels inside the stored input under this member (no request has it: the request
 * schema allows no `$` names), so every store keeps it without a schema change, and rows without it
 * read as before.
 */
export const UPLOAD_MEMBER = '$upload';

/** The input to store for a decision: the request, plus what an uploaded file contributed. */
export function inputWithUpload(input: EvaluateInput, upload: UploadRecord | null | undefined): EvaluateInput {
  return upload ? ({ ...input, [UPLOAD_MEMBER]: upload } as EvaluateInput) : input;
}

/** Splits a stored input back into the request and the upload record (if any). */
export function splitStoredInput(stored: unknown): { input: EvaluateInput; upload?: UploadRecord } {
  if (stored && typeof stored === 'object' && !Array.isArray(stored) && UPLOAD_MEMBER in stored) {
    const { [UPLOAD_MEMBER]: upload, ...input } = stored as Record<string, unknown>;
    return { input: input as unknown as EvaluateInput, upload: upload as UploadRecord };
  }
  return { input: stored as EvaluateInput };
}

function toRecord(decision: string, input: string): DecisionRecord {
  const { input: request, upload } = splitStoredInput(JSON.parse(input));
  return upload ? { decision: JSON.parse(decision) as Decision, input: request, upload } : { decision: JSON.parse(decision) as Decision, input: request };
}

/** Filters of the decision log (GET /v1/decisions); `from` inclusive, `to` exclusive, ISO instants. */
export interface DecisionQuery {
  jurisdiction?: string;
  verdict?: string;
  activity?: string;
  from?: string;
  to?: string;
  /** Keyset pagination: the position after which (in `order`) the page starts. */
  after?: { createdAt: string; id: string };
  order?: 'asc' | 'desc';
  limit: number;
}

export interface DecisionPage {
  items: DecisionRecord[];
  /** The position of the last item when more follow, else null. */
  next: { createdAt: string; id: string } | null;
}

export interface DecisionStore {
  /** Stores a decision and its request; `text`, when given, is JSON.stringify(decision) already made. */
  save(decision: Decision, input: EvaluateInput, text?: string): Promise<void>;
  get(id: string): Promise<Decision | null>;
  ping(): Promise<boolean>;
  /** The decision with the request that produced it (replay); optional for custom stores. */
  record?(id: string): Promise<DecisionRecord | null>;
  /** The original request of a decision (the printable report draws its site). */
  getInput?(id: string): Promise<EvaluateInput | null>;
  /** The decision log, in a stable order: createdAt, then id. */
  list?(q: DecisionQuery): Promise<DecisionPage>;
}

/** The stores this package builds implement every optional method. */
export type FullDecisionStore = Required<DecisionStore>;

/** The tables, as declared for SQLite; schema-pg.ts declares the same names and columns. */
export type Tables = typeof sqliteTables;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnySQLite = BaseSQLiteDatabase<'sync' | 'async', any, any>;

/**
 * Drizzle's query builders of the two dialects share the calls used here (select/insert/where/
 * orderBy/limit/onConflictDoNothing/returning) but not their static types: the dialect-neutral code
 * below is typed against the SQLite declarations and receives the PostgreSQL ones cast.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDrizzle = any;

/** The row of the decisions table that stores a decision and its request. */
export function decisionRow(d: Decision, input: EvaluateInput, text = JSON.stringify(d)) {
  return {
    id: d.decisionId,
    jurisdiction: d.jurisdiction,
    verdict: d.verdict,
    activity: d.project.activity,
    createdAt: d.createdAt,
    asOf: d.asOf,
    bundleHash: d.bundleHash,
    engineVersion: d.engineVersion,
    siteAreaM2: d.site.areaM2,
    input: JSON.stringify(input),
    decision: text,
  };
}

/** The decision store on SQLite or D1 (the schema of schema.ts). */
export function drizzleDecisionStore(db: AnySQLite): FullDecisionStore {
  return decisionStoreOn(db, sqliteTables);
}

/** The decision store on any drizzle database whose tables are `tables` (SQLite or PostgreSQL). */
export function decisionStoreOn(db: AnyDrizzle, tables: Tables): FullDecisionStore {
  const t = tables.decisions;
  const record = async (id: string): Promise<DecisionRecord | null> => {
    const rows = await db.select({ decision: t.decision, input: t.input }).from(t).where(eq(t.id, id)).limit(1);
    return rows.length ? toRecord(rows[0].decision, rows[0].input) : null;
  };
  return {
    async save(d, input, text) {
      await db.insert(t).values(decisionRow(d, input, text));
    },
    async get(id) {
      const rows = await db.select({ decision: t.decision }).from(t).where(eq(t.id, id)).limit(1);
      return rows.length ? (JSON.parse(rows[0].decision) as Decision) : null;
    },
    record,
    async getInput(id) {
      return (await record(id))?.input ?? null;
    },
    async list(q) {
      const conds: SQL[] = [];
      if (q.jurisdiction !== undefined) conds.push(eq(t.jurisdiction, q.jurisdiction));
      if (q.verdict !== undefined) conds.push(eq(t.verdict, q.verdict));
      if (q.activity !== undefined) conds.push(eq(t.activity, q.activity));
      if (q.from !== undefined) conds.push(gte(t.createdAt, q.from));
      if (q.to !== undefined) conds.push(lt(t.createdAt, q.to));
      const descending = q.order === 'desc';
      if (q.after) {
        const cmp = descending ? lt : gt;
        conds.push(or(cmp(t.createdAt, q.after.createdAt), and(eq(t.createdAt, q.after.createdAt), cmp(t.id, q.after.id)))!);
      }
      const dir = descending ? desc : asc;
      const rows: { id: string; createdAt: string; decision: string; input: string }[] = await db
        .select({ id: t.id, createdAt: t.createdAt, decision: t.decision, input: t.input })
        .from(t)
        .where(conds.length ? and(...conds) : undefined)
        .orderBy(dir(t.createdAt), dir(t.id))
        .limit(q.limit + 1);
      const page = rows.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => toRecord(r.decision, r.input)),
        next: rows.length > q.limit && last ? { createdAt: last.createdAt, id: last.id } : null,
      };
    },
    async ping() {
      await db.select({ id: t.id }).from(t).limit(1);
      return true;
    },
  };
}

/** In-memory store for tests and the browser (same semantics, binary string order). */
export function memoryDecisionStore(): FullDecisionStore {
  const map = new Map<string, string>();
  const inputs = new Map<string, string>();
  const record = async (id: string): Promise<DecisionRecord | null> => {
    const s = map.get(id);
    return s ? toRecord(s, inputs.get(id) ?? 'null') : null;
  };
  return {
    async save(d, input, text) {
      map.set(d.decisionId, text ?? JSON.stringify(d));
      inputs.set(d.decisionId, JSON.stringify(input ?? null));
    },
    async get(id) {
      const s = map.get(id);
      return s ? (JSON.parse(s) as Decision) : null;
    },
    record,
    async getInput(id) {
      return (await record(id))?.input ?? null;
    },
    async list(q) {
      const sign = q.order === 'desc' ? -1 : 1;
      const cmp = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
        sign * (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
      const all = [...map.values()].map((s) => JSON.parse(s) as Decision)
        .filter((d) =>
          (q.jurisdiction === undefined || d.jurisdiction === q.jurisdiction) &&
          (q.verdict === undefined || d.verdict === q.verdict) &&
          (q.activity === undefined || d.project.activity === q.activity) &&
          (q.from === undefined || d.createdAt >= q.from) &&
          (q.to === undefined || d.createdAt < q.to) &&
          (!q.after || cmp({ createdAt: d.createdAt, id: d.decisionId }, q.after) > 0))
        .sort((a, b) => cmp({ createdAt: a.createdAt, id: a.decisionId }, { createdAt: b.createdAt, id: b.decisionId }));
      const page = all.slice(0, q.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((decision) => ({ decision, ...splitStoredInput(JSON.parse(inputs.get(decision.decisionId) ?? 'null')) })),
        next: all.length > q.limit && last ? { createdAt: last.createdAt, id: last.decisionId } : null,
      };
    },
    async ping() {
      return true;
    },
  };
}
