/**
 * The two ends of a remote layer source:
 * - at build time, `describeBundle` and `bundleEntryRows` take a bundle loaded in memory (so every
 *   feature went through loadBundle's validation, subdivision and hashing) and give what is stored;
 * - at run time, `assembleEntries` turns stored rows back into IndexEntry[] exactly as the in-memory
 *   index would answer, and `sourceBundle` wraps a source into a Bundle for the engine.
 */
import { bboxIntersects, bboxOf, type BBox, type MultiPolygonCoords } from '../geometry/index.js';
import type { Bundle, IndexEntry, LayerFeature } from '../bundle/types.js';
import { LAYER_KINDS, type LayerKind } from '../vocabulary.js';
import { SOURCE_FORMAT, type EntryRow, type LayerSource, type SourceIdentity, type SourceMeta } from './types.js';

const WORLD: BBox = [-Infinity, -Infinity, Infinity, Infinity];

/** Every index entry of an in-memory bundle, in load order (the order `search` answers in). */
export function bundleEntries(bundle: Bundle): IndexEntry[] {
  return bundle.search(WORLD);
}

/** The rows a remote source stores for a bundle: one per index entry, `ord` = position in load order. */
export function bundleEntryRows(bundle: Bundle): EntryRow[] {
  return bundleEntries(bundle).map((e, ord) => ({
    ord,
    id: e.feature.id,
    kind: e.feature.kind,
    zone: e.feature.zone,
    properties: e.feature.properties,
    featureBbox: e.feature.bbox,
    polygons: e.polygons,
    lines: e.polygons ? null : e.feature.lines,
  }));
}

/** What a remote source keeps beside its rows (see SourceMeta). */
export function describeBundle(bundle: Bundle): SourceMeta {
  if (bundle.source !== 'memory') throw new Error(`describeBundle needs a bundle loaded in memory, not from ${bundle.source}`);
  return {
    format: SOURCE_FORMAT,
    id: bundle.id,
    name: bundle.name,
    hash: bundle.hash,
    manifest: bundle.manifest,
    sliverToleranceM2: bundle.sliverToleranceM2,
    distanceSearchM: bundle.distanceSearchM,
    localPolicies: bundle.localPolicies,
    bbox: bundle.bbox,
    boundary: bundle.boundary,
    stats: bundle.stats,
    featureCount: bundle.features.length,
    entryCount: bundleEntries(bundle).length,
  };
}

export function identityOf(meta: SourceMeta): SourceIdentity {
  return { format: meta.format, id: meta.id, name: meta.name, hash: meta.hash, entryCount: meta.entryCount };
}

/** Checks stored metadata read back from a source (shape only: the content was validated at build time). */
export function readSourceMeta(raw: unknown, where: string): SourceMeta {
  const m = raw as Partial<SourceMeta> | null;
  const bad = (what: string) => new Error(`layer source ${where}: ${what}`);
  if (!m || typeof m !== 'object') throw bad('metadata is not an object');
  if (m.format !== SOURCE_FORMAT) throw bad(`unknown format ${JSON.stringify(m.format)} (expected ${SOURCE_FORMAT}); rebuild it with this version`);
  for (const k of ['id', 'name', 'hash'] as const) if (typeof m[k] !== 'string' || !m[k]) throw bad(`metadata lacks ${k}`);
  if (!m.manifest || typeof m.manifest !== 'object') throw bad('metadata lacks the manifest');
  if (!Array.isArray(m.boundary) || m.boundary.length === 0) throw bad('metadata lacks the boundary features');
  if (!Array.isArray(m.bbox) || m.bbox.length !== 4) throw bad('metadata lacks bbox');
  if (!Array.isArray(m.stats) || !Array.isArray(m.localPolicies)) throw bad('metadata lacks stats or localPolicies');
  if (typeof m.sliverToleranceM2 !== 'number' || typeof m.distanceSearchM !== 'number') throw bad('metadata lacks the tolerances');
  if (!Number.isInteger(m.entryCount) || !Number.isInteger(m.featureCount)) throw bad('metadata lacks the counts');
  return m as SourceMeta;
}

/**
 * Stored rows (any order, possibly a superset: a float index or a page of the tree) → the entries
 * whose bbox meets `bbox`, in load order, exactly as the in-memory index answers. Pieces of one
 * feature share one LayerFeature (the overlay sums a feature's pieces by identity); its `polygons`
 * are the pieces read, i.e. the whole feature unless it was subdivided.
 */
export function assembleEntries(rows: Iterable<EntryRow>, bbox: BBox): IndexEntry[] {
  const kept: { row: EntryRow; bbox: BBox }[] = [];
  const seen = new Set<number>();
  for (const row of rows) {
    if (seen.has(row.ord)) continue;
    const geom = row.polygons ?? row.lines;
    if (!geom || geom.length === 0) continue;
    const b = bboxOf(geom);
    if (!bboxIntersects(b, bbox)) continue;
    seen.add(row.ord);
    kept.push({ row, bbox: b });
  }
  kept.sort((a, b) => a.row.ord - b.row.ord);
  const features = new Map<string, LayerFeature>();
  const out: IndexEntry[] = [];
  for (const { row, bbox: b } of kept) {
    let f = features.get(row.id);
    if (!f) {
      if (!(row.kind in LAYER_KINDS)) throw new Error(`layer source: feature ${row.id} has unknown kind ${row.kind}`);
      f = {
        id: row.id, kind: row.kind as LayerKind, zone: row.zone, properties: row.properties,
        polygons: row.polygons ? [] : null, lines: row.lines, bbox: row.featureBbox,
      };
      features.set(row.id, f);
    }
    if (row.polygons) (f.polygons as MultiPolygonCoords).push(...row.polygons);
    out.push({ feature: f, polygons: row.polygons, bbox: b });
  }
  return out;
}

export class SourceNotSupportedError extends Error {}

/**
 * A Bundle served by a remote layer source. `query` (what evaluateProject uses) goes to the source;
 * `features`/`featureById` hold the boundary only, and the synchronous `search` (used by the report
 * map and the suitability analysis) is not available: it throws SourceNotSupportedError.
 */
export function sourceBundle(meta: SourceMeta, source: LayerSource): Bundle {
  const boundary = meta.boundary;
  return {
    id: meta.id,
    name: meta.name,
    manifest: meta.manifest,
    hash: meta.hash,
    sliverToleranceM2: meta.sliverToleranceM2,
    distanceSearchM: meta.distanceSearchM,
    localPolicies: meta.localPolicies,
    features: boundary,
    featureById: new Map(boundary.map((f) => [f.id, f])),
    search: () => {
      throw new SourceNotSupportedError(
        `bundle ${meta.id} is served by the ${source.name} layer source: synchronous search (report map, suitability) needs the bundle in memory (ZONING_LAYER_SOURCE=memory)`,
      );
    },
    query: (b) => source.query(b),
    source: source.name,
    boundary,
    stats: meta.stats,
    bbox: meta.bbox,
  };
}
