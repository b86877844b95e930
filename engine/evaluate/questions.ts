/**
 * `questions` (contract §5): the unstated attributes, read by the rules that judged this site, whose
 * answer changes the overall verdict. For every attribute the verdict of each answer is the best
 * verdict reachable with that answer, the other unstated attributes taking their most favourable
 * answers; so `ifFalse: forbidden` means "answering no settles it". Only the findings whose rules
 * read an attribute are re-evaluated, and each distinct assignment only once.
 */
import { ATTRIBUTES, VERDICT_RANK, type LayerKind, type Verdict } from '../vocabulary.js';
import type { Question } from './decision.js';

export interface QuestionSubject {
  kind: LayerKind | 'project';
  verdict: Verdict;
  /** Unstated attributes this finding's rules read, with the value lists of the conditions reading them. */
  attributes: Map<string, unknown[][]>;
  /** Re-judge this finding with the given attribute values (undefined = unstated). */
  judge(values: Record<string, unknown>): Promise<Verdict>;
}

const MAX_ASSIGNMENTS = 4096;
const UNSET = undefined;

export async function computeQuestions(subjects: QuestionSubject[], baseline: Verdict): Promise<Question[]> {
  const relevant = subjects.filter((s) => s.attributes.size > 0);
  if (relevant.length === 0) return [];
  // Options per attribute: unset plus one representative per class of values the conditions tell apart.
  const leaves = new Map<string, unknown[][]>();
  for (const s of relevant) for (const [a, ls] of s.attributes) leaves.set(a, [...(leaves.get(a) ?? []), ...ls]);
  const options = new Map<string, { value: unknown; members: unknown[] }[]>();
  for (const [a, ls] of leaves) {
    const def = ATTRIBUTES[a];
    if (!def || (def.type !== 'boolean' && def.type !== 'enum' && def.type !== 'string')) continue;
    const candidates = def.type === 'boolean' ? [true, false] : (def.values ?? [...new Set(ls.flat())]);
    const classes = new Map<string, unknown[]>();
    for (const v of candidates) {
      const sig = ls.map((l) => (l.includes(v) ? '1' : '0')).join('');
      if (def.type !== 'boolean' && !sig.includes('1')) continue; // behaves as unstated
      const members = classes.get(sig) ?? [];
      members.push(v);
      classes.set(sig, members);
    }
    options.set(a, [{ value: UNSET, members: [] }, ...[...classes.values()].map((m) => ({ value: m[0], members: m }))]);
  }
  const attrs = [...options.keys()].sort();
  if (attrs.length === 0) return [];

  const memo = new Map<QuestionSubject, Map<string, Verdict>>();
  const judged = async (s: QuestionSubject, assignment: Record<string, unknown>): Promise<Verdict> => {
    const own: Record<string, unknown> = {};
    for (const a of s.attributes.keys()) own[a] = assignment[a];
    const key = JSON.stringify(own, (_k, v) => (v === undefined ? '__unset' : v));
    let m = memo.get(s);
    if (!m) memo.set(s, (m = new Map()));
    let v = m.get(key);
    if (v === undefined) m.set(key, (v = await s.judge(own)));
    return v;
  };
  const fixed = subjects.filter((s) => s.attributes.size === 0).reduce<Verdict>((acc, s) => worst(acc, s.verdict), 'allowed');
  const overall = async (assignment: Record<string, unknown>): Promise<Verdict> => {
    let v = fixed;
    for (const s of relevant) v = worst(v, await judged(s, assignment));
    return v;
  };

  // best[attr][optionIndex] = best overall verdict reachable with that answer.
  const best = new Map<string, Verdict[]>(attrs.map((a) => [a, options.get(a)!.map(() => 'forbidden' as Verdict)]));
  const total = attrs.reduce((n, a) => n * options.get(a)!.length, 1);
  if (total <= MAX_ASSIGNMENTS) {
    const idx = attrs.map(() => 0);
    for (let n = 0; n < total; n++) {
      const assignment: Record<string, unknown> = {};
      attrs.forEach((a, i) => (assignment[a] = options.get(a)![idx[i]].value));
      const v = await overall(assignment);
      attrs.forEach((a, i) => {
        const row = best.get(a)!;
        if (VERDICT_RANK[v] < VERDICT_RANK[row[idx[i]]]) row[idx[i]] = v;
      });
      for (let i = 0; i < idx.length; i++) {
        if (++idx[i] < options.get(attrs[i])!.length) break;
        idx[i] = 0;
      }
    }
  } else {
    // Too many combinations: vary one attribute at a time, the others unstated.
    for (const a of attrs) {
      const row = best.get(a)!;
      for (let i = 0; i < row.length; i++) row[i] = await overall({ [a]: options.get(a)![i].value });
    }
  }

  const questions: Question[] = [];
  for (const a of attrs) {
    const opts = options.get(a)!;
    const row = best.get(a)!;
    if (new Set(row).size < 2) continue;
    const def = ATTRIBUTES[a];
    const kinds = [...new Set(relevant.filter((s) => s.attributes.has(a)).map((s) => s.kind))];
    if (def.type === 'boolean') {
      const t = opts.findIndex((o) => o.value === true);
      const f = opts.findIndex((o) => o.value === false);
      questions.push({ attribute: a, text: def.question, ifTrue: row[t], ifFalse: row[f], kinds });
    } else {
      const answers = opts.slice(1).flatMap((o, i) => o.members.map((m) => ({ value: String(m), verdict: row[i + 1] })));
      const ifTrue = row.slice(1).reduce<Verdict>((acc, v) => (VERDICT_RANK[v] < VERDICT_RANK[acc] ? v : acc), 'forbidden');
      questions.push({ attribute: a, text: def.question, ifTrue, ifFalse: row[0], answers, kinds });
    }
  }
  void baseline;
  return questions;
}

function worst(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}
