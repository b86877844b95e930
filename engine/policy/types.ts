/** TypeScript view of a policy document (policies/schema/policy.schema.json). */
import type { AuthorityId, LandSupplyMethod, LandSupplyStatus, Verdict } from '../vocabulary.js';

export interface Clause { id: string; document: string; section: string; text: string }
export interface Approval { authority: AuthorityId; action: string; basis?: string }
export interface ConditionItem { id: string; text: string }
export interface LandSupplyEntry { method: LandSupplyMethod; status: LandSupplyStatus }

export interface LeafCondition { fact: string; operator: string; value: unknown }
export type Condition = LeafCondition | TopCondition;
export type TopCondition = { all: Condition[] } | { any: Condition[] } | { not: Condition };

export interface RuleOutcome {
  verdict?: Verdict;
  clauses: string[];
  message: string;
  approvals?: Approval[];
  conditions?: ConditionItem[];
  landSupply?: LandSupplyEntry[];
}

export interface PolicyRule {
  id: string;
  title: string;
  priority?: number;
  activities?: string[];
  conditions: TopCondition;
  then: RuleOutcome;
}

export interface PolicyTest {
  name: string;
  facts: Record<string, unknown>;
  expect: {
    verdict?: Verdict;
    rule?: string | null;
    clauses?: string[];
    approvals?: AuthorityId[];
    conditions?: string[];
    landSupply?: Record<string, LandSupplyStatus>;
  };
}

export interface PolicySource { title: string; issuer: string; date: string; seed?: string; law?: string }

export interface PolicyDocument {
  id: string;
  version: string;
  level: 'national' | 'local';
  title: string;
  description?: string;
  effective: { from: string; to?: string };
  sources: PolicySource[];
  clauses: Clause[];
  appliesTo: { kinds: string[] } | { landSupply: true } | { project: true };
  rules: PolicyRule[];
  default: { verdict?: Verdict; clauses: string[]; message: string };
  tests: PolicyTest[];
}

export const DEFAULT_PRIORITY = 100;
