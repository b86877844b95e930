/**
 * Shortest distances in metres from a site to lines (roads) and to polygons (heritage footprints);
 * 0 when they touch, cross or overlap (one inside the other included).
 *
 * Method: "touches or enters" is decided in the lon/lat plane, the same plane the overlay and
 * pointInPolygons work in, so a road that crosses a site in the overlay is at 0 m. Otherwise both
 * are projected to a transverse-Mercator plane near the site (distance-m.ts siteProjection) to find
 * the closest pair of points, and the answer is the geodesic distance (CGCS2000) between that pair.
 * Segments are straight in the local plane, which for segments of a few km differs negligibly from
 * geodesics. Empty inputs give Infinity.
 *
 * siteDistances(site) serves many roads and footprints around one site: the site's own segment
 * sets and projection are built once (the projection alone cost as much as a distance).
 *
 * @example distanceM(site, road.coordinates) // metres from the site to the road centre line
 */
import { geodesicDistanceM } from './geodesic.js';
import { LONLAT, siteLines, siteProjection } from './distance-m.js';
import type { LocalProjection } from './local-projection.js';
import { pointInPolygons } from './point-in-polygons.js';
import { buildSegmentSet, nearestPair, segmentSetsIntersect, type SegmentSet } from './segment-set.js';
import { pointSegmentDistance2 } from './planar.js';
import type { BBox, MultiPolygonCoords, NormalizedSite, Position } from './types.js';

/** Metres from the site to the lines (a road's centre line). */
export function distanceM(site: NormalizedSite, lines: Position[][]): number {
  return siteDistances(site).toLines(lines);
}

/** Metres from the site to the multipolygon (a monument's footprint). */
export function distanceToPolygonsM(site: NormalizedSite, polys: MultiPolygonCoords): number {
  return siteDistances(site).toPolygons(polys);
}

export interface SiteDistances {
  /**
   * A lower bound (m) of the distance from the site's box to these lines: the planar distance
   * with the smallest metres per degree found over the region (every curve between two points
   * is at least that long), less 0.1 %. Beyond a search radius, the exact distance is not needed.
   */
  atLeastM(lines: readonly (readonly Position[])[]): number;
  /** The same lower bound from a box around the lines: cheaper, and smaller. */
  boxAtLeastM(box: BBox): number;
  /** As distanceM(site, lines). */
  toLines(lines: Position[][]): number;
  /** As distanceToPolygonsM(site, polys). */
  toPolygons(polys: MultiPolygonCoords): number;
}

export function siteDistances(site: NormalizedSite): SiteDistances {
  const own = siteLines(site);
  let ownLonLat: SegmentSet | null | undefined;
  let proj: LocalProjection | undefined;
  let ownProjected: SegmentSet | null | undefined;
  const projection = () => (proj ??= siteProjection(site));
  const touches = (b: readonly (readonly Position[])[]) => {
    if (ownLonLat === undefined) ownLonLat = buildSegmentSet(own, LONLAT);
    const sb = buildSegmentSet(b, LONLAT);
    return !!ownLonLat && !!sb && segmentSetsIntersect(ownLonLat, sb);
  };
  const nearest = (b: readonly (readonly Position[])[]) => {
    const p4 = projection();
    if (ownProjected === undefined) ownProjected = buildSegmentSet(own, p4);
    const sb = buildSegmentSet(b, p4);
    if (!ownProjected || !sb) return Infinity;
    const p = nearestPair(ownProjected, sb);
    if (!(p.d > 0)) return 0;
    return geodesicDistanceM(p4.inverse(p.ax, p.ay), p4.inverse(p.bx, p.by));
  };
  const [w, south, e, north] = site.bbox;
  return {
    boxAtLeastM(b) {
      const { kx, ky } = metresPerDegreeAtLeast(Math.max(Math.abs(south), Math.abs(north), Math.abs(b[1]), Math.abs(b[3])));
      const dx = Math.max(0, b[0] - e, w - b[2]) * kx, dy = Math.max(0, b[1] - north, south - b[3]) * ky;
      return Math.sqrt(dx * dx + dy * dy);
    },
    atLeastM(lines) {
      let best = Infinity;
      let maxAbsLat = Math.max(Math.abs(south), Math.abs(north));
      for (const l of lines) for (const p of l) if (Math.abs(p[1]) > maxAbsLat) maxAbsLat = Math.abs(p[1]);
      const { kx, ky } = metresPerDegreeAtLeast(maxAbsLat);
      for (const l of lines) {
        for (let i = 0; i < l.length; i++) {
          const a = l[i], b = l[i + 1] ?? a;
          best = Math.min(best, boxSegmentDistance(w, south, e, north, a[0], a[1], b[0], b[1], kx, ky));
          if (best === 0) return 0;
        }
      }
      return best;
    },
    toLines(lines) {
      const nonEmpty = lines.filter((l) => l.length > 0);
      if (nonEmpty.length === 0 || own.length === 0) return Infinity;
      if (touches(nonEmpty)) return 0;
      if (site.point === null) {
        for (const l of nonEmpty) if (pointInPolygons(l[0], site.polygons)) return 0;
      }
      return nearest(nonEmpty);
    },
    toPolygons(polys) {
      const nonEmpty = polys.filter((p) => p.length > 0 && p[0].length > 0);
      if (nonEmpty.length === 0 || own.length === 0) return Infinity;
      if (site.point && pointInPolygons(site.point, nonEmpty)) return 0;
      const rings = nonEmpty.flat();
      if (touches(rings)) return 0;
      if (!site.point) {
        for (const poly of nonEmpty) if (pointInPolygons(poly[0][0], site.polygons)) return 0;
        for (const poly of site.polygons) if (poly.length && pointInPolygons(poly[0][0], nonEmpty)) return 0;
      }
      return nearest(rings);
    },
  };
}

/**
 * Metres per degree, lower bounds over a region reaching latitude ±maxAbsLat: meridian ≥ 110,574 m;
 * parallel ≥ 111,320·cos(max |lat|); less 0.1 %.
 */
function metresPerDegreeAtLeast(maxAbsLat: number): { kx: number; ky: number } {
  return { ky: 110_574 * 0.999, kx: 111_320 * Math.cos((Math.min(89.9, maxAbsLat) * Math.PI) / 180) * 0.999 };
}

/**
 * Distance (scaled plane: x·kx, y·ky) between box [w, s, e, n] and segment ab; 0 when they meet.
 * Allocation-free: it runs for every segment of every road near every site.
 */
function boxSegmentDistance(w: number, s: number, e: number, n: number, ax: number, ay: number, bx: number, by: number, kx: number, ky: number): number {
  // Scale to metres, box at the origin.
  const x1 = (e - w) * kx, y1 = (n - s) * ky;
  const px = (ax - w) * kx, py = (ay - s) * ky, qx = (bx - w) * kx, qy = (by - s) * ky;
  if ((px >= 0 && px <= x1 && py >= 0 && py <= y1) || (qx >= 0 && qx <= x1 && qy >= 0 && qy <= y1)) return 0;
  // The segment crossing the box meets one of the box's sides; else the closest pair involves a
  // corner of the box or an end of the segment.
  let best = Infinity;
  for (let k = 0; k < 4; k++) {
    const cx = k === 1 || k === 2 ? x1 : 0, cy = k >= 2 ? y1 : 0;
    const dx = k === 0 || k === 1 ? x1 : 0, dy = k === 1 || k === 2 ? y1 : 0;
    if (segmentsCross(px, py, qx, qy, cx, cy, dx, dy)) return 0;
    best = Math.min(best, pointSegmentDistance2(cx, cy, px, py, qx, qy), pointSegmentDistance2(px, py, cx, cy, dx, dy), pointSegmentDistance2(qx, qy, cx, cy, dx, dy));
  }
  return Math.sqrt(best);
}

function side(px: number, py: number, qx: number, qy: number, rx: number, ry: number): number {
  return Math.sign((qx - px) * (ry - py) - (qy - py) * (rx - px));
}

function segmentsCross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): boolean {
  return side(ax, ay, bx, by, cx, cy) * side(ax, ay, bx, by, dx, dy) <= 0 && side(cx, cy, dx, dy, ax, ay) * side(cx, cy, dx, dy, bx, by) <= 0;
}
