/** Seeded random sites over a jurisdiction's bbox: points, 1 ha and 100 ha squares, corridors. */
import type { EvaluateInput } from '../../../engine/index.js';

export type SiteKind = 'point' | '1ha' | '100ha' | 'corridor';

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const POLYGON_ACTIVITIES = ['industrial', 'housing', 'commercial', 'public-service', 'transport', 'ecological-restoration'];
const POINT_ACTIVITIES = ['rural-housing', 'patrol', 'research-monitoring'];

/** A square of `sideM` metres centred at (lon, lat), as a GeoJSON Polygon (7 decimals, like the fixtures). */
export function square(lon: number, lat: number, sideM: number) {
  const dLat = sideM / 2 / 110_574;
  const dLon = sideM / 2 / (111_320 * Math.cos((lat * Math.PI) / 180));
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  const [w, s, e, n] = [r(lon - dLon), r(lat - dLat), r(lon + dLon), r(lat + dLat)];
  return { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] };
}

export function randomSites(jurisdiction: string, bbox: [number, number, number, number], n: number, seed: number, kinds: SiteKind[] = ['point', '1ha', '1ha', '100ha', 'corridor', 'point', '1ha']): { kind: SiteKind; input: EvaluateInput }[] {
  const rnd = mulberry32(seed);
  const [w, s, e, nn] = bbox;
  const out: { kind: SiteKind; input: EvaluateInput }[] = [];
  const r7 = (v: number) => Math.round(v * 1e7) / 1e7;
  for (let i = 0; i < n; i++) {
    const kind = kinds[i % kinds.length];
    // The inner 80% of the box: most sites fall inside the boundary, a few straddle or miss it.
    const lon = w + (0.1 + 0.8 * rnd()) * (e - w);
    const lat = s + (0.1 + 0.8 * rnd()) * (nn - s);
    const pick = (a: string[]) => a[Math.floor(rnd() * a.length)];
    let input: EvaluateInput;
    if (kind === 'point') {
      input = { jurisdiction, project: { name: `点 ${i}`, activity: pick(POINT_ACTIVITIES) }, site: { type: 'Point', coordinates: [r7(lon), r7(lat)] } };
    } else if (kind === 'corridor') {
      const pts: number[][] = [[r7(lon), r7(lat)]];
      let a = rnd() * 2 * Math.PI;
      let [x, y] = [lon, lat];
      for (let k = 0; k < 4; k++) {
        a += (rnd() - 0.5) * 0.8;
        const m = 600 + 400 * rnd();
        x += (m * Math.cos(a)) / (111_320 * Math.cos((lat * Math.PI) / 180));
        y += (m * Math.sin(a)) / 110_574;
        pts.push([r7(x), r7(y)]);
      }
      input = { jurisdiction, project: { name: `廊道 ${i}`, activity: 'linear-infrastructure', attributes: { corridorWidthM: 20 } }, site: { type: 'LineString', coordinates: pts } };
    } else {
      input = { jurisdiction, project: { name: `${kind} ${i}`, activity: pick(POLYGON_ACTIVITIES) }, site: square(lon, lat, kind === '1ha' ? 100 : 1000) };
    }
    out.push({ kind, input });
  }
  return out;
}
