/**
 * What an uploaded site file contributed to a decision, recorded with its input (see UploadRecord in
 * decision-store.ts). readEvaluateRequest (api/routes/request-body.ts) hands back the file it read;
 * once the decision is made, POST /v1/evaluate describes it here: format, name, size, sha256, the
 * zone options, the parcels and CRS it declared, the warnings it added, and the file itself (base64)
 * when that fits the body limit. Replay adds the recorded warnings back, so a decision on an
 * uploaded file replays identically.
 */
import { sha256 } from '../../engine/hash.js';
import type { EvaluateRequestRead } from '../routes/request-body.js';
import type { UploadRecord } from './decision-store.js';

/**
 * The largest file kept (base64 bytes): the stored input, site included, must stay under D1's 2 MB
 * per value on the Worker.
 */
const MAX_STORED_FILE_BYTES = 1 << 20;

/** The record of the site file a request was read from; null for a JSON request. */
export async function uploadRecord(parsed: EvaluateRequestRead, maxBytes: number): Promise<UploadRecord | null> {
  const file = parsed.file;
  if (!file) return null;
  const { bytes, read } = file;
  const record: UploadRecord = {
    format: read.format,
    name: file.name,
    contentType: file.contentType,
    size: bytes.byteLength,
    sha256: await sha256(bytes),
    ...(Object.keys(file.options).length ? { options: file.options } : {}),
    warnings: parsed.warnings.map((w) => ({ ...w })),
    crs: read.crs,
    parcels: read.parcels.map((p) => ({ id: p.id, name: p.name, declaredAreaHa: p.declaredAreaHa, computedAreaHa: p.computedAreaHa })),
  };
  const encodedLength = Math.ceil(bytes.byteLength / 3) * 4;
  const cap = Math.min(maxBytes, MAX_STORED_FILE_BYTES);
  if (encodedLength <= cap) record.base64 = toBase64(bytes);
  else record.omitted = `原文件 base64 编码后 ${encodedLength} 字节，超过保存上限 ${cap} 字节，未保存原文件`;
  return record;
}

function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}
