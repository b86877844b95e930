import type { BBox, MultiPolygonCoords, Position } from '../geometry/index.js';
import { PackedPolygons } from '../geometry/packed.js';
import type { LayerKind } from '../vocabulary.js';

/** One feature of a jurisdiction's control layers, normalized at load. */
export interface LayerFeature {
  id: string;
  kind: LayerKind;
  /** The constraint value splitting the kind (zone / level / ring / line / roadClass), or a derived one. */
  zone: string | null;
  properties: Record<string, unknown>;
  /** Polygon layers (in a loaded bundle: rebuilt from `packed` on demand — read, do not mutate). */
  polygons: MultiPolygonCoords | null;
  /** The same polygons packed (geometry/packed.ts), where the bundle keeps them so. */
  packed?: PackedPolygons;
  /** Line layers (roads). */
  lines: Position[][] | null;
  bbox: BBox;
}

/** What the spatial index holds: a feature, or one piece of a subdivided large feature. */
export interface IndexEntry {
  feature: LayerFeature;
  /** This entry's part of the feature's polygons (the whole feature when not subdivided). */
  polygons: MultiPolygonCoords | null;
  /** The same packed, where the bundle keeps them so (the overlay reads this form). */
  packed?: PackedPolygons;
  bbox: BBox;
}

/** An entry's polygons packed: the bundle's own, or packed now (and kept on the entry). */
export function packedOf(e: { polygons: MultiPolygonCoords | null; packed?: PackedPolygons }): PackedPolygons | null {
  if (e.packed) return e.packed;
  if (!e.polygons) return null;
  const packed = PackedPolygons.pack(e.polygons);
  Object.defineProperty(e, 'packed', { value: packed, enumerable: false, configurable: true, writable: true });
  return packed;
}

export interface LayerStats { kind: LayerKind; zone: string | null; features: number; areaM2: number | null; lengthM?: number | null }

export interface Manifest {
  id: string;
  name: string;
  crs?: string;
  policies?: string[];
  layers: string[];
  sliverToleranceM2?: number;
  [k: string]: unknown;
}

export interface Bundle {
  id: string;
  name: string;
  manifest: Manifest;
  /** Content hash of the manifest and the layer files: which map decided. */
  hash: string;
  sliverToleranceM2: number;
  /** Roads and heritage footprints within this distance of a site are reported with their distance. */
  distanceSearchM: number;
  /** Half the widest road land (m), so that the distance search reaches every road edge in range. */
  maxRoadHalfWidthM?: number;
  localPolicies: string[];
  features: LayerFeature[];
  featureById: ReadonlyMap<string, LayerFeature>;
  /** Index entries whose bbox meets `bbox`, in load order (in-memory layers). */
  search(bbox: BBox): IndexEntry[];
  /**
   * The same, through the bundle's layer source: in memory by default; a FlatGeobuf file read by
   * byte range or a PostGIS table for province-scale data (the evaluation uses this one).
   */
  query(bbox: BBox): Promise<IndexEntry[]>;
  /** Which layer source serves `query` ("memory", "flatgeobuf", "postgis"). */
  source: string;
  boundary: LayerFeature[];
  stats: LayerStats[];
  bbox: BBox;
}
