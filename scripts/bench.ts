/**
 * npm run bench — the engine at township, county (and, with --province, province) scale, against
 * PostgreSQL + PostGIS on the same data (issue 7). For each size:
 *   1. generates the jurisdiction (scripts/generate-jurisdiction.ts, seeded);
 *   2. in a child process (bench/inprocess.ts): bundle load time and memory, in-process evaluation
 *      latency and CPU for a point, a 1 ha, a 100 ha and a 10 km linear site;
 *   3. PostGIS: the same polygon layers in a GiST-indexed table; the same sites' overlay query
 *      (latency, backend CPU from /proc, areas compared with the engine's), and backend CPU per
 *      query under concurrent load;
 *   4. HTTP: the real server on the bundle with a temporary SQLite database, keep-alive clients on
 *      loopback for a fixed time, every acknowledged decision checked in the database afterwards.
 *
 *   npm run bench                          # township + county (≈ 4–6 min on 2 cores)
 *   npm run bench -- --province            # + province slice (≥ 1,000,000 features; heavy)
 *   npm run bench -- --quick               # smaller counts, shorter HTTP run
 *   npm run bench -- --sizes county --n 5000 --http-seconds 20 --concurrency 64
 *   npm run bench -- --no-postgis --no-http --keep --data data/bench --json bench/results.json --markdown
 *   npm run bench -- --cpu-prof            # also write .cpuprofile files of the in-process run and the server
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateJurisdiction, type GenerateResult, type JurisdictionSize } from './generate-jurisdiction.js';
import type { InProcessReport } from '../bench/inprocess.js';
import { SITE_KINDS, SITE_LABEL, type SiteKind } from '../bench/sites.js';
import { loadLayers, overlayClient, postgisAvailable, startCluster, type Cluster, type LoadReport } from '../bench/postgis.js';
import { missingDecisions, removeServerDir, runLoad, startServer, type LoadResult } from '../bench/http.js';
import { cpuOf, cpuSeconds, machineLoad } from '../bench/proc.js';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const has = (f: string) => args.includes(`--${f}`);
const opt = (name: string, def: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : def);
const quick = has('quick');
const sizes = (opt('sizes', has('province') ? 'township,county,province' : 'township,county').split(',').map((s) => s.trim()).filter(Boolean)) as JurisdictionSize[];
const seed = Number(opt('seed', '1'));
const n = Number(opt('n', quick ? '300' : '2000'));
const httpSeconds = Number(opt('http-seconds', quick ? '4' : '10'));
const httpWarmup = Number(opt('http-warmup', quick ? '1' : '3'));
const concurrency = Number(opt('concurrency', '32'));
const pgLoadSeconds = Number(opt('pg-seconds', quick ? '3' : '8'));
const pgConnections = Number(opt('pg-connections', '2'));
const pgSubdivide = Number(opt('pg-subdivide', '64'));
const usePostgis = !has('no-postgis');
const useHttp = !has('no-http');
const cpuProf = has('cpu-prof');
const keep = has('keep');
const dataDir = resolve(opt('data', '') || mkdtempSync(join(tmpdir(), 'zoning-bench-')));
const jsonOut = opt('json', '');
const markdown = has('markdown');

interface SiteRow { kind: SiteKind; engine: InProcessReport['evaluate'][SiteKind]; pg?: { n: number; p50: number; p99: number; cpuMsPerQuery: number }; maxRelDiff?: number; maxAbsDiffM2?: number; groupsCompared?: number; groupMismatches?: number }
interface SizeResult {
  size: JurisdictionSize;
  generated: Omit<GenerateResult, 'byKind'> & { byKind: Record<string, number> };
  inprocess: Omit<InProcessReport, 'sites'>;
  sites: SiteRow[];
  postgis?: { load: LoadReport; version: string; cpuUnderLoad: { connections: number; queries: number; cpuMsPerQuery: number; schedMsPerQuery: number; qps: number } };
  http?: Omit<LoadResult, 'acked'> & { bootMs: number; acked: number; stored: number; missing: number; serverCpuMsPerDecision: number; serverSchedMsPerDecision: number };
  loadBefore: string;
}

const say = (s: string) => process.stdout.write(s + '\n');
const fmt = (v: number | undefined, d = 2) => (v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(d));
const int = (v: number) => Math.round(v).toLocaleString('en');

function runInProcess(dir: string, out: string): InProcessReport {
  const profDir = join(dataDir, 'profiles');
  const r = spawnSync(process.execPath, [
    '--expose-gc', ...(cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', 'tsx', join(ROOT, 'bench/inprocess.ts'),
    '--bundle', dir, '--out', out, '--n', String(n), '--seed', String(seed), '--http-sites', String(Math.max(5000, 3000 * (httpSeconds + httpWarmup))),
  ], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/inprocess.ts failed (${r.status})`);
  return JSON.parse(readFileSync(out, 'utf8')) as InProcessReport;
}

async function postgisPart(cluster: Cluster, size: JurisdictionSize, dir: string, report: InProcessReport, rows: SiteRow[]): Promise<NonNullable<SizeResult['postgis']>> {
  const table = `layers_${size}`;
  const load = await loadLayers(cluster, dir, table, pgSubdivide, true);
  say(`  PostGIS: ${int(load.features)} polygon features → ${int(load.rows)} rows${pgSubdivide ? ` (ST_Subdivide ${pgSubdivide})` : ''}, GiST, ${fmt(load.tableMb, 0)} + ${fmt(load.indexMb, 0)} MB, loaded in ${fmt(load.seconds, 1)} s; invalid geometries: ${load.invalid}`);
  const client = await overlayClient(cluster, table);
  try {
    const bySite = new Map<SiteKind, typeof report.sites>();
    for (const s of report.sites) (bySite.get(s.kind) ?? bySite.set(s.kind, []).get(s.kind)!).push(s);
    // Warm-up: plan the prepared statement, touch the index.
    for (const s of report.sites.slice(0, 50)) await client.run(JSON.stringify(s.geometry));
    for (const kind of SITE_KINDS) {
      const list = bySite.get(kind) ?? [];
      const times: number[] = [];
      let maxRel = 0, maxAbs = 0, compared = 0, mismatches = 0;
      const cpu0 = cpuOf([client.pid]);
      const results: Record<string, number>[] = [];
      for (const s of list) {
        const text = JSON.stringify(s.geometry);
        const t = performance.now();
        results.push(await client.run(text));
        times.push(performance.now() - t);
      }
      const cpu = cpuSeconds(cpu0, cpuOf([client.pid]));
      list.forEach((s, i) => {
        const pgr = results[i];
        const keys = new Set([...Object.keys(pgr), ...Object.keys(s.engine)].filter((k) => !k.startsWith('boundary|')));
        for (const k of keys) {
          const p = pgr[k], e = s.engine[k];
          if (kind === 'point') {
            compared++;
            if ((p === undefined) !== (e === undefined)) mismatches++;
            continue;
          }
          const pa = p ?? 0, ea = e ?? 0;
          // A group on one side only counts when it is more than a sliver (1 m²; contract §5).
          if (Math.max(pa, ea) < 1) continue;
          compared++;
          maxAbs = Math.max(maxAbs, Math.abs(pa - ea));
          const rel = Math.abs(pa - ea) / Math.max(pa, ea);
          if (rel > maxRel) maxRel = rel;
          if (p === undefined || e === undefined) mismatches++;
        }
      });
      times.sort((a, b) => a - b);
      const row = rows.find((r) => r.kind === kind)!;
      row.pg = { n: list.length, p50: times[Math.floor(times.length / 2)], p99: times[Math.min(times.length - 1, Math.floor(times.length * 0.99))], cpuMsPerQuery: (cpu.sched * 1000) / list.length };
      row.maxRelDiff = maxRel;
      row.maxAbsDiffM2 = maxAbs;
      row.groupsCompared = compared;
      row.groupMismatches = mismatches;
    }
  } finally {
    await client.end();
  }
  // Backend CPU per 1 ha overlay under concurrent load (the same sites, cycled).
  const ha = report.sites.filter((s) => s.kind === '1ha').map((s) => JSON.stringify(s.geometry));
  const clients = await Promise.all(Array.from({ length: pgConnections }, () => overlayClient(cluster, table)));
  for (const c of clients) for (const g of ha.slice(0, 20)) await c.run(g);
  let queries = 0, next = 0;
  const pids = clients.map((c) => c.pid);
  const a = cpuOf(pids);
  const t0 = performance.now();
  const end = Date.now() + pgLoadSeconds * 1000;
  await Promise.all(clients.map(async (c) => {
    while (Date.now() < end) {
      await c.run(ha[next++ % ha.length]);
      queries++;
    }
  }));
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(a, cpuOf(pids));
  await Promise.all(clients.map((c) => c.end()));
  return { load, version: cluster.version, cpuUnderLoad: { connections: pgConnections, queries, cpuMsPerQuery: (cpu.stat * 1000) / queries, schedMsPerQuery: (cpu.sched * 1000) / queries, qps: queries / elapsed } };
}

async function httpPart(dir: string, report: InProcessReport): Promise<NonNullable<SizeResult['http']>> {
  const bodies = readFileSync(report.httpBodies, 'utf8').split('\n').filter(Boolean);
  const server = await startServer(dir, {}, cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(dataDir, 'profiles-server')}`] : []);
  try {
    const r = await runLoad(server, bodies, concurrency, httpWarmup, httpSeconds);
    await server.stop();
    const { stored, missing } = missingDecisions(server.db, r.acked);
    return {
      ...r, acked: r.acked.length, stored, missing, bootMs: server.bootMs,
      serverCpuMsPerDecision: (r.serverCpu.stat * 1000) / r.ok, serverSchedMsPerDecision: (r.serverCpu.sched * 1000) / r.ok,
    };
  } finally {
    await server.stop();
    removeServerDir(server);
  }
}

async function main(): Promise<void> {
  const t0 = performance.now();
  say(`npm run bench — ${new Date().toISOString()} — node ${process.version}, ${machineLoad()}`);
  say(`sizes ${sizes.join(', ')}; in-process n=${n} (100 ha n/20, 10 km n/40); HTTP ${concurrency} clients × ${httpSeconds} s after ${httpWarmup} s warm-up; PostGIS ${pgConnections} connections × ${pgLoadSeconds} s; data in ${dataDir}`);
  mkdirSync(dataDir, { recursive: true });
  let cluster: Cluster | null = null;
  const why = usePostgis ? postgisAvailable() : 'off';
  if (usePostgis && why) say(`PostGIS skipped: ${why}`);
  if (usePostgis && !why) {
    cluster = startCluster(56_000 + Math.floor(Math.random() * 1000));
    say(`PostgreSQL cluster: ${cluster.version}, 127.0.0.1:${cluster.port}`);
  }
  const results: SizeResult[] = [];
  try {
    for (const size of sizes) {
      const dir = join(dataDir, size);
      say(`\n== ${size} (seed ${seed}) — ${machineLoad()}`);
      const loadBefore = machineLoad();
      const g = generateJurisdiction({ size, seed, out: dir });
      say(`  generated ${g.id}: ${int(g.features)} features, ${int(g.areaHa)} ha, ${int(g.vertices)} vertices, ${fmt(g.bytes / 2 ** 20, 1)} MiB in ${g.files.length} files, ${fmt(g.seconds, 1)} s`);
      const ip = runInProcess(dir, join(dataDir, `${size}.inprocess.json`));
      const l = ip.load;
      say(`  load: ${fmt(l.wallMs / 1000, 2)} s wall, ${fmt(l.cpuMs / 1000, 2)} s CPU; RSS +${fmt(l.rssDeltaMb, 0)} MB after GC (peak +${fmt(l.peakRssDeltaMb, 0)} MB), heap +${fmt(l.heapDeltaMb, 0)} MB; ${int(ip.bundle.entries)} index entries`);
      const rows: SiteRow[] = SITE_KINDS.map((kind) => ({ kind, engine: ip.evaluate[kind] }));
      const res: SizeResult = { size, generated: g, inprocess: { ...ip, sites: undefined } as unknown as SizeResult['inprocess'], sites: rows, loadBefore };
      if (cluster) res.postgis = await postgisPart(cluster, size, dir, ip, rows);
      printSites(rows);
      if (res.postgis) {
        const c = res.postgis.cpuUnderLoad;
        say(`  PostGIS under load (1 ha, ${c.connections} connections): ${int(c.qps)} queries/s, backend CPU ${fmt(c.cpuMsPerQuery, 3)} ms/query (stat), ${fmt(c.schedMsPerQuery, 3)} ms (schedstat)`);
      }
      if (useHttp) {
        const h = (res.http = await httpPart(dir, ip));
        say(`  HTTP (1 ha sites, ${h.concurrency} clients, ${fmt(h.seconds, 1)} s, server booted in ${fmt(h.bootMs / 1000, 1)} s): ${int(h.throughput)} decisions/s stored, p50 ${fmt(h.p50)} ms, p99 ${fmt(h.p99)} ms; statuses ${JSON.stringify(h.statuses)}`);
        say(`    server CPU ${fmt(h.serverCpuMsPerDecision, 3)} ms/decision (stat), ${fmt(h.serverSchedMsPerDecision, 3)} ms (schedstat); client CPU ${fmt((h.clientCpuS * 1000) / Math.max(1, h.ok), 3)} ms/request; machine busy ${fmt(h.machineBusy * 100, 0)}%`);
        const byThread = Object.entries(h.serverThreads).sort((a, b) => b[1] - a[1]).map(([name, s]) => `${name} ${fmt((s * 1000) / Math.max(1, h.ok), 3)}`).join(', ');
        say(`    server CPU by thread (ms/decision): ${byThread}`);
        say(`    acknowledged ${int(h.acked)}, in the database ${int(h.stored)}, missing ${h.missing}${h.distinctSites ? '' : ' (sites repeated: raise --http-sites)'}`);
      }
      results.push(res);
      rmSync(ip.httpBodies, { force: true });
      if (!keep) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    cluster?.stop();
    if (!keep && !opt('data', '')) rmSync(dataDir, { recursive: true, force: true });
  }
  printSummary(results);
  if (markdown) printMarkdown(results);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ date: new Date().toISOString(), node: process.version, args, results }, null, 2));
  say(`\nbench finished in ${fmt((performance.now() - t0) / 1000, 0)} s — ${machineLoad()}`);
}

function printSites(rows: SiteRow[]): void {
  say(`  ${'site'.padEnd(13)}${'n'.padStart(6)}  ${'engine p50'.padStart(10)} ${'p99'.padStart(8)} ${'CPU/eval'.padStart(9)} │ ${'overlay p50'.padStart(11)} ${'CPU'.padStart(7)} │ ${'PostGIS p50'.padStart(11)} ${'p99'.padStart(8)} ${'CPU/q'.padStart(8)} │ ${'p50 ×'.padStart(6)} ${'ovl ×'.padStart(6)} │ ${'max Δarea'.padStart(10)}`);
  for (const r of rows) {
    const e = r.engine, p = r.pg;
    say(`  ${SITE_LABEL[r.kind].padEnd(13)}${String(e.n).padStart(6)}  ${fmt(e.p50, 3).padStart(10)} ${fmt(e.p99, 2).padStart(8)} ${fmt(e.cpuMsPerEval, 3).padStart(9)} │ ${fmt(e.overlay.p50, 3).padStart(11)} ${fmt(e.overlay.cpuMs, 3).padStart(7)} │ ${fmt(p?.p50, 3).padStart(11)} ${fmt(p?.p99, 2).padStart(8)} ${fmt(p?.cpuMsPerQuery, 3).padStart(8)} │ ${fmt(p ? p.p50 / e.p50 : undefined, 1).padStart(6)} ${fmt(p ? p.p50 / e.overlay.p50 : undefined, 1).padStart(6)} │ ${(r.maxRelDiff === undefined ? '—' : r.kind === 'point' ? `${r.groupMismatches}/${r.groupsCompared} differ` : `${(r.maxRelDiff * 100).toExponential(1)}%`).padStart(10)}`);
  }
  say('  (ms; "×" = PostGIS ÷ engine, > 1 means the engine is faster: "p50 ×" the whole evaluation, "ovl ×" the overlay alone — read the site, index candidates, exact ellipsoidal overlap per kind and zone — which is the work of the PostGIS query; CPU/eval = whole evaluation in-process, CPU/q = PostgreSQL backend; Δarea = largest relative difference of an overlap area > 1 m² per kind and zone)');
}

function printSummary(results: SizeResult[]): void {
  say('\n== summary');
  say(`${'size'.padEnd(9)} ${'features'.padStart(10)} ${'ha'.padStart(10)} ${'load s'.padStart(7)} ${'RSS MB'.padStart(7)} ${'heap MB'.padStart(8)} ${'1ha p50'.padStart(8)} ${'PG 1ha'.padStart(8)} ${'HTTP/s'.padStart(7)} ${'p99 ms'.padStart(7)} ${'srv ms/dec'.padStart(10)} ${'PG ms/q'.padStart(8)} ${'max Δarea'.padStart(10)}`);
  for (const r of results) {
    const ha = r.sites.find((s) => s.kind === '1ha')!;
    const maxRel = Math.max(...r.sites.filter((s) => s.kind !== 'point').map((s) => s.maxRelDiff ?? NaN));
    say(`${r.size.padEnd(9)} ${int(r.generated.features).padStart(10)} ${int(r.generated.areaHa).padStart(10)} ${fmt(r.inprocess.load.wallMs / 1000, 2).padStart(7)} ${fmt(r.inprocess.load.rssDeltaMb, 0).padStart(7)} ${fmt(r.inprocess.load.heapDeltaMb, 0).padStart(8)} ${fmt(ha.engine.p50, 3).padStart(8)} ${fmt(ha.pg?.p50, 3).padStart(8)} ${(r.http ? int(r.http.throughput) : '—').padStart(7)} ${fmt(r.http?.p99, 1).padStart(7)} ${fmt(r.http?.serverCpuMsPerDecision, 3).padStart(10)} ${fmt(r.postgis?.cpuUnderLoad.cpuMsPerQuery, 3).padStart(8)} ${(Number.isFinite(maxRel) ? `${(maxRel * 100).toExponential(1)}%` : '—').padStart(10)}`);
  }
  const county = results.find((r) => r.size === 'county');
  if (!county) return;
  const ha = county.sites.find((s) => s.kind === '1ha')!;
  const maxRel = Math.max(...county.sites.filter((s) => s.kind !== 'point').map((s) => s.maxRelDiff ?? NaN));
  const check = (ok: boolean | undefined, what: string, got: string) => say(`  ${ok === undefined ? '·' : ok ? '✓' : '✗'} ${what.padEnd(58)} ${got}`);
  say('\ntargets at county size:');
  check(county.http && county.postgis ? county.http.serverCpuMsPerDecision <= county.postgis.cpuUnderLoad.cpuMsPerQuery : undefined, 'server CPU per stored decision ≤ PostGIS CPU per overlay', `${fmt(county.http?.serverCpuMsPerDecision, 3)} vs ${fmt(county.postgis?.cpuUnderLoad.cpuMsPerQuery, 3)} ms`);
  check(ha.engine.p50 <= 1, '1 ha p50 ≤ 1 ms in-process', `${fmt(ha.engine.p50, 3)} ms`);
  check(ha.pg ? ha.pg.p50 / ha.engine.p50 >= 3 : undefined, '1 ha whole evaluation ≥ 3× faster than PostGIS overlay (p50)', `${fmt(ha.pg ? ha.pg.p50 / ha.engine.p50 : undefined, 1)}×`);
  check(ha.pg ? ha.pg.p50 / ha.engine.overlay.p50 >= 3 : undefined, '1 ha overlay alone ≥ 3× faster than PostGIS overlay (p50)', `${fmt(ha.pg ? ha.pg.p50 / ha.engine.overlay.p50 : undefined, 1)}× (${fmt(ha.engine.overlay.p50, 3)} vs ${fmt(ha.pg?.p50, 3)} ms)`);
  check(Number.isFinite(maxRel) ? maxRel <= 1e-4 : undefined, 'areas within 0.01% of PostGIS', Number.isFinite(maxRel) ? `${(maxRel * 100).toExponential(1)}%` : '—');
  check(county.http ? county.http.throughput >= 2000 && county.http.missing === 0 : undefined, 'HTTP ≥ 2,000 evaluations/s, every decision stored', county.http ? `${int(county.http.throughput)}/s, missing ${county.http.missing}` : '—');
  check(county.inprocess.load.wallMs <= 5000 && county.inprocess.load.rssDeltaMb <= 500, 'load ≤ 5 s and ≤ 500 MB', `${fmt(county.inprocess.load.wallMs / 1000, 2)} s, RSS +${fmt(county.inprocess.load.rssDeltaMb, 0)} MB (heap +${fmt(county.inprocess.load.heapDeltaMb, 0)} MB)`);
}

function printMarkdown(results: SizeResult[]): void {
  say('\n| size | features | area (ha) | load (s) | RSS / heap (MB) | site | engine p50 / p99 (ms) | engine CPU/eval (ms) | overlay alone p50 (ms) | PostGIS p50 / p99 (ms) | PostGIS CPU/query (ms) | PostGIS ÷ engine (p50) | PostGIS ÷ overlay alone (p50) | max Δarea |');
  say('|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    r.sites.forEach((s, i) => {
      const head = i === 0
        ? `| ${r.size} | ${int(r.generated.features)} | ${int(r.generated.areaHa)} | ${fmt(r.inprocess.load.wallMs / 1000, 2)} | ${fmt(r.inprocess.load.rssDeltaMb, 0)} / ${fmt(r.inprocess.load.heapDeltaMb, 0)} |`
        : '| | | | | |';
      const diff = s.maxRelDiff === undefined ? '—' : s.kind === 'point' ? `${s.groupMismatches} of ${s.groupsCompared} hits differ` : `${(s.maxRelDiff * 100).toExponential(1)}%`;
      say(`${head} ${SITE_LABEL[s.kind]} | ${fmt(s.engine.p50, 3)} / ${fmt(s.engine.p99, 2)} | ${fmt(s.engine.cpuMsPerEval, 3)} | ${fmt(s.engine.overlay.p50, 3)} | ${fmt(s.pg?.p50, 3)} / ${fmt(s.pg?.p99, 2)} | ${fmt(s.pg?.cpuMsPerQuery, 3)} | ${fmt(s.pg ? s.pg.p50 / s.engine.p50 : undefined, 1)}× | ${fmt(s.pg ? s.pg.p50 / s.engine.overlay.p50 : undefined, 1)}× | ${diff} |`);
    });
  }
  say('\n| size | HTTP decisions/s stored | p50 / p99 (ms) | server CPU per decision (ms) | PostGIS CPU per 1 ha overlay under load (ms) | acknowledged / missing |');
  say('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const h = r.http;
    say(`| ${r.size} | ${h ? int(h.throughput) : '—'} | ${h ? `${fmt(h.p50, 1)} / ${fmt(h.p99, 1)}` : '—'} | ${fmt(h?.serverCpuMsPerDecision, 3)} | ${fmt(r.postgis?.cpuUnderLoad.cpuMsPerQuery, 3)} | ${h ? `${int(h.acked)} / ${h.missing}` : '—'} |`);
  }
}

await main();
