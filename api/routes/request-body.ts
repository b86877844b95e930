/**
 * Reads and checks the body of POST /v1/evaluate: size limit (413), then one of
 *
 * - a JSON request (contract §5): UTF-8 and JSON (400), the request schema (400);
 * - multipart/form-data with a part `file` (the site file) and either a part `request` (JSON:
 *   {jurisdiction, asOf?, project}) or fields jurisdiction, activity, asOf, name, applicant,
 *   attributes (a JSON object as a string); optional fields zone, zoneWidth;
 * - a raw site file, its format named by the content type (text/plain or
 *   application/x-zoning-survey: 界址点坐标 TXT; application/wkt; application/zip: zipped
 *   Shapefile; application/geo+json), the rest of the request in the query:
 *   ?jurisdiction=&activity=&asOf=&name=&applicant=&attributes=<JSON>&zone=&zoneWidth=
 *   (or ?request=<JSON {jurisdiction, asOf?, project}>&zone=&zoneWidth=). Also recognised by
 *   their content: a zip (PK\x03\x04) sent as application/octet-stream or without a content type
 *   is a zipped Shapefile; a GeoJSON object (Feature, FeatureCollection or a site geometry) sent as
 *   application/json while the query names the jurisdiction is a GeoJSON site file. A JSON body
 *   that is a request object stays a JSON request.
 * zone / zoneWidth override the Gauss-Krüger zone a file declares (or name it when it does not).
 *
 * A site file is read by engine/io into the GeoJSON site of an ordinary request, which then goes
 * through the same schema check; the file's problems are 422 with /file/line/N/field paths, its
 * warnings (declared area against ellipsoidal area…) come back to be added to the decision.
 * Returns the request object and those warnings, or the problem response.
 */
import { validateEvaluateRequest, type Warning } from '../../engine/index.js';
import { readSiteFile, SiteFileError, type SiteFileOptions, type SiteFileResult } from '../../engine/io/index.js';
import { problem } from '../problem.js';

export interface EvaluateRequestRead {
  body: unknown;
  /** Warnings of an uploaded site file, to be added to the decision's warnings. */
  warnings: Warning[];
  /** The site file the request was read from (absent for a JSON request): what its upload record describes. */
  file?: UploadedFile;
}

/** An uploaded site file as it was read. */
export interface UploadedFile {
  bytes: Uint8Array;
  /** The part's file name (multipart), or the name that told readSiteFile the format (raw body: upload.txt…). */
  name: string;
  /** The content type of the part or of the raw body. */
  contentType: string | null;
  /** The Gauss-Krüger zone overrides it was read with. */
  options: SiteFileOptions;
  read: SiteFileResult;
}

/** Content types of a raw site-file body → the file name that tells readSiteFile its format. */
const UPLOAD_TYPES: Record<string, string> = {
  'text/plain': 'upload.txt',
  'application/x-zoning-survey': 'upload.txt',
  'application/wkt': 'upload.wkt',
  'text/wkt': 'upload.wkt',
  'application/zip': 'upload.zip',
  'application/x-zip-compressed': 'upload.zip',
  'application/geo+json': 'upload.geojson',
};

const BAD_REQUEST = 'https://zoning.example/problems/bad-request';

/** Content types under which a body is sniffed for a zip signature. */
const OPAQUE_TYPES = new Set(['', 'application/octet-stream', 'binary/octet-stream']);
/** `type` of a JSON body that is a GeoJSON site file rather than a request object. */
const GEOJSON_TYPES = new Set(['Feature', 'FeatureCollection', 'Polygon', 'MultiPolygon', 'Point', 'LineString', 'MultiLineString']);

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export async function readEvaluateRequest(req: Request, maxBytes: number, source?: BodySource): Promise<EvaluateRequestRead | Response> {
  const bytes = await readBytes(req, maxBytes, source);
  if (bytes instanceof Response) return bytes;
  const contentType = req.headers.get('content-type') ?? '';
  const media = contentType.split(';')[0].trim().toLowerCase();
  const query = new URL(req.url).searchParams;
  if (media === 'multipart/form-data') return readMultipart(contentType, bytes, query);
  let filename = UPLOAD_TYPES[media];
  if (!filename && OPAQUE_TYPES.has(media) && isZip(bytes)) filename = 'upload.zip';
  if (!filename && media === 'application/json' && isGeoJsonUpload(bytes, query)) filename = 'upload.geojson';
  if (filename && !isJsonRequest(media, bytes, query)) {
    return readUpload(bytes, filename, media || null, (k) => query.get(k) ?? undefined, query.get('request') ?? undefined);
  }
  return readJsonRequest(bytes);
}

/** A text/plain or geo+json body that is a whole JSON request (as clients sent before uploads existed). */
function isJsonRequest(media: string, bytes: Uint8Array, query: URLSearchParams): boolean {
  if (media !== 'text/plain' && media !== 'application/geo+json') return false;
  if (query.has('jurisdiction')) return false;
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof v === 'object' && v !== null && !Array.isArray(v) && ('site' in v || 'project' in v);
  } catch {
    return false;
  }
}

/**
 * An application/json body that is a GeoJSON object (not a request: no site, no project) while the
 * query names the jurisdiction: the site file of an upload, as if sent as application/geo+json.
 */
function isGeoJsonUpload(bytes: Uint8Array, query: URLSearchParams): boolean {
  if (!query.has('jurisdiction') && !query.has('request')) return false;
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof v.type === 'string' && GEOJSON_TYPES.has(v.type) && !('site' in v) && !('project' in v);
  } catch {
    return false;
  }
}

function readJsonRequest(bytes: Uint8Array): EvaluateRequestRead | Response {
  const raw = decodeUtf8(bytes);
  if (raw instanceof Response) return raw;
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (e) {
    return problem(400, '请求体不是有效的 JSON', (e as Error).message, [{ path: '', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
  }
  const invalid = checkSchema(body);
  return invalid ?? { body, warnings: [] };
}

async function readMultipart(contentType: string, bytes: Uint8Array, query: URLSearchParams): Promise<EvaluateRequestRead | Response> {
  let form: FormData;
  try {
    form = await new Response(bytes as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
  } catch (e) {
    return problem(400, '表单无法解析', `multipart/form-data 请求体无法解析：${(e as Error).message}`, [{ path: '', message: 'multipart/form-data 无法解析' }], BAD_REQUEST);
  }
  const file = form.get('file');
  if (file === null) {
    return problem(400, '缺少用地文件', 'multipart/form-data 请求须有名为 file 的部分（用地文件）', [{ path: '/file', message: '缺少 file 部分' }], BAD_REQUEST);
  }
  let fileBytes: Uint8Array;
  let filename = 'upload';
  let fileType: string | null = null;
  if (typeof file === 'string') fileBytes = new TextEncoder().encode(file);
  else {
    fileBytes = new Uint8Array(await file.arrayBuffer());
    filename = (file as { name?: string }).name || 'upload';
    fileType = file.type || null;
  }
  const field = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v : query.get(k) ?? undefined;
  };
  return readUpload(fileBytes, filename, fileType, field, field('request'));
}

/** A site file plus the request's other members (from a `request` JSON or separate fields). */
function readUpload(
  bytes: Uint8Array, filename: string, contentType: string | null, field: (k: string) => string | undefined, requestJson: string | undefined,
): EvaluateRequestRead | Response {
  const opts: SiteFileOptions = {};
  const zone = field('zone');
  if (zone !== undefined && zone !== '') {
    if (!/^\d{1,3}$/.test(zone) || Number(zone) < 1 || Number(zone) > 120) return badField('/zone', `带号 zone 应为 1–120 的整数，实际为「${zone.slice(0, 20)}」`);
    opts.zone = Number(zone);
  }
  const width = field('zoneWidth');
  if (width !== undefined && width !== '') {
    if (width !== '3' && width !== '6') return badField('/zoneWidth', `zoneWidth 应为 3 或 6，实际为「${width.slice(0, 20)}」`);
    opts.zoneWidth = Number(width) as 3 | 6;
  }

  let body: Record<string, unknown>;
  if (requestJson !== undefined) {
    let r: unknown;
    try {
      r = JSON.parse(requestJson);
    } catch (e) {
      return problem(400, 'request 不是有效的 JSON', (e as Error).message, [{ path: '/request', message: (e as Error).message }], 'https://zoning.example/problems/bad-json');
    }
    if (typeof r !== 'object' || r === null || Array.isArray(r)) return badField('/request', 'request 应为 JSON 对象：{jurisdiction, asOf?, project}');
    if ('site' in r) return badField('/site', '上传了用地文件时 request 中不能再有 site');
    body = { ...(r as Record<string, unknown>) };
  } else {
    let attributes: unknown;
    const attrs = field('attributes');
    if (attrs !== undefined && attrs !== '') {
      try {
        attributes = JSON.parse(attrs);
      } catch {
        return badField('/project/attributes', 'attributes 应为 JSON 对象（URL 编码），例如 {"intendedUsers":2}');
      }
    }
    const project: Record<string, unknown> = {};
    const activity = field('activity');
    if (activity !== undefined) project.activity = activity;
    for (const k of ['name', 'applicant'] as const) {
      const v = field(k);
      if (v !== undefined && v !== '') project[k] = v;
    }
    if (attributes !== undefined) project.attributes = attributes;
    body = { project };
    const jurisdiction = field('jurisdiction');
    if (jurisdiction !== undefined) body.jurisdiction = jurisdiction;
    const asOf = field('asOf');
    if (asOf !== undefined && asOf !== '') body.asOf = asOf;
  }

  let site;
  try {
    site = readSiteFile(bytes, filename, opts);
  } catch (e) {
    if (e instanceof SiteFileError) return problem(e.status, e.title, e.detail, e.errors, e.type);
    const message = e instanceof Error ? e.message : String(e);
    return problem(422, '用地文件无法读取', message, [{ path: '/file', message }], 'https://zoning.example/problems/bad-site-file');
  }
  body.site = site.geometry;
  const invalid = checkSchema(body);
  if (invalid) return invalid;
  return {
    body,
    warnings: site.warningItems.map((w) => ({ code: `site-file-${w.code}`, message: w.message })),
    file: { bytes, name: filename, contentType, options: { ...opts }, read: site },
  };
}

function badField(path: string, message: string): Response {
  return problem(400, '请求不符合接口格式', message, [{ path, message }], BAD_REQUEST);
}

function checkSchema(body: unknown): Response | null {
  if (validateEvaluateRequest(body)) return null;
  const errors = (validateEvaluateRequest.errors ?? []).map((e) => ({
    path: e.instancePath + (e.params.missingProperty ? `/${String(e.params.missingProperty)}` : e.params.additionalProperty ? `/${String(e.params.additionalProperty)}` : ''),
    message: schemaMessage(e.keyword, e.message, e.params),
  }));
  return problem(400, '请求不符合接口格式', errors.map((e) => `${e.path || '/'}: ${e.message}`).join('；'), errors, BAD_REQUEST);
}

/** Reads the body as text within the size limit (413 beyond it, contract §6). */
export async function readBody(req: Request, limit: number): Promise<string | Response> {
  const bytes = await readBytes(req, limit);
  if (bytes instanceof Response) return bytes;
  return decodeUtf8(bytes);
}

/**
 * The body as the server received it, when it can be read directly (Node: the IncomingMessage
 * that @hono/node-server passes as c.env.incoming), sparing the web-stream adapter.
 */
export type BodySource = AsyncIterable<Uint8Array>;

/** The direct body source of a request, if the runtime offers one. */
export function bodySource(env: unknown): BodySource | undefined {
  const incoming = (env as { incoming?: unknown } | undefined)?.incoming;
  return incoming && typeof (incoming as BodySource)[Symbol.asyncIterator] === 'function' ? (incoming as BodySource) : undefined;
}

const incomplete = () => problem(400, '请求体不完整', '读取请求体时连接中断', [{ path: '', message: '请求体不完整' }], 'https://zoning.example/problems/bad-request');

/** Reads the body as bytes within the size limit (413 beyond it, contract §6). */
export async function readBytes(req: Request, limit: number, source?: BodySource): Promise<Uint8Array | Response> {
  const tooLarge = () => problem(413, '请求体过大', `请求体超过上限 ${limit} 字节`, [{ path: '', message: `上限 ${limit} 字节` }], 'https://zoning.example/problems/too-large');
  const declared = Number(req.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) return tooLarge();
  if (source && req.method !== 'GET' && req.method !== 'HEAD') {
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for await (const chunk of source) {
        size += chunk.byteLength;
        if (size > limit) return tooLarge();
        chunks.push(chunk);
      }
    } catch {
      // The client went away mid-body (ECONNRESET, aborted): nothing to answer, nothing to log.
      return incomplete();
    }
    return concat(chunks, size);
  }
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      return incomplete();
    }
    const { done, value } = chunk;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return tooLarge();
    }
    chunks.push(value);
  }
  return concat(chunks, size);
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(size);
  let o = 0;
  for (const ch of chunks) {
    bytes.set(ch, o);
    o += ch.byteLength;
  }
  return bytes;
}

function decodeUtf8(bytes: Uint8Array): string | Response {
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
    case 'maxLength': return `长度不得超过 ${String(params.limit)} 个字符`;
    case 'minLength': return `长度不得少于 ${String(params.limit)} 个字符`;
    case 'maxItems': return `不得多于 ${String(params.limit)} 项`;
    case 'minItems': return `不得少于 ${String(params.limit)} 项`;
    case 'maxProperties': return `字段不得多于 ${String(params.limit)} 个`;
    case 'maximum': case 'exclusiveMaximum': return `数值应${keyword === 'maximum' ? '不大于' : '小于'} ${String(params.limit)}`;
    case 'minimum': case 'exclusiveMinimum': return `数值应${keyword === 'minimum' ? '不小于' : '大于'} ${String(params.limit)}`;
    case 'enum': return `应为以下值之一：${(params.allowedValues as unknown[] | undefined)?.map((v) => JSON.stringify(v)).join('、') ?? ''}`;
    case 'const': return `应为 ${JSON.stringify(params.allowedValue)}`;
    case 'oneOf': case 'anyOf': return '不符合任何一种允许的形式';
    default: return `不符合请求格式（${message ?? keyword}）`;
  }
}
