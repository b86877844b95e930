/**
 * Change impact of a policy version: evaluates a corpus of projects under two versions of one
 * policy (those two pinned, every other policy as in force on `asOf`) and lists every project whose
 * outcome changes, grouped by the rule that changed it. Pure: the CLI (scripts/impact.ts) and the
 * API (POST /v1/impact) supply the corpus, the bundles and the registry.
 */
import { evaluateProject, type EngineContext, type EvaluateInput } from '../evaluate/evaluate-project.js';
import type { Decision } from '../evaluate/decision.js';
import type { CompiledPolicy } from '../policy/compile-policy.js';
import { effectiveWindow } from '../policy/policy-registry.js';
import { InputProblem } from '../problem.js';
import { validateEvaluateRequest } from '../generated/validators.js';
import type { Verdict } from '../vocabulary.js';
import { diffDecisions, type DecisionDiff, type RuleRef } from './diff.js';

export interface CorpusProject {
  /** Feature id, decision id, or `#<index>`. */
  id: string;
  name?: string;
  input: EvaluateInput;
}

export interface CorpusProblem { index: number; path: string; message: string }

/**
 * Reads a corpus: a GeoJSON FeatureCollection whose features are sites and whose properties are
 * {jurisdiction?, activity, attributes?, name?, applicant?}. A feature without `jurisdiction` takes
 * `defaultJurisdiction`.
 */
export function readCorpus(fc: unknown, defaultJurisdiction?: string): { projects: CorpusProject[]; problems: CorpusProblem[] } {
  const problems: CorpusProblem[] = [];
  const projects: CorpusProject[] = [];
  if (!isObj(fc) || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    return { projects, problems: [{ index: -1, path: '', message: '项目集应为 GeoJSON FeatureCollection' }] };
  }
  fc.features.forEach((f: unknown, i: number) => {
    const at = `/features/${i}`;
    if (!isObj(f) || f.type !== 'Feature' || !isObj(f.geometry)) return problems.push({ index: i, path: at, message: '应为带几何的 GeoJSON Feature' });
    const p = isObj(f.properties) ? f.properties : {};
    const jurisdiction = typeof p.jurisdiction === 'string' ? p.jurisdiction : defaultJurisdiction;
    if (!jurisdiction) return problems.push({ index: i, path: `${at}/properties/jurisdiction`, message: '缺少 jurisdiction（且未指定默认辖区）' });
    if (typeof p.activity !== 'string') return problems.push({ index: i, path: `${at}/properties/activity`, message: '缺少 activity' });
    if (p.attributes !== undefined && !isObj(p.attributes)) return problems.push({ index: i, path: `${at}/properties/attributes`, message: 'attributes 应为对象' });
    const name = typeof p.name === 'string' ? p.name : undefined;
    const rawId = f.id ?? p.id;
    const input: EvaluateInput = {
      jurisdiction,
      project: {
        ...(name !== undefined ? { name } : {}),
        ...(typeof p.applicant === 'string' ? { applicant: p.applicant } : {}),
        activity: p.activity,
        attributes: (p.attributes ?? {}) as EvaluateInput['project']['attributes'],
      },
      site: f.geometry,
    };
    // The same request schema as POST /v1/evaluate.
    if (!validateEvaluateRequest(input)) {
      const e = validateEvaluateRequest.errors?.[0];
      return problems.push({ index: i, path: `${at}${(e?.instancePath ?? '').replace(/^\/site/, '/geometry').replace(/^\/project/, '/properties')}`, message: e?.message ?? '不符合请求格式' });
    }
    projects.push({ id: typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : `#${i}`, name, input });
    return undefined;
  });
  return { projects, problems };
}

export interface ImpactOptions {
  policy: string;
  from: string;
  to: string;
  /** The date on which every other policy is taken as in force (YYYY-MM-DD). */
  asOf: string;
  now: Date;
}

export interface ImpactChange {
  id: string;
  name?: string;
  jurisdiction: string;
  activity: string;
  verdict: { from: Verdict; to: Verdict };
  diff: DecisionDiff;
}

export interface RuleGroup extends RuleRef {
  /** Projects whose outcome this rule (of the `to` version, or of `from` where the finding disappeared) changed. */
  count: number;
  projects: string[];
  /** The rules that decided these items before. */
  previously: RuleRef[];
}

export interface ImpactReport {
  policy: string;
  from: { version: string; hash: string; effective: { from: string; to?: string } };
  to: { version: string; hash: string; effective: { from: string; to?: string } };
  asOf: string;
  projects: number;
  evaluated: number;
  unchanged: number;
  changed: number;
  /** Projects that could not be evaluated (same error under both versions), or whose evaluation failed under one only (counted as changed). */
  errors: { id: string; name?: string; status: number; detail: string; under: 'both' | 'from' | 'to' }[];
  byRule: RuleGroup[];
  byVerdict: { from: Verdict; to: Verdict; count: number }[];
  changes: ImpactChange[];
}

/** Finds the two versions or throws a 404 InputProblem naming the missing one. */
export function impactVersions(ctx: EngineContext, o: Pick<ImpactOptions, 'policy' | 'from' | 'to'>): { from: CompiledPolicy; to: CompiledPolicy } {
  const versions = ctx.policies.versions(o.policy);
  if (!versions.length) throw new InputProblem(404, '未知的政策', `政策 "${o.policy}" 不存在`, [{ path: '/policy', message: '未知的政策' }]);
  const find = (v: string, path: string) => {
    const p = versions.find((x) => x.doc.version === v);
    if (!p) throw new InputProblem(404, '政策版本不存在', `政策 ${o.policy} 没有版本 ${v}（现有 ${versions.map((x) => x.doc.version).join(', ')}）`, [{ path, message: `未知的版本 ${v}` }]);
    return p;
  };
  return { from: find(o.from, '/from'), to: find(o.to, '/to') };
}

/** The policy versions a project is judged on: every one in force on `asOf`, with `policy` pinned at `version`. */
function pins(ctx: EngineContext, jurisdiction: string, asOf: string, policy: CompiledPolicy): { id: string; version: string }[] | null {
  const bundle = ctx.bundles.get(jurisdiction);
  if (!bundle) return null;
  const nationalIds = [...new Set(ctx.policies.all.filter((p) => p.doc.level === 'national').map((p) => p.doc.id))].sort();
  const out: { id: string; version: string }[] = [];
  for (const id of nationalIds) {
    const v = id === policy.doc.id ? policy.doc.version : ctx.policies.inForce(id, asOf)?.doc.version;
    if (v) out.push({ id, version: v });
  }
  for (const id of bundle.localPolicies) {
    const v = id === policy.doc.id ? policy.doc.version : ctx.policies.inForce(id, asOf)?.doc.version;
    if (v) out.push({ id, version: v });
  }
  return out;
}

export async function analyzeImpact(ctx: EngineContext, corpus: CorpusProject[], o: ImpactOptions): Promise<ImpactReport> {
  const { from, to } = impactVersions(ctx, o);
  const report: ImpactReport = {
    policy: o.policy,
    // The windows the versions are in force (derived from the sequence; the documents' own dates may leave `to` out).
    from: { version: from.doc.version, hash: from.hash, effective: effectiveWindow(ctx.policies, from) },
    to: { version: to.doc.version, hash: to.hash, effective: effectiveWindow(ctx.policies, to) },
    asOf: o.asOf,
    projects: corpus.length,
    evaluated: 0,
    unchanged: 0,
    changed: 0,
    errors: [],
    byRule: [],
    byVerdict: [],
    changes: [],
  };
  const groups = new Map<string, RuleGroup>();
  const verdicts = new Map<string, { from: Verdict; to: Verdict; count: number }>();
  for (const [i, p] of corpus.entries()) {
    const run = async (version: CompiledPolicy): Promise<Decision | InputProblem> => {
      try {
        const pinned = pins(ctx, p.input.jurisdiction, o.asOf, version);
        return await evaluateProject(ctx, { ...p.input, asOf: o.asOf }, {
          decisionId: `impact-${i}`, now: o.now, ...(pinned ? { pinned: { policies: pinned } } : {}),
        });
      } catch (e) {
        if (e instanceof InputProblem) return e;
        throw e;
      }
    };
    const a = await run(from);
    const b = await run(to);
    if (a instanceof InputProblem || b instanceof InputProblem) {
      const e = (a instanceof InputProblem ? a : b) as InputProblem;
      const under = a instanceof InputProblem && b instanceof InputProblem ? 'both' : a instanceof InputProblem ? 'from' : 'to';
      report.errors.push({ id: p.id, name: p.name, status: e.status, detail: e.detail, under });
      if (under !== 'both') report.changed++;
      continue;
    }
    report.evaluated++;
    const diff = diffDecisions(a, b);
    if (!diff.changed) {
      report.unchanged++;
      continue;
    }
    report.changed++;
    report.changes.push({ id: p.id, name: p.name, jurisdiction: p.input.jurisdiction, activity: p.input.project.activity, verdict: { from: a.verdict, to: b.verdict }, diff });
    const vk = `${a.verdict}>${b.verdict}`;
    const vg = verdicts.get(vk) ?? { from: a.verdict, to: b.verdict, count: 0 };
    vg.count++;
    verdicts.set(vk, vg);
    // Group by the rule of the changed policy that now decides the changed item (or decided the removed one).
    const items = [...diff.findings, ...diff.projectFindings].map((c) => c.rule ?? { from: null, to: null }).concat(diff.landSupply.map((l) => l.rule));
    const mine = items.filter((r) => (r.to ?? r.from)?.policy === o.policy);
    const chosen = mine.length ? mine : items;
    const seen = new Set<string>();
    for (const r of chosen) {
      const g = r.to ?? r.from;
      if (!g) continue;
      const k = `${g.policy}#${g.version}#${g.rule}`;
      let grp = groups.get(k);
      if (!grp) groups.set(k, (grp = { policy: g.policy, version: g.version, rule: g.rule, count: 0, projects: [], previously: [] }));
      if (!seen.has(k)) {
        seen.add(k);
        grp.count++;
        grp.projects.push(p.id);
      }
      if (r.to && r.from && !grp.previously.some((x) => x.policy === r.from!.policy && x.rule === r.from!.rule && x.version === r.from!.version)) grp.previously.push(r.from);
    }
  }
  report.byRule = [...groups.values()].sort((x, y) => y.count - x.count || String(x.rule).localeCompare(String(y.rule)));
  report.byVerdict = [...verdicts.values()].sort((x, y) => y.count - x.count);
  return report;
}

function isObj(v: unknown): v is Record<string, any> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}
