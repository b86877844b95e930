/** Spawning the real `zoning` bin, and generating sites inside the demo township. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '../..');
export const BIN = join(ROOT, 'bin/zoning.mjs');

export interface RunResult { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }

export function start(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { child: ChildProcess; done: Promise<RunResult> } {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ZONING_BUNDLES: '', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 }));
  });
  return { child, done };
}

export const zoning = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) => start(args, opts).done;

/** Resolves when the child's stderr matches `re` (or rejects when it exits first). */
export function waitForStderr(child: ChildProcess, re: RegExp, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re} in stderr:\n${buf}`)), timeoutMs);
    const onData = (s: string | Buffer) => {
      buf += s.toString();
      if (re.test(buf)) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve();
      }
    };
    child.stderr!.on('data', onData);
    child.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`exited before ${re} appeared in stderr:\n${buf}`));
    });
  });
}

type Pos = [number, number];

/** The demo township's boundary ring, and a seeded point-in-boundary sampler. */
export function townshipSampler(seed = 20261125) {
  const g = JSON.parse(readFileSync(join(ROOT, 'fixtures/demo/layers/boundary.geojson'), 'utf8')).features[0].geometry;
  const ring: Pos[] = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
  const xs = ring.map((p) => p[0]);
  const ys = ring.map((p) => p[1]);
  const [w, s, e, n] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
  const inside = ([x, y]: Pos) => {
    let c = false;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
    }
    return c;
  };
  let state = seed >>> 0;
  const rnd = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  return {
    point(): Pos {
      for (;;) {
        const p: Pos = [w + rnd() * (e - w), s + rnd() * (n - s)];
        if (inside(p)) return p;
      }
    },
    rnd,
  };
}

/** A square of `sideM` metres centred on `c`. */
export function square(c: Pos, sideM: number) {
  const dLat = sideM / 2 / 110_574;
  const dLon = sideM / 2 / (111_320 * Math.cos((c[1] * Math.PI) / 180));
  return {
    type: 'Polygon',
    coordinates: [[[c[0] - dLon, c[1] - dLat], [c[0] + dLon, c[1] - dLat], [c[0] + dLon, c[1] + dLat], [c[0] - dLon, c[1] + dLat], [c[0] - dLon, c[1] - dLat]]],
  };
}

/** `n` sites in the township: alternately points and 30 m squares; some override activity / attributes. */
export function generateSites(n: number, seed?: number) {
  const sampler = townshipSampler(seed);
  const acts = ['industrial', 'housing', 'transport', 'rural-housing', 'patrol', 'commercial'];
  const features = [];
  for (let i = 0; i < n; i++) {
    const p = sampler.point();
    const props: Record<string, unknown> = { name: `地块 ${i + 1}` };
    if (i % 5 === 0) props.activity = acts[i % acts.length];
    if (i % 11 === 0) props.attributes = { unavoidable: true };
    if (i % 13 === 0) props.keyProjectSector = 'transport';
    features.push({ type: 'Feature', id: `site-${i + 1}`, properties: props, geometry: i % 2 ? { type: 'Point', coordinates: p } : square(p, 30) });
  }
  return { type: 'FeatureCollection', features };
}
