/**
 * Multipolygons packed in typed arrays shared by a whole bundle: the coordinates of every vertex in
 * one Float64Array, rings and polygons as end offsets in two Uint32Arrays. 16 bytes a vertex and a
 * few words a polygon, against ≈ 72 bytes a vertex (and an object per array) for nested GeoJSON
 * arrays: what a county of two million vertices keeps in memory for its lifetime. The hot paths of
 * the overlay (engine/overlay/) read the packed form directly; anything else gets the nested form
 * back from `unpack`, rebuilt on demand (a bounded cache keeps the most recent ones).
 */
import { pointInFlatRing } from './planar.js';
import type { MultiPolygonCoords, Position } from './types.js';

/** The arrays many packed multipolygons share; appended to while a bundle loads, then trimmed. */
export class CoordinatePool {
  xy = new Float64Array(2048);
  /** Vertex index one past the last vertex of each ring (rings are stored one after another). */
  ringEnds = new Uint32Array(256);
  /** Ring index one past the last ring of each polygon (its first ring is the shell). */
  polyEnds = new Uint32Array(64);
  private nv = 0;
  private nr = 0;
  private np = 0;

  add(m: MultiPolygonCoords): PackedPolygons {
    const p0 = this.np;
    for (const poly of m) {
      for (const ring of poly) {
        if (2 * (this.nv + ring.length) > this.xy.length) this.xy = grow(this.xy, 2 * (this.nv + ring.length));
        for (const pt of ring) {
          this.xy[2 * this.nv] = pt[0];
          this.xy[2 * this.nv + 1] = pt[1];
          this.nv++;
        }
        if (this.nr >= this.ringEnds.length) this.ringEnds = grow(this.ringEnds, this.nr + 1);
        this.ringEnds[this.nr++] = this.nv;
      }
      if (this.np >= this.polyEnds.length) this.polyEnds = grow(this.polyEnds, this.np + 1);
      this.polyEnds[this.np++] = this.nr;
    }
    return new PackedPolygons(this, p0, this.np);
  }

  /** Drops the spare capacity (after the last add). */
  trim(): void {
    this.xy = this.xy.slice(0, 2 * this.nv);
    this.ringEnds = this.ringEnds.slice(0, this.nr);
    this.polyEnds = this.polyEnds.slice(0, this.np);
  }
}

function grow<T extends Float64Array | Uint32Array>(a: T, need: number): T {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

/** One multipolygon in a pool: polygons p0 … p1 − 1. */
export class PackedPolygons {
  constructor(readonly pool: CoordinatePool, readonly p0: number, readonly p1: number) {}

  /** A multipolygon packed on its own. */
  static pack(m: MultiPolygonCoords): PackedPolygons {
    return new CoordinatePool().add(m);
  }

  /** The shared coordinate array (x, y of vertex v at 2v, 2v + 1). */
  get xy(): Float64Array {
    return this.pool.xy;
  }

  /** First ring of polygon p (rings are numbered across the pool). */
  polyStart(p: number): number {
    return p === 0 ? 0 : this.pool.polyEnds[p - 1];
  }

  /** One past the last ring of polygon p. */
  polyEnd(p: number): number {
    return this.pool.polyEnds[p];
  }

  /** First vertex of ring r. */
  ringStart(r: number): number {
    return r === 0 ? 0 : this.pool.ringEnds[r - 1];
  }

  /** One past the last vertex of ring r. */
  ringEnd(r: number): number {
    return this.pool.ringEnds[r];
  }

  /** The rings of this multipolygon: r0 … r1 − 1. */
  get r0(): number {
    return this.p1 > this.p0 ? this.polyStart(this.p0) : 0;
  }

  get r1(): number {
    return this.p1 > this.p0 ? this.polyEnd(this.p1 - 1) : 0;
  }

  get vertexCount(): number {
    return this.p1 > this.p0 ? this.ringEnd(this.r1 - 1) - this.ringStart(this.r0) : 0;
  }

  /** The nested GeoJSON form (rebuilt, or the cached copy: read it, do not mutate it). */
  unpack(): MultiPolygonCoords {
    const hit = unpacked.get(this);
    if (hit) {
      // Most recently used last: the cache drops from the front.
      unpacked.delete(this);
      unpacked.set(this, hit);
      return hit;
    }
    const xy = this.xy;
    const out: MultiPolygonCoords = [];
    for (let p = this.p0; p < this.p1; p++) {
      const poly: Position[][] = [];
      for (let r = this.polyStart(p); r < this.polyEnd(p); r++) {
        const ring: Position[] = [];
        for (let v = this.ringStart(r); v < this.ringEnd(r); v++) ring.push([xy[2 * v], xy[2 * v + 1]]);
        poly.push(ring);
      }
      out.push(poly);
    }
    unpacked.set(this, out);
    unpackedVertices += this.vertexCount;
    while (unpackedVertices > UNPACKED_MAX_VERTICES && unpacked.size > 1) {
      const [oldest] = unpacked.keys();
      unpackedVertices -= oldest.vertexCount;
      unpacked.delete(oldest);
    }
    return out;
  }
}

/** Recently unpacked forms, by vertices held (≈ 72 bytes each: about 15 MB). */
const UNPACKED_MAX_VERTICES = 200_000;
const unpacked = new Map<PackedPolygons, MultiPolygonCoords>();
let unpackedVertices = 0;

/** 1 strictly inside, 0 on a boundary, -1 strictly outside (as polygon-locator.classify). */
export function classifyPacked(x: number, y: number, m: PackedPolygons): 1 | 0 | -1 {
  for (let p = m.p0; p < m.p1; p++) {
    const shell = m.polyStart(p), end = m.polyEnd(p);
    if (shell >= end) continue; // an empty polygon
    const s = pointInFlatRing(x, y, m.xy, m.ringStart(shell), m.ringEnd(shell));
    if (s === 0) return 0;
    if (s < 0) continue;
    let inHole = false;
    for (let h = shell + 1; h < end; h++) {
      const t = pointInFlatRing(x, y, m.xy, m.ringStart(h), m.ringEnd(h));
      if (t === 0) return 0;
      if (t > 0) { inHole = true; break; }
    }
    if (!inHole) return 1;
  }
  return -1;
}
