/**
 * Splits a large polygon into pieces of at most `maxVertices` vertices by halving its bounding box
 * (the idea of PostGIS ST_Subdivide). Pieces partition the polygon: their areas add up to its area,
 * so a small site is clipped against a few dozen vertices instead of the whole zone.
 *
 * Each halving cuts along an axis-parallel line with a linear-time splitter (splitAtLine): the
 * rings are cut into chains on either side and re-linked along the cut line, O(n + k log k) for k
 * crossings. Load time at county scale depends on it (a general clipper costs ~50× more). Whenever
 * the splitter cannot vouch for its result (a vertex on the cut line even after nudging it, crossings
 * that do not alternate, pieces whose planar areas do not add up to the polygon's), that halving
 * falls back to the verified general clipper (`intersect`).
 */
import { bboxOf, intersect, type BBox, type MultiPolygonCoords, type Position } from '../geometry/index.js';
import type { PolygonCoords, Ring } from '../geometry/types.js';

export const DEFAULT_PIECE_VERTICES = 64;

export function subdivide(polys: MultiPolygonCoords, maxVertices = DEFAULT_PIECE_VERTICES, depth = 0): { polygons: MultiPolygonCoords; bbox: BBox }[] {
  const bbox = bboxOf(polys);
  if (vertexCount(polys) <= maxVertices || depth >= 16) return [{ polygons: polys, bbox }];
  const [w, s, e, n] = bbox;
  const axis = e - w >= n - s ? 0 : 1;
  const out: { polygons: MultiPolygonCoords; bbox: BBox }[] = [];
  const halves = splitAtLine(polys, axis, axis === 0 ? (w + e) / 2 : (s + n) / 2, axis === 0 ? e - w : n - s);
  if (halves) {
    for (const part of halves) if (part.length) out.push(...subdivide(part, maxVertices, depth + 1));
    return out;
  }
  const rects: BBox[] = axis === 0
    ? [[w, s, (w + e) / 2, n], [(w + e) / 2, s, e, n]]
    : [[w, s, e, (s + n) / 2], [w, (s + n) / 2, e, n]];
  for (const [x0, y0, x1, y1] of rects) {
    const rect: MultiPolygonCoords = [[[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]];
    const part = intersect(polys, rect);
    if (part.length) out.push(...subdivide(part, maxVertices, depth + 1));
  }
  return out;
}

function vertexCount(polys: MultiPolygonCoords): number {
  let n = 0;
  for (const p of polys) for (const r of p) n += r.length;
  return n;
}

/**
 * The parts of `polys` below and above the line `coord[axis] = c` (c moved by a tiny fraction of
 * `extent` when a vertex lies exactly on it), or null when the split cannot be trusted.
 */
export function splitAtLine(polys: MultiPolygonCoords, axis: 0 | 1, c: number, extent: number): [MultiPolygonCoords, MultiPolygonCoords] | null {
  let cut = c;
  for (let attempt = 0; onLine(polys, axis, cut); attempt++) {
    if (attempt === 3) return null;
    cut = c + extent * 2 ** -(20 - 4 * attempt) * 0.6180339887;
  }
  const low: MultiPolygonCoords = [];
  const high: MultiPolygonCoords = [];
  for (const poly of polys) {
    const oriented = orient(poly);
    if (!oriented) return null;
    const lo = splitPolygon(oriented, axis, cut, false);
    const hi = splitPolygon(oriented, axis, cut, true);
    if (!lo || !hi) return null;
    // The pieces must add up to the polygon (planar area identity).
    const a = polygonArea(oriented);
    let b = 0;
    for (const p of lo) b += polygonArea(p);
    for (const p of hi) b += polygonArea(p);
    if (!(Math.abs(a - b) <= 1e-9 * Math.abs(a))) return null;
    low.push(...lo);
    high.push(...hi);
  }
  return [low, high];
}

function onLine(polys: MultiPolygonCoords, axis: 0 | 1, c: number): boolean {
  for (const poly of polys) for (const ring of poly) for (const p of ring) if (p[axis] === c) return true;
  return false;
}

function signedArea2(ring: readonly Position[]): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) s += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return s;
}

/** Shell counter-clockwise, holes clockwise, rings closed; null for a degenerate shell. */
function orient(poly: PolygonCoords): PolygonCoords | null {
  const out: PolygonCoords = [];
  for (let r = 0; r < poly.length; r++) {
    const ring = poly[r];
    if (ring.length < 4) {
      if (r === 0) return null;
      continue;
    }
    const a = signedArea2(ring);
    if (a === 0) {
      if (r === 0) return null;
      continue;
    }
    out.push((a > 0) === (r === 0) ? ring : ring.slice().reverse());
  }
  return out;
}

function polygonArea(poly: PolygonCoords): number {
  let s = 0;
  for (let r = 0; r < poly.length; r++) s += (r === 0 ? 1 : -1) * Math.abs(signedArea2(poly[r]));
  return s / 2;
}

interface Chain { points: Position[]; entry: number; exit: number; used: boolean }

/**
 * The part of an oriented polygon on one side of the line (`high`: coord > c, else coord < c; no
 * vertex lies on the line). Chains of each ring on the kept side run from an entry crossing to an
 * exit crossing; walking the line with the kept side on the left, crossings alternate exit, entry,
 * and each exit links to the next entry. Rings that never cross are kept whole; whole holes go to
 * the shell that contains them.
 */
function splitPolygon(poly: PolygonCoords, axis: 0 | 1, c: number, high: boolean): MultiPolygonCoords | null {
  const other = axis === 0 ? 1 : 0;
  const inside = (p: Position) => (high ? p[axis] > c : p[axis] < c);
  const chains: Chain[] = [];
  let wholeShell = false;
  const wholeHoles: Ring[] = [];
  for (let r = 0; r < poly.length; r++) {
    const ring = poly[r];
    const n = ring.length - 1; // closed: ring[n] = ring[0]
    let start = -1, anyIn = false;
    for (let i = 0; i < n; i++) {
      if (inside(ring[i])) anyIn = true;
      else if (start < 0) start = i;
    }
    if (!anyIn) continue;
    if (start < 0) {
      if (r === 0) wholeShell = true;
      else wholeHoles.push(ring);
      continue;
    }
    // Walk from an outside vertex once around.
    let cur: Position[] | null = null;
    for (let k = 0; k < n; k++) {
      const a = ring[(start + k) % n];
      const b = ring[(start + k + 1) % n];
      const ina = inside(a), inb = inside(b);
      if (!ina && inb) {
        cur = [cross(a, b, axis, c), b];
      } else if (ina && inb) {
        cur!.push(b);
      } else if (ina && !inb) {
        const p = cross(a, b, axis, c);
        cur!.push(p);
        chains.push({ points: cur!, entry: cur![0][other], exit: p[other], used: false });
        cur = null;
      }
    }
    if (cur) return null;
  }
  if (wholeShell) return chains.length ? null : [[poly[0], ...wholeHoles]];
  if (chains.length === 0) return wholeHoles.length ? null : [];

  // Walking the line with the kept side on the left: x-cuts go north when keeping the west side,
  // south when keeping the east; y-cuts go east when keeping the north side, west when keeping the south.
  const forward = axis === 0 ? !high : high;
  const ends: { at: number; chain: number; isExit: boolean }[] = [];
  chains.forEach((ch, i) => {
    ends.push({ at: ch.entry, chain: i, isExit: false });
    ends.push({ at: ch.exit, chain: i, isExit: true });
  });
  ends.sort((p, q) => (forward ? p.at - q.at : q.at - p.at));
  const nextOf = new Int32Array(chains.length);
  for (let i = 0; i < ends.length; i += 2) {
    const x = ends[i], y = ends[i + 1];
    if (!x.isExit || y.isExit || x.at === y.at) return null;
    nextOf[x.chain] = y.chain;
  }
  const shells: PolygonCoords[] = [];
  for (let i = 0; i < chains.length; i++) {
    if (chains[i].used) continue;
    const ring: Ring = [];
    let k = i;
    do {
      if (chains[k].used) return null;
      chains[k].used = true;
      for (const p of chains[k].points) ring.push(p);
      k = nextOf[k];
    } while (k !== i);
    ring.push(ring[0]);
    if (signedArea2(ring) <= 0) return null;
    shells.push([ring]);
  }
  for (const hole of wholeHoles) {
    const owner = shells.length === 1 ? shells[0] : shells.find((s) => holeInside(hole, s[0]));
    if (!owner) return null;
    owner.push(hole);
  }
  return shells;
}

function cross(a: Position, b: Position, axis: 0 | 1, c: number): Position {
  const t = (c - a[axis]) / (b[axis] - a[axis]);
  return axis === 0 ? [c, a[1] + t * (b[1] - a[1])] : [a[0] + t * (b[0] - a[0]), c];
}

/** Whether a hole (touching its shell at most at points) lies inside `shell`: the first vertex strictly in or out decides. */
function holeInside(hole: Ring, shell: Ring): boolean {
  for (const p of hole) {
    const r = pointInRing(p, shell);
    if (r !== 0) return r > 0;
  }
  return false;
}

/** 1 inside, -1 outside, 0 on the boundary. */
function pointInRing(p: Position, ring: Ring): number {
  const [x, y] = p;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((xi === x && yi === y)) return 0;
    if ((yi > y) !== (yj > y)) {
      const xc = xi + ((y - yi) * (xj - xi)) / (yj - yi);
      if (xc === x) return 0;
      if (xc > x) inside = !inside;
    }
  }
  return inside ? 1 : -1;
}
