/**
 * Suitability search: where in a jurisdiction would a project be `allowed`, `conditional` or
 * `forbidden`? The answer is a map of exact polygons, each with the findings that decide it.
 *
 * Method (exact, bounded by a grid):
 *  1. The box (default: the jurisdiction's) is cut into cells of about `cellSizeM` metres; the
 *     request is refused (413) beyond `maxCells`.
 *  2. In each cell, every constraint feature that can change the answer (the kinds the policies in
 *     force judge or read) is related to the cell: a feature that contains the cell or misses it
 *     adds no boundary (the site-in-entry shortcut); the cell is cut by the others only. Cutting
 *     piece by feature with the geometry module's intersect/difference gives the arrangement: pieces
 *     inside exactly the same features.
 *  3. Each piece is evaluated by the engine itself (evaluateProject, a Point site) at an interior
 *     point (a point strictly inside the piece, not its centroid). The answer at a point depends only
 *     on the features that contain it, so evaluations are shared between pieces with the same
 *     features (memoized by that signature, which is read afresh at the point, as the engine reads it).
 *  4. Pieces with the same verdict and the same reasons (finding kind/zone/verdict/rule) are
 *     dissolved (union) across cells; areas are ellipsoidal (CGCS2000).
 *
 * Pure: no I/O. Long searches yield to the event loop now and then (setTimeout), so a server stays
 * responsive while one runs.
 */
import {
  bboxIntersects, bboxOf, difference, ellipsoidalArea, intersect, pointInPolygons, union,
  type BBox, type MultiPolygonCoords, type PolygonCoords, type Position,
} from '../geometry/index.js';
import type { Bundle, IndexEntry, LayerFeature } from '../bundle/types.js';
import { evaluateProject, type EngineContext } from '../evaluate/evaluate-project.js';
import { validateProject } from '../evaluate/validate-project.js';
import { relateBoxToPolygons } from '../overlay/site-in-entry.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import { InputProblem } from '../problem.js';
import { LAYER_KIND_IDS, VERDICTS, VERDICT_RANK, type LayerKind, type Verdict } from '../vocabulary.js';
import { buildGrid, gridSize, metresPerDegree } from './grid.js';
import { interiorPoint } from './interior-point.js';
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
    /** A point strictly inside this polygon, [lon, lat]. */
    point: Position;
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
    signatures: number;
    droppedSlivers: number;
    timeMs: number;
  };
  features: SuitabilityFeature[];
}

interface Piece { poly: MultiPolygonCoords; bbox: BBox; feats: LayerFeature[] }
interface Arrangement { pieces: Piece[]; uniform: boolean }
interface Outcome { verdict: Verdict; reasons: SuitabilityReason[]; questions: string[]; key: string }
interface Group { outcome: Outcome; polys: MultiPolygonCoords[] }

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

  const kinds = relevantKinds(ctx, bundle, asOf, req.project.activity);
  const relevant = (f: LayerFeature) => kinds.has(f.kind);
  const grid = buildGrid(box, cellSizeM);
  const mpd = metresPerDegree((box[1] + box[3]) / 2);
  const m2PerDeg2 = mpd.lat * mpd.lon;

  const memo = new Map<string, Outcome | null>();
  const groups = new Map<string, Group>();
  const stats = { cells: grid.cells, cellsInJurisdiction: 0, uniformCells: 0, pieces: 0, evaluations: 0, signatures: 0, droppedSlivers: 0 };

  const evaluateAt = async (p: Position): Promise<Outcome | null> => {
    const sig = signatureAt(bundle, p, relevant);
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
    for (let i = 0; i < grid.nx; i++) {
      const cell: BBox = [grid.xs[i], grid.ys[j], grid.xs[i + 1], grid.ys[j + 1]];
      if (!(cell[2] > cell[0] && cell[3] > cell[1])) continue;
      const arrangement = arrangeCell(bundle, cell, relevant);
      if (arrangement === null) continue;
      stats.cellsInJurisdiction++;
      if (arrangement.uniform) stats.uniformCells++;
      for (const piece of arrangement.pieces) {
        for (const poly of piece.poly) {
          if (!arrangement.uniform && planarPolygonArea(poly) * m2PerDeg2 < MIN_PIECE_M2) {
            stats.droppedSlivers++;
            continue;
          }
          // A cell no boundary crosses is evaluated once, at its centre.
          const p = arrangement.uniform ? centre(cell) : interiorPoint(poly);
          if (!p) {
            stats.droppedSlivers++;
            continue;
          }
          stats.pieces++;
          const outcome = await evaluateAt(p);
          if (!outcome) continue;
          let g = groups.get(outcome.key);
          if (!g) groups.set(outcome.key, (g = { outcome, polys: [] }));
          g.polys.push([poly]);
        }
      }
      if (timer() - lastYield > 50) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = timer();
      }
    }
  }
  stats.signatures = memo.size;

  // Dissolve: one union per outcome, then one feature per connected polygon.
  const features: SuitabilityFeature[] = [];
  const summary = {
    allowed: { areaHa: 0, polygons: 0 }, conditional: { areaHa: 0, polygons: 0 }, forbidden: { areaHa: 0, polygons: 0 }, totalHa: 0,
  };
  const ordered = [...groups.values()].sort((a, b) => VERDICT_RANK[a.outcome.verdict] - VERDICT_RANK[b.outcome.verdict] || a.outcome.key.localeCompare(b.outcome.key));
  for (const g of ordered) {
    const merged = union(g.polys.map(snapPolys));
    await new Promise((r) => setTimeout(r, 0));
    for (const poly of merged) {
      const areaM2 = ellipsoidalArea([poly]);
      if (areaM2 < MIN_PIECE_M2) continue;
      const p = interiorPoint(poly);
      if (!p) continue;
      const areaHa = areaM2 / 10_000;
      summary[g.outcome.verdict].areaHa += areaHa;
      summary[g.outcome.verdict].polygons++;
      summary.totalHa += areaHa;
      features.push({
        type: 'Feature',
        id: `s-${features.length + 1}`,
        geometry: { type: 'Polygon', coordinates: poly },
        properties: { verdict: g.outcome.verdict, reasons: g.outcome.reasons, questions: g.outcome.questions, areaHa: round(areaHa, 4), point: [round(p[0], 9), round(p[1], 9)] },
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
    summary,
    stats: { ...stats, timeMs: Math.round(timer() - t0) },
    features,
  };
}

/**
 * The arrangement of one cell: pieces lying inside exactly the same relevant features (within the
 * jurisdiction boundary). null when the cell lies outside the jurisdiction.
 */
function arrangeCell(bundle: Bundle, cell: BBox, relevant: (f: LayerFeature) => boolean): Arrangement | null {
  const probe = centre(cell);
  const inside: LayerFeature[] = [];
  const boundaryClips: IndexEntry[] = [];
  let inBoundary = false;
  const clips: IndexEntry[] = [];
  for (const e of bundle.search(cell)) {
    if (!e.polygons || !relevant(e.feature)) continue;
    const rel = relateBoxToPolygons(cell, probe, e.polygons, e.bbox);
    if (rel === 'outside') continue;
    if (e.feature.kind === 'boundary') {
      if (rel === 'inside') inBoundary = true;
      else boundaryClips.push(e);
      continue;
    }
    if (rel === 'inside') inside.push(e.feature);
    else clips.push(e);
  }
  const rect: MultiPolygonCoords = [rectangle(cell)];
  let pieces: Piece[];
  if (inBoundary) {
    if (clips.length === 0) return { pieces: [{ poly: rect, bbox: cell, feats: inside }], uniform: true };
    pieces = [{ poly: rect, bbox: cell, feats: [...inside] }];
  } else {
    if (boundaryClips.length === 0) return null;
    pieces = [];
    for (const e of boundaryClips) {
      const part = intersect(rect, e.polygons!);
      if (part.length) pieces.push({ poly: part, bbox: bboxOf(part), feats: [...inside] });
    }
    if (pieces.length === 0) return null;
  }
  for (const e of clips) {
    const region = e.polygons!;
    const next: Piece[] = [];
    for (const piece of pieces) {
      if (!bboxIntersects(piece.bbox, e.bbox)) {
        next.push(piece);
        continue;
      }
      const poly = piece.poly;
      const rel = relateBoxToPolygons(piece.bbox, poly[0][0][0], region, e.bbox);
      if (rel === 'outside') next.push(piece);
      else if (rel === 'inside') next.push({ ...piece, feats: [...piece.feats, e.feature] });
      else {
        const inPart = intersect(poly, region);
        const outPart = difference(poly, region);
        if (inPart.length) next.push({ poly: inPart, bbox: bboxOf(inPart), feats: [...piece.feats, e.feature] });
        if (outPart.length) next.push({ poly: outPart, bbox: bboxOf(outPart), feats: piece.feats });
      }
    }
    pieces = next;
  }
  return { pieces, uniform: false };
}

/**
 * The relevant features containing a point, as the engine's point overlay sees them: a feature is
 * named by its kind, zone and properties (not its id), so pieces in different features with the
 * same properties share one evaluation.
 */
const featureKeys = new WeakMap<LayerFeature, string>();
function signatureAt(bundle: Bundle, p: Position, relevant: (f: LayerFeature) => boolean): string {
  const keys: string[] = [];
  const seen = new Set<LayerFeature>();
  for (const e of bundle.search([p[0], p[1], p[0], p[1]])) {
    if (!e.polygons || seen.has(e.feature) || !relevant(e.feature)) continue;
    if (!pointInPolygons(p, e.polygons)) continue;
    seen.add(e.feature);
    let k = featureKeys.get(e.feature);
    if (k === undefined) {
      const { id: _id, ...props } = e.feature.properties;
      k = `${e.feature.kind}|${e.feature.zone ?? ''}|${JSON.stringify(props, Object.keys(props).sort())}`;
      featureKeys.set(e.feature, k);
    }
    keys.push(k);
  }
  return keys.sort().join('\n');
}

/**
 * The layer kinds whose features can change the verdict or the reasons for this activity: the kinds
 * the policies in force judge, the kinds they read by area, every kind if a rule reads
 * `touchedKinds`, plus the boundary and the urban boundary (城镇开发边界外 is derived from it).
 */
export function relevantKinds(ctx: EngineContext, bundle: Bundle, asOf: string, activity: string): Set<LayerKind> {
  const kinds = new Set<LayerKind>(['boundary', 'urban-boundary']);
  const policies: CompiledPolicy[] = [...ctx.policies.national(asOf)];
  for (const id of bundle.localPolicies) {
    const p = ctx.policies.inForce(id, asOf);
    if (p) policies.push(p);
  }
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
