/**
 * Dissolves pieces that do not overlap (one outcome of a suitability search) into as few polygons
 * as the geometry allows: pairwise unions in a balanced tree, in the order given (cell order, so
 * neighbours merge first). A union that the guarded clipper cannot do (GeometryOperationError) is not
 * fatal: the two operands then stay apart — the answer is as exact, only less dissolved.
 */
import { clip, GeometryOperationError } from '../geometry/clip.js';
import { cleanPolygons } from '../geometry/clean-polygons.js';
import type { MultiPolygonCoords } from '../geometry/index.js';

interface Node { main: MultiPolygonCoords; apart: MultiPolygonCoords[] }

export function dissolve(list: MultiPolygonCoords[]): { polygons: MultiPolygonCoords; failures: number } {
  let failures = 0;
  let layer: Node[] = list.map((m) => ({ main: cleanPolygons(m), apart: [] })).filter((n) => n.main.length > 0);
  if (layer.length === 0) return { polygons: [], failures };
  while (layer.length > 1) {
    const next: Node[] = [];
    for (let i = 0; i < layer.length; i += 2) {
      if (i + 1 >= layer.length) {
        next.push(layer[i]);
        continue;
      }
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
  const root = layer[0];
  return { polygons: [...root.main, ...root.apart.flat()], failures };
}
