/**
 * Bytes → text for site files: a UTF-8 BOM is dropped; UTF-16 with a BOM is honoured; otherwise
 * strict UTF-8 is tried first and GBK (GB 18030 superset, what Chinese Windows writes) is the
 * fallback. Uses only TextDecoder, so it runs in Node, Workers and browsers; a runtime whose
 * TextDecoder lacks GBK gives a clear error instead.
 */
import { fileError } from './errors.js';

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'gbk';

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncodingName; bom: boolean } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: strict('utf-8', bytes.subarray(3)), encoding: 'utf-8', bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: strict('utf-16le', bytes.subarray(2)), encoding: 'utf-16le', bom: true };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: strict('utf-16be', bytes.subarray(2)), encoding: 'utf-16be', bom: true };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes), encoding: 'utf-8', bom: false };
  } catch {
    // not UTF-8: GBK below
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder('gbk', { fatal: true });
  } catch {
    return fileError('/file', '文件不是 UTF-8 编码，而此运行环境不支持 GBK 解码：请将文件另存为 UTF-8 后再上传');
  }
  try {
    return { text: decoder.decode(bytes), encoding: 'gbk', bom: false };
  } catch {
    return fileError('/file', '文件既不是有效的 UTF-8，也不是有效的 GBK 编码');
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
