/**
 * Shortest distance in metres between a site and a multipolygon; 0 when they overlap or touch
 * (including one inside the other), decided in the lon/lat plane like the overlay. Same method
 * as distanceM; empty `polys` give Infinity.
 *
 * @example distanceToPolygonsM(site, heritageSite.polygons) // metres to the monument's footprint
 */
import { linesTouch, nearestGeodesicM, siteLines, siteProjection } from './distance-m.js';
import { pointInPolygons } from './point-in-polygons.js';
import type { MultiPolygonCoords, NormalizedSite } from './types.js';

export function distanceToPolygonsM(site: NormalizedSite, polys: MultiPolygonCoords): number {
  const nonEmpty = polys.filter((p) => p.length > 0 && p[0].length > 0);
  const own = siteLines(site);
  if (nonEmpty.length === 0 || own.length === 0) return Infinity;
  if (site.point && pointInPolygons(site.point, nonEmpty)) return 0;
  const rings = nonEmpty.flat();
  if (linesTouch(own, rings)) return 0;
  if (!site.point) {
    for (const poly of nonEmpty) if (pointInPolygons(poly[0][0], site.polygons)) return 0;
    for (const poly of site.polygons) if (poly.length && pointInPolygons(poly[0][0], nonEmpty)) return 0;
  }
  return nearestGeodesicM(own, rings, siteProjection(site));
}
