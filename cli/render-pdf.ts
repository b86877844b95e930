/**
 * Prints a report page to PDF (A4, the page's own @page rules) with headless Chromium through
 * playwright-core. Node only. The browser path is ZONING_CHROMIUM, else /usr/bin/chromium, else the
 * one playwright-core knows. One browser is kept per process and reused.
 */
import { existsSync } from 'node:fs';

type Browser = import('playwright-core').Browser;

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function chromiumPath(): string | undefined {
  const p = process.env.ZONING_CHROMIUM ?? '/usr/bin/chromium';
  return existsSync(p) ? p : undefined;
}

let browser: Promise<Browser> | null = null;

async function getBrowser(): Promise<Browser> {
  if (!browser) {
    browser = import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS }));
    browser.catch(() => (browser = null));
    const b = await browser;
    b.on('disconnected', () => (browser = null));
    process.once('exit', () => void b.close().catch(() => {}));
  }
  return browser;
}

export async function renderPdf(html: string): Promise<Uint8Array<ArrayBuffer>> {
  const b = await getBrowser();
  const page = await b.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    return new Uint8Array(pdf);
  } finally {
    await page.close().catch(() => {});
  }
}

/** Closes the shared browser (CLI runs call it before exiting). */
export async function closePdfBrowser(): Promise<void> {
  const b = browser;
  browser = null;
  if (b) await (await b).close().catch(() => {});
}
