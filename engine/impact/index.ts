/** Decision diffs and change-impact analysis (pure; no I/O). */
export { diffDecisions, decisionContent, jsonDifferences, type DecisionDiff, type ItemChange, type LandSupplyChange, type RuleRef, type RuleRefSide } from './diff.js';
export { analyzeImpact, impactVersions, readCorpus, type CorpusProject, type CorpusProblem, type ImpactChange, type ImpactOptions, type ImpactReport, type RuleGroup } from './impact.js';
