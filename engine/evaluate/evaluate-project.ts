/**
 * The evaluation pipeline: validated input → site geometry → overlay → facts → policies →
 * verdict algebra (contract §1) → decision. Pure: no I/O; the caller supplies ids and clocks.
 */
import { normalizeSite, type NormalizedSite } from '../geometry/index.js';
import type { Bundle } from '../bundle/types.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import { judgeConstraintSelected, judgeLandSupply, type ConstraintJudgement, type Facts } from '../policy/evaluate-policy.js';
import { effectiveWindow, type PolicyRegistry } from '../policy/policy-registry.js';
import type { Approval, Clause, Condition, ConditionItem } from '../policy/types.js';
import { mayHold } from '../policy/check-policy.js';
import { judgeVerdictSync } from '../policy/judge-sync.js';
import { fillBasis } from '../policy/basis-template.js';
import { InputProblem } from '../problem.js';
import {
  AUTHORITY_IDS, DERIVED_ZONES, LAND_SUPPLY_METHOD_IDS, LAND_SUPPLY_METHODS, LAYER_KINDS, LAYER_KIND_IDS, VERDICT_RANK, ZONE_VALUES,
  type LayerKind, type Verdict,
} from '../vocabulary.js';
import { overlaySearchBox, overlaySite, type ConstraintOverlap } from '../overlay/overlay-site.js';
import type { Decision, Finding, LandSupplyItem, ProjectFinding, Warning } from './decision.js';
import { computeQuestions, type QuestionSubject } from './questions.js';
import { validateAsOf, validateProject, type AttributeValue } from './validate-project.js';

export interface EvaluateInput {
  jurisdiction: string;
  asOf?: string;
  project: { name?: string; applicant?: string; activity: string; attributes?: Record<string, AttributeValue> };
  site: unknown;
}

export interface EngineContext {
  bundles: ReadonlyMap<string, Bundle>;
  /** Earlier versions of a bundle by content hash, for replay on the map that decided (optional). */
  bundleVersion?: (jurisdiction: string, hash: string) => Bundle | undefined;
  policies: PolicyRegistry;
  engineVersion: string;
  maxVertices?: number;
}

export interface EvaluateOptions {
  decisionId: string;
  now: Date;
  /** Wall-clock budget (ms since epoch, Date.now()): past it the evaluation stops with a 422. */
  deadline?: number;
  /** Replay: evaluate on exactly these policy versions and this bundle version instead of those in force. */
  pinned?: { policies: { id: string; version: string }[]; bundleHash?: string };
}

export async function evaluateProject(ctx: EngineContext, input: EvaluateInput, opts: EvaluateOptions): Promise<Decision> {
  const current = ctx.bundles.get(input.jurisdiction);
  const bundle = opts.pinned?.bundleHash && current?.hash !== opts.pinned.bundleHash
    ? ctx.bundleVersion?.(input.jurisdiction, opts.pinned.bundleHash)
    : current;
  if (opts.pinned?.bundleHash && !bundle) {
    throw new InputProblem(404, '地图版本不存在', `辖区 "${input.jurisdiction}" 没有版本 ${opts.pinned.bundleHash}`, [{ path: '/bundleHash', message: '未知的数据包版本' }]);
  }
  if (!bundle) {
    throw new InputProblem(404, '未知的辖区', `辖区 "${input.jurisdiction}" 不存在；可选值见 GET /v1/jurisdictions`, [
      { path: '/jurisdiction', message: `未知的辖区 "${input.jurisdiction}"` },
    ]);
  }
  validateProject(input.project);
  const attributes = input.project.attributes ?? {};
  const asOf = input.asOf ?? opts.now.toISOString().slice(0, 10);
  validateAsOf(input.asOf);

  const site = readSite(input.site, attributes, ctx.maxVertices);
  const warnings: Warning[] = [...site.warnings];
  const deadline = opts.deadline;
  const checkTime = deadline
    ? () => {
        if (Date.now() > deadline) {
          throw new InputProblem(422, '评估超时', '用地几何过于复杂，评估超过时间上限；请简化用地边界或分块提交', [{ path: site.path, message: '评估超过时间上限' }], 'https://zoning.example/problems/evaluation-timeout');
        }
      }
    : () => {};
  checkTime();
  const candidates = await bundle.query(overlaySearchBox(bundle, site.site));
  checkTime();
  const overlay = overlaySite(bundle, site.site, candidates, checkTime);
  if (overlay.outsideBoundaryM2 > bundle.sliverToleranceM2) {
    const detail = site.site.type === 'point'
      ? `用地位置不在辖区 ${bundle.name} 范围内`
      : `用地有 ${overlay.outsideBoundaryM2.toFixed(2)} 平方米位于辖区 ${bundle.name} 范围之外`;
    throw new InputProblem(422, '用地超出辖区范围', detail, [{ path: site.path, message: detail }], 'https://zoning.example/problems/outside-jurisdiction');
  }

  // Policies in force: every national one, plus the local ones the bundle lists (or, on replay, the pinned ones).
  let national: CompiledPolicy[];
  const local: CompiledPolicy[] = [];
  if (opts.pinned) {
    national = [];
    for (const { id, version } of opts.pinned.policies) {
      const p = ctx.policies.versions(id).find((v) => v.doc.version === version);
      if (!p) throw new InputProblem(404, '政策版本不存在', `政策 ${id} 没有版本 ${version}`, [{ path: '/policies', message: `${id}@${version}` }]);
      (p.doc.level === 'national' ? national : local).push(p);
    }
  } else {
    national = ctx.policies.national(asOf);
    refuseWithoutNationalPolicy(ctx.policies, national, asOf);
    for (const id of bundle.localPolicies) {
      const p = ctx.policies.inForce(id, asOf);
      if (p) local.push(p);
      else warnings.push({ code: 'local-policy-not-in-force', message: `地方政策 ${id} 在 ${asOf} 无有效版本，未参与判定` });
    }
  }
  const inForce = [...national, ...local];
  const landSupplyPolicies = inForce.filter((p) => p.landSupply);
  const projectPolicies = inForce.filter((p) => p.project);
  const kindPolicies = inForce.filter((p) => p.kinds.size > 0);

  const constraints: ConstraintOverlap[] = [...overlay.constraints];
  const outside = site.site.type === 'point' ? overlay.pointOutsideUrbanBoundary : overlay.outsideUrbanBoundaryM2 >= bundle.sliverToleranceM2;
  if (outside) {
    constraints.push({
      kind: 'urban-boundary', zone: 'outside', featureIds: [],
      overlapAreaM2: site.site.type === 'point' ? null : overlay.outsideUrbanBoundaryM2, distanceM: null, paddy: false,
    });
  }
  const touchedKinds = [...new Set(constraints.map((c) => c.kind))].sort();
  const siteFacts: Facts = {
    activity: input.project.activity,
    ...attributes,
    siteAreaM2: round(site.site.areaM2, 2),
    siteType: site.site.type,
    touchedKinds,
    outsideUrbanBoundary: outside,
    areaOutsideUrbanBoundaryM2: site.site.type === 'point' ? null : round(overlay.outsideUrbanBoundaryM2, 2),
  };
  // Facts are given to the rules at the precision the decision reports (0.01 m²): thresholds never
  // hinge on float noise, and every layer source gives the same facts.
  for (let i = 0; i < LAYER_KIND_IDS.length; i++) siteFacts[AREA_FACTS[i]] = round(overlay.areaByKind[LAYER_KIND_IDS[i]] ?? 0, 2);
  const pf = overlay.areaByKind['permanent-farmland'] ?? 0;
  const arableOther = overlay.arableOtherM2;
  siteFacts.arableOtherThanPfAreaM2 = round(arableOther, 2);
  siteFacts.otherLandAreaM2 = round(Math.max(0, site.site.areaM2 - pf - arableOther), 2);

  const findings: Finding[] = [];
  const subjects: QuestionSubject[] = [];
  for (const c of constraints) {
    const policies = kindPolicies.filter((p) => p.kinds.has(c.kind));
    if (policies.length === 0) {
      warnings.push({
        code: 'no-policy-for-kind', kind: c.kind, zone: c.zone, featureIds: c.featureIds, areaM2: c.overlapAreaM2 === null ? undefined : round(c.overlapAreaM2, 4),
        message: `用地涉及${constraintName(c.kind, c.zone)}，本引擎尚未编码其管控政策，须人工核查`,
      });
      continue;
    }
    const share = c.overlapAreaM2 === null || site.site.areaM2 === 0 ? null : c.overlapAreaM2 / site.site.areaM2;
    // The constraint's facts over the site's (a prototype: no copy of the site's facts per constraint).
    const facts: Facts = Object.assign(Object.create(siteFacts) as Facts, {
      kind: c.kind,
      zone: c.zone,
      overlapAreaM2: c.overlapAreaM2 === null ? null : round(c.overlapAreaM2, 2),
      overlapShare: share === null ? null : round(Math.min(1, share), 6),
      distanceM: c.distanceM,
      featureCount: c.featureIds.length,
      paddy: c.paddy,
      featureLevel: c.featureLevel ?? null,
      depositMinerals: c.depositMinerals ?? [],
    });
    const judgements: { p: CompiledPolicy; j: ConstraintJudgement }[] = [];
    for (const p of policies) judgements.push({ p, j: await judgeSafely(p, facts, warnings) });
    findings.push(toFinding(c, share, judgements, facts));

    subjects.push(questionSubject(c.kind, findings[findings.length - 1].verdict, policies, facts, attributes, input.project.activity));
  }
  const projectFindings: ProjectFinding[] = [];
  for (const p of projectPolicies) {
    const j = await judgeSafely(p, siteFacts, warnings);
    subjects.push(questionSubject('project', j.verdict, [p], siteFacts, attributes, input.project.activity));
    // A project-level policy none of whose rules applies, and whose default lets the project
    // through, has nothing to say: it is listed in `policies` but adds no finding.
    if (j.rule === null && j.verdict === 'allowed') continue;
    projectFindings.push({
      policy: p.doc.id,
      title: p.doc.title,
      verdict: j.verdict,
      message: j.outcome.message,
      clauses: j.outcome.clauses.map((id) => p.clauses.get(id)!).filter(Boolean),
      approvals: mergeApprovals(withFigures(j.outcome.approvals ?? [], siteFacts)),
      conditions: mergeConditions(j.outcome.conditions ?? []),
      because: j.because,
    });
  }
  for (const s of overlay.slivers) {
    warnings.push({
      code: 'sliver', kind: s.kind, zone: s.zone, featureIds: s.featureIds, areaM2: round(s.areaM2, 4),
      message: `与${constraintName(s.kind, s.zone)}的重叠面积 ${s.areaM2.toFixed(4)} 平方米小于容差 ${bundle.sliverToleranceM2} 平方米，不参与判定`,
    });
  }

  const verdict = [...findings, ...projectFindings].reduce<Verdict>((v, f) => worst(v, f.verdict), 'allowed');
  const landSupply = await judgeLand(landSupplyPolicies, siteFacts, warnings);
  checkTime();
  const { questions, jointQuestions } = computeQuestions(subjects, input.project.activity);

  return {
    decisionId: opts.decisionId,
    verdict,
    jurisdiction: bundle.id,
    bundleHash: bundle.hash,
    asOf,
    createdAt: opts.now.toISOString(),
    engineVersion: ctx.engineVersion,
    project: {
      ...(input.project.name !== undefined ? { name: input.project.name } : {}),
      ...(input.project.applicant !== undefined ? { applicant: input.project.applicant } : {}),
      activity: input.project.activity,
      attributes,
    },
    site: {
      type: site.geometryType,
      areaM2: round(site.site.areaM2, 2),
      ...(site.site.type === 'corridor' ? { corridorWidthM: attributes.corridorWidthM as number } : {}),
    },
    policies: inForce.map((p) => ({ id: p.doc.id, version: p.doc.version, hash: p.hash, level: p.doc.level })),
    findings,
    projectFindings,
    // A forbidden project needs no approval and meets no condition: none makes it permissible
    // (contract §1). Each finding keeps its own approvals and conditions.
    approvals: verdict === 'forbidden' ? [] : approvalsByAuthority([...findings, ...projectFindings].flatMap((f) => f.approvals)),
    conditions: verdict === 'forbidden' ? [] : mergeConditions([...findings, ...projectFindings].flatMap((f) => f.conditions)),
    landSupply,
    questions,
    jointQuestions,
    warnings,
  };
}

/**
 * Fail closed: a date on which some national policy has no version in force cannot be judged —
 * its layers would go unjudged and the site look allowed. The request is refused, naming the
 * policies and their validity.
 */
function refuseWithoutNationalPolicy(registry: PolicyRegistry, inForce: CompiledPolicy[], asOf: string): void {
  const have = new Set(inForce.map((p) => p.doc.id));
  const missing = [...new Set(registry.all.filter((p) => p.doc.level === 'national').map((p) => p.doc.id))].filter((id) => !have.has(id)).sort();
  if (missing.length === 0) return;
  const windows = missing.map((id) => {
    const spans = registry.versions(id).map((v) => {
      const w = effectiveWindow(registry, v);
      return `${v.doc.version}：${w.from} 起${w.to ? `至 ${w.to} 前` : ''}`;
    });
    return `${id}（${spans.join('；')}）`;
  });
  const detail = `${asOf} 没有生效版本的国家政策 ${missing.length} 项，无法判定：${windows.join('，')}`;
  throw new InputProblem(422, '该日期没有生效的政策版本', detail, [{ path: '/asOf', message: detail }], 'https://zoning.example/problems/no-policy-in-force');
}

/** What `questions` needs of one finding: its unstated attributes and a way to re-judge it. */
function questionSubject(
  kind: LayerKind | 'project', verdict: Verdict, policies: CompiledPolicy[], facts: Facts,
  attributes: Record<string, AttributeValue>, activity: string,
): QuestionSubject {
  // Everything below is a function of the policies and of the facts their rules read (the stated
  // attributes among them): that is the subject's key, under which its work is remembered.
  // Measured quantities enter the key by their class among the rules' thresholds (verdictKey).
  let key = kind;
  for (const p of policies) key += `|${p.hash}${p.forActivity(activity).verdictKey(facts)}`;
  let unstated = unstatedMemo.get(key);
  if (!unstated) {
    // Only the rules that the known facts leave possible can make an answer matter.
    const unknown = new Set<string>();
    for (const p of policies) for (const a of p.forActivity(activity).attributesRead) if (!(a in attributes)) unknown.add(a);
    unknown.delete('corridorWidthM');
    unstated = new Map<string, unknown[][]>();
    for (const p of policies) {
      for (const rule of p.forActivity(activity).rules) {
        if (mayHold(rule.conditions, facts, unknown) === false) continue;
        collectLeaves(rule.conditions, unknown, unstated);
      }
    }
    if (unstatedMemo.size >= SUBJECT_MEMO_LIMIT) unstatedMemo.clear();
    unstatedMemo.set(key, unstated);
  }
  return {
    kind,
    verdict,
    key,
    attributes: unstated,
    judge: (values) => {
      const f: Facts = Object.assign(Object.create(facts) as Facts, values);
      let v: Verdict = 'allowed';
      for (const p of policies) {
        try {
          v = worst(v, judgeVerdictSync(p, f));
        } catch {
          v = 'forbidden'; // fail closed, as the evaluation itself does
        }
      }
      return v;
    },
  };
}

const SUBJECT_MEMO_LIMIT = 10_000;
const unstatedMemo = new Map<string, Map<string, unknown[][]>>();

function collectLeaves(c: Condition, wanted: ReadonlySet<string>, out: Map<string, unknown[][]>): void {
  if ('all' in c) return c.all.forEach((x) => collectLeaves(x, wanted, out));
  if ('any' in c) return c.any.forEach((x) => collectLeaves(x, wanted, out));
  if ('not' in c) return collectLeaves(c.not, wanted, out);
  if (!wanted.has(c.fact)) return;
  const list = out.get(c.fact) ?? [];
  list.push(Array.isArray(c.value) ? c.value : [c.value]);
  out.set(c.fact, list);
}

function readSite(raw: unknown, attributes: Record<string, AttributeValue>, maxVertices?: number) {
  const isFeature = !!raw && typeof raw === 'object' && (raw as { type?: unknown }).type === 'Feature';
  const path = isFeature ? '/site/geometry' : '/site';
  const geometryType = String((isFeature ? (raw as { geometry?: { type?: unknown } }).geometry?.type : (raw as { type?: unknown }).type) ?? '');
  const width = attributes.corridorWidthM;
  const res = normalizeSite(raw, { corridorWidthM: typeof width === 'number' ? width : undefined, maxVertices });
  if (!res.ok) {
    const errors = res.errors.map((e) => ({ path: e.message.includes('corridorWidthM') && !e.path ? '/project/attributes/corridorWidthM' : `${path}${e.path}`, message: e.message }));
    throw new InputProblem(
      res.status,
      res.status === 413 ? '用地几何过大' : '用地几何无效',
      errors.map((e) => `${e.path}: ${e.message}`).slice(0, 5).join('；'),
      errors,
      res.status === 413 ? 'https://zoning.example/problems/too-large' : 'https://zoning.example/problems/invalid-geometry',
    );
  }
  const warnings: Warning[] = res.warnings.map((message) => ({ code: 'geometry', message }));
  return { site: res.site as NormalizedSite, warnings, path, geometryType };
}

async function judgeSafely(p: CompiledPolicy, facts: Facts, warnings: Warning[]): Promise<ConstraintJudgement> {
  try {
    return await judgeConstraintSelected(p, facts);
  } catch (e) {
    // Fail closed (policies/README.md): a policy that errors forbids, and says so.
    warnings.push({ code: 'policy-error', message: `政策 ${p.doc.id} 评估出错，按禁止处理：${(e as Error).message}` });
    const clauses = p.doc.default.clauses;
    return {
      verdict: 'forbidden', rule: null, fired: [],
      outcome: { verdict: 'forbidden', clauses, message: '政策评估出错，按禁止处理（失败即关闭）' },
      because: { policy: p.doc.id, version: p.doc.version, rule: null, level: p.doc.level, message: '政策评估出错，按禁止处理', checks: [] },
    };
  }
}

function toFinding(c: ConstraintOverlap, share: number | null, judgements: { p: CompiledPolicy; j: ConstraintJudgement }[], facts: Facts): Finding {
  // Most restrictive judgement decides; its peers at the same verdict add their approvals and conditions.
  const decisive = judgements.reduce((a, b) => (VERDICT_RANK[b.j.verdict] > VERDICT_RANK[a.j.verdict] ? b : a));
  const peers = judgements.filter((x) => x.j.verdict === decisive.j.verdict);
  const clauses: Clause[] = [];
  for (const { p, j } of peers) for (const id of j.outcome.clauses) {
    const cl = p.clauses.get(id);
    if (cl && !clauses.some((x) => x.id === cl.id && x.document === cl.document)) clauses.push(cl);
  }
  return {
    kind: c.kind,
    zone: c.zone,
    name: constraintName(c.kind, c.zone),
    featureIds: c.featureIds,
    overlapAreaM2: c.overlapAreaM2 === null ? null : round(c.overlapAreaM2, 2),
    overlapShare: share === null ? null : round(Math.min(1, share), 6),
    distanceM: c.distanceM,
    verdict: decisive.j.verdict,
    message: decisive.j.outcome.message,
    clauses,
    approvals: mergeApprovals(withFigures(peers.flatMap(({ j }) => j.outcome.approvals ?? []), facts)),
    conditions: mergeConditions(peers.flatMap(({ j }) => j.outcome.conditions ?? [])),
    because: decisive.j.because,
  };
}

async function judgeLand(policies: CompiledPolicy[], facts: Facts, warnings: Warning[]): Promise<LandSupplyItem[]> {
  const byMethod = new Map<string, LandSupplyItem>();
  for (const p of policies) {
    let entries;
    try {
      entries = await judgeLandSupply(p, facts);
    } catch (e) {
      warnings.push({ code: 'policy-error', message: `供地政策 ${p.doc.id} 评估出错：${(e as Error).message}` });
      continue;
    }
    for (const e of entries) {
      const prev = byMethod.get(e.method);
      // A later (local) policy may only tighten: forbidden beats required beats permitted.
      const rank = { permitted: 0, required: 1, forbidden: 2 } as const;
      if (prev && rank[prev.status] >= rank[e.status]) continue;
      byMethod.set(e.method, {
        method: e.method,
        name: LAND_SUPPLY_METHODS[e.method],
        status: e.status,
        message: e.message,
        clauses: e.clauses.map((id) => p.clauses.get(id)!).filter(Boolean),
        conditions: e.conditions,
        because: { policy: p.doc.id, version: p.doc.version, rule: e.rule, checks: e.checks },
      });
    }
  }
  return LAND_SUPPLY_METHOD_IDS.filter((m) => byMethod.has(m)).map((m) => byMethod.get(m)!);
}

/** Approvals with the figures their basis names filled in (policy/basis-template.ts). */
function withFigures(list: Approval[], facts: Facts): Approval[] {
  return list.map((a) => (a.basis && a.basis.includes('{') ? { ...a, basis: fillBasis(a.basis, facts) } : a));
}

export function mergeApprovals(list: Approval[]): Approval[] {
  const seen = new Set<string>();
  const out: Approval[] = [];
  for (const a of list) {
    const key = `${a.authority}|${a.action}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(a);
  }
  return out.sort((a, b) => AUTHORITY_IDS.indexOf(a.authority) - AUTHORITY_IDS.indexOf(b.authority));
}

/**
 * The decision's approvals: one entry per authority, highest first, its distinct actions and bases
 * joined (each finding keeps its own approvals in detail).
 */
function approvalsByAuthority(list: Approval[]): Approval[] {
  const by = new Map<string, { actions: string[]; bases: string[] }>();
  for (const a of mergeApprovals(list)) {
    const e = by.get(a.authority) ?? { actions: [], bases: [] };
    if (!e.actions.includes(a.action)) e.actions.push(a.action);
    if (a.basis && !e.bases.includes(a.basis)) e.bases.push(a.basis);
    by.set(a.authority, e);
  }
  return [...by].map(([authority, e]) => ({
    authority: authority as Approval['authority'],
    action: e.actions.join('；'),
    ...(e.bases.length ? { basis: e.bases.join('；') } : {}),
  }));
}

function mergeConditions(list: ConditionItem[]): ConditionItem[] {
  const seen = new Set<string>();
  return list.filter((c) => (seen.has(c.id) ? false : (seen.add(c.id), true)));
}

export function constraintName(kind: LayerKind, zone: string | null): string {
  const base = LAYER_KINDS[kind].name;
  if (zone === null) return base;
  const derived = (DERIVED_ZONES as Record<string, Record<string, string>>)[kind]?.[zone];
  const z = derived ?? ZONE_VALUES[kind]?.[zone] ?? zone;
  return `${base}·${z}`;
}

/** The `area.<kind>` fact names, in LAYER_KIND_IDS order. */
const AREA_FACTS = LAYER_KIND_IDS.map((k) => `area.${k}`);

function worst(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
