/**
 * What every command shares: exit codes, the CLI's error, attribute parsing, loading policies and
 * resolving `--jurisdiction` (a bundle directory, or an id among ZONING_BUNDLES and the demo bundle).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BundleLoadError, buildPolicyRegistry, InputProblem, type Bundle, type EngineContext, type PolicyRegistry } from '../engine/index.js';
import { loadBundleDir } from '../api/node/load-bundle-dir.js';
import { POLICY_DOCUMENTS } from '../policies/index.generated.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DEMO_BUNDLE_DIR = join(ROOT, 'fixtures/demo');
export const ENGINE_VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

/** Exit codes: the verdict of `check`, or an error (≥ 3). */
export const EXIT = { allowed: 0, conditional: 1, forbidden: 2, input: 3, internal: 4, interrupted: 130 } as const;

/** An error the user can fix: printed as `zoning: <message>` with no stack, exit code 3 unless said. */
export class CliError extends Error {
  constructor(message: string, public readonly code: number = EXIT.input, public readonly details: string[] = []) {
    super(message);
  }
}

/** `key=value`: the value read as JSON when it is JSON (true, 12, "x"), else as the literal string. */
export function parseAttr(s: string): [string, string | number | boolean] {
  const at = s.indexOf('=');
  if (at <= 0) throw new CliError(`--attr 应为 key=value 形式，实际为 "${s}"`);
  return [s.slice(0, at).trim(), parseValue(s.slice(at + 1))];
}

export function parseValue(raw: string): string | number | boolean {
  const t = raw.trim();
  if (t === '') return '';
  try {
    const v: unknown = JSON.parse(t);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  } catch {
    /* not JSON: a plain string */
  }
  return raw;
}

export function parseAttrs(list: string[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const s of list ?? []) {
    const [k, v] = parseAttr(s);
    out[k] = v;
  }
  return out;
}

let policies: Promise<PolicyRegistry> | null = null;
export function loadPolicies(): Promise<PolicyRegistry> {
  return (policies ??= buildPolicyRegistry(POLICY_DOCUMENTS));
}

function readManifestId(dir: string): string | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, 'jurisdiction.json'), 'utf8')) as { id?: unknown };
    return typeof m.id === 'string' ? m.id : null;
  } catch {
    return null;
  }
}

/** The bundle directories known by id: ZONING_BUNDLES, then the demo bundle. */
export function knownBundleDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = (env.ZONING_BUNDLES ?? '').split(',').map((s) => s.trim()).filter(Boolean).map((d) => resolve(d));
  return [...dirs, DEMO_BUNDLE_DIR];
}

/** `--jurisdiction <dir|id>` → the directory to load. */
export function resolveBundleDir(spec: string | undefined): string {
  if (!spec) throw new CliError('缺少 --jurisdiction（数据包目录或辖区编号，例如 demo-county）');
  if (existsSync(spec)) {
    const st = statSync(spec);
    if (st.isDirectory()) return resolve(spec);
    if (st.isFile() && basename(spec) === 'jurisdiction.json') return dirname(resolve(spec));
    throw new CliError(`--jurisdiction ${spec} 不是目录（应为含 jurisdiction.json 的数据包目录，或辖区编号）`);
  }
  const known: string[] = [];
  for (const dir of knownBundleDirs()) {
    const id = readManifestId(dir);
    if (id === spec) return dir;
    if (id) known.push(id);
  }
  throw new CliError(`未知的辖区 "${spec}"：既不是数据包目录，也不是已知的辖区编号（已知：${[...new Set(known)].join('、') || '无'}）`);
}

/** Loads a bundle and checks its local policies exist; problems become a CliError listing them. */
export async function loadBundle(dir: string): Promise<Bundle> {
  let bundle: Bundle;
  try {
    bundle = await loadBundleDir(dir);
  } catch (e) {
    if (e instanceof BundleLoadError) throw new CliError(`数据包无效：${dir}`, EXIT.input, bundleProblemLines(e));
    throw e;
  }
  const registry = await loadPolicies();
  const unknown = bundle.localPolicies.filter((id) => !registry.versions(id).length);
  if (unknown.length) {
    throw new CliError(`数据包无效：${dir}`, EXIT.input, unknown.map((id) => `jurisdiction.json /policies: 未知的地方政策 ${id}`));
  }
  return bundle;
}

export function bundleProblemLines(e: BundleLoadError): string[] {
  return e.problems.map((p) => `${p.file}${p.feature === null ? '' : ` features[${p.feature}]`}${p.path ? ` ${p.path}` : ''}: ${p.message}`);
}

export async function engineContext(bundle: Bundle): Promise<EngineContext> {
  return { bundles: new Map([[bundle.id, bundle]]), policies: await loadPolicies(), engineVersion: ENGINE_VERSION };
}

/** An engine input problem as lines: title, detail, then each `path: message`. */
export function problemLines(p: InputProblem): string[] {
  return [`${p.title}：${p.detail}`, ...p.errors.map((x) => `  ${x.path || '/'}: ${x.message}`)];
}
