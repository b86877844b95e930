/**
 * Shortest distance in metres between a site and a (multi)linestring; 0 when the line touches or
 * enters the site.
 *
 * Method: both are projected to a transverse-Mercator plane centred on the site (see
 * local-projection.ts) to find the closest pair of points; the answer is the geodesic distance
 * (CGCS2000) between that pair. Segments are straight in the local plane, which for segments of a
 * few km differs negligibly from geodesics. Empty `lines` give Infinity.
 *
 * @example distanceM(site, road.coordinates) // metres from the site to the road centre line
 */
import { geodesicDistanceM } from './geodesic.js';
import { localProjection } from './local-projection.js';
import { pointInPolygons } from './point-in-polygons.js';
import { buildSegmentSet, nearestPair, segmentSetsIntersect, type SegmentSet } from './segment-set.js';
import type { NormalizedSite, Position } from './types.js';
import type { LocalProjection } from './local-projection.js';

/** The site as a projected segment set (a point is one zero-length segment), with its projection. */
export function siteSegments(site: NormalizedSite): { proj: LocalProjection; set: SegmentSet | null } {
  const b = site.bbox;
  const proj = localProjection((b[0] + b[2]) / 2, (b[1] + b[3]) / 2);
  const lines: Position[][] = site.point ? [[site.point]] : site.polygons.flat();
  return { proj, set: buildSegmentSet(lines, proj) };
}

/** Geodesic length between the two points of a projected pair. */
export function refinePair(proj: LocalProjection, ax: number, ay: number, bx: number, by: number): number {
  return geodesicDistanceM(proj.inverse(ax, ay), proj.inverse(bx, by));
}

export function distanceM(site: NormalizedSite, lines: Position[][]): number {
  const { proj, set: a } = siteSegments(site);
  const b = buildSegmentSet(lines, proj);
  if (!a || !b) return Infinity;
  if (segmentSetsIntersect(a, b)) return 0;
  if (site.point === null) {
    for (const l of lines) if (l.length && pointInPolygons(l[0], site.polygons)) return 0;
  }
  const p = nearestPair(a, b);
  if (!(p.d > 0)) return 0;
  return refinePair(proj, p.ax, p.ay, p.bx, p.by);
}
