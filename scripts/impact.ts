/**
 * npm run impact -- --policy <id> --from <version> --to <version> --projects <file.geojson>
 *                   [--asOf YYYY-MM-DD] [--bundles dir,dir] [--jurisdiction id] [--json]
 *
 * Change impact of a policy version: evaluates every project of the corpus (a GeoJSON
 * FeatureCollection of sites with properties {jurisdiction?, activity, attributes, name}) under both
 * versions — those two pinned, every other policy as in force on --asOf (default today) — and lists
 * every project whose outcome changes, grouped by the rule that changed it. Bundles: --bundles, else
 * ZONING_BUNDLES, else the demo bundle. Exit 0 when it ran (whether or not anything changes), 2 on
 * bad arguments or input.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPolicyRegistry, InputProblem, type Bundle } from '../engine/index.js';
import { analyzeImpact, readCorpus } from '../engine/impact/index.js';
import { POLICY_DOCUMENTS } from '../policies/index.generated.js';
import { loadBundleDir } from '../api/node/load-bundle-dir.js';
import { DEMO_BUNDLE_DIR, ENGINE_VERSION } from '../api/node/build-deps.js';

const usage = 'usage: npm run impact -- --policy <id> --from <version> --to <version> --projects <file.geojson> [--asOf YYYY-MM-DD] [--bundles dir,dir] [--jurisdiction id] [--json]';
let args;
try {
  args = parseArgs({
    options: {
      policy: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, projects: { type: 'string' },
      asOf: { type: 'string' }, bundles: { type: 'string' }, jurisdiction: { type: 'string' }, json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (e) {
  console.error(`${(e as Error).message}\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}
const { policy, from, to, projects: file } = args;
if (!policy || !from || !to || !file) {
  console.error(usage);
  process.exit(2);
}
const asOf = args.asOf ?? new Date().toISOString().slice(0, 10);
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) {
  console.error(`--asOf must be YYYY-MM-DD, got ${asOf}`);
  process.exit(2);
}

const policies = await buildPolicyRegistry(POLICY_DOCUMENTS);
const dirs = (args.bundles ?? process.env.ZONING_BUNDLES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const bundles = new Map<string, Bundle>();
for (const dir of dirs.length ? dirs : [DEMO_BUNDLE_DIR]) {
  const b = await loadBundleDir(resolve(dir));
  bundles.set(b.id, b);
}
let corpus: unknown;
try {
  corpus = JSON.parse(readFileSync(resolve(file), 'utf8'));
} catch (e) {
  console.error(`cannot read ${file}: ${(e as Error).message}`);
  process.exit(2);
}
const { projects, problems } = readCorpus(corpus, args.jurisdiction ?? (bundles.size === 1 ? [...bundles.keys()][0] : undefined));
if (problems.length) {
  for (const p of problems) console.error(`${file}${p.path}: ${p.message}`);
  process.exit(2);
}

let report;
try {
  report = await analyzeImpact({ bundles, policies, engineVersion: ENGINE_VERSION }, projects, { policy, from, to, asOf, now: new Date() });
} catch (e) {
  if (e instanceof InputProblem) {
    console.error(e.detail);
    process.exit(2);
  }
  throw e;
}
if (args.json) {
  console.log(JSON.stringify(report, null, 2));
  process.exit(0);
}

const out: string[] = [];
out.push(`${report.policy} ${report.from.version} → ${report.to.version} (other policies as in force on ${report.asOf})`);
out.push(`${report.projects} projects: ${report.changed} change, ${report.unchanged} unchanged${report.errors.length ? `, ${report.errors.length} with errors` : ''}`);
if (report.byVerdict.length) out.push(`verdicts: ${report.byVerdict.map((v) => `${v.from} → ${v.to} ×${v.count}`).join(', ')}`);
out.push('');
for (const g of report.byRule) {
  const before = g.previously.map((p) => `${p.policy === g.policy ? '' : `${p.policy} `}${p.version}:${p.rule ?? '(default)'}`).join(', ');
  out.push(`rule ${g.policy}@${g.version} ${g.rule ?? '(default)'}: ${g.count} project${g.count === 1 ? '' : 's'}${before ? ` (before: ${before})` : ''}`);
  for (const id of g.projects) {
    const c = report.changes.find((x) => x.id === id)!;
    const items = c.diff.findings.map((f) => `${f.name ?? f.key} ${f.verdict?.from ?? '—'}→${f.verdict?.to ?? '—'}`).join('; ');
    out.push(`  ${id.padEnd(28)} ${(c.name ?? '').padEnd(24)} ${c.verdict.from} → ${c.verdict.to}${items ? `  [${items}]` : ''}`);
  }
}
for (const e of report.errors) out.push(`error ${e.id} (${e.under}): ${e.status} ${e.detail}`);
console.log(out.join('\n'));
