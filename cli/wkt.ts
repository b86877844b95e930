/**
 * A small WKT reader for `zoning batch` CSV files: POINT, LINESTRING, POLYGON and their MULTI forms
 * (Z / M / ZM accepted, extra ordinates dropped; an EWKT `SRID=…;` prefix is ignored) → GeoJSON.
 */
type Nested = number[] | Nested[];

export function parseWkt(input: string): { type: string; coordinates: unknown } {
  let s = input.trim();
  const srid = /^SRID=\d+;/i.exec(s);
  if (srid) s = s.slice(srid[0].length);
  const m = /^(POINT|LINESTRING|POLYGON|MULTIPOINT|MULTILINESTRING|MULTIPOLYGON)\s*(ZM|Z|M)?\s*/i.exec(s);
  if (!m) throw new Error(`不支持的 WKT 类型：${s.slice(0, 24)}`);
  const kind = m[1].toUpperCase();
  const rest = s.slice(m[0].length).trim();
  if (/^EMPTY$/i.test(rest)) throw new Error('WKT 几何为空（EMPTY）');
  let i = 0;
  const parseList = (): Nested => {
    if (rest[i] !== '(') throw new Error(`WKT 第 ${i + 1} 个字符处应为 "("`);
    i++;
    const items: Nested[] = [];
    for (;;) {
      while (rest[i] === ' ' || rest[i] === '\t' || rest[i] === '\n' || rest[i] === '\r') i++;
      if (rest[i] === '(') items.push(parseList());
      else {
        const start = i;
        while (i < rest.length && rest[i] !== ',' && rest[i] !== ')') i++;
        const nums = rest.slice(start, i).trim().split(/\s+/).map(Number);
        if (nums.length < 2 || nums.some((n) => !Number.isFinite(n))) throw new Error(`WKT 坐标无效："${rest.slice(start, i).trim()}"`);
        items.push([nums[0], nums[1]]);
      }
      while (rest[i] === ' ' || rest[i] === '\t' || rest[i] === '\n' || rest[i] === '\r') i++;
      if (rest[i] === ',') { i++; continue; }
      if (rest[i] === ')') { i++; break; }
      throw new Error(`WKT 第 ${i + 1} 个字符处应为 "," 或 ")"`);
    }
    return items as Nested;
  };
  const list = parseList();
  if (rest.slice(i).trim()) throw new Error('WKT 末尾有多余内容');
  const depth = (x: Nested): number => (typeof x[0] === 'number' ? 0 : 1 + depth(x[0] as Nested));
  const want: Record<string, [string, number]> = {
    POINT: ['Point', 1], LINESTRING: ['LineString', 1], POLYGON: ['Polygon', 2],
    MULTIPOINT: ['MultiPoint', 1], MULTILINESTRING: ['MultiLineString', 2], MULTIPOLYGON: ['MultiPolygon', 3],
  };
  const [type, d] = want[kind];
  // MULTIPOINT may be written with or without inner parentheses: MULTIPOINT (1 2, 3 4) / ((1 2), (3 4)).
  if (kind === 'MULTIPOINT' && depth(list) === 2) return { type, coordinates: (list as Nested[]).map((p) => (p as Nested[])[0]) };
  if (depth(list) !== d) throw new Error(`${kind} 的括号层数不对`);
  return { type, coordinates: kind === 'POINT' ? (list as Nested[])[0] : list };
}
