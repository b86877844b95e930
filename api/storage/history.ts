/**
 * Versions of maps and policies at run time: finds any version a decision pinned (current, cached,
 * or read back from the archive), and publishes new ones. A publication validates completely, builds
 * the new bundle map or policy registry, records it in the archive, and only then swaps the active
 * reference: a version that fails validation never replaces the active one.
 */
import {
  BundleLoadError, buildPolicyRegistry, loadBundle, PolicyLoadError,
  type Bundle, type CompiledPolicy, type PolicyRegistry, type ProblemItem,
} from '../../engine/index.js';
import { validatePolicyDocument } from '../../engine/policy/validate-policy.js';
import { deriveWindows, type EffectiveWindow } from '../../engine/policy/policy-registry.js';
import { isCalendarDate } from '../../engine/calendar-date.js';
import { runPolicyTests } from '../../engine/policy/run-policy-tests.js';
import { coverage, findConflicts } from '../../engine/policy/check-policy.js';
import type { LiveState } from './live.js';
import type { BundleSource, VersionStore } from './version-store.js';

export interface Refusal { ok: false; status: 404 | 409 | 422; title: string; detail: string; errors: ProblemItem[] }

export type BundlePublication =
  | { ok: true; created: boolean; bundle: Bundle; previous: string | null }
  | Refusal;

export type PolicyPublication =
  | {
    ok: true; created: boolean; policy: CompiledPolicy;
    /** The version before the new one, whose in-force window now ends where the new one begins (its document and hash unchanged). */
    closed: { version: string; effective: EffectiveWindow; hash: string } | null;
  }
  | Refusal;

export interface History {
  readonly store: VersionStore;
  readonly live: LiveState;
  /** A compiled policy by content hash: active, cached, or rebuilt from the archive. */
  policyByHash(hash: string): Promise<CompiledPolicy | undefined>;
  /** A bundle version of a jurisdiction by content hash: active, cached, or reloaded from the archive. */
  bundleByHash(jurisdiction: string, hash: string): Promise<Bundle | undefined>;
  publishBundle(jurisdiction: string, body: unknown, now: Date, source?: BundleSource): Promise<BundlePublication>;
  publishPolicy(body: unknown, now: Date): Promise<PolicyPublication>;
}

const BUNDLE_CACHE = 8;

export function createHistory(store: VersionStore, live: LiveState): History {
  const policies = new Map<string, CompiledPolicy>();
  const bundles = new Map<string, Bundle>(); // LRU by insertion order
  const key = (j: string, h: string) => `${j}\u0000${h}`;
  const cacheBundle = (b: Bundle) => {
    bundles.delete(key(b.id, b.hash));
    bundles.set(key(b.id, b.hash), b);
    while (bundles.size > BUNDLE_CACHE) bundles.delete(bundles.keys().next().value!);
  };
  let publishing: Promise<unknown> = Promise.resolve();
  /** Publications run one at a time (each reads the active state it replaces). */
  const serial = <T>(f: () => Promise<T>): Promise<T> => {
    const run = publishing.then(f, f);
    publishing = run.catch(() => {});
    return run;
  };

  const history: History = {
    store,
    live,
    async policyByHash(hash) {
      const active = live.policies.get().all.find((p) => p.hash === hash);
      if (active) return active;
      const cached = policies.get(hash);
      if (cached) return cached;
      const stored = await store.getPolicy(hash);
      if (!stored) return undefined;
      const reg = await buildPolicyRegistry({ [`${stored.doc.id}@${stored.doc.version}`]: stored.doc });
      const cp = reg.all[0];
      if (cp.hash !== hash) throw new Error(`archived policy ${stored.doc.id}@${stored.doc.version} hashes to ${cp.hash}, not ${hash}`);
      policies.set(hash, cp);
      return cp;
    },

    async bundleByHash(jurisdiction, hash) {
      const active = live.bundles.get().get(jurisdiction);
      if (active?.hash === hash) return active;
      const cached = bundles.get(key(jurisdiction, hash));
      if (cached) {
        cacheBundle(cached);
        return cached;
      }
      const stored = await store.getBundle(jurisdiction, hash);
      if (!stored) return undefined;
      const b = await loadBundle(stored.manifest, stored.layers, `${jurisdiction}@${hash}`);
      if (b.hash !== hash) throw new Error(`archived bundle ${jurisdiction} hashes to ${b.hash}, not ${hash}`);
      cacheBundle(b);
      return b;
    },

    publishBundle: (jurisdiction, body, now, source = 'api') => serial(async (): Promise<BundlePublication> => {
      const refuse = (detail: string, errors: ProblemItem[]): Refusal => ({ ok: false, status: 422, title: '数据包未通过校验', detail, errors });
      if (!isObj(body) || !isObj(body.manifest) || !isObj(body.layers)) {
        return refuse('请求体应为 {"manifest": {…jurisdiction.json…}, "layers": {"路径": "GeoJSON 文本"}}', [{ path: isObj(body) && isObj(body.manifest) ? '/layers' : '/manifest', message: '缺少或不是对象' }]);
      }
      const manifest = body.manifest;
      if (manifest.id !== jurisdiction) {
        return refuse(`manifest.id 应为地址中的辖区 ${jurisdiction}`, [{ path: '/manifest/id', message: `应为 ${jurisdiction}，实际为 ${JSON.stringify(manifest.id)?.slice(0, 80)}` }]);
      }
      const listed = Array.isArray(manifest.layers) ? manifest.layers.filter((x): x is string => typeof x === 'string') : [];
      const layers: Record<string, string> = {};
      for (const path of listed) {
        const text = body.layers[path];
        if (text === undefined) continue; // loadBundle names the missing file
        if (typeof text !== 'string') return refuse(`图层 ${path} 应为 GeoJSON 文本（字符串）`, [{ path: `/layers/${escapePointer(path)}`, message: '应为字符串' }]);
        layers[path] = text;
      }
      let bundle: Bundle;
      try {
        bundle = await loadBundle(manifest, layers, jurisdiction);
      } catch (e) {
        if (!(e instanceof BundleLoadError)) throw e;
        return refuse(e.message.split('\n').slice(0, 6).join('；'), e.problems.map((p) => ({
          path: p.file === 'jurisdiction.json'
            ? `/manifest${p.path === '/' ? '' : p.path}`
            : `/layers/${escapePointer(p.file)}${p.feature === null ? '' : `/features/${p.feature}`}${p.path}`,
          message: p.message,
        })));
      }
      const registry = live.policies.get();
      const unknown = bundle.localPolicies.filter((id) => !registry.versions(id).length);
      if (unknown.length) {
        return refuse(`数据包列出了不存在的地方政策 ${unknown.join(', ')}`, unknown.map((id) => ({ path: `/manifest/policies/${bundle.localPolicies.indexOf(id)}`, message: `未知的政策 ${id}` })));
      }
      const current = live.bundles.get().get(jurisdiction);
      if (current?.hash === bundle.hash) return { ok: true, created: false, bundle: current, previous: current.hash };
      const createdAt = now.toISOString();
      await store.putBundle({ jurisdiction, hash: bundle.hash, name: bundle.name, manifest, layers, features: bundle.features.length, source, createdAt });
      await store.activate({ jurisdiction, hash: bundle.hash, activatedAt: createdAt, source });
      if (current) cacheBundle(current);
      // Swap: one assignment of a fully built map.
      live.bundles.set(new Map(live.bundles.get()).set(jurisdiction, bundle));
      return { ok: true, created: true, bundle, previous: current?.hash ?? null };
    }),

    publishPolicy: (body, now) => serial(async (): Promise<PolicyPublication> => {
      const refuse = (detail: string, errors: ProblemItem[], status: 409 | 422 = 422): Refusal =>
        ({ ok: false, status, title: status === 409 ? '政策版本冲突' : '政策未通过校验', detail, errors });
      const v = validatePolicyDocument(body);
      if (!v.ok) return refuse(`政策文件不符合格式：${v.problems.slice(0, 5).map((p) => `${p.path} ${p.message}`).join('；')}`, v.problems);
      const doc = v.doc;
      for (const k of ['from', 'to'] as const) {
        const date = doc.effective[k];
        if (date !== undefined && !isCalendarDate(date)) {
          return refuse(`effective.${k} 不是有效的日期：${date}（应为存在的日期 YYYY-MM-DD）`, [{ path: `/effective/${k}`, message: `${date} 不是有效的日期` }]);
        }
      }
      const registry = live.policies.get();
      const versions = registry.versions(doc.id);
      const same = versions.find((p) => p.doc.version === doc.version);
      if (same) {
        const candidate = (await buildPolicyRegistry({ [`${doc.id}@${doc.version}`]: doc }).catch(() => null))?.all[0];
        if (candidate?.hash === same.hash) return { ok: true, created: false, policy: same, closed: null };
        return refuse(`政策 ${doc.id} 已有版本 ${doc.version}，且内容不同；请使用新的版本号`, [{ path: '/version', message: '版本号已存在' }], 409);
      }
      // A published version is in force from its `from` until the next version begins: an end date
      // of its own would leave the days after it without any version of this policy (evaluations
      // would silently skip it). Versions succeed one another; none simply ends.
      if (doc.effective.to !== undefined) {
        return refuse(
          `发布的政策版本不能指定失效日期 effective.to（${doc.effective.to}）：版本的有效期由下一个版本的生效日期自动结束，单独指定失效日期会使此后的日期没有任何有效版本、该政策被跳过。如需替换，请发布生效日期为 ${doc.effective.to} 的新版本`,
          [{ path: '/effective/to', message: '发布的版本不能指定 effective.to；有效期至下一个版本生效为止' }],
        );
      }
      // Only future-dated versions: a version back-dated before today, or not after the one in
      // force, would change which text was in force on days already past (and so what replays of
      // decisions on those days find).
      const today = now.toISOString().slice(0, 10);
      if (doc.effective.from < today) {
        return refuse(
          `政策 ${doc.id} 版本 ${doc.version} 的生效日期 ${doc.effective.from} 早于今天 ${today}：不能发布追溯生效的版本（会改变过去日期适用的政策），生效日期应为今天或以后`,
          [{ path: '/effective/from', message: `生效日期不能早于今天 ${today}` }],
          409,
        );
      }
      const current = registry.inForce(doc.id, today);
      if (current && doc.effective.from <= current.doc.effective.from) {
        return refuse(
          `政策 ${doc.id} 版本 ${doc.version} 的生效日期 ${doc.effective.from} 不晚于现行版本 ${current.doc.version} 的生效日期 ${current.doc.effective.from}：新版本的生效日期应晚于现行版本`,
          [{ path: '/effective/from', message: `生效日期应晚于现行版本 ${current.doc.version} 的生效日期 ${current.doc.effective.from}` }],
          409,
        );
      }
      // Every document as it is: the predecessor is not rewritten (its text and hash stay what
      // decisions pinned); its in-force window ends where the new version begins, by derivation.
      const docs: Record<string, unknown> = {};
      for (const p of registry.all) docs[`${p.doc.id}@${p.doc.version}`] = p.doc;
      const newKey = `${doc.id}@${doc.version}`;
      docs[newKey] = doc;
      let next: PolicyRegistry;
      try {
        next = await buildPolicyRegistry(docs);
      } catch (e) {
        if (!(e instanceof PolicyLoadError)) throw e;
        return refuse(e.message.split('\n').slice(0, 6).join('；'), e.problems.map((p) => ({
          path: p.policy === newKey || p.policy === doc.id ? p.path : `/(${p.policy})${p.path}`, message: p.message,
        })));
      }
      const cp = next.versions(doc.id).find((p) => p.doc.version === doc.version)!;
      // The same bar as `npm run policy:check`: every case passes, every rule and clause exercised, no conflicts.
      const results = await runPolicyTests(cp);
      const errors: ProblemItem[] = [];
      results.forEach((r, i) => { if (!r.ok) errors.push({ path: `/tests/${i}`, message: `用例「${r.test}」未通过：${r.problems.join('；')}` }); });
      const cov = coverage(cp, results);
      for (const r of cov.rules.missing) errors.push({ path: `/rules/${cp.ruleIndex.get(r) ?? ''}`, message: `规则 ${r} 没有用例覆盖` });
      for (const c of cov.clauses.missing) errors.push({ path: '/clauses', message: `条款 ${c} 没有被任何有用例覆盖的规则引用` });
      for (const c of findConflicts(cp)) errors.push({ path: '/rules', message: `规则 ${c.rules[0]}（${c.outcomes[0]}）与 ${c.rules[1]}（${c.outcomes[1]}）优先级相同，对同一事实给出不同结果：${JSON.stringify(c.facts)}` });
      if (errors.length) return refuse(`政策 ${doc.id}@${doc.version} 的用例或覆盖率不达标（${errors.length} 个问题）`, errors);

      // The version whose in-force window the new one ends (its document unchanged).
      const sequence = deriveWindows(next.versions(doc.id));
      const at = sequence.findIndex((x) => x.policy === cp);
      const before = at > 0 ? sequence[at - 1] : null;
      const closed = before && before.policy.doc.effective.to === undefined
        ? { version: before.policy.doc.version, effective: before.window, hash: before.policy.hash }
        : null;
      const createdAt = now.toISOString();
      await store.putPolicy({ hash: cp.hash, id: doc.id, version: doc.version, level: doc.level, effective: doc.effective, source: 'api', createdAt, doc: cp.doc });
      live.policies.set(next);
      return { ok: true, created: true, policy: cp, closed };
    }),
  };
  return history;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** JSON Pointer escaping of one reference token (RFC 6901). */
export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
