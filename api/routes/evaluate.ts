/** POST /v1/evaluate and GET /v1/decisions/{id} (contract §5). */
import { Hono } from 'hono';
import { evaluateProject, InputProblem, type EvaluateInput } from '../../engine/index.js';
import { uploadRecord } from '../storage/upload-record.js';
import { inputWithUpload } from '../storage/decision-store.js';
import { refuseIfOverdue } from '../guards.js';
import { bodySource, readEvaluateRequest } from './request-body.js';
import { problem } from '../problem.js';
import type { ResolvedDeps } from '../app.js';

export function evaluateRoutes(d: ResolvedDeps): Hono {
  const app = new Hono();

  app.post('/evaluate', async (c) => {
    const parsed = await readEvaluateRequest(c.req.raw, d.limits.maxBodyBytes, bodySource(c.env));
    if (parsed instanceof Response) return parsed;
    const overdue = refuseIfOverdue(c);
    if (overdue) return overdue;
    const body = parsed.body;
    const input = body as EvaluateInput;
    try {
      const decision = await evaluateProject(
        { bundles: d.bundles, policies: d.policies, engineVersion: d.engineVersion, maxVertices: d.limits.maxVertices },
        input,
        { decisionId: d.newId(), now: d.clock(), deadline: Date.now() + d.limits.evalTimeoutMs },
      );
      decision.warnings.push(...parsed.warnings); // an uploaded site file's warnings (area mismatch…)
      // Serialized once: the stored text is the response, byte for byte.
      const text = JSON.stringify(decision);
      // Upload record: the stored input keeps what an uploaded site file contributed (its warnings, its description, the file).
      await d.store.save(decision, inputWithUpload(input, await uploadRecord(parsed, d.limits.maxBodyBytes)), text);
      return c.body(text, 200, { 'content-type': 'application/json' });
    } catch (e) {
      if (e instanceof InputProblem) return problem(e.status, e.title, e.detail, e.errors, e.type);
      throw e;
    }
  });

  app.get('/decisions/:id', async (c) => {
    const id = c.req.param('id');
    const decision = id.length <= 100 ? await d.store.get(id) : null;
    if (!decision) return problem(404, '决定不存在', `没有编号为 ${id.slice(0, 100)} 的决定`, [{ path: '/decisionId', message: '未知的决定编号' }]);
    return c.json(decision, 200);
  });

  return app;
}

