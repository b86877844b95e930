/** Public API of the engine: pure TypeScript, no I/O; runs in Node, Workers and browsers. */
export { evaluateProject, constraintName, type EngineContext, type EvaluateInput } from './evaluate/evaluate-project.js';
export type { Decision, Finding, LandSupplyItem, Question, Warning } from './evaluate/decision.js';
export { loadBundle, BundleLoadError, configureBundleLimits, type BundleLimits, type BundleProblem } from './bundle/load-bundle.js';
export type { Bundle, LayerFeature, LayerStats, Manifest } from './bundle/types.js';
export { buildPolicyRegistry, effectiveWindow, PolicyLoadError, type EffectiveWindow, type PolicyRegistry } from './policy/policy-registry.js';
export type { CompiledPolicy } from './policy/compile-policy.js';
export type { PolicyDocument } from './policy/types.js';
export { runPolicyTests, type PolicyTestResult } from './policy/run-policy-tests.js';
export { InputProblem, type ProblemItem } from './problem.js';
export { validateEvaluateRequest } from './generated/validators.js';
export * from './vocabulary.js';
export { FACT_CATALOG } from './policy/fact-catalog.js';
export { canonicalJson, sha256 } from './hash.js';
export { isCalendarDate } from './calendar-date.js';
