/**
 * pointInPolygons, bboxOf, bboxIntersects, and the purity of the geometry layer (it must run
 * unchanged on Node, in a Cloudflare Worker and in a browser).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bboxIntersects, bboxOf, pointInPolygons, type BBox, type MultiPolygonCoords, type Position } from '../../engine/geometry/index.js';
import { rect } from './helpers.js';

const holed: MultiPolygonCoords = [[rect(0, 0, 10, 10), rect(4, 4, 6, 6).reverse()], [rect(20, 0, 22, 2)]];

describe('pointInPolygons', () => {
  const cases: [string, Position, boolean][] = [
    ['interior', [1, 1], true],
    ['outside', [15, 5], false],
    ['on an outer edge', [10, 5], true],
    ['on an outer vertex', [0, 0], true],
    ['inside a hole', [5, 5], false],
    ['on a hole edge', [4, 5], true],
    ['on a hole vertex', [6, 6], true],
    ['in the second part', [21, 1], true],
    ['between parts', [15, 1], false],
    ['on the extension of an edge', [10, 12], false],
    ['far away', [-180, -90], false],
  ];
  for (const [name, p, want] of cases) it(name, () => expect(pointInPolygons(p, holed)).toBe(want));

  it('orientation does not matter', () => {
    const cw: MultiPolygonCoords = [[rect(0, 0, 10, 10).reverse(), rect(4, 4, 6, 6)]];
    expect(pointInPolygons([1, 1], cw)).toBe(true);
    expect(pointInPolygons([5, 5], cw)).toBe(false);
  });

  it('empty input', () => {
    expect(pointInPolygons([0, 0], [])).toBe(false);
    expect(pointInPolygons([0, 0], [[]])).toBe(false);
  });

  it('real coordinates: a point on a shared boundary of two parcels is in both', () => {
    const a: MultiPolygonCoords = [[rect(112.6, 26.9, 112.601, 26.901)]];
    const b: MultiPolygonCoords = [[rect(112.601, 26.9, 112.602, 26.901)]];
    expect(pointInPolygons([112.601, 26.9005], a)).toBe(true);
    expect(pointInPolygons([112.601, 26.9005], b)).toBe(true);
  });
});

describe('bboxOf / bboxIntersects', () => {
  it('works for points, lines, polygons and multipolygons', () => {
    expect(bboxOf([3, 4])).toEqual([3, 4, 3, 4]);
    expect(bboxOf([[0, 1], [2, -1]])).toEqual([0, -1, 2, 1]);
    expect(bboxOf([rect(0, 0, 2, 3)])).toEqual([0, 0, 2, 3]);
    expect(bboxOf(holed)).toEqual([0, 0, 22, 10]);
  });

  it('an empty input gives a box that intersects nothing', () => {
    const empty = bboxOf([]);
    expect(empty).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
    expect(bboxIntersects(empty, [-180, -90, 180, 90])).toBe(false);
  });

  const pairs: [string, BBox, BBox, boolean][] = [
    ['overlapping', [0, 0, 2, 2], [1, 1, 3, 3], true],
    ['touching at an edge', [0, 0, 1, 1], [1, 0, 2, 1], true],
    ['touching at a corner', [0, 0, 1, 1], [1, 1, 2, 2], true],
    ['contained', [0, 0, 10, 10], [2, 2, 3, 3], true],
    ['disjoint in x', [0, 0, 1, 1], [1.5, 0, 2, 1], false],
    ['disjoint in y', [0, 0, 1, 1], [0, 1.5, 1, 2], false],
    ['a point box inside', [0, 0, 1, 1], [0.5, 0.5, 0.5, 0.5], true],
  ];
  for (const [name, a, b, want] of pairs) {
    it(name, () => {
      expect(bboxIntersects(a, b)).toBe(want);
      expect(bboxIntersects(b, a)).toBe(want);
    });
  }
});

describe('purity: engine/geometry runs on Node, Workers and browsers', () => {
  const dir = new URL('../../engine/geometry/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
  const allowed = new Set(['martinez-polygon-clipping', 'geographiclib-geodesic', 'flatbush', '@turf/buffer', 'proj4', 'geojson']);
  for (const f of files) {
    it(`${f}: no node:* imports, no eval / new Function, only the allowed packages`, () => {
      const src = readFileSync(new URL(f, dir), 'utf8');
      const imports = [...src.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const spec of imports) {
        expect(spec.startsWith('node:'), spec).toBe(false);
        if (!spec.startsWith('.')) expect(allowed.has(spec), spec).toBe(true);
      }
      const code = src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, ''); // comments aside
      expect(code).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\brequire\s*\(|\bprocess\.|\bBuffer\./);
    });
  }
});
