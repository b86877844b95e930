/**
 * The web page in real Chromium against the real app (in-process @hono/node-server on 127.0.0.1,
 * SQLite in a temp dir): draw → evaluate; upload a 界址点坐标 file and its GeoJSON twin; answer a
 * question; keyboard only; the suitability overlay; 360 px without horizontal overflow.
 * Screenshots: test-artifacts/web-*.png.
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bboxOfRing, evaluation, fitMap, mapPoint, openPage, project, ringOf, ROOT, shot, startApp, useBrowserAndApp } from './harness.js';

const served = useBrowserAndApp();

/** What the page shows of a decision: verdict and findings (kind, zone, verdict, area text). */
async function shown(page: Page) {
  return page.evaluate(() => ({
    verdict: document.querySelector('#verdict')?.getAttribute('data-verdict') ?? null,
    findings: [...document.querySelectorAll('#findings > li')].map((li) => ({
      kind: li.getAttribute('data-kind'),
      verdict: li.getAttribute('data-verdict'),
      name: li.querySelector('h4')?.textContent,
      metrics: li.querySelector('.finding-metrics')?.textContent,
    })),
  }));
}

async function noHorizontalOverflow(page: Page, width: number) {
  const r = await page.evaluate((w) => {
    const offenders = [...document.querySelectorAll('body *')]
      .filter((el) => {
        const b = el.getBoundingClientRect();
        return b.width > 0 && b.right > w + 0.5 && !el.closest('.leaflet-pane') && getComputedStyle(el).position !== 'fixed';
      })
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: document.documentElement.scrollWidth, offenders };
  }, width);
  expect(r.offenders).toEqual([]);
  expect(r.scrollWidth).toBeLessThanOrEqual(width);
}

describe('web page (Chromium)', () => {
  it('loads fast: the page, then the control layers as the map, legend with toggles', async () => {
    const t0 = Date.now();
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1400, height: 900 });
    const ms = Date.now() - t0;
    console.log(`page ready (layers drawn) in ${ms} ms`);
    expect(ms).toBeLessThan(8_000);
    expect(await page.locator('#jurisdiction option').count()).toBeGreaterThan(0);
    expect(await page.locator('#activity option').count()).toBeGreaterThan(20);
    // The legend lists the kinds with toggles; switching one off and on works.
    const toggle = page.locator('#layer-permanent-farmland');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await toggle.uncheck();
    await toggle.check();
    expect(await page.locator('#legend-list input[type=checkbox]').count()).toBeGreaterThan(8);
    await shot(page, 'desktop-loaded');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draw a polygon → evaluate → verdict, findings with 公顷, clauses, highlights, report link', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1400, height: 900 });
    const p = project('industrial-on-permanent-farmland');
    await page.selectOption('#activity', 'industrial');
    const ring = ringOf(p);
    await fitMap(page, bboxOfRing(ring));
    await page.click('#draw-polygon');
    const pts: { x: number; y: number }[] = [];
    for (const [lon, lat] of ring.slice(0, -1)) pts.push(await mapPoint(page, lon, lat));
    const { request, decision } = await evaluation(page, async () => {
      for (const q of pts.slice(0, -1)) await page.mouse.click(q.x, q.y);
      const last = pts[pts.length - 1];
      await page.mouse.dblclick(last.x, last.y);
    });
    const sent = JSON.parse(request);
    expect(sent.site.type).toBe('Polygon');
    expect(sent.site.coordinates[0]).toHaveLength(5);
    expect(sent.project.activity).toBe('industrial');
    // The page shows what the server decided; the server decides as for the same request by API.
    const direct = await (await fetch(`${served().app.base}/v1/evaluate`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: request })).json();
    expect(direct.verdict).toBe(decision.verdict);
    expect(decision.verdict).toBe('forbidden');
    const view = await shown(page);
    expect(view.verdict).toBe(decision.verdict);
    expect(view.findings.map((f) => [f.kind, f.verdict])).toEqual(decision.findings.map((f: any) => [f.kind, f.verdict]));
    const pf = decision.findings.find((f: any) => f.kind === 'permanent-farmland');
    expect(pf).toBeTruthy();
    const pfShown = view.findings.find((f) => f.kind === 'permanent-farmland')!;
    expect(pfShown.metrics).toContain(`${(pf.overlapAreaM2 / 10_000).toFixed(4)} 公顷`);
    // Clauses in full: every clause text of the decision is on the page.
    const texts = await page.locator('#findings .clause-text').allTextContents();
    for (const f of decision.findings) for (const c of f.clauses) expect(texts).toContain(c.text);
    expect(await page.locator('#verdict .verdict-label').textContent()).toBe('禁止');
    // Highlights on the map: the features named by the findings.
    const highlighted = await page.evaluate(() => (window as any).__zoning.highlighted());
    expect(highlighted).toBe(decision.findings.reduce((n: number, f: any) => n + f.featureIds.length, 0));
    const report = await page.locator('#report-link').getAttribute('href');
    expect(report).toBe(`/v1/decisions/${decision.decisionId}/report`);
    if (decision.approvals.length) await expect.poll(() => page.locator('#approvals li').count()).toBe(decision.approvals.length);
    expect(await page.locator('#land-supply li').count()).toBe(decision.landSupply.length);
    await page.locator('#verdict').scrollIntoViewIfNeeded();
    await shot(page, 'draw-evaluate');
    await page.setViewportSize({ width: 1400, height: 2600 });
    await page.waitForTimeout(200);
    await shot(page, 'draw-evaluate-tall');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('upload a 界址点坐标 file → the same result as its GeoJSON twin (and the GBK variant)', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1400, height: 900 });
    await page.selectOption('#activity', 'commercial');
    const dir = join(ROOT, 'fixtures/survey');
    const txt = await evaluation(page, () => page.setInputFiles('#site-file', join(dir, 'factory-hole-zone38.txt')));
    expect(txt.contentType).toMatch(/^multipart\/form-data/); // the server reads the file itself
    const viewTxt = await shown(page);
    await shot(page, 'upload-txt');
    const twin = await evaluation(page, () => page.setInputFiles('#site-file', join(dir, 'factory-hole-zone38.geojson')));
    expect(JSON.parse(twin.request).site.type).toBe('Polygon');
    const viewTwin = await shown(page);
    const gbk = await evaluation(page, () => page.setInputFiles('#site-file', join(dir, 'factory-hole-zone38-gbk.txt')));
    const viewGbk = await shown(page);

    expect(txt.decision.verdict).toBe(twin.decision.verdict);
    const key = (d: any) => d.findings.map((f: any) => ({ kind: f.kind, zone: f.zone, verdict: f.verdict, featureIds: f.featureIds, rule: f.because?.rule }));
    expect(key(txt.decision)).toEqual(key(twin.decision));
    expect(key(gbk.decision)).toEqual(key(twin.decision));
    // Areas agree to the millimetre rounding of the surveyed coordinates (well under 1 m²).
    twin.decision.findings.forEach((f: any, i: number) => {
      if (f.overlapAreaM2 === null) return;
      expect(Math.abs(txt.decision.findings[i].overlapAreaM2 - f.overlapAreaM2)).toBeLessThan(1);
      expect(Math.abs(gbk.decision.findings[i].overlapAreaM2 - f.overlapAreaM2)).toBeLessThan(1);
    });
    expect(Math.abs(txt.decision.site.areaM2 - twin.decision.site.areaM2)).toBeLessThan(0.5);
    expect(viewTxt.verdict).toBe(viewTwin.verdict);
    expect(viewTxt.findings.map((f) => [f.kind, f.verdict, f.name])).toEqual(viewTwin.findings.map((f) => [f.kind, f.verdict, f.name]));
    expect(viewGbk.findings.map((f) => [f.kind, f.verdict])).toEqual(viewTwin.findings.map((f) => [f.kind, f.verdict]));
    // The TXT's parcel is drawn on the map (client-side preview of the file).
    expect(await page.locator('#site-status').textContent()).toContain('factory-hole-zone38-gbk.txt');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answering a question changes the verdict: transport on permanent farmland, unavoidable = yes', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1400, height: 900 });
    const p = project('transport-key-project-farmland');
    await page.selectOption('#activity', 'transport');
    // keyProjectSector set beforehand, in the project attributes.
    await page.click('#attr-details summary');
    await page.selectOption('#attr-keyProjectSector', 'transport');
    // The site pasted as coordinates (the keyboard alternative to drawing).
    await page.click('#site-input summary');
    await page.fill('#site-text', ringOf(p).slice(0, -1).map(([x, y]) => `${x},${y}`).join('\n'));
    const before = await evaluation(page, () => page.click('#use-text'));
    expect(before.decision.verdict).toBe('forbidden');
    expect(JSON.parse(before.request).project.attributes).toEqual({ keyProjectSector: 'transport' });
    const q = before.decision.questions.find((x: any) => x.attribute === 'unavoidable');
    expect(q).toMatchObject({ ifTrue: 'conditional', ifFalse: 'forbidden' });
    await expect.poll(() => page.locator('#questions [data-attribute=unavoidable]').count()).toBe(1);
    await shot(page, 'question-before');
    const after = await evaluation(page, () => page.check('#q-unavoidable-true'));
    expect(JSON.parse(after.request).project.attributes).toEqual({ keyProjectSector: 'transport', unavoidable: true });
    expect(after.decision.verdict).toBe('conditional');
    expect((await shown(page)).verdict).toBe('conditional');
    expect(await page.locator('#verdict .verdict-label').textContent()).toBe('有条件允许');
    await page.locator('#verdict').scrollIntoViewIfNeeded();
    await shot(page, 'question-after');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keyboard only: draw with the crosshair, choose the activity, evaluate', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1280, height: 800 });
    // Every control is reachable with Tab.
    const reached = new Set<string>();
    for (let i = 0; i < 120 && reached.size < 200; i++) {
      await page.keyboard.press('Tab');
      reached.add(await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a ? (a.id || a.getAttribute('data-kind') || a.textContent?.trim().slice(0, 12) || a.tagName) : '';
      }));
    }
    for (const id of ['jurisdiction', 'map', 'layer-permanent-farmland', 'draw-polygon', 'draw-point', 'clear-site', 'activity', 'project-name', 'evaluate', 'suit-scope-view', 'suit-cell', 'suit-run']) {
      expect(reached, `Tab reaches #${id}`).toContain(id);
    }
    const ring = ringOf(project('industrial-on-permanent-farmland'));
    await fitMap(page, bboxOfRing(ring));
    await page.focus('#draw-polygon');
    await page.keyboard.press('Enter');
    await page.focus('#map');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(350);
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(350);
    await page.keyboard.press('Space');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#site-status').textContent()).toContain('多边形');
    await page.focus('#activity');
    await page.keyboard.press('ArrowDown'); // the first activity
    const first = await page.inputValue('#activity');
    expect(first).not.toBe('');
    const { decision } = await evaluation(page, async () => {
      await page.focus('#evaluate');
      await page.keyboard.press('Enter');
    });
    expect(['allowed', 'conditional', 'forbidden']).toContain(decision.verdict);
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe(decision.verdict);
    // Esc cancels a drawing.
    await page.focus('#draw-point');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    expect(await page.locator('#draw-hint').textContent()).toContain('取消');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('suitability overlay with its summary of areas by verdict', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1400, height: 900 });
    await page.selectOption('#activity', 'industrial');
    await page.check('#suit-scope-all');
    await page.selectOption('#suit-cell', '500');
    await page.click('#suit-run');
    await page.waitForSelector('body[data-suitability=ready]', { timeout: 240_000 });
    const r = await page.evaluate(() => (window as any).__zoning.suitability());
    expect(r.features.length).toBeGreaterThan(0);
    expect(await page.locator('#suit-table tbody tr').count()).toBe(3);
    const total = await page.locator('#suit-table tfoot td').first().textContent();
    expect(Number(total!.replace(/,/g, ''))).toBeCloseTo(r.summary.totalHa, 1);
    expect(r.summary.totalHa).toBeGreaterThan(7600);
    console.log(`suitability (industrial, whole township, 500 m): ${r.features.length} polygons, server ${r.stats.timeMs} ms`);
    // Clicking the map tells the answer there, with the layers.
    const f = r.features.find((x: any) => x.properties.verdict === 'conditional') ?? r.features[0];
    const at = await mapPoint(page, f.properties.point[0], f.properties.point[1]);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.locator('.leaflet-popup-content').textContent()).toContain('适宜性');
    await page.waitForTimeout(400); // the popup fades in
    await page.locator('#suitability').scrollIntoViewIfNeeded();
    await shot(page, 'suitability');
    expect(errors).toEqual([]);
    await page.close();
  }, 300_000);

  it('360 px wide: nothing overflows horizontally (loaded, with a result, with a suitability summary)', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 360, height: 740 });
    await noHorizontalOverflow(page, 360);
    await shot(page, 'mobile-360-loaded', true);
    const p = project('transport-key-project-farmland');
    await page.selectOption('#activity', 'transport');
    await page.click('#site-input summary');
    await page.fill('#site-text', JSON.stringify(p.site));
    await evaluation(page, () => page.click('#use-text'));
    await noHorizontalOverflow(page, 360);
    await page.check('#suit-scope-view');
    await page.selectOption('#suit-cell', '100');
    await page.click('#suit-run');
    await page.waitForSelector('body[data-suitability=ready], body[data-suitability=error]', { timeout: 120_000 });
    expect(await page.getAttribute('body', 'data-suitability')).toBe('ready');
    await noHorizontalOverflow(page, 360);
    await shot(page, 'mobile-360', true);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
