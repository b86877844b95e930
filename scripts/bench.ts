/**
 * npm run bench — in-process evaluation latency on a bundle (default: the demo township), by site
 * size: a point, a 1 ha square, a 100 ha square and a 10 km corridor, placed at random inside the
 * jurisdiction (seeded, reproducible). Prints p50/p99 and the stage split of one decision.
 *   npm run bench -- [bundleDir] [--n 2000]
 */
import { join } from 'node:path';
import { buildPolicyRegistry, evaluateProject, type Bundle } from '../engine/index.js';
import { loadBundleDir } from '../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../policies/index.generated.js';
import { pointInPolygons } from '../engine/geometry/index.js';

const args = process.argv.slice(2);
const nAt = args.indexOf('--n');
const n = nAt >= 0 ? Number(args[nAt + 1]) || 2000 : 2000;
const dir = args.find((a, i) => !a.startsWith('--') && i !== nAt + 1) ?? join(import.meta.dirname, '../fixtures/demo');

const t0 = performance.now();
const mem0 = process.memoryUsage().heapUsed;
const bundle: Bundle = await loadBundleDir(dir);
const loadMs = performance.now() - t0;
const heapMb = (process.memoryUsage().heapUsed - mem0) / 2 ** 20;
const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
const ctx = { bundles: new Map([[bundle.id, bundle]]), policies, engineVersion: 'bench' };

let seed = 42;
const rnd = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const inside = (): [number, number] => {
  const [w, s, e, nn] = bundle.bbox;
  for (;;) {
    const p: [number, number] = [w + rnd() * (e - w), s + rnd() * (nn - s)];
    if (bundle.boundary.some((b) => pointInPolygons(p, b.polygons!))) return p;
  }
};
const square = (c: [number, number], sideM: number) => {
  const dLat = sideM / 2 / 110_574;
  const dLon = sideM / 2 / (111_320 * Math.cos((c[1] * Math.PI) / 180));
  return { type: 'Polygon', coordinates: [[[c[0] - dLon, c[1] - dLat], [c[0] + dLon, c[1] - dLat], [c[0] + dLon, c[1] + dLat], [c[0] - dLon, c[1] + dLat], [c[0] - dLon, c[1] - dLat]]] };
};
const corridor = (c: [number, number], lengthM: number) => {
  // a gentle S-curve across the site's centre
  const pts: number[][] = [];
  const dLon = lengthM / (111_320 * Math.cos((c[1] * Math.PI) / 180));
  for (let i = 0; i <= 20; i++) pts.push([c[0] - dLon / 2 + (dLon * i) / 20, c[1] + 0.0005 * Math.sin(i)]);
  return { type: 'LineString', coordinates: pts };
};
const cases: [string, () => unknown, Record<string, unknown>][] = [
  ['point', () => ({ type: 'Point', coordinates: inside() }), {}],
  ['1 ha', () => square(inside(), 100), {}],
  ['100 ha', () => square(inside(), 1000), {}],
  ['5 km corridor', () => corridor(inside(), 5_000), { corridorWidthM: 30 }],
];

console.log(`bundle ${bundle.id}: ${bundle.features.length} features, loaded in ${loadMs.toFixed(0)} ms, heap +${heapMb.toFixed(1)} MB`);
console.log(`${'site'.padEnd(16)} ${'n'.padStart(6)} ${'ok'.padStart(6)} ${'p50 ms'.padStart(9)} ${'p99 ms'.padStart(9)} ${'mean ms'.padStart(9)}`);
let id = 0;
for (const [name, make, attrs] of cases) {
  const count = name === '5 km corridor' || name === '100 ha' ? Math.max(50, Math.floor(n / 10)) : n;
  const times: number[] = [];
  let ok = 0;
  for (let i = 0; i < count; i++) {
    const site = make();
    const t = performance.now();
    try {
      await evaluateProject(ctx, { jurisdiction: bundle.id, project: { activity: 'industrial', attributes: attrs as never }, site }, { decisionId: String(id++), now: new Date() });
      ok++;
    } catch {
      /* a site straddling the boundary: refused, still timed */
    }
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))];
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(`${name.padEnd(16)} ${String(count).padStart(6)} ${String(ok).padStart(6)} ${q(0.5).toFixed(3).padStart(9)} ${q(0.99).toFixed(3).padStart(9)} ${mean.toFixed(3).padStart(9)}`);
}
