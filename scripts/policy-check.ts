/**
 * npm run policy:check — for every policy: schema and semantic validation (at load), every rule
 * cites a clause and every clause is used (at load), every fact a rule reads is provided by the
 * engine (at load), no two equal-priority rules give different outcomes for the same facts, local
 * policies never loosen national ones, and rule and clause coverage by the policy's own cases.
 * Exit 1 below 100% coverage or on any problem.
 */
import { POLICY_DOCUMENTS } from '../policies/index.generated.js';
import { buildPolicyRegistry, PolicyLoadError } from '../engine/policy/policy-registry.js';
import { runPolicyTests } from '../engine/policy/run-policy-tests.js';
import { coverage, findConflicts } from '../engine/policy/check-policy.js';

let registry;
try {
  registry = await buildPolicyRegistry(POLICY_DOCUMENTS);
} catch (e) {
  if (e instanceof PolicyLoadError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}
let bad = 0;
let rulesTotal = 0, rulesCovered = 0, clausesTotal = 0, clausesCovered = 0;
console.log(`${'policy'.padEnd(40)} ${'rules'.padStart(9)} ${'clauses'.padStart(9)} ${'cases'.padStart(7)}  problems`);
for (const cp of registry.all) {
  const results = await runPolicyTests(cp);
  const cov = coverage(cp, results);
  const conflicts = findConflicts(cp);
  const failed = results.filter((r) => !r.ok);
  rulesTotal += cov.rules.total; rulesCovered += cov.rules.covered;
  clausesTotal += cov.clauses.total; clausesCovered += cov.clauses.covered;
  const problems: string[] = [];
  if (cov.rules.missing.length) problems.push(`rules no case exercises: ${cov.rules.missing.join(', ')}`);
  if (cov.clauses.missing.length) problems.push(`clauses no exercised rule cites: ${cov.clauses.missing.join(', ')}`);
  for (const c of conflicts) problems.push(`conflict: ${c.rules[0]} (${c.outcomes[0]}) and ${c.rules[1]} (${c.outcomes[1]}) at equal priority both fire for ${JSON.stringify(c.facts)}`);
  for (const f of failed) problems.push(`case "${f.test}" fails: ${f.problems.join('; ')}`);
  if (problems.length) bad++;
  console.log(
    `${`${cp.doc.id}@${cp.doc.version}`.padEnd(40)} ${`${cov.rules.covered}/${cov.rules.total}`.padStart(9)} ${`${cov.clauses.covered}/${cov.clauses.total}`.padStart(9)} ${String(results.length).padStart(7)}  ${problems.length ? problems.join('\n' + ' '.repeat(70)) : 'ok'}`,
  );
}
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '100.0');
console.log(`\nrule coverage ${pct(rulesCovered, rulesTotal)}% (${rulesCovered}/${rulesTotal}), clause coverage ${pct(clausesCovered, clausesTotal)}% (${clausesCovered}/${clausesTotal}); ${registry.all.length} policies, ${bad} with problems`);
process.exit(bad || rulesCovered < rulesTotal || clausesCovered < clausesTotal ? 1 : 0);
