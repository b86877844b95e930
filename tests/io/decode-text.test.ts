/** Encoding detection of site files and CSV (engine/io/decode-text.ts): which encoding, and when the guess is uncertain. */
import { describe, expect, it } from 'vitest';
import { decodeText } from '../../engine/io/decode-text.js';
import { gbk } from './helpers/gbk.js';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeText', () => {
  it('UTF-8 with Chinese text, ASCII, BOMs: reliable, no doubt raised', () => {
    for (const bytes of [utf8('id,name\n1,示范厂房\n'), utf8('id,wkt\n1,POINT (1 2)\n'), new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('编号')])]) {
      const d = decodeText(bytes);
      expect(d.encoding).toBe('utf-8');
      expect(d.uncertain).toBeUndefined();
    }
  });

  it('GBK with enough Chinese text: GBK, reliable', () => {
    const d = decodeText(gbk('id,name\n1,示范厂房\n2,物流仓库\n'));
    expect(d).toMatchObject({ encoding: 'gbk', text: 'id,name\n1,示范厂房\n2,物流仓库\n' });
    expect(d.uncertain).toBeUndefined();
  });

  it('GBK with too little Chinese text to tell: GBK, with a doubt', () => {
    const d = decodeText(gbk('id,name\n1,厂\n'));
    expect(d.encoding).toBe('gbk');
    expect(d.text).toBe('id,name\n1,厂\n');
    expect(d.uncertain).toMatch(/只有 1 个汉字，无法可靠判断编码/);
  });

  it('GBK bytes that are also well-formed UTF-8 (业 = D2 B5): UTF-8, with a doubt', () => {
    const bytes = gbk('id,name\n1,业\n');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).not.toThrow();
    const d = decodeText(bytes);
    expect(d.encoding).toBe('utf-8');
    expect(d.uncertain).toMatch(/也是有效的 GBK 编码/);
  });
});
