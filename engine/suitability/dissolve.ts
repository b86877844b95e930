/**
 * Dissolves pieces that do not overlap (one outcome of a suitability search) into as few polygons
 * as the geometry allows. Pieces are first gathered into groups that can touch (their boxes meet,
 * transitively): a piece that touches nothing is kept as it is, and pieces far apart are never
 * unioned with each other. Each group is merged by pairwise unions in a balanced tree, in the
 * order given — the caller's Z-order of cells, so that compact blocks of neighbours merge first and
 * their shared edges disappear early. A union that the guarded clipper cannot do
 * (GeometryOperationError) is not fatal: the two operands then stay apart — the answer is as
 * exact, only less dissolved. Between unions the caller's pacer checks the deadline and yields.
 */
import Flatbush from 'flatbush';
import { clip, GeometryOperationError } from '../geometry/clip.js';
import { cleanPolygons } from '../geometry/clean-polygons.js';
import { bboxOf, type BBox, type MultiPolygonCoords } from '../geometry/index.js';

interface Node { main: MultiPolygonCoords; apart: MultiPolygonCoords[] }

/** Boxes closer than this (degrees) count as touching. */
const TOUCH = 1e-8;

export async function dissolve(list: MultiPolygonCoords[], pace?: { pause(): Promise<void> }): Promise<{ polygons: MultiPolygonCoords; failures: number }> {
  const items = list.map((m) => cleanPolygons(m)).filter((m) => m.length > 0);
  let failures = 0;
  const out: MultiPolygonCoords = [];
  for (const group of touchingGroups(items)) {
    if (group.length === 1) {
      out.push(...group[0]);
      continue;
    }
    let layer: Node[] = group.map((m) => ({ main: m, apart: [] }));
    while (layer.length > 1) {
      const next: Node[] = [];
      for (let i = 0; i < layer.length; i += 2) {
        if (i + 1 >= layer.length) {
          next.push(layer[i]);
          continue;
        }
        await pace?.pause();
        const a = layer[i];
        const b = layer[i + 1];
        try {
          next.push({ main: clip('union', a.main, b.main), apart: [...a.apart, ...b.apart] });
        } catch (e) {
          if (!(e instanceof GeometryOperationError)) throw e;
          failures++;
          const [big, small] = a.main.length >= b.main.length ? [a, b] : [b, a];
          next.push({ main: big.main, apart: [...a.apart, ...b.apart, small.main] });
        }
      }
      layer = next;
    }
    out.push(...layer[0].main, ...layer[0].apart.flat());
  }
  return { polygons: out, failures };
}

/** The items in groups whose boxes touch (transitively), each group in the items' order. */
function touchingGroups(items: MultiPolygonCoords[]): MultiPolygonCoords[][] {
  if (items.length <= 1) return items.map((m) => [m]);
  const boxes: BBox[] = items.map((m) => bboxOf(m));
  const index = new Flatbush(items.length);
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  index.finish();
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  boxes.forEach((b, i) => {
    for (const j of index.search(b[0] - TOUCH, b[1] - TOUCH, b[2] + TOUCH, b[3] + TOUCH)) {
      const ri = find(i), rj = find(j);
      if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
    }
  });
  const groups = new Map<number, MultiPolygonCoords[]>();
  items.forEach((m, i) => {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(m);
    else groups.set(r, [m]);
  });
  return [...groups.values()];
}
