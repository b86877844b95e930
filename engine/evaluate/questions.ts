/**
 * `questions` (contract §5): the unstated attributes, read by the rules that judged this site, whose
 * answer changes the overall verdict. For every attribute the verdict of each answer is the best
 * verdict reachable with that answer, the other unstated attributes taking their most favourable
 * answers; so `ifFalse: forbidden` means "answering no settles it".
 *
 * Cost: values that the conditions cannot tell apart form one class (false and unstated are one
 * class unless some condition tests false); each finding is re-judged once per combination of ITS
 * OWN attributes' classes, and that table is remembered under the finding's key (policies and the
 * facts their rules read) and the classes tried; the combinations across findings are then walked
 * with integer arithmetic only.
 */
import { ATTRIBUTES, VERDICT_RANK, VERDICTS, type LayerKind, type Verdict } from '../vocabulary.js';
import type { Question } from './decision.js';

export interface QuestionSubject {
  kind: LayerKind | 'project';
  verdict: Verdict;
  /** Unstated attributes this finding's rules read, with the value lists of the conditions reading them. */
  attributes: Map<string, unknown[][]>;
  /** Re-judge this finding with the given attribute values (undefined = unstated). */
  judge(values: Record<string, unknown>): Verdict;
  /** Identifies what `judge` depends on besides `values` (its policies and facts): tables are remembered under it. */
  key?: string;
}

interface Option { value: unknown; members: unknown[] }
interface AttrOptions { options: Option[]; trueIndex: number; falseIndex: number }

const MAX_ASSIGNMENTS = 4096;
const TABLE_MEMO_LIMIT = 50_000;
const tableMemo = new Map<string, Uint8Array>();

const resultMemo = new Map<string, Question[]>();

export function computeQuestions(subjects: QuestionSubject[]): Question[] {
  const relevant = subjects.filter((s) => s.attributes.size > 0);
  if (relevant.length === 0) return [];
  // The questions are a function of the relevant subjects (by their keys) and of the verdict the
  // others settle: remembered under those (a copy of the list is returned; questions are not mutated).
  const fixedVerdict = subjects.filter((s) => s.attributes.size === 0).reduce<Verdict>((acc, s) => worst(acc, s.verdict), 'allowed');
  const key = relevant.every((s) => s.key !== undefined) ? `${fixedVerdict}\u0002${relevant.map((s) => s.key).join('\u0002')}` : undefined;
  const known = key === undefined ? undefined : resultMemo.get(key);
  if (known) return [...known];
  const questions = questionsFor(subjects, relevant);
  if (key !== undefined) {
    if (resultMemo.size >= TABLE_MEMO_LIMIT) resultMemo.clear();
    resultMemo.set(key, questions);
  }
  return [...questions];
}

function questionsFor(subjects: QuestionSubject[], relevant: QuestionSubject[]): Question[] {
  const leaves = new Map<string, unknown[][]>();
  for (const s of relevant) for (const [a, ls] of s.attributes) leaves.set(a, [...(leaves.get(a) ?? []), ...ls]);
  const attrOptions = new Map<string, AttrOptions>();
  for (const [a, ls] of leaves) {
    const o = optionsOf(a, ls);
    if (o) attrOptions.set(a, o);
  }
  const attrs = [...attrOptions.keys()].sort();
  if (attrs.length === 0) return [];
  const radix = attrs.map((a) => attrOptions.get(a)!.options.length);

  // Each subject's verdict for every combination of its own attributes' options.
  const fixed = subjects.filter((s) => s.attributes.size === 0).reduce<Verdict>((acc, s) => worst(acc, s.verdict), 'allowed');
  const tables: { strides: number[]; table: Uint8Array }[] = [];
  for (const s of relevant) {
    const own = attrs.map((a, i) => (s.attributes.has(a) ? i : -1)).filter((i) => i >= 0);
    const size = own.reduce((n, i) => n * radix[i], 1);
    if (size > MAX_ASSIGNMENTS) return [];
    const strides = attrs.map(() => 0);
    let stride = 1;
    for (const i of own) {
      strides[i] = stride;
      stride *= radix[i];
    }
    const memoKey = s.key === undefined ? undefined : `${s.key}\u0001${own.map((i) => `${attrs[i]}=${JSON.stringify(attrOptions.get(attrs[i])!.options.map((o) => o.value ?? null))}`).join(';')}`;
    let table = memoKey === undefined ? undefined : tableMemo.get(memoKey);
    if (!table) {
      table = new Uint8Array(size);
      for (let k = 0; k < size; k++) {
        const values: Record<string, unknown> = {};
        let rest = k;
        for (const i of own) {
          values[attrs[i]] = attrOptions.get(attrs[i])!.options[rest % radix[i]].value;
          rest = Math.floor(rest / radix[i]);
        }
        table[k] = VERDICT_RANK[s.judge(values)];
      }
      if (memoKey !== undefined) {
        if (tableMemo.size >= TABLE_MEMO_LIMIT) tableMemo.clear();
        tableMemo.set(memoKey, table);
      }
    }
    tables.push({ strides, table });
  }

  // best[a][o]: the least restrictive overall verdict reachable with answer o to attribute a.
  const best = attrs.map((_, i) => new Uint8Array(radix[i]).fill(2));
  const total = radix.reduce((n, r) => n * r, 1);
  const fixedRank = VERDICT_RANK[fixed];
  const overallAt = (idx: number[]) => {
    let v = fixedRank;
    for (const t of tables) {
      let k = 0;
      for (let i = 0; i < idx.length; i++) k += idx[i] * t.strides[i];
      if (t.table[k] > v) v = t.table[k];
    }
    return v;
  };
  if (total <= MAX_ASSIGNMENTS * 16) {
    const idx = attrs.map(() => 0);
    for (let n = 0; n < total; n++) {
      const v = overallAt(idx);
      for (let i = 0; i < idx.length; i++) if (v < best[i][idx[i]]) best[i][idx[i]] = v;
      for (let i = 0; i < idx.length; i++) {
        if (++idx[i] < radix[i]) break;
        idx[i] = 0;
      }
    }
  } else {
    // Too many combinations: vary one attribute at a time, the others unstated.
    attrs.forEach((_, i) => {
      for (let o = 0; o < radix[i]; o++) {
        const idx = attrs.map(() => 0);
        idx[i] = o;
        best[i][o] = overallAt(idx);
      }
    });
  }

  const questions: Question[] = [];
  attrs.forEach((a, i) => {
    const { options, trueIndex, falseIndex } = attrOptions.get(a)!;
    const row = [...best[i]].map((r) => VERDICTS[r]);
    if (new Set(row).size < 2) return;
    const def = ATTRIBUTES[a];
    const kinds = [...new Set(relevant.filter((s) => s.attributes.has(a)).map((s) => s.kind))];
    if (def.type === 'boolean') {
      questions.push({ attribute: a, text: def.question, ifTrue: row[trueIndex], ifFalse: row[falseIndex], kinds });
    } else {
      const answers = options.slice(1).flatMap((o, j) => o.members.map((m) => ({ value: String(m), verdict: row[j + 1] })));
      const ifTrue = row.slice(1).reduce<Verdict>((acc, v) => (VERDICT_RANK[v] < VERDICT_RANK[acc] ? v : acc), 'forbidden');
      questions.push({ attribute: a, text: def.question, ifTrue, ifFalse: row[0], answers, kinds });
    }
  });
  return questions;
}

/**
 * The answers worth trying for one attribute: "unstated" plus one representative per class of
 * values that the conditions tell apart (a value no condition names behaves as unstated).
 */
function optionsOf(attribute: string, leaves: unknown[][]): AttrOptions | null {
  const def = ATTRIBUTES[attribute];
  if (!def || (def.type !== 'boolean' && def.type !== 'enum' && def.type !== 'string')) return null;
  const signature = (v: unknown) => leaves.map((l) => (l.includes(v) ? '1' : '0')).join('');
  const unsetSig = signature(undefined);
  const options: Option[] = [{ value: undefined, members: [] }];
  const bySig = new Map<string, number>([[unsetSig, 0]]);
  const candidates = def.type === 'boolean' ? [true, false] : (def.values ?? [...new Set(leaves.flat())]);
  let trueIndex = 0;
  let falseIndex = 0;
  for (const v of candidates) {
    const sig = signature(v);
    let at = bySig.get(sig);
    if (at === undefined) {
      at = options.length;
      bySig.set(sig, at);
      options.push({ value: v, members: [] });
    }
    if (at > 0) options[at].members.push(v);
    if (v === true) trueIndex = at;
    if (v === false) falseIndex = at;
  }
  return options.length > 1 ? { options, trueIndex, falseIndex } : null;
}

function worst(a: Verdict, b: Verdict): Verdict {
  return VERDICT_RANK[a] >= VERDICT_RANK[b] ? a : b;
}
