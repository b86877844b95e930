/**
 * Overlays a normalized site on a bundle's layers: candidates from the spatial index, exact
 * intersection after, ellipsoidal areas, summed per constraint (kind + zone value). Overlaps under
 * the sliver tolerance are reported apart and decide nothing (contract §5).
 */
import {
  bboxIntersects, ellipsoidalArea, intersect, union,
  type BBox, type MultiPolygonCoords, type NormalizedSite,
} from '../geometry/index.js';
import { packedOf, type Bundle, type IndexEntry, type LayerFeature } from '../bundle/types.js';
import { classifyPacked } from '../geometry/packed.js';
import { relateBoxToPolygons } from './site-in-entry.js';
import { edgeSet, interiorsMeet, overlapProbe, type EdgeSet } from './overlap-area.js';
import { siteDistances } from '../geometry/site-distances.js';
import type { LayerKind } from '../vocabulary.js';

export interface ConstraintOverlap {
  kind: LayerKind;
  zone: string | null;
  featureIds: string[];
  /** m²; null for a point site. */
  overlapAreaM2: number | null;
  distanceM: number | null;
  /** arable-land: some touched feature is paddy (水田). */
  paddy: boolean;
  /** heritage / public-forest: the highest `level` among the features (national first). */
  featureLevel?: string | null;
  /** mineral-deposit: the minerals of the touched deposits. */
  depositMinerals?: string[];
}

const LEVEL_ORDER = ['national', 'provincial', 'municipal', 'county'];

export interface Sliver { kind: LayerKind; zone: string | null; featureIds: string[]; areaM2: number }

export interface OverlayResult {
  constraints: ConstraintOverlap[];
  slivers: Sliver[];
  /** Overlap with every feature of a kind, m² (kinds touched only). */
  areaByKind: Partial<Record<LayerKind, number>>;
  /**
   * Arable land other than permanent farmland, m²: the union of the arable-land and the
   * farmland-reserve overlaps. A 储备区 is designated on arable land, so the two layers may cover
   * the same ground, which must not count twice (the approval thresholds read this).
   */
  arableOtherM2: number;
  /** Area of the site outside the jurisdiction boundary, m² (a point: 0 inside, Infinity outside). */
  outsideBoundaryM2: number;
  /** Area of the site outside every urban-boundary feature (a point: 0 or siteArea-independent 1). */
  outsideUrbanBoundaryM2: number;
  pointOutsideUrbanBoundary: boolean;
}

interface Acc {
  kind: LayerKind;
  zone: string | null;
  features: LayerFeature[];
  hits: FeatureHit[];
  area: number;
  slivers: { id: string; area: number }[];
  paddy: boolean;
}

/**
 * One feature's overlap, summed over the pieces of a subdivided feature (they partition it).
 * `entries` are the index entries met, `pieces` their overlap polygons: null where the area was
 * measured without building the polygon (overlap-area.ts), built only if a union needs it.
 */
interface FeatureHit { feature: LayerFeature; entries: IndexEntry[]; pieces: (MultiPolygonCoords | null)[]; area: number }

/**
 * A measured overlap below this (m²), or 0 where the boundaries touch, goes to the general
 * clipper, which decides as before whether a touching contact leaves a sliver polygon or nothing.
 */
const MEASURED_MIN_M2 = 1e-3;

/** Site edges × entry edges beyond which the entry's edges are indexed for the overlap measurement. */
const ENTRY_INDEX_WORK = 4096;

/** The box around a site within which the overlay needs candidates (overlap plus distance search). */
export function overlaySearchBox(bundle: Bundle, site: NormalizedSite): BBox {
  // Road distances are measured from the edge of the road land: a road whose centre line is up to
  // the radius plus half its width away still counts. 1% margin over the degree approximations.
  const halfWidth = bundle.maxRoadHalfWidthM ?? 50;
  return bundle.distanceSearchM > 0 ? expand(site.bbox, (bundle.distanceSearchM + halfWidth) * 1.01) : site.bbox;
}

/**
 * `candidates` are the bundle's index entries meeting overlaySearchBox(bundle, site), from whichever
 * layer source serves the bundle.
 */
export function overlaySite(bundle: Bundle, site: NormalizedSite, candidates: IndexEntry[], checkTime: () => void = () => {}): OverlayResult {
  const groups = new Map<string, Acc>();
  const isPoint = site.type === 'point';
  const tolerance = bundle.sliverToleranceM2;
  const hits = new Map<LayerFeature, FeatureHit>();
  // The site's edges, built at the first overlap that needs clipping (null: fast path unavailable).
  let siteEdges: EdgeSet | null | undefined;
  for (const entry of candidates) {
    checkTime();
    // The packed form: reading entry.polygons would rebuild nested arrays (loaded bundles keep them packed).
    const polys = packedOf(entry);
    if (!polys) continue; // line layers (roads) are judged by distance, not overlap
    if (!bboxIntersects(entry.bbox, site.bbox)) continue;
    const f = entry.feature;
    if (isPoint) {
      if (!hits.has(f) && classifyPacked(site.point![0], site.point![1], polys) >= 0) hits.set(f, { feature: f, entries: [], pieces: [], area: 0 });
      continue;
    }
    const relation = relateBoxToPolygons(site.bbox, site.polygons[0][0][0], polys, entry.bbox);
    if (relation === 'outside') continue;
    let pieces: MultiPolygonCoords | null;
    let area: number;
    if (relation === 'inside') {
      pieces = site.polygons;
      area = site.areaM2;
    } else {
      // The exact overlap area, without building the overlap polygon (overlap-area.ts): 0 with
      // boundaries that never meet is a candidate met by the site's box only.
      if (siteEdges === undefined) siteEdges = edgeSet(site.polygons);
      // The site's edges look the entry's up: an index pays only when there are many lookups.
      const entryEdges = siteEdges ? edgeSet(polys, false, Math.max(48, Math.ceil(ENTRY_INDEX_WORK / siteEdges.n))) : null;
      const probe = entryEdges ? overlapProbe(siteEdges!, entryEdges, site.areaM2) : null;
      if (probe && probe.area === 0 && !probe.touches) continue;
      if (probe && probe.area >= MEASURED_MIN_M2) {
        pieces = null;
        area = probe.area;
      } else {
        pieces = intersect(site.polygons, entry.polygons!);
        if (pieces.length === 0) continue;
        area = ellipsoidalArea(pieces);
      }
    }
    if (area <= 0) continue; // touching along an edge or at a point only
    const hit = hits.get(f);
    if (hit) {
      hit.entries.push(entry);
      hit.pieces.push(pieces);
      hit.area += area;
    } else hits.set(f, { feature: f, entries: [entry], pieces: [pieces], area });
  }
  for (const hit of hits.values()) {
    const { feature: f, area } = hit;
    const key = `${f.kind}|${f.zone ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: f.kind, zone: f.zone, features: [], hits: [], area: 0, slivers: [], paddy: false }));
    // A feature met only by a sliver decides nothing and is not named in the finding (contract §5).
    if (!isPoint && area < tolerance && f.kind !== 'boundary') {
      g.slivers.push({ id: f.id, area });
      continue;
    }
    g.features.push(f);
    g.area += area;
    g.hits.push(hit);
    if (f.kind === 'arable-land' && f.properties.paddy === true) g.paddy = true;
  }

  const constraints: ConstraintOverlap[] = [];
  const slivers: Sliver[] = [];
  const areaByKind: Partial<Record<LayerKind, number>> = {};
  let boundaryArea = 0;
  let urbanArea = 0;
  let inBoundary = false;
  let inUrban = false;
  for (const g of groups.values()) {
    const featureIds = g.features.map((f) => f.id);
    if (isPoint) {
      if (g.kind === 'boundary') inBoundary = true;
      else {
        if (g.kind === 'urban-boundary') inUrban = true;
        areaByKind[g.kind] = 0;
        constraints.push({ kind: g.kind, zone: g.zone, featureIds, overlapAreaM2: null, distanceM: overlapDistance(g.kind, g.zone), paddy: g.paddy });
      }
      continue;
    }
    // Features of one kind should not overlap; union guards against bundles where they do.
    // (Pieces of one subdivided feature partition it: their areas simply add up; so do features
    // whose interiors are shown not to meet.)
    const area = g.features.length <= 1 ? g.area : combinedArea(site, g.hits, g.area);
    const sliverArea = g.slivers.reduce((a, x) => a + x.area, 0);
    const sliverIds = g.slivers.map((x) => x.id);
    if (g.kind === 'boundary') {
      boundaryArea += area;
      continue;
    }
    if (g.kind === 'urban-boundary') urbanArea += area + sliverArea;
    if (g.features.length === 0) {
      if (sliverArea < tolerance) {
        slivers.push({ kind: g.kind, zone: g.zone, featureIds: sliverIds, areaM2: sliverArea });
      } else {
        // Many slivers of one constraint adding up to more than the tolerance are not a sliver.
        areaByKind[g.kind] = (areaByKind[g.kind] ?? 0) + sliverArea;
        constraints.push({ kind: g.kind, zone: g.zone, featureIds: sliverIds, overlapAreaM2: sliverArea, distanceM: overlapDistance(g.kind, g.zone), paddy: g.paddy });
      }
      continue;
    }
    if (g.slivers.length) slivers.push({ kind: g.kind, zone: g.zone, featureIds: sliverIds, areaM2: sliverArea });
    areaByKind[g.kind] = (areaByKind[g.kind] ?? 0) + area;
    constraints.push({ kind: g.kind, zone: g.zone, featureIds, overlapAreaM2: area, distanceM: overlapDistance(g.kind, g.zone), paddy: g.paddy });
  }
  let arableOtherM2 = (areaByKind['arable-land'] ?? 0) + (areaByKind['farmland-reserve'] ?? 0);
  const arable = [groups.get('arable-land|'), groups.get('farmland-reserve|')];
  if (!isPoint && arable[0]?.hits.length && arable[1]?.hits.length) {
    const both = [...arable[0].hits, ...arable[1].hits];
    // Sliver-only parts of a group (counted above when they add up) have no pieces: they add as they are.
    const sliverOnly = arable.reduce((a, g) => a + (g!.features.length === 0 ? g!.slivers.reduce((x, s) => x + s.area, 0) : 0), 0);
    arableOtherM2 = combinedArea(site, both, both.reduce((a, h) => a + h.area, 0)) + sliverOnly;
  }
  addDistanceConstraints(bundle, site, candidates, constraints);
  const byId = new Map(candidates.map((e) => [e.feature.id, e.feature]));
  for (const c of constraints) describeFeatures(byId, c);
  const outsideBoundaryM2 = isPoint ? (inBoundary ? 0 : Infinity) : Math.max(0, site.areaM2 - boundaryArea);
  const outsideUrbanBoundaryM2 = isPoint ? 0 : Math.max(0, site.areaM2 - urbanArea);
  constraints.sort((a, b) => a.kind.localeCompare(b.kind) || String(a.zone).localeCompare(String(b.zone)));
  return { constraints, slivers, areaByKind, arableOtherM2, outsideBoundaryM2, outsideUrbanBoundaryM2, pointOutsideUrbanBoundary: isPoint && !inUrban };
}

/**
 * `distanceM` of a constraint the site overlaps: 0 for the kinds judged by distance (roads, heritage
 * footprints), null for the others (contract §5: distanceM is for road findings).
 */
function overlapDistance(kind: LayerKind, zone: string | null): number | null {
  return kind === 'road' || (kind === 'heritage' && zone === 'site') ? 0 : null;
}

/**
 * The area of the union of these features' overlaps with the site: their sum (`sum`) when their
 * interiors are shown not to meet, else the area of the union polygon.
 */
function combinedArea(site: NormalizedSite, hits: FeatureHit[], sum: number): number {
  return featuresDisjoint(hits) ? sum : ellipsoidalArea(union(groupPieces(site, hits)));
}

/**
 * Whether no two of these features share interior points within the site: judged on the index
 * entries the site met (a feature's pieces where it was subdivided), which every layer source
 * returns alike, so the area sums do not depend on the source; remembered per entry pair (a
 * property of the bundle while its entries live).
 */
function featuresDisjoint(hits: FeatureHit[]): boolean {
  const edges = new Map<IndexEntry, EdgeSet | null>();
  for (let i = 0; i < hits.length; i++) {
    for (let j = i + 1; j < hits.length; j++) {
      for (const a of hits[i].entries) for (const b of hits[j].entries) if (!entryPairDisjoint(a, b, edges)) return false;
    }
  }
  return true;
}

const disjointPairs = new WeakMap<IndexEntry, WeakMap<IndexEntry, boolean>>();

function entryPairDisjoint(a: IndexEntry, b: IndexEntry, cache: Map<IndexEntry, EdgeSet | null>): boolean {
  if (!bboxIntersects(a.bbox, b.bbox)) return true;
  let m = disjointPairs.get(a);
  const known = m?.get(b);
  if (known !== undefined) return known;
  const edges = (e: IndexEntry) => {
    if (!cache.has(e)) {
      const packed = packedOf(e);
      cache.set(e, packed ? edgeSet(packed) : null);
    }
    return cache.get(e)!;
  };
  const ea = edges(a), eb = edges(b);
  const disjoint = !!ea && !!eb && interiorsMeet(ea, eb) === false;
  if (!m) disjointPairs.set(a, (m = new WeakMap()));
  m.set(b, disjoint);
  return disjoint;
}

/** The overlap polygons of a group's entries (clipping those only measured so far). */
function groupPieces(site: NormalizedSite, hits: FeatureHit[]): MultiPolygonCoords[] {
  const out: MultiPolygonCoords[] = [];
  for (const h of hits) {
    h.entries.forEach((e, k) => {
      out.push(h.pieces[k] ?? (h.pieces[k] = intersect(site.polygons, e.polygons!)));
    });
  }
  return out;
}

/**
 * Roads and heritage footprints are judged by distance as well as overlap: those within the
 * bundle's search radius become constraints carrying `distanceM` (roads: to the edge of the road
 * land, i.e. centre-line distance less half `widthM`; heritage "site": to the footprint).
 */
function addDistanceConstraints(bundle: Bundle, site: NormalizedSite, candidates: IndexEntry[], constraints: ConstraintOverlap[]): void {
  const radius = bundle.distanceSearchM;
  if (!(radius > 0)) return;
  const near = new Map<string, [LayerFeature, number]>();
  const dist = siteDistances(site);
  for (const entry of candidates) {
    const f = entry.feature;
    let d: number;
    if (f.kind === 'road' && f.lines) {
      const half = typeof f.properties.widthM === 'number' ? f.properties.widthM / 2 : 0;
      // Surely beyond the radius (by the road's box, then by its segments): skip the exact distance.
      if (dist.boxAtLeastM(entry.bbox) - half > radius || dist.atLeastM(f.lines) - half > radius) continue;
      d = Math.max(0, dist.toLines(f.lines) - half);
    } else if (f.kind === 'heritage' && f.zone === 'site' && packedOf(entry)) {
      if (dist.boxAtLeastM(entry.bbox) > radius) continue;
      const polygons = entry.polygons!;
      if (dist.atLeastM(polygons.flat()) > radius) continue;
      d = dist.toPolygons(polygons);
    } else continue;
    if (!(d <= radius)) continue;
    const prev = near.get(f.id);
    if (prev === undefined || d < prev[1]) near.set(f.id, [f, d]);
  }
  const groups = new Map<string, { kind: LayerKind; zone: string | null; hits: [LayerFeature, number][] }>();
  for (const [f, d] of near.values()) {
    const key = `${f.kind}|${f.zone ?? ''}`;
    const g = groups.get(key) ?? { kind: f.kind, zone: f.zone, hits: [] };
    g.hits.push([f, d]);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    g.hits.sort((a, b) => a[1] - b[1] || a[0].id.localeCompare(b[0].id));
    const min = g.hits[0][1];
    const ids = g.hits.map(([f]) => f.id);
    const existing = constraints.find((c) => c.kind === g.kind && c.zone === g.zone);
    if (existing) {
      existing.distanceM = 0;
      for (const id of ids) if (!existing.featureIds.includes(id)) existing.featureIds.push(id);
    } else {
      constraints.push({
        kind: g.kind, zone: g.zone, featureIds: ids,
        overlapAreaM2: g.kind === 'road' || site.type === 'point' ? null : 0,
        distanceM: Math.round(min * 100) / 100, paddy: false,
      });
    }
  }
}

function describeFeatures(byId: Map<string, LayerFeature>, c: ConstraintOverlap): void {
  if (c.kind !== 'heritage' && c.kind !== 'public-forest' && c.kind !== 'mineral-deposit') return;
  const features = c.featureIds.map((id) => byId.get(id)).filter((f): f is LayerFeature => !!f);
  if (c.kind === 'mineral-deposit') {
    c.depositMinerals = [...new Set(features.map((f) => f.properties.mineral).filter((m): m is string => typeof m === 'string'))].sort();
    return;
  }
  const levels = features.map((f) => (c.kind === 'public-forest' ? f.zone : f.properties.level)).filter((l): l is string => typeof l === 'string');
  c.featureLevel = LEVEL_ORDER.find((l) => levels.includes(l)) ?? null;
}

function expand(b: BBox, metres: number): BBox {
  const dLat = metres / 110_574;
  const dLon = metres / (111_320 * Math.max(0.01, Math.cos((((b[1] + b[3]) / 2) * Math.PI) / 180)));
  return [b[0] - dLon, b[1] - dLat, b[2] + dLon, b[3] + dLat];
}
