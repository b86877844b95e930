/**
 * `zoning batch` over CSV files as officers save them: Excel on Chinese Windows writes GBK. The CSV
 * is decoded with the site files' encoding detection, and a doubtful guess is warned about.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../cli/csv.js';
import { decodeCsv } from '../../cli/batch.js';
import { gbk } from '../io/helpers/gbk.js';
import { square, townshipSampler, zoning } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'zoning-cli-enc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NAMES = ['示范厂房一期', '物流仓库（北区）', '相市乡卫生院'];

function csvText(names: string[]): string {
  const sampler = townshipSampler(11);
  const lines = ['id,name,wkt'];
  names.forEach((n, i) => {
    const sq = square(sampler.point(), 40).coordinates[0].map((c) => `${c[0]} ${c[1]}`).join(', ');
    lines.push(`${i + 1},${n},"POLYGON ((${sq}))"`);
  });
  return lines.join('\r\n') + '\r\n';
}

describe('zoning batch: CSV encodings', () => {
  it('a GBK CSV keeps its Chinese names (no U+FFFD), without a warning', { timeout: 60_000 }, async () => {
    const input = join(dir, 'gbk.csv');
    writeFileSync(input, gbk(csvText(NAMES)));
    const out = join(dir, 'gbk-results.csv');
    const r = await zoning(['batch', input, '-j', 'demo-county', '-a', 'industrial', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const rows = parseCsv(readFileSync(out, 'utf8'));
    expect(rows.slice(1).map((x) => x[1])).toEqual(NAMES);
    expect(readFileSync(out, 'utf8')).not.toContain('\uFFFD');
    expect(r.stderr).not.toMatch(/编码/);
  });

  it('a GBK CSV with too little Chinese to be sure: read as GBK, with a warning naming the file', { timeout: 60_000 }, async () => {
    const input = join(dir, 'short.csv');
    writeFileSync(input, gbk(csvText(['厂', 'A2'])));
    const out = join(dir, 'short-results.csv');
    const r = await zoning(['batch', input, '-j', 'demo-county', '-a', 'industrial', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseCsv(readFileSync(out, 'utf8')).slice(1).map((x) => x[1])).toEqual(['厂', 'A2']);
    expect(r.stderr).toContain(`zoning: 注意：${input}：文件不是 UTF-8，已按 GBK 解码，但其中只有 1 个汉字，无法可靠判断编码`);
  });

  it('decodeCsv: UTF-8 (with or without BOM) is read as it is; bytes that are neither UTF-8 nor GBK are a clear error', () => {
    const warnings: string[] = [];
    const text = csvText(NAMES);
    expect(decodeCsv(new TextEncoder().encode(text), 'a.csv', (w) => warnings.push(w))).toBe(text);
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]), 'a.csv', (w) => warnings.push(w))).toBe(text);
    expect(warnings).toEqual([]);
    expect(() => decodeCsv(new Uint8Array([0x69, 0x64, 0x0a, 0xff, 0xff]), 'bad.csv', () => {})).toThrow(/bad\.csv：.*既不是有效的 UTF-8，也不是有效的 GBK/);
  });
});
