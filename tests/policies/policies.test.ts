/**
 * Every policy's own test cases (policy.json `tests`), run through the public engine API, plus the
 * authoring rules: schema-valid, verbatim clauses, every rule exercised by a case.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPolicyRegistry, runPolicyTests } from '../../engine/index.js';
import { validatePolicyDocument } from '../../engine/policy/validate-policy.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';
import type { PolicyDocument } from '../../engine/policy/types.js';

const SEEDS = join(__dirname, '../../../shared/seeds');
const squash = (s: string) => s.replace(/\s+/g, '');
const seedText = new Map<string, string>();
const seed = (file: string) => {
  if (!seedText.has(file)) seedText.set(file, squash(readFileSync(join(SEEDS, file), 'utf8')));
  return seedText.get(file)!;
};

const registry = await buildPolicyRegistry(POLICY_DOCUMENTS);

describe('policy documents', () => {
  it('ships the four national policies of the engine-core issue', () => {
    const ids = registry.all.map((p) => p.doc.id);
    for (const id of ['national.ecological-redline', 'national.permanent-farmland', 'national.urban-boundary', 'national.land-supply']) {
      expect(ids).toContain(id);
    }
  });

  for (const [folder, raw] of Object.entries(POLICY_DOCUMENTS)) {
    const doc = raw as PolicyDocument;
    describe(folder, () => {
      it('is valid (schema + semantic checks) and named after its folder', () => {
        const v = validatePolicyDocument(raw);
        expect(v.ok ? [] : v.problems).toEqual([]);
        // policies/<id>/policy.json is keyed <id>; further versions policies/<id>/versions/<v>.json are keyed <id>@<v>.
        const [id, version] = folder.split('@');
        expect(doc.id).toBe(id);
        if (version !== undefined) expect(doc.version).toBe(version);
      });

      it('quotes every seed clause verbatim', () => {
        const seeds = doc.sources.filter((s) => s.seed).map((s) => s.seed!);
        const laws = doc.sources.filter((s) => s.law).map((s) => s.title);
        for (const c of doc.clauses) {
          const inSeed = seeds.some((f) => seed(f).includes(squash(c.text)));
          const fromLaw = laws.some((t) => c.document.includes(t) || t.includes(c.document));
          expect(inSeed || fromLaw, `clause ${c.id} (${c.document} ${c.section}) is not verbatim in ${seeds.join(', ')}`).toBe(true);
        }
      });

      it('passes its own cases, each rule exercised', async () => {
        const cp = registry.all.find((p) => p.doc.id === doc.id && p.doc.version === doc.version)!;
        const results = await runPolicyTests(cp);
        const failures = results.filter((r) => !r.ok).map((r) => `${r.test}\n  ${r.problems.join('\n  ')}\n  ${r.explanation}`);
        expect(failures).toEqual([]);
        const exercised = new Set(results.flatMap((r) => r.exercised));
        expect(doc.rules.map((r) => r.id).filter((id) => !exercised.has(id))).toEqual([]);
      });
    });
  }
});

describe('policy validation refuses defects', () => {
  const base = POLICY_DOCUMENTS['national.permanent-farmland'] as PolicyDocument;
  const mutate = (f: (d: PolicyDocument) => void) => {
    const d = structuredClone(base);
    f(d);
    return validatePolicyDocument(d);
  };
  it('a rule citing a missing clause', () => {
    const v = mutate((d) => (d.rules[0].then.clauses = ['no-such-clause']));
    expect(v.ok).toBe(false);
  });
  it('a clause no rule uses', () => {
    const v = mutate((d) => d.clauses.push({ id: 'orphan', document: 'x', section: 'y', text: 'z' }));
    expect(!v.ok && v.problems.some((p) => p.message.includes('orphan'))).toBe(true);
  });
  it('a fact the engine does not provide', () => {
    const v = mutate((d) => (d.rules[0].conditions = { all: [{ fact: 'nonsense', operator: 'equal', value: 1 }] }));
    expect(!v.ok && v.problems.some((p) => p.message.includes('nonsense'))).toBe(true);
  });
  it('an unknown attribute value', () => {
    const v = mutate((d) => (d.rules[0].conditions = { all: [{ fact: 'keyProjectSector', operator: 'in', value: ['railway'] }] }));
    expect(!v.ok && v.problems.some((p) => p.message.includes('railway'))).toBe(true);
  });
  it('overlapping versions of one policy', async () => {
    const v2 = structuredClone(base);
    v2.version = '2.0.0';
    await expect(buildPolicyRegistry({ a: base, b: v2 })).rejects.toThrow(/overlap/);
  });
  it('asOf picks the version in force', async () => {
    const v1 = structuredClone(base);
    v1.effective = { from: '2021-01-01', to: '2026-01-01' };
    const v2 = structuredClone(base);
    v2.version = '2.0.0';
    v2.effective = { from: '2026-01-01' };
    const r = await buildPolicyRegistry({ a: v1, b: v2 });
    expect(r.inForce(base.id, '2025-12-31')?.doc.version).toBe(base.version);
    expect(r.inForce(base.id, '2026-01-01')?.doc.version).toBe('2.0.0');
    expect(r.inForce(base.id, '2020-01-01')).toBeUndefined();
  });
});

describe('policy:check finds defects', async () => {
  const { findConflicts } = await import('../../engine/policy/check-policy.js');
  const { compilePolicy } = await import('../../engine/policy/compile-policy.js');
  const base = POLICY_DOCUMENTS['national.permanent-farmland'] as PolicyDocument;

  it('two equal-priority rules with different verdicts for the same facts', async () => {
    const d = structuredClone(base);
    d.rules = [
      { id: 'a', title: 'a', priority: 100, activities: ['industrial'], conditions: { all: [{ fact: 'unavoidable', operator: 'equal', value: true }] }, then: { verdict: 'allowed', clauses: [d.clauses[0].id], message: 'a' } },
      { id: 'b', title: 'b', priority: 100, activities: ['industrial', 'energy'], conditions: { all: [{ fact: 'overlapAreaM2', operator: 'greaterThan', value: 100 }] }, then: { verdict: 'forbidden', clauses: [d.clauses[0].id], message: 'b' } },
    ];
    const conflicts = findConflicts(await compilePolicy(d));
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0].facts).toMatchObject({ activity: 'industrial', unavoidable: true });
    expect(conflicts[0].facts.overlapAreaM2 as number).toBeGreaterThan(100);
  });

  it('no conflict when the conditions exclude each other or priorities order them', async () => {
    const d = structuredClone(base);
    d.rules = [
      { id: 'a', title: 'a', activities: ['industrial'], conditions: { all: [{ fact: 'unavoidable', operator: 'equal', value: true }] }, then: { verdict: 'allowed', clauses: [d.clauses[0].id], message: 'a' } },
      { id: 'b', title: 'b', activities: ['industrial'], conditions: { all: [{ fact: 'unavoidable', operator: 'notEqual', value: true }] }, then: { verdict: 'forbidden', clauses: [d.clauses[0].id], message: 'b' } },
      { id: 'c', title: 'c', priority: 500, activities: ['industrial'], conditions: { all: [{ fact: 'unavoidable', operator: 'equal', value: true }] }, then: { verdict: 'forbidden', clauses: [d.clauses[0].id], message: 'c' } },
    ];
    expect(findConflicts(await compilePolicy(d))).toEqual([]);
  });

  it('a local policy that loosens a national one is refused at load', async () => {
    const local = structuredClone(base);
    local.id = 'local.xiangshi-2021-2035';
    local.level = 'local';
    local.rules = [{ id: 'loose', title: 'loose', activities: ['industrial'], conditions: { all: [{ fact: 'kind', operator: 'equal', value: 'permanent-farmland' }] }, then: { verdict: 'allowed', clauses: local.default.clauses, message: '放宽' } }];
    local.clauses = local.clauses.filter((c) => local.default.clauses.includes(c.id));
    local.tests = [{ name: 'industrial on farmland', facts: { activity: 'industrial', kind: 'permanent-farmland' }, expect: { verdict: 'allowed' } }];
    await expect(buildPolicyRegistry({ a: base, b: local })).rejects.toThrow(/may not loosen/);
  });
});

describe('the what-if judge used for questions agrees with json-rules-engine', async () => {
  const { judgeVerdictSync } = await import('../../engine/policy/judge-sync.js');
  const { judgeConstraint } = await import('../../engine/policy/evaluate-policy.js');
  const { ATTRIBUTES } = await import('../../engine/vocabulary.js');
  const attrs = Object.entries(ATTRIBUTES).filter(([, d]) => d.type === 'boolean' || d.type === 'enum');
  /** A case's facts and `n` seeded variations of its attributes (some set, some removed). */
  const variantsOf = (facts: Record<string, unknown>, n: number, rnd: () => number) => {
    const out = [facts];
    for (let k = 0; k < n; k++) {
      const v = { ...facts };
      for (const [id, d] of attrs) {
        const r = rnd();
        if (r < 0.15) v[id] = d.type === 'boolean' ? rnd() < 0.5 : d.values![Math.floor(rnd() * d.values!.length)];
        else if (r < 0.2) delete v[id];
      }
      out.push(v);
    }
    return out;
  };
  it('on every policy case and on variations of its attributes', async () => {
    let compared = 0;
    const disagreements: string[] = [];
    let seed = 11;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (const cp of registry.all.filter((p) => !p.landSupply)) {
      for (const t of cp.doc.tests) {
        const variants = variantsOf(t.facts, 12, rnd);
        for (const facts of variants) {
          compared++;
          const a = judgeVerdictSync(cp, facts);
          const b = (await judgeConstraint(cp, facts)).verdict;
          if (a !== b) disagreements.push(`${cp.doc.id} ${JSON.stringify(facts)}: sync ${a}, engine ${b}`);
        }
      }
    }
    expect(disagreements.slice(0, 5)).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  }, 120_000);

  it('the evaluation\'s judgement (deciding rule picked by the mirror, evaluated by json-rules-engine) equals the full run, explanation included', async () => {
    const { judgeConstraintSelected, judgeConstraintNow } = await import('../../engine/policy/evaluate-policy.js');
    // A registry of its own: its memos (exact values, or threshold classes with the values
    // re-quoted) start empty and share nothing with the other tests'.
    const { buildPolicyRegistry: build } = await import('../../engine/index.js');
    const { POLICY_DOCUMENTS } = await import('../../policies/index.generated.js');
    const separate = await build(POLICY_DOCUMENTS);
    let compared = 0;
    const disagreements: string[] = [];
    let seed = 29;
    const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
    for (const cp of registry.all.filter((p) => !p.landSupply)) {
      const twin = separate.all.find((p) => p.doc.id === cp.doc.id && p.doc.version === cp.doc.version)!;
      for (const t of cp.doc.tests) {
        const variants = variantsOf(t.facts, 6, rnd);
        for (const v of variants.slice(1)) {
          // Measured quantities scaled: same class or not, the explanation must quote these values.
          for (const f of ['overlapAreaM2', 'distanceM', 'siteAreaM2', 'arableOtherThanPfAreaM2', 'otherLandAreaM2']) {
            if (typeof v[f] === 'number') v[f] = Math.round((v[f] as number) * (0.5 + rnd()) * 100) / 100;
          }
        }
        for (const facts of variants) {
          compared++;
          const full = await judgeConstraintNow(cp, facts); // no memo: the reference
          const selected = await judgeConstraintSelected(twin, facts);
          const strip = (j: typeof full) => ({ verdict: j.verdict, rule: j.rule, checks: j.because.checks, fired: j.fired });
          if (JSON.stringify(strip(full)) !== JSON.stringify(strip(selected))) {
            disagreements.push(`${cp.doc.id} ${JSON.stringify(facts)}: full ${JSON.stringify(strip(full))}, selected ${JSON.stringify(strip(selected))}`);
          }
        }
      }
    }
    expect(disagreements.slice(0, 3)).toEqual([]);
    expect(compared).toBeGreaterThan(500);
  }, 120_000);
});
