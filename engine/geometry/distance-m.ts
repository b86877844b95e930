/**
 * What the distance computations of site-distances.ts share: the site's own lines, the identity
 * "projection" of the lon/lat plane, and the local projection in which closest points are found.
 */
import { localProjection, type LocalProjection } from './local-projection.js';
import type { NormalizedSite, Position } from './types.js';

/** The identity "projection": segment sets in the lon/lat plane. */
export const LONLAT: LocalProjection = { forward: (x, y) => [x, y], inverse: (x, y) => [x, y] };

/** The site's boundary as lines (a point is a one-position line). */
export function siteLines(site: NormalizedSite): Position[][] {
  return site.point ? [[site.point]] : site.polygons.flat();
}

/**
 * A transverse-Mercator projection centred near the site's box (the centre rounded to 0.01°, so
 * that sites nearby share one: building a proj4 projection costs more than the distances). The
 * projection only picks the closest pair of points; the distance itself is geodesic, and 1 km
 * off the centre the scale error is 1e-8.
 */
export function siteProjection(site: NormalizedSite): LocalProjection {
  const b = site.bbox;
  const lon = Math.round(((b[0] + b[2]) / 2) * 100) / 100, lat = Math.round(((b[1] + b[3]) / 2) * 100) / 100;
  const key = `${lon},${lat}`;
  let p = projections.get(key);
  if (!p) {
    if (projections.size >= 4096) projections.clear();
    projections.set(key, (p = localProjection(lon, lat)));
  }
  return p;
}

const projections = new Map<string, LocalProjection>();
