/**
 * The sample projects of fixtures/projects against the demo bundle: each gives the verdict a planner
 * expects, and its whole decision equals the golden file fixtures/decisions/<name>.json (compared
 * whole, regenerated only on purpose with REGEN=1, reviewed in the diff like code).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testApp } from '../helpers/app.js';

const root = join(__dirname, '../..');
const projectsDir = join(root, 'fixtures/projects');
const goldenDir = join(root, 'fixtures/decisions');
const files = readdirSync(projectsDir).filter((f) => f.endsWith('.json')).sort();
const { post } = await testApp([join(root, 'fixtures/demo')]);

describe('demo bundle sample projects', () => {
  it('exercise every verdict', () => {
    const verdicts = new Set(files.map((f) => JSON.parse(readFileSync(join(projectsDir, f), 'utf8')).expect.verdict));
    expect([...verdicts].sort()).toEqual(['allowed', 'conditional', 'forbidden']);
  });

  for (const file of files) {
    it(file, async () => {
      const { expect: want, ...request } = JSON.parse(readFileSync(join(projectsDir, file), 'utf8'));
      const res = await post(request);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const d = res.body;
      expect(d.verdict).toBe(want.verdict);
      // Every kind the planner expects is judged, or flagged for manual review where no policy covers it yet.
      const touched = [...d.findings.map((f: any) => f.kind), ...d.warnings.filter((w: any) => w.code === 'no-policy-for-kind').map((w: any) => w.kind)];
      for (const k of want.kinds ?? []) expect(touched).toContain(k);
      if (want.approvals) expect(d.approvals.map((a: any) => a.authority).filter((a: string, i: number, all: string[]) => all.indexOf(a) === i)).toEqual(want.approvals);
      for (const l of want.landSupply ?? []) expect(d.landSupply.find((x: any) => x.method === l.method)?.status, l.method).toBe(l.status);
      for (const c of (want.constraints ?? []).filter((x: any) => d.findings.some((f: any) => f.kind === x.kind))) {
        expect(d.findings.some((f: any) => f.kind === c.kind && f.zone === (c.zone ?? null)), `${c.kind}/${c.zone}`).toBe(true);
      }
      const { decisionId: _id, createdAt: _c, ...stable } = d;
      const golden = join(goldenDir, file);
      if (process.env.REGEN) {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(golden, JSON.stringify(stable, null, 2) + '\n');
      }
      expect(existsSync(golden), `no golden decision ${golden}: run REGEN=1 npx vitest --run tests/api`).toBe(true);
      expect(stable).toEqual(JSON.parse(readFileSync(golden, 'utf8')));
    });
  }
});
