/**
 * Stage 1 of a policy's life (Cedar-style: validate, then compile, then evaluate): the JSON
 * Schema, then the semantic checks a schema cannot express. Returns every problem found.
 */
import { validatePolicy as schemaCheck } from '../generated/validators.js';
import { ACTIVITIES, ATTRIBUTES, LAYER_KINDS, ZONE_VALUES, DERIVED_ZONES } from '../vocabulary.js';
import { isKnownFact } from './fact-catalog.js';
import { basisPlaceholders } from './basis-template.js';
import type { Condition, PolicyDocument } from './types.js';

export interface PolicyProblem { path: string; message: string }

export function validatePolicyDocument(doc: unknown): { ok: true; doc: PolicyDocument } | { ok: false; problems: PolicyProblem[] } {
  if (!schemaCheck(doc)) {
    return {
      ok: false,
      problems: (schemaCheck.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: `${e.message ?? e.keyword} ${formatParams(e.params)}`.trim() })),
    };
  }
  const d = doc as PolicyDocument;
  const problems: PolicyProblem[] = [];
  const clauseIds = new Set<string>();
  d.clauses.forEach((c, i) => {
    if (clauseIds.has(c.id)) problems.push({ path: `/clauses/${i}/id`, message: `duplicate clause id ${c.id}` });
    clauseIds.add(c.id);
  });
  const used = new Set<string>();
  const cite = (ids: string[], path: string) =>
    ids.forEach((id, j) => {
      if (!clauseIds.has(id)) problems.push({ path: `${path}/${j}`, message: `unknown clause ${id}` });
      used.add(id);
    });
  const isLandSupply = 'landSupply' in d.appliesTo;
  if ('kinds' in d.appliesTo) {
    d.appliesTo.kinds.forEach((k, i) => {
      if (!(k in LAYER_KINDS)) problems.push({ path: `/appliesTo/kinds/${i}`, message: `unknown layer kind ${k}` });
    });
  }
  const ruleIds = new Set<string>();
  d.rules.forEach((r, i) => {
    const p = `/rules/${i}`;
    if (ruleIds.has(r.id)) problems.push({ path: `${p}/id`, message: `duplicate rule id ${r.id}` });
    ruleIds.add(r.id);
    cite(r.then.clauses, `${p}/then/clauses`);
    (r.activities ?? []).forEach((a, j) => {
      if (!(a in ACTIVITIES)) problems.push({ path: `${p}/activities/${j}`, message: `unknown activity ${a}` });
    });
    if (isLandSupply && !r.then.landSupply) problems.push({ path: `${p}/then`, message: 'a land-supply rule must give landSupply' });
    if (!isLandSupply && !r.then.verdict) problems.push({ path: `${p}/then`, message: 'a rule must give a verdict' });
    checkCondition(r.conditions, `${p}/conditions`, problems);
    (r.then.approvals ?? []).forEach((a, j) => {
      for (const [fact] of basisPlaceholders(a.basis ?? '')) {
        if (!isKnownFact(fact)) problems.push({ path: `${p}/then/approvals/${j}/basis`, message: `basis names fact ${fact}, which the engine does not provide` });
      }
    });
  });
  cite(d.default.clauses, '/default/clauses');
  if (!isLandSupply && !d.default.verdict) problems.push({ path: '/default', message: 'the closed-world default must give a verdict' });
  d.clauses.forEach((c, i) => {
    if (!used.has(c.id)) problems.push({ path: `/clauses/${i}`, message: `clause ${c.id} is cited by no rule (a clause no rule uses is a defect)` });
  });
  if (d.effective.to && d.effective.to <= d.effective.from) {
    problems.push({ path: '/effective/to', message: 'effective.to must be after effective.from' });
  }
  return problems.length ? { ok: false, problems } : { ok: true, doc: d };
}

function checkCondition(c: Condition, path: string, problems: PolicyProblem[]): void {
  if ('all' in c) return c.all.forEach((x, i) => checkCondition(x, `${path}/all/${i}`, problems));
  if ('any' in c) return c.any.forEach((x, i) => checkCondition(x, `${path}/any/${i}`, problems));
  if ('not' in c) return checkCondition(c.not, `${path}/not`, problems);
  if (!isKnownFact(c.fact)) {
    problems.push({ path: `${path}/fact`, message: `fact ${c.fact} is not provided by the engine` });
    return;
  }
  const values = Array.isArray(c.value) ? c.value : [c.value];
  const known = knownValues(c.fact);
  if (known) {
    for (const v of values) {
      if (v !== null && !known.has(String(v))) problems.push({ path: `${path}/value`, message: `${JSON.stringify(v)} is not a value of ${c.fact}` });
    }
  }
}

function knownValues(fact: string): Set<string> | null {
  if (fact === 'activity') return new Set(Object.keys(ACTIVITIES));
  if (fact === 'kind') return new Set(Object.keys(LAYER_KINDS));
  if (fact === 'zone') {
    const all = new Set<string>();
    for (const z of [...Object.values(ZONE_VALUES), ...Object.values(DERIVED_ZONES)]) for (const k of Object.keys(z ?? {})) all.add(k);
    return all;
  }
  const a = ATTRIBUTES[fact];
  if (a?.type === 'enum') return new Set(a.values);
  if (a?.type === 'boolean') return new Set(['true', 'false']);
  return null;
}

function formatParams(p: Record<string, unknown>): string {
  const v = p.additionalProperty ?? p.missingProperty ?? p.allowedValues ?? '';
  return v ? `(${Array.isArray(v) ? v.join(', ') : String(v)})` : '';
}
