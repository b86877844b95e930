/**
 * What an uploaded site file contributed to a decision, recorded with its input (see UploadRecord in
 * decision-store.ts): POST /v1/evaluate reads the body once here, hands it to readEvaluateRequest
 * (api/routes/request-body.ts) unchanged, and — only once the decision is made — describes the
 * upload: format, name, size, sha256, the zone options, the parcels and CRS it declared, the
 * warnings it added, and the file itself (base64) when that fits the body limit. Replay adds the
 * recorded warnings back, so a decision on an uploaded file replays identically.
 */
import { sha256 } from '../../engine/hash.js';
import { detectSiteFormat, readSiteFile, type SiteFileOptions } from '../../engine/io/index.js';
import { parseEvaluateRequest, readBytes, UPLOAD_TYPES, type BodySource, type EvaluateRequestRead } from '../routes/request-body.js';
import type { UploadRecord } from './decision-store.js';

export interface EvaluateRequestWithUpload extends EvaluateRequestRead {
  /** The upload's record (null for a JSON request); computed on demand, after the evaluation. */
  upload(): Promise<UploadRecord | null>;
}

/**
 * The file name a raw site-file body is read as, by content type (request-body.ts); other content
 * types are named after their content (zip, JSON, text).
 */
const RAW_UPLOADS = UPLOAD_TYPES;

/**
 * The largest file kept (base64 bytes): the stored input, site included, must stay under D1's 2 MB
 * per value on the Worker.
 */
const MAX_STORED_FILE_BYTES = 1 << 20;

/** readEvaluateRequest, keeping the body's bytes to describe an uploaded site file afterwards. */
export async function readEvaluateRequestKeepingUpload(req: Request, maxBytes: number, source?: BodySource): Promise<EvaluateRequestWithUpload | Response> {
  const contentType = req.headers.get('content-type') ?? '';
  const media = contentType.split(';')[0].trim().toLowerCase();
  const query = new URL(req.url).searchParams;
  // A raw site file comes with the rest of the request in the query (jurisdiction… or request=):
  // without them the body can only be a JSON request, read as it always was, nothing kept.
  const bytes = await readBytes(req, maxBytes, source);
  if (bytes instanceof Response) return bytes;
  const parsed = await parseEvaluateRequest(req, bytes);
  if (parsed instanceof Response) return parsed;
  if (media !== 'multipart/form-data' && !query.has('jurisdiction') && !query.has('request')) return { ...parsed, upload: async () => null };
  return { ...parsed, upload: () => describeUpload(bytes, contentType, query, parsed, maxBytes) };
}

/** The record of the site file in a request body that readEvaluateRequest accepted; null when the body was a JSON request. */
export async function describeUpload(
  body: Uint8Array, contentType: string, query: URLSearchParams, parsed: EvaluateRequestRead, maxBytes: number,
): Promise<UploadRecord | null> {
  const media = contentType.split(';')[0].trim().toLowerCase();
  let file: Uint8Array;
  let name: string;
  let type: string | null;
  let field: (k: string) => string | undefined;
  if (media === 'multipart/form-data') {
    let form: FormData;
    try {
      form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData();
    } catch {
      return null;
    }
    const part = form.get('file');
    if (part === null) return null;
    if (typeof part === 'string') {
      file = new TextEncoder().encode(part);
      name = 'upload';
      type = null;
    } else {
      file = new Uint8Array(await part.arrayBuffer());
      name = (part as { name?: string }).name || 'upload';
      type = part.type || null;
    }
    field = (k) => {
      const v = form.get(k);
      return typeof v === 'string' ? v : query.get(k) ?? undefined;
    };
  } else {
    if (isRequestObject(body)) return null;
    file = body;
    name = RAW_UPLOADS[media] ?? (isZip(body) ? 'upload.zip' : firstChar(body) === '{' ? 'upload.geojson' : 'upload.txt');
    type = media || null;
    field = (k) => query.get(k) ?? undefined;
  }

  const options: SiteFileOptions = {};
  const zone = field('zone');
  if (zone !== undefined && zone !== '') options.zone = Number(zone);
  const width = field('zoneWidth');
  if (width === '3' || width === '6') options.zoneWidth = Number(width) as 3 | 6;

  const record: UploadRecord = {
    format: formatOf(file, name),
    name,
    contentType: type,
    size: file.byteLength,
    sha256: await sha256(file),
    ...(Object.keys(options).length ? { options } : {}),
    warnings: parsed.warnings.map((w) => ({ ...w })),
  };
  try {
    // Read again (it was read once already, so this succeeds) for what the file declared.
    const site = readSiteFile(file, name, options);
    record.format = site.format;
    record.crs = site.crs;
    record.parcels = site.parcels.map((p) => ({ id: p.id, name: p.name, declaredAreaHa: p.declaredAreaHa, computedAreaHa: p.computedAreaHa }));
  } catch {
    /* described without them */
  }
  const encodedLength = Math.ceil(file.byteLength / 3) * 4;
  const cap = Math.min(maxBytes, MAX_STORED_FILE_BYTES);
  if (encodedLength <= cap) record.base64 = toBase64(file);
  else record.omitted = `原文件 base64 编码后 ${encodedLength} 字节，超过保存上限 ${cap} 字节，未保存原文件`;
  return record;
}

/**
 * A body that is itself the JSON request: a JSON object without the `type` every GeoJSON object has
 * (the request schema allows no `type`).
 */
function isRequestObject(body: Uint8Array): boolean {
  if (firstChar(body) !== '{') return false;
  try {
    const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
    return typeof v === 'object' && v !== null && !Array.isArray(v) && !('type' in v);
  } catch {
    return false;
  }
}

const isZip = (b: Uint8Array) => b.length >= 2 && b[0] === 0x50 && b[1] === 0x4b;

/** The first character that is not whitespace or a byte-order mark (ASCII bytes suffice). */
function firstChar(b: Uint8Array): string {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i < b.length ? String.fromCharCode(b[i]) : '';
}

function formatOf(bytes: Uint8Array, name: string): string {
  if (isZip(bytes)) return 'shapefile';
  let text: string | null = null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    /* not UTF-8: a GBK survey file */
  }
  return detectSiteFormat(bytes, name, text);
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
