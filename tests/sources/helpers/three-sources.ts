/**
 * One bundle behind the three layer sources: in memory (loaded from its directory), FlatGeobuf over
 * HTTP (built by build:fgb into a temporary directory, served by the counting range server) and
 * PostGIS (loaded into a private cluster). Evaluates a request through each with the engine's
 * evaluateProject and gives the decisions without decisionId/createdAt, or the problem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildPolicyRegistry, evaluateProject, InputProblem, type Bundle, type EngineContext, type EvaluateInput, type PolicyRegistry } from '../../../engine/index.js';
import { loadBundleDir } from '../../../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../../../policies/index.generated.js';
import { openFgbUrl, type FgbLayerSource } from '../../../engine/sources/index.js';
import { loadBundleIntoPostgis } from '../../../api/node/sources/postgis-load.js';
import { openPostgisBundles, type OpenedPostgis, type PostgisLayerSource } from '../../../api/node/sources/postgis-source.js';
import { writeFgbFiles } from '../../../scripts/build-fgb.js';
import { startRangeServer, type RangeServer } from './range-server.js';
import { startPgCluster, type PgCluster } from './pg-cluster.js';

export const IN_CI = /^(1|true)$/i.test(process.env.CI ?? '');

export interface ThreeSources {
  memory: Bundle;
  fgb: { bundle: Bundle; source: FgbLayerSource; file: string; url: string; bytes: number; buildMs: number };
  postgis: { bundle: Bundle; source: PostgisLayerSource; url: string; loadMs: number } | null;
  server: RangeServer;
  dir: string;
  policies: PolicyRegistry;
  close(): Promise<void>;
}

export async function threeSources(bundleDir: string, opts: { postgis?: boolean } = {}): Promise<ThreeSources> {
  const dir = mkdtempSync(join(tmpdir(), 'zoning-sources-'));
  const closers: (() => Promise<void>)[] = [async () => rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    const memory = await loadBundleDir(bundleDir);
    const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
    const built = await writeFgbFiles(memory, join(dir, 'fgb'));
    const server = await startRangeServer(join(dir, 'fgb'));
    closers.push(() => server.close());
    const url = `${server.base}/${memory.id}.fgb.json`;
    const fgb = await openFgbUrl(url);
    let postgis: ThreeSources['postgis'] = null;
    if (opts.postgis !== false) {
      const cluster: PgCluster | null = await startPgCluster();
      if (!cluster) {
        if (IN_CI) throw new Error('PostgreSQL is not installed (/usr/lib/postgresql/*/bin): .ci/run installs it');
        console.warn('!! PostgreSQL is not installed: the PostGIS layer source is NOT verified');
      } else {
        closers.push(() => cluster.stop());
        const client = new pg.Client({ connectionString: cluster.url });
        await client.connect();
        let loadMs: number;
        try {
          loadMs = (await loadBundleIntoPostgis(memory, client)).ms;
        } finally {
          await client.end();
        }
        const opened: OpenedPostgis = await openPostgisBundles(cluster.url, { max: 4 });
        closers.push(() => opened.close());
        postgis = { bundle: opened.bundles[0], source: opened.sources[0], url: cluster.url, loadMs };
      }
    }
    return {
      memory, policies, server, dir, postgis, close,
      fgb: { bundle: fgb.bundle, source: fgb.source, file: built.fgb, url, bytes: built.bytes, buildMs: built.ms },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

export type Outcome = { ok: true; decision: Record<string, unknown> } | { ok: false; status: number; title: string; detail: string };

export async function evaluateOn(bundle: Bundle, policies: PolicyRegistry, input: EvaluateInput): Promise<Outcome> {
  const ctx: EngineContext = { bundles: new Map([[bundle.id, bundle]]), policies, engineVersion: 'test' };
  try {
    const d = await evaluateProject(ctx, input, { decisionId: 'sources-test', now: new Date('2026-11-25T08:00:00Z') });
    const { decisionId: _i, createdAt: _c, ...stable } = d as unknown as Record<string, unknown>;
    return { ok: true, decision: JSON.parse(JSON.stringify(stable)) };
  } catch (e) {
    if (e instanceof InputProblem) return { ok: false, status: e.status, title: e.title, detail: e.detail };
    throw e;
  }
}
