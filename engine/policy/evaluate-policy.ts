/**
 * Stage 3: run a compiled policy on one set of facts. Explanations come from the evaluation itself:
 * every condition json-rules-engine tested, with the fact value it saw (style.md §5).
 */
import { Engine } from 'json-rules-engine';
import { activityOf, definedFacts, ruleProperties, type CompiledPolicy } from './compile-policy.js';
import { decidingCompare, rulesHolding } from './judge-sync.js';
import { DEFAULT_PRIORITY, type RuleOutcome } from './types.js';
import { type LandSupplyMethod, type LandSupplyStatus, type Verdict } from '../vocabulary.js';

export interface Check { fact: string; operator: string; expected: unknown; actual: unknown; result: boolean }

export interface Because {
  policy: string;
  version: string;
  rule: string | null;
  level: 'national' | 'local';
  message: string;
  checks: Check[];
}

export interface ConstraintJudgement {
  verdict: Verdict;
  rule: string | null;
  outcome: RuleOutcome;
  because: Because;
  /** Every rule that fired, deciding one first. */
  fired: string[];
}

export type Facts = Record<string, unknown>;

interface RuleResultLike {
  name: string;
  priority: number;
  result: boolean;
  conditions: unknown;
}

async function runRules(cp: CompiledPolicy, facts: Facts): Promise<{ fired: RuleResultLike[] }> {
  const rules = cp.forActivity(activityOf(facts));
  if (rules.rules.length === 0) return { fired: [] };
  // Only the facts the rules read: the rest would cost for nothing.
  const { results } = await rules.engine.run(definedFacts(rules, facts));
  return { fired: results as unknown as RuleResultLike[] };
}

const MEMO_LIMIT = 20_000;

/**
 * A judgement is a pure function of the facts its rules read, so it is computed once per distinct
 * set of values (bounded cache) and shared: the explanation is that of the evaluation that made it.
 * Rules that read measured quantities (areas, distances) are remembered by the class of each value
 * among the thresholds the rules compare it with (ActivityRules.verdictKey): every condition then
 * tests the same and gives the same result, and only the values the explanation quotes differ —
 * they are those of the facts at hand, as json-rules-engine would have reported them.
 */
async function memoized<T extends ConstraintJudgement | LandSupplyJudgement[]>(cp: CompiledPolicy, facts: Facts, tag: string, compute: () => Promise<T>): Promise<T> {
  const rules = cp.forActivity(activityOf(facts));
  const key = tag + rules.verdictKey(facts);
  const hit = rules.memo.get(key) as T | undefined;
  if (hit !== undefined) return rules.readsMeasured ? withActuals(hit, facts) : hit;
  const value = await compute();
  if (rules.memo.size >= MEMO_LIMIT) rules.memo.clear();
  rules.memo.set(key, value);
  return value;
}

/** A remembered judgement with the fact values of these facts in its checks. */
function withActuals<T extends ConstraintJudgement | LandSupplyJudgement[]>(j: T, facts: Facts): T {
  const fresh = (checks: Check[]) => checks.map((c) => ({ ...c, actual: facts[c.fact] ?? null }));
  if (Array.isArray(j)) return j.map((l) => ({ ...l, checks: fresh(l.checks) })) as T;
  return { ...j, because: { ...j.because, checks: fresh(j.because.checks) } } as T;
}

/**
 * Judge one constraint (a kind and zone the site touches) under one policy: json-rules-engine runs
 * every rule of the activity and the highest-priority firing one decides. Policy tests and checks
 * use this, the evaluator of record.
 */
export function judgeConstraint(cp: CompiledPolicy, facts: Facts): Promise<ConstraintJudgement> {
  return memoized(cp, facts, 'c', () => judgeConstraintNow(cp, facts));
}

/**
 * The same judgement for an evaluation, at the cost of one rule: the synchronous mirror finds the
 * rules that hold in deciding order, and json-rules-engine evaluates the deciding one, whose result
 * and the conditions it tested (with the values it saw) are the explanation. Should json-rules-engine
 * not fire it, the full run decides instead.
 */
export function judgeConstraintSelected(cp: CompiledPolicy, facts: Facts): Promise<ConstraintJudgement> {
  return memoized(cp, facts, 'c', async () => {
    const holding = rulesHolding(cp, facts);
    if (holding.length === 0) return closedWorld(cp, facts);
    const top = holding[0];
    const { results } = await singleRuleEngine(cp, top.id).run(definedFacts(cp.forActivity(activityOf(facts)), facts));
    const fired = results as unknown as RuleResultLike[];
    if (fired.length !== 1) return judgeConstraintNow(cp, facts);
    return {
      verdict: top.then.verdict!,
      rule: top.id,
      outcome: top.then,
      because: { policy: cp.doc.id, version: cp.doc.version, rule: top.id, level: cp.doc.level, message: top.then.message, checks: flattenChecks(fired[0].conditions) },
      fired: holding.map((r) => r.id),
    };
  });
}

const singleRuleEngines = new WeakMap<CompiledPolicy, Map<string, Engine>>();

/** An engine holding one rule of a policy, as the activity engines hold it (built once). */
function singleRuleEngine(cp: CompiledPolicy, ruleId: string): Engine {
  let byRule = singleRuleEngines.get(cp);
  if (!byRule) singleRuleEngines.set(cp, (byRule = new Map()));
  let engine = byRule.get(ruleId);
  if (!engine) {
    engine = new Engine([], { allowUndefinedFacts: true });
    engine.addRule(ruleProperties(cp.doc.rules[cp.ruleIndex.get(ruleId)!]));
    byRule.set(ruleId, engine);
  }
  return engine;
}

/** No rule permits: the policy's closed-world default (contract §1). */
function closedWorld(cp: CompiledPolicy, facts: Facts): ConstraintJudgement {
  const d = cp.doc.default;
  return {
    verdict: d.verdict ?? 'forbidden',
    rule: null,
    outcome: { verdict: d.verdict, clauses: d.clauses, message: d.message },
    because: {
      policy: cp.doc.id, version: cp.doc.version, rule: null, level: cp.doc.level,
      message: `没有规则允许该活动（闭集原则）：${d.message}`,
      checks: [{ fact: 'activity', operator: 'permittedBy', expected: cp.doc.id, actual: facts.activity, result: false }],
    },
    fired: [],
  };
}

/** judgeConstraint without the memo: every rule through json-rules-engine, every time (the reference in tests). */
export async function judgeConstraintNow(cp: CompiledPolicy, facts: Facts): Promise<ConstraintJudgement> {
  const { fired } = await runRules(cp, facts);
  const compare = decidingCompare(cp);
  const ordered = fired.map((r) => ({ r, rule: cp.doc.rules[cp.ruleIndex.get(r.name)!] })).sort((a, b) => compare(a.rule, b.rule));
  const level = cp.doc.level;
  if (ordered.length === 0) return closedWorld(cp, facts);
  const top = ordered[0];
  return {
    verdict: top.rule.then.verdict!,
    rule: top.rule.id,
    outcome: top.rule.then,
    because: { policy: cp.doc.id, version: cp.doc.version, rule: top.rule.id, level, message: top.rule.then.message, checks: flattenChecks(top.r.conditions) },
    fired: ordered.map((o) => o.rule.id),
  };
}

export interface LandSupplyJudgement {
  method: LandSupplyMethod;
  status: LandSupplyStatus;
  rule: string;
  clauses: string[];
  conditions: { id: string; text: string }[];
  message: string;
  checks: Check[];
}

const STATUS_RANK: Record<LandSupplyStatus, number> = { permitted: 0, required: 1, forbidden: 2 };

/** Land-supply methods open to the project: per method, the highest-priority firing rule decides. */
export function judgeLandSupply(cp: CompiledPolicy, facts: Facts): Promise<LandSupplyJudgement[]> {
  return memoized(cp, facts, 'l', () => judgeLandSupplyNow(cp, facts));
}

async function judgeLandSupplyNow(cp: CompiledPolicy, facts: Facts): Promise<LandSupplyJudgement[]> {
  const { fired } = await runRules(cp, facts);
  const best = new Map<LandSupplyMethod, { j: LandSupplyJudgement; priority: number; index: number }>();
  for (const r of fired) {
    const index = cp.ruleIndex.get(r.name)!;
    const rule = cp.doc.rules[index];
    const priority = rule.priority ?? DEFAULT_PRIORITY;
    for (const e of rule.then.landSupply ?? []) {
      const cur = best.get(e.method);
      const better =
        !cur ||
        priority > cur.priority ||
        (priority === cur.priority && STATUS_RANK[e.status] > STATUS_RANK[cur.j.status]) ||
        (priority === cur.priority && STATUS_RANK[e.status] === STATUS_RANK[cur.j.status] && index < cur.index);
      if (better) {
        best.set(e.method, {
          priority, index,
          j: {
            method: e.method, status: e.status, rule: rule.id, clauses: rule.then.clauses,
            conditions: rule.then.conditions ?? [], message: rule.then.message, checks: flattenChecks(r.conditions),
          },
        });
      }
    }
  }
  return [...best.values()].map((b) => b.j);
}

/** The leaves json-rules-engine evaluated, with the fact values it saw. */
export function flattenChecks(node: unknown, out: Check[] = [], seen = new Set<string>()): Check[] {
  if (!node || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  for (const key of ['all', 'any'] as const) if (Array.isArray(n[key])) for (const c of n[key] as unknown[]) flattenChecks(c, out, seen);
  if (n.not) flattenChecks(n.not, out, seen);
  if (typeof n.fact === 'string' && 'result' in n) {
    const check = { fact: n.fact, operator: String(n.operator), expected: n.value, actual: n.factResult ?? null, result: Boolean(n.result) };
    const key = JSON.stringify(check);
    if (!seen.has(key)) {
      seen.add(key);
      out.push(check);
    }
  }
  return out;
}
