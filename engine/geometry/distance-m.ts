/**
 * Shortest distance in metres between a site and a (multi)linestring; 0 when the line touches or
 * enters the site.
 *
 * Method: "touches or enters" is decided in the lon/lat plane, the same plane the overlay
 * (martinez) and pointInPolygons work in, so a road that crosses a site in the overlay is at 0 m.
 * Otherwise both are projected to a transverse-Mercator plane centred on the site (see
 * local-projection.ts) to find the closest pair of points, and the answer is the geodesic
 * distance (CGCS2000) between that pair. Segments are straight in the local plane, which for
 * segments of a few km differs negligibly from geodesics. Empty `lines` give Infinity.
 *
 * @example distanceM(site, road.coordinates) // metres from the site to the road centre line
 */
import { geodesicDistanceM } from './geodesic.js';
import { localProjection, type LocalProjection } from './local-projection.js';
import { pointInPolygons } from './point-in-polygons.js';
import { buildSegmentSet, nearestPair, segmentSetsIntersect } from './segment-set.js';
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

/** Whether two sets of lines touch or cross in the lon/lat plane. */
export function linesTouch(a: readonly (readonly Position[])[], b: readonly (readonly Position[])[]): boolean {
  const sa = buildSegmentSet(a, LONLAT), sb = buildSegmentSet(b, LONLAT);
  return !!sa && !!sb && segmentSetsIntersect(sa, sb);
}

/** Geodesic distance between the closest points of two sets of lines, found in `proj`. */
export function nearestGeodesicM(a: readonly (readonly Position[])[], b: readonly (readonly Position[])[], proj: LocalProjection): number {
  const sa = buildSegmentSet(a, proj), sb = buildSegmentSet(b, proj);
  if (!sa || !sb) return Infinity;
  const p = nearestPair(sa, sb);
  if (!(p.d > 0)) return 0;
  return geodesicDistanceM(proj.inverse(p.ax, p.ay), proj.inverse(p.bx, p.by));
}

export function distanceM(site: NormalizedSite, lines: Position[][]): number {
  const nonEmpty = lines.filter((l) => l.length > 0);
  const own = siteLines(site);
  if (nonEmpty.length === 0 || own.length === 0) return Infinity;
  if (linesTouch(own, nonEmpty)) return 0;
  if (site.point === null) {
    for (const l of nonEmpty) if (pointInPolygons(l[0], site.polygons)) return 0;
  }
  return nearestGeodesicM(own, nonEmpty, siteProjection(site));
}
