/**
 * A synchronous judge: the same deciding-rule order as judgeConstraint, with conditions read by
 * `holds` (a mirror of json-rules-engine's operators). It answers the what-ifs of `questions`, and
 * picks the deciding rule of an evaluation, which json-rules-engine then evaluates and explains
 * (evaluate-policy.ts judgeConstraintSelected); a test cross-checks the two on every policy case
 * and on random variations of them.
 */
import { VERDICT_RANK, type Verdict } from '../vocabulary.js';
import { holds } from './check-policy.js';
import { activityOf, ruleCondition, type CompiledPolicy } from './compile-policy.js';
import { DEFAULT_PRIORITY, type Condition, type PolicyRule } from './types.js';

const ordered = new WeakMap<PolicyRule[], { rule: PolicyRule; condition: Condition }[]>();

/**
 * The order in which rules decide: higher priority first, then the more restrictive verdict, then
 * document order (judgeConstraint orders the rules json-rules-engine fired by it too).
 */
export function decidingCompare(cp: CompiledPolicy): (a: PolicyRule, b: PolicyRule) => number {
  return (a, b) =>
    (b.priority ?? DEFAULT_PRIORITY) - (a.priority ?? DEFAULT_PRIORITY) ||
    VERDICT_RANK[b.then.verdict ?? 'allowed'] - VERDICT_RANK[a.then.verdict ?? 'allowed'] ||
    cp.ruleIndex.get(a.id)! - cp.ruleIndex.get(b.id)!;
}

/** The activity's rules in deciding order, each with its condition as the engines read it. */
function decidingOrder(cp: CompiledPolicy, activity: string): { rule: PolicyRule; condition: Condition }[] {
  const { rules } = cp.forActivity(activity);
  let list = ordered.get(rules);
  if (!list) {
    const compare = decidingCompare(cp);
    list = rules.map((rule) => ({ rule, condition: ruleCondition(rule) })).sort((a, b) => compare(a.rule, b.rule));
    ordered.set(rules, list);
  }
  return list;
}

export function judgeVerdictSync(cp: CompiledPolicy, facts: Record<string, unknown>): Verdict {
  for (const { rule, condition } of decidingOrder(cp, activityOf(facts))) if (holds(condition, facts)) return rule.then.verdict ?? 'allowed';
  return cp.doc.default.verdict ?? 'forbidden';
}

/** Every rule whose conditions hold, in deciding order (the first decides). */
export function rulesHolding(cp: CompiledPolicy, facts: Record<string, unknown>): PolicyRule[] {
  return decidingOrder(cp, activityOf(facts)).filter(({ condition }) => holds(condition, facts)).map(({ rule }) => rule);
}
