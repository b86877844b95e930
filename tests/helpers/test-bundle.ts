/**
 * A small jurisdiction written by the tests, with lon/lat boxes whose ellipsoidal areas are known
 * independently (closed form over the authalic latitude), so areas can be checked exactly.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Box = [number, number, number, number]; // west, south, east, north

export const box = ([w, s, e, n]: Box) => ({
  type: 'Polygon' as const,
  coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
});

const feature = (id: string, b: Box, properties: Record<string, unknown>) => ({ type: 'Feature', id, properties, geometry: box(b) });

/** Layout of the test township (all boxes inside the boundary). */
export const LAYOUT = {
  boundary: [112.6, 26.9, 112.64, 26.94] as Box,
  farmland: [112.605, 26.905, 112.61, 26.91] as Box,
  farmland2: [112.61, 26.905, 112.612, 26.91] as Box, // shares an edge with `farmland`
  redline: [112.615, 26.905, 112.62, 26.91] as Box,
  redlineCore: [112.625, 26.905, 112.628, 26.908] as Box,
  reserve: [112.63, 26.905, 112.633, 26.908] as Box,
  concentrated: [112.605, 26.92, 112.615, 26.93] as Box,
  special: [112.62, 26.92, 112.625, 26.925] as Box,
  flexible: [112.63, 26.92, 112.635, 26.925] as Box,
  heritage: [112.636, 26.93, 112.637, 26.931] as Box,
  // Extra layers (writeTestBundle(dir, id, { extras: true })) for the remaining control rules:
  water1: [112.601, 26.921, 112.603, 26.923] as Box,
  water2: [112.601, 26.924, 112.603, 26.926] as Box,
  waterQuasi: [112.601, 26.927, 112.603, 26.929] as Box,
  deposit: [112.626, 26.912, 112.63, 26.916] as Box,
  monument: [112.6365, 26.9205, 112.6368, 26.9208] as Box, // a heritage footprint without rings
  bigArable: [112.616, 26.931, 112.626, 26.935] as Box, // ≈ 44 ha of arable land
  reserveOnArable: [112.617, 26.932, 112.621, 26.934] as Box, // ≈ 8.8 ha of farmland reserve designated on that arable land
  expresswayLat: 26.937, // an expressway along this parallel, road land 20 m wide
};

export function writeTestBundle(dir: string, id = 'test-town', opts: { extras?: boolean } = {}): string {
  mkdirSync(join(dir, 'layers'), { recursive: true });
  const L = LAYOUT;
  const fc = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
  writeFileSync(join(dir, 'layers/boundary.geojson'), fc([feature('b-1', L.boundary, { kind: 'boundary' })]));
  writeFileSync(
    join(dir, 'layers/controls.geojson'),
    fc([
      feature('pf-1', L.farmland, { kind: 'permanent-farmland' }),
      feature('pf-2', L.farmland2, { kind: 'permanent-farmland' }),
      feature('erl-1', L.redline, { kind: 'ecological-redline' }),
      feature('erl-core', L.redlineCore, { kind: 'ecological-redline', core: true }),
      feature('fr-1', L.reserve, { kind: 'farmland-reserve' }),
      feature('ub-c', L.concentrated, { kind: 'urban-boundary', zone: 'concentrated' }),
      feature('ub-s', L.special, { kind: 'urban-boundary', zone: 'special' }),
      feature('ub-f', L.flexible, { kind: 'urban-boundary', zone: 'flexible' }),
      feature('h-1', L.heritage, { kind: 'heritage', ring: 'protection', name: '测试文物', level: 'county' }),
      ...(opts.extras
        ? [
            feature('ws-1', L.water1, { kind: 'water-source', level: '1' }),
            feature('ws-2', L.water2, { kind: 'water-source', level: '2' }),
            feature('ws-q', L.waterQuasi, { kind: 'water-source', level: 'quasi' }),
            feature('md-1', L.deposit, { kind: 'mineral-deposit', mineral: 'coal' }),
            feature('mon-1', L.monument, { kind: 'heritage', ring: 'site', name: '测试祠堂', level: 'county' }),
            feature('ar-big', L.bigArable, { kind: 'arable-land', paddy: true }),
            feature('fr-on-ar', L.reserveOnArable, { kind: 'farmland-reserve' }),
            {
              type: 'Feature', id: 'rd-g1',
              properties: { kind: 'road', roadClass: 'expressway', widthM: 20, name: '测试高速' },
              geometry: { type: 'LineString', coordinates: [[112.6, L.expresswayLat], [112.64, L.expresswayLat]] },
            },
          ]
        : []),
    ]),
  );
  writeFileSync(
    join(dir, 'jurisdiction.json'),
    JSON.stringify({
      id, name: '测试镇', crs: 'EPSG:4490', sliverToleranceM2: 1,
      ...(opts.extras ? { policies: ['local.xiangshi-2021-2035'] } : {}),
      layers: ['layers/boundary.geojson', 'layers/controls.geojson'],
    }),
  );
  return dir;
}

/**
 * Ellipsoidal area of a lon/lat box on the CGCS2000/WGS84 ellipsoid, by the closed form over the
 * authalic latitude. (The box's edges are parallels; a geodesic polygon's edges bow slightly
 * poleward, a relative difference below 1e-5 for boxes under 1 km.)
 */
export function boxAreaM2([w, s, e, n]: Box): number {
  const a = 6378137;
  const f = 1 / 298.257222101;
  const e2 = f * (2 - f);
  const ecc = Math.sqrt(e2);
  const b2 = a * a * (1 - e2);
  const q = (phi: number) => {
    const sp = Math.sin(phi);
    return sp / (1 - e2 * sp * sp) + (1 / (2 * ecc)) * Math.log((1 + ecc * sp) / (1 - ecc * sp));
  };
  const rad = Math.PI / 180;
  return ((e - w) * rad * b2 * (q(n * rad) - q(s * rad))) / 2;
}
