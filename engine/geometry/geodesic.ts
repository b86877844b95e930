/**
 * The CGCS2000 ellipsoid as a geographiclib `Geodesic`.
 * geographiclib-geodesic is a CommonJS/UMD bundle: under Node's ESM loader its exports sit on
 * `default`, under bundlers they may sit on the namespace itself; accept both.
 */
import * as geographiclibNs from 'geographiclib-geodesic';

type GeographicLib = typeof geographiclibNs;
const lib: GeographicLib =
  (geographiclibNs as unknown as { default?: GeographicLib }).default ?? geographiclibNs;

/** Semi-major axis of CGCS2000 (m). */
export const CGCS2000_A = 6378137;
/** Flattening of CGCS2000. */
export const CGCS2000_F = 1 / 298.257222101;

/** Geodesic calculations on the CGCS2000 ellipsoid. */
export const geod = new lib.Geodesic.Geodesic(CGCS2000_A, CGCS2000_F);

/** Output mask bits of geographiclib. */
export const GeodesicMask = lib.Geodesic;

/** A fresh geographiclib PolygonArea accumulator on CGCS2000 (polygon mode). */
export function newPolygonArea() {
  return new lib.PolygonArea.PolygonArea(geod, false);
}

/** Geodesic distance in metres between two positions [lon, lat]. */
export function geodesicDistanceM(a: readonly [number, number], b: readonly [number, number]): number {
  return geod.Inverse(a[1], a[0], b[1], b[0], lib.Geodesic.DISTANCE).s12 ?? NaN;
}
