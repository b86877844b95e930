/**
 * Topology checks of a polygonal site, fast for 100,000 vertices: all segments go into one
 * Flatbush index and only pairs with touching boxes are tested.
 *
 * Errors: a ring crossing or touching itself (adjacent segments legitimately share their common
 * vertex, but may not fold back onto each other); a hole crossing its shell or another hole, or
 * sharing an edge with one (touching at a single point is allowed); a hole outside its shell; a
 * hole inside another hole. Parts of a multipolygon that cross, share edges or contain one another
 * are not errors: they are reported in `overlappingParts` so the caller can merge them.
 */
import Flatbush from 'flatbush';
import { IssueList, fmtPos } from './issues.js';
import { pointInRing, segmentIntersection, SegHit } from './planar.js';
import type { PreparedRing } from './prepare-ring.js';

/** At most this many topology issues are reported per site. */
const MAX_TOPOLOGY_ISSUES = 20;
/** At most this many touch points get the (linear-time) crossing-through-a-vertex test. */
const MAX_TOUCH_TESTS = 2000;

export interface TopologyResult {
  /** Pairs of part indices (into `parts`) that overlap. */
  overlappingParts: [number, number][];
}

interface RingRef {
  ring: PreparedRing;
  part: number;
  /** 0 = shell, ≥1 = hole. */
  index: number;
}

/** Check parts (each [shell, ...holes], already ring-checked). */
export function checkTopology(parts: PreparedRing[][], issues: IssueList): TopologyResult {
  const rings: RingRef[] = [];
  parts.forEach((p, part) => p.forEach((ring, index) => rings.push({ ring, part, index })));
  let nSegs = 0;
  for (const r of rings) nSegs += r.ring.coords.length - 1;
  const overlapping = new Set<string>();
  const overlappingParts: [number, number][] = [];
  const markOverlap = (a: number, b: number) => {
    const key = a < b ? `${a},${b}` : `${b},${a}`;
    if (!overlapping.has(key)) {
      overlapping.add(key);
      overlappingParts.push(a < b ? [a, b] : [b, a]);
    }
  };
  if (nSegs === 0) return { overlappingParts };

  const segRing = new Int32Array(nSegs);
  const segK = new Int32Array(nSegs);
  const xy = new Float64Array(nSegs * 4);
  const index = new Flatbush(nSegs);
  let s = 0;
  rings.forEach((r, ri) => {
    const c = r.ring.coords;
    for (let k = 0; k + 1 < c.length; k++, s++) {
      segRing[s] = ri;
      segK[s] = k;
      const x1 = c[k][0], y1 = c[k][1], x2 = c[k + 1][0], y2 = c[k + 1][1];
      xy[4 * s] = x1; xy[4 * s + 1] = y1; xy[4 * s + 2] = x2; xy[4 * s + 3] = y2;
      index.add(Math.min(x1, x2), Math.min(y1, y2), Math.max(x1, x2), Math.max(y1, y2));
    }
  });
  index.finish();

  let reported = 0;
  let touchTests = 0;
  const selfHits = new Set<string>();
  const report = (path: string, message: string) => {
    if (reported >= MAX_TOPOLOGY_ISSUES) return;
    reported++;
    issues.add(path, message);
  };
  const segLabel = (r: RingRef, k: number) => {
    const o = r.ring.orig;
    return `第 ${o[k]} 段（坐标 ${o[k]}→${o[k + 1]}）`;
  };
  const ringLabel = (r: RingRef) => (r.index === 0 ? '外环' : `第 ${r.index} 个内环（洞）`);

  /** Whether ring `a` passes through ring `b` at the vertex (x, y) of one of them. */
  const crossesAtVertex = (a: RingRef, b: RingRef, x: number, y: number): boolean => {
    if (touchTests >= MAX_TOUCH_TESTS) return false;
    touchTests++;
    return sidesDiffer(a.ring, b.ring, x, y) || sidesDiffer(b.ring, a.ring, x, y);
  };

  for (let i = 0; i < nSegs; i++) {
    if (reported >= MAX_TOPOLOGY_ISSUES || issues.full) break;
    const ax = xy[4 * i], ay = xy[4 * i + 1], bx = xy[4 * i + 2], by = xy[4 * i + 3];
    index.search(Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by), (j) => {
      if (j <= i || reported >= MAX_TOPOLOGY_ISSUES) return false;
      const hit = segmentIntersection(ax, ay, bx, by, xy[4 * j], xy[4 * j + 1], xy[4 * j + 2], xy[4 * j + 3]);
      if (hit.kind === SegHit.None) return false;
      const ra = rings[segRing[i]], rb = rings[segRing[j]];
      const ka = segK[i], kb = segK[j];
      if (ra === rb) {
        const last = ra.ring.coords.length - 2;
        const adjacent = Math.abs(ka - kb) === 1 || (Math.min(ka, kb) === 0 && Math.max(ka, kb) === last);
        if (adjacent && hit.kind === SegHit.Point) return false;
        const what = adjacent ? '环在此折返（零宽度尖刺）' : '环自相交';
        const key = `${segRing[i]}:${adjacent}:${hit.x},${hit.y}`;
        if (selfHits.has(key)) return false;
        selfHits.add(key);
        report(`${ra.ring.path}/${ra.ring.orig[ka]}`,
          `${what}：${segLabel(ra, ka)}与${segLabel(rb, kb)}相交于 ${fmtPos(hit.x, hit.y)}`);
        return false;
      }
      if (ra.part === rb.part) {
        const crossing = hit.kind === SegHit.Overlap || hit.proper || crossesAtVertex(ra, rb, hit.x, hit.y);
        if (crossing) {
          const how = hit.kind === SegHit.Overlap ? '存在重合的边' : '相交';
          report(`${rb.ring.path}/${rb.ring.orig[kb]}`,
            `${ringLabel(rb)}与${ringLabel(ra)}${how}：${segLabel(rb, kb)}与${ringLabel(ra)}${segLabel(ra, ka)}交于 ${fmtPos(hit.x, hit.y)}`);
        }
        return false;
      }
      const key = ra.part < rb.part ? `${ra.part},${rb.part}` : `${rb.part},${ra.part}`;
      if (overlapping.has(key)) return false;
      if (hit.kind === SegHit.Overlap || hit.proper || crossesAtVertex(ra, rb, hit.x, hit.y)) markOverlap(ra.part, rb.part);
      return false;
    });
  }
  if (reported > 0) return { overlappingParts };

  checkHoles(parts, report);
  checkPartContainment(parts, overlapping, markOverlap);
  return { overlappingParts };
}

/** True when the two edges of `a` at its vertex (x, y) lie on different sides of ring `b`. */
function sidesDiffer(a: PreparedRing, b: PreparedRing, x: number, y: number): boolean {
  const c = a.coords;
  const n = c.length - 1;
  for (let k = 0; k < n; k++) {
    if (c[k][0] !== x || c[k][1] !== y) continue;
    const prev = c[(k - 1 + n) % n], next = c[k + 1];
    const s1 = pointInRing((prev[0] + x) / 2, (prev[1] + y) / 2, b.coords);
    const s2 = pointInRing((next[0] + x) / 2, (next[1] + y) / 2, b.coords);
    if (s1 * s2 < 0) return true;
  }
  return false;
}

/** Where ring `a` lies relative to ring `b`, judged by its first vertex off b's boundary. */
function ringSide(a: PreparedRing, b: PreparedRing): 1 | 0 | -1 {
  for (const [x, y] of a.coords) {
    const s = pointInRing(x, y, b.coords);
    if (s !== 0) return s;
  }
  return 0;
}

function bboxOfRing(r: PreparedRing): [number, number, number, number] {
  let a = Infinity, b = Infinity, c = -Infinity, d = -Infinity;
  for (const [x, y] of r.coords) {
    if (x < a) a = x;
    if (y < b) b = y;
    if (x > c) c = x;
    if (y > d) d = y;
  }
  return [a, b, c, d];
}

function checkHoles(parts: PreparedRing[][], report: (path: string, message: string) => void): void {
  for (const part of parts) {
    const holes = part.slice(1);
    if (holes.length === 0) continue;
    for (const h of holes) {
      if (ringSide(h, part[0]) < 0) report(h.path, '内环（洞）位于外环之外');
    }
    const boxes = holes.map(bboxOfRing);
    const index = new Flatbush(holes.length);
    for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
    index.finish();
    holes.forEach((h, i) => {
      const b = boxes[i];
      for (const j of index.search(b[0], b[1], b[2], b[3])) {
        if (j === i) continue;
        const o = boxes[j];
        if (!(o[0] <= b[0] && o[1] <= b[1] && o[2] >= b[2] && o[3] >= b[3])) continue;
        if (ringSide(h, holes[j]) > 0) report(h.path, `内环（洞）位于另一个内环 ${holes[j].path} 之内`);
      }
    });
  }
}

function checkPartContainment(
  parts: PreparedRing[][], overlapping: Set<string>, markOverlap: (a: number, b: number) => void,
): void {
  if (parts.length < 2) return;
  const boxes = parts.map((p) => bboxOfRing(p[0]));
  const index = new Flatbush(parts.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  parts.forEach((p, i) => {
    const b = boxes[i];
    for (const j of index.search(b[0], b[1], b[2], b[3])) {
      if (j === i || overlapping.has(i < j ? `${i},${j}` : `${j},${i}`)) continue;
      const o = boxes[j];
      if (!(o[0] <= b[0] && o[1] <= b[1] && o[2] >= b[2] && o[3] >= b[3])) continue;
      const other = parts[j];
      if (ringSide(p[0], other[0]) <= 0) continue;
      const inHole = other.slice(1).some((h) => ringSide(p[0], h) > 0);
      if (!inHole) markOverlap(i, j);
    }
  });
}
