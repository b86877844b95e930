/**
 * What changed between two decisions on the same project: the verdict, the findings (added, removed,
 * or changed in verdict, area, features, deciding rule, approvals or conditions), the project-level
 * findings, the approvals, the conditions, the land-supply methods, the questions, and the policy
 * and map versions; plus the rules responsible (the `because.rule` of every changed item, old and
 * new). Pure: used by replay (API) and impact analysis (API and CLI).
 */
import { canonicalJson } from '../hash.js';
import type { Decision, Finding, ProjectFinding } from '../evaluate/decision.js';
import type { Approval, ConditionItem } from '../policy/types.js';
import type { Verdict } from '../vocabulary.js';

export interface RuleRef { policy: string; version: string; rule: string | null }
export interface RuleRefSide extends RuleRef { side: 'old' | 'new' }

export interface ItemChange {
  /** `kind|zone` for findings, the policy id for project findings. */
  key: string;
  kind?: string;
  zone?: string | null;
  name?: string;
  change: 'added' | 'removed' | 'changed';
  verdict?: { from: Verdict | null; to: Verdict | null };
  overlapAreaM2?: { from: number | null; to: number | null };
  featureIds?: { added: string[]; removed: string[] };
  rule?: { from: RuleRef | null; to: RuleRef | null };
  approvals?: { added: Approval[]; removed: Approval[] };
  conditions?: { added: ConditionItem[]; removed: ConditionItem[] };
}

export interface LandSupplyChange {
  method: string;
  change: 'added' | 'removed' | 'changed';
  status: { from: string | null; to: string | null };
  rule: { from: RuleRef | null; to: RuleRef | null };
}

export interface DecisionDiff {
  /** The outcome changed: verdict, findings, project findings, approvals, conditions or land supply. */
  changed: boolean;
  verdict: { from: Verdict; to: Verdict } | null;
  findings: ItemChange[];
  projectFindings: ItemChange[];
  approvals: { added: Approval[]; removed: Approval[] };
  conditions: { added: ConditionItem[]; removed: ConditionItem[] };
  landSupply: LandSupplyChange[];
  questions: { added: string[]; removed: string[] };
  policies: { id: string; from: { version: string; hash: string } | null; to: { version: string; hash: string } | null }[];
  bundle: { from: string; to: string } | null;
  asOf: { from: string; to: string } | null;
  engineVersion: { from: string; to: string } | null;
  /** The rules responsible: the deciding rule of every changed item, in the old and the new decision. */
  rules: RuleRefSide[];
}

const ref = (b: { policy: string; version: string; rule: string | null } | undefined | null): RuleRef | null =>
  b ? { policy: b.policy, version: b.version, rule: b.rule } : null;
const sameRule = (a: RuleRef | null, b: RuleRef | null) => (a?.policy ?? null) === (b?.policy ?? null) && (a?.rule ?? null) === (b?.rule ?? null);
const approvalKey = (a: Approval) => `${a.authority}|${a.action}`;

function setDiff<T>(a: T[], b: T[], key: (x: T) => string): { added: T[]; removed: T[] } {
  const ka = new Set(a.map(key));
  const kb = new Set(b.map(key));
  return { added: b.filter((x) => !ka.has(key(x))), removed: a.filter((x) => !kb.has(key(x))) };
}
const empty = (d: { added: unknown[]; removed: unknown[] }) => d.added.length === 0 && d.removed.length === 0;

function compareItems<T extends Finding | ProjectFinding>(a: T[], b: T[], key: (x: T) => string, describe: (x: T) => Partial<ItemChange>): ItemChange[] {
  const out: ItemChange[] = [];
  const mb = new Map(b.map((x) => [key(x), x]));
  const ma = new Map(a.map((x) => [key(x), x]));
  for (const x of a) {
    const k = key(x);
    const y = mb.get(k);
    if (!y) {
      out.push({ key: k, ...describe(x), change: 'removed', verdict: { from: x.verdict, to: null }, rule: { from: ref(x.because), to: null } });
      continue;
    }
    const c: ItemChange = { key: k, ...describe(y), change: 'changed' };
    let changed = false;
    if (x.verdict !== y.verdict) (c.verdict = { from: x.verdict, to: y.verdict }), (changed = true);
    if ('overlapAreaM2' in x && 'overlapAreaM2' in y && x.overlapAreaM2 !== y.overlapAreaM2) {
      c.overlapAreaM2 = { from: x.overlapAreaM2, to: y.overlapAreaM2 };
      changed = true;
    }
    if ('featureIds' in x && 'featureIds' in y) {
      const f = setDiff(x.featureIds, y.featureIds, String);
      if (!empty(f)) (c.featureIds = f), (changed = true);
    }
    if (!sameRule(ref(x.because), ref(y.because))) (c.rule = { from: ref(x.because), to: ref(y.because) }), (changed = true);
    const ap = setDiff(x.approvals, y.approvals, approvalKey);
    if (!empty(ap)) (c.approvals = ap), (changed = true);
    const co = setDiff(x.conditions, y.conditions, (z) => z.id);
    if (!empty(co)) (c.conditions = co), (changed = true);
    if (changed) {
      c.rule ??= { from: ref(x.because), to: ref(y.because) };
      out.push(c);
    }
  }
  for (const y of b) {
    const k = key(y);
    if (!ma.has(k)) out.push({ key: k, ...describe(y), change: 'added', verdict: { from: null, to: y.verdict }, rule: { from: null, to: ref(y.because) } });
  }
  return out;
}

export function diffDecisions(a: Decision, b: Decision): DecisionDiff {
  const findings = compareItems(a.findings, b.findings, (f) => `${f.kind}|${f.zone ?? ''}`, (f) => ({ kind: f.kind, zone: f.zone, name: f.name }));
  const projectFindings = compareItems(a.projectFindings ?? [], b.projectFindings ?? [], (f) => f.policy, (f) => ({ name: f.title }));
  const approvals = setDiff(a.approvals, b.approvals, approvalKey);
  const conditions = setDiff(a.conditions, b.conditions, (c) => c.id);
  const landSupply: LandSupplyChange[] = [];
  const lb = new Map(b.landSupply.map((l) => [l.method, l]));
  const la = new Map(a.landSupply.map((l) => [l.method, l]));
  for (const x of a.landSupply) {
    const y = lb.get(x.method);
    if (!y) landSupply.push({ method: x.method, change: 'removed', status: { from: x.status, to: null }, rule: { from: ref(x.because), to: null } });
    else if (x.status !== y.status || !sameRule(ref(x.because), ref(y.because))) {
      landSupply.push({ method: x.method, change: 'changed', status: { from: x.status, to: y.status }, rule: { from: ref(x.because), to: ref(y.because) } });
    }
  }
  for (const y of b.landSupply) {
    if (!la.has(y.method)) landSupply.push({ method: y.method, change: 'added', status: { from: null, to: y.status }, rule: { from: null, to: ref(y.because) } });
  }
  const questions = setDiff(a.questions.map((q) => `${q.attribute}:${q.ifTrue}/${q.ifFalse}`), b.questions.map((q) => `${q.attribute}:${q.ifTrue}/${q.ifFalse}`), String);
  const pa = new Map(a.policies.map((p) => [p.id, p]));
  const pb = new Map(b.policies.map((p) => [p.id, p]));
  const policies: DecisionDiff['policies'] = [];
  for (const id of [...new Set([...pa.keys(), ...pb.keys()])].sort()) {
    const x = pa.get(id);
    const y = pb.get(id);
    if (x?.hash !== y?.hash) policies.push({ id, from: x ? { version: x.version, hash: x.hash } : null, to: y ? { version: y.version, hash: y.hash } : null });
  }
  const rules: RuleRefSide[] = [];
  const seen = new Set<string>();
  const addRule = (r: RuleRef | null, side: 'old' | 'new') => {
    if (!r) return;
    const k = `${side}|${r.policy}|${r.version}|${r.rule}`;
    if (seen.has(k)) return;
    seen.add(k);
    rules.push({ ...r, side });
  };
  for (const c of [...findings, ...projectFindings]) {
    addRule(c.rule?.from ?? null, 'old');
    addRule(c.rule?.to ?? null, 'new');
  }
  for (const l of landSupply) {
    addRule(l.rule.from, 'old');
    addRule(l.rule.to, 'new');
  }
  const verdict = a.verdict === b.verdict ? null : { from: a.verdict, to: b.verdict };
  const changed = !!verdict || findings.length > 0 || projectFindings.length > 0 || !empty(approvals) || !empty(conditions) || landSupply.length > 0;
  return {
    changed,
    verdict,
    findings,
    projectFindings,
    approvals,
    conditions,
    landSupply,
    questions,
    policies,
    bundle: a.bundleHash === b.bundleHash ? null : { from: a.bundleHash, to: b.bundleHash },
    asOf: a.asOf === b.asOf ? null : { from: a.asOf, to: b.asOf },
    engineVersion: a.engineVersion === b.engineVersion ? null : { from: a.engineVersion, to: b.engineVersion },
    rules,
  };
}

/** The whole decision except its identity (decisionId, createdAt): what a replay must reproduce. */
export function decisionContent(d: Decision): string {
  const { decisionId: _i, createdAt: _c, ...rest } = d;
  return canonicalJson(rest);
}

/** JSON paths where two values differ (at most `limit`), for explaining a non-identical replay. */
export function jsonDifferences(a: unknown, b: unknown, limit = 50, path = ''): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, p: string) => {
    if (out.length >= limit) return;
    if (x === y) return;
    if (Array.isArray(x) && Array.isArray(y)) {
      if (x.length !== y.length) out.push(`${p || '/'} (length ${x.length} → ${y.length})`);
      for (let i = 0; i < Math.min(x.length, y.length); i++) walk(x[i], y[i], `${p}/${i}`);
      return;
    }
    if (x && y && typeof x === 'object' && typeof y === 'object' && !Array.isArray(x) && !Array.isArray(y)) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      for (const k of keys) walk((x as Record<string, unknown>)[k], (y as Record<string, unknown>)[k], `${p}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      return;
    }
    if (typeof x === 'number' && typeof y === 'number' && Number.isNaN(x) && Number.isNaN(y)) return;
    out.push(p || '/');
  };
  walk(a, b, path);
  return out;
}
