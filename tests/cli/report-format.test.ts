/** `zoning check --format report`: the shared report renderer, project-level findings included, over the layers of the bundle that decided. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, zoning } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'zoning-cli-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('zoning check --format report', () => {
  it('renders the project-level findings with their clauses, approvals and conditions, and the layers', { timeout: 60_000 }, async () => {
    const req = JSON.parse(readFileSync(join(ROOT, 'fixtures/projects/transport-key-project-farmland.json'), 'utf8'));
    const site = join(dir, 'site.geojson');
    writeFileSync(site, JSON.stringify(req.site));
    const attrs = Object.entries(req.project.attributes as Record<string, unknown>).flatMap(([k, v]) => ['--attr', `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`]);
    const json = await zoning(['check', site, '-j', 'demo-county', '-a', req.project.activity, ...attrs, '--format', 'json']);
    const d = JSON.parse(json.stdout);
    expect(d.projectFindings).toHaveLength(2);
    const out = join(dir, 'report.html');
    const r = await zoning(['check', site, '-j', 'demo-county', '-a', req.project.activity, ...attrs, '--format', 'report', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const html = readFileSync(out, 'utf8');
    const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    expect(html).toContain(`项目整体判定 ${d.projectFindings.length} 项`);
    for (const f of d.projectFindings) {
      expect(html).toContain(esc(f.title));
      expect(html).toContain(esc(f.message));
      for (const c of f.clauses) expect(html).toContain(esc(c.text));
      for (const a of f.approvals) expect(html).toContain(esc(a.basis));
      for (const c of f.conditions) expect(html).toContain(esc(c.text));
    }
    expect(html).toContain('永久基本农田</text>');
    expect(html).not.toContain('图中未绘制管控图层');
  });
});
