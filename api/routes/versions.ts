/**
 * GET /v1/policies/{id}/versions and GET /v1/jurisdictions/{id}/versions: every version of a policy
 * (active, and archived ones decisions may still pin) and every map version of a jurisdiction, with
 * which one is in force. A policy version is listed once, with the window it is in force (derived
 * from the sequence of versions; its document is never rewritten) and the dates its document declares.
 * Also the strict date checks of the version, replay, impact and log routes.
 */
import { Hono } from 'hono';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';
import type { History } from '../storage/history.js';
import { deriveWindows } from '../../engine/policy/policy-registry.js';
import { isCalendarDate } from '../../engine/index.js';

/**
 * A date query parameter (asOf…): YYYY-MM-DD naming a day that exists — "2027-02-30" is refused,
 * not rolled over to 2 March. Returns the date, or the 400 problem naming the parameter.
 */
export function dateParam(name: string, value: string): string | Response {
  const message = `应为存在的日期 YYYY-MM-DD，实际为「${value.slice(0, 40)}」`;
  if (isCalendarDate(value)) return value;
  return problem(400, '日期无效', `${name}：${message}`, [{ path: `/${name}`, message }]);
}

/** The dependencies of the version, replay, impact, log and admin routes. */
export type VersionDeps = ResolvedDeps & { history: History };

export function versionRoutes(d: VersionDeps): Hono {
  const app = new Hono();
  const today = () => d.clock().toISOString().slice(0, 10);

  app.get('/policies/:id/versions', async (c) => {
    const id = c.req.param('id');
    const asOfParam = c.req.query('asOf');
    const asOf = asOfParam === undefined ? today() : dateParam('asOf', asOfParam);
    if (asOf instanceof Response) return asOf;
    const active = d.policies.versions(id);
    const archived = id.length <= 100 ? await d.history.store.listPolicies(id) : [];
    if (!active.length && !archived.length) return problem(404, '未知的政策', `政策 "${id.slice(0, 100)}" 不存在`, [{ path: '/id', message: '未知的政策' }]);
    const inForce = d.policies.inForce(id, asOf);
    const recorded = new Map(archived.map((p) => [p.hash, p]));
    const activeVersions = new Set(active.map((p) => p.doc.version));
    // Other texts archived under a version number (e.g. the "closed" copies an older release wrote
    // when a successor was published): decisions that pinned them replay on them. Listed with their
    // version, not as versions of their own.
    const otherTexts = (version: string, except: string | null) => archived
      .filter((p) => p.version === version && p.hash !== except)
      .map((p) => ({ hash: p.hash, effective: p.effective, source: p.source, recordedAt: p.createdAt }));
    const superseded = new Map<string, typeof archived>();
    for (const p of archived) {
      if (activeVersions.has(p.version)) continue;
      superseded.set(p.version, [...(superseded.get(p.version) ?? []), p]);
    }
    return c.json({
      id,
      asOf,
      inForce: inForce ? { version: inForce.doc.version, hash: inForce.hash } : null,
      versions: [
        // Each version once: `effective` is the window it is in force (derived from the sequence:
        // its own `to`, else the next version's `from`); `declared` is what its document says.
        ...deriveWindows(active).map(({ policy: p, window }) => ({
          version: p.doc.version, effective: window, declared: p.doc.effective, hash: p.hash, level: p.doc.level, title: p.doc.title,
          status: 'active' as const, inForce: p === inForce,
          source: recorded.get(p.hash)?.source ?? null, recordedAt: recorded.get(p.hash)?.createdAt ?? null,
          otherTexts: otherTexts(p.doc.version, p.hash),
        })),
        // Versions no longer loaded (archived texts only): one entry per version, the earliest text first.
        ...[...superseded.values()].map(([first]) => ({
          version: first.version, effective: first.effective, declared: first.effective, hash: first.hash, level: first.level, title: first.doc.title,
          status: 'superseded' as const, inForce: false, source: first.source, recordedAt: first.createdAt,
          otherTexts: otherTexts(first.version, first.hash),
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
