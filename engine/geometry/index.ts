/**
 * The geometry layer of the zoning engine: site validation, ellipsoidal areas, polygon overlay,
 * point-in-polygon, bounding boxes and distances. Pure code: runs on Node, Workers and browsers.
 */
export type {
  BBox, GeometryIssue, MultiPolygonCoords, NormalizeOptions, NormalizeResult, NormalizedSite,
  PolygonCoords, Position, Ring,
} from './types.js';
export { normalizeSite, DEFAULT_MAX_VERTICES, MAX_CORRIDOR_WIDTH_M } from './normalize-site.js';
export { ellipsoidalArea } from './ellipsoidal-area.js';
export { intersect } from './intersect.js';
export { difference } from './difference.js';
export { union } from './union.js';
export { GeometryOperationError } from './clip.js';
export { pointInPolygons } from './point-in-polygons.js';
export { bboxOf, bboxIntersects } from './bbox.js';
export { distanceM, distanceToPolygonsM, siteDistances, type SiteDistances } from './site-distances.js';
export { geodesicDistanceM } from './geodesic.js';
