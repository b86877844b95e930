/**
 * Every fact the engine provides to policy rules. A rule may read only these
 * (checked at policy load). Facts are flat: no JSON paths.
 */
import { ATTRIBUTE_IDS, LAYER_KIND_IDS } from '../vocabulary.js';

export interface FactDef {
  type: 'string' | 'boolean' | 'number' | 'string[]';
  scope: 'project' | 'site' | 'constraint';
  description: string;
}

const CONSTANT_FACTS: Record<string, FactDef> = {
  activity: { type: 'string', scope: 'project', description: 'project.activity (contract §3)' },
  kind: { type: 'string', scope: 'constraint', description: 'layer kind of the constraint being judged (absent for land supply)' },
  zone: {
    type: 'string', scope: 'constraint',
    description: 'zone / level / ring / line / roadClass value of the constraint; derived zones: urban-boundary "outside", ecological-redline "core"',
  },
  overlapAreaM2: { type: 'number', scope: 'constraint', description: 'ellipsoidal overlap of the site with the constraint, m² (null for a point site)' },
  overlapShare: { type: 'number', scope: 'constraint', description: 'overlap / site area, 0..1 (null for a point site)' },
  distanceM: {
    type: 'number', scope: 'constraint',
    description: 'distance from the site to the constraint, m, for the kinds judged by distance (0 when they overlap; null for other kinds). road: to the edge of the road land (centreline distance less widthM/2); heritage ring "site": to the monument footprint. Road and heritage-site constraints are reported within the search radius (300 m) even without overlap.',
  },
  featureCount: { type: 'number', scope: 'constraint', description: 'number of features of the constraint the site touches' },
  paddy: { type: 'boolean', scope: 'constraint', description: 'arable-land: some touched feature is paddy (水田)' },
  featureLevel: {
    type: 'string', scope: 'constraint',
    description: 'heritage: the highest `level` among touched features (national > provincial > municipal > county); public-forest: its level',
  },
  depositMinerals: { type: 'string[]', scope: 'constraint', description: 'mineral-deposit: the `mineral` values of the touched deposits' },
  siteAreaM2: { type: 'number', scope: 'site', description: 'ellipsoidal area of the site, m² (0 for a point)' },
  siteType: { type: 'string', scope: 'site', description: '"point" | "polygon" | "corridor" (a buffered line)' },
  touchedKinds: { type: 'string[]', scope: 'site', description: 'kinds the site touches (use operator contains)' },
  outsideUrbanBoundary: { type: 'boolean', scope: 'site', description: 'some part of the site (above the sliver tolerance) lies outside every urban-boundary feature' },
  areaOutsideUrbanBoundaryM2: { type: 'number', scope: 'site', description: 'area of the site outside the urban boundary, m²' },
  arableOtherThanPfAreaM2: {
    type: 'number', scope: 'site',
    description: '耕地 other than permanent farmland on the site: the union of the arable-land and farmland-reserve overlaps (a reserve designated on arable land counts once), m² (土地管理法第四十六条)',
  },
  otherLandAreaM2: { type: 'number', scope: 'site', description: 'site area less permanent farmland and other arable land, m² (其他土地)' },
};

/** `area.<kind>`: the site's overlap with all features of that kind, m² (0 when untouched). */
const AREA_FACTS: Record<string, FactDef> = Object.fromEntries(
  LAYER_KIND_IDS.map((k) => [`area.${k}`, { type: 'number', scope: 'site', description: `overlap with every ${k} feature, m²` } as FactDef]),
);

const ATTRIBUTE_FACTS: Record<string, FactDef> = Object.fromEntries(
  ATTRIBUTE_IDS.map((a) => [a, { type: 'string', scope: 'project', description: `project.attributes.${a} (undefined when unstated)` } as FactDef]),
);

export const FACT_CATALOG: Record<string, FactDef> = { ...CONSTANT_FACTS, ...AREA_FACTS, ...ATTRIBUTE_FACTS };

export function isKnownFact(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(FACT_CATALOG, id);
}
