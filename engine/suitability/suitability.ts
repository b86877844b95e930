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
 *     no boundary (the site-in-entry shortcut); the cell is cut by the others only, with one guarded
 *     clipper run per cut giving both sides (clip.ts splitBy). Each piece remembers the regions it lies in
 *     by their class (kind, zone and the properties the engine reads: paddy, level, mineral; a band
 *     by its class and distance): a piece already inside a region of some class is not cut again
 *     by another region of that class (adjacent parcels, the pieces of a subdivided feature), and
 *     the parts outside the jurisdiction are dropped as soon as the boundary has cut the cell.
 *  4. Each piece is judged by the engine at an interior point (strictly inside the piece, not its
 *     centroid): the engine's own overlay of that point (overlaySite) gives the constraints there;
 *     the policies (evaluateProject, a Point site) run once per distinct set of constraints — a
 *     judgement depends on nothing else (distances only through the thresholds the rules compare).
 *     The set of classes a piece lies in determines those constraints, so the answer is looked up
 *     by it; it is computed (overlay + policies) at the first piece with room around its point.
 *  5. Pieces with the same verdict, reasons (finding kind/zone/verdict/rule) and questions are
 *     dissolved (union) across cells; the output is rounded to 1e-7° (about 1 cm); areas are
 *     ellipsoidal (CGCS2000); every output polygon's outcome is confirmed by the engine at a point
 *     inside it.
 *
 * Pure: no I/O. Cooperative: the search checks its deadline and an abort signal between steps and
 * yields to the event loop every few milliseconds (SuitabilityOptions), so a server stays
 * responsive while one runs, stops one whose client has gone, and answers a too-long one with 422.
 */
import Flatbush from 'flatbush';
import {
  bboxIntersects, bboxOf, ellipsoidalArea, intersect, normalizeSite,
  type BBox, type MultiPolygonCoords, type PolygonCoords, type Position,
} from '../geometry/index.js';
import type { Bundle, IndexEntry, LayerFeature } from '../bundle/types.js';
import { GeometryOperationError, splitBy } from '../geometry/clip.js';
import { cleanPolygon } from '../geometry/clean-polygons.js';
import { classify } from '../geometry/polygon-locator.js';
import { pointSegmentDistance2 } from '../geometry/planar.js';
import { evaluateProject, type EngineContext } from '../evaluate/evaluate-project.js';
import { validateAsOf, validateProject } from '../evaluate/validate-project.js';
import { overlaySearchBox, overlaySite } from '../overlay/overlay-site.js';
import { relateBoxToPolygons } from '../overlay/site-in-entry.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import type { Condition } from '../policy/types.js';
import { InputProblem } from '../problem.js';
import { isCalendarDate } from '../calendar-date.js';
import { LAYER_KIND_IDS, VERDICTS, VERDICT_RANK, type LayerKind, type Verdict } from '../vocabulary.js';
import { bandBuffer, linesNear } from './band-buffer.js';
import { dissolve } from './dissolve.js';
import { buildGrid, gridSize, metresPerDegree } from './grid.js';
import { interiorPointClearance, interiorPoints } from './interior-point.js';
import { DEFAULT_CELL_SIZE_M, type SuitabilityRequest } from './read-request.js';

export const DEFAULT_MAX_CELLS = 20_000;
/** Pieces smaller than this (m²) are numerical slivers of coincident edges and are dropped. */
const MIN_PIECE_M2 = 0.01;
/** Coordinates of the pieces are snapped to this grid before they are dissolved (degrees, ≈ 0.1 mm). */
const SNAP_STEP = 1e-9;
/** Coordinates of the output are rounded to this grid (degrees, about 1 cm). */
export const OUTPUT_STEP = 1e-7;
/**
 * A piece whose interior point is at least this far (degrees, ≈ 2 cm) from its edges may fix the
 * answer for every piece lying in the same classes: the distance bands are true to the engine's
 * distances within a centimetre, so such a point is on the same side of every band as the piece.
 */
const MEMO_CLEARANCE = 2e-7;
/** Default longest stretch of work between two yields to the event loop, ms. */
export const DEFAULT_SLICE_MS = 8;

export const TIMEOUT_PROBLEM_TYPE = 'https://zoning.example/problems/evaluation-timeout';
const OUTSIDE_PROBLEM_TYPE = 'https://zoning.example/problems/outside-jurisdiction';

export interface SuitabilityOptions {
  now: Date;
  maxCells?: number;
  /** Milliseconds, for the reported time; default performance.now. */
  timer?: () => number;
  /**
   * Wall-clock budget (ms since epoch, as Date.now()): past it the search stops with a 422
   * problem of type evaluation-timeout. Checked between cells, cuts, evaluations and unions.
   */
  deadline?: number;
  /** Stops the search (SuitabilityCancelled) once aborted, e.g. when the client has disconnected. */
  signal?: AbortSignal;
  /** Longest stretch of work between two yields to the event loop, ms (default 8). */
  sliceMs?: number;
  /** Wall clock for the deadline (default Date.now). */
  clock?: () => number;
}

/** Thrown when the search was stopped through its abort signal. */
export class SuitabilityCancelled extends Error {
  constructor(reason?: unknown) {
    super(`suitability search cancelled${reason === undefined ? '' : `: ${String(reason)}`}`);
    this.name = 'SuitabilityCancelled';
  }
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
    /** Cuts of a piece by a region (one guarded clipper run each). */
    cuts: number;
    evaluations: number;
    droppedSlivers: number;
    /** Unions the clipper could not do: those neighbours stay apart (as exact, less dissolved). */
    undissolved: number;
    /** Pieces the clipper could not cut even after splitting (see `exact` on the features). */
    inexactPieces: number;
    /** Polygons at none of whose inner points the engine confirmed their outcome (flagged inexact). */
    unconfirmedPolygons: number;
    /** Slivers narrower than ~4 cm that took the engine's answer at their own point instead. */
    relabelledSlivers: number;
    timeMs: number;
  };
  features: SuitabilityFeature[];
}

/**
 * Something that cuts cells: a feature's polygons (or one subdivided piece), or a distance band.
 * `cls`: what lying inside it tells the engine (see classKey); `boundary`: the jurisdiction's.
 */
interface Region { polygons: MultiPolygonCoords; bbox: BBox; boundary: boolean; cls: string }
/** A part of a cell; `inside`: the classes of the regions it lies in, sorted. */
interface Piece { poly: MultiPolygonCoords; bbox: BBox; exact: boolean; inside: string[] }
interface Outcome { verdict: Verdict; reasons: SuitabilityReason[]; questions: string[]; key: string }
interface Group { outcome: Outcome; exact: boolean; polys: { poly: MultiPolygonCoords; z: number }[] }

/** The cooperative side of a search: deadline, abort signal, and yields to the event loop. */
export interface Pacer {
  /** Throws the timeout problem or SuitabilityCancelled; cheap, synchronous. */
  check(): void;
  /** check(), then yields to the event loop when the current slice of work is used up. */
  pause(): Promise<void>;
}

const yieldToLoop: () => Promise<void> = typeof (globalThis as { setImmediate?: unknown }).setImmediate === 'function'
  ? () => new Promise<void>((r) => (globalThis as unknown as { setImmediate: (f: () => void) => void }).setImmediate(r))
  : () => new Promise<void>((r) => setTimeout(r, 0));

export function pacer(opts: Pick<SuitabilityOptions, 'deadline' | 'signal' | 'sliceMs' | 'clock'>, timeoutDetail: () => InputProblem): Pacer {
  const clock = opts.clock ?? Date.now;
  const slice = opts.sliceMs ?? DEFAULT_SLICE_MS;
  let sliceStart = clock();
  const check = () => {
    if (opts.signal?.aborted) throw new SuitabilityCancelled(opts.signal.reason);
    if (opts.deadline !== undefined && clock() > opts.deadline) throw timeoutDetail();
  };
  return {
    check,
    async pause() {
      check();
      if (clock() - sliceStart < slice) return;
      await yieldToLoop();
      sliceStart = clock();
      check();
    },
  };
}

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
  validateAsOf(req.asOf);
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
  const budgetMs = opts.deadline === undefined ? undefined : Math.max(0, Math.round(opts.deadline - (opts.clock ?? Date.now)() + (timer() - t0)));
  const pace = pacer(opts, () => {
    const budget = budgetMs === undefined ? '' : `（${budgetMs} 毫秒）`;
    const detail = `适宜性分析超过时间上限${budget}；请缩小分析范围（例如只分析当前地图视图）或增大计算网格 cellSizeM`;
    return new InputProblem(422, '分析超时', detail, [
      { path: '/cellSizeM', message: '分析超过时间上限' },
      ...(req.bbox ? [{ path: '/bbox', message: '分析超过时间上限' }] : []),
    ], TIMEOUT_PROBLEM_TYPE);
  });
  pace.check();

  const policies = policiesInForce(ctx, bundle, asOf);
  const kinds = relevantKinds(policies, req.project.activity);
  const thresholds = distanceThresholds(policies, req.project.activity);
  // Whether some rule counts the features of a constraint: then a piece's classes name the features.
  const byFeature = policies.some((p) => p.forActivity(req.project.activity).factsRead.includes('featureCount'));
  const radius = bundle.distanceSearchM;
  const mpd = metresPerDegree((box[1] + box[3]) / 2);
  // Every layer entry the search can need, through the bundle's layer source (memory, FlatGeobuf,
  // PostGIS), fetched once and indexed here.
  const local = localIndex(await bundle.query(grow(box, Math.max(0, radius) * 1.5 + 100, mpd)));
  pace.check();
  const regionIndex = buildRegions(local, kinds, box, thresholds, radius, byFeature);
  const grid = buildGrid(box, cellSizeM);
  const m2PerDeg2 = mpd.lat * mpd.lon;

  const memo = new Map<string, Outcome | null>();
  /** Outcomes by the classes a piece lies in (see MEMO_CLEARANCE). */
  const byClasses = new Map<string, Outcome | null>();
  const groups = new Map<string, Group>();
  const stats = { cells: grid.cells, cellsInJurisdiction: 0, uniformCells: 0, pieces: 0, cuts: 0, evaluations: 0, droppedSlivers: 0, undissolved: 0, inexactPieces: 0, unconfirmedPolygons: 0, relabelledSlivers: 0 };

  /** The engine's answer at a point; null outside the jurisdiction. */
  const judgeAt = async (p: Position): Promise<Outcome | null> => {
    const sig = signatureAt(bundle, local, p, kinds, thresholds.of, byFeature);
    if (sig === null) return null;
    if (memo.has(sig)) return memo.get(sig)!;
    stats.evaluations++;
    let outcome: Outcome | null;
    try {
      const d = await evaluateProject(
        ctx,
        { jurisdiction: bundle.id, asOf, project: { activity: req.project.activity, attributes: req.project.attributes ?? {} }, site: { type: 'Point', coordinates: p } },
        { decisionId: 'suitability', now: opts.now, deadline: opts.deadline },
      );
      const reasons: SuitabilityReason[] = d.findings.map((f) => ({
        kind: f.kind, zone: f.zone, name: f.name, verdict: f.verdict, policy: f.because.policy, rule: f.because.rule,
      }));
      const questions = d.questions.map((q) => q.attribute);
      outcome = { verdict: d.verdict, reasons, questions, key: `${d.verdict}|${JSON.stringify(reasons)}|${questions.join(',')}` };
    } catch (e) {
      if (e instanceof InputProblem && e.type === TIMEOUT_PROBLEM_TYPE) pace.check(); // the budget is the search's: its own problem
      // A point just outside the jurisdiction is not part of the answer; any other problem (no
      // national policy in force on asOf…) is the search's.
      if (!(e instanceof InputProblem) || e.type !== OUTSIDE_PROBLEM_TYPE) throw e;
      outcome = null;
    }
    memo.set(sig, outcome);
    await pace.pause();
    return outcome;
  };

  for (let j = 0; j < grid.ny; j++) {
    if (j % TILE === 0) for (const src of regionIndex.sources) if (src.lines) src.cache.clear(); // a new row of tiles
    for (let i = 0; i < grid.nx; i++) {
      await pace.pause();
      const cell: BBox = [grid.xs[i], grid.ys[j], grid.xs[i + 1], grid.ys[j + 1]];
      if (!(cell[2] > cell[0] && cell[3] > cell[1])) continue;
      const ti = Math.floor(i / TILE);
      const tj = Math.floor(j / TILE);
      const tile: Tile = {
        key: `${ti},${tj}`,
        box: [grid.xs[ti * TILE], grid.ys[tj * TILE], grid.xs[Math.min(grid.nx, ti * TILE + TILE)], grid.ys[Math.min(grid.ny, tj * TILE + TILE)]],
      };
      const arrangement = arrangeCell(regionIndex, cell, tile, mpd, pace, stats);
      if (arrangement === null) continue;
      stats.cellsInJurisdiction++;
      if (arrangement.uniform) stats.uniformCells++;
      for (const piece of arrangement.pieces) {
        const classes = piece.inside.join('\n');
        for (const poly of piece.poly) {
          if (!arrangement.uniform && planarPolygonArea(poly) * m2PerDeg2 < MIN_PIECE_M2) {
            stats.droppedSlivers++;
            continue;
          }
          // A cell no region boundary crosses is judged at its centre; a piece at a point inside it.
          const p = arrangement.uniform ? centre(cell) : interiorPoints(poly, 1)[0];
          if (!p) {
            stats.droppedSlivers++;
            continue;
          }
          // The answer of the piece's classes, where the point has room around it (MEMO_CLEARANCE);
          // a sliver is judged at its own point.
          const roomy = piece.exact && (arrangement.uniform || interiorPointClearance(poly, p) >= MEMO_CLEARANCE);
          let outcome = roomy ? byClasses.get(classes) : undefined;
          if (outcome === undefined) {
            outcome = await judgeAt(p);
            if (roomy) byClasses.set(classes, outcome);
          }
          stats.pieces++;
          if (!outcome) continue;
          if (!piece.exact) stats.inexactPieces++;
          const gk = piece.exact ? outcome.key : `${outcome.key}|inexact`;
          let g = groups.get(gk);
          if (!g) groups.set(gk, (g = { outcome, exact: piece.exact, polys: [] }));
          g.polys.push({ poly: [poly], z: zOrder(i, j) });
        }
      }
    }
  }

  // Dissolve: one union per outcome, then one feature per connected polygon (rounded to the output
  // grid), each with a point inside it where the engine gives that outcome.
  const features: SuitabilityFeature[] = [];
  const summary = {
    allowed: { areaHa: 0, polygons: 0 }, conditional: { areaHa: 0, polygons: 0 }, forbidden: { areaHa: 0, polygons: 0 }, totalHa: 0,
  };
  const ordered = [...groups.values()].sort((a, b) => VERDICT_RANK[a.outcome.verdict] - VERDICT_RANK[b.outcome.verdict] || a.outcome.key.localeCompare(b.outcome.key) || Number(b.exact) - Number(a.exact));
  for (const g of ordered) {
    // Cells in Z-order: compact blocks of neighbours merge first (dissolve.ts).
    const inOrder = g.polys.map((x, k) => ({ ...x, k })).sort((a, b) => a.z - b.z || a.k - b.k);
    const { polygons: merged, failures } = await dissolve(inOrder.map((x) => x.poly.map((poly) => roundPolygon(poly, SNAP_STEP))), pace);
    stats.undissolved += failures;
    for (const raw of merged) {
      await pace.pause();
      const poly = cleanPolygon(roundPolygon(raw, OUTPUT_STEP));
      if (!poly) continue;
      const areaM2 = ellipsoidalArea([poly]);
      if (areaM2 < MIN_PIECE_M2) continue;
      // Points strictly inside, on the output grid where that keeps them inside.
      const inner = interiorPoints(poly, 8);
      if (inner.length === 0) continue;
      const rounded = inner.map((p) => roundPosition(p, OUTPUT_STEP)).filter((p) => classify(p[0], p[1], [poly]) === 1);
      const candidates = rounded.length ? rounded : inner;
      let point: Position | null = null;
      for (const p of candidates) {
        if ((await judgeAt(p))?.key === g.outcome.key) {
          point = p;
          break;
        }
      }
      let exact = g.exact;
      let outcome = g.outcome;
      if (!point && interiorPointClearance(poly, candidates[0]) < MEMO_CLEARANCE) {
        // A sliver narrower than the bands' centimetre (e.g. between a 建设控制地带 edge and the
        // distance band it was drawn from): it takes the engine's answer at its own point.
        const o = await judgeAt(candidates[0]);
        if (!o) continue;
        point = candidates[0];
        outcome = o;
        stats.relabelledSlivers++;
      }
      if (!point) {
        // No inner point confirms the outcome: kept, but flagged (never seen on the demo bundle).
        point = candidates[0];
        exact = false;
        stats.unconfirmedPolygons++;
      }
      const areaHa = areaM2 / 10_000;
      summary[outcome.verdict].areaHa += areaHa;
      summary[outcome.verdict].polygons++;
      summary.totalHa += areaHa;
      features.push({
        type: 'Feature',
        id: `s-${features.length + 1}`,
        geometry: { type: 'Polygon', coordinates: poly },
        properties: { verdict: outcome.verdict, reasons: outcome.reasons, questions: outcome.questions, areaHa: round(areaHa, 4), point, exact },
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

/**
 * What a search's answer depends on, as a key (for a cache of answers): the map (bundle hash), the
 * day and the policies in force (their hashes), the project, the box and the cell size. null when
 * the request is not answerable as it stands (the search itself then says why).
 */
export function suitabilityCacheKey(ctx: EngineContext, req: SuitabilityRequest, now: Date): string | null {
  const bundle = ctx.bundles.get(req.jurisdiction);
  if (!bundle || (req.asOf !== undefined && !isCalendarDate(req.asOf))) return null;
  const asOf = req.asOf ?? now.toISOString().slice(0, 10);
  let policies: CompiledPolicy[];
  try {
    policies = policiesInForce(ctx, bundle, asOf);
  } catch {
    return null;
  }
  const attributes = req.project.attributes ?? {};
  const project = { ...req.project, attributes: Object.fromEntries(Object.keys(attributes).sort().map((k) => [k, attributes[k]])) };
  return JSON.stringify([bundle.id, bundle.hash, asOf, policies.map((p) => p.hash), project, req.bbox ?? null, req.cellSizeM ?? DEFAULT_CELL_SIZE_M]);
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
  /** The class of the feature (classKey); its band within t metres is the class `${cls}@${t}`. */
  cls: string;
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
 * What lying inside a feature tells the engine about a point: the constraint it adds (kind, zone)
 * and the properties the overlay reads from it (paddy 水田, level, mineral) — and the feature
 * itself where some rule counts features (featureCount). Two features of one class add the same.
 */
function classKey(f: LayerFeature, byFeature: boolean): string {
  const p = f.properties;
  const extra = [
    f.kind === 'arable-land' && p.paddy === true ? 'paddy' : '',
    (f.kind === 'heritage' || f.kind === 'public-forest') && typeof p.level === 'string' ? `level=${p.level}` : '',
    f.kind === 'mineral-deposit' && typeof p.mineral === 'string' ? `mineral=${p.mineral}` : '',
  ].filter(Boolean).join(',');
  return `${f.kind}|${f.zone ?? ''}|${extra}${byFeature ? `#${f.id}` : ''}`;
}

/**
 * Every region that can cut a cell in the box: relevant features' polygons as the bundle indexes them
 * (large features are already subdivided), and the distance sources (roads, heritage footprints)
 * whose bands are built cell by cell (arrangeCell), from the nearby parts of their lines only.
 */
function buildRegions(local: LocalIndex, kinds: ReadonlySet<LayerKind>, box: BBox, thresholds: Thresholds, radius: number, byFeature: boolean): RegionIndex {
  const regions: Region[] = [];
  for (const e of local.search(box)) {
    if (!e.polygons || !kinds.has(e.feature.kind)) continue;
    regions.push({ polygons: e.polygons, bbox: e.bbox, boundary: e.feature.kind === 'boundary', cls: classKey(e.feature, byFeature) });
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
        cls: classKey(f, byFeature),
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
    // Only the tile's part matters (its cells cut by it); a failed clip keeps the whole band.
    if (polygons.length) {
      try {
        polygons = intersect(polygons, [rectangle(grow(tile.box, 1, mpd))]); // 1 m beyond the tile: no cell sees its edge
      } catch (e) {
        if (!(e instanceof GeometryOperationError)) throw e;
      }
    }
  }
  const region = polygons.length ? { polygons, bbox: bboxOf(polygons), boundary: false, cls: `${src.cls}@${t}` } : null;
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

/**
 * The arrangement of one cell (pieces no region boundary crosses, each with the classes it lies
 * in); null outside the jurisdiction. The boundary cuts first, and what lies outside it is dropped
 * (it has no answer) before the other regions cut.
 */
function arrangeCell(
  regions: RegionIndex, cell: BBox, tile: Tile, mpd: { lat: number; lon: number }, pace: Pacer, stats: { cuts: number },
): { pieces: Piece[]; uniform: boolean } | null {
  const probe = centre(cell);
  const boundaryClips: Region[] = [];
  let inBoundary = false;
  const clips: Region[] = [];
  const inside = new Set<string>();
  for (const r of regions.search(cell)) {
    const rel = relateBoxToPolygons(cell, probe, r.polygons, r.bbox);
    if (rel === 'outside') continue;
    if (r.boundary) {
      if (rel === 'inside') inBoundary = true;
      else boundaryClips.push(r);
    } else if (rel === 'clip') clips.push(r);
    else inside.add(r.cls);
  }
  if (!inBoundary && boundaryClips.length === 0) return null;
  // Distance bands, widest first: once a band misses the cell, the narrower ones miss it too.
  const bandClips: Region[] = [];
  for (const src of regions.sources) {
    if (!bboxIntersects(src.reach, cell)) continue;
    for (const t of src.bands) {
      const band = bandRegion(src, t, tile, mpd);
      if (!band) break;
      const rel = relateBoxToPolygons(cell, probe, band.polygons, band.bbox);
      if (rel === 'outside') break;
      if (rel === 'clip') bandClips.push(band);
      else inside.add(band.cls);
    }
  }
  const rect: MultiPolygonCoords = [rectangle(cell)];
  const base = [...inside].sort();
  if (inBoundary && clips.length === 0 && bandClips.length === 0) return { pieces: [{ poly: rect, bbox: cell, exact: true, inside: base }], uniform: true };
  let pieces: Piece[] = [{ poly: rect, bbox: cell, exact: true, inside: base }];
  if (!inBoundary) {
    // Pieces inside some boundary entry are kept (marked by the boundary's class); the rest go.
    for (const r of boundaryClips) {
      const next: Piece[] = [];
      for (const piece of pieces) cutPiece(piece, r, 0, next, stats);
      pieces = next;
      pace.check();
    }
    const boundary = new Set(boundaryClips.map((r) => r.cls));
    pieces = pieces.filter((p) => p.inside.some((c) => boundary.has(c))).map((p) => ({ ...p, inside: p.inside.filter((c) => !boundary.has(c)) }));
  }
  // A band (hundreds of vertices along a road) is first cut down to the cell, once: each piece is
  // then cut by that small part (piece ∩ band = piece ∩ (band ∩ cell), likewise the difference).
  for (const band of bandClips) {
    if (pieces.length === 0) break;
    let part: MultiPolygonCoords;
    try {
      part = intersect(band.polygons, rect);
    } catch (e) {
      if (!(e instanceof GeometryOperationError)) throw e;
      clips.push(band); // cut by the whole band, piece by piece (with its fallbacks)
      continue;
    }
    stats.cuts++;
    if (part.length) clips.push({ ...band, polygons: part, bbox: bboxOf(part) });
  }
  for (const r of packByClass(clips)) {
    const next: Piece[] = [];
    for (const piece of pieces) cutPiece(piece, r, 0, next, stats);
    pieces = next;
    pace.check();
  }
  return { pieces, uniform: false };
}

/** Boxes closer than this (degrees) are not packed into one region. */
const PACK_GAP = 1e-7;

/**
 * Regions of one class whose boxes are apart (so they neither overlap nor share an edge) cut as
 * one multipolygon: one clipper run instead of one per parcel.
 */
function packByClass(regions: Region[]): Region[] {
  const packs: { cls: string; members: Region[]; bbox: BBox }[] = [];
  const apart = (a: BBox, b: BBox) => a[0] > b[2] + PACK_GAP || b[0] > a[2] + PACK_GAP || a[1] > b[3] + PACK_GAP || b[1] > a[3] + PACK_GAP;
  for (const r of regions) {
    const pack = packs.find((p) => p.cls === r.cls && p.members.every((m) => apart(m.bbox, r.bbox)));
    if (pack) {
      pack.members.push(r);
      pack.bbox = [Math.min(pack.bbox[0], r.bbox[0]), Math.min(pack.bbox[1], r.bbox[1]), Math.max(pack.bbox[2], r.bbox[2]), Math.max(pack.bbox[3], r.bbox[3])];
    } else packs.push({ cls: r.cls, members: [r], bbox: r.bbox });
  }
  return packs.map((p) => (p.members.length === 1 ? p.members[0] : { polygons: p.members.flatMap((m) => m.polygons), bbox: p.bbox, boundary: false, cls: p.cls }));
}

/** Deepest quadrant split tried when the clipper fails on a piece (a 200 m cell → 25 m). */
const MAX_SPLIT_DEPTH = 3;

/**
 * Cuts a piece by a region into the part inside and the part outside (pushed to `out`). A piece
 * already inside a region of the same class is left whole: lying in this one too changes nothing.
 * When the clipper cannot cut (GeometryOperationError), the piece is split into quadrants and each
 * is cut in turn; a quadrant still failing at MAX_SPLIT_DEPTH stays whole and is flagged inexact.
 */
function cutPiece(piece: Piece, r: Region, depth: number, out: Piece[], stats: { cuts: number }): void {
  if (piece.inside.includes(r.cls) || !bboxIntersects(piece.bbox, r.bbox)) {
    out.push(piece);
    return;
  }
  const rel = relateBoxToPolygons(piece.bbox, piece.poly[0][0][0], r.polygons, r.bbox);
  if (rel === 'outside') {
    out.push(piece);
    return;
  }
  if (rel === 'inside') {
    // The piece's box lies inside the region, and so does the piece.
    out.push({ ...piece, inside: withClass(piece.inside, r.cls) });
    return;
  }
  // The region's boundary may cross the piece's box without touching the piece (an L-shaped
  // piece, a parcel beside it): when no edge of one meets an edge of the other and no ring of the
  // region lies inside the piece, each polygon of the piece lies wholly on one side, and a vertex
  // of it tells which — no clipper run.
  if (!boundaryMeets(piece, r)) {
    const inPolys: MultiPolygonCoords = [];
    const outPolys: MultiPolygonCoords = [];
    for (const poly of piece.poly) (classify(poly[0][0][0], poly[0][0][1], r.polygons) === 1 ? inPolys : outPolys).push(poly);
    if (inPolys.length) out.push({ poly: inPolys, bbox: outPolys.length ? bboxOf(inPolys) : piece.bbox, exact: piece.exact, inside: withClass(piece.inside, r.cls) });
    if (outPolys.length) out.push({ poly: outPolys, bbox: inPolys.length ? bboxOf(outPolys) : piece.bbox, exact: piece.exact, inside: piece.inside });
    return;
  }
  stats.cuts++;
  try {
    const { inside: inPart, outside: outPart } = splitBy(piece.poly, r.polygons);
    if (inPart.length === 0) {
      out.push(piece);
      return;
    }
    out.push({ poly: inPart, bbox: bboxOf(inPart), exact: piece.exact, inside: withClass(piece.inside, r.cls) });
    if (outPart.length) out.push({ poly: outPart, bbox: bboxOf(outPart), exact: piece.exact, inside: piece.inside });
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
      if (sub.length) cutPiece({ poly: sub, bbox: bboxOf(sub), exact: piece.exact, inside: piece.inside }, r, depth + 1, out, stats);
    }
  }
}

/** Boundaries closer than this (degrees, ≈ 0.1 mm) count as meeting: the clipper decides. */
const MEET_EPS = 1e-9;

/**
 * Whether the region's boundary can divide the piece: some edge of the piece comes within
 * MEET_EPS of some edge of the region (crossing, touching, overlapping or nearly so), or a ring of
 * the region lies inside the piece (a parcel within it). Otherwise every polygon of the piece lies
 * wholly inside or wholly outside the region, its vertices at least MEET_EPS from the region's
 * boundary (so one vertex tells which, robustly).
 */
function boundaryMeets(piece: Piece, r: Region): boolean {
  const w = piece.bbox[0] - MEET_EPS, s = piece.bbox[1] - MEET_EPS, e = piece.bbox[2] + MEET_EPS, n = piece.bbox[3] + MEET_EPS;
  const near: number[] = [];
  const ringStarts: Position[] = [];
  for (const poly of r.polygons) {
    for (const ring of poly) {
      let any = false;
      for (let i = 1; i < ring.length; i++) {
        const ax = ring[i - 1][0], ay = ring[i - 1][1], bx = ring[i][0], by = ring[i][1];
        if ((ax < w && bx < w) || (ax > e && bx > e) || (ay < s && by < s) || (ay > n && by > n)) continue;
        near.push(ax, ay, bx, by);
        any = true;
      }
      if (any) ringStarts.push(ring[0]);
    }
  }
  if (near.length === 0) return false;
  for (const poly of piece.poly) {
    for (const ring of poly) {
      for (let i = 1; i < ring.length; i++) {
        const cx = ring[i - 1][0], cy = ring[i - 1][1], dx = ring[i][0], dy = ring[i][1];
        const minX = Math.min(cx, dx) - MEET_EPS, maxX = Math.max(cx, dx) + MEET_EPS, minY = Math.min(cy, dy) - MEET_EPS, maxY = Math.max(cy, dy) + MEET_EPS;
        for (let k = 0; k < near.length; k += 4) {
          const ax = near[k], ay = near[k + 1], bx = near[k + 2], by = near[k + 3];
          if ((ax < minX && bx < minX) || (ax > maxX && bx > maxX) || (ay < minY && by < minY) || (ay > maxY && by > maxY)) continue;
          if (segmentsWithin(ax, ay, bx, by, cx, cy, dx, dy, MEET_EPS)) return true;
        }
      }
    }
  }
  // No edges meet: a ring of the region near the piece is wholly inside it or wholly outside it.
  return ringStarts.some(([x, y]) => classify(x, y, piece.poly) !== -1);
}

/** Whether segments ab and cd cross or come within `eps` of each other. */
function segmentsWithin(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number, eps: number): boolean {
  const d1 = cross(cx, cy, dx, dy, ax, ay), d2 = cross(cx, cy, dx, dy, bx, by);
  const d3 = cross(ax, ay, bx, by, cx, cy), d4 = cross(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  const e2 = eps * eps;
  return pointSegmentDistance2(ax, ay, cx, cy, dx, dy) <= e2 || pointSegmentDistance2(bx, by, cx, cy, dx, dy) <= e2
    || pointSegmentDistance2(cx, cy, ax, ay, bx, by) <= e2 || pointSegmentDistance2(dx, dy, ax, ay, bx, by) <= e2;
}

function cross(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  return (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
}

function withClass(list: string[], cls: string): string[] {
  return [...list, cls].sort();
}

/**
 * What the engine sees at a point, as a key: the constraints of its own overlay of that point (kind,
 * zone, paddy, levels…, the number of features where a rule counts them), each distance reduced to
 * its side of every
 * threshold the rules compare distances with. null outside the jurisdiction.
 */
function signatureAt(bundle: Bundle, local: LocalIndex, p: Position, kinds: ReadonlySet<LayerKind>, thresholdsOf: Thresholds['of'], byFeature: boolean): string | null {
  const res = normalizeSite({ type: 'Point', coordinates: p });
  if (!res.ok) return null;
  const ov = overlaySite(bundle, res.site, local.search(overlaySearchBox(bundle, res.site)));
  if (ov.outsideBoundaryM2 > 0) return null;
  const parts = ov.constraints.filter((c) => kinds.has(c.kind)).map((c) => {
    const { featureIds, distanceM, ...rest } = c;
    return JSON.stringify({
      ...rest,
      n: byFeature ? featureIds.length : 0,
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

function roundPosition([x, y]: Position, step: number): Position {
  const inv = Math.round(1 / step);
  return [Math.round(x * inv) / inv, Math.round(y * inv) / inv];
}

/** A polygon with its coordinates rounded to `step` degrees, written with no float noise (26.8951455, not 26.895145465000002). */
function roundPolygon(poly: PolygonCoords, step: number): PolygonCoords {
  return poly.map((ring) => ring.map((p) => roundPosition(p, step)));
}

/** The Morton (Z-order) index of a cell: interleaved bits of its column and row. */
function zOrder(i: number, j: number): number {
  let z = 0;
  for (let b = 0; b < 15; b++) z += (((i >> b) & 1) * 2 ** (2 * b)) + (((j >> b) & 1) * 2 ** (2 * b + 1));
  return z;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
