/**
 * Runs a policy's own test cases (policy.json `tests`) and explains each failure the way an
 * author needs it: the facts, the rules that fired, expected and actual outcome.
 */
import type { CompiledPolicy } from './compile-policy.js';
import { judgeConstraint, judgeLandSupply } from './evaluate-policy.js';
import type { PolicyTest } from './types.js';

export interface PolicyTestResult {
  policy: string;
  test: string;
  ok: boolean;
  problems: string[];
  explanation: string;
  /** Rules this case exercised (fired), for coverage. */
  exercised: string[];
}

export async function runPolicyTests(cp: CompiledPolicy): Promise<PolicyTestResult[]> {
  const out: PolicyTestResult[] = [];
  for (const t of cp.doc.tests) out.push(await runOne(cp, t));
  return out;
}

async function runOne(cp: CompiledPolicy, t: PolicyTest): Promise<PolicyTestResult> {
  const problems: string[] = [];
  const e = t.expect;
  let explanation: string;
  let exercised: string[];
  if (cp.landSupply) {
    const got = await judgeLandSupply(cp, t.facts);
    const byMethod = Object.fromEntries(got.map((g) => [g.method, g.status]));
    for (const [m, s] of Object.entries(e.landSupply ?? {})) {
      if (byMethod[m] !== s) problems.push(`landSupply.${m}: expected ${s}, got ${byMethod[m] ?? '(not listed)'}`);
    }
    exercised = [...new Set(got.map((g) => g.rule))];
    explanation = `facts ${JSON.stringify(t.facts)}\n  land supply: ${got.map((g) => `${g.method}=${g.status} (by ${g.rule})`).join(', ') || '(none)'}`;
  } else {
    const j = await judgeConstraint(cp, t.facts);
    if (e.verdict && j.verdict !== e.verdict) problems.push(`verdict: expected ${e.verdict}, got ${j.verdict}`);
    if (e.rule !== undefined && j.rule !== e.rule) problems.push(`deciding rule: expected ${e.rule ?? '(default)'}, got ${j.rule ?? '(default)'}`);
    for (const c of e.clauses ?? []) if (!j.outcome.clauses.includes(c)) problems.push(`clause ${c} not cited (cited: ${j.outcome.clauses.join(', ')})`);
    const auths = (j.outcome.approvals ?? []).map((a) => a.authority);
    for (const a of e.approvals ?? []) if (!auths.includes(a)) problems.push(`approval by ${a} missing (got: ${auths.join(', ') || 'none'})`);
    if (e.approvals && e.approvals.length === 0 && auths.length) problems.push(`expected no approvals, got ${auths.join(', ')}`);
    const conds = (j.outcome.conditions ?? []).map((c) => c.id);
    for (const c of e.conditions ?? []) if (!conds.includes(c)) problems.push(`condition ${c} missing (got: ${conds.join(', ') || 'none'})`);
    exercised = j.fired.length ? j.fired : ['(default)'];
    explanation =
      `facts ${JSON.stringify(t.facts)}\n  fired: ${j.fired.join(', ') || '(none: closed-world default)'}\n` +
      `  decided by ${j.rule ?? '(default)'} → ${j.verdict}\n  checks: ${j.because.checks.map((c) => `${c.fact} ${c.operator} ${JSON.stringify(c.expected)} [saw ${JSON.stringify(c.actual)}] ${c.result ? '✓' : '✗'}`).join('; ')}`;
  }
  return { policy: cp.doc.id, test: t.name, ok: problems.length === 0, problems, explanation, exercised };
}
