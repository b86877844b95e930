/** `zoning check --format table`: the decision as a Chinese plain-text summary for a terminal. */
import type { Decision } from '../engine/index.js';
import {
  activityName, attributeName, attributeValueText, authorityName, constraintLabel, displayWidth, formatHa, formatM2, formatShare,
  LAND_SUPPLY_STATUS_NAMES, landSupplyName, padDisplay, verdictName,
} from '../report/format.js';

const COLORS: Record<string, string> = { allowed: '\x1b[32m', conditional: '\x1b[33m', forbidden: '\x1b[31m' };

export function renderTable(d: Decision, opts: { color?: boolean; bundleName?: string } = {}): string {
  const c = (v: string, s: string) => (opts.color ? `${COLORS[v] ?? ''}\x1b[1m${s}\x1b[0m` : s);
  const bold = (s: string) => (opts.color ? `\x1b[1m${s}\x1b[0m` : s);
  const out: string[] = [];
  const rule = '─'.repeat(72);
  out.push(`判定结果：${c(d.verdict, `${verdictName(d.verdict)}（${d.verdict}）`)}`);
  out.push(rule);
  out.push(`项目名称：${d.project.name ?? '（未填写）'}`);
  if (d.project.applicant) out.push(`申请单位：${d.project.applicant}`);
  out.push(`项目用途：${activityName(d.project.activity)}（${d.project.activity}）`);
  const attrs = Object.entries(d.project.attributes ?? {});
  if (attrs.length) out.push(`项目属性：${attrs.map(([k, v]) => `${attributeName(k)}=${attributeValueText(k, v)}`).join('；')}`);
  out.push(`用地面积：${formatHa(d.site.areaM2)} 公顷（${formatM2(d.site.areaM2)} m²，${d.site.type}${d.site.corridorWidthM ? `，宽 ${d.site.corridorWidthM} 米` : ''}）`);
  out.push(`辖区：${opts.bundleName ? `${opts.bundleName}（${d.jurisdiction}）` : d.jurisdiction}　基准日：${d.asOf}`);

  out.push('', bold('管控要素'));
  const rows = d.findings.map((f) => [constraintLabel(f.kind, f.zone), f.overlapAreaM2 === null && f.distanceM !== null && d.site.type !== 'Point' ? `距 ${f.distanceM.toFixed(1)} 米` : formatHa(f.overlapAreaM2), formatShare(f.overlapShare), verdictName(f.verdict), f.verdict]);
  const head = ['管控要素', '重叠面积（公顷）', '占用地比例', '判定'];
  const w0 = Math.max(displayWidth(head[0]), ...rows.map((r) => displayWidth(r[0])));
  const w1 = Math.max(displayWidth(head[1]), ...rows.map((r) => displayWidth(r[1])));
  const w2 = Math.max(displayWidth(head[2]), ...rows.map((r) => displayWidth(r[2])));
  out.push(`  ${padDisplay(head[0], w0)}  ${padDisplay(head[1], w1, 'right')}  ${padDisplay(head[2], w2, 'right')}  ${head[3]}`);
  for (const r of rows) out.push(`  ${padDisplay(r[0], w0)}  ${padDisplay(r[1], w1, 'right')}  ${padDisplay(r[2], w2, 'right')}  ${c(r[4], r[3])}`);
  if (!rows.length) out.push('  （用地未涉及任何管控要素）');
  for (const [i, f] of d.findings.entries()) {
    if (f.verdict === 'allowed') continue;
    out.push(`  [${i + 1}] ${constraintLabel(f.kind, f.zone)}：${f.message}`);
    for (const cl of f.clauses) out.push(`      《${cl.document.replace(/^《|》$/g, '')}》${cl.section}：${cl.text}`);
  }

  const section = (title: string, lines: string[]) => {
    out.push('', bold(title));
    out.push(...(lines.length ? lines : ['  无']));
  };
  section('审批要求', d.approvals.map((a, i) => `  ${i + 1}. ${authorityName(a.authority)}：${a.action}${a.basis ? `（${a.basis}）` : ''}`));
  section('附加条件', d.conditions.map((x, i) => `  ${i + 1}. ${x.text}`));
  section(
    '土地供应方式',
    d.landSupply.map((l) => `  ${padDisplay(l.name || landSupplyName(l.method), 20)} ${padDisplay(LAND_SUPPLY_STATUS_NAMES[l.status] ?? l.status, 8)} ${l.message}`),
  );
  section(
    '待核实事项',
    d.questions.map((q) => `  - ${q.text}（${q.attribute}）答“是”→${verdictName(q.ifTrue)}；答“否”→${verdictName(q.ifFalse)}`),
  );
  if (d.warnings.length) section('提示', d.warnings.map((w) => `  - ${w.message}`));
  out.push('', rule);
  out.push(`决定编号 ${d.decisionId}　引擎 ${d.engineVersion}　数据包 ${d.bundleHash}`);
  out.push(`政策：${d.policies.map((p) => `${p.id}@${p.version}`).join('，')}`);
  return out.join('\n') + '\n';
}
