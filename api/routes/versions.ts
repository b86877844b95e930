/**
 * GET /v1/policies/{id}/versions and GET /v1/jurisdictions/{id}/versions: every version of a policy
 * (active, and archived ones decisions may still pin) and every map version of a jurisdiction, with
 * which one is in force.
 */
import { Hono } from 'hono';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';
import type { History } from '../storage/history.js';

/** The dependencies of the version, replay, impact, log and admin routes. */
export type VersionDeps = ResolvedDeps & { history: History };

export function versionRoutes(d: VersionDeps): Hono {
  const app = new Hono();
  const today = () => d.clock().toISOString().slice(0, 10);

  app.get('/policies/:id/versions', async (c) => {
    const id = c.req.param('id');
    const asOf = c.req.query('asOf') ?? today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) return problem(400, '日期无效', `asOf 应为 YYYY-MM-DD，实际为 ${asOf.slice(0, 40)}`, [{ path: '/asOf', message: '应为 YYYY-MM-DD' }]);
    const active = d.policies.versions(id);
    const archived = id.length <= 100 ? await d.history.store.listPolicies(id) : [];
    if (!active.length && !archived.length) return problem(404, '未知的政策', `政策 "${id.slice(0, 100)}" 不存在`, [{ path: '/id', message: '未知的政策' }]);
    const inForce = d.policies.inForce(id, asOf);
    const activeHashes = new Set(active.map((p) => p.hash));
    const recorded = new Map(archived.map((p) => [p.hash, p]));
    return c.json({
      id,
      asOf,
      inForce: inForce ? { version: inForce.doc.version, hash: inForce.hash } : null,
      versions: [
        ...active.map((p) => ({
          version: p.doc.version, effective: p.doc.effective, hash: p.hash, level: p.doc.level, title: p.doc.title,
          status: 'active' as const, inForce: p === inForce,
          source: recorded.get(p.hash)?.source ?? null, recordedAt: recorded.get(p.hash)?.createdAt ?? null,
        })),
        // Superseded texts (e.g. a version before its validity was closed): decisions that pinned them replay on them.
        ...archived.filter((p) => !activeHashes.has(p.hash)).map((p) => ({
          version: p.version, effective: p.effective, hash: p.hash, level: p.level, title: p.doc.title,
          status: 'superseded' as const, inForce: false, source: p.source, recordedAt: p.createdAt,
        })),
      ],
    });
  });

  app.get('/jurisdictions/:id/versions', async (c) => {
    const id = c.req.param('id');
    const current = d.bundles.get(id);
    const recorded = id.length <= 64 ? await d.history.store.listBundles(id) : [];
    if (!current && !recorded.length) return problem(404, '未知的辖区', `辖区 "${id.slice(0, 64)}" 不存在`, [{ path: '/jurisdiction', message: '未知的辖区' }]);
    const activations = await d.history.store.activations(id);
    const versions: { hash: string; name: string; features: number; source: string | null; recordedAt: string | null; active: boolean; activatedAt: string[] }[] = recorded.map((v) => ({
      hash: v.hash, name: v.name, features: v.features, source: v.source, recordedAt: v.createdAt,
      active: v.hash === current?.hash,
      activatedAt: activations.filter((a) => a.hash === v.hash).map((a) => a.activatedAt),
    }));
    if (current && !versions.some((v) => v.hash === current.hash)) {
      // Loaded but not in the archive (an app built without one): listed, unrecorded.
      versions.push({ hash: current.hash, name: current.name, features: current.features.length, source: null, recordedAt: null, active: true, activatedAt: [] });
    }
    return c.json({ id, active: current?.hash ?? null, versions });
  });

  return app;
}
