/**
 * Stage 2: a validated policy becomes rule engines, one per activity, built lazily and cached.
 * Pre-selecting rules by activity keeps each json-rules-engine run small (cost budget).
 */
import { Engine, type RuleProperties } from 'json-rules-engine';
import { canonicalJson, sha256 } from '../hash.js';
import type { Clause, Condition, PolicyDocument, PolicyRule } from './types.js';
import { DEFAULT_PRIORITY } from './types.js';
import { ATTRIBUTES } from '../vocabulary.js';
import { FACT_CATALOG } from './fact-catalog.js';

export interface ActivityRules {
  engine: Engine;
  rules: PolicyRule[];
  /** Project attributes the selected rules read: the candidates for `questions`. */
  attributesRead: string[];
  /** For each attribute read: the value list of every condition that reads it (for `questions`). */
  attributeLeaves: Map<string, unknown[][]>;
  /** Every fact the selected rules read (activity included): a judgement depends on these alone. */
  factsRead: string[];
  /** Judgements remembered under `verdictKey` (rule evaluation is a pure function of the facts read). */
  memo: Map<string, unknown>;
  /** Whether the rules read a measured quantity (an area, a share, a distance). */
  readsMeasured: boolean;
  /**
   * A key of the facts as the rules can tell them apart: a measured quantity by where it lies among
   * the constants the conditions compare it with (35 ha, 70 ha…), anything else by its value. Two
   * sets of facts with one key get the same result from every condition (explanations, which quote
   * the values of measured quantities, differ).
   */
  verdictKey(facts: Record<string, unknown>): string;
}

export interface CompiledPolicy {
  doc: PolicyDocument;
  hash: string;
  landSupply: boolean;
  /** Judged once per decision on site-level facts (appliesTo.project). */
  project: boolean;
  kinds: ReadonlySet<string>;
  clauses: ReadonlyMap<string, Clause>;
  ruleIndex: ReadonlyMap<string, number>;
  forActivity(activity: string): ActivityRules;
}

export async function compilePolicy(doc: PolicyDocument): Promise<CompiledPolicy> {
  const hash = await sha256(canonicalJson(doc));
  const cache = new Map<string, ActivityRules>();
  const landSupply = 'landSupply' in doc.appliesTo;
  const project = 'project' in doc.appliesTo;
  return {
    doc,
    hash,
    landSupply,
    project,
    kinds: new Set('kinds' in doc.appliesTo ? doc.appliesTo.kinds : []),
    clauses: new Map(doc.clauses.map((c) => [c.id, c])),
    ruleIndex: new Map(doc.rules.map((r, i) => [r.id, i])),
    forActivity(activity: string): ActivityRules {
      let entry = cache.get(activity);
      if (!entry) {
        entry = buildEngine(doc.rules.filter((r) => !r.activities || r.activities.includes(activity)));
        cache.set(activity, entry);
      }
      return entry;
    },
  };
}

function buildEngine(rules: PolicyRule[]): ActivityRules {
  const engine = new Engine([], { allowUndefinedFacts: true });
  const attributeLeaves = new Map<string, unknown[][]>();
  const facts = new Set<string>(['activity']);
  for (const r of rules) {
    collectFacts(r.conditions, facts);
    engine.addRule(ruleProperties(r));
    collectAttributes(r.conditions, attributeLeaves);
  }
  const factsRead = [...facts].sort();
  const thresholds = new Map<string, number[]>();
  for (const r of rules) collectThresholds(r.conditions, thresholds);
  for (const [f, list] of thresholds) thresholds.set(f, [...new Set(list)].sort((a, b) => a - b));
  return {
    engine, rules, attributesRead: [...attributeLeaves.keys()].sort(), attributeLeaves, factsRead, memo: new Map(),
    readsMeasured: factsRead.some(isMeasured),
    verdictKey(values) {
      let key = '';
      for (const f of factsRead) {
        const v = values[f];
        const cuts = thresholds.get(f);
        if (cuts && typeof v === 'number') {
          key += ',#';
          for (const c of cuts) key += v < c ? '<' : v === c ? '=' : '>';
        } else key += `,${v === undefined ? '' : JSON.stringify(v)}`;
      }
      return key;
    },
  };
}

/** The activity the facts name ('' when none): which of a policy's rule sets (forActivity) applies. */
export function activityOf(facts: Record<string, unknown>): string {
  return typeof facts.activity === 'string' ? facts.activity : '';
}

/** A rule's condition with its activity list as a first condition (as every engine and check reads it). */
export function ruleCondition(r: PolicyRule): Condition {
  return r.activities ? { all: [{ fact: 'activity', operator: 'in', value: r.activities }, r.conditions] } : r.conditions;
}

/** A policy rule as json-rules-engine takes it. */
export function ruleProperties(r: PolicyRule): RuleProperties {
  return {
    name: r.id,
    priority: r.priority ?? DEFAULT_PRIORITY,
    conditions: ruleCondition(r),
    event: { type: 'outcome', params: { rule: r.id } },
  } as RuleProperties;
}

/** The facts the rules read that these facts define: what json-rules-engine is given (each becomes an almanac entry). */
export function definedFacts(rules: ActivityRules, facts: Record<string, unknown>): Record<string, unknown> {
  const defined: Record<string, unknown> = {};
  for (const k of rules.factsRead) if (facts[k] !== undefined) defined[k] = facts[k];
  return defined;
}

function collectFacts(c: Condition, out: Set<string>): void {
  if ('all' in c) return c.all.forEach((x) => collectFacts(x, out));
  if ('any' in c) return c.any.forEach((x) => collectFacts(x, out));
  if ('not' in c) return collectFacts(c.not, out);
  out.add(c.fact);
}

function collectAttributes(c: Condition, out: Map<string, unknown[][]>): void {
  if ('all' in c) return c.all.forEach((x) => collectAttributes(x, out));
  if ('any' in c) return c.any.forEach((x) => collectAttributes(x, out));
  if ('not' in c) return collectAttributes(c.not, out);
  if (!(c.fact in ATTRIBUTES)) return;
  let leaves = out.get(c.fact);
  if (!leaves) out.set(c.fact, (leaves = []));
  leaves.push(Array.isArray(c.value) ? c.value : [c.value]);
}

/** Facts that are measurements (continuous numbers): areas, shares, distances, widths. */
function isMeasured(fact: string): boolean {
  if (fact === 'featureCount' || fact === 'intendedUsers') return false;
  return FACT_CATALOG[fact]?.type === 'number' || ATTRIBUTES[fact]?.type === 'number';
}

/** The numeric constants each measured fact is compared with. */
function collectThresholds(c: Condition, out: Map<string, number[]>): void {
  if ('all' in c) return c.all.forEach((x) => collectThresholds(x, out));
  if ('any' in c) return c.any.forEach((x) => collectThresholds(x, out));
  if ('not' in c) return collectThresholds(c.not, out);
  if (!isMeasured(c.fact)) return;
  const values = (Array.isArray(c.value) ? c.value : [c.value]).filter((v): v is number => typeof v === 'number');
  out.set(c.fact, [...(out.get(c.fact) ?? []), ...values]);
}
