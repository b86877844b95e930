import { clip } from './engine/geometry/zz-clip-dbg.ts';
const ring: number[][] = []; const cx = 112.6, cy = 26.9;
for (let k = 0; k < 4000; k++) { const t = (2 * Math.PI * k) / 4000; ring.push([cx + 0.012 * Math.cos(t) * (1 + 0.05 * Math.sin(40 * t)), cy + 0.012 * Math.sin(t)]); }
ring.push(ring[0]);
const site = [[ring]] as any;
const layer = [[[[cx - 0.005, cy - 0.02], [cx + 0.02, cy - 0.02], [cx + 0.02, cy + 0.005], [cx - 0.005, cy + 0.005], [cx - 0.005, cy - 0.02]]]] as any;
for (const op of ['intersection', 'difference', 'intersection', 'difference'] as const) {
  const t0 = performance.now(); for (let i = 0; i < 10; i++) clip(op, site, layer); console.log(op, ((performance.now() - t0) / 10).toFixed(1), 'ms nudge', (globalThis as any).__nudge);
}
