/**
 * The page with the keyboard and on small screens (audit findings), in real Chromium against the
 * real app: browsing the activities with the arrow keys runs no evaluation until asked; answering a
 * question keeps focus on the control; keyboard drawing with quick keys puts each vertex where the
 * map was moved; the draw hint goes when drawing ends and never covers the legend button at 360 px;
 * the panel comes first in the Tab order; joint questions (jointQuestions) are shown and can be
 * applied, and the page works without them; with a rate limit of 5 a minute the page loads.
 * Screenshots: test-artifacts/web-*.png.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { bboxOfRing, evaluation, fitMap, openPage, project, ringOf, shot, startApp, useBrowserAndApp } from './harness.js';

const served = useBrowserAndApp();

/** Counts the POST /v1/evaluate requests the page sends. */
function countEvaluations(page: Page): { n: number } {
  const c = { n: 0 };
  page.on('request', (r) => {
    if (r.url().endsWith('/v1/evaluate') && r.method() === 'POST') c.n++;
  });
  return c;
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);

async function pasteSite(page: Page, ring: [number, number][]) {
  await page.click('#site-input summary');
  await page.fill('#site-text', ring.slice(0, -1).map(([x, y]) => `${x},${y}`).join('\n'));
  await page.click('#use-text');
  await expect.poll(() => page.getAttribute('body', 'data-site')).toBe('set');
}

describe('web page: keyboard and small screens (Chromium)', () => {
  it('arrowing through the activities runs no evaluation; Enter, the 评估 button or a pointer choice does', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1366, height: 800 });
    const evaluations = countEvaluations(page);
    await pasteSite(page, ringOf(project('industrial-on-permanent-farmland'))); // no activity yet: nothing to evaluate
    await page.focus('#activity');
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('ArrowDown');
      seen.push(await page.inputValue('#activity'));
      await page.waitForTimeout(40);
    }
    expect(new Set(seen).size).toBe(6); // the arrows did move through six activities
    await page.waitForTimeout(800);
    expect(evaluations.n).toBe(0);
    expect(await page.locator('#status').textContent()).toContain('Enter');
    // Enter on the list evaluates once, the activity shown.
    const a = await evaluation(page, () => page.keyboard.press('Enter'));
    expect(JSON.parse(a.request).project.activity).toBe(seen[5]);
    expect(evaluations.n).toBe(1);
    // Arrow on, then the 评估 button.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.waitForTimeout(600);
    expect(evaluations.n).toBe(1);
    const chosen = await page.inputValue('#activity');
    const b = await evaluation(page, async () => {
      await page.focus('#evaluate');
      await page.keyboard.press('Enter');
    });
    expect(JSON.parse(b.request).project.activity).toBe(chosen);
    expect(evaluations.n).toBe(2);
    // A choice made with the pointer (a change without arrow keys) evaluates at once.
    const c = await evaluation(page, () => page.selectOption('#activity', 'industrial'));
    expect(JSON.parse(c.request).project.activity).toBe('industrial');
    expect(evaluations.n).toBe(3);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('answering a question with Space keeps focus on the answer; arrows only record it until Space/Enter', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1366, height: 800 });
    const evaluations = countEvaluations(page);
    await page.selectOption('#activity', 'transport');
    await page.click('#attr-details summary');
    await page.selectOption('#attr-keyProjectSector', 'transport');
    const before = await evaluation(page, () => pasteSite(page, ringOf(project('transport-key-project-farmland'))));
    expect(before.decision.verdict).toBe('forbidden');
    await page.focus('#q-unavoidable-true');
    const yes = await evaluation(page, () => page.keyboard.press('Space'));
    expect(JSON.parse(yes.request).project.attributes).toMatchObject({ unavoidable: true });
    expect(yes.decision.verdict).toBe('conditional');
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe('conditional');
    expect(await activeId(page)).toBe('q-unavoidable-true');
    expect(await page.isChecked('#q-unavoidable-true')).toBe(true);
    await shot(page, 'keyboard-question-focus');
    // ArrowRight moves to 否 (checking it): recorded, not evaluated.
    const n = evaluations.n;
    await page.keyboard.press('ArrowRight');
    await page.waitForTimeout(700);
    expect(evaluations.n).toBe(n);
    expect(await page.isChecked('#q-unavoidable-false')).toBe(true);
    expect(await page.locator('#status').textContent()).toContain('Enter');
    const no = await evaluation(page, () => page.keyboard.press('Space'));
    expect(JSON.parse(no.request).project.attributes).toMatchObject({ unavoidable: false });
    expect(evaluations.n).toBe(n + 1);
    expect(await activeId(page)).toBe('q-unavoidable-false');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keyboard-only drawing with quick keys (≤ 50 ms apart): focus on the map, each vertex where the map moved to', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1366, height: 800 });
    await page.selectOption('#activity', 'industrial');
    await fitMap(page, bboxOfRing(ringOf(project('industrial-on-permanent-farmland'))));
    await page.focus('#draw-polygon');
    await page.keyboard.press('Enter');
    expect(await activeId(page)).toBe('map'); // Space now draws, it does not press the button again
    // Where the four vertices must be: the map's centre, then moved right, down, left by one pan step.
    const expected = await page.evaluate(() => {
      const m = (window as any).__zoning.map;
      const c = m.getSize().divideBy(2);
      const d = m.options.keyboardPanDelta;
      return [[0, 0], [d, 0], [d, d], [0, d]].map(([dx, dy]) => {
        const ll = m.containerPointToLatLng([c.x + dx, c.y + dy]);
        return [ll.lng, ll.lat];
      });
    });
    const { request, decision } = await evaluation(page, async () => {
      for (const key of ['Space', 'ArrowRight', 'Space', 'ArrowDown', 'Space', 'ArrowLeft', 'Space']) {
        await page.keyboard.press(key);
        await page.waitForTimeout(30);
      }
      await page.keyboard.press('Enter');
    });
    const ring = JSON.parse(request).site.coordinates[0] as [number, number][];
    expect(ring).toHaveLength(5);
    ring.slice(0, 4).forEach(([x, y], i) => {
      expect(Math.abs(x - expected[i][0]), `vertex ${i} lon`).toBeLessThan(2e-6);
      expect(Math.abs(y - expected[i][1]), `vertex ${i} lat`).toBeLessThan(2e-6);
    });
    expect(['allowed', 'conditional', 'forbidden']).toContain(decision.verdict); // a valid polygon (no self-intersection)
    expect(await page.locator('#site-status').textContent()).toContain('多边形');
    await shot(page, 'keyboard-drawn');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('360 px: the draw hint never covers the legend button and goes when drawing ends', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 360, height: 740 });
    await page.click('#draw-point');
    expect(await page.isVisible('#draw-hint')).toBe(true);
    const hint = (await page.locator('#draw-hint').boundingBox())!;
    const legend = (await page.locator('#legend summary').boundingBox())!;
    const overlaps = hint.x < legend.x + legend.width && legend.x < hint.x + hint.width && hint.y < legend.y + legend.height && legend.y < hint.y + hint.height;
    expect(overlaps).toBe(false);
    await shot(page, 'mobile-360-drawing');
    const map = (await page.locator('#map').boundingBox())!;
    await page.mouse.click(map.x + map.width / 2, map.y + map.height / 2);
    await expect.poll(() => page.locator('#site-status').textContent()).toContain('点位');
    expect(await page.isVisible('#draw-hint')).toBe(false);
    // The legend button answers.
    await page.click('#legend summary');
    expect(await page.getAttribute('#legend', 'open')).not.toBeNull();
    await shot(page, 'mobile-360-drawn');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('1366 px: Tab reaches the panel (the form) before the map, its zoom and the legend checkboxes', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1366, height: 768 });
    const order: string[] = [];
    for (let i = 0; i < 45; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        return a?.id || a?.className || a?.tagName || '';
      }));
    }
    const at = (pred: (s: string) => boolean) => order.findIndex(pred);
    const form = ['draw-polygon', 'activity', 'evaluate'].map((id) => at((s) => s === id));
    const mapAt = at((s) => s === 'map');
    const zoomAt = at((s) => s.includes('leaflet-control-zoom'));
    const layerAt = at((s) => s.startsWith('layer-'));
    for (const f of form) expect(f).toBeGreaterThanOrEqual(0);
    for (const later of [mapAt, zoomAt, layerAt]) {
      expect(later).toBeGreaterThan(Math.max(...form));
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('joint questions: "同时满足以下条件时 … → 有条件允许" with a button that gives those answers; works without them', async () => {
    const { page, errors } = await openPage(served().browser, served().app.base, { width: 1366, height: 900 });
    let mode: 'without' | 'with' = 'without';
    await page.route('**/v1/evaluate', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      if (mode === 'with' && !body.project?.attributes?.unavoidable) {
        body.jointQuestions = [{ answers: [{ attribute: 'unavoidable', value: true }, { attribute: 'inCountyPlan', value: true }], verdict: 'conditional' }];
      } else delete body.jointQuestions;
      await route.fulfill({ response, json: body });
    });
    await page.selectOption('#activity', 'transport');
    await page.click('#attr-details summary');
    await page.selectOption('#attr-keyProjectSector', 'transport');
    // Without jointQuestions (a server that does not send them): the questions, each with its verdict.
    const plain = await evaluation(page, () => pasteSite(page, ringOf(project('transport-key-project-farmland'))));
    expect(plain.decision.jointQuestions).toBeUndefined();
    await expect.poll(() => page.locator('#questions [data-attribute=unavoidable]').count()).toBe(1);
    expect(await page.locator('label[for=q-unavoidable-true]').textContent()).toMatch(/是（→ (允许|有条件允许|禁止)）/);
    expect(await page.locator('#joint-questions').count()).toBe(0);
    // With them.
    mode = 'with';
    const joint = await evaluation(page, () => page.click('#evaluate'));
    expect(joint.decision.jointQuestions).toHaveLength(1);
    const box = page.locator('#joint-questions');
    await expect.poll(() => box.count()).toBe(1);
    const text = (await box.textContent())!;
    expect(text).toContain('同时满足以下条件时');
    expect(text).toContain('有条件允许');
    expect(await box.locator('li[data-attribute=unavoidable] strong').textContent()).toBe('是');
    expect(await box.locator('li[data-attribute=inCountyPlan] strong').textContent()).toBe('是');
    expect(await box.locator('li[data-attribute=inCountyPlan]').textContent()).toContain('规划'); // the question's own words
    await box.scrollIntoViewIfNeeded();
    await shot(page, 'joint-questions');
    const applied = await evaluation(page, () => page.click('#joint-apply-0'));
    expect(JSON.parse(applied.request).project.attributes).toEqual({ keyProjectSector: 'transport', unavoidable: true, inCountyPlan: true });
    await expect.poll(() => page.locator('#verdict').getAttribute('data-verdict')).toBe(applied.decision.verdict);
    expect(await activeId(page)).toBe('verdict'); // the button is gone: focus on the new verdict
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with ZONING_RATE_LIMIT_PER_MINUTE=5 the page loads: one /v1 request on load (the layers), none refused', async () => {
    const limited = await startApp({ ZONING_RATE_LIMIT_PER_MINUTE: '5' });
    try {
      const page = await served().browser.newPage({ viewport: { width: 1366, height: 800 } });
      const v1: string[] = [];
      const refused: string[] = [];
      page.on('response', (r) => {
        if (new URL(r.url()).pathname.startsWith('/v1/')) v1.push(new URL(r.url()).pathname);
        if (r.status() === 429) refused.push(r.url());
      });
      await page.goto(`${limited.base}/`);
      await page.waitForSelector('body[data-layers=ready]', { timeout: 30_000 });
      expect(refused).toEqual([]);
      expect(v1).toEqual(['/v1/jurisdictions/demo-county/layers.geojson']);
      expect(await page.locator('#activity option').count()).toBeGreaterThan(20);
      expect(await page.locator('#legend-list input[type=checkbox]').count()).toBeGreaterThan(8);
      await page.close();
    } finally {
      await limited.close();
    }
  });
});
