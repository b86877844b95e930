/**
 * `zoning batch <sites.geojson|sites.csv> --jurisdiction … --activity … [--out results.geojson|.csv] [--resume]`
 *
 * Evaluates every site in-process, one after another, and writes one result line per site as it
 * goes: a GeoJSON FeatureCollection whose features are newline-delimited lines (closed on completion
 * and on SIGINT/SIGTERM), or CSV rows. `--resume` reads what an interrupted run wrote (dropping a
 * half-written last line) and skips the ids already there. A site that fails is a row with its error.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, statSync, truncateSync, writeSync } from 'node:fs';
import { extname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { ATTRIBUTE_IDS, evaluateProject, InputProblem, type Bundle, type Decision, type EngineContext, type Verdict } from '../engine/index.js';
import { authorityName, constraintLabel, formatHa, padDisplay, verdictName } from '../report/format.js';
import { CliError, engineContext, parseValue } from './common.js';
import { decodeText, type DecodedText } from '../engine/io/decode-text.js';
import { csvLine, parseCsv } from './csv.js';
import { progress } from './progress.js';
import { readSite, type SiteReadOptions } from './site-file.js';
import { parseWkt } from './wkt.js';

export interface BatchOptions extends SiteReadOptions {
  input: string;
  bundle: Bundle;
  activity?: string;
  attributes: Record<string, string | number | boolean>;
  asOf?: string;
  out?: string;
  resume: boolean;
  force: boolean;
  progressEvery?: number;
  /** Streams, for tests and embedding. */
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export interface SiteItem {
  id: string;
  name: string | null;
  activity?: string;
  attributes: Record<string, string | number | boolean>;
  asOf?: string;
  geometry: unknown;
  /** Why the site could not even be read (bad WKT, no geometry); recorded as its error. */
  readError?: string;
}

/** One output row: the same columns in GeoJSON properties and in CSV. */
export interface ResultRow {
  id: string;
  name: string | null;
  activity: string | null;
  verdict: Verdict | null;
  verdictName: string | null;
  siteAreaM2: number | null;
  siteAreaHa: number | null;
  findings: string;
  kinds: string;
  approvals: string;
  conditions: number | null;
  questions: string;
  landSupply: string;
  decisionId: string | null;
  error: string | null;
}

const COLUMNS: (keyof ResultRow)[] = [
  'id', 'name', 'activity', 'verdict', 'verdictName', 'siteAreaM2', 'siteAreaHa', 'findings', 'kinds', 'approvals', 'conditions', 'questions', 'landSupply', 'decisionId', 'error',
];

// ─── reading the sites ────────────────────────────────────────────────────────────────────────────
const ATTR_SET = new Set(ATTRIBUTE_IDS);

export async function readSites(path: string, opts: BatchOptions, warn: (s: string) => void): Promise<SiteItem[]> {
  const ext = extname(path).toLowerCase();
  if (!existsSync(path)) throw new CliError(`找不到用地文件 ${path}`);
  if (ext === '.csv') return readCsvSites(decodeCsv(readFileSync(path), path, warn), opts, warn);
  if (ext === '.geojson' || ext === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new CliError(`${path} 不是有效的 JSON：${(e as Error).message}`);
    }
    return geojsonSites(doc, opts, path);
  }
  // Other formats (界址点坐标 .txt, .wkt, zipped Shapefile): one site per parcel, via engine/io.
  const site = await readSite(path, opts);
  for (const w of site.warnings) warn(w);
  return site.parcels.map((p) => ({ id: p.id, name: p.name, activity: opts.activity, attributes: { ...opts.attributes }, asOf: opts.asOf, geometry: p.geometry }));
}

export function geojsonSites(doc: unknown, opts: Pick<BatchOptions, 'activity' | 'attributes' | 'asOf'>, label = 'input'): SiteItem[] {
  const o = doc as { type?: string; features?: unknown[] };
  const features: unknown[] =
    o?.type === 'FeatureCollection' && Array.isArray(o.features) ? o.features : o?.type === 'Feature' ? [o] : o && typeof o.type === 'string' ? [{ type: 'Feature', properties: {}, geometry: o }] : [];
  if (!features.length) throw new CliError(`${label} 应为含要素的 GeoJSON FeatureCollection`);
  return features.map((f, i) => {
    const feat = (f ?? {}) as { id?: unknown; geometry?: unknown; properties?: Record<string, unknown> | null };
    const p = feat.properties && typeof feat.properties === 'object' ? feat.properties : {};
    const rawId = feat.id ?? p.id;
    const attributes: Record<string, string | number | boolean> = { ...opts.attributes };
    if (p.attributes && typeof p.attributes === 'object') Object.assign(attributes, p.attributes);
    for (const [k, v] of Object.entries(p)) if (ATTR_SET.has(k) && v !== null && v !== undefined && v !== '') attributes[k] = v as string | number | boolean;
    return {
      id: typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : String(i + 1),
      name: typeof p.name === 'string' ? p.name : null,
      activity: typeof p.activity === 'string' && p.activity ? p.activity : opts.activity,
      attributes,
      asOf: typeof p.asOf === 'string' && p.asOf ? p.asOf : opts.asOf,
      geometry: feat.geometry,
      readError: feat.geometry ? undefined : '要素没有几何（geometry 为空）',
    };
  });
}

/**
 * CSV bytes → text with the encoding detection of the site-file readers (BOM, UTF-8, else GBK, as
 * Excel on Chinese Windows saves CSV); a warning when the encoding may have been guessed wrong.
 */
export function decodeCsv(bytes: Uint8Array, label: string, warn: (s: string) => void): string {
  let decoded: DecodedText;
  try {
    decoded = decodeText(bytes);
  } catch (e) {
    throw new CliError(`${label}：${e instanceof InputProblem ? e.detail : (e as Error).message}`);
  }
  if (decoded.uncertain) warn(`${label}：${decoded.uncertain}`);
  return decoded.text;
}

export function readCsvSites(text: string, opts: Pick<BatchOptions, 'activity' | 'attributes' | 'asOf'>, warn: (s: string) => void): SiteItem[] {
  const rows = parseCsv(text);
  if (!rows.length) throw new CliError('CSV 文件为空');
  const header = rows[0].map((h) => h.trim());
  const col = (...names: string[]) => header.findIndex((h) => names.includes(h.toLowerCase()));
  const cId = col('id');
  const cName = col('name', '名称');
  const cAct = col('activity');
  const cAsOf = col('asof', 'as_of');
  const cWkt = col('wkt', 'geometry', 'geom');
  const cLon = col('lon', 'lng', 'longitude', 'x');
  const cLat = col('lat', 'latitude', 'y');
  if (cWkt < 0 && (cLon < 0 || cLat < 0)) throw new CliError(`CSV 需要 wkt 列，或 lon 和 lat 两列（表头：${header.join(',')}）`);
  const attrCols = header.map((h, i) => [h, i] as const).filter(([h]) => ATTR_SET.has(h));
  const used = new Set([cId, cName, cAct, cAsOf, cWkt, cLon, cLat, ...attrCols.map(([, i]) => i)]);
  const ignored = header.filter((h, i) => !used.has(i) && h !== '');
  if (ignored.length) warn(`CSV 中以下列不是已知的项目属性，已忽略：${ignored.join('、')}`);
  return rows.slice(1).map((r, n) => {
    const get = (i: number) => (i >= 0 && i < r.length ? r[i].trim() : '');
    const attributes: Record<string, string | number | boolean> = { ...opts.attributes };
    for (const [h, i] of attrCols) if (get(i) !== '') attributes[h] = parseValue(get(i));
    let geometry: unknown = null;
    let readError: string | undefined;
    try {
      if (cWkt >= 0 && get(cWkt)) geometry = parseWkt(get(cWkt));
      else {
        const lon = Number(get(cLon));
        const lat = Number(get(cLat));
        if (get(cLon) === '' || get(cLat) === '' || !Number.isFinite(lon) || !Number.isFinite(lat)) throw new Error(`经纬度无效：lon=${get(cLon)} lat=${get(cLat)}`);
        geometry = { type: 'Point', coordinates: [lon, lat] };
      }
    } catch (e) {
      readError = (e as Error).message;
    }
    return {
      id: get(cId) || String(n + 1),
      name: get(cName) || null,
      activity: get(cAct) || opts.activity,
      attributes,
      asOf: get(cAsOf) || opts.asOf,
      geometry,
      readError,
    };
  });
}

// ─── evaluating one site ──────────────────────────────────────────────────────────────────────────
export async function evaluateSite(ctx: EngineContext, bundle: Bundle, s: SiteItem, now: Date): Promise<ResultRow> {
  const base = { id: s.id, name: s.name, activity: s.activity ?? null };
  const failed = (error: string): ResultRow => ({
    ...base, verdict: null, verdictName: null, siteAreaM2: null, siteAreaHa: null, findings: '', kinds: '', approvals: '', conditions: null, questions: '', landSupply: '', decisionId: null, error,
  });
  if (s.readError) return failed(s.readError);
  if (!s.activity) return failed('缺少项目用途（activity）：在要素属性 / CSV 列中给出，或用 --activity 指定');
  let d: Decision;
  try {
    d = await evaluateProject(
      ctx,
      { jurisdiction: bundle.id, asOf: s.asOf, project: { ...(s.name ? { name: s.name } : {}), activity: s.activity, attributes: s.attributes }, site: s.geometry },
      { decisionId: randomUUID(), now },
    );
  } catch (e) {
    if (e instanceof InputProblem) return failed(`${e.title}：${e.detail}${e.errors[0]?.path ? `（${e.errors[0].path}）` : ''}`);
    return failed(`内部错误：${(e as Error).message}`);
  }
  return {
    ...base,
    verdict: d.verdict,
    verdictName: verdictName(d.verdict),
    siteAreaM2: Math.round(d.site.areaM2 * 100) / 100,
    siteAreaHa: Math.round(d.site.areaM2) / 10_000,
    findings: d.findings.map((f) => `${constraintLabel(f.kind, f.zone)} ${verdictName(f.verdict)}${f.overlapAreaM2 === null ? '' : ` ${formatHa(f.overlapAreaM2)}公顷`}`).join('；'),
    kinds: d.findings.map((f) => (f.zone ? `${f.kind}:${f.zone}` : f.kind)).join(','),
    approvals: d.approvals.map((a) => `${authorityName(a.authority)}：${a.action}`).join('；'),
    conditions: d.conditions.length,
    questions: d.questions.map((q) => q.attribute).join(','),
    landSupply: d.landSupply.map((l) => `${l.method}:${l.status}`).join(','),
    decisionId: d.decisionId,
    error: null,
  };
}

// ─── writers ──────────────────────────────────────────────────────────────────────────────────────
interface Prior { verdict: Verdict | null; siteAreaM2: number | null; error: string | null }

interface ResultWriter {
  /** Rows already in the output (resume), by id. */
  prior: Map<string, Prior>;
  write(row: ResultRow, geometry: unknown): void;
  /** Closes the output validly (GeoJSON: the FeatureCollection's closing). */
  close(): Promise<void>;
}

interface Sink { write(s: string): void; close(): Promise<void> }

function fileSink(path: string, append: boolean): Sink {
  const fd = openSync(path, append ? 'a' : 'w');
  let open = true;
  return {
    write: (s) => {
      if (open) writeSync(fd, s);
    },
    close: async () => {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

function streamSink(stream: NodeJS.WriteStream): Sink {
  let broken = false;
  stream.on('error', () => (broken = true));
  return {
    write: (s) => {
      if (!broken) stream.write(s);
    },
    close: () => new Promise<void>((resolve) => (broken || stream.writableLength === 0 ? resolve() : stream.once('drain', () => resolve()))),
  };
}

/** Reads back complete lines of an earlier run; returns them with the byte length they span. */
function completeLines(path: string): { lines: string[]; bytes: number } {
  const buf = readFileSync(path);
  const lastNl = buf.lastIndexOf(0x0a);
  if (lastNl < 0) return { lines: [], bytes: 0 };
  return { lines: buf.subarray(0, lastNl).toString('utf8').split('\n'), bytes: lastNl + 1 };
}

function geojsonWriter(path: string | null, header: Record<string, unknown>, mode: 'new' | 'resume', stdout: NodeJS.WriteStream): ResultWriter {
  const prior = new Map<string, Prior>();
  let count = 0;
  let sink: Sink;
  if (path && mode === 'resume' && existsSync(path) && statSync(path).size > 0) {
    const { lines, bytes } = completeLines(path);
    if (!lines.length || !lines[0].startsWith('{"type":"FeatureCollection"') || !lines[0].endsWith('"features":[')) {
      throw new CliError(`无法续跑：${path} 不是 zoning batch 写出的 GeoJSON（首行不符）`);
    }
    const head = JSON.parse(lines[0] + ']}') as Record<string, unknown>;
    if (head.bundleHash !== header.bundleHash) {
      throw new CliError(`无法续跑：${path} 由另一版本的数据包（${String(head.bundleHash)}）生成，当前为 ${String(header.bundleHash)}；请换一个输出文件`);
    }
    let keep = Buffer.byteLength(lines[0], 'utf8') + 1;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i];
      if (line === ']}') break;
      let f: { properties?: Record<string, unknown> };
      try {
        f = JSON.parse(line.startsWith(',') ? line.slice(1) : line);
      } catch {
        break; // a damaged line: everything from here is evaluated again
      }
      const p = f.properties ?? {};
      prior.set(String(p.id), { verdict: (p.verdict as Verdict) ?? null, siteAreaM2: (p.siteAreaM2 as number) ?? null, error: (p.error as string) ?? null });
      count++;
      keep += Buffer.byteLength(line, 'utf8') + 1;
    }
    if (keep < bytes || keep < statSync(path).size) truncateSync(path, keep);
    sink = fileSink(path, true);
  } else {
    sink = path ? fileSink(path, false) : streamSink(stdout);
    sink.write(`${JSON.stringify({ type: 'FeatureCollection', ...header, features: [] }).replace(/\]\}$/, '')}\n`);
  }
  return {
    prior,
    write(row, geometry) {
      const f = { type: 'Feature', id: row.id, geometry: geometry ?? null, properties: row };
      sink.write(`${count++ ? ',' : ''}${JSON.stringify(f)}\n`);
    },
    async close() {
      sink.write(']}\n');
      await sink.close();
    },
  };
}

function csvWriter(path: string | null, mode: 'new' | 'resume', stdout: NodeJS.WriteStream): ResultWriter {
  const prior = new Map<string, Prior>();
  const headerLine = csvLine(COLUMNS);
  let sink: Sink;
  if (path && mode === 'resume' && existsSync(path) && statSync(path).size > 0) {
    const { lines, bytes } = completeLines(path);
    if (!lines.length || `${lines[0]}\n` !== headerLine) throw new CliError(`无法续跑：${path} 不是 zoning batch 写出的 CSV（表头不符）`);
    let keep = Buffer.byteLength(lines[0], 'utf8') + 1;
    for (let i = 1; i < lines.length; i++) {
      const r = parseCsv(lines[i])[0];
      if (!r || r.length !== COLUMNS.length) break;
      const get = (k: keyof ResultRow) => r[COLUMNS.indexOf(k)];
      prior.set(get('id'), { verdict: (get('verdict') || null) as Verdict | null, siteAreaM2: get('siteAreaM2') ? Number(get('siteAreaM2')) : null, error: get('error') || null });
      keep += Buffer.byteLength(lines[i], 'utf8') + 1;
    }
    if (keep < bytes || keep < statSync(path).size) truncateSync(path, keep);
    sink = fileSink(path, true);
  } else {
    sink = path ? fileSink(path, false) : streamSink(stdout);
    sink.write(headerLine);
  }
  return {
    prior,
    write(row) {
      sink.write(csvLine(COLUMNS.map((k) => row[k])));
    },
    close: () => sink.close(),
  };
}

// ─── the run ──────────────────────────────────────────────────────────────────────────────────────
export interface BatchSummary {
  total: number;
  evaluated: number;
  skipped: number;
  interrupted: boolean;
  byVerdict: Record<string, { count: number; areaM2: number }>;
  errors: number;
  seconds: number;
  sitesPerSecond: number;
}

export async function runBatch(opts: BatchOptions): Promise<BatchSummary> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const warn = (s: string) => stderr.write(`zoning: 注意：${s}\n`);
  const outFormat = opts.out ? extname(opts.out).toLowerCase() : extname(opts.input).toLowerCase() === '.csv' ? '.csv' : '.geojson';
  if (!['.csv', '.geojson', '.json'].includes(outFormat)) throw new CliError(`--out 的扩展名应为 .geojson、.json 或 .csv，实际为 ${outFormat || '（无）'}`);
  if (opts.resume && !opts.out) throw new CliError('--resume 需要 --out 指定结果文件');
  if (opts.out && existsSync(opts.out) && !opts.resume && !opts.force && statSync(opts.out).size > 0) {
    throw new CliError(`结果文件 ${opts.out} 已存在：用 --resume 续跑，或用 --force 覆盖`);
  }

  const sites = await readSites(opts.input, opts, warn);
  // Ids key the resume: make them unique.
  const seen = new Map<string, number>();
  let dup = 0;
  for (const s of sites) {
    const n = seen.get(s.id) ?? 0;
    seen.set(s.id, n + 1);
    if (n) {
      s.id = `${s.id}#${n + 1}`;
      dup++;
    }
  }
  if (dup) warn(`${dup} 个用地编号重复，已加后缀 #2、#3… 区分`);

  const bundle = opts.bundle;
  const ctx = await engineContext(bundle);
  const header = {
    name: 'zoning batch',
    jurisdiction: bundle.id,
    bundleHash: bundle.hash,
    engineVersion: ctx.engineVersion,
    input: opts.input.split(/[\\/]/).pop(),
  };
  const mode = opts.resume ? 'resume' : 'new';
  const writer = outFormat === '.csv' ? csvWriter(opts.out ?? null, mode, stdout) : geojsonWriter(opts.out ?? null, header, mode, stdout);

  const todo = sites.filter((s) => !writer.prior.has(s.id));
  const skipped = sites.length - todo.length;
  if (skipped) stderr.write(`zoning: 续跑：${opts.out} 中已有 ${writer.prior.size} 个结果，跳过 ${skipped} 个用地\n`);

  const byVerdict: BatchSummary['byVerdict'] = {};
  let errors = 0;
  const tally = (p: Prior) => {
    if (p.error || !p.verdict) errors++;
    else {
      const v = (byVerdict[p.verdict] ??= { count: 0, areaM2: 0 });
      v.count++;
      v.areaM2 += p.siteAreaM2 ?? 0;
    }
  };
  const ids = new Set(sites.map((s) => s.id));
  for (const [id, p] of writer.prior) if (ids.has(id)) tally(p);

  let stop: NodeJS.Signals | null = null;
  const onSignal = (sig: NodeJS.Signals) => {
    if (stop) {
      // A second signal: the output is consistent line by line; close it and leave now.
      void writer.close().finally(() => process.exit(130));
      return;
    }
    stop = sig;
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const bar = progress(todo.length, { stream: stderr, everyPercent: opts.progressEvery });
  const t0 = performance.now();
  const now = new Date();
  let done = 0;
  let lastYield = performance.now();
  try {
    for (const s of todo) {
      if (stop) break;
      const row = await evaluateSite(ctx, bundle, s, now);
      writer.write(row, s.geometry);
      tally(row);
      done++;
      bar.tick(done);
      // Let signals and stream writes through now and then: the engine itself never waits.
      if (performance.now() - lastYield > 40) {
        await new Promise((r) => setImmediate(r));
        lastYield = performance.now();
      }
    }
  } finally {
    bar.end();
    await writer.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const seconds = (performance.now() - t0) / 1000;
  const summary: BatchSummary = {
    total: sites.length, evaluated: done, skipped, interrupted: !!stop, byVerdict, errors, seconds, sitesPerSecond: done / Math.max(seconds, 1e-3),
  };
  (opts.out ? stdout : stderr).write(summaryText(summary, opts.out));
  return summary;
}

export function summaryText(s: BatchSummary, out: string | undefined): string {
  const lines: string[] = [];
  const written = s.skipped + s.evaluated;
  lines.push(
    s.interrupted
      ? `批量判定已中断：本次判定 ${s.evaluated} 个，结果文件共 ${written}/${s.total} 个用地${out ? `；用 --resume 续跑：zoning batch … --out ${out} --resume` : ''}`
      : `批量判定完成：共 ${s.total} 个用地${s.skipped ? `（续跑跳过 ${s.skipped} 个）` : ''}，本次判定 ${s.evaluated} 个，用时 ${s.seconds.toFixed(1)} 秒（${s.sitesPerSecond.toFixed(0)} 个/秒）`,
  );
  const rows: [string, string, string][] = [['判定', '数量', '用地面积（公顷）']];
  let n = 0;
  let area = 0;
  for (const v of ['allowed', 'conditional', 'forbidden'] as const) {
    const x = s.byVerdict[v] ?? { count: 0, areaM2: 0 };
    rows.push([`${verdictName(v)}（${v}）`, String(x.count), formatHa(x.areaM2)]);
    n += x.count;
    area += x.areaM2;
  }
  rows.push(['出错（error）', String(s.errors), '—']);
  rows.push(['合计', String(n + s.errors), formatHa(area)]);
  for (const [a, b, c] of rows) lines.push(`  ${padDisplay(a, 28)}${padDisplay(b, 8, 'right')}  ${padDisplay(c, 16, 'right')}`);
  if (out) lines.push(`结果已写入 ${out}`);
  return lines.join('\n') + '\n';
}
