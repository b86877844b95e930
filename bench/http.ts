/**
 * The HTTP part of the benchmark: the real server (`npx tsx api/node/server.ts`) on a bundle and a
 * temporary SQLite database, driven on loopback by keep-alive clients (node:http Agent, as
 * scripts/load.ts) for a fixed time after a warm-up. Throughput counts decisions acknowledged with
 * 200; every acknowledged decision id is looked up in the database file after the server stopped.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { cpuOf, cpuSeconds, machineWindow, processTree, threadSeconds, threadTicks } from './proc.js';

const ROOT = join(import.meta.dirname, '..');

export interface Server { port: number; pid: number; bootMs: number; db: string; dir: string; log: () => string; stop(): Promise<void> }

/**
 * `npx tsx api/node/server.ts` (as `npm start`); with `nodeArgs` (e.g. --cpu-prof, which
 * NODE_OPTIONS refuses) `node <nodeArgs> --import tsx api/node/server.ts` instead.
 */
export async function startServer(bundleDir: string, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'zoning-bench-http-'));
  const db = join(dir, 'bench.db');
  const t0 = performance.now();
  const [cmd, argv] = nodeArgs.length ? [process.execPath, [...nodeArgs, '--import', 'tsx', 'api/node/server.ts']] : ['npx', ['tsx', 'api/node/server.ts']];
  const child: ChildProcess = spawn(cmd, argv, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ZONING_BUNDLES: bundleDir, ZONING_DB: db, ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let log = '';
  child.stdout!.on('data', (b) => (log += b));
  child.stderr!.on('data', (b) => (log += b));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = log.match(/listening on http:\/\/localhost:(\d+)/);
      if (m) {
        clearInterval(timer);
        resolve(Number(m[1]));
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(timer);
      reject(new Error(`server exited (${code}):\n${log.slice(-3000)}`));
    });
  });
  const bootMs = performance.now() - t0;
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  return {
    port, pid: child.pid!, bootMs, db, dir, log: () => log,
    async stop() {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    },
  };
}

export interface LoadResult {
  concurrency: number;
  seconds: number;
  ok: number;
  throughput: number;
  p50: number;
  p99: number;
  statuses: Record<string, number>;
  acked: string[];
  /** Server process tree CPU during the measured window (seconds): /proc stat and schedstat. */
  serverCpu: { stat: number; sched: number };
  /** The same by thread name (seconds): the JavaScript thread, V8's helpers (GC), libuv's pool. */
  serverThreads: Record<string, number>;
  clientCpuS: number;
  machineBusy: number;
  distinctSites: boolean;
}

/** Drives the server: `warmupS` unmeasured, then `seconds` measured; bodies in order, distinct while they last. */
export async function runLoad(server: Server, bodies: string[], concurrency: number, warmupS: number, seconds: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const call = (body: string) =>
    new Promise<{ status: number; text: string }>((resolve) => {
      const r = request({ host: '127.0.0.1', port: server.port, path: '/v1/evaluate', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (d: Buffer) => chunks.push(d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8', 0, 300) }));
      });
      r.on('error', () => resolve({ status: 0, text: '' }));
      r.end(body);
    });
  const pids = processTree(server.pid);
  let next = 0;
  let measuring = false;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const acked: string[] = [];
  const allAcked: string[] = [];
  const tStart = Date.now();
  const warmEnd = tStart + warmupS * 1000;
  const end = warmEnd + seconds * 1000;
  let cpuA = cpuOf(pids), cpuB = cpuA;
  let threadsA = threadTicks(pids), threadsB = threadsA;
  let client0 = process.cpuUsage(), clientCpu = { user: 0, system: 0 };
  let machine = machineWindow();
  let busy = 0;
  let windowStart = 0, windowEnd = 0;
  const switcher = setInterval(() => {
    const now = Date.now();
    if (!measuring && now >= warmEnd && windowStart === 0) {
      measuring = true;
      windowStart = performance.now();
      cpuA = cpuOf(pids);
      threadsA = threadTicks(pids);
      client0 = process.cpuUsage();
      machine = machineWindow();
    } else if (measuring && now >= end) {
      measuring = false;
      windowEnd = performance.now();
      cpuB = cpuOf(pids);
      threadsB = threadTicks(pids);
      clientCpu = process.cpuUsage(client0);
      busy = machine.stop().busyShare;
    }
  }, 5);
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const body = bodies[next++ % bodies.length];
        const counted = measuring;
        const t = performance.now();
        const r = await call(body);
        const m = r.status === 200 ? /"decisionId":"([^"]+)"/.exec(r.text) : null;
        if (m) allAcked.push(m[1]);
        if (!counted || !measuring) continue; // only requests started and finished inside the window
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        if (r.status === 200) {
          latencies.push(performance.now() - t);
          if (m) acked.push(m[1]);
        }
      }
    }),
  );
  clearInterval(switcher);
  if (windowEnd === 0) {
    windowEnd = performance.now();
    cpuB = cpuOf(pids);
    threadsB = threadTicks(pids);
    clientCpu = process.cpuUsage(client0);
    busy = machine.stop().busyShare;
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const q = (p: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
  const elapsed = (windowEnd - windowStart) / 1000;
  return {
    concurrency, seconds: elapsed, ok: statuses['200'] ?? 0, throughput: (statuses['200'] ?? 0) / elapsed, p50: q(0.5), p99: q(0.99), statuses,
    acked: allAcked, serverCpu: cpuSeconds(cpuA, cpuB), serverThreads: threadSeconds(threadsA, threadsB), clientCpuS: (clientCpu.user + clientCpu.system) / 1e6, machineBusy: busy,
    distinctSites: next <= bodies.length,
  };
}

/** After the server stopped: how many acknowledged decisions are missing from its database. */
export function missingDecisions(dbFile: string, acked: string[]): { stored: number; missing: number } {
  const db = new Database(dbFile, { readonly: true });
  try {
    const ids = new Set((db.prepare('SELECT id FROM decisions').pluck().all() as string[]));
    return { stored: ids.size, missing: acked.filter((id) => !ids.has(id)).length };
  } finally {
    db.close();
  }
}

export function removeServerDir(server: Server): void {
  rmSync(server.dir, { recursive: true, force: true });
}
