/**
 * Shortest distance in metres between a site and a multipolygon; 0 when they overlap or touch
 * (including one inside the other). Same method as distanceM; empty `polys` give Infinity.
 *
 * @example distanceToPolygonsM(site, heritageSite.polygons) // metres to the monument's footprint
 */
import { pointInPolygons } from './point-in-polygons.js';
import { buildSegmentSet, nearestPair, segmentSetsIntersect } from './segment-set.js';
import { refinePair, siteSegments } from './distance-m.js';
import type { MultiPolygonCoords, NormalizedSite } from './types.js';

export function distanceToPolygonsM(site: NormalizedSite, polys: MultiPolygonCoords): number {
  const nonEmpty = polys.filter((p) => p.length > 0 && p[0].length > 0);
  if (site.point) {
    if (pointInPolygons(site.point, nonEmpty)) return 0;
  }
  const { proj, set: a } = siteSegments(site);
  const b = buildSegmentSet(nonEmpty.flat(), proj);
  if (!a || !b) return Infinity;
  if (segmentSetsIntersect(a, b)) return 0;
  if (!site.point) {
    for (const poly of nonEmpty) if (pointInPolygons(poly[0][0], site.polygons)) return 0;
    for (const poly of site.polygons) if (poly.length && pointInPolygons(poly[0][0], nonEmpty)) return 0;
  }
  const p = nearestPair(a, b);
  if (!(p.d > 0)) return 0;
  return refinePair(proj, p.ax, p.ay, p.bx, p.by);
}
