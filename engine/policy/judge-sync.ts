/**
 * A synchronous judge: the same deciding-rule order as judgeConstraint, with conditions read by
 * `holds` (a mirror of json-rules-engine's operators). It answers the what-ifs of `questions`, and
 * picks the deciding rule of an evaluation, which json-rules-engine then evaluates and explains
 * (evaluate-policy.ts judgeConstraintSelected); a test cross-checks the two on every policy case
 * and on random variations of them.
 */
import { VERDICT_RANK, type Verdict } from '../vocabulary.js';
import { holds } from './check-policy.js';
import { ruleCondition, type CompiledPolicy } from './compile-policy.js';
import { DEFAULT_PRIORITY, type Condition, type PolicyRule } from './types.js';

const ordered = new WeakMap<PolicyRule[], { rule: PolicyRule; condition: Condition }[]>();

/** The activity's rules in deciding order (priority, then most restrictive, then document order). */
function decidingOrder(cp: CompiledPolicy, activity: string): { rule: PolicyRule; condition: Condition }[] {
  const { rules } = cp.forActivity(activity);
  let list = ordered.get(rules);
  if (!list) {
    list = rules
      .map((rule) => ({
        rule,
        condition: ruleCondition(rule),
      }))
      .sort(
        (a, b) =>
          (b.rule.priority ?? DEFAULT_PRIORITY) - (a.rule.priority ?? DEFAULT_PRIORITY) ||
          VERDICT_RANK[b.rule.then.verdict ?? 'allowed'] - VERDICT_RANK[a.rule.then.verdict ?? 'allowed'] ||
          cp.ruleIndex.get(a.rule.id)! - cp.ruleIndex.get(b.rule.id)!,
      );
    ordered.set(rules, list);
  }
  return list;
}

export function judgeVerdictSync(cp: CompiledPolicy, facts: Record<string, unknown>): Verdict {
  const activity = typeof facts.activity === 'string' ? facts.activity : '';
  for (const { rule, condition } of decidingOrder(cp, activity)) if (holds(condition, facts)) return rule.then.verdict ?? 'allowed';
  return cp.doc.default.verdict ?? 'forbidden';
}

/** Every rule whose conditions hold, in deciding order (the first decides). */
export function rulesHolding(cp: CompiledPolicy, facts: Record<string, unknown>): PolicyRule[] {
  const activity = typeof facts.activity === 'string' ? facts.activity : '';
  return decidingOrder(cp, activity).filter(({ condition }) => holds(condition, facts)).map(({ rule }) => rule);
}
