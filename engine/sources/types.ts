/**
 * Layer sources (issue 7): where a bundle's control layers are read from when a site is evaluated.
 * Every source answers the same question — the index entries (features, or pieces of subdivided
 * features) whose bbox meets a box, in the bundle's load order — so the engine's exact overlay runs
 * on identical input and gives identical findings whichever source serves the bundle:
 *
 * - memory     the bundle loaded from its GeoJSON directory (engine/bundle/load-bundle.ts);
 * - flatgeobuf one FlatGeobuf file per bundle with its packed Hilbert R-tree, read by byte range
 *              (HTTP Range against R2 / any HTTP server, a local file, an R2 binding);
 * - postgis    a table shared by many stateless API nodes (api/node/sources, Node only).
 *
 * Pure: no node:* imports (runs in Node, Workers and browsers).
 */
import type { BBox, MultiPolygonCoords, Position } from '../geometry/index.js';
import type { IndexEntry, LayerFeature, LayerStats, Manifest } from '../bundle/types.js';
import type { LayerKind } from '../vocabulary.js';

export type LayerSourceName = 'memory' | 'flatgeobuf' | 'postgis';

/** Produces a bundle's index entries for a box (the contract of Bundle.query). */
export interface LayerSource {
  name: LayerSourceName;
  /** Entries whose bbox meets `bbox` (inclusive), in load order; pieces of one feature share one LayerFeature. */
  query(bbox: BBox): Promise<IndexEntry[]>;
  /** Running totals, for logs, benchmarks and tests. */
  stats(): SourceStats;
  close?(): Promise<void>;
}

export interface SourceStats {
  queries: number;
  entries: number;
  /** Bytes read from the store (FlatGeobuf: range bytes; PostGIS: geometry bytes received). */
  bytes: number;
  /** Requests made (FlatGeobuf: range requests; PostGIS: SQL queries). */
  requests: number;
}

/**
 * What a remote source stores beside the layer rows (FlatGeobuf: a sidecar JSON and, for the
 * identity fields, the file's header metadata; PostGIS: the metadata table), computed at build time
 * from the bundle loaded in memory, so the remote bundle reports the same hash, tolerances and
 * local policies as the directory it was built from.
 */
export interface SourceMeta {
  format: typeof SOURCE_FORMAT;
  id: string;
  name: string;
  /** The bundle hash (manifest + layer file contents), as loadBundle computes it. */
  hash: string;
  manifest: Manifest;
  sliverToleranceM2: number;
  distanceSearchM: number;
  localPolicies: string[];
  bbox: BBox;
  /** The boundary features, loaded eagerly (small). */
  boundary: LayerFeature[];
  stats: LayerStats[];
  featureCount: number;
  entryCount: number;
}

export const SOURCE_FORMAT = 'zoning-layer-source/1';

/** One stored row: an index entry (a feature, or one piece of a subdivided one). */
export interface EntryRow {
  /** Position of the entry in the bundle's load order (the in-memory index order). */
  ord: number;
  id: string;
  kind: LayerKind;
  zone: string | null;
  properties: Record<string, unknown>;
  /** The whole feature's bbox (LayerFeature.bbox). */
  featureBbox: BBox;
  polygons: MultiPolygonCoords | null;
  lines: Position[][] | null;
}

/** Identity fields written into stored data (FlatGeobuf header metadata, checked against the sidecar). */
export interface SourceIdentity {
  format: typeof SOURCE_FORMAT;
  id: string;
  name: string;
  hash: string;
  entryCount: number;
}
