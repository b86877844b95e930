/**
 * `zoning` — the officers' command line, working directly on bundle directories (no server):
 *
 *   zoning check <site file> --jurisdiction <dir|id> --activity <id> [--attr key=value …] [--as-of date]
 *                [--format table|json|report] [--out file] [--name …] [--applicant …]
 *   zoning batch <sites.geojson|sites.csv> --jurisdiction … [--activity …] [--out results.geojson|results.csv] [--resume]
 *   zoning bundle check <dir> [--format table|json]
 *   zoning activities | attributes
 *
 * Exit codes: check → 0 allowed, 1 conditional, 2 forbidden; 3 bad input (arguments, site file,
 * bundle); 4 internal error; batch → 0 done, 130 interrupted.
 */
import { parseArgs } from 'node:util';
import { ACTIVITIES, ATTRIBUTES, InputProblem } from '../engine/index.js';
import { runBatch } from './batch.js';
import { bundleStatsJson, bundleStatsText, runCheck, writeOut } from './commands.js';
import { CliError, ENGINE_VERSION, EXIT, loadBundle, parseAttrs, problemLines, resolveBundleDir } from './common.js';

const USAGE = `用法：
  zoning check <用地文件> --jurisdiction <数据包目录|辖区编号> --activity <用途> [选项]
      --attr key=value     项目属性，可多次（值按 JSON 读取：true、12；否则为字符串）
      --as-of YYYY-MM-DD   判定基准日（决定适用的政策版本）
      --format table|json|report   输出：中文表格（默认）、决定 JSON、HTML 审查报告
      --out <文件>         写入文件（report 且扩展名为 .pdf 时输出 PDF）
      --name <名称>  --applicant <申请单位>
      --zone <带号>  --zone-width 3|6   界址点坐标文件的高斯-克吕格分带
    退出码：0 允许，1 有条件允许，2 禁止，3 输入错误，4 内部错误
  zoning batch <sites.geojson|sites.csv> --jurisdiction … [--activity …] [--attr …] [--out results.geojson|results.csv]
      --resume             续跑：跳过结果文件中已有的编号
      --force              覆盖已存在的结果文件
      --progress-every N   非终端时每 N% 输出一行进度（默认 10）
    GeoJSON：每个要素一个用地，属性 activity / name / asOf / attributes 及属性编号可覆盖命令行；
    CSV：列 id,name,activity,wkt 或 lon,lat，以及属性编号列。
  zoning bundle check <数据包目录> [--format table|json]    校验数据包并列出图层统计；0 有效，3 无效
  zoning activities | attributes                          列出用途 / 项目属性编号
  zoning --version | --help
`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      jurisdiction: { type: 'string', short: 'j' },
      activity: { type: 'string', short: 'a' },
      attr: { type: 'string', multiple: true },
      'as-of': { type: 'string' },
      format: { type: 'string', short: 'f' },
      out: { type: 'string', short: 'o' },
      name: { type: 'string' },
      applicant: { type: 'string' },
      zone: { type: 'string' },
      'zone-width': { type: 'string' },
      resume: { type: 'boolean' },
      force: { type: 'boolean' },
      'progress-every': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  if (values.version) {
    await writeOut(`${ENGINE_VERSION}\n`);
    return 0;
  }
  const [cmd, ...rest] = positionals;
  if (values.help || !cmd || cmd === 'help') {
    await writeOut(USAGE);
    return values.help || cmd === 'help' ? 0 : EXIT.input;
  }
  const siteOpts = {
    zone: values.zone !== undefined ? intArg('--zone', values.zone) : undefined,
    zoneWidth: values['zone-width'] !== undefined ? (intArg('--zone-width', values['zone-width']) as 3 | 6) : undefined,
  };
  if (siteOpts.zoneWidth !== undefined && siteOpts.zoneWidth !== 3 && siteOpts.zoneWidth !== 6) throw new CliError('--zone-width 应为 3 或 6');

  switch (cmd) {
    case 'check': {
      if (rest.length !== 1) throw new CliError('check 需要且只需要一个用地文件');
      const format = (values.format ?? 'table') as 'table' | 'json' | 'report';
      if (!['table', 'json', 'report'].includes(format)) throw new CliError(`--format 应为 table、json 或 report，实际为 ${format}`);
      const bundle = await loadBundle(resolveBundleDir(values.jurisdiction));
      const r = await runCheck({
        siteFile: rest[0], bundle, activity: values.activity, attributes: parseAttrs(values.attr), asOf: values['as-of'], format,
        name: values.name, applicant: values.applicant, out: values.out, ...siteOpts,
      });
      return r.exitCode;
    }
    case 'batch': {
      if (rest.length !== 1) throw new CliError('batch 需要且只需要一个用地清单文件（.geojson 或 .csv）');
      const bundle = await loadBundle(resolveBundleDir(values.jurisdiction));
      const s = await runBatch({
        input: rest[0], bundle, activity: values.activity, attributes: parseAttrs(values.attr), asOf: values['as-of'], out: values.out,
        resume: !!values.resume, force: !!values.force,
        progressEvery: values['progress-every'] !== undefined ? intArg('--progress-every', values['progress-every']) : undefined,
        ...siteOpts,
      });
      return s.interrupted ? EXIT.interrupted : 0;
    }
    case 'bundle': {
      if (rest[0] !== 'check' || rest.length !== 2) throw new CliError('用法：zoning bundle check <数据包目录>');
      const dir = rest[1];
      const format = values.format ?? 'table';
      if (format !== 'table' && format !== 'json') throw new CliError('--format 应为 table 或 json');
      try {
        const b = await loadBundle(resolveBundleDir(dir));
        await writeOut(format === 'json' ? `${JSON.stringify(bundleStatsJson(b, dir), null, 2)}\n` : bundleStatsText(b, dir));
        return 0;
      } catch (e) {
        if (e instanceof CliError && format === 'json') {
          await writeOut(`${JSON.stringify({ valid: false, dir, message: e.message, problems: e.details }, null, 2)}\n`);
        }
        throw e;
      }
    }
    case 'activities':
      await writeOut(Object.entries(ACTIVITIES).map(([id, name]) => `${id.padEnd(24)} ${name}`).join('\n') + '\n');
      return 0;
    case 'attributes':
      await writeOut(
        Object.entries(ATTRIBUTES).map(([id, a]) => `${id.padEnd(24)} ${a.type.padEnd(8)} ${a.name}${a.values ? `（${a.values.join(' | ')}）` : ''}`).join('\n') + '\n',
      );
      return 0;
    default:
      throw new CliError(`未知的命令 "${cmd}"\n${USAGE}`);
  }
}

function intArg(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new CliError(`${name} 应为正整数，实际为 ${v}`);
  return n;
}

export async function run(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (e) {
    if (e instanceof CliError) {
      process.stderr.write(`zoning: ${e.message}\n${e.details.map((d) => `  ${d}\n`).join('')}`);
      return e.code;
    }
    if (e instanceof InputProblem) {
      const [first, ...more] = problemLines(e);
      process.stderr.write(`zoning: ${first}\n${more.map((l) => `${l}\n`).join('')}`);
      return EXIT.input;
    }
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`zoning: ${(e as Error).message}\n（zoning --help 查看用法）\n`);
      return EXIT.input;
    }
    process.stderr.write(`zoning: 内部错误：${(e as Error).stack ?? String(e)}\n`);
    return EXIT.internal;
  }
}

