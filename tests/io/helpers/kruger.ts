/**
 * An independent Gauss-Krüger forward projection (Krüger's series in n to the 4th order, as in
 * Karney 2011 / the UTM formulas), used to write the test files, so the reader's proj4 definitions
 * are checked against code that does not share them. Accurate to ≪ 1 mm within a zone.
 */
const A = 6378137;
const F = 1 / 298.257222101;

const n = F / (2 - F);
const Ahat = (A / (1 + n)) * (1 + n ** 2 / 4 + n ** 4 / 64);
const alpha = [
  n / 2 - (2 * n ** 2) / 3 + (5 * n ** 3) / 16 + (41 * n ** 4) / 180,
  (13 * n ** 2) / 48 - (3 * n ** 3) / 5 + (557 * n ** 4) / 1440,
  (61 * n ** 3) / 240 - (103 * n ** 4) / 140,
  (49561 * n ** 4) / 161280,
];

/** [lon, lat] → { x: northing, y: easting without zone prefix } for a central meridian. */
export function krugerForward(lon: number, lat: number, lon0: number): { x: number; y: number } {
  const phi = (lat * Math.PI) / 180;
  const dl = ((lon - lon0) * Math.PI) / 180;
  const c = (2 * Math.sqrt(n)) / (1 + n);
  const t = Math.sinh(Math.atanh(Math.sin(phi)) - c * Math.atanh(c * Math.sin(phi)));
  const xi = Math.atan(t / Math.cos(dl));
  const eta = Math.atanh(Math.sin(dl) / Math.sqrt(1 + t * t));
  let E = eta;
  let N = xi;
  for (let j = 1; j <= 4; j++) {
    E += alpha[j - 1] * Math.cos(2 * j * xi) * Math.sinh(2 * j * eta);
    N += alpha[j - 1] * Math.sin(2 * j * xi) * Math.cosh(2 * j * eta);
  }
  return { x: Ahat * N, y: 500000 + Ahat * E };
}

export const cm3 = (zone: number) => 3 * zone;
export const cm6 = (zone: number) => 6 * zone - 3;
