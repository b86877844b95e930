/** Bounding boxes of positions, rings, polygons and multipolygons. */
import type { BBox } from './types.js';

/** The empty box: intersects nothing. */
export const EMPTY_BBOX: Readonly<BBox> = [Infinity, Infinity, -Infinity, -Infinity];

type Nested = readonly number[] | readonly Nested[];

/**
 * Bounding box of a position, line, ring, polygon or multipolygon (any nesting of positions).
 * An empty input gives [Infinity, Infinity, -Infinity, -Infinity].
 *
 * @example bboxOf([[[[0, 0], [2, 0], [2, 1], [0, 0]]]]) // [0, 0, 2, 1]
 */
export function bboxOf(coords: Nested): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  extend(box, coords);
  return box;
}

function extend(box: BBox, c: Nested): void {
  if (c.length === 0) return;
  if (typeof c[0] === 'number') {
    const x = c[0] as number;
    const y = c[1] as number;
    if (x < box[0]) box[0] = x;
    if (y < box[1]) box[1] = y;
    if (x > box[2]) box[2] = x;
    if (y > box[3]) box[3] = y;
    return;
  }
  for (const child of c as readonly Nested[]) extend(box, child);
}

/** True when the boxes intersect or touch. */
export function bboxIntersects(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}
