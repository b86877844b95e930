/**
 * Geometry types shared by the geometry layer. Coordinates are [lon, lat] in degrees
 * (CGCS2000 / EPSG:4490; EPSG:4326 is treated as the same).
 */

/** A position: [longitude, latitude] in degrees. */
export type Position = [number, number];
/** A linear ring: closed (first equals last) when it comes out of this layer. */
export type Ring = Position[];
/** A polygon: the first ring is the outer shell, the rest are holes. */
export type PolygonCoords = Ring[];
/** A multipolygon: a list of polygons. */
export type MultiPolygonCoords = PolygonCoords[];
/** A bounding box: [minX, minY, maxX, maxY]. */
export type BBox = [number, number, number, number];

/** A problem found in an input geometry. `path` is a JSON pointer relative to the geometry object. */
export interface GeometryIssue {
  path: string;
  message: string;
}

/** A validated site, ready for overlay. */
export interface NormalizedSite {
  /** `corridor` is a buffered LineString / MultiLineString. */
  type: 'point' | 'polygon' | 'corridor';
  /** The position of a `point` site; null otherwise. */
  point: Position | null;
  /** Closed rings, outer rings counter-clockwise, holes clockwise; [] for a point. */
  polygons: MultiPolygonCoords;
  bbox: BBox;
  /** Ellipsoidal area in m² (0 for a point). */
  areaM2: number;
  /** Number of positions in the input geometry (the figure the vertex limit applies to). */
  vertexCount: number;
}

export type NormalizeResult =
  | {
    ok: true; site: NormalizedSite; warnings: string[];
    /** Pairs of parts (indices in the input MultiPolygon) that overlap or share an edge, merged in `site`. */
    overlappingParts: [number, number][];
  }
  | { ok: false; status: 413 | 422; errors: GeometryIssue[] };

export interface NormalizeOptions {
  /** Width of a linear project's land in metres; required for LineString / MultiLineString sites. */
  corridorWidthM?: number;
  /** Vertex limit; more positions than this gives status 413. Default 100000. */
  maxVertices?: number;
}
