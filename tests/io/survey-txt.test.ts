/** The 界址点坐标 TXT reader and writer (engine/io), on the committed fixtures and generated variants. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSiteFile, SiteFileError, writeSurveyTxt, type SiteFileResult } from '../../engine/io/index.js';
import { ellipsoidalArea } from '../../engine/geometry/index.js';
import { maxVertexErrorM } from './helpers/compare.js';
import { surveyText, type LL, type SurveyStyle } from './helpers/survey-file.js';
import { BOM_FILES, fixtureFiles, HOLE, SURVEY_DIR, TWO } from './make-fixtures.js';

const fixture = (name: string) => new Uint8Array(readFileSync(join(SURVEY_DIR, name)));
const utf8 = (s: string) => new TextEncoder().encode(s);
const read = (text: string, opts = {}) => readSiteFile(utf8(text), 'site.txt', opts);
const holeRings: LL[][] = HOLE.site.coordinates;
const twoPolys: LL[][][] = TWO.site.coordinates;
const ONE_CM = 0.01;

/** The error a file gives (fails when it reads). */
function errorOf(text: string | Uint8Array, opts = {}): SiteFileError {
  try {
    readSiteFile(typeof text === 'string' ? utf8(text) : text, 'site.txt', opts);
  } catch (e) {
    expect(e).toBeInstanceOf(SiteFileError);
    return e as SiteFileError;
  }
  throw new Error('the file was read without error');
}

describe('fixtures/survey', () => {
  it('are what tests/io/make-fixtures.ts writes', () => {
    for (const [name, text] of Object.entries(fixtureFiles())) {
      if (name.endsWith('.utf8.txt')) {
        // the GBK file: not UTF-8, and GBK-decoded it is the generated text
        const bytes = fixture(name.replace('.utf8.txt', '.txt'));
        expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();
        expect(new TextDecoder('gbk').decode(bytes)).toBe(text);
        continue;
      }
      expect(readFileSync(join(SURVEY_DIR, name), 'utf8')).toBe(BOM_FILES.has(name) ? '\uFEFF' + text : text);
    }
  });

  it('3° zone 38 with a hole (UTF-8, prefix): the same polygon as its GeoJSON twin within 1 cm', () => {
    const r = readSiteFile(fixture('factory-hole-zone38.txt'), 'factory-hole-zone38.txt');
    const twin = JSON.parse(readFileSync(join(SURVEY_DIR, 'factory-hole-zone38.geojson'), 'utf8'));
    expect(r.format).toBe('survey-txt');
    expect(r.crs).toEqual({ kind: 'gauss-kruger', zone: 38, zoneWidth: 3, prefixed: true, epsg: 4526, centralMeridian: 114 });
    expect(r.geometry.type).toBe('Polygon');
    expect((r.geometry.coordinates as LL[][]).length).toBe(2);
    expect(maxVertexErrorM(r.geometry, twin.geometry)).toBeLessThan(ONE_CM);
    expect(r.warnings).toEqual([]);
    expect(r.parcels).toHaveLength(1);
    expect(r.parcels[0]).toMatchObject({ id: 'GY-01', name: '厂区（保留街头游园）', declaredAreaHa: 5.6568 });
    expect(Math.abs(r.parcels[0].computedAreaHa! - 5.6568)).toBeLessThan(1e-4);
  });

  it('the GBK file (【】, full-width commas, no prefix, no closing points, blank lines, trailing spaces) gives the same polygon', () => {
    const r = readSiteFile(fixture('factory-hole-zone38-gbk.txt'), 'factory-hole-zone38-gbk.txt');
    const twin = JSON.parse(readFileSync(join(SURVEY_DIR, 'factory-hole-zone38.geojson'), 'utf8'));
    expect(r.crs).toMatchObject({ zone: 38, zoneWidth: 3, prefixed: false, epsg: 4547 });
    expect(maxVertexErrorM(r.geometry, twin.geometry)).toBeLessThan(ONE_CM);
    expect(r.parcels[0].name).toBe('厂区（保留街头游园）');
    expect(r.warnings).toEqual([]);
  });

  it('6° zone 19, two parcels, UTF-8 with BOM: a MultiPolygon equal to its FeatureCollection twin, parcels apart', () => {
    const bytes = fixture('two-parcels-zone19-6deg.txt');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const r = readSiteFile(bytes, 'two-parcels-zone19-6deg.txt');
    const twin = JSON.parse(readFileSync(join(SURVEY_DIR, 'two-parcels-zone19-6deg.geojson'), 'utf8'));
    expect(r.crs).toMatchObject({ zone: 19, zoneWidth: 6, prefixed: false, epsg: 4508, centralMeridian: 111 });
    expect(r.geometry.type).toBe('MultiPolygon');
    expect(maxVertexErrorM(r.geometry, { type: 'MultiPolygon', coordinates: twin.features.map((f: any) => f.geometry.coordinates) })).toBeLessThan(ONE_CM);
    expect(r.parcels.map((p) => [p.id, p.name])).toEqual([['SY-01', '商业网点1'], ['SY-02', '商业网点2']]);
    r.parcels.forEach((p, i) => expect(maxVertexErrorM(p.geometry, twin.features[i].geometry)).toBeLessThan(ONE_CM));
  });
});

describe('zones and conventions', () => {
  const site = [{ rings: holeRings }];
  const cases: [string, SurveyStyle, object, Record<string, unknown>][] = [
    ['3° zone 38, prefix', { zone: 38, width: 3, prefix: true }, {}, { zone: 38, zoneWidth: 3, epsg: 4526 }],
    ['3° zone 38, no prefix', { zone: 38, width: 3, prefix: false }, {}, { zone: 38, zoneWidth: 3, epsg: 4547 }],
    ['6° zone 19, prefix', { zone: 19, width: 6, prefix: true }, {}, { zone: 19, zoneWidth: 6, epsg: 4497 }],
    ['6° zone 19, no prefix', { zone: 19, width: 6, prefix: false }, {}, { zone: 19, zoneWidth: 6, epsg: 4508 }],
    ['3° zone 38 from the prefix alone (no 带号, no 几度分带)', { zone: 38, width: 3, prefix: true, headerZone: false, headerWidth: false }, {}, { zone: 38, zoneWidth: 3 }],
    ['6° zone 19 from the prefix alone (width implied by the zone number)', { zone: 19, width: 6, prefix: true, headerZone: false, headerWidth: false }, {}, { zone: 19, zoneWidth: 6 }],
    ['no zone anywhere: the caller names it', { zone: 38, width: 3, prefix: false, headerZone: false }, { zone: 38 }, { zone: 38, zoneWidth: 3 }],
    ['6° without header: the caller names zone and width', { zone: 19, width: 6, prefix: false, headerZone: false, headerWidth: false }, { zone: 19, zoneWidth: 6 }, { zone: 19, zoneWidth: 6 }],
    ['LF, 【】, full-width commas', { zone: 38, width: 3, prefix: true, eol: '\n', brackets: '【】', comma: '，' }, {}, { zone: 38 }],
    ['no closing points, blank lines, trailing spaces', { zone: 38, width: 3, prefix: true, closing: false, blankLines: true, trailingSpaces: true }, {}, { zone: 38 }],
  ];
  for (const [name, style, opts, crs] of cases) {
    it(name, () => {
      const r = read(surveyText(site, style), opts);
      expect(r.crs).toMatchObject(crs);
      expect(maxVertexErrorM(r.geometry, HOLE.site)).toBeLessThan(ONE_CM);
      expect(r.warnings).toEqual([]);
    });
  }

  it('UTF-16LE with a BOM (Windows Notepad "Unicode"); a parcel line without its "@"', () => {
    const text = surveyText(site, { zone: 38, width: 3, prefix: true });
    const u16 = new Uint8Array(2 + 2 * text.length);
    u16.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) u16.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + 2 * i);
    expect(maxVertexErrorM(readSiteFile(u16, 'site.txt').geometry, HOLE.site)).toBeLessThan(ONE_CM);
    expect(maxVertexErrorM(read(text.replace(',,@\r\n', ',,\r\n')).geometry, HOLE.site)).toBeLessThan(ONE_CM);
  });

  it('CR-only line ends and 4-decimal coordinates', () => {
    const r = read(surveyText(site, { zone: 38, width: 3, prefix: true, decimals: 4 }).replace(/\r\n/g, '\r'));
    expect(maxVertexErrorM(r.geometry, HOLE.site)).toBeLessThan(0.001);
  });

  it('a zone override that contradicts the header is applied and said', () => {
    // the file says 37 (wrong); the officer knows it is 38
    const text = surveyText(site, { zone: 38, width: 3, prefix: false }).replace('带号=38', '带号=37');
    const r = read(text, { zone: 38 });
    expect(maxVertexErrorM(r.geometry, HOLE.site)).toBeLessThan(ONE_CM);
    expect(r.warningItems.map((w) => w.code)).toEqual(['zone-override']);
  });

  it('several parcels, each with a hole: a MultiPolygon, holes clockwise, outers counter-clockwise', () => {
    const shift = (r: LL[], d: number): LL[] => r.map(([x, y]) => [x + d, y]);
    const parcels = [{ rings: holeRings }, { rings: holeRings.map((r) => shift(r, 0.004)) }];
    const r = read(surveyText(parcels, { zone: 38, width: 3, prefix: true }));
    expect(r.geometry.type).toBe('MultiPolygon');
    expect(r.parcels).toHaveLength(2);
    expect(maxVertexErrorM(r.geometry, { type: 'MultiPolygon', coordinates: parcels.map((p) => p.rings) })).toBeLessThan(ONE_CM);
    const signed = (ring: LL[]) => ring.slice(1).reduce((s, p, i) => s + (ring[i][0] - p[0]) * (ring[i][1] + p[1]), 0);
    for (const poly of r.geometry.coordinates as LL[][][]) {
      expect(signed(poly[0])).toBeGreaterThan(0); // this sum is positive for counter-clockwise
      expect(signed(poly[1])).toBeLessThan(0);
    }
  });
});

describe('overlapping parcels', () => {
  const square = twoPolys[0][0];
  const shifted = square.map(([x, y]) => [x + 0.0002, y + 0.0001] as LL);

  it('are merged into one site with a warning naming the parcels (地块编号, 名称, line), not JSON pointers', () => {
    const r = read(surveyText([{ rings: [square], id: 'A-01', name: '甲地块' }, { rings: [shifted], id: 'A-02', name: '乙地块' }], { zone: 38, width: 3, prefix: true }));
    expect(r.warningItems).toEqual([{ code: 'parcels-overlap', message: '第 13 行的地块 A-01（甲地块）与第 19 行的地块 A-02（乙地块）相互重叠或共边，已合并为一个用地范围计算' }]);
    expect(r.warnings.join()).not.toMatch(/\/coordinates/);
    // the merged site: one polygon, the area of the union; the parcels stay apart
    expect(r.geometry.type).toBe('Polygon');
    const a = r.parcels[0].computedAreaHa!;
    const both = a + r.parcels[1].computedAreaHa!;
    const merged = ellipsoidalArea(r.geometry.coordinates as LL[][]) / 1e4;
    expect(merged).toBeGreaterThan(a);
    expect(merged).toBeLessThan(both);
    expect(r.parcels.map((p) => p.id)).toEqual(['A-01', 'A-02']);
  });

  it('parcels sharing an edge are merged too; parcels apart are not', () => {
    const east = Math.max(...square.map((p) => p[0]));
    const west = Math.min(...square.map((p) => p[0]));
    const neighbour = square.map(([x, y]) => [x + (east - west), y] as LL);
    const r = read(surveyText([{ rings: [square] }, { rings: [neighbour] }], { zone: 38, width: 3, prefix: true }));
    expect(r.warningItems.map((w) => w.code)).toEqual(['parcels-overlap']);
    expect(r.warnings[0]).toMatch(/^第 13 行的地块 1（地块1）与第 19 行的地块 2（地块2）相互重叠或共边/);
    const apart = read(surveyText([{ rings: [square] }, { rings: [square.map(([x, y]) => [x + 0.01, y] as LL)] }], { zone: 38, width: 3, prefix: true }));
    expect(apart.warnings).toEqual([]);
    expect(apart.geometry.type).toBe('MultiPolygon');
  });
});

describe('declared area', () => {
  const one = (areaHa: string | null) => surveyText([{ rings: holeRings, areaHa }], { zone: 38, width: 3, prefix: true });

  it('within 0.1 % (and rounding): no warning', () => {
    expect(read(one('5.6568')).warnings).toEqual([]);
    expect(read(one('5.66')).warnings).toEqual([]); // 0.06 %
    expect(read(one('')).warnings).toEqual([]); // nothing declared
    expect(read(one('')).parcels[0].declaredAreaHa).toBeNull();
  });

  it('above 0.1 %: a warning with both figures', () => {
    const r = read(one('5.70'));
    expect(r.warningItems).toHaveLength(1);
    expect(r.warningItems[0].code).toBe('area-mismatch');
    expect(r.warnings[0]).toMatch(/第 13 行：地块 1（地块1）申报面积 5\.7 公顷与按界址点计算的椭球面积 5\.6568 公顷相差 \+0\.76%/);
  });

  it('a declared Gauss plane area far from the central meridian is recognised as such', () => {
    // moved to 113.9°E, 2.9° from the meridian of 6° zone 19 (111°E): the Gauss plane area is
    // ~0.2 % larger than the ellipsoidal one (scale factor ≈ 1 + (Δλ cos φ)² / 2 ≈ 1.00102)
    const far: LL[][] = holeRings.map((r) => r.map(([x, y]) => [x + 1.3, y] as LL));
    const ell = read(surveyText([{ rings: far }], { zone: 19, width: 6, prefix: false })).parcels[0].computedAreaHa!;
    const declared = (ell * 1.002).toFixed(4);
    const r = read(surveyText([{ rings: far, areaHa: declared }], { zone: 19, width: 6, prefix: false }));
    expect(r.warningItems[0]?.code).toBe('area-mismatch');
    expect(r.warnings[0]).toMatch(/高斯平面面积 [\d.]+ 公顷相符/);
  });
});

describe('errors name the line and the field', () => {
  const good = surveyText([{ rings: holeRings }], { zone: 38, width: 3, prefix: true });
  const lines = good.split('\r\n');
  const edit = (lineNo: number, f: (l: string) => string) => lines.map((l, i) => (i === lineNo - 1 ? f(l) : l)).join('\r\n');

  it('a Y that is not a number', () => {
    const e = errorOf(edit(15, (l) => l.replace(/,[^,]+$/, ',38361abc.5')));
    expect(e.status).toBe(422);
    expect(e.errors).toEqual([{ path: '/file/line/15/Y', message: '第 15 行：Y 坐标「38361abc.5」不是数值' }]);
  });

  it('an X that is empty, a 圈号 that is not an integer, a short line', () => {
    const text = edit(14, (l) => l.replace(/,(\d+\.\d+),/, ',,')).split('\r\n');
    text[15] = text[15].replace(/^J(\d),1,/, 'J$1,a,');
    text[16] = 'J4,1,2977133.931';
    const e = errorOf(text.join('\r\n'));
    expect(e.errors.map((x) => x.path)).toEqual(['/file/line/14/X', '/file/line/16/圈号', '/file/line/17/Y']);
    expect(e.errors[2].message).toBe('第 17 行：坐标行缺少字段 Y：应有 4 个字段（点号,圈号,X,Y），实际 3 个');
  });

  it('a short point line names the first missing field: 2 fields → X (and Y), 1 field → 圈号', () => {
    const two = errorOf(edit(15, (l) => l.split(',').slice(0, 2).join(',')));
    expect(two.errors).toEqual([{ path: '/file/line/15/X', message: '第 15 行：坐标行缺少字段 X、Y：应有 4 个字段（点号,圈号,X,Y），实际 2 个' }]);
    const one = errorOf(edit(15, () => 'J2'));
    expect(one.errors[0].path).toBe('/file/line/15/圈号');
    expect(one.errors[0].message).toMatch(/^第 15 行：坐标行缺少字段 圈号、X、Y：/);
  });

  it('point lines with extra columns (高程, 备注) are read with a warning naming the lines', () => {
    const one = read(edit(15, (l) => `${l},56.210`));
    expect(maxVertexErrorM(one.geometry, HOLE.site)).toBeLessThan(ONE_CM);
    expect(one.warningItems).toEqual([{ code: 'extra-fields', message: '第 15 行：坐标行有 5 个字段，多于 4 个（点号,圈号,X,Y）；已按前 4 个字段读取，其余字段已忽略' }]);
    // every point line with 高程 and 备注: one warning, the first lines named
    const all = read(lines.map((l, i) => (i >= 13 && l ? `${l},56.2,界桩` : l)).join('\r\n'));
    expect(maxVertexErrorM(all.geometry, HOLE.site)).toBeLessThan(ONE_CM);
    expect(all.warningItems).toHaveLength(1);
    expect(all.warnings[0]).toMatch(/^第 14、15、16、17、18 行等 \d+ 个坐标行：坐标行有 6 个字段/);
    // a trailing comma is no extra column
    expect(read(edit(15, (l) => `${l},`)).warnings).toEqual([]);
  });

  it('an extra column that looks like a coordinate makes X/Y ambiguous: an error naming the line', () => {
    // 序号,点号,圈号,X,Y — shifted columns: the 5th field is a coordinate
    const e = errorOf(edit(15, (l) => l.replace(/^J2,1,([\d.]+),([\d.]+)$/, '2,J2,1,$1,$2')));
    expect(e.errors[0].path).toBe('/file/line/15/Y');
    expect(e.errors[0].message).toMatch(/^第 15 行：坐标行有 5 个字段，第 5 个字段「38\d+\.\d+」也像坐标值，无法确定 X、Y/);
    // X,Y repeated after Y (a converted copy): ambiguous too
    expect(errorOf(edit(16, (l) => `${l},2977100.000,38361400.000`)).errors[0].path).toBe('/file/line/16/Y');
  });

  it('a zone prefix that contradicts 带号', () => {
    const e = errorOf(edit(16, (l) => l.replace(',38361', ',39361')));
    expect(e.errors).toEqual([{ path: '/file/line/16/Y', message: '第 16 行：Y 坐标 39361400.544 的带号前缀 39 与带号 38 不符' }]);
  });

  it('X and Y swapped', () => {
    const e = errorOf(edit(14, (l) => l.replace(/,([\d.]+),([\d.]+)$/, ',$2,$1')));
    expect(e.errors[0].path).toBe('/file/line/14/X');
    expect(e.errors[0].message).toMatch(/X、Y 坐标疑似颠倒/);
  });

  it('a bad 界址点数 and 地块面积 on the parcel line', () => {
    const e = errorOf(edit(13, (l) => l.replace(/^10,5\.6568,/, 'ten,5.6x,')));
    expect(e.errors.map((x) => x.path)).toEqual(['/file/line/13/界址点数', '/file/line/13/地块面积']);
  });

  it('a hole outside the outer ring', () => {
    const far: LL[][] = [holeRings[0], holeRings[1].map(([x, y]) => [x + 0.01, y] as LL)];
    const e = errorOf(surveyText([{ rings: far }], { zone: 38, width: 3, prefix: true }));
    expect(e.errors[0].path).toBe('/file/line/19/圈号');
    expect(e.errors[0].message).toMatch(/内圈（圈号 2）有界址点位于外圈之外/);
  });

  it('a ring of fewer than 3 points; a ring number that comes back', () => {
    const short = lines.filter((_, i) => i !== 14 && i !== 15).join('\r\n'); // J2, J3 gone
    expect(errorOf(short).errors[0]).toMatchObject({ path: '/file/line/14/圈号' });
    const back = [...lines.slice(0, 19), 'J9,1,2977373.982,38361103.143', ...lines.slice(19)].join('\r\n');
    expect(errorOf(back).errors[0]).toMatchObject({ path: '/file/line/20/圈号', message: '第 20 行：圈号 1 不连续：同一圈的界址点应连续排列' });
  });

  it('a self-intersecting outer ring: the engine validation mapped to the line', () => {
    // swap J2 and J3 of a square: a bow tie
    const bow = surveyText([{ rings: [twoPolys[0][0]] }], { zone: 38, width: 3, prefix: true }).split('\r\n');
    [bow[14], bow[15]] = [bow[15].replace('J3', 'J2'), bow[14].replace('J2', 'J3')];
    const e = errorOf(bow.join('\r\n'));
    expect(e.errors[0].path).toMatch(/^\/file\/line\/1[4-7]$/);
    expect(e.errors[0].message).toMatch(/^第 1[4-7] 行：地块 1 第 1 圈：/);
  });

  it('no zone anywhere', () => {
    const e = errorOf(surveyText([{ rings: holeRings }], { zone: 38, width: 3, prefix: false, headerZone: false }));
    expect(e.errors[0].path).toBe('/file/header/带号');
  });

  it('a bad 几度分带, an unsupported projection, a point before any parcel, text that is not the format', () => {
    expect(errorOf(good.replace('几度分带=3', '几度分带=5')).errors[0].path).toBe('/file/line/6/几度分带');
    expect(errorOf(good.replace('投影类型=高斯克吕格', '投影类型=兰伯特')).errors[0].path).toBe('/file/line/7/投影类型');
    expect(errorOf(good.replace(/\[地块坐标\]\r\n[^\r\n]+@/, '[地块坐标]')).errors[0].path).toBe('/file/line/13');
    expect(errorOf('hello\nworld').errors[0]).toEqual({ path: '/file/line/1', message: '第 1 行：应为节标题 [属性描述] 或 [地块坐标]' });
    expect(errorOf(new Uint8Array([0xff, 0xfe, 0x00])).errors[0].path).toBe('/file'); // a UTF-16 BOM, then not UTF-16
  });

  it('an empty file; a header without parcels', () => {
    expect(errorOf(new Uint8Array(0)).errors[0].message).toBe('文件为空');
    expect(errorOf(good.split('[地块坐标]')[0] + '[地块坐标]\r\n').errors[0].message).toBe('[地块坐标] 节中没有地块');
  });

  it('never throws anything but SiteFileError on mangled input', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let k = 0; k < 300; k++) {
      const chars = [...good];
      for (let m = 0; m < 3; m++) chars[Math.floor(rnd() * chars.length)] = ',@[]1.\n-９，'[Math.floor(rnd() * 10)];
      try {
        read(chars.join(''));
      } catch (e) {
        expect(e).toBeInstanceOf(SiteFileError);
      }
    }
  });
});

describe('writeSurveyTxt', () => {
  const roundTrip = (g: any, opts: Parameters<typeof writeSurveyTxt>[1]) => {
    const out = writeSurveyTxt(g, opts);
    const r: SiteFileResult = read(out.text);
    return { out, r, err: maxVertexErrorM(r.geometry, g) };
  };

  it('round-trips a polygon with a hole in its own zone (3°, prefix) within 1 cm; CRLF, closing points, no warnings', () => {
    const { out, r, err } = roundTrip(HOLE.site, { name: '厂区', date: '2026-11-25' });
    expect(out).toMatchObject({ zone: 38, zoneWidth: 3, prefixed: true, epsg: 4526 });
    expect(err).toBeLessThan(ONE_CM);
    expect(out.text.split('\r\n').slice(0, 12)).toEqual([
      '[属性描述]', '格式版本号=1.01版本', '数据产生单位=', '数据产生日期=2026-11-25', '坐标系=2000国家大地坐标系', '几度分带=3',
      '投影类型=高斯克吕格', '计量单位=米', '带号=38', '精度=0.001', '转换参数=,,,,,,', '[地块坐标]',
    ]);
    expect(out.text).not.toMatch(/[^\r]\n/);
    expect(out.text.split('\r\n')[12]).toMatch(/^10,5\.6568,1,厂区,面,,,,@$/);
    expect(r.warnings).toEqual([]);
  });

  it('round-trips in 6° zones and without the prefix, and several parcels', () => {
    for (const opts of [{ zoneWidth: 6 as const }, { zone: 38, prefix: false }, { zone: 19, zoneWidth: 6 as const, prefix: false }]) {
      expect(roundTrip(HOLE.site, opts).err).toBeLessThan(ONE_CM);
      expect(roundTrip(TWO.site, opts).err).toBeLessThan(ONE_CM);
    }
    expect(roundTrip(TWO.site, {}).r.parcels).toHaveLength(2);
  });

  it('refuses points and zones far from the site', () => {
    expect(() => writeSurveyTxt({ type: 'Point', coordinates: [112.6, 26.9] })).toThrow(/不是面状用地/);
    expect(() => writeSurveyTxt(HOLE.site, { zone: 40 })).toThrow(/中央子午线/);
    expect(() => writeSurveyTxt(HOLE.site, { zone: 0 })).toThrow(/带号/);
  });

  it('the largest round-trip error over many random polygons is under 1 mm', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let worst = 0;
    for (let k = 0; k < 40; k++) {
      const cx = 112.55 + rnd() * 0.1;
      const cy = 26.85 + rnd() * 0.1;
      const n = 3 + Math.floor(rnd() * 12);
      const ring: LL[] = [];
      for (let i = 0; i < n; i++) {
        const a = (2 * Math.PI * i) / n;
        const rad = 0.002 + rnd() * 0.002;
        ring.push([cx + rad * Math.cos(a), cy + rad * Math.sin(a)]);
      }
      ring.push(ring[0]);
      for (const opts of [{}, { zoneWidth: 6 as const }, { prefix: false }]) {
        worst = Math.max(worst, roundTrip({ type: 'Polygon', coordinates: [ring] }, opts).err);
      }
    }
    expect(worst).toBeLessThan(0.001);
  });
});
