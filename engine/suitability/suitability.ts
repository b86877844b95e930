/**
 * Suitability search: where in a jurisdiction would a project be `allowed`, `conditional` or
 * `forbidden`? The answer is a map of exact polygons, each with the findings that decide it.
 *
 * Method (exact, bounded by a grid):
 *  1. The box (default: the jurisdiction's) is cut into cells of about `cellSizeM` metres; the
 *     request is refused (413) beyond `maxCells`.
 *  2. Regions that can change the answer: the features of the kinds the policies in force judge or
 *     read, and — for the kinds judged by distance (roads, heritage footprints) — the bands within
 *     each distance threshold the rules test and within the bundle's search radius (band-buffer.ts).
 *  3. In each cell every region is related to the cell: one that contains the cell or misses it adds
 *     no boundary (the site-in-entry shortcut); the cell is cut by the others only, piece by region,
 *     with the geometry module's intersect/difference. That is the arrangement of the cell.
 *  4. Each piece is judged by the engine at an interior point (strictly inside the piece, not its
 *     centroid): the engine's own overlay of that point (overlaySite) gives the constraints there;
 *     the policies (evaluateProject, a Point site) run once per distinct set of constraints — a
 *     judgement depends on nothing else (distances only through the thresholds the rules compare).
 *  5. Pieces with the same verdict, reasons (finding kind/zone/verdict/rule) and questions are
 *     dissolved (union) across cells; areas are ellipsoidal (CGCS2000).
 *
 * Pure: no I/O. Long searches yield to the event loop now and then (setTimeout), so a server stays
 * responsive while one runs.
 */
import Flatbush from 'flatbush';
import {
  bboxIntersects, bboxOf, difference, ellipsoidalArea, intersect, normalizeSite,
  type BBox, type MultiPolygonCoords, type PolygonCoords, type Position,
} from '../geometry/index.js';
import type { Bundle, IndexEntry, LayerFeature } from '../bundle/types.js';
import { GeometryOperationError } from '../geometry/clip.js';
import { evaluateProject, type EngineContext } from '../evaluate/evaluate-project.js';
import { validateProject } from '../evaluate/validate-project.js';
import { overlaySearchBox, overlaySite } from '../overlay/overlay-site.js';
import { relateBoxToPolygons } from '../overlay/site-in-entry.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import type { Condition } from '../policy/types.js';
import { InputProblem } from '../problem.js';
import { LAYER_KIND_IDS, VERDICTS, VERDICT_RANK, type LayerKind, type Verdict } from '../vocabulary.js';
import { bandBuffer, linesNear } from './band-buffer.js';
import { dissolve } from './dissolve.js';
import { buildGrid, gridSize, metresPerDegree } from './grid.js';
import { interiorPoints } from './interior-point.js';
import { DEFAULT_CELL_SIZE_M, type SuitabilityRequest } from './read-request.js';

export const DEFAULT_MAX_CELLS = 20_000;
/** Pieces smaller than this (m²) are numerical slivers of coincident edges and are dropped. */
const MIN_PIECE_M2 = 0.01;
/** Coordinates of the dissolved output are rounded to this grid (degrees, ≈ 0.1 mm). */
const OUTPUT_STEP = 1e-9;

export interface SuitabilityOptions {
  now: Date;
  maxCells?: number;
  /** Milliseconds, for the reported time; default performance.now. */
  timer?: () => number;
}

export interface SuitabilityReason {
  kind: LayerKind;
  zone: string | null;
  name: string;
  verdict: Verdict;
  policy: string;
  rule: string | null;
}

export interface SuitabilityFeature {
  type: 'Feature';
  id: string;
  geometry: { type: 'Polygon'; coordinates: PolygonCoords };
  properties: {
    verdict: Verdict;
    reasons: SuitabilityReason[];
    /** Attributes whose answer would change the verdict here (the decision's `questions`). */
    questions: string[];
    areaHa: number;
    /** A point strictly inside this polygon, [lon, lat], where the engine gives this answer. */
    point: Position;
    /**
     * false where the clipper failed and a quadrant of a cell was judged whole (the grid fallback):
     * the answer holds at `point` but may not hold in all of the polygon.
     */
    exact: boolean;
  };
}

export interface SuitabilityResult {
  type: 'FeatureCollection';
  jurisdiction: string;
  bundleHash: string;
  asOf: string;
  project: SuitabilityRequest['project'];
  bbox: BBox;
  cellSizeM: number;
  method: 'exact-arrangement';
  /** Layer kinds that can change the answer for this activity (the others were not cut). */
  kinds: LayerKind[];
  /** Distances (m) at which the answer can change near roads and heritage footprints. */
  distanceBandsM: number[];
  summary: {
    allowed: { areaHa: number; polygons: number };
    conditional: { areaHa: number; polygons: number };
    forbidden: { areaHa: number; polygons: number };
    totalHa: number;
  };
  stats: {
    cells: number;
    cellsInJurisdiction: number;
    uniformCells: number;
    pieces: number;
    evaluations: number;
    droppedSlivers: number;
    /** Unions the clipper could not do: those neighbours stay apart (as exact, less dissolved). */
    undissolved: number;
    /** Pieces the clipper could not cut even after splitting (see `exact` on the features). */
    inexactPieces: number;
    /** Polygons at none of whose inner points the engine confirmed their outcome (flagged inexact). */
    unconfirmedPolygons: number;
    timeMs: number;
  };
  features: SuitabilityFeature[];
}

/** Something that cuts cells: a feature's polygons (or one subdivided piece), or a distance band. */
interface Region { polygons: MultiPolygonCoords; bbox: BBox; boundary: boolean }
interface Piece { poly: MultiPolygonCoords; bbox: BBox; exact: boolean }
interface Outcome { verdict: Verdict; reasons: SuitabilityReason[]; questions: string[]; key: string }
interface Group { outcome: Outcome; exact: boolean; polys: MultiPolygonCoords[] }

export async function suitability(ctx: EngineContext, req: SuitabilityRequest, opts: SuitabilityOptions): Promise<SuitabilityResult> {
  const timer = opts.timer ?? (() => (globalThis.performance ? performance.now() : Date.now()));
  const t0 = timer();
  const bundle = ctx.bundles.get(req.jurisdiction);
  if (!bundle) {
    throw new InputProblem(404, '未知的辖区', `辖区 "${req.jurisdiction}" 不存在；可选值见 GET /v1/jurisdictions`, [
      { path: '/jurisdiction', message: `未知的辖区 "${req.jurisdiction}"` },
    ]);
  }
  validateProject(req.project);
  const asOf = req.asOf ?? opts.now.toISOString().slice(0, 10);
  const cellSizeM = req.cellSizeM ?? DEFAULT_CELL_SIZE_M;
  const box = clampBox(req.bbox ?? bundle.bbox, bundle.bbox);
  if (!box) {
    throw new InputProblem(422, '范围不在辖区内', `bbox 与辖区 ${bundle.name} 的范围 ${JSON.stringify(bundle.bbox)} 不相交`, [
      { path: '/bbox', message: '与辖区范围不相交' },
    ]);
  }
  const maxCells = opts.maxCells ?? DEFAULT_MAX_CELLS;
  const { nx, ny } = gridSize(box, cellSizeM);
  if (nx * ny > maxCells) {
    const mpd = metresPerDegree((box[1] + box[3]) / 2);
    const areaM2 = (box[2] - box[0]) * mpd.lon * (box[3] - box[1]) * mpd.lat;
    const minCell = Math.ceil(Math.sqrt(areaM2 / maxCells));
    const detail = `范围需 ${nx} × ${ny} = ${nx * ny} 个网格，超过上限 ${maxCells}；请缩小 bbox 或把 cellSizeM 增大到至少约 ${minCell} 米`;
    throw new InputProblem(413, '搜索范围过大', detail, [
      { path: '/cellSizeM', message: detail },
      ...(req.bbox ? [{ path: '/bbox', message: '范围过大' }] : []),
    ], 'https://zoning.example/problems/too-large');
  }

  const policies = policiesInForce(ctx, bundle, asOf);
  const kinds = relevantKinds(policies, req.project.activity);
  const thresholds = distanceThresholds(policies, req.project.activity);
  const radius = bundle.distanceSearchM;
  const mpd = metresPerDegree((box[1] + box[3]) / 2);
  // Every layer entry the search can need, through the bundle's layer source (memory, FlatGeobuf,
  // PostGIS), fetched once and indexed here.
  const local = localIndex(await bundle.query(grow(box, Math.max(0, radius) * 1.5 + 100, mpd)));
  const regionIndex = buildRegions(local, kinds, box, thresholds, radius);
  const grid = buildGrid(box, cellSizeM);
  const m2PerDeg2 = mpd.lat * mpd.lon;

  const memo = new Map<string, Outcome | null>();
  const groups = new Map<string, Group>();
  const stats = { cells: grid.cells, cellsInJurisdiction: 0, uniformCells: 0, pieces: 0, evaluations: 0, droppedSlivers: 0, undissolved: 0, inexactPieces: 0, unconfirmedPolygons: 0 };

  /** The engine's answer at a point; null outside the jurisdiction. */
  const judgeAt = async (p: Position): Promise<Outcome | null> => {
    const sig = signatureAt(bundle, local, p, kinds, thresholds.of);
    if (sig === null) return null;
    if (memo.has(sig)) return memo.get(sig)!;
    stats.evaluations++;
    let outcome: Outcome | null;
    try {
      const d = await evaluateProject(
        ctx,
        { jurisdiction: bundle.id, asOf, project: { activity: req.project.activity, attributes: req.project.attributes ?? {} }, site: { type: 'Point', coordinates: p } },
        { decisionId: 'suitability', now: opts.now },
      );
      const reasons: SuitabilityReason[] = d.findings.map((f) => ({
        kind: f.kind, zone: f.zone, name: f.name, verdict: f.verdict, policy: f.because.policy, rule: f.because.rule,
      }));
      const questions = d.questions.map((q) => q.attribute);
      outcome = { verdict: d.verdict, reasons, questions, key: `${d.verdict}|${JSON.stringify(reasons)}|${questions.join(',')}` };
    } catch (e) {
      if (!(e instanceof InputProblem)) throw e;
      outcome = null; // e.g. a point just outside the jurisdiction: not part of the answer
    }
    memo.set(sig, outcome);
    return outcome;
  };

  let lastYield = timer();
  for (let j = 0; j < grid.ny; j++) {
    if (j % TILE === 0) for (const src of regionIndex.sources) if (src.lines) src.cache.clear(); // a new row of tiles
    for (let i = 0; i < grid.nx; i++) {
      const cell: BBox = [grid.xs[i], grid.ys[j], grid.xs[i + 1], grid.ys[j + 1]];
      if (!(cell[2] > cell[0] && cell[3] > cell[1])) continue;
      const ti = Math.floor(i / TILE);
      const tj = Math.floor(j / TILE);
      const tile: Tile = {
        key: `${ti},${tj}`,
        box: [grid.xs[ti * TILE], grid.ys[tj * TILE], grid.xs[Math.min(grid.nx, ti * TILE + TILE)], grid.ys[Math.min(grid.ny, tj * TILE + TILE)]],
      };
      const arrangement = arrangeCell(regionIndex, cell, tile, mpd);
      if (arrangement === null) continue;
      stats.cellsInJurisdiction++;
      if (arrangement.uniform) stats.uniformCells++;
      for (const piece of arrangement.pieces) {
        for (const poly of piece.poly) {
          if (!arrangement.uniform && planarPolygonArea(poly) * m2PerDeg2 < MIN_PIECE_M2) {
            stats.droppedSlivers++;
            continue;
          }
          // A cell no region boundary crosses is judged once, at its centre.
          const p = arrangement.uniform ? centre(cell) : interiorPoints(poly, 1)[0];
          if (!p) {
            stats.droppedSlivers++;
            continue;
          }
          stats.pieces++;
          const outcome = await judgeAt(p);
          if (!outcome) continue;
          if (!piece.exact) stats.inexactPieces++;
          const gk = piece.exact ? outcome.key : `${outcome.key}|inexact`;
          let g = groups.get(gk);
          if (!g) groups.set(gk, (g = { outcome, exact: piece.exact, polys: [] }));
          g.polys.push([poly]);
        }
      }
      if (timer() - lastYield > 50) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = timer();
      }
    }
  }

  // Dissolve: one union per outcome, then one feature per connected polygon, each with a point
  // inside it where the engine gives that outcome.
  const features: SuitabilityFeature[] = [];
  const summary = {
    allowed: { areaHa: 0, polygons: 0 }, conditional: { areaHa: 0, polygons: 0 }, forbidden: { areaHa: 0, polygons: 0 }, totalHa: 0,
  };
  const ordered = [...groups.values()].sort((a, b) => VERDICT_RANK[a.outcome.verdict] - VERDICT_RANK[b.outcome.verdict] || a.outcome.key.localeCompare(b.outcome.key) || Number(b.exact) - Number(a.exact));
  for (const g of ordered) {
    const { polygons: merged, failures } = dissolve(g.polys.map(snapPolys));
    stats.undissolved += failures;
    await new Promise((r) => setTimeout(r, 0));
    for (const poly of merged) {
      const areaM2 = ellipsoidalArea([poly]);
      if (areaM2 < MIN_PIECE_M2) continue;
      const candidates = interiorPoints(poly, 8);
      if (candidates.length === 0) continue;
      let point: Position | null = null;
      for (const p of candidates) {
        if ((await judgeAt(p))?.key === g.outcome.key) {
          point = p;
          break;
        }
      }
      let exact = g.exact;
      if (!point) {
        // No inner point confirms the outcome: kept, but flagged (never seen on the demo bundle).
        point = candidates[0];
        exact = false;
        stats.unconfirmedPolygons++;
      }
      const areaHa = areaM2 / 10_000;
      summary[g.outcome.verdict].areaHa += areaHa;
      summary[g.outcome.verdict].polygons++;
      summary.totalHa += areaHa;
      features.push({
        type: 'Feature',
        id: `s-${features.length + 1}`,
        geometry: { type: 'Polygon', coordinates: poly },
        properties: { verdict: g.outcome.verdict, reasons: g.outcome.reasons, questions: g.outcome.questions, areaHa: round(areaHa, 4), point, exact },
      });
    }
  }
  for (const v of VERDICTS) summary[v].areaHa = round(summary[v].areaHa, 4);
  summary.totalHa = round(summary.totalHa, 4);

  return {
    type: 'FeatureCollection',
    jurisdiction: bundle.id,
    bundleHash: bundle.hash,
    asOf,
    project: req.project,
    bbox: box,
    cellSizeM,
    method: 'exact-arrangement',
    kinds: LAYER_KIND_IDS.filter((k) => kinds.has(k)),
    distanceBandsM: regionIndex.bands,
    summary,
    stats: { ...stats, timeMs: Math.round(timer() - t0) },
    features,
  };
}

interface LocalIndex { search(b: BBox): IndexEntry[] }

/** A spatial index over entries fetched once; search answers in the order they came. */
function localIndex(entries: IndexEntry[]): LocalIndex {
  if (entries.length === 0) return { search: () => [] };
  const index = new Flatbush(entries.length);
  for (const e of entries) index.add(e.bbox[0], e.bbox[1], e.bbox[2], e.bbox[3]);
  index.finish();
  return { search: (b) => index.search(b[0], b[1], b[2], b[3]).sort((x, y) => x - y).map((i) => entries[i]) };
}

/** A road or heritage footprint whose distance bands cut the cells near it. */
interface DistanceSource {
  lines: Position[][] | null;
  polygons: MultiPolygonCoords | null;
  /** Metres from the geometry to where distances start (half the road land's width). */
  offset: number;
  /** Band distances beyond `offset`, descending: the thresholds its rules compare, and the search radius. */
  bands: number[];
  /** The box within which the widest band can reach. */
  reach: BBox;
  /** Bands by distance (footprints) or by distance and tile (roads). */
  cache: Map<string, Region | null>;
}

interface RegionIndex {
  search(b: BBox): Region[];
  sources: DistanceSource[];
  /** Every band distance used (m), ascending. */
  bands: number[];
}

/**
 * Every region that can cut a cell in the box: relevant features' polygons as the bundle indexes them
 * (large features are already subdivided), and the distance sources (roads, heritage footprints)
 * whose bands are built cell by cell (arrangeCell), from the nearby parts of their lines only.
 */
function buildRegions(local: LocalIndex, kinds: ReadonlySet<LayerKind>, box: BBox, thresholds: Thresholds, radius: number): RegionIndex {
  const regions: Region[] = [];
  for (const e of local.search(box)) {
    if (!e.polygons || !kinds.has(e.feature.kind)) continue;
    regions.push({ polygons: e.polygons, bbox: e.bbox, boundary: e.feature.kind === 'boundary' });
  }
  const sources: DistanceSource[] = [];
  const used = new Set<number>();
  if (radius > 0) {
    const mpd = metresPerDegree((box[1] + box[3]) / 2);
    const seen = new Set<LayerFeature>();
    for (const e of local.search(grow(box, radius * 1.5 + 100, mpd))) {
      const f = e.feature;
      if (seen.has(f) || !kinds.has(f.kind)) continue;
      seen.add(f);
      const isRoad = f.kind === 'road' && !!f.lines;
      const isSite = f.kind === 'heritage' && f.zone === 'site' && !!f.polygons;
      if (!isRoad && !isSite) continue;
      const offset = isRoad && typeof f.properties.widthM === 'number' ? f.properties.widthM / 2 : 0;
      const bands = [...new Set([...(offset > 0 ? [0] : []), ...thresholds.of(f.kind, f.zone).filter((t) => t > 0 && t < radius), radius])].sort((a, b) => b - a);
      for (const t of bands) used.add(t);
      sources.push({
        lines: isRoad ? f.lines : null,
        polygons: isSite ? f.polygons : null,
        offset,
        bands,
        reach: grow(f.bbox, offset + radius + 1, mpd),
        cache: new Map(),
      });
    }
  }
  let index: Flatbush | null = null;
  if (regions.length) {
    index = new Flatbush(regions.length);
    for (const r of regions) index.add(r.bbox[0], r.bbox[1], r.bbox[2], r.bbox[3]);
    index.finish();
  }
  return {
    search: (b) => (index ? index.search(b[0], b[1], b[2], b[3]).sort((x, y) => x - y).map((i) => regions[i]) : []),
    sources,
    bands: [...used].sort((a, b) => a - b),
  };
}

/**
 * The band of a distance source within `t` metres, as far as it can matter in a tile of cells. Road
 * bands are built from the parts of the road near the tile only, once per tile.
 */
function bandRegion(src: DistanceSource, t: number, tile: Tile, mpd: { lat: number; lon: number }): Region | null {
  const d = src.offset + t;
  const key = src.polygons ? `${t}` : `${t}|${tile.key}`;
  if (src.cache.has(key)) return src.cache.get(key)!;
  let polygons: MultiPolygonCoords = [];
  if (src.polygons) polygons = bandBuffer({ polygons: src.polygons }, d);
  else {
    const reach: [number, number] = [(d * 1.2 + 20) / mpd.lon, (d * 1.2 + 20) / mpd.lat];
    const lines = linesNear(src.lines!, tile.box, reach);
    if (lines.length) polygons = bandBuffer({ lines }, d);
  }
  const region = polygons.length ? { polygons, bbox: bboxOf(polygons), boundary: false } : null;
  src.cache.set(key, region);
  return region;
}

/** A block of TILE × TILE cells sharing their road bands. */
interface Tile { key: string; box: BBox }
const TILE = 4;

function grow(b: BBox, metres: number, mpd: { lat: number; lon: number }): BBox {
  const dx = metres / mpd.lon;
  const dy = metres / mpd.lat;
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

/** The arrangement of one cell (pieces no region boundary crosses); null outside the jurisdiction. */
function arrangeCell(regions: RegionIndex, cell: BBox, tile: Tile, mpd: { lat: number; lon: number }): { pieces: Piece[]; uniform: boolean } | null {
  const probe = centre(cell);
  const boundaryClips: Region[] = [];
  let inBoundary = false;
  const clips: Region[] = [];
  for (const r of regions.search(cell)) {
    const rel = relateBoxToPolygons(cell, probe, r.polygons, r.bbox);
    if (rel === 'outside') continue;
    if (r.boundary) {
      if (rel === 'inside') inBoundary = true;
      else boundaryClips.push(r);
    } else if (rel === 'clip') clips.push(r);
  }
  if (!inBoundary && boundaryClips.length === 0) return null;
  // Distance bands, widest first: once a band misses the cell, the narrower ones miss it too.
  for (const src of regions.sources) {
    if (!bboxIntersects(src.reach, cell)) continue;
    for (const t of src.bands) {
      const band = bandRegion(src, t, tile, mpd);
      if (!band) break;
      const rel = relateBoxToPolygons(cell, probe, band.polygons, band.bbox);
      if (rel === 'outside') break;
      if (rel === 'clip') clips.push(band);
    }
  }
  const rect: MultiPolygonCoords = [rectangle(cell)];
  if (inBoundary && clips.length === 0) return { pieces: [{ poly: rect, bbox: cell, exact: true }], uniform: true };
  // The boundary cuts like any region; the parts outside it have no answer (signatureAt: null).
  clips.unshift(...boundaryClips);
  let pieces: Piece[] = [{ poly: rect, bbox: cell, exact: true }];
  for (const r of clips) {
    const next: Piece[] = [];
    for (const piece of pieces) cutPiece(piece, r, 0, next);
    pieces = next;
  }
  return { pieces, uniform: false };
}

/** Deepest quadrant split tried when the clipper fails on a piece (a 200 m cell → 25 m). */
const MAX_SPLIT_DEPTH = 3;

/**
 * Cuts a piece by a region into the part inside and the part outside (pushed to `out`). When the
 * clipper cannot (GeometryOperationError), the piece is split into quadrants and each is cut in
 * turn; a quadrant still failing at MAX_SPLIT_DEPTH stays whole and is flagged inexact.
 */
function cutPiece(piece: Piece, r: Region, depth: number, out: Piece[]): void {
  if (!bboxIntersects(piece.bbox, r.bbox) || relateBoxToPolygons(piece.bbox, piece.poly[0][0][0], r.polygons, r.bbox) !== 'clip') {
    out.push(piece);
    return;
  }
  try {
    const inPart = intersect(piece.poly, r.polygons);
    if (inPart.length === 0) {
      out.push(piece);
      return;
    }
    const outPart = difference(piece.poly, r.polygons);
    out.push({ poly: inPart, bbox: bboxOf(inPart), exact: piece.exact });
    if (outPart.length) out.push({ poly: outPart, bbox: bboxOf(outPart), exact: piece.exact });
  } catch (e) {
    if (!(e instanceof GeometryOperationError)) throw e;
    if (depth >= MAX_SPLIT_DEPTH) {
      out.push({ ...piece, exact: false });
      return;
    }
    const [w, s, e2, n] = piece.bbox;
    const mx = (w + e2) / 2;
    const my = (s + n) / 2;
    for (const q of [[w, s, mx, my], [mx, s, e2, my], [w, my, mx, n], [mx, my, e2, n]] as BBox[]) {
      let sub: MultiPolygonCoords;
      try {
        sub = intersect(piece.poly, [rectangle(q)]);
      } catch (e3) {
        if (!(e3 instanceof GeometryOperationError)) throw e3;
        out.push({ ...piece, exact: false });
        return;
      }
      if (sub.length) cutPiece({ poly: sub, bbox: bboxOf(sub), exact: piece.exact }, r, depth + 1, out);
    }
  }
}

/**
 * What the engine sees at a point, as a key: the constraints of its own overlay of that point (kind,
 * zone, paddy, levels…, the number of features), each distance reduced to its side of every
 * threshold the rules compare distances with. null outside the jurisdiction.
 */
function signatureAt(bundle: Bundle, local: LocalIndex, p: Position, kinds: ReadonlySet<LayerKind>, thresholdsOf: Thresholds['of']): string | null {
  const res = normalizeSite({ type: 'Point', coordinates: p });
  if (!res.ok) return null;
  const ov = overlaySite(bundle, res.site, local.search(overlaySearchBox(bundle, res.site)));
  if (ov.outsideBoundaryM2 > 0) return null;
  const parts = ov.constraints.filter((c) => kinds.has(c.kind)).map((c) => {
    const { featureIds, distanceM, ...rest } = c;
    return JSON.stringify({
      ...rest,
      n: featureIds.length,
      d: distanceM === null ? null : thresholdsOf(c.kind, c.zone).map((t) => Math.sign(distanceM - t)).join(''),
    }, Object.keys({ ...rest, n: 0, d: 0 }).sort());
  });
  return `${ov.pointOutsideUrbanBoundary ? 'out' : 'in'}\n${parts.sort().join('\n')}`;
}

function policiesInForce(ctx: EngineContext, bundle: Bundle, asOf: string): CompiledPolicy[] {
  const policies: CompiledPolicy[] = [...ctx.policies.national(asOf)];
  for (const id of bundle.localPolicies) {
    const p = ctx.policies.inForce(id, asOf);
    if (p) policies.push(p);
  }
  return policies;
}

/**
 * The layer kinds whose features can change the verdict or the reasons for this activity: the kinds
 * the policies in force judge, the kinds they read by area, every kind if a rule reads
 * `touchedKinds`, plus the boundary and the urban boundary (城镇开发边界外 is derived from it).
 */
export function relevantKinds(policies: CompiledPolicy[], activity: string): Set<LayerKind> {
  const kinds = new Set<LayerKind>(['boundary', 'urban-boundary']);
  for (const p of policies) {
    if (p.landSupply) continue; // land supply never changes the verdict
    for (const k of p.kinds) kinds.add(k as LayerKind);
    for (const fact of p.forActivity(activity).factsRead) {
      if (fact === 'touchedKinds') return new Set(LAYER_KIND_IDS);
      if (fact.startsWith('area.')) kinds.add(fact.slice(5) as LayerKind);
    }
  }
  return kinds;
}

interface Thresholds {
  /** The numbers the rules judging this kind and zone compare `distanceM` with, ascending, with 0. */
  of(kind: LayerKind, zone: string | null): number[];
}

/**
 * The distance thresholds of the rules that can judge this activity, per kind and zone: a comparison
 * of `distanceM` inside an `all` that also requires `zone` equal to (or in) some values counts for
 * those zones only; any other counts for every zone of the policy's kinds.
 */
function distanceThresholds(policies: CompiledPolicy[], activity: string): Thresholds {
  const byKind = new Map<string, Map<string, Set<number>>>();
  const add = (kind: string, zone: string, t: number) => {
    let z = byKind.get(kind);
    if (!z) byKind.set(kind, (z = new Map()));
    let set = z.get(zone);
    if (!set) z.set(zone, (set = new Set()));
    set.add(t);
  };
  const walk = (c: Condition, zones: string[] | null, kinds: ReadonlySet<string>) => {
    if ('all' in c) {
      let inner = zones;
      for (const x of c.all) {
        if ('fact' in x && x.fact === 'zone' && (x.operator === 'equal' || x.operator === 'in')) {
          const vs = (Array.isArray(x.value) ? x.value : [x.value]).map(String);
          inner = inner ? inner.filter((z) => vs.includes(z)) : vs;
        }
      }
      return c.all.forEach((x) => walk(x, inner, kinds));
    }
    if ('any' in c) return c.any.forEach((x) => walk(x, zones, kinds));
    if ('not' in c) return walk(c.not, zones, kinds);
    if (c.fact !== 'distanceM') return;
    for (const v of Array.isArray(c.value) ? c.value : [c.value]) {
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      for (const k of kinds) for (const z of zones ?? ['*']) add(k, z, v);
    }
  };
  for (const p of policies) {
    if (p.landSupply) continue;
    // Project-level policies see no distance; a kind policy's rules for this activity do.
    for (const r of p.forActivity(activity).rules) walk(r.conditions, null, p.kinds);
  }
  const memo = new Map<string, number[]>();
  return {
    of(kind, zone) {
      const key = `${kind}|${zone ?? ''}`;
      let out = memo.get(key);
      if (!out) {
        const z = byKind.get(kind);
        out = [...new Set([0, ...(z?.get('*') ?? []), ...(zone !== null ? (z?.get(zone) ?? []) : [])])].sort((a, b) => a - b);
        memo.set(key, out);
      }
      return out;
    },
  };
}

function clampBox(a: BBox, b: BBox): BBox | null {
  const r: BBox = [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.min(a[2], b[2]), Math.min(a[3], b[3])];
  return r[0] < r[2] && r[1] < r[3] ? r : null;
}

function rectangle([w, s, e, n]: BBox): PolygonCoords {
  return [[[w, s], [e, s], [e, n], [w, n], [w, s]]];
}

function centre([w, s, e, n]: BBox): Position {
  return [(w + e) / 2, (s + n) / 2];
}

function planarPolygonArea(poly: PolygonCoords): number {
  let s = 0;
  poly.forEach((ring, i) => {
    let a = 0;
    for (let k = 1; k < ring.length; k++) a += ring[k - 1][0] * ring[k][1] - ring[k][0] * ring[k - 1][1];
    s += i === 0 ? Math.abs(a) / 2 : -Math.abs(a) / 2;
  });
  return s;
}

function snapPolys(m: MultiPolygonCoords): MultiPolygonCoords {
  const q = (v: number) => Math.round(v / OUTPUT_STEP) * OUTPUT_STEP;
  return m.map((poly) => poly.map((ring) => ring.map(([x, y]) => [q(x), q(y)] as Position)));
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
