/** `zoning check` and `zoning bundle check`. */
import { writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { randomUUID } from 'node:crypto';
import { evaluateProject, type Bundle, type Decision } from '../engine/index.js';
import { geodesicDistanceM } from '../engine/geometry/index.js';
import { renderReportHtml } from '../report/render-report.js';
import { displayWidth, formatHa, kindName, padDisplay, zoneName } from '../report/format.js';
import { CliError, EXIT, engineContext } from './common.js';
import { readSite, type SiteReadOptions } from './site-file.js';
import { renderTable } from './table.js';

export interface CheckOptions extends SiteReadOptions {
  siteFile: string;
  bundle: Bundle;
  activity?: string;
  attributes: Record<string, string | number | boolean>;
  asOf?: string;
  format: 'table' | 'json' | 'report';
  name?: string;
  applicant?: string;
  out?: string;
}

export async function runCheck(o: CheckOptions): Promise<{ decision: Decision; exitCode: number }> {
  if (!o.activity) throw new CliError('缺少 --activity（项目用途编号，例如 industrial；zoning activities 列出全部）');
  const site = await readSite(o.siteFile, o);
  for (const w of site.warnings) process.stderr.write(`zoning: 注意：${w}\n`);
  const name = o.name ?? site.name ?? basename(o.siteFile, extname(o.siteFile));
  const ctx = await engineContext(o.bundle);
  const decision = await evaluateProject(
    ctx,
    { jurisdiction: o.bundle.id, asOf: o.asOf, project: { name, ...(o.applicant ? { applicant: o.applicant } : {}), activity: o.activity, attributes: o.attributes }, site: site.geometry },
    { decisionId: randomUUID(), now: new Date() },
  );

  let text: string | Uint8Array;
  if (o.format === 'json') text = `${JSON.stringify(decision, null, 2)}\n`;
  else if (o.format === 'report') {
    const html = renderReportHtml(decision, { site: site.geometry, bundle: o.bundle });
    if (o.out && extname(o.out).toLowerCase() === '.pdf') {
      const { renderPdf, closePdfBrowser } = await import('./render-pdf.js');
      try {
        text = await renderPdf(html);
      } catch (e) {
        throw new CliError(`无法生成 PDF（需要 Chromium，可用 ZONING_CHROMIUM 指定路径）：${(e as Error).message.split('\n')[0]}`, EXIT.internal);
      } finally {
        await closePdfBrowser();
      }
    } else text = html;
  } else text = renderTable(decision, { color: !o.out && !!process.stdout.isTTY && !process.env.NO_COLOR, bundleName: o.bundle.name });

  if (o.out) {
    writeFileSync(o.out, text);
    process.stderr.write(`zoning: ${decision.verdict}，已写入 ${o.out}\n`);
  } else await writeOut(text);
  return { decision, exitCode: EXIT[decision.verdict] };
}

/** Writes to stdout and waits until it is flushed (the process exits with a code right after). */
export function writeOut(text: string | Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(text, () => resolve());
  });
}

export function bundleStatsText(b: Bundle, dir: string): string {
  const lines: string[] = [];
  lines.push(`数据包有效：${dir}`);
  lines.push(`  辖区 ${b.name}（${b.id}），${b.features.length} 个要素，碎片容差 ${b.sliverToleranceM2} m²`);
  lines.push(`  数据包哈希 ${b.hash}`);
  lines.push(`  范围 ${b.bbox.map((v) => v.toFixed(6)).join(', ')}`);
  lines.push(`  地方政策 ${b.localPolicies.length ? b.localPolicies.join('、') : '（无，只适用国家政策）'}`);
  lines.push('');
  const head = ['类型', 'kind', '分区/级别', '要素数', '面积（公顷）'];
  const lengths = lineLengths(b);
  const rows = b.stats.map((s) => [
    kindName(s.kind), s.kind, s.zone === null ? '—' : `${zoneName(s.kind, s.zone)}（${s.zone}）`, String(s.features),
    s.areaM2 === null ? `（线，长 ${((lengths.get(`${s.kind}|${s.zone ?? ''}`) ?? 0) / 1000).toFixed(2)} 千米）` : formatHa(s.areaM2),
  ]);
  const w = head.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]))));
  const fmt = (r: string[]) => `  ${padDisplay(r[0], w[0])}  ${padDisplay(r[1], w[1])}  ${padDisplay(r[2], w[2])}  ${padDisplay(r[3], w[3], 'right')}  ${padDisplay(r[4], w[4], 'right')}`;
  lines.push(fmt(head));
  for (const r of rows) lines.push(fmt(r));
  return lines.join('\n') + '\n';
}

/** Geodesic length of the line layers (roads), by kind and zone. */
function lineLengths(b: Bundle): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of b.features) {
    if (!f.lines) continue;
    const key = `${f.kind}|${f.zone ?? ''}`;
    let m = out.get(key) ?? 0;
    for (const l of f.lines) for (let i = 1; i < l.length; i++) m += geodesicDistanceM(l[i - 1], l[i]);
    out.set(key, m);
  }
  return out;
}

export function bundleStatsJson(b: Bundle, dir: string) {
  const lengths = lineLengths(b);
  return {
    valid: true, dir, id: b.id, name: b.name, bundleHash: b.hash, features: b.features.length, bbox: b.bbox, policies: b.localPolicies,
    layers: b.stats.map((s) => ({ kind: s.kind, kindName: kindName(s.kind), zone: s.zone, zoneName: zoneName(s.kind, s.zone), features: s.features, areaM2: s.areaM2, areaHa: s.areaM2 === null ? null : Math.round(s.areaM2) / 10_000,
      lengthM: s.areaM2 === null ? Math.round((lengths.get(`${s.kind}|${s.zone ?? ''}`) ?? 0) * 100) / 100 : null,
    })),
  };
}
