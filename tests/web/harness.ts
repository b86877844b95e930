/**
 * The browser tests' harness: the real app (Node dependencies: demo bundle, SQLite in a temp dir)
 * served on 127.0.0.1 by @hono/node-server in-process, and Debian's Chromium driven by
 * playwright-core. A missing Chromium fails the tests loudly; it never skips them.
 */
import { serve } from '@hono/node-server';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createApp } from '../../api/app.js';
import { buildNodeDeps } from '../../api/node/build-deps.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export const CHROMIUM = '/usr/bin/chromium';

export interface Served { base: string; close(): Promise<void> }

/** The app on 127.0.0.1; `env`: extra settings (e.g. ZONING_RATE_LIMIT_PER_MINUTE). */
export async function startApp(env: Record<string, string> = {}): Promise<Served> {
  const dir = mkdtempSync(join(tmpdir(), 'zoning-web-'));
  const deps = await buildNodeDeps({ ZONING_DB: join(dir, 'zoning.db'), ...env } as NodeJS.ProcessEnv);
  const app = createApp(deps);
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          deps.close();
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: the browser tests need it (apt-get install chromium). They do not skip.`);
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page that records console errors and uncaught exceptions (asserted empty by the tests). */
export async function openPage(browser: Browser, base: string, viewport: { width: number; height: number }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('requestfailed', (r) => {
    if (!r.url().includes('/v1/evaluate')) errors.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  await page.goto(`${base}/`);
  await page.waitForSelector('body[data-layers=ready]', { timeout: 30_000 });
  return { page, errors };
}

export const shot = (page: Page, name: string, fullPage = false) => page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage });

/** Pixel position (page coordinates) of a lon/lat on the Leaflet map. */
export async function mapPoint(page: Page, lon: number, lat: number): Promise<{ x: number; y: number }> {
  return page.evaluate(([lon, lat]) => {
    const z = (window as unknown as { __zoning: { map: any } }).__zoning;
    const p = z.map.latLngToContainerPoint([lat, lon]);
    const r = z.map.getContainer().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, [lon, lat] as [number, number]);
}

export async function fitMap(page: Page, bbox: [number, number, number, number]): Promise<void> {
  await page.evaluate((b) => {
    const z = (window as unknown as { __zoning: { map: any } }).__zoning;
    // Leave the legend (top right) and the hints alone: clicks there do not reach the map.
    z.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], { paddingTopLeft: [80, 90], paddingBottomRight: [330, 90], animate: false });
  }, bbox);
  await page.waitForTimeout(150);
}

/** A sample project of fixtures/projects. */
export const project = (name: string) => JSON.parse(readFileSync(join(ROOT, 'fixtures/projects', `${name}.json`), 'utf8'));
export const ringOf = (p: { site: { coordinates: number[][][] } }) => p.site.coordinates[0] as [number, number][];
export const bboxOfRing = (r: [number, number][]): [number, number, number, number] => [
  Math.min(...r.map((p) => p[0])), Math.min(...r.map((p) => p[1])), Math.max(...r.map((p) => p[0])), Math.max(...r.map((p) => p[1])),
];

/** Waits for the evaluation a UI action starts; returns the decision the server sent. */
export async function evaluation(page: Page, action: () => Promise<unknown>): Promise<{ request: string; contentType: string; decision: any }> {
  const res = page.waitForResponse((r) => r.url().endsWith('/v1/evaluate') && r.request().method() === 'POST', { timeout: 30_000 });
  await action();
  const r = await res;
  await page.waitForFunction(() => !document.body.dataset.evaluating, undefined, { timeout: 30_000 });
  return { request: r.request().postData() ?? '', contentType: r.request().headers()['content-type'] ?? '', decision: await r.json() };
}

/** Starts the app and Chromium before the file's tests and closes both after; call the result to reach them. */
export function useBrowserAndApp(env: Record<string, string> = {}): () => { app: Served; browser: Browser } {
  let app: Served | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
    app = await startApp(env);
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  return () => ({ app: app!, browser: browser! });
}
