/**
 * A small WKT / EWKT reader: POINT, LINESTRING, POLYGON, MULTILINESTRING, MULTIPOLYGON (Z/M
 * ordinates dropped), an optional `SRID=4490;` prefix, and several geometries one after another
 * (one a line, or separated by `;`), which become parcels of one site. Errors name the line and
 * column (`第 1 行第 45 列：…`, path /file/line/1/column/45).
 */
import { fileError, IssueCollector } from './errors.js';
import { guessTransform, transformFromEpsg, type CoordTransform } from './crs.js';
import { areaHaOf, combineParcels, orientPolygon } from './polygons.js';
import type { LonLat, SiteFileOptions, SiteFileResult, SiteGeometry, SiteParcel } from './types.js';

interface Token { kind: 'word' | 'num' | 'punct'; text: string; line: number; col: number }

type Raw = [number, number, Token];
type RawGeom =
  | { type: 'Point'; c: Raw }
  | { type: 'LineString'; c: Raw[] }
  | { type: 'MultiLineString'; c: Raw[][] }
  | { type: 'Polygon'; c: Raw[][] }
  | { type: 'MultiPolygon'; c: Raw[][][] };

const where = (t: Token) => ({ path: `/file/line/${t.line}/column/${t.col}`, prefix: `第 ${t.line} 行第 ${t.col} 列：` });

class WktSyntaxError extends Error {
  constructor(public readonly token: Token, message: string) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') {
      line += 1;
      col = 1;
      i += 1;
      continue;
    }
    if (/\s/.test(c)) {
      i += 1;
      col += 1;
      continue;
    }
    const start = { line, col };
    const m = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i, i + 64)) ?? (/^[A-Za-z_]+/.exec(text.slice(i, i + 64)));
    if (m && m[0].length) {
      const kind = /^[A-Za-z_]/.test(m[0]) ? 'word' : 'num';
      tokens.push({ kind, text: m[0], ...start });
      i += m[0].length;
      col += m[0].length;
      continue;
    }
    if ('(),;='.includes(c)) {
      tokens.push({ kind: 'punct', text: c, ...start });
      i += 1;
      col += 1;
      continue;
    }
    throw new WktSyntaxError({ kind: 'punct', text: c, ...start }, `无法识别的字符「${c}」`);
  }
  return tokens;
}

class Parser {
  private i = 0;
  constructor(private readonly t: Token[], private readonly end: Token) {}
  peek(): Token | undefined {
    return this.t[this.i];
  }
  next(what: string): Token {
    const tok = this.t[this.i];
    if (!tok) throw new WktSyntaxError(this.end, `WKT 意外结束：缺少${what}`);
    this.i += 1;
    return tok;
  }
  expect(p: string): Token {
    const tok = this.next(`「${p}」`);
    if (tok.text !== p) throw new WktSyntaxError(tok, `应为「${p}」，实际为「${tok.text}」`);
    return tok;
  }
  done(): boolean {
    return this.i >= this.t.length;
  }
  number(): number {
    const tok = this.next('坐标数值');
    if (tok.kind !== 'num') throw new WktSyntaxError(tok, `应为坐标数值，实际为「${tok.text}」`);
    return Number(tok.text);
  }
  position(): Raw {
    const first = this.peek() ?? this.end;
    const x = this.number();
    const y = this.number();
    let extra = 0;
    while (this.peek()?.kind === 'num') {
      this.number();
      extra += 1;
      if (extra > 2) throw new WktSyntaxError(first, '一个坐标最多 4 个数值（x y z m）');
    }
    return [x, y, first];
  }
  list<T>(item: () => T): T[] {
    this.expect('(');
    const out = [item()];
    while (this.peek()?.text === ',') {
      this.i += 1;
      out.push(item());
    }
    this.expect(')');
    return out;
  }
  geometry(): RawGeom {
    const tok = this.next('几何类型');
    if (tok.kind !== 'word') throw new WktSyntaxError(tok, `应为几何类型（POLYGON、MULTIPOLYGON、POINT、LINESTRING），实际为「${tok.text}」`);
    const type = tok.text.toUpperCase();
    let dim = this.peek();
    if (dim?.kind === 'word' && /^(Z|M|ZM)$/i.test(dim.text)) {
      this.i += 1;
      dim = this.peek();
    }
    if (dim?.kind === 'word' && dim.text.toUpperCase() === 'EMPTY') throw new WktSyntaxError(dim, `${type} EMPTY：几何对象为空`);
    const ring = () => this.list(() => this.position());
    switch (type) {
      case 'POINT': {
        this.expect('(');
        const c = this.position();
        this.expect(')');
        return { type: 'Point', c };
      }
      case 'LINESTRING': return { type: 'LineString', c: ring() };
      case 'POLYGON': return { type: 'Polygon', c: this.list(ring) };
      case 'MULTILINESTRING': return { type: 'MultiLineString', c: this.list(ring) };
      case 'MULTIPOLYGON': return { type: 'MultiPolygon', c: this.list(() => this.list(ring)) };
      case 'MULTIPOINT': case 'GEOMETRYCOLLECTION': case 'POLYHEDRALSURFACE': case 'TIN': case 'TRIANGLE':
        throw new WktSyntaxError(tok, `不支持的几何类型 ${type}：应为 POLYGON、MULTIPOLYGON、POINT、LINESTRING 或 MULTILINESTRING`);
      default:
        throw new WktSyntaxError(tok, `未知的几何类型「${tok.text}」`);
    }
  }
}

export function readWkt(text: string, opts: SiteFileOptions = {}): SiteFileResult {
  const lines = text.split('\n');
  const end: Token = { kind: 'punct', text: '', line: lines.length, col: lines[lines.length - 1].length + 1 };
  const geoms: RawGeom[] = [];
  let srid: { code: number; tok: Token } | null = null;
  try {
    const p = new Parser(tokenize(text), end);
    while (!p.done()) {
      const tok = p.peek()!;
      if (tok.text === ';' || tok.text === ',') {
        p.next('');
        continue;
      }
      if (tok.kind === 'word' && tok.text.toUpperCase() === 'SRID') {
        p.next('SRID');
        p.expect('=');
        const n = p.next('SRID 编号');
        if (n.kind !== 'num' || !/^\d+$/.test(n.text)) throw new WktSyntaxError(n, `SRID 应为整数，实际为「${n.text}」`);
        srid = { code: Number(n.text), tok: n };
        continue;
      }
      geoms.push(p.geometry());
    }
  } catch (e) {
    if (e instanceof WktSyntaxError) {
      const w = where(e.token);
      return fileError(w.path, w.prefix + e.message);
    }
    throw e;
  }
  if (geoms.length === 0) return fileError('/file', '文件中没有 WKT 几何对象');

  let tr: CoordTransform;
  if (srid) {
    const t = transformFromEpsg(srid.code);
    if (!t) {
      const w = where(srid.tok);
      return fileError(w.path, `${w.prefix}不支持的坐标系 SRID=${srid.code}：应为 4490（CGCS2000 经纬度）或 4491–4554（CGCS2000 高斯-克吕格）`);
    }
    tr = t;
  } else {
    const all: Raw[] = geoms.flatMap((g) => flatten(g));
    const guess = guessTransform(all.map((r) => r[0]), all.map((r) => r[1]), opts);
    if (typeof guess === 'string') return fileError('/file', guess);
    tr = guess;
  }
  const issues = new IssueCollector();
  const conv = (r: Raw): LonLat => {
    const out = tr.toLonLat(r[0], r[1]);
    if (typeof out === 'string') {
      const w = where(r[2]);
      issues.at(w.path, w.prefix + out);
      return [NaN, NaN];
    }
    return out;
  };
  const ring = (rs: Raw[]): LonLat[] => {
    const r = rs.map(conv);
    if (r.length && (r[0][0] !== r[r.length - 1][0] || r[0][1] !== r[r.length - 1][1])) r.push([r[0][0], r[0][1]]);
    return r;
  };
  const poly = (rs: Raw[][]): LonLat[][] => {
    const rings = rs.map(ring).map((r) => r.slice(0, -1));
    return orientPolygon(rings, rings.map((r) => r.map(() => 0))).rings;
  };
  const parcels: SiteParcel[] = geoms.map((g, k) => {
    let geometry: SiteGeometry;
    switch (g.type) {
      case 'Point': geometry = { type: 'Point', coordinates: conv(g.c) }; break;
      case 'LineString': geometry = { type: 'LineString', coordinates: g.c.map(conv) }; break;
      case 'MultiLineString': geometry = { type: 'MultiLineString', coordinates: g.c.map((l) => l.map(conv)) }; break;
      case 'Polygon': geometry = { type: 'Polygon', coordinates: poly(g.c) }; break;
      case 'MultiPolygon': geometry = { type: 'MultiPolygon', coordinates: g.c.map(poly) }; break;
    }
    return { id: String(k + 1), name: null, declaredAreaHa: null, computedAreaHa: null, geometry };
  });
  issues.throwIfAny();
  for (const p of parcels) p.computedAreaHa = areaHaOf(p.geometry);
  const geometry = combineParcels(parcels);
  if (!geometry) return fileError('/file', '文件中的几何对象类型不一致：多个几何对象须同为面或同为线（点只能有一个）');
  return { geometry, parcels, warnings: tr.warnings.map((w) => w.message), warningItems: [...tr.warnings], format: 'wkt', crs: tr.crs };
}

function flatten(g: RawGeom): Raw[] {
  switch (g.type) {
    case 'Point': return [g.c];
    case 'LineString': return g.c;
    case 'MultiLineString': case 'Polygon': return g.c.flat();
    case 'MultiPolygon': return g.c.flat(2);
  }
}

