/**
 * `questions` mean what contract §5 says: answering one question alone, everything else as
 * stated, gives the verdict the question names for that answer; `jointQuestions` (extension) give
 * the verdict of answering all their answers together, and no part of one does as well.
 * Checked on every sample project of the demo bundle and on the answers they lead to.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { VERDICT_RANK } from '../../engine/index.js';
import { testApp } from '../helpers/app.js';

const root = join(__dirname, '../..');
const projectsDir = join(root, 'fixtures/projects');
const { post } = await testApp([join(root, 'fixtures/demo')]);
// Each sample project as written, and with its answers taken back (only the corridor width kept).
const requests = readdirSync(projectsDir).filter((f) => f.endsWith('.json')).sort().flatMap((f) => {
  const { expect: _e, ...request } = JSON.parse(readFileSync(join(projectsDir, f), 'utf8'));
  const width = request.project.attributes?.corridorWidthM;
  const bare = { ...request, project: { ...request.project, attributes: width ? { corridorWidthM: width } : {} } };
  return [[f, request], [`${f}, nothing answered`, bare]] as const;
});
const withAnswers = (request: any, answers: Record<string, unknown>) => ({
  ...request, project: { ...request.project, attributes: { ...request.project.attributes, ...answers } },
});
const verdictOf = async (request: any) => {
  const r = await post(request);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return r.body.verdict as string;
};

describe('questions on the sample projects', () => {
  let asked = 0, joint = 0;
  for (const [file, request] of requests) {
    it(file, async () => {
      const d = (await post(request)).body;
      for (const q of d.questions) {
        asked++;
        // Listed only when an answer changes the verdict.
        const verdicts = q.answers ? [...q.answers.map((a: any) => a.verdict), q.ifFalse] : [q.ifTrue, q.ifFalse];
        expect(verdicts.some((v: string) => v !== d.verdict), `${q.attribute} changes nothing`).toBe(true);
        if (q.answers) {
          for (const a of q.answers) expect(await verdictOf(withAnswers(request, { [q.attribute]: a.value })), `${q.attribute}=${a.value}`).toBe(a.verdict);
          expect(q.ifFalse).toBe(d.verdict);
        } else {
          expect(await verdictOf(withAnswers(request, { [q.attribute]: true })), `${q.attribute}=true`).toBe(q.ifTrue);
          expect(await verdictOf(withAnswers(request, { [q.attribute]: false })), `${q.attribute}=false`).toBe(q.ifFalse);
        }
      }
      for (const j of d.jointQuestions) {
        joint++;
        expect(j.answers.length).toBeGreaterThanOrEqual(2);
        expect(VERDICT_RANK[j.verdict as 'allowed']).toBeLessThan(VERDICT_RANK[d.verdict as 'allowed']);
        const all = Object.fromEntries(j.answers.map((a: any) => [a.attribute, a.value]));
        expect(await verdictOf(withAnswers(request, all)), JSON.stringify(all)).toBe(j.verdict);
        // Minimal: leaving out any one answer loses that verdict.
        for (const a of j.answers) {
          const { [a.attribute]: _drop, ...rest } = all;
          const v = await verdictOf(withAnswers(request, rest));
          expect(VERDICT_RANK[v as 'allowed'], `without ${a.attribute}`).toBeGreaterThan(VERDICT_RANK[j.verdict as 'allowed']);
        }
      }
    });
  }
  it('ask something somewhere', () => {
    expect(asked).toBeGreaterThan(10);
    expect(joint).toBeGreaterThan(0);
  });
});
