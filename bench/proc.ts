/**
 * CPU accounting from the operating system (Linux /proc), for the benchmark: per-process utime +
 * stime (clock ticks, /proc/<pid>/stat) and on-CPU nanoseconds (/proc/<pid>/schedstat), summed over
 * a process tree; machine load (load average, busy share of all CPUs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Clock ticks per second of utime/stime (getconf CLK_TCK: 100 on Linux). */
export const CLK_TCK = 100;

export interface CpuSample { pids: number[]; ticks: number; ns: number }

function statOf(pid: number): { ppid: number; ticks: number } | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: fields after the last ')'.
    const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // rest[0] = state (field 3); ppid field 4; utime field 14; stime field 15.
    return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
  } catch {
    return null;
  }
}

function schedNs(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) || 0;
  } catch {
    return 0;
  }
}

/** The pid and all its descendants (now). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = statOf(Number(name));
    if (!st) continue;
    const l = children.get(st.ppid);
    if (l) l.push(Number(name));
    else children.set(st.ppid, [Number(name)]);
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const p = stack.pop()!;
    out.push(p);
    for (const c of children.get(p) ?? []) stack.push(c);
  }
  return out;
}

/** CPU used so far by these processes (exited ones count as 0: sample the same set twice). */
export function cpuOf(pids: number[]): CpuSample {
  let ticks = 0, ns = 0;
  for (const p of pids) {
    const st = statOf(p);
    if (st) ticks += st.ticks;
    ns += schedNs(p);
  }
  return { pids, ticks, ns };
}

/** CPU seconds between two samples of the same processes: [stat (utime+stime), schedstat]. */
export function cpuSeconds(a: CpuSample, b: CpuSample): { stat: number; sched: number } {
  return { stat: (b.ticks - a.ticks) / CLK_TCK, sched: (b.ns - a.ns) / 1e9 };
}

/** Busy and total jiffies of all CPUs (/proc/stat). */
function machineTicks(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = line[3] + (line[4] ?? 0);
  const total = line.reduce((x, y) => x + y, 0);
  return { busy: total - idle, total };
}

export interface MachineWindow { stop(): { busyShare: number; cpus: number; loadavg1: number } }

/** Starts measuring how busy the whole machine is (every process, not only ours). */
export function machineWindow(): MachineWindow {
  const a = machineTicks();
  return {
    stop() {
      const b = machineTicks();
      return { busyShare: (b.busy - a.busy) / Math.max(1, b.total - a.total), cpus: cpus().length, loadavg1: loadavg()[0] };
    },
  };
}

export function machineLoad(): string {
  const [l1, l5, l15] = loadavg();
  return `load average ${l1.toFixed(2)} ${l5.toFixed(2)} ${l15.toFixed(2)} on ${cpus().length} CPUs`;
}

/**
 * CPU ticks per thread name over processes (/proc/<pid>/task/<tid>/stat): where a server's CPU
 * goes — its JavaScript thread ("node"), V8's helper threads (garbage collection, compilation),
 * libuv's pool.
 */
export function threadTicks(pids: number[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of pids) {
    let tasks: string[] = [];
    try {
      tasks = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        const s = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
        const comm = s.slice(s.indexOf('(') + 1, s.lastIndexOf(')'));
        // Node names its helper threads like the main one: tell the JavaScript thread (tid = pid) apart.
        const name = t === String(pid) ? `${comm} (main thread)` : `${comm} (other threads)`;
        const rest = s.slice(s.lastIndexOf(')') + 2).split(' ');
        out.set(name, (out.get(name) ?? 0) + Number(rest[11]) + Number(rest[12]));
      } catch {
        /* exited */
      }
    }
  }
  return out;
}

/** Seconds of CPU per thread name between two threadTicks samples. */
export function threadSeconds(a: Map<string, number>, b: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, t] of b) {
    const d = (t - (a.get(name) ?? 0)) / CLK_TCK;
    if (d > 0) out[name] = d;
  }
  return out;
}
