/**
 * Overlays a normalized site on a bundle's layers: candidates from the spatial index, exact
 * intersection after, ellipsoidal areas, summed per constraint (kind + zone value). Overlaps under
 * the sliver tolerance are reported apart and decide nothing (contract §5).
 */
import { ellipsoidalArea, intersect, pointInPolygons, union, type MultiPolygonCoords, type NormalizedSite } from '../geometry/index.js';
import type { Bundle, LayerFeature } from '../bundle/types.js';
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
}

export interface Sliver { kind: LayerKind; zone: string | null; featureIds: string[]; areaM2: number }

export interface OverlayResult {
  constraints: ConstraintOverlap[];
  slivers: Sliver[];
  /** Overlap with every feature of a kind, m² (kinds touched only). */
  areaByKind: Partial<Record<LayerKind, number>>;
  /** Area of the site outside the jurisdiction boundary, m² (a point: 0 inside, Infinity outside). */
  outsideBoundaryM2: number;
  /** Area of the site outside every urban-boundary feature (a point: 0 or siteArea-independent 1). */
  outsideUrbanBoundaryM2: number;
  pointOutsideUrbanBoundary: boolean;
}

interface Acc { kind: LayerKind; zone: string | null; features: LayerFeature[]; pieces: MultiPolygonCoords[]; paddy: boolean }

export function overlaySite(bundle: Bundle, site: NormalizedSite): OverlayResult {
  const groups = new Map<string, Acc>();
  const candidates = bundle.search(site.bbox);
  const isPoint = site.type === 'point';
  for (const f of candidates) {
    if (!f.polygons) continue; // line layers (roads) are judged by distance, not overlap
    let pieces: MultiPolygonCoords | null = null;
    if (isPoint) {
      if (!pointInPolygons(site.point!, f.polygons)) continue;
    } else {
      pieces = intersect(site.polygons, f.polygons);
      if (pieces.length === 0) continue;
    }
    const key = `${f.kind}|${f.zone ?? ''}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind: f.kind, zone: f.zone, features: [], pieces: [], paddy: false }));
    g.features.push(f);
    if (pieces) g.pieces.push(pieces);
    if (f.kind === 'arable-land' && f.properties.paddy === true) g.paddy = true;
  }

  const constraints: ConstraintOverlap[] = [];
  const slivers: Sliver[] = [];
  const areaByKind: Partial<Record<LayerKind, number>> = {};
  const tolerance = bundle.sliverToleranceM2;
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
        constraints.push({ kind: g.kind, zone: g.zone, featureIds, overlapAreaM2: null, distanceM: 0, paddy: g.paddy });
      }
      continue;
    }
    // Features of one kind should not overlap; union guards against bundles where they do.
    const merged = g.pieces.length === 1 ? g.pieces[0] : union(g.pieces);
    const area = ellipsoidalArea(merged);
    if (g.kind === 'boundary') {
      boundaryArea += area;
      continue;
    }
    areaByKind[g.kind] = (areaByKind[g.kind] ?? 0) + area;
    if (g.kind === 'urban-boundary') urbanArea += area;
    if (area < tolerance) {
      if (area > 0) slivers.push({ kind: g.kind, zone: g.zone, featureIds, areaM2: area });
      continue;
    }
    constraints.push({ kind: g.kind, zone: g.zone, featureIds, overlapAreaM2: area, distanceM: 0, paddy: g.paddy });
  }
  const outsideBoundaryM2 = isPoint ? (inBoundary ? 0 : Infinity) : Math.max(0, site.areaM2 - boundaryArea);
  const outsideUrbanBoundaryM2 = isPoint ? 0 : Math.max(0, site.areaM2 - urbanArea);
  constraints.sort((a, b) => a.kind.localeCompare(b.kind) || String(a.zone).localeCompare(String(b.zone)));
  return { constraints, slivers, areaByKind, outsideBoundaryM2, outsideUrbanBoundaryM2, pointOutsideUrbanBoundary: isPoint && !inUrban };
}
