/**
 * Types of the site-file readers (engine/io): the GeoJSON geometries they produce, the parcels of a
 * 界址点坐标 file, warnings and the coordinate system a file was read in.
 */

/** [lon, lat] in degrees (CGCS2000). */
export type LonLat = [number, number];

export type SiteGeometry =
  | { type: 'Point'; coordinates: LonLat }
  | { type: 'LineString'; coordinates: LonLat[] }
  | { type: 'MultiLineString'; coordinates: LonLat[][] }
  | { type: 'Polygon'; coordinates: LonLat[][] }
  | { type: 'MultiPolygon'; coordinates: LonLat[][][] };

export type SiteFileFormat = 'survey-txt' | 'wkt' | 'geojson' | 'shapefile';

/** One parcel (地块) of the file: a polygon of a 界址点坐标 file, a feature of a Shapefile or FeatureCollection. */
export interface SiteParcel {
  /** 地块编号, the feature id, or the 1-based index when the file has none. */
  id: string;
  /** 地块名称 or a name / 名称 property; null when the file has none. */
  name: string | null;
  /** 地块面积（公顷） as declared in the file; null when the file declares none. */
  declaredAreaHa: number | null;
  /** Ellipsoidal area (CGCS2000) in hectares; null for points and lines. */
  computedAreaHa: number | null;
  geometry: SiteGeometry;
}

/** A warning with a stable code; `message` is the Chinese text also listed in `warnings`. */
export interface SiteFileWarning {
  code:
    | 'area-mismatch' | 'point-count-mismatch' | 'crs-assumed' | 'datum-not-cgcs2000' | 'zone-override'
    | 'unit-not-metre' | 'ignored-line' | 'unknown-section' | 'null-shape' | 'missing-section'
    | 'extra-fields' | 'parcels-overlap';
  message: string;
}

/** The coordinate system the file's coordinates were read in. */
export type SiteFileCrs =
  | { kind: 'geographic' }
  | { kind: 'gauss-kruger'; zone: number | null; zoneWidth: 3 | 6 | null; prefixed: boolean; epsg: number | null; centralMeridian: number };

export interface SiteFileOptions {
  /** Gauss-Krüger zone number (带号), overriding the file's header and the easting prefix. */
  zone?: number;
  /** Zone width in degrees (几度分带), overriding the header. */
  zoneWidth?: 3 | 6;
}

export interface SiteFileResult {
  /** The whole site: one polygon → Polygon, several parcels → MultiPolygon (lon/lat, RFC 7946 orientation). */
  geometry: SiteGeometry;
  /** The parcels one by one, for callers that want one site per parcel. */
  parcels: SiteParcel[];
  warnings: string[];
  /** The same warnings with codes. */
  warningItems: SiteFileWarning[];
  format: SiteFileFormat;
  crs: SiteFileCrs;
}
