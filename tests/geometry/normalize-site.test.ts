/**
 * normalizeSite: valid fixtures (fixtures/valid/*.geojson + manifest.json), invalid fixtures
 * (fixtures/invalid/*.json, each with its expected status and error paths), adversarial inputs
 * that must never throw, and the speed of validating 100,000 vertices.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizeSite, type NormalizeOptions } from '../../engine/geometry/index.js';
import { ringSignedArea2 } from '../../engine/geometry/planar.js';
import { LAT0, LON0 } from './helpers.js';

const VALID = new URL('./fixtures/valid/', import.meta.url);
const INVALID = new URL('./fixtures/invalid/', import.meta.url);

interface ValidExpect {
  type: 'point' | 'polygon' | 'corridor';
  parts?: number;
  holes?: number;
  vertexCount?: number;
  areaM2?: number;
  warnings?: string[];
  noWarnings?: boolean;
  options?: NormalizeOptions;
  note?: string;
}
interface InvalidCase {
  note: string;
  status: 413 | 422;
  options?: NormalizeOptions;
  errors: { path?: string; includes?: string; excludes?: string }[];
  site: unknown;
}

describe('normalizeSite: valid fixtures', () => {
  const manifest = JSON.parse(readFileSync(new URL('manifest.json', VALID), 'utf8')) as Record<string, ValidExpect>;
  const files = readdirSync(VALID).filter((f) => f.endsWith('.geojson')).sort();
  it('every fixture is in the manifest', () => {
    expect(files.sort()).toEqual(Object.keys(manifest).sort());
  });
  for (const file of files) {
    const exp = manifest[file];
    it(`${file}${exp.note ? `: ${exp.note}` : ''}`, () => {
      const input = JSON.parse(readFileSync(new URL(file, VALID), 'utf8'));
      const r = normalizeSite(input, exp.options ?? {});
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      const { site, warnings } = r;
      expect(site.type).toBe(exp.type);
      if (exp.vertexCount !== undefined) expect(site.vertexCount).toBe(exp.vertexCount);
      if (exp.areaM2 !== undefined) expect(site.areaM2).toBeCloseTo(exp.areaM2, 3);
      for (const w of exp.warnings ?? []) expect(warnings.join('\n')).toContain(w);
      if (exp.noWarnings) expect(warnings).toEqual([]);
      if (site.type === 'point') {
        expect(site.point).not.toBeNull();
        expect(site.polygons).toEqual([]);
        expect(site.areaM2).toBe(0);
        expect(site.bbox).toEqual([site.point![0], site.point![1], site.point![0], site.point![1]]);
        return;
      }
      expect(site.point).toBeNull();
      expect(site.areaM2).toBeGreaterThan(0);
      if (exp.parts !== undefined) expect(site.polygons).toHaveLength(exp.parts);
      if (exp.holes !== undefined) expect(site.polygons.reduce((n, p) => n + p.length - 1, 0)).toBe(exp.holes);
      for (const poly of site.polygons) {
        poly.forEach((ring, i) => {
          expect(ring[0]).toEqual(ring[ring.length - 1]);
          for (const p of ring) expect(p).toHaveLength(2);
          expect(Math.sign(ringSignedArea2(ring)), `ring ${i} orientation`).toBe(i === 0 ? 1 : -1);
          for (let k = 1; k < ring.length; k++) expect(ring[k]).not.toEqual(ring[k - 1]);
        });
      }
      const [x0, y0, x1, y1] = site.bbox;
      for (const p of site.polygons.flat(2)) {
        expect(p[0]).toBeGreaterThanOrEqual(x0);
        expect(p[0]).toBeLessThanOrEqual(x1);
        expect(p[1]).toBeGreaterThanOrEqual(y0);
        expect(p[1]).toBeLessThanOrEqual(y1);
      }
      // normalizing the output again is stable
      const again = normalizeSite({ type: 'MultiPolygon', coordinates: site.polygons }, {});
      expect(again.ok).toBe(true);
      if (again.ok) expect(again.site.areaM2 / site.areaM2).toBeCloseTo(1, 9);
    });
  }

  it('a Feature and its bare geometry give the same site', () => {
    const g = { type: 'Polygon', coordinates: [[[LON0, LAT0], [LON0 + 0.001, LAT0], [LON0, LAT0 + 0.001], [LON0, LAT0]]] };
    expect(normalizeSite({ type: 'Feature', properties: null, geometry: g }, {})).toEqual(normalizeSite(g, {}));
  });

  it('does not mutate its input', () => {
    const g = { type: 'Polygon', coordinates: [[[LON0, LAT0], [LON0, LAT0 + 0.001], [LON0 + 0.001, LAT0], [LON0, LAT0], [LON0, LAT0]]] };
    const before = JSON.stringify(g);
    expect(normalizeSite(g, {}).ok).toBe(true);
    expect(JSON.stringify(g)).toBe(before);
  });
});

describe('normalizeSite: invalid fixtures', () => {
  for (const file of readdirSync(INVALID).filter((f) => f.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(new URL(file, INVALID), 'utf8')) as InvalidCase;
    it(`${file}: ${c.note}`, () => {
      const r = normalizeSite(c.site, c.options ?? {});
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.status).toBe(c.status);
      expect(r.errors.length).toBeGreaterThan(0);
      for (const e of r.errors) {
        expect(typeof e.path).toBe('string');
        expect(e.path === '' || e.path.startsWith('/')).toBe(true);
        expect(e.message).toMatch(/[\u4e00-\u9fff]/); // messages are Chinese
      }
      for (const want of c.errors) {
        const hit = r.errors.find((e) =>
          (want.path === undefined || e.path === want.path) &&
          (want.includes === undefined || e.message.includes(want.includes)) &&
          (want.excludes === undefined || !e.message.includes(want.excludes)));
        expect(hit, `expected ${JSON.stringify(want)} among ${JSON.stringify(r.errors)}`).toBeDefined();
      }
    });
  }
});

describe('normalizeSite: never throws', () => {
  const cyclic: Record<string, unknown> = { type: 'Polygon' };
  cyclic.coordinates = [cyclic];
  const throwing = { type: 'Point', get coordinates(): unknown { throw new Error('boom'); } };
  const deep: unknown[] = [];
  let cur = deep;
  for (let i = 0; i < 10000; i++) { const next: unknown[] = []; cur.push(next); cur = next; }
  const huge = new Array(2_000_000).fill(0);
  const adversarial: [string, unknown, NormalizeOptions?][] = [
    ['null', null], ['undefined', undefined], ['number', 42], ['NaN', NaN], ['string', 'Polygon'], ['boolean', true],
    ['empty object', {}], ['empty array', []], ['function', () => 1], ['symbol', Symbol('x')], ['bigint', 10n],
    ['type only', { type: 'Polygon' }], ['coordinates null', { type: 'Polygon', coordinates: null }],
    ['nested junk', { type: 'MultiPolygon', coordinates: [[[['a', {}], null, [[]], [1e308, -1e308]]], 5, 'x'] }],
    ['1e308', { type: 'Point', coordinates: [1e308, 1e308] }],
    ['NaN coordinates', { type: 'Polygon', coordinates: [[[NaN, NaN], [1, 1], [2, 0], [NaN, NaN]]] }],
    ['Infinity', { type: 'LineString', coordinates: [[Infinity, 0], [0, -Infinity]] }, { corridorWidthM: 10 }],
    ['huge width', { type: 'LineString', coordinates: [[LON0, LAT0], [LON0 + 0.01, LAT0]] }, { corridorWidthM: 1e308 }],
    ['NaN width', { type: 'LineString', coordinates: [[LON0, LAT0], [LON0 + 0.01, LAT0]] }, { corridorWidthM: NaN }],
    ['tiny width', { type: 'LineString', coordinates: [[LON0, LAT0], [LON0 + 0.01, LAT0]] }, { corridorWidthM: 1e-300 }],
    ['cyclic', cyclic], ['throwing getter', throwing],
    ['deeply nested', { type: 'MultiPolygon', coordinates: deep }],
    ['huge flat array', { type: 'LineString', coordinates: huge }, { corridorWidthM: 5 }],
    ['huge flat polygon', { type: 'Polygon', coordinates: huge }],
    ['feature of feature', { type: 'Feature', geometry: { type: 'Feature', geometry: { type: 'Point', coordinates: [0, 0] } } }],
    ['feature geometry array', { type: 'Feature', geometry: [] }],
    ['proxy', new Proxy({}, { get() { throw new Error('trap'); }, has() { throw new Error('trap'); } })],
    ['sparse array', { type: 'Polygon', coordinates: [new Array(5)] }],
    ['array-like', { type: 'Point', coordinates: { 0: 1, 1: 2, length: 2 } }],
    ['options null', { type: 'Point', coordinates: [0, 0] }, null as unknown as NormalizeOptions],
    ['maxVertices junk', { type: 'Point', coordinates: [0, 0] }, { maxVertices: -1 }],
    ['poles and antimeridian', { type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] }],
    ['denormals', { type: 'Polygon', coordinates: [[[0, 0], [5e-324, 0], [5e-324, 5e-324], [0, 0]]] }],
    ['long string type', { type: 'x'.repeat(1_000_000), coordinates: [] }],
  ];
  for (const [name, input, opts] of adversarial) {
    it(name, () => {
      let r: ReturnType<typeof normalizeSite> | undefined;
      expect(() => { r = normalizeSite(input, opts as NormalizeOptions); }).not.toThrow();
      expect(r).toBeDefined();
      if (r && !r.ok) {
        expect([413, 422]).toContain(r.status);
        expect(r.errors.length).toBeGreaterThan(0);
        expect(r.errors.length).toBeLessThanOrEqual(101);
        for (const e of r.errors) expect(e.message.length).toBeLessThan(400);
      }
    });
  }

  it('edges across the 180° meridian, and sites of zero ellipsoidal area, are 422 naming the place', () => {
    const band = normalizeSite({ type: 'Polygon', coordinates: [[[-180, 26.8], [180, 26.8], [180, 27], [-180, 27], [-180, 26.8]]] });
    expect(band.ok).toBe(false);
    if (!band.ok) {
      expect(band.status).toBe(422);
      expect(band.errors[0].path).toBe('/coordinates/0/1');
      expect(band.errors[0].message).toMatch(/180°/);
    }
    const world = normalizeSite({ type: 'Polygon', coordinates: [[[-180, -90], [180, -90], [180, 90], [-180, 90], [-180, -90]]] });
    expect(world.ok).toBe(false);
    // Near the meridian but not across it: an ordinary site.
    const east = normalizeSite({ type: 'Polygon', coordinates: [[[179.9, 10], [179.99, 10], [179.99, 10.1], [179.9, 10.1], [179.9, 10]]] });
    expect(east.ok).toBe(true);
  });

  it('huge flat array over the vertex limit is 413', () => {
    const r = normalizeSite({ type: 'LineString', coordinates: huge }, { corridorWidthM: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(413);
  });

  it('caps the number of reported issues', () => {
    const ring = Array.from({ length: 5000 }, () => ['x', 'y']);
    const r = normalizeSite({ type: 'Polygon', coordinates: [ring] }, {});
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.length).toBeLessThanOrEqual(101);
      expect(r.errors[r.errors.length - 1].message).toMatch(/另有|坐标值/);
    }
  });
});

describe('normalizeSite: 100,000 vertices', () => {
  /** A star polygon of n vertices around the test area (simple by construction). */
  function bigStar(n: number): number[][] {
    const ring: number[][] = [];
    for (let i = 0; i < n; i++) {
      const t = (i / n) * 2 * Math.PI;
      const r = 0.01 * (1 + 0.3 * Math.sin(3 * t) + 0.02 * Math.sin(200 * t) + 0.001 * Math.sin(i * 0.7));
      ring.push([LON0 + r * Math.cos(t), LAT0 + r * Math.sin(t)]);
    }
    ring.push(ring[0]);
    return ring;
  }

  it('validates a 99,999-vertex polygon quickly', () => {
    const site = { type: 'Polygon', coordinates: [bigStar(99_999)] };
    const t0 = performance.now();
    const r = normalizeSite(site, {});
    const ms = performance.now() - t0;
    expect(r.ok).toBe(true);
    console.log(`normalizeSite 100,000 vertices: ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(5000);
  });

  it('finds one crossing among 100,000 vertices', () => {
    const ring = bigStar(99_999);
    [ring[500], ring[501]] = [ring[501], ring[500]]; // swap two vertices: a local bow-tie
    const t0 = performance.now();
    const r = normalizeSite({ type: 'Polygon', coordinates: [ring] }, {});
    const ms = performance.now() - t0;
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0].path).toMatch(/^\/coordinates\/0\/(499|500|501)$/);
      expect(r.errors[0].message).toContain('环自相交');
    }
    expect(ms).toBeLessThan(5000);
  });

  it('100,001 vertices is 413 by default', () => {
    const r = normalizeSite({ type: 'Polygon', coordinates: [bigStar(100_000)] }, {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.status).toBe(413);
  });
});
