/** Read-only catalogue: jurisdictions, activities, attributes, kinds, policies (contract §2–§4). */
import { Hono } from 'hono';
import {
  ACTIVITIES, ATTRIBUTES, AUTHORITIES, DERIVED_ZONES, LAND_SUPPLY_METHODS, LAYER_KINDS, ZONE_VALUES, FACT_CATALOG,
  effectiveWindow, type CompiledPolicy, type EffectiveWindow,
} from '../../engine/index.js';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';
import { dateParam } from './versions.js';

export function catalogRoutes(d: ResolvedDeps): Hono {
  const app = new Hono();
  const today = () => d.clock().toISOString().slice(0, 10);
  const summarize = (p: CompiledPolicy) => summary(p, effectiveWindow(d.policies, p));

  app.get('/jurisdictions', (c) =>
    c.json({
      jurisdictions: [...d.bundles.values()].map((b) => ({
        id: b.id, name: b.name, bundleHash: b.hash, policies: b.localPolicies, features: b.features.length, bbox: b.bbox,
      })),
    }),
  );

  app.get('/jurisdictions/:id', (c) => {
    const b = d.bundles.get(c.req.param('id'));
    if (!b) return problem(404, '未知的辖区', `辖区 "${c.req.param('id')}" 不存在`, [{ path: '/jurisdiction', message: '未知的辖区' }]);
    const asOf = today();
    return c.json({
      id: b.id,
      name: b.name,
      crs: b.manifest.crs ?? 'EPSG:4490',
      bundleHash: b.hash,
      sliverToleranceM2: b.sliverToleranceM2,
      bbox: b.bbox,
      features: b.features.length,
      policies: [
        ...d.policies.national(asOf).map(summarize),
        ...b.localPolicies.map((id) => d.policies.inForce(id, asOf)).filter((p): p is CompiledPolicy => !!p).map(summarize),
      ],
      layers: b.stats.map((s) => ({
        kind: s.kind, kindName: LAYER_KINDS[s.kind].name, zone: s.zone,
        zoneName: s.zone === null ? null : (ZONE_VALUES[s.kind]?.[s.zone] ?? (DERIVED_ZONES as Record<string, Record<string, string>>)[s.kind]?.[s.zone] ?? s.zone),
        features: s.features,
        areaM2: s.areaM2 === null ? null : Math.round(s.areaM2 * 100) / 100,
        areaHa: s.areaM2 === null ? null : Math.round(s.areaM2) / 10_000,
      })),
    });
  });

  app.get('/activities', (c) => c.json({ activities: Object.entries(ACTIVITIES).map(([id, name]) => ({ id, name })) }));

  app.get('/attributes', (c) =>
    c.json({
      attributes: Object.entries(ATTRIBUTES).map(([id, a]) => ({ id, name: a.name, type: a.type, values: a.values ?? null, question: a.question })),
    }),
  );

  app.get('/vocabulary', (c) =>
    c.json({
      kinds: Object.entries(LAYER_KINDS).map(([id, k]) => ({ id, name: k.name, zoneProperty: k.zoneProperty, values: ZONE_VALUES[id as keyof typeof LAYER_KINDS] ?? null })),
      authorities: Object.entries(AUTHORITIES).map(([id, name]) => ({ id, name })),
      landSupplyMethods: Object.entries(LAND_SUPPLY_METHODS).map(([id, name]) => ({ id, name })),
      facts: FACT_CATALOG,
    }),
  );

  app.get('/policies', (c) => c.json({ policies: d.policies.all.map(summarize) }));

  app.get('/policies/:id', (c) => {
    const id = c.req.param('id');
    const versions = d.policies.versions(id);
    if (!versions.length) return problem(404, '未知的政策', `政策 "${id}" 不存在`, [{ path: '/id', message: '未知的政策' }]);
    const wanted = c.req.query('version');
    const asOfParam = c.req.query('asOf');
    const asOf = asOfParam === undefined ? today() : dateParam('asOf', asOfParam);
    if (asOf instanceof Response) return asOf;
    const p = wanted ? versions.find((v) => v.doc.version === wanted) : (d.policies.inForce(id, asOf) ?? versions[versions.length - 1]);
    if (!p) return problem(404, '未知的政策版本', `政策 "${id}" 没有版本 ${wanted}`, [{ path: '/version', message: '未知的版本' }]);
    const { tests: _t, ...doc } = p.doc;
    return c.json({ ...doc, hash: p.hash, versions: versions.map((v) => ({ version: v.doc.version, effective: effectiveWindow(d.policies, v), hash: v.hash })), testCount: p.doc.tests.length });
  });

  return app;
}

/** A policy version in the list; `effective`: the window in which it is in force (its own `to`, else the next version's `from`). */
function summary(p: CompiledPolicy, effective: EffectiveWindow) {
  return {
    id: p.doc.id, version: p.doc.version, level: p.doc.level, title: p.doc.title, effective, hash: p.hash,
    appliesTo: p.doc.appliesTo, rules: p.doc.rules.length, clauses: p.doc.clauses.length,
  };
}
