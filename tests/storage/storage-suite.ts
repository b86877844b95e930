/**
 * One storage suite, run on every engine (style of drizzle's shared integration suite): each
 * *.test.ts file calls `storageSuite` with its store factory. The same assertions hold on SQLite and
 * on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Decision, EvaluateInput } from '../../engine/index.js';
import { sha256 } from '../../engine/index.js';
import { inputWithUpload, type FullDecisionStore, type UploadRecord } from '../../api/storage/decision-store.js';
import { BLOB_PART_CHARS, type VersionStore } from '../../api/storage/version-store.js';

export interface StoreUnderTest {
  store: FullDecisionStore;
  versions: VersionStore;
  close(): Promise<void> | void;
}

/** A minimal decision as the engine shapes it (only what the store reads and the tests check). */
export function fakeDecision(id: string, over: { createdAt: string; jurisdiction?: string; verdict?: Decision['verdict']; activity?: string; name?: string }): Decision {
  return {
    decisionId: id,
    verdict: over.verdict ?? 'allowed',
    jurisdiction: over.jurisdiction ?? 'town-a',
    bundleHash: 'sha256:' + 'b'.repeat(64),
    asOf: over.createdAt.slice(0, 10),
    createdAt: over.createdAt,
    engineVersion: 'test',
    project: { name: over.name ?? `项目 ${id}`, activity: over.activity ?? 'industrial', attributes: {} },
    site: { type: 'Polygon', areaM2: 12345.67 },
    policies: [{ id: 'national.x', version: '1.0.0', hash: 'sha256:' + 'c'.repeat(64), level: 'national' }],
    findings: [],
    projectFindings: [],
    approvals: [],
    conditions: [],
    landSupply: [],
    questions: [],
    warnings: [],
  };
}

const inputFor = (d: Decision): EvaluateInput => ({
  jurisdiction: d.jurisdiction,
  project: { name: d.project.name, activity: d.project.activity, attributes: { intendedUsers: 2 } },
  site: { type: 'Polygon', coordinates: [[[112.6, 26.9], [112.61, 26.9], [112.61, 26.91], [112.6, 26.9]]] },
});

export function storageSuite(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`storage suite on ${name}`, () => {
    let s: StoreUnderTest;
    beforeAll(async () => {
      s = await open();
    });
    afterAll(async () => {
      await s?.close();
    });

    // 12 decisions over 3 instants (ties on createdAt are ordered by id), 2 jurisdictions, 3 verdicts.
    const verdicts = ['allowed', 'conditional', 'forbidden'] as const;
    const all = Array.from({ length: 12 }, (_, i) => fakeDecision(`d-${String(i).padStart(2, '0')}-${'zyxwvutsrqpo'[i]}`, {
      createdAt: `2026-11-2${3 + (i % 3)}T08:00:00.000Z`,
      jurisdiction: i % 4 === 0 ? 'town-b' : 'town-a',
      verdict: verdicts[i % 3],
      activity: i % 2 ? 'housing' : 'industrial',
      name: i === 5 ? '含"引号",逗号 与 emoji 🏗️ 的项目' : undefined,
    }));
    const order = (ds: Decision[], dir: 'asc' | 'desc') => [...ds].sort((a, b) => {
      const c = a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.decisionId < b.decisionId ? -1 : a.decisionId > b.decisionId ? 1 : 0;
      return dir === 'asc' ? c : -c;
    }).map((d) => d.decisionId);

    it('saves a decision with its request and reads both back verbatim', async () => {
      expect(await s.store.ping()).toBe(true);
      for (const d of all) await s.store.save(d, inputFor(d));
      const d5 = all[5];
      expect(await s.store.get(d5.decisionId)).toEqual(d5);
      expect(await s.store.record(d5.decisionId)).toEqual({ decision: d5, input: inputFor(d5) });
      expect(await s.store.getInput(d5.decisionId)).toEqual(inputFor(d5));
      expect(await s.store.get('nope')).toBeNull();
      expect(await s.store.record('nope')).toBeNull();
    });

    it('refuses a second decision with the same id', async () => {
      await expect(s.store.save(all[0], inputFor(all[0]))).rejects.toThrow();
    });

    it('lists in a stable order (createdAt, then id), both directions, a page at a time', async () => {
      for (const dir of ['asc', 'desc'] as const) {
        const whole = await s.store.list({ limit: 100, order: dir });
        expect(whole.items.map((r) => r.decision.decisionId)).toEqual(order(all, dir));
        expect(whole.next).toBeNull();
        const seen: string[] = [];
        let after: { createdAt: string; id: string } | undefined;
        for (let n = 0; n < 10; n++) {
          const page = await s.store.list({ limit: 5, order: dir, after });
          seen.push(...page.items.map((r) => r.decision.decisionId));
          if (!page.next) break;
          after = page.next;
        }
        expect(seen).toEqual(order(all, dir));
      }
      const first = await s.store.list({ limit: 1, order: 'asc' });
      expect(first.items[0].input).toEqual(inputFor(all.find((d) => d.decisionId === first.items[0].decision.decisionId)!));
    });

    it('filters by jurisdiction, verdict, activity and time', async () => {
      const ids = async (q: Parameters<FullDecisionStore['list']>[0]) => (await s.store.list(q)).items.map((r) => r.decision.decisionId);
      expect(await ids({ limit: 100, jurisdiction: 'town-b' })).toEqual(order(all.filter((d) => d.jurisdiction === 'town-b'), 'asc'));
      expect(await ids({ limit: 100, verdict: 'forbidden', activity: 'housing' }))
        .toEqual(order(all.filter((d) => d.verdict === 'forbidden' && d.project.activity === 'housing'), 'asc'));
      expect(await ids({ limit: 100, from: '2026-11-24T00:00:00.000Z', to: '2026-11-25T00:00:00.000Z' }))
        .toEqual(order(all.filter((d) => d.createdAt.startsWith('2026-11-24')), 'asc'));
      expect(await ids({ limit: 100, jurisdiction: 'town-c' })).toEqual([]);
    });

    it('keeps what an uploaded site file contributed with the request; rows without it read as before', async () => {
      const upload: UploadRecord = {
        format: 'survey-txt', name: '坐标.txt', contentType: 'text/plain', size: 5, sha256: 'sha256:' + 'd'.repeat(64),
        options: { zone: 38, zoneWidth: 3 },
        parcels: [{ id: 'GY-01', name: '厂区', declaredAreaHa: 6, computedAreaHa: 5.6568 }],
        warnings: [{ code: 'site-file-area-mismatch', message: '申报面积 6 公顷与按界址点计算的椭球面积 5.6568 公顷相差 +6.07%' }],
        base64: btoa('J1,1,'),
      };
      const up = fakeDecision('u-01', { createdAt: '2026-11-26T08:00:00.000Z', jurisdiction: 'town-u' });
      const plain = fakeDecision('u-02', { createdAt: '2026-11-26T08:00:01.000Z', jurisdiction: 'town-u' });
      await s.store.save(up, inputWithUpload(inputFor(up), upload));
      await s.store.save(plain, inputWithUpload(inputFor(plain), null));
      expect(await s.store.record('u-01')).toEqual({ decision: up, input: inputFor(up), upload });
      expect(await s.store.getInput('u-01')).toEqual(inputFor(up));
      const old = await s.store.record('u-02');
      expect(old).toEqual({ decision: plain, input: inputFor(plain) });
      expect(old).not.toHaveProperty('upload');
      const listed = await s.store.list({ limit: 10, jurisdiction: 'town-u', order: 'asc' });
      expect(listed.items.map((r) => [r.decision.decisionId, r.input, r.upload ?? null])).toEqual([['u-01', inputFor(up), upload], ['u-02', inputFor(plain), null]]);
    });

    it('keeps bundle versions with their layer texts, split into parts and shared between versions', async () => {
      // A layer longer than one part, with CJK text and a surrogate pair across the part boundary.
      const big = '{"type":"FeatureCollection","features":[],"name":"' + '示范'.repeat(BLOB_PART_CHARS / 2 - 30) + 'x'.repeat(9) + '🏗️' + '乡'.repeat(5000) + '"}';
      const small = '{"type":"FeatureCollection","features":[]}';
      const manifest = { id: 'town-a', name: '甲镇', layers: ['a.geojson', 'b.geojson'] };
      const v1 = { jurisdiction: 'town-a', hash: 'sha256:v1', name: '甲镇', manifest, layers: { 'a.geojson': big, 'b.geojson': small }, features: 3, source: 'directory' as const, createdAt: '2026-11-20T00:00:00.000Z' };
      expect(await s.versions.putBundle(v1)).toBe(true);
      expect(await s.versions.putBundle(v1)).toBe(false);
      const v2 = { ...v1, hash: 'sha256:v2', layers: { 'a.geojson': big, 'b.geojson': small.replace('[]', '[ ]') }, source: 'api' as const, createdAt: '2026-11-21T00:00:00.000Z' };
      expect(await s.versions.putBundle(v2)).toBe(true);
      expect(await s.versions.hasBundle('town-a', 'sha256:v1')).toBe(true);
      expect(await s.versions.hasBundle('town-b', 'sha256:v1')).toBe(false);
      const got = await s.versions.getBundle('town-a', 'sha256:v1');
      expect(got?.manifest).toEqual(manifest);
      expect(got?.layers['a.geojson']).toBe(big);
      expect(await sha256(got!.layers['a.geojson'])).toBe(await sha256(big));
      expect((await s.versions.getBundle('town-a', 'sha256:v2'))?.layers['b.geojson']).toBe(v2.layers['b.geojson']);
      expect(await s.versions.getBundle('town-a', 'sha256:none')).toBeNull();
      expect((await s.versions.listBundles('town-a')).map((b) => [b.hash, b.source, b.features])).toEqual([['sha256:v1', 'directory', 3], ['sha256:v2', 'api', 3]]);
    });

    it('logs activations in order, ties in insertion order', async () => {
      await s.versions.activate({ jurisdiction: 'town-a', hash: 'sha256:v1', activatedAt: '2026-11-20T00:00:00.000Z', source: 'directory' });
      await s.versions.activate({ jurisdiction: 'town-b', hash: 'sha256:b1', activatedAt: '2026-11-20T00:00:00.000Z', source: 'directory' });
      await s.versions.activate({ jurisdiction: 'town-a', hash: 'sha256:v2', activatedAt: '2026-11-21T00:00:00.000Z', source: 'api' });
      await s.versions.activate({ jurisdiction: 'town-a', hash: 'sha256:v1', activatedAt: '2026-11-21T00:00:00.000Z', source: 'api' });
      expect((await s.versions.activations('town-a')).map((a) => a.hash)).toEqual(['sha256:v1', 'sha256:v2', 'sha256:v1']);
      expect((await s.versions.activations()).length).toBe(4);
    });

    it('keeps policy documents by hash', async () => {
      const doc = { id: 'national.x', version: '1.0.0', level: 'national', title: '测试政策', effective: { from: '2021-01-01', to: '2027-01-01' } } as never;
      const p = { hash: 'sha256:p1', id: 'national.x', version: '1.0.0', level: 'national', effective: { from: '2021-01-01', to: '2027-01-01' }, source: 'shipped' as const, createdAt: '2026-11-20T00:00:00.000Z', doc };
      expect(await s.versions.putPolicy(p)).toBe(true);
      expect(await s.versions.putPolicy(p)).toBe(false);
      const doc2 = { id: 'national.x', version: '1.1.0', level: 'national', title: '测试政策', effective: { from: '2027-01-01' } } as never;
      await s.versions.putPolicy({ ...p, hash: 'sha256:p2', version: '1.1.0', effective: { from: '2027-01-01' }, source: 'api', createdAt: '2026-11-21T00:00:00.000Z', doc: doc2 });
      expect(await s.versions.getPolicy('sha256:p1')).toEqual(p);
      expect((await s.versions.listPolicies('national.x')).map((x) => [x.version, x.source, x.effective.to ?? null])).toEqual([['1.0.0', 'shipped', '2027-01-01'], ['1.1.0', 'api', null]]);
      expect(await s.versions.listPolicies('national.y')).toEqual([]);
      expect(await s.versions.getPolicy('sha256:none')).toBeNull();
    });
  });
}
