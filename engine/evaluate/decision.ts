/** The decision of contract §5: what POST /v1/evaluate returns and what is stored. */
import type { Approval, Clause, ConditionItem } from '../policy/types.js';
import type { Because, Check } from '../policy/evaluate-policy.js';
import type { LandSupplyMethod, LandSupplyStatus, LayerKind, Verdict } from '../vocabulary.js';

export interface Finding {
  kind: LayerKind;
  zone: string | null;
  /** Chinese name of the constraint, e.g. 城镇开发边界·特别用途区 (extension). */
  name: string;
  featureIds: string[];
  overlapAreaM2: number | null;
  overlapShare: number | null;
  distanceM: number | null;
  verdict: Verdict;
  message: string;
  clauses: Clause[];
  approvals: Approval[];
  conditions: ConditionItem[];
  because: Because;
}

/**
 * The outcome of a project-level policy (appliesTo.project), judged once per decision on site-level
 * facts: e.g. the approval level decided by the areas (extension of contract §5).
 */
export interface ProjectFinding {
  policy: string;
  title: string;
  verdict: Verdict;
  message: string;
  clauses: Clause[];
  approvals: Approval[];
  conditions: ConditionItem[];
  because: Because;
}

export interface LandSupplyItem {
  method: LandSupplyMethod;
  name: string;
  status: LandSupplyStatus;
  message: string;
  clauses: Clause[];
  conditions: ConditionItem[];
  because: { policy: string; version: string; rule: string; checks: Check[] };
}

export interface Question {
  attribute: string;
  text: string;
  ifTrue: Verdict;
  ifFalse: Verdict;
  /** For enumerated attributes: the verdict each value gives (extension). */
  answers?: { value: string; verdict: Verdict }[];
  /** The constraints whose findings the answer changes; "project" for project-level rules (extension). */
  kinds: (LayerKind | 'project')[];
}

/**
 * A combination of answers that only together change the verdict (extension): no part of it
 * alone does. `values`: for an enumerated attribute, every value that acts as `value` here.
 */
export interface JointQuestion {
  answers: { attribute: string; value: string | boolean; values?: string[] }[];
  verdict: Verdict;
}

export interface Warning { code: string; message: string; kind?: LayerKind; zone?: string | null; areaM2?: number; featureIds?: string[] }

export interface Decision {
  decisionId: string;
  verdict: Verdict;
  jurisdiction: string;
  bundleHash: string;
  asOf: string;
  createdAt: string;
  engineVersion: string;
  project: { name?: string; applicant?: string; activity: string; attributes: Record<string, string | number | boolean> };
  site: { type: string; areaM2: number; corridorWidthM?: number };
  policies: { id: string; version: string; hash: string; level: 'national' | 'local' }[];
  findings: Finding[];
  /** Project-level findings (extension): approval level by area, mining restrictions, siting rules. */
  projectFindings: ProjectFinding[];
  approvals: Approval[];
  conditions: ConditionItem[];
  landSupply: LandSupplyItem[];
  questions: Question[];
  /** Answers that change the verdict only together (extension; absent from decisions stored before it existed). */
  jointQuestions?: JointQuestion[];
  warnings: Warning[];
}
