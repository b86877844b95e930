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
import { ATTRIBUTES, attributeValueFits, VERDICT_RANK, VERDICTS, type LayerKind, type Verdict } from '../vocabulary.js';
import type { JointQuestion, Question } from './decision.js';

export interface QuestionSubject {
  kind: LayerKind | 'project';
  verdict: Verdict;
  /** Unstated attributes this finding's rules read, with the value lists of the conditions reading them. */
  attributes: Map<string, unknown[][]>;
  /** Re-judge this finding with the given attribute values (undefined = unstated). */
  judge(values: Record<string, unknown>): Verdict;
  /** Identifies what `judge` depends on besides `values` (its policies and facts): tables are remembered under it. */
  key: string;
}

interface Option { value: unknown; members: unknown[] }
interface AttrOptions { options: Option[]; trueIndex: number; falseIndex: number }

const MAX_ASSIGNMENTS = 4096;
const TABLE_MEMO_LIMIT = 10_000;
const tableMemo = new Map<string, Uint8Array>();

export interface QuestionsResult { questions: Question[]; jointQuestions: JointQuestion[] }

const NONE: QuestionsResult = { questions: [], jointQuestions: [] };
const resultMemo = new Map<string, QuestionsResult>();

/** The questions of a decision on a project of `activity`, from its findings' subjects. */
export function computeQuestions(subjects: QuestionSubject[], activity: string): QuestionsResult {
  const relevant = subjects.filter((s) => s.attributes.size > 0);
  if (relevant.length === 0) return { questions: [], jointQuestions: [] }; // fresh lists: the decision owns them
  // The questions are a function of the relevant subjects (by their keys, which include the
  // activity) and of the verdict the others settle: remembered under those (copies of the lists
  // are returned; questions are not mutated).
  const fixed = subjects.filter((s) => s.attributes.size === 0).reduce<Verdict>((acc, s) => worst(acc, s.verdict), 'allowed');
  const key = `${fixed}\u0002${relevant.map((s) => s.key).join('\u0002')}`;
  let result = resultMemo.get(key);
  if (!result) {
    result = questionsFor(fixed, relevant, activity);
    if (resultMemo.size >= TABLE_MEMO_LIMIT) resultMemo.clear();
    resultMemo.set(key, result);
  }
  return { questions: [...result.questions], jointQuestions: [...result.jointQuestions] };
}

/** `fixed`: the verdict the subjects without unstated attributes settle. */
function questionsFor(fixed: Verdict, relevant: QuestionSubject[], activity: string): QuestionsResult {
  const leaves = new Map<string, unknown[][]>();
  for (const s of relevant) for (const [a, ls] of s.attributes) leaves.set(a, [...(leaves.get(a) ?? []), ...ls]);
  const attrOptions = new Map<string, AttrOptions>();
  for (const [a, ls] of leaves) {
    const o = optionsOf(a, ls, activity);
    if (o) attrOptions.set(a, o);
  }
  const attrs = [...attrOptions.keys()].sort();
  if (attrs.length === 0) return NONE;
  const radix = attrs.map((a) => attrOptions.get(a)!.options.length);

  // Each subject's verdict for every combination of its own attributes' options.
  const tables: { strides: number[]; table: Uint8Array }[] = [];
  for (const s of relevant) {
    const own = attrs.map((a, i) => (s.attributes.has(a) ? i : -1)).filter((i) => i >= 0);
    const size = own.reduce((n, i) => n * radix[i], 1);
    if (size > MAX_ASSIGNMENTS) return NONE;
    const strides = attrs.map(() => 0);
    let stride = 1;
    for (const i of own) {
      strides[i] = stride;
      stride *= radix[i];
    }
    const memoKey = `${s.key}\u0001${own.map((i) => `${attrs[i]}=${JSON.stringify(attrOptions.get(attrs[i])!.options.map((o) => o.value ?? null))}`).join(';')}`;
    let table = tableMemo.get(memoKey);
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
      if (tableMemo.size >= TABLE_MEMO_LIMIT) tableMemo.clear();
      tableMemo.set(memoKey, table);
    }
    tables.push({ strides, table });
  }

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
  const none = attrs.map(() => 0);
  const current = overallAt(none);

  // Each answer alone, every other attribute left unstated (contract §5: "the verdict each answer gives").
  const questions: Question[] = [];
  const alone = attrs.map((_, i) => {
    const row: number[] = [];
    for (let o = 0; o < radix[i]; o++) {
      const idx = [...none];
      idx[i] = o;
      row.push(overallAt(idx));
    }
    return row;
  });
  attrs.forEach((a, i) => {
    const row = alone[i];
    if (row.every((v) => v === current)) return;
    const { options, trueIndex, falseIndex } = attrOptions.get(a)!;
    const def = ATTRIBUTES[a];
    const kinds = [...new Set(relevant.filter((s) => s.attributes.has(a)).map((s) => s.kind))];
    if (def.type === 'boolean') {
      questions.push({ attribute: a, text: def.question, ifTrue: VERDICTS[row[trueIndex]], ifFalse: VERDICTS[row[falseIndex]], kinds });
    } else {
      const answers = options.slice(1).flatMap((o, j) => o.members.map((m) => ({ value: String(m), verdict: VERDICTS[row[j + 1]] })));
      // ifTrue: the best a value can give; ifFalse: none of the values (left unstated).
      const ifTrue = VERDICTS[Math.min(...row.slice(1))];
      questions.push({ attribute: a, text: def.question, ifTrue, ifFalse: VERDICTS[current], answers, kinds });
    }
  });

  return { questions, jointQuestions: jointAnswers(attrs, attrOptions, radix, overallAt, current) };
}

const MAX_JOINT = 8;

/**
 * Minimal combinations of two or more answers that together give a less restrictive verdict than
 * the current one, where no part of the combination does (e.g. 线性基础设施 in the red line needs
 * both unavoidable and inCountyPlan): the questions that only matter together.
 */
function jointAnswers(
  attrs: string[], attrOptions: Map<string, AttrOptions>, radix: number[],
  overallAt: (idx: number[]) => number, current: number,
): JointQuestion[] {
  const total = radix.reduce((n, r) => n * r, 1);
  if (attrs.length < 2 || total > MAX_ASSIGNMENTS) return [];
  const found: { idx: number[]; v: number; k: number }[] = [];
  const idx = attrs.map(() => 0);
  for (let n = 0; n < total; n++) {
    const k = idx.reduce((c, o) => c + (o > 0 ? 1 : 0), 0);
    if (k >= 2) {
      const v = overallAt(idx);
      // Minimal: no answer can be taken back (left unstated) without losing the verdict.
      if (v < current && idx.every((o, i) => o === 0 || overallAt(idx.map((x, j) => (j === i ? 0 : x))) > v)) {
        found.push({ idx: [...idx], v, k });
      }
    }
    for (let i = 0; i < idx.length; i++) {
      if (++idx[i] < radix[i]) break;
      idx[i] = 0;
    }
  }
  found.sort((a, b) => a.v - b.v || a.k - b.k);
  return found.slice(0, MAX_JOINT).map(({ idx: at, v }) => ({
    answers: at.flatMap((o, i) => {
      if (o === 0) return [];
      const opt = attrOptions.get(attrs[i])!.options[o];
      return [{ attribute: attrs[i], value: opt.value as string | boolean, ...(opt.members.length > 1 ? { values: opt.members.map(String) } : {}) }];
    }),
    verdict: VERDICTS[v],
  }));
}

/**
 * The answers worth trying for one attribute: "unstated" plus one representative per class of
 * values that the conditions tell apart (a value no condition names behaves as unstated). Values
 * that cannot describe a project of this activity (AttributeDef.fits) are not offered.
 */
function optionsOf(attribute: string, leaves: unknown[][], activity: string): AttrOptions | null {
  const def = ATTRIBUTES[attribute];
  if (!def || (def.type !== 'boolean' && def.type !== 'enum' && def.type !== 'string')) return null;
  const signature = (v: unknown) => leaves.map((l) => (l.includes(v) ? '1' : '0')).join('');
  const unsetSig = signature(undefined);
  const options: Option[] = [{ value: undefined, members: [] }];
  const bySig = new Map<string, number>([[unsetSig, 0]]);
  const candidates = (def.type === 'boolean' ? [true, false] : (def.values ?? [...new Set(leaves.flat())])).filter((v) => attributeValueFits(attribute, v, activity));
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
