/**
 * Bytes → text for site files: a UTF-8 BOM is dropped; UTF-16 with a BOM is honoured; otherwise
 * strict UTF-8 is tried first and GBK (GB 18030 superset, what Chinese Windows writes) is the
 * fallback. Uses only TextDecoder, so it runs in Node, Workers and browsers; a runtime whose
 * TextDecoder lacks GBK gives a clear error instead.
 *
 * `uncertain` says (in Chinese, for a warning) when the guess may be wrong: bytes that are valid
 * UTF-8 but whose non-ASCII text is only Latin/Greek/Cyrillic-range letters and that are valid GBK
 * too (the “联通” case: short GBK text that happens to be well-formed UTF-8); or a GBK fallback
 * with too little Chinese text to tell GBK from another legacy encoding (Big5…), or with
 * characters of GBK's user-defined areas.
 */
import { fileError } from './errors.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  bom: boolean;
  /** Why the detected encoding may be wrong; absent when it is reliable (a BOM, ASCII, clear UTF-8 or GBK). */
  uncertain?: string;
}

/** At least this many Chinese characters make a GBK fallback reliable. */
const GBK_MIN_HAN = 4;

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strict('utf-8', bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: strict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  let utf8: string | null = null;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // not UTF-8: GBK below
  }
  if (utf8 !== null) {
    // Non-ASCII text only in U+0080–U+07FF (two-byte UTF-8) that is valid GBK as well: maybe GBK.
    if (/[\u0080-\u07ff]/.test(utf8) && !/[\u0800-\uffff]/.test(utf8) && validGbk(bytes)) {
      return {
        text: utf8, encoding: 'utf-8', bom: false,
        uncertain: '文件按 UTF-8 解码，但其内容也是有效的 GBK 编码，编码判断可能有误（中文可能显示为乱码）；请核对，或将文件另存为 UTF-8（带 BOM）',
      };
    }
    return { text: utf8, encoding: 'utf-8', bom: false };
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gbk', { fatal: true });
  } catch {
    return fileError('/file', '文件不是 UTF-8 编码，而此运行环境不支持 GBK 解码：请将文件另存为 UTF-8 后再上传');
  }
  let text: string;
  try {
    // 0xFF is never part of a GBK / GB 18030 character; some ICU builds drop it silently instead of failing.
    if (bytes.includes(0xff)) throw new Error('0xFF');
    text = decoder.decode(bytes);
  } catch {
    return fileError('/file', '文件既不是有效的 UTF-8，也不是有效的 GBK 编码');
  }
  const han = text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
  if (/[\ue000-\uf8ff]/.test(text)) {
    return { text, encoding: 'gbk', bom: false, uncertain: '文件不是 UTF-8，已按 GBK 解码，但内容含有 GBK 自定义区的字符，文件可能是其他编码（如 Big5）；请核对，或将文件另存为 UTF-8' };
  }
  if (han < GBK_MIN_HAN) {
    return { text, encoding: 'gbk', bom: false, uncertain: `文件不是 UTF-8，已按 GBK 解码，但其中只有 ${han} 个汉字，无法可靠判断编码；请核对，或将文件另存为 UTF-8` };
  }
  return { text, encoding: 'gbk', bom: false };
}

function validGbk(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('gbk', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Decodes with a named encoding (a .cpg file's), falling back to decodeText when unknown. */
export function decodeWith(label: string | null, bytes: Uint8Array): string {
  if (label) {
    const l = label.trim().toLowerCase();
    const name = /^(936|cp936|gb2312|gbk|gb18030|ansi 936)$/.test(l) ? 'gbk' : /^(utf-?8|65001)$/.test(l) ? 'utf-8' : null;
    if (name) {
      try {
        return new TextDecoder(name).decode(bytes);
      } catch {
        // runtime without GBK: fall through
      }
    }
  }
  try {
    return decodeText(bytes).text;
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function strict(label: 'utf-8' | 'utf-16le' | 'utf-16be', bytes: Uint8Array): string {
  try {
    return new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fileError('/file', `文件以 ${label.toUpperCase()} 字节序标记开头，但内容不是有效的 ${label.toUpperCase()}`);
  }
}
