/**
 * CGCS2000 Gauss-Krüger zones (高斯-克吕格投影) ↔ lon/lat, with proj4.
 *
 * 3° zones: central meridian 3×zone; EPSG:4513–4533 (zones 25–45, easting prefixed by the zone
 * number: x_0 = zone×10⁶ + 500000), EPSG:4534–4554 (same zones, x_0 = 500000).
 * 6° zones: central meridian 6×zone − 3; EPSG:4491–4501 (zones 13–23, prefixed), 4502–4512 (not).
 * Ellipsoid GRS80 (= CGCS2000 to the precision that matters), k = 1, y_0 = 0.
 * proj4's `tmerc` is the extended (Poder/Engsager) algorithm: sub-millimetre over a zone.
 *
 * Axis names follow Chinese surveying: X is the northing, Y the easting.
 */
import proj4 from 'proj4';

export type ZoneWidth = 3 | 6;

export interface GkZone {
  width: ZoneWidth;
  zone: number;
}

const GEOGRAPHIC = '+proj=longlat +ellps=GRS80 +no_defs';

export function centralMeridian(z: GkZone): number {
  return z.width === 3 ? 3 * z.zone : 6 * z.zone - 3;
}

/** The zone whose central meridian is nearest `lon` (3°: round(lon/3); 6°: floor(lon/6)+1). */
export function zoneOfLon(lon: number, width: ZoneWidth): GkZone {
  return { width, zone: width === 3 ? Math.round(lon / 3) : Math.floor(lon / 6) + 1 };
}

/** Whether `zone` is a valid zone number for the width (3°: 1–120, 6°: 1–60). */
export function validZone(zone: number, width: ZoneWidth): boolean {
  return Number.isInteger(zone) && zone >= 1 && zone <= (width === 3 ? 120 : 60);
}

/** The width a bare zone number implies in China: 25–45 are 3° zones, 13–23 are 6° zones. */
export function impliedWidth(zone: number): ZoneWidth | null {
  if (zone >= 25 && zone <= 45) return 3;
  if (zone >= 13 && zone <= 23) return 6;
  return null;
}

/** The CGCS2000 EPSG code of a zone, or null outside the codes EPSG defines (zones in China). */
export function epsgOf(z: GkZone, prefixed: boolean): number | null {
  if (z.width === 3 && z.zone >= 25 && z.zone <= 45) return (prefixed ? 4513 : 4534) + z.zone - 25;
  if (z.width === 6 && z.zone >= 13 && z.zone <= 23) return (prefixed ? 4491 : 4502) + z.zone - 13;
  return null;
}

/** The zone of a CGCS2000 Gauss-Krüger EPSG code (4491–4554), or null. */
export function zoneOfEpsg(code: number): (GkZone & { prefixed: boolean }) | null {
  if (code >= 4491 && code <= 4501) return { width: 6, zone: code - 4491 + 13, prefixed: true };
  if (code >= 4502 && code <= 4512) return { width: 6, zone: code - 4502 + 13, prefixed: false };
  if (code >= 4513 && code <= 4533) return { width: 3, zone: code - 4513 + 25, prefixed: true };
  if (code >= 4534 && code <= 4554) return { width: 3, zone: code - 4534 + 25, prefixed: false };
  return null;
}

/** The proj4 definition of a zone, with or without the zone prefix in the false easting. */
export function gkProj4(z: GkZone, prefixed: boolean): string {
  return tmercProj4(centralMeridian(z), prefixed ? z.zone * 1e6 + 500000 : 500000);
}

/** A transverse-Mercator definition on GRS80 (k, y_0 as given; defaults k=1, y_0=0). */
export function tmercProj4(lon0: number, x0: number, y0 = 0, k = 1, lat0 = 0): string {
  return `+proj=tmerc +lat_0=${lat0} +lon_0=${lon0} +k=${k} +x_0=${x0} +y_0=${y0} +ellps=GRS80 +units=m +no_defs`;
}

export interface Projector {
  /** [lon, lat] → [easting, northing]. */
  forward(lon: number, lat: number): [number, number];
  /** [easting, northing] → [lon, lat]. */
  inverse(easting: number, northing: number): [number, number];
}

const cache = new Map<string, Projector>();

/** A projector for a proj4 definition (cached). */
export function projector(def: string): Projector {
  let p = cache.get(def);
  if (!p) {
    const conv = proj4(GEOGRAPHIC, def);
    p = {
      forward: (lon, lat) => conv.forward([lon, lat]) as [number, number],
      inverse: (e, n) => conv.inverse([e, n]) as [number, number],
    };
    cache.set(def, p);
  }
  return p;
}

/** Projector of a zone; eastings are given and returned without the zone prefix. */
export function gkProjector(z: GkZone): Projector {
  return projector(gkProj4(z, false));
}
