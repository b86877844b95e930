/**
 * Static checks of a policy beyond its schema (npm run policy:check):
 * - conflicts: two rules of equal priority that give different verdicts (or land-supply statuses
 *   for one method) for the same facts — found by enumerating the values the rules' own conditions
 *   name (with the boundaries of numeric comparisons), so the check is exhaustive over those classes;
 * - coverage: rules and clauses exercised by the policy's own test cases.
 * The evaluator here is a small mirror of json-rules-engine's operators, used only for checking.
 */
import { VERDICT_RANK } from '../vocabulary.js';
import { ruleCondition, type CompiledPolicy } from './compile-policy.js';
import type { Condition, PolicyRule } from './types.js';
import { DEFAULT_PRIORITY } from './types.js';
import type { PolicyTestResult } from './run-policy-tests.js';

export interface Conflict { rules: [string, string]; facts: Record<string, unknown>; outcomes: [string, string] }

const MAX_COMBINATIONS = 50_000;

export function findConflicts(cp: CompiledPolicy): Conflict[] {
  const rules = cp.doc.rules;
  const out: Conflict[] = [];
  for (let i = 0; i < rules.length; i++) {
    for (let j = i + 1; j < rules.length; j++) {
      const a = rules[i];
      const b = rules[j];
      if ((a.priority ?? DEFAULT_PRIORITY) !== (b.priority ?? DEFAULT_PRIORITY)) continue;
      const clash = outcomeClash(a, b);
      if (!clash) continue;
      const facts = jointlySatisfiable(a, b);
      if (facts) out.push({ rules: [a.id, b.id], facts, outcomes: clash });
    }
  }
  return out;
}

function outcomeClash(a: PolicyRule, b: PolicyRule): [string, string] | null {
  if (a.then.verdict && b.then.verdict) {
    return a.then.verdict !== b.then.verdict ? [a.then.verdict, b.then.verdict] : null;
  }
  for (const x of a.then.landSupply ?? []) {
    const y = (b.then.landSupply ?? []).find((e) => e.method === x.method && e.status !== x.status);
    if (y) return [`${x.method}=${x.status}`, `${y.method}=${y.status}`];
  }
  return null;
}

function jointlySatisfiable(a: PolicyRule, b: PolicyRule): Record<string, unknown> | null {
  const ca = ruleCondition(a);
  const cb = ruleCondition(b);
  const candidates = new Map<string, unknown[]>();
  collectCandidates(ca, candidates);
  collectCandidates(cb, candidates);
  const facts = [...candidates.keys()];
  const values = facts.map((f) => [undefined, ...dedupe(candidates.get(f)!)]);
  const total = values.reduce((n, v) => n * v.length, 1);
  const idx = facts.map(() => 0);
  const limit = Math.min(total, MAX_COMBINATIONS);
  for (let n = 0; n < limit; n++) {
    const assignment: Record<string, unknown> = {};
    facts.forEach((f, i) => (assignment[f] = values[i][idx[i]]));
    if (holds(ca, assignment) && holds(cb, assignment)) {
      return Object.fromEntries(Object.entries(assignment).filter(([, v]) => v !== undefined));
    }
    for (let i = 0; i < idx.length; i++) {
      if (++idx[i] < values[i].length) break;
      idx[i] = 0;
    }
  }
  return null;
}

function collectCandidates(c: Condition, out: Map<string, unknown[]>): void {
  if ('all' in c) return c.all.forEach((x) => collectCandidates(x, out));
  if ('any' in c) return c.any.forEach((x) => collectCandidates(x, out));
  if ('not' in c) return collectCandidates(c.not, out);
  const list = out.get(c.fact) ?? [];
  const v = c.value;
  if (typeof v === 'number') list.push(v - 1e-6, v, v + 1e-6);
  else if (Array.isArray(v)) {
    if (c.operator === 'contains' || c.operator === 'doesNotContain') list.push(...v.map((x) => [x]), []);
    else list.push(...v);
  } else if (c.operator === 'contains' || c.operator === 'doesNotContain') list.push([v], []);
  else list.push(v);
  if (typeof v === 'boolean') list.push(!v);
  out.set(c.fact, list);
}

function dedupe(xs: unknown[]): unknown[] {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = JSON.stringify(x);
    return seen.has(k) ? false : (seen.add(k), true);
  });
}

/** json-rules-engine semantics for the operators policies may use. */
export function holds(c: Condition, facts: Record<string, unknown>): boolean {
  if ('all' in c) return c.all.every((x) => holds(x, facts));
  if ('any' in c) return c.any.some((x) => holds(x, facts));
  if ('not' in c) return !holds(c.not, facts);
  const f = facts[c.fact];
  const v = c.value as never;
  switch (c.operator) {
    case 'equal': return f === v;
    case 'notEqual': return f !== v;
    case 'in': return Array.isArray(v) && (v as unknown[]).includes(f);
    case 'notIn': return Array.isArray(v) && !(v as unknown[]).includes(f);
    case 'contains': return Array.isArray(f) && f.includes(v);
    case 'doesNotContain': return Array.isArray(f) && !f.includes(v);
    case 'lessThan': return typeof f === 'number' && f < v;
    case 'lessThanInclusive': return typeof f === 'number' && f <= v;
    case 'greaterThan': return typeof f === 'number' && f > v;
    case 'greaterThanInclusive': return typeof f === 'number' && f >= v;
    default: return false;
  }
}

/**
 * Three-valued reading of a condition when some facts are not known yet (the unstated attributes):
 * true or false when the known facts settle it, 'unknown' otherwise.
 */
export function mayHold(c: Condition, facts: Record<string, unknown>, unknown: ReadonlySet<string>): boolean | 'unknown' {
  if ('all' in c) {
    let u = false;
    for (const x of c.all) {
      const r = mayHold(x, facts, unknown);
      if (r === false) return false;
      if (r === 'unknown') u = true;
    }
    return u ? 'unknown' : true;
  }
  if ('any' in c) {
    let u = false;
    for (const x of c.any) {
      const r = mayHold(x, facts, unknown);
      if (r === true) return true;
      if (r === 'unknown') u = true;
    }
    return u ? 'unknown' : false;
  }
  if ('not' in c) {
    const r = mayHold(c.not, facts, unknown);
    return r === 'unknown' ? r : !r;
  }
  if (unknown.has(c.fact)) return 'unknown';
  return holds(c, facts);
}

export interface Coverage { rules: { total: number; covered: number; missing: string[] }; clauses: { total: number; covered: number; missing: string[] }; defaultCovered: boolean }

export function coverage(cp: CompiledPolicy, results: PolicyTestResult[]): Coverage {
  const exercised = new Set(results.flatMap((r) => r.exercised));
  const ruleIds = cp.doc.rules.map((r) => r.id);
  const missingRules = ruleIds.filter((r) => !exercised.has(r));
  const cited = new Set<string>();
  for (const r of cp.doc.rules) if (exercised.has(r.id)) r.then.clauses.forEach((c) => cited.add(c));
  if (exercised.has('(default)')) cp.doc.default.clauses.forEach((c) => cited.add(c));
  const clauseIds = cp.doc.clauses.map((c) => c.id);
  const missingClauses = clauseIds.filter((c) => !cited.has(c));
  return {
    rules: { total: ruleIds.length, covered: ruleIds.length - missingRules.length, missing: missingRules },
    clauses: { total: clauseIds.length, covered: clauseIds.length - missingClauses.length, missing: missingClauses },
    defaultCovered: exercised.has('(default)'),
  };
}

export { VERDICT_RANK };
