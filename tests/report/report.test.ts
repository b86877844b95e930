/**
 * The printable report, rendered by headless Chromium from the real app served on a port:
 * every finding, clause, approval, condition, land-supply method and question of its decision is on
 * the page, the map shows the site over the layers with a legend, scale bar and north arrow, user
 * text cannot run, and the page prints to A4. Screenshots are kept in test-artifacts/report-*.png.
 * Chromium is required: when /usr/bin/chromium (or ZONING_CHROMIUM) is missing this suite fails.
 */
import { serve, type ServerType } from '@hono/node-server';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision } from '../../engine/index.js';
import { renderReportHtml } from '../../report/render-report.js';
import { authorityName, formatHa, formatM2, verdictName } from '../../report/format.js';
import { createApp } from '../../api/app.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { memoryDecisionStore } from '../../api/storage/decision-store.js';
import { buildPolicyRegistry, type Bundle } from '../../engine/index.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';

const ROOT = join(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
const CHROMIUM = process.env.ZONING_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

let t: { app: ReturnType<typeof createApp>; bundles: Map<string, Bundle>; post(body: unknown): Promise<{ status: number; body: any }> };

/** The real app, in-process, with generous time limits: the test shares two cores with a browser. */
async function reportApp() {
  const bundle = await loadBundleDir(join(ROOT, 'fixtures/demo'));
  const bundles = new Map([[bundle.id, bundle]]);
  let n = 0;
  const app = createApp({
    bundles,
    policies: await buildPolicyRegistry(POLICY_DOCUMENTS),
    store: memoryDecisionStore(),
    engineVersion: 'test',
    clock: () => new Date('2026-11-25T08:00:00Z'),
    newId: () => `report-${String(++n).padStart(6, '0')}`,
    limits: { maxQueueMs: 120_000, evalTimeoutMs: 120_000 },
  });
  const post = async (body: unknown) => {
    const res = await app.request('/v1/evaluate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as any };
  };
  return { app, bundles, post };
}
let server: ServerType;
let base = '';
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is required for the report tests and is missing at ${CHROMIUM} (apt-get install chromium, or set ZONING_CHROMIUM)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  t = await reportApp();
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      base = `http://127.0.0.1:${info.port}`;
      resolve();
    });
  });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => (server ? server.close(() => r(undefined)) : r(undefined)));
});

function project(name: string, patch: (req: any) => void = () => {}) {
  const req = JSON.parse(readFileSync(join(ROOT, 'fixtures/projects', `${name}.json`), 'utf8'));
  delete req.expect;
  patch(req);
  return req;
}

async function evaluate(req: unknown): Promise<Decision> {
  const r = await t.post(req);
  expect(r.status).toBe(200);
  return r.body as Decision;
}

async function openReport(d: Decision, shot: string): Promise<{ page: Page; text: string }> {
  const page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
  const res = await page.goto(`${base}/v1/decisions/${d.decisionId}/report`);
  expect(res?.status()).toBe(200);
  expect(res?.headers()['content-type']).toMatch(/^text\/html/);
  await page.screenshot({ path: join(ARTIFACTS, `report-${shot}.png`), fullPage: true });
  await page.locator('figure.mapfig').screenshot({ path: join(ARTIFACTS, `report-${shot}-map.png`) });
  const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
  return { page, text };
}

/** Every piece of the decision an officer must find on the page. */
function expectDecisionOnPage(text: string, d: Decision) {
  const has = (s: string, what: string) => expect(text.includes(s.replace(/\s+/g, ' ')), `${what}: ${s}`).toBe(true);
  has(d.project.name!, 'project name');
  has(verdictName(d.verdict), 'verdict');
  has(d.decisionId, 'decision id');
  has(d.bundleHash, 'bundle hash');
  has(d.engineVersion, 'engine version');
  for (const p of d.policies) {
    has(p.id, 'policy id');
    has(p.hash, 'policy hash');
  }
  has(formatHa(d.site.areaM2), 'site area ha');
  has(formatM2(d.site.areaM2), 'site area m2');
  for (const f of d.findings) {
    has(f.name, 'finding');
    has(f.message, 'finding message');
    if (f.overlapAreaM2 !== null) {
      has(formatHa(f.overlapAreaM2), 'overlap ha');
      has(formatM2(f.overlapAreaM2), 'overlap m2');
    }
    for (const c of f.clauses) {
      has(c.text, 'clause text');
      has(c.section, 'clause section');
      has(c.document, 'clause document');
    }
    for (const a of f.approvals) has(a.action, 'finding approval');
    for (const c of f.conditions) has(c.text, 'finding condition');
  }
  // Project-level findings (approval level by area, mining, rural-housing siting), counted in the summary.
  const pf = d.projectFindings ?? [];
  if (pf.length) has(`项目整体判定 ${pf.length} 项`, 'project findings counted in the summary');
  for (const f of pf) {
    has(f.title, 'project finding title');
    has(`${f.title} ${verdictName(f.verdict)}`, 'project finding verdict');
    has(f.message, 'project finding message');
    for (const c of f.clauses) {
      has(c.text, 'project finding clause text');
      has(c.section, 'project finding clause section');
      has(c.document, 'project finding clause document');
    }
    for (const a of f.approvals) {
      has(a.action, 'project finding approval');
      if (a.basis) has(a.basis, 'project finding approval basis');
    }
    for (const c of f.conditions) has(c.text, 'project finding condition');
  }
  for (const a of d.approvals) {
    has(authorityName(a.authority), 'approval authority');
    has(a.action, 'approval action');
  }
  for (const c of d.conditions) has(c.text, 'condition');
  for (const l of d.landSupply) {
    has(l.name, 'land supply method');
    has(l.message, 'land supply message');
    for (const c of l.clauses) has(c.text, 'land supply clause');
  }
  for (const q of d.questions) has(q.text, 'question');
  for (const w of d.warnings) has(w.message, 'warning');
}

describe('GET /v1/decisions/{id}/report in headless Chromium', () => {
  const cases: [string, (r: any) => void][] = [
    ['transport-key-project-farmland', (r) => (r.project.applicant = '衡南县交通运输局')],
    ['major-project-redline', () => {}],
    ['industrial-on-permanent-farmland', () => {}],
    ['linear-infrastructure-redline', () => {}],
    ['patrol-point-redline', () => {}],
    ['ecological-restoration-100ha', () => {}],
  ];
  for (const [name, patch] of cases) {
    it(`${name}: every finding, clause and approval, and the map`, { timeout: 120_000 }, async () => {
      const d = await evaluate(project(name, patch));
      if (name === 'transport-key-project-farmland') expect(d.projectFindings).toHaveLength(2);
      const { page, text } = await openReport(d, name);
      try {
        expectDecisionOnPage(text, d);
        // The verdict block carries the verdict's colour class.
        expect(await page.locator(`.verdict.v-${d.verdict} .vname`).innerText()).toBe(verdictName(d.verdict));
        // Map: the site in red over styled layers, a legend naming them, scale bar and north arrow.
        const map = page.locator('svg.map');
        expect(await map.count()).toBe(1);
        expect(await map.locator('[stroke="#d50000"]').count()).toBeGreaterThan(0);
        const svgText = await map.textContent();
        expect(svgText).toContain('图例');
        expect(svgText).toContain('北');
        expect(svgText).toMatch(/米/);
        for (const f of d.findings.filter((x) => x.featureIds.length && x.kind !== 'planning-zone' && x.kind !== 'road')) {
          expect(svgText, `legend names ${f.kind}`).toContain(f.kind === 'ecological-redline' ? '生态保护红线' : f.kind === 'public-forest' ? '公益林' : f.name.split('·')[0]);
        }
        const box = await map.boundingBox();
        expect(box!.width).toBeGreaterThan(500);
        if (name === 'transport-key-project-farmland') expect(text).toContain('衡南县交通运输局');
      } finally {
        await page.close();
      }
    });
  }

  it('user text is escaped: nothing from the request runs or loads', async () => {
    const evil = `<script>window.__x=1;alert(1)</script><img src=x onerror="window.__x=2">"'&`;
    const d = await evaluate(project('industrial-concentrated-1ha', (r) => {
      r.project.name = evil;
      r.project.applicant = `</td></tr></table><iframe src="javascript:alert(1)"></iframe>`;
    }));
    const raw = await (await fetch(`${base}/v1/decisions/${d.decisionId}/report`)).text();
    expect(raw).not.toContain('<script>');
    expect(raw).not.toContain('<img src=x');
    expect(raw).not.toContain('<iframe');
    const page = await browser.newPage();
    let dialog = false;
    page.on('dialog', (dl) => {
      dialog = true;
      void dl.dismiss();
    });
    try {
      await page.goto(`${base}/v1/decisions/${d.decisionId}/report`);
      expect(await page.locator('script, img, iframe').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __x?: number }).__x)).toBeUndefined();
      expect(dialog).toBe(false);
      const text = await page.locator('body').innerText();
      expect(text).toContain(evil);
    } finally {
      await page.close();
    }
  });

  it('prints to A4 pages (PDF through ?format=pdf on the Node server)', async () => {
    const d = await evaluate(project('transport-key-project-farmland'));
    const html = await (await fetch(`${base}/v1/decisions/${d.decisionId}/report`)).text();
    expect(html).toMatch(/@page \{ size: A4;/);
    const res = await fetch(`${base}/v1/decisions/${d.decisionId}/report?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
    expect(pages.length >= 3, `${pages.length} pages`).toBe(true);
    // A4 media boxes: 210 × 297 mm = 595.3 × 841.9 points.
    const boxes = [...pdf.toString('latin1').matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBe(pages.length);
    const a4 = boxes.every(([w, h]) => Math.abs(w - 595.3) < 1.5 && Math.abs(h - 841.9) < 1.5);
    expect(a4, `media boxes ${JSON.stringify(boxes.slice(0, 3))}`).toBe(true);
  }, 120_000);

  it('unknown decision → 404 problem; bad format → 400 problem', async () => {
    const r = await fetch(`${base}/v1/decisions/nope/report`);
    expect(r.status).toBe(404);
    expect(r.headers.get('content-type')).toMatch(/problem\+json/);
    const d = await evaluate(project('industrial-concentrated-1ha'));
    const b = await fetch(`${base}/v1/decisions/${d.decisionId}/report?format=docx`);
    expect(b.status).toBe(400);
  });
});

describe('renderReportHtml (pure)', () => {
  it('without the site, the map frames the findings and says the site is not drawn', async () => {
    const d = await evaluate(project('straddle-farmland-arable'));
    const html = renderReportHtml(d, { bundle: t.bundles.get('demo-county') });
    expect(html).toContain('<svg');
    expect(html).toContain('原始申请中的用地范围不可用');
    expect(html).not.toContain('项目用地（线性工程）');
    const page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
    try {
      await page.setContent(html);
      await page.locator('figure.mapfig').screenshot({ path: join(ARTIFACTS, 'report-no-site-map.png') });
      expectDecisionOnPage((await page.locator('body').innerText()).replace(/\s+/g, ' '), d);
    } finally {
      await page.close();
    }
  });

  it('without a bundle or site there is no map, and the rest still renders', async () => {
    const d = await evaluate(project('housing-special-zone'));
    const html = renderReportHtml(d);
    expect(html).not.toContain('<svg');
    expect(html).toContain('无可绘制的用地范围和管控图层');
    for (const f of d.findings) for (const c of f.clauses) expect(html).toContain(c.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
  });

  it('renders a decision stored by an older engine (fields missing) over a Feature site', () => {
    const old = {
      decisionId: 'old-1', verdict: 'forbidden', jurisdiction: 'demo-county', bundleHash: 'sha256:x', asOf: '2025-01-01', createdAt: '2025-01-01T00:00:00Z',
      engineVersion: '0.0.1', project: { name: '旧项目', activity: 'industrial' }, site: { type: 'Polygon', areaM2: 10000 },
      findings: [{ kind: 'permanent-farmland', zone: null, name: '永久基本农田', featureIds: ['pf-0001'], overlapAreaM2: 5000, overlapShare: 0.5, distanceM: 0, verdict: 'forbidden', message: '不得占用' }],
    } as unknown as Decision;
    const site = { type: 'Feature', properties: {}, geometry: project('industrial-on-permanent-farmland').site };
    const html = renderReportHtml(old, { site, bundle: t.bundles.get('demo-county') });
    expect(html).toContain('旧项目');
    expect(html).toContain('0.5000');
    expect(html).toContain('5,000.00');
    expect(html).toContain('项目用地');
  });

  it('a bundle other than the deciding one is flagged on the figure, and its layers are not drawn', async () => {
    const d = await evaluate(project('industrial-flexible-zone'));
    const site = project('industrial-flexible-zone').site;
    const html = renderReportHtml({ ...d, bundleHash: 'sha256:other' }, { bundle: t.bundles.get('demo-county'), site });
    expect(html).toContain('与作出本决定时的数据包（sha256:other）不同');
    expect(html).toContain('图中未绘制管控图层');
    expect(html).not.toContain('城镇开发边界·弹性发展区</text>');
    // The deciding bundle draws its layers.
    const same = renderReportHtml(d, { bundle: t.bundles.get('demo-county'), site });
    expect(same).toContain('</text>');
    expect(same).not.toContain('图中未绘制管控图层');
  });

  it('project-level findings: rendered with clauses, approvals and their basis, conditions; counted', async () => {
    const d = await evaluate(project('transport-key-project-farmland'));
    expect(d.projectFindings.map((f) => f.policy)).toEqual(['national.approval-level', 'local.hengyang-resources-2021-2025']);
    const html = renderReportHtml(d);
    expect(html).toContain('项目整体判定及依据');
    expect(html.match(/class="finding project-finding"/g)).toHaveLength(2);
    const page = await browser.newPage({ viewport: { width: 900, height: 1270 } });
    try {
      await page.setContent(html);
      const text = (await page.locator('body').innerText()).replace(/\s+/g, ' ');
      expectDecisionOnPage(text, d);
      expect(await page.locator('#project-finding-1 blockquote.clause').count()).toBe(d.projectFindings[0].clauses.length);
      expect(await page.locator('#project-finding-2 ol.conds li').count()).toBe(d.projectFindings[1].conditions.length);
    } finally {
      await page.close();
    }
  });
});
