/**
 * Writes 界址点坐标 TXT files for the tests from lon/lat polygons, with the independent Krüger
 * projection (helpers/kruger.ts), in the styles real files come in: [] or 【】 brackets, ASCII or
 * full-width commas, zone prefix or not, closing point repeated or not, CRLF or LF, blank lines
 * and trailing spaces. Outer rings are written clockwise on the map (surveying practice).
 */
import { ellipsoidalArea } from '../../../engine/geometry/index.js';
import { cm3, cm6, krugerForward } from './kruger.js';

export type LL = [number, number];

export interface ParcelSpec { rings: LL[][]; id?: string; name?: string; areaHa?: string | null; use?: string }

export interface SurveyStyle {
  zone: number;
  width: 3 | 6;
  prefix: boolean;
  /** Write 带号= in the header (default true). */
  headerZone?: boolean;
  /** Write 几度分带= in the header (default true). */
  headerWidth?: boolean;
  brackets?: '[]' | '【】';
  comma?: ',' | '，';
  eol?: '\r\n' | '\n';
  closing?: boolean;
  blankLines?: boolean;
  trailingSpaces?: boolean;
  /** 坐标系= value (default 2000国家大地坐标系). */
  crsName?: string;
  decimals?: number;
}

const open = (r: LL[]) => (r.length > 1 && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1] ? r.slice(0, -1) : r);

export function surveyText(parcels: ParcelSpec[], s: SurveyStyle): string {
  const [lb, rb] = s.brackets === '【】' ? ['【', '】'] : ['[', ']'];
  const c = s.comma ?? ',';
  const eol = s.eol ?? '\r\n';
  const sp = s.trailingSpaces ? '  ' : '';
  const dec = s.decimals ?? 3;
  const cm = s.width === 3 ? cm3(s.zone) : cm6(s.zone);
  const lines: string[] = [
    `${lb}属性描述${rb}`,
    '格式版本号=1.01版本',
    '数据产生单位=测试',
    '数据产生日期=2026-11-25',
    `坐标系=${s.crsName ?? '2000国家大地坐标系'}`,
    ...(s.headerWidth === false ? [] : [`几度分带=${s.width}`]),
    '投影类型=高斯克吕格',
    '计量单位=米',
    ...(s.headerZone === false ? [] : [`带号=${s.zone}`]),
    `精度=0.${'0'.repeat(dec - 1)}1`,
    '转换参数=,,,,,,',
    ...(s.blankLines ? [''] : []),
    `${lb}地块坐标${rb}`,
  ];
  parcels.forEach((p, k) => {
    const pts: string[] = [];
    let n = 0;
    p.rings.forEach((ring, r) => {
      const o = open(ring);
      const cw = r === 0 ? o.slice().reverse() : o.slice();
      const first = n + 1;
      const row = (name: number, [lon, lat]: LL) => {
        const g = krugerForward(lon, lat, cm);
        const y = s.prefix ? s.zone * 1e6 + g.y : g.y;
        return `J${name}${c}${r + 1}${c}${g.x.toFixed(dec)}${c}${y.toFixed(dec)}${sp}`;
      };
      for (const pt of cw) pts.push(row(++n, pt));
      if (s.closing !== false) pts.push(row(first, cw[0]));
      if (s.blankLines) pts.push('');
    });
    const area = p.areaHa === undefined ? (ellipsoidalArea(p.rings) / 1e4).toFixed(4) : p.areaHa ?? '';
    const count = pts.filter((l) => l).length;
    lines.push([count, area, p.id ?? String(k + 1), p.name ?? `地块${k + 1}`, '面', '', p.use ?? '工业用地', '', '@'].join(c) + sp, ...pts);
  });
  return lines.join(eol) + eol;
}
