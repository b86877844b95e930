/**
 * POST /v1/decisions/{id}/replay — re-evaluates a stored decision's request.
 * - No query: on the versions it pinned (the policy texts by hash, the map by bundleHash, its asOf
 *   and creation time). The result must be identical (the whole decision but decisionId/createdAt);
 *   `identical` says so, and `differences` lists the JSON paths where it is not.
 * - `?asOf=YYYY-MM-DD`: on the policies in force on that date and the current map.
 * - `?current=true`: on the policies in force today and the current map.
 * Either way `changes` reports every change (verdict, findings, approvals, conditions, land supply,
 * questions, versions) and `rules` the rules responsible. Nothing is stored.
 *
 * A decision on an uploaded site file: the stored input is the GeoJSON request the file was read
 * into, plus the upload's record (decision-store.ts UploadRecord); the warnings the upload added to
 * the decision are added to the replay the same way. Rows stored before uploads were recorded carry
 * no record: their site-file warnings (codes site-file-…, which only an upload gives) are taken from
 * the stored decision.
 */
import { Hono } from 'hono';
import { evaluateProject, InputProblem, type CompiledPolicy, type Decision, type EngineContext } from '../../engine/index.js';
import { decisionContent, diffDecisions, jsonDifferences } from '../../engine/impact/index.js';
import { problem } from '../problem.js';
import { pinnedRegistry } from '../storage/live.js';
import { dateParam, type VersionDeps } from './versions.js';

export function replayRoutes(d: VersionDeps): Hono {
  const app = new Hono();

  app.post('/decisions/:id/replay', async (c) => {
    const id = c.req.param('id');
    if (typeof d.store.record !== 'function') return problem(501, '不支持', '此存储不保存决定的原始请求，无法重放');
    const asOfParam = c.req.query('asOf');
    const currentParam = c.req.query('current');
    if (asOfParam !== undefined) {
      const bad = dateParam('asOf', asOfParam);
      if (bad instanceof Response) return bad;
    }
    if (currentParam !== undefined && !['true', 'false', '1', '0'].includes(currentParam)) {
      return problem(400, '查询参数无效', 'current 应为 true 或 false', [{ path: '/current', message: '应为 true 或 false' }]);
    }
    const current = currentParam === 'true' || currentParam === '1';
    if (current && asOfParam !== undefined) return problem(400, '查询参数冲突', 'asOf 与 current=true 只能给出一个', [{ path: '/current', message: '与 asOf 冲突' }]);
    const rec = id.length <= 100 ? await d.store.record(id) : null;
    if (!rec) return problem(404, '决定不存在', `没有编号为 ${id.slice(0, 100)} 的决定`, [{ path: '/decisionId', message: '未知的决定编号' }]);
    if (!rec.input) return problem(409, '无法重放', `决定 ${id} 没有保存原始请求`, [{ path: '/decisionId', message: '缺少原始请求' }]);
    const original = rec.decision;
    const mode: 'pinned' | 'asOf' | 'current' = current ? 'current' : asOfParam !== undefined ? 'asOf' : 'pinned';

    let replayed: Decision;
    try {
      if (mode === 'pinned') {
        const pins: CompiledPolicy[] = [];
        const missing: string[] = [];
        for (const p of original.policies) {
          const cp = await d.history.policyByHash(p.hash);
          if (cp) pins.push(cp);
          else missing.push(`${p.id}@${p.version} (${p.hash})`);
        }
        const bundle = await d.history.bundleByHash(original.jurisdiction, original.bundleHash);
        if (!bundle) missing.push(`地图 ${original.jurisdiction} (${original.bundleHash})`);
        if (missing.length || !bundle) {
          return problem(409, '无法在原版本上重放', `决定所用的版本已不可得：${missing.join('；')}`, missing.map((m) => ({ path: '/versions', message: m })));
        }
        const ctx: EngineContext = {
          bundles: new Map([[bundle.id, bundle]]),
          bundleVersion: (j, h) => (j === bundle.id && h === bundle.hash ? bundle : undefined),
          policies: pinnedRegistry(pins),
          engineVersion: d.engineVersion,
          maxVertices: d.limits.maxVertices,
        };
        replayed = await evaluateProject(ctx, { ...rec.input, asOf: original.asOf }, {
          decisionId: original.decisionId,
          now: new Date(original.createdAt),
          pinned: { policies: original.policies.map((p) => ({ id: p.id, version: p.version })), bundleHash: original.bundleHash },
        });
      } else {
        const asOf = asOfParam ?? d.clock().toISOString().slice(0, 10);
        replayed = await evaluateProject(
          { bundles: d.bundles, policies: d.policies, engineVersion: d.engineVersion, maxVertices: d.limits.maxVertices },
          { ...rec.input, asOf },
          { decisionId: original.decisionId, now: d.clock() },
        );
      }
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      throw e;
    }
    // What the upload added after the evaluation (as POST /v1/evaluate does).
    const uploadWarnings = rec.upload ? rec.upload.warnings : original.warnings.filter((w) => w.code.startsWith('site-file-'));
    replayed.warnings.push(...uploadWarnings.map((w) => ({ ...w })));
    const identical = decisionContent(original) === decisionContent(replayed);
    const { decisionId: _a, createdAt: _b, ...o } = original;
    const { decisionId: _c, createdAt: _d, ...r } = replayed;
    const changes = diffDecisions(original, replayed);
    return c.json({
      decisionId: original.decisionId,
      mode,
      identical,
      outcomeChanged: changes.changed,
      original: { asOf: original.asOf, bundleHash: original.bundleHash, engineVersion: original.engineVersion, verdict: original.verdict, policies: original.policies },
      replay: { asOf: replayed.asOf, bundleHash: replayed.bundleHash, engineVersion: replayed.engineVersion, verdict: replayed.verdict, policies: replayed.policies },
      // The uploaded site file the input was read from (its description, not its bytes); null for a JSON request or an older row.
      upload: rec.upload ? { format: rec.upload.format, name: rec.upload.name, size: rec.upload.size, sha256: rec.upload.sha256, stored: rec.upload.base64 !== undefined } : null,
      differences: identical ? [] : jsonDifferences(o, r),
      changes,
      rules: changes.rules,
      decision: replayed,
    });
  });

  return app;
}
