/** The app on the demo bundle with the version archive, a stepping clock and an admin token, for the issue-4 tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, type AppDeps } from '../../api/app.js';
import { buildPolicyRegistry, type Bundle, type PolicyDocument } from '../../engine/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { memoryDecisionStore } from '../../api/storage/decision-store.js';
import { memoryVersionStore } from '../../api/storage/version-store.js';
import { POLICY_DOCUMENTS } from '../../policies/index.generated.js';

export const root = join(__dirname, '../..');
export const DEMO = join(root, 'fixtures/demo');
export const TOKEN = 'test-admin-token-6f1c0a';
export const CORPUS = JSON.parse(readFileSync(join(root, 'fixtures/impact/corpus.geojson'), 'utf8'));

/** An evaluate request for a project of the impact corpus. */
export function corpusRequest(id: string, over: { asOf?: string; activity?: string; attributes?: Record<string, unknown>; name?: string } = {}) {
  const f = CORPUS.features.find((x: any) => x.id === id);
  if (!f) throw new Error(`no corpus project ${id}`);
  return {
    jurisdiction: f.properties.jurisdiction,
    ...(over.asOf ? { asOf: over.asOf } : {}),
    project: { name: over.name ?? f.properties.name, activity: over.activity ?? f.properties.activity, attributes: over.attributes ?? f.properties.attributes },
    site: f.geometry,
  };
}

/** A clock that starts at `start` and moves one second per reading (distinct createdAt values). */
export function steppingClock(start = '2026-11-25T08:00:00.000Z') {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

let demoBundle: Promise<Bundle> | null = null;

export async function versionsApp(opts: Partial<AppDeps> & { bundles?: ReadonlyMap<string, Bundle> } = {}) {
  demoBundle ??= loadBundleDir(DEMO);
  const bundles = opts.bundles ?? new Map([['demo-county', await demoBundle]]);
  let n = 0;
  const deps: AppDeps = {
    bundles,
    policies: await buildPolicyRegistry(POLICY_DOCUMENTS),
    store: memoryDecisionStore(),
    versions: memoryVersionStore(),
    engineVersion: 'test',
    clock: steppingClock(),
    newId: () => `d-${String(++n).padStart(6, '0')}`,
    adminToken: TOKEN,
    ...opts,
  };
  const app = createApp(deps);
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await app.request(path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    // Decode keeping a byte-order mark (Response.text() would strip it).
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    let json: any = null;
    try {
      json = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, headers: res.headers, text, body: json };
  };
  return {
    app,
    deps,
    call,
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body ?? '', headers),
    evaluate: (body: unknown) => call('POST', '/v1/evaluate', body),
    admin: { authorization: `Bearer ${TOKEN}` },
  };
}

/** national.urban-boundary 1.1.0 as shipped, as a fresh object. */
export function shippedUrbanBoundary(version = '1.1.0'): PolicyDocument {
  const doc = Object.values(POLICY_DOCUMENTS).find((d: any) => d.id === 'national.urban-boundary' && d.version === version);
  return structuredClone(doc) as PolicyDocument;
}

/**
 * A test-only tightening published over the API: 1.2.0 from 2027-06-01, where logistics, energy and
 * water facilities in the special zone are forbidden rather than conditional.
 */
export function tightenedUrbanBoundary(from = '2027-06-01'): PolicyDocument {
  const d = shippedUrbanBoundary('1.1.0');
  d.version = '1.2.0';
  d.effective = { from };
  const r = d.rules.find((x) => x.id === 'special-infrastructure-type')!;
  r.then = { verdict: 'forbidden', clauses: r.then.clauses, message: '（测试用收紧版本）特别用途区内不再新增物流、能源、水利设施用地。' };
  const t = d.tests.find((x) => x.expect.rule === 'special-infrastructure-type')!;
  t.expect = { verdict: 'forbidden', rule: 'special-infrastructure-type' };
  return d;
}
