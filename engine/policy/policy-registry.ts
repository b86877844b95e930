/**
 * The set of loaded policies: every version of every policy id, validated and compiled.
 * `asOf` picks the version in force. An invalid document refuses the whole load (fail closed).
 *
 * In-force windows are derived from the sequence of versions, never by rewriting a document (a
 * version's text and hash never change once published): a version is in force from its
 * `effective.from` until its own `effective.to` if it names one, else until the next version's
 * `from` (or open-ended when it is the last). Two versions beginning on the same day, or an explicit
 * `to` past the next version's `from`, overlap; an explicit `to` before it leaves a gap: both are
 * refused at load.
 */
import { compilePolicy, type CompiledPolicy } from './compile-policy.js';
import { judgeConstraint } from './evaluate-policy.js';
import { VERDICT_RANK } from '../vocabulary.js';
import { isCalendarDate } from '../calendar-date.js';
import { validatePolicyDocument, type PolicyProblem } from './validate-policy.js';

export interface PolicyRegistry {
  all: CompiledPolicy[];
  versions(id: string): CompiledPolicy[];
  /** The version of `id` in force on `asOf` (YYYY-MM-DD), if any. */
  inForce(id: string, asOf: string): CompiledPolicy | undefined;
  /** National policies in force on `asOf`, in id order. */
  national(asOf: string): CompiledPolicy[];
}

/** The days a version is in force: `from` inclusive, `to` exclusive (absent: open-ended). */
export interface EffectiveWindow { from: string; to?: string }

/**
 * The in-force windows of the versions of one policy id, in `from` order: each version's own `to`,
 * else the next version's `from`. Pure; the documents are not touched.
 */
export function deriveWindows(versions: readonly CompiledPolicy[]): { policy: CompiledPolicy; window: EffectiveWindow }[] {
  const list = [...versions].sort(byFrom);
  return list.map((policy, i) => {
    const to = policy.doc.effective.to ?? list[i + 1]?.doc.effective.from;
    return { policy, window: to === undefined ? { from: policy.doc.effective.from } : { from: policy.doc.effective.from, to } };
  });
}

/** Versions in the order they begin (effective.from; code-unit order, as the windows compare dates). */
function byFrom(a: CompiledPolicy, b: CompiledPolicy): number {
  return a.doc.effective.from < b.doc.effective.from ? -1 : a.doc.effective.from > b.doc.effective.from ? 1 : 0;
}

/** The in-force window of one version within a registry (derived from its sequence, see deriveWindows). */
export function effectiveWindow(registry: Pick<PolicyRegistry, 'versions'>, p: CompiledPolicy): EffectiveWindow {
  const found = deriveWindows(registry.versions(p.doc.id)).find((x) => x.policy === p);
  // Not one of the registry's versions (an archived text): its own dates are all there is.
  return found?.window ?? { ...p.doc.effective };
}

export class PolicyLoadError extends Error {
  constructor(public readonly problems: (PolicyProblem & { policy: string })[]) {
    super(`invalid policy documents:\n${problems.map((p) => `  ${p.policy} ${p.path}: ${p.message}`).join('\n')}`);
  }
}

export async function buildPolicyRegistry(documents: Record<string, unknown>): Promise<PolicyRegistry> {
  const problems: (PolicyProblem & { policy: string })[] = [];
  const compiled: CompiledPolicy[] = [];
  for (const [name, raw] of Object.entries(documents)) {
    const v = validatePolicyDocument(raw);
    if (!v.ok) {
      problems.push(...v.problems.map((p) => ({ ...p, policy: name })));
      continue;
    }
    compiled.push(await compilePolicy(v.doc));
  }
  const byId = new Map<string, CompiledPolicy[]>();
  for (const c of compiled) {
    const list = byId.get(c.doc.id) ?? [];
    list.push(c);
    byId.set(c.doc.id, list);
  }
  const windows = new Map<CompiledPolicy, EffectiveWindow>();
  for (const c of compiled) {
    for (const k of ['from', 'to'] as const) {
      const v = c.doc.effective[k];
      if (v !== undefined && !isCalendarDate(v)) problems.push({ policy: c.doc.id, path: `/effective/${k}`, message: `${v} is not a calendar date (YYYY-MM-DD)` });
    }
  }
  for (const [id, list] of byId) {
    list.sort(byFrom);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1].doc.effective;
      const cur = list[i].doc.effective;
      if (prev.from === cur.from) problems.push({ policy: id, path: '/effective', message: `versions ${list[i - 1].doc.version} and ${list[i].doc.version} overlap (both begin on ${cur.from})` });
      else if (prev.to !== undefined && prev.to > cur.from) problems.push({ policy: id, path: '/effective', message: `versions ${list[i - 1].doc.version} and ${list[i].doc.version} overlap` });
      else if (prev.to !== undefined && prev.to < cur.from) problems.push({ policy: id, path: '/effective', message: `gap between versions ${list[i - 1].doc.version} and ${list[i].doc.version}` });
    }
    for (const { policy, window } of deriveWindows(list)) windows.set(policy, window);
  }
  problems.push(...(await loosening(compiled)));
  if (problems.length) throw new PolicyLoadError(problems);
  const inForce = (id: string, asOf: string) =>
    byId.get(id)?.find((c) => {
      const w = windows.get(c)!;
      return w.from <= asOf && (w.to === undefined || asOf < w.to);
    });
  return {
    all: compiled,
    versions: (id) => byId.get(id) ?? [],
    inForce,
    national: (asOf) =>
      [...byId.keys()].filter((id) => id.startsWith('national.')).sort().map((id) => inForce(id, asOf)).filter((c): c is CompiledPolicy => !!c),
  };
}

/**
 * A local policy may only tighten national ones (the stricter rule wins at evaluation anyway): a
 * local policy any of whose own cases gets a less restrictive verdict than a national policy gives
 * for the same facts is refused.
 */
async function loosening(compiled: CompiledPolicy[]): Promise<(PolicyProblem & { policy: string })[]> {
  const problems: (PolicyProblem & { policy: string })[] = [];
  const national = compiled.filter((c) => c.doc.level === 'national' && !c.landSupply);
  for (const local of compiled.filter((c) => c.doc.level === 'local' && !c.landSupply)) {
    for (const [i, t] of local.doc.tests.entries()) {
      const peers = national.filter((n) => (local.project ? n.project : typeof t.facts.kind === 'string' && n.kinds.has(t.facts.kind) && local.kinds.has(t.facts.kind)));
      if (!peers.length) continue;
      const mine = await judgeConstraint(local, t.facts);
      // A local default that lets through is "no local opinion": the national finding stands.
      if (mine.rule === null) continue;
      for (const n of peers) {
        const theirs = await judgeConstraint(n, t.facts);
        if (VERDICT_RANK[mine.verdict] < VERDICT_RANK[theirs.verdict]) {
          problems.push({
            policy: local.doc.id,
            path: `/tests/${i}`,
            message: `local rule ${mine.rule ?? '(default)'} gives ${mine.verdict} where ${n.doc.id} gives ${theirs.verdict} (case "${t.name}"): a local policy may not loosen a national one`,
          });
        }
      }
    }
  }
  return problems;
}
