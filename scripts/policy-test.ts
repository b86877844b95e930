/**
 * npm run policy:test — runs every policy's own test cases and prints rule coverage.
 * Exit 1 on any failure.
 */
import { POLICY_DOCUMENTS } from '../policies/index.generated.js';
import { buildPolicyRegistry } from '../engine/policy/policy-registry.js';
import { runPolicyTests } from '../engine/policy/run-policy-tests.js';

const registry = await buildPolicyRegistry(POLICY_DOCUMENTS);
let failed = 0;
let total = 0;
for (const cp of registry.all) {
  const results = await runPolicyTests(cp);
  const exercised = new Set(results.flatMap((r) => r.exercised));
  const rules = cp.doc.rules.map((r) => r.id);
  const uncovered = rules.filter((r) => !exercised.has(r));
  console.log(`\n${cp.doc.id}@${cp.doc.version}  ${results.filter((r) => r.ok).length}/${results.length} cases pass, rule coverage ${rules.length - uncovered.length}/${rules.length}${exercised.has('(default)') ? ' + default' : ''}`);
  for (const r of results) {
    total++;
    if (r.ok) continue;
    failed++;
    console.log(`  ✗ ${r.test}\n    ${r.problems.join('\n    ')}\n  ${r.explanation}`);
  }
  if (uncovered.length) console.log(`  rules no case exercises: ${uncovered.join(', ')}`);
}
console.log(`\n${total - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
