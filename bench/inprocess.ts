/**
 * The in-process part of `npm run bench`, run in a child process of its own (so that its memory
 * figures are the bundle's): loads a bundle directory, times evaluations of seeded sites, computes
 * the engine's overlay areas of every measured site for the PostGIS comparison, and writes a JSON
 * report (and the HTTP load's request bodies).
 *
 *   node --expose-gc --import tsx bench/inprocess.ts --bundle <dir> --out <file.json> [--n 2000] [--seed 1]
 *     [--kinds point,1ha,100ha,10km] [--http-sites 20000]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildPolicyRegistry, evaluateProject, type Bundle } from '../engine/index.js';
import { normalizeSite, type NormalizedSite } from '../engine/geometry/index.js';
import { overlaySearchBox, overlaySite } from '../engine/overlay/overlay-site.js';
import { loadBundleDir } from '../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../policies/index.generated.js';
import { SITE_KINDS, SiteMaker, type BenchRequest, type SiteKind } from './sites.js';

export interface MeasuredSite {
  kind: SiteKind;
  /** The site the engine overlays (normalized: corridors buffered), as GeoJSON, for PostGIS. */
  geometry: { type: 'Point' | 'MultiPolygon'; coordinates: unknown };
  /** Engine overlay per "kind|zone": m² (findings plus slivers), or 0 for a point site's hits. */
  engine: Record<string, number>;
  siteAreaM2: number;
}

export interface InProcessReport {
  bundle: { id: string; features: number; entries: number };
  load: { wallMs: number; cpuMs: number; rssDeltaMb: number; peakRssDeltaMb: number; heapDeltaMb: number };
  evaluate: Record<SiteKind, { n: number; ok: number; p50: number; p99: number; mean: number; cpuMsPerEval: number; overlay: { p50: number; p99: number; cpuMs: number } }>;
  sites: MeasuredSite[];
  httpBodies: string;
}

const args = process.argv.slice(2);
const opt = (name: string, def: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const dir = opt('bundle', '');
const out = opt('out', '');
const n = Number(opt('n', '2000'));
const seed = Number(opt('seed', '1'));
const httpSites = Number(opt('http-sites', '20000'));
const kinds = opt('kinds', SITE_KINDS.join(',')).split(',') as SiteKind[];
const counts: Record<SiteKind, number> = { point: n, '1ha': n, '100ha': Math.max(20, Math.round(n / 20)), '10km': Math.max(10, Math.round(n / 40)) };

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const vm = (field: string) => Number(/(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith(field)) ?? '')?.[1] ?? 0) / 1024;

gc();
const rss0 = vm('VmRSS:');
const heap0 = process.memoryUsage().heapUsed;
const c0 = process.cpuUsage();
const t0 = performance.now();
const bundle: Bundle = await loadBundleDir(dir);
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(c0);
const peak = vm('VmHWM:');
gc();
const load = {
  wallMs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  rssDeltaMb: vm('VmRSS:') - rss0,
  peakRssDeltaMb: peak - rss0,
  heapDeltaMb: (process.memoryUsage().heapUsed - heap0) / 2 ** 20,
};
const entries = (await bundle.query([-180, -90, 180, 90])).length;

const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
const ctx = { bundles: new Map([[bundle.id, bundle]]), policies, engineVersion: 'bench' };
// The overlay alone, without the distance search (roads, heritage footprints within 300 m): what PostGIS computes.
const overlayOnly: Bundle = Object.create(bundle, { distanceSearchM: { value: 0 } });

async function engineAreas(req: BenchRequest): Promise<{ site: NormalizedSite; groups: Record<string, number> } | null> {
  const res = normalizeSite(req.site, { corridorWidthM: req.project.attributes.corridorWidthM });
  if (!res.ok) return null;
  const site = res.site;
  const ov = overlaySite(overlayOnly, site, await bundle.query(overlaySearchBox(overlayOnly, site)));
  if (ov.outsideBoundaryM2 > bundle.sliverToleranceM2) return null;
  const groups: Record<string, number> = {};
  for (const c of ov.constraints) {
    const k = `${c.kind}|${c.zone ?? ''}`;
    groups[k] = (groups[k] ?? 0) + (c.overlapAreaM2 ?? 0);
  }
  for (const s of ov.slivers) {
    const k = `${s.kind}|${s.zone ?? ''}`;
    groups[k] = (groups[k] ?? 0) + s.areaM2;
  }
  return { site, groups };
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

const maker = new SiteMaker(bundle, seed);
const warm = new SiteMaker(bundle, seed + 1000);
const sites: MeasuredSite[] = [];
const evaluate = {} as InProcessReport['evaluate'];
let id = 0;
for (const kind of kinds) {
  // The measured sites: inside the jurisdiction (as the evaluation judges it).
  const reqs: BenchRequest[] = [];
  while (reqs.length < counts[kind]) {
    const req = maker.request(kind, reqs.length);
    const a = await engineAreas(req);
    if (!a) continue;
    reqs.push(req);
    sites.push({
      kind,
      geometry: a.site.type === 'point' ? { type: 'Point', coordinates: a.site.point } : { type: 'MultiPolygon', coordinates: a.site.polygons },
      engine: a.groups,
      siteAreaM2: a.site.areaM2,
    });
  }
  // Warm-up on other sites of the same kind (JIT), then each measured site once.
  for (let i = 0; i < Math.min(200, counts[kind]); i++) {
    try {
      await evaluateProject(ctx, warm.request(kind, i) as never, { decisionId: `w${id++}`, now: new Date() });
    } catch {
      /* outside: ignored */
    }
  }
  gc();
  const times: number[] = [];
  let ok = 0;
  const cpu0 = process.cpuUsage();
  for (const req of reqs) {
    const t = performance.now();
    try {
      await evaluateProject(ctx, req as never, { decisionId: String(id++), now: new Date() });
      ok++;
    } catch {
      /* counted as not ok */
    }
    times.push(performance.now() - t);
  }
  const c = process.cpuUsage(cpu0);
  times.sort((x, y) => x - y);
  // The overlay alone, the work PostGIS's query does: read the site, index candidates, exact
  // ellipsoidal overlap per kind and zone (no distances, no policies, no decision).
  gc();
  const overlayTimes: number[] = [];
  const ocpu0 = process.cpuUsage();
  for (const req of reqs) {
    const t = performance.now();
    await engineAreas(req);
    overlayTimes.push(performance.now() - t);
  }
  const oc = process.cpuUsage(ocpu0);
  overlayTimes.sort((x, y) => x - y);
  evaluate[kind] = {
    n: reqs.length, ok, p50: quantile(times, 0.5), p99: quantile(times, 0.99),
    mean: times.reduce((x, y) => x + y, 0) / times.length, cpuMsPerEval: (c.user + c.system) / 1000 / reqs.length,
    overlay: { p50: quantile(overlayTimes, 0.5), p99: quantile(overlayTimes, 0.99), cpuMs: (oc.user + oc.system) / 1000 / reqs.length },
  };
}

// Request bodies of the HTTP load: distinct 1 ha sites (no two requests share a site).
const http = new SiteMaker(bundle, seed + 2000);
const bodies: string[] = [];
for (let i = 0; i < httpSites; i++) bodies.push(JSON.stringify(http.request('1ha', i)));
const httpBodies = out.replace(/\.json$/, '') + '.http-bodies.jsonl';
writeFileSync(httpBodies, bodies.join('\n') + '\n');

const report: InProcessReport = { bundle: { id: bundle.id, features: bundle.features.length, entries }, load, evaluate, sites, httpBodies };
writeFileSync(out, JSON.stringify(report));
