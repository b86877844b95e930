/**
 * The printable report of a stored decision: one self-contained HTML page (inline CSS and SVG, no
 * scripts, no external resources), laid out for A4 through @page CSS, in Chinese. Every piece of text
 * that comes from a request or a bundle is escaped. Pure: no I/O, no node:* (the Worker renders it too).
 *
 *   renderReportHtml(decision, { site, bundle }) → string
 */
import type { Bundle } from '../engine/bundle/types.js';
import type { Decision, Finding, ProjectFinding } from '../engine/evaluate/decision.js';
import type { Because, Check } from '../engine/policy/evaluate-policy.js';
import type { Approval, Clause, ConditionItem } from '../engine/policy/types.js';
import {
  activityName, attributeName, attributeValueText, authorityName, constraintLabel, escapeHtml as e, factName, factValueText,
  formatBeijingTime, formatDate, formatHa, formatM2, formatMetres, formatShare, LAND_SUPPLY_STATUS_NAMES, landSupplyName,
  OPERATOR_NAMES, verdictName,
} from './format.js';
import { renderMapSvg } from './map-svg.js';

export interface ReportOptions {
  /** The site as requested (GeoJSON Geometry or Feature); without it the map shows only the layers. */
  site?: unknown;
  /**
   * The bundle version that made the decision, for the map: its hash must be the decision's
   * bundleHash. The layers of any other version are not drawn (the figure says so instead).
   */
  bundle?: Bundle;
  /**
   * Why the deciding bundle version's layers cannot be drawn (e.g. the pinned version is no longer
   * available, or the layers are served by a remote source), shown under the figure when `bundle`
   * is absent.
   */
  layersUnavailable?: string;
  /** The jurisdiction's name when `bundle` is absent (e.g. from the active version). */
  jurisdictionName?: string;
  /** Name of the product / issuing system shown in the header and footer. */
  issuer?: string;
}

const CN_NUM = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
const VERDICT_CLASS: Record<string, string> = { allowed: 'v-allowed', conditional: 'v-conditional', forbidden: 'v-forbidden' };
const VERDICT_SUMMARY: Record<string, string> = {
  allowed: '项目用地符合国土空间规划管控要求，按一般程序办理规划许可和用地手续。',
  conditional: '项目用地在取得下列审批并落实相应条件后方可实施。',
  forbidden: '项目用地不符合国土空间规划管控要求，规则所列的任何审批均不能使其获准。',
};

const badge = (v: string) => `<span class="badge ${VERDICT_CLASS[v] ?? ''}">${e(verdictName(v))}</span>`;
const docName = (d: string) => (/^《.*》$/.test(d) ? d : `《${d}》`);

function clauseBlock(c: Clause): string {
  return (
    `<blockquote class="clause"><div class="clause-src">${e(docName(c.document))}<span class="sec">${e(c.section)}</span>` +
    `<span class="cid">${e(c.id)}</span></div><p>${e(c.text)}</p></blockquote>`
  );
}

function conditionList(items: ConditionItem[]): string {
  return `<ol class="conds">${items.map((c) => `<li>${e(c.text)}<span class="cid">${e(c.id)}</span></li>`).join('')}</ol>`;
}

function featureIdList(ids: string[]): string {
  if (!ids.length) return '<span class="muted">（派生要素，无图斑编号）</span>';
  const shown = ids.slice(0, 40).map((id) => `<code>${e(id)}</code>`).join(' ');
  return ids.length > 40 ? `${shown} <span class="muted">等，共 ${ids.length} 个图斑</span>` : shown;
}

function checksTable(checks: Check[] | undefined, kind?: string): string {
  return checks?.length
    ? `<table class="checks"><thead><tr><th>条件</th><th>判断</th><th>规则要求</th><th>本项目</th><th>结果</th></tr></thead><tbody>${checks
        .map(
          (c) =>
            `<tr><td>${e(factName(c.fact))}<div class="cid">${e(c.fact)}</div></td><td>${e(OPERATOR_NAMES[c.operator] ?? c.operator)}</td>` +
            `<td>${e(factValueText(c.fact, c.expected, kind))}</td><td>${e(factValueText(c.fact, c.actual, kind))}</td>` +
            `<td class="${c.result ? 'ok' : 'no'}">${c.result ? '✓ 满足' : '✗ 不满足'}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
}

function ruleText(b: Because): string {
  return (
    `${e(b.level === 'local' ? '地方政策' : '国家政策')} <code>${e(b.policy)}</code> 版本 ${e(b.version)}，` +
    `${b.rule ? `规则 <code>${e(b.rule)}</code>` : '无规则允许该用途（闭集原则：未列明允许的即为禁止）'}`
  );
}

/** Checks, clauses in full, approvals with their basis, conditions: the body shared by both kinds of finding. */
function groundsBlocks(x: { because: Because; clauses: Clause[]; approvals: Approval[]; conditions: ConditionItem[] }, kind?: string): string {
  const checks = checksTable(x.because.checks, kind);
  return (
    (checks ? `<h4>判定条件</h4>${checks}` : '') +
    (x.clauses.length ? `<h4>依据条款</h4>${x.clauses.map(clauseBlock).join('')}` : '') +
    (x.approvals.length
      ? `<h4>审批要求</h4><ul class="appr">${x.approvals.map((a) => `<li><b>${e(authorityName(a.authority))}</b>：${e(a.action)}${a.basis ? `<span class="muted">（${e(a.basis)}）</span>` : ''}</li>`).join('')}</ul>`
      : '') +
    (x.conditions.length ? `<h4>附加条件</h4>${conditionList(x.conditions)}` : '')
  );
}

/** How many findings give each verdict. */
function countByVerdict(list: { verdict: string }[]): Record<string, number> {
  const counts: Record<string, number> = { forbidden: 0, conditional: 0, allowed: 0 };
  for (const f of list) counts[f.verdict] = (counts[f.verdict] ?? 0) + 1;
  return counts;
}

function findingSection(f: Finding, i: number): string {
  const b = f.because;
  const area =
    f.overlapAreaM2 === null
      ? '点状用地，不计面积'
      : `${formatHa(f.overlapAreaM2)} 公顷（${formatM2(f.overlapAreaM2)} m²），占用地面积 ${formatShare(f.overlapShare)}`;
  return (
    `<section class="finding" id="finding-${i + 1}"><h3><span class="fnum">（${i + 1}）</span>${e(f.name || constraintLabel(f.kind, f.zone))} ${badge(f.verdict)}</h3>` +
    `<table class="kv"><tbody>` +
    `<tr><th>涉及图斑</th><td>${featureIdList(f.featureIds)}</td></tr>` +
    `<tr><th>重叠面积</th><td>${area}</td></tr>` +
    (f.distanceM !== null && f.distanceM !== undefined && (f.kind === 'road' || f.distanceM > 0)
      ? `<tr><th>距离</th><td>${e(formatMetres(f.distanceM))}</td></tr>`
      : '') +
    `<tr><th>判定说明</th><td>${e(f.message)}</td></tr>` +
    `<tr><th>适用规则</th><td>${ruleText(b)}</td></tr>` +
    `</tbody></table>` +
    groundsBlocks(f, f.kind) +
    `</section>`
  );
}

/** A project-level finding (approval level by area, mining, rural-housing siting): judged once on the whole site. */
function projectFindingSection(f: ProjectFinding, i: number): string {
  return (
    `<section class="finding project-finding" id="project-finding-${i + 1}"><h3><span class="fnum">（${i + 1}）</span>${e(f.title || f.policy)} ${badge(f.verdict)}</h3>` +
    `<table class="kv"><tbody>` +
    `<tr><th>政策</th><td><code>${e(f.policy)}</code></td></tr>` +
    `<tr><th>判定说明</th><td>${e(f.message)}</td></tr>` +
    `<tr><th>适用规则</th><td>${ruleText(f.because)}</td></tr>` +
    `</tbody></table>` +
    groundsBlocks(f) +
    `</section>`
  );
}

/** Renders the whole report page. */
export function renderReportHtml(decision: Decision, opts: ReportOptions = {}): string {
  // Decisions stored by earlier engine versions may lack later fields: render what is there.
  const d: Decision = {
    ...decision,
    project: { ...decision.project, attributes: decision.project?.attributes ?? {} },
    policies: decision.policies ?? [],
    findings: (decision.findings ?? []).map((f) => ({
      ...f, clauses: f.clauses ?? [], approvals: f.approvals ?? [], conditions: f.conditions ?? [], featureIds: f.featureIds ?? [],
      because: f.because ?? { policy: '—', version: '—', rule: null, level: 'national', message: '', checks: [] },
    })),
    projectFindings: (decision.projectFindings ?? []).map((f) => ({
      ...f, clauses: f.clauses ?? [], approvals: f.approvals ?? [], conditions: f.conditions ?? [],
      because: f.because ?? { policy: f.policy ?? '—', version: '—', rule: null, level: 'national', message: '', checks: [] },
    })),
    approvals: decision.approvals ?? [],
    conditions: decision.conditions ?? [],
    landSupply: (decision.landSupply ?? []).map((l) => ({ ...l, clauses: l.clauses ?? [], conditions: l.conditions ?? [] })),
    questions: decision.questions ?? [],
    warnings: decision.warnings ?? [],
  };
  const issuer = opts.issuer ?? '国土空间规划用途管制许可引擎';
  const sections: string[] = [];
  let n = 0;
  const h2 = (title: string) => `<h2>${CN_NUM[n++]}、${e(title)}</h2>`;
  const attrs = Object.entries(d.project.attributes ?? {});
  const corridor = d.site.corridorWidthM ?? (typeof d.project.attributes?.corridorWidthM === 'number' ? d.project.attributes.corridorWidthM : undefined);
  const siteTypeName: Record<string, string> = { Point: '点', Polygon: '多边形', MultiPolygon: '多个多边形', LineString: '线（按宽度缓冲）', MultiLineString: '多条线（按宽度缓冲）' };

  // 一、项目基本情况
  sections.push(
    h2('项目基本情况') +
      `<table class="kv info"><tbody>` +
      `<tr><th>项目名称</th><td colspan="3" class="pname">${e(d.project.name ?? '（未填写）')}</td></tr>` +
      `<tr><th>申请单位</th><td colspan="3">${e(d.project.applicant ?? '（未填写）')}</td></tr>` +
      `<tr><th>项目用途</th><td>${e(activityName(d.project.activity))} <code>${e(d.project.activity)}</code></td>` +
      `<th>所在辖区</th><td>${e(opts.bundle?.name ?? opts.jurisdictionName ?? d.jurisdiction)} <code>${e(d.jurisdiction)}</code></td></tr>` +
      `<tr><th>用地形态</th><td>${e(siteTypeName[d.site.type] ?? d.site.type)}${corridor ? `，宽 ${e(corridor)} 米` : ''}</td>` +
      `<th>用地面积</th><td><b>${formatHa(d.site.areaM2)}</b> 公顷（${formatM2(d.site.areaM2)} m²）</td></tr>` +
      `<tr><th>判定基准日</th><td>${e(formatDate(d.asOf))}</td><th>生成时间</th><td>${e(formatBeijingTime(d.createdAt))}</td></tr>` +
      `<tr><th>项目属性</th><td colspan="3">${
        attrs.length
          ? `<ul class="attrs">${attrs.map(([k, v]) => `<li>${e(attributeName(k))}：<b>${e(attributeValueText(k, v))}</b> <code>${e(k)}</code></li>`).join('')}</ul>`
          : '<span class="muted">未申报任何属性（判定不假定任何未申报的情形成立）</span>'
      }</td></tr>` +
      `</tbody></table>`,
  );

  // 二、审查结论
  const counts = countByVerdict(d.findings);
  const pcounts = countByVerdict(d.projectFindings);
  const decisive = [
    ...d.findings.map((f) => ({ verdict: f.verdict, title: f.name || constraintLabel(f.kind, f.zone), message: f.message })),
    ...d.projectFindings.map((f) => ({ verdict: f.verdict, title: f.title || f.policy, message: f.message })),
  ].filter((f) => f.verdict === d.verdict && d.verdict !== 'allowed');
  sections.push(
    h2('审查结论') +
      `<div class="verdict ${VERDICT_CLASS[d.verdict] ?? ''}"><div class="vlabel">判定结果</div><div class="vname">${e(verdictName(d.verdict))}</div>` +
      `<div class="vid">${e(d.verdict)}</div><div class="vtext">${e(VERDICT_SUMMARY[d.verdict] ?? '')}` +
      `<div class="vcount">共 ${d.findings.length} 项管控要素：禁止 ${counts.forbidden} 项，有条件允许 ${counts.conditional} 项，允许 ${counts.allowed} 项；` +
      (d.projectFindings.length
        ? `项目整体判定 ${d.projectFindings.length} 项：禁止 ${pcounts.forbidden} 项，有条件允许 ${pcounts.conditional} 项，允许 ${pcounts.allowed} 项；`
        : '') +
      `审批 ${d.approvals.length} 项，附加条件 ${d.conditions.length} 项，待核实事项 ${d.questions.length} 项。</div></div></div>` +
      (decisive.length
        ? `<div class="decisive"><b>决定性判定：</b><ul>${decisive.map((f) => `<li><b>${e(f.title)}</b>：${e(f.message)}</li>`).join('')}</ul></div>`
        : '') +
      `<p class="note">总体判定取各项管控要素判定和项目整体判定中最严格者（禁止 ＞ 有条件允许 ＞ 允许）；受保护图层实行闭集原则，未列明允许的用途即为禁止。</p>`,
  );

  // 三、用地位置示意图
  // Without the site, frame the features the site overlaps (not roads or zones, which reach far beyond it).
  const focus = d.findings.filter((f) => (f.overlapAreaM2 ?? 1) > 0 && f.kind !== 'road' && f.kind !== 'planning-zone').flatMap((f) => f.featureIds);
  // Only the layers of the bundle version that decided are drawn: another version's map would show
  // constraints the decision was not made on.
  const layerBundle = opts.bundle && opts.bundle.hash === d.bundleHash ? opts.bundle : undefined;
  const map = renderMapSvg({ site: opts.site, bundle: layerBundle, corridorWidthM: corridor, focusFeatureIds: focus });
  const mapNotes: string[] = [];
  if (map && !map.siteDrawn) mapNotes.push('原始申请中的用地范围不可用，本图仅绘制相关管控图层。');
  if (opts.bundle && !layerBundle) {
    mapNotes.push(`注意：所给数据包（${opts.bundle.hash}）与作出本决定时的数据包（${d.bundleHash}）不同，作出本决定时的数据包不可用，图中未绘制管控图层，仅绘制用地范围。`);
  } else if (!layerBundle && opts.layersUnavailable) {
    mapNotes.push(opts.layersUnavailable);
  }
  const notesHtml = mapNotes.map((t) => `<p class="note map-note">${e(t)}</p>`).join('');
  sections.push(
    h2('用地位置示意图') +
      (map
        ? `<figure class="mapfig">${map.svg}<figcaption>图 1　项目用地与管控图层叠加示意图（CGCS2000 经纬度，局部等距投影；图幅约 ${map.extentM[0].toFixed(0)} × ${map.extentM[1].toFixed(0)} 米，中心 ${map.center[0].toFixed(5)}°E，${map.center[1].toFixed(5)}°N）</figcaption>` +
          `${notesHtml}</figure>`
        : `<p class="muted">无可绘制的用地范围和管控图层。</p>${notesHtml}`),
  );

  // 四、管控要素叠加分析
  const total = d.findings.reduce((s, f) => s + (f.overlapAreaM2 ?? 0), 0);
  sections.push(
    h2('管控要素叠加分析') +
      `<table class="grid overlap"><thead><tr><th>序号</th><th>管控要素</th><th>图斑数</th><th class="num">重叠面积<br>（公顷）</th><th class="num">重叠面积<br>（m²）</th><th class="num">占用地<br>比例</th><th>判定</th></tr></thead><tbody>` +
      d.findings
        .map(
          (f, i) =>
            `<tr><td class="c">${i + 1}</td><td>${e(f.name || constraintLabel(f.kind, f.zone))}` +
            (f.kind === 'road' && f.distanceM !== null ? `<div class="dist">距公路用地边缘 ${e(formatMetres(f.distanceM))}</div>` : '') +
            `<div class="cid">${e(f.kind)}${f.zone ? ` / ${e(f.zone)}` : ''}</div></td>` +
            `<td class="c">${f.featureIds.length || '—'}</td><td class="num">${formatHa(f.overlapAreaM2)}</td><td class="num">${formatM2(f.overlapAreaM2)}</td>` +
            `<td class="num">${formatShare(f.overlapShare)}</td><td class="c">${badge(f.verdict)}</td></tr>`,
        )
        .join('') +
      (d.findings.length ? '' : `<tr><td colspan="7" class="c muted">用地未涉及任何管控要素</td></tr>`) +
      `</tbody><tfoot><tr><td></td><td>项目用地总面积</td><td></td><td class="num">${formatHa(d.site.areaM2)}</td><td class="num">${formatM2(d.site.areaM2)}</td><td class="num">100.00%</td><td></td></tr></tfoot></table>` +
      `<p class="note">面积为 CGCS2000 椭球面积；各要素可相互重叠（例如规划分区与永久基本农田），故各行之和（${formatHa(total)} 公顷）不等于用地面积。</p>`,
  );

  // 五、逐项判定及依据
  sections.push(h2('逐项判定及依据') + (d.findings.length ? d.findings.map(findingSection).join('') : '<p class="muted">无。</p>'));

  // 六、项目整体判定 (project-level policies: approval level by area, mining, rural-housing siting)
  sections.push(
    h2('项目整体判定及依据') +
      (d.projectFindings.length
        ? `<p class="note">以下判定依据项目整体情况（用地总面积、各类用地面积、矿种、宅基地选址等）作出，不针对单一管控图斑，同样计入总体判定。</p>` +
          d.projectFindings.map(projectFindingSection).join('')
        : '<p class="muted">无。</p>'),
  );

  // 六、审批要求
  sections.push(
    h2('审批要求') +
      (d.approvals.length
        ? `<table class="grid"><thead><tr><th>序号</th><th>审批机关</th><th>审批事项</th><th>依据</th></tr></thead><tbody>${d.approvals
            .map((a, i) => `<tr><td class="c">${i + 1}</td><td class="nowrap"><b>${e(authorityName(a.authority))}</b></td><td>${e(a.action)}</td><td>${e(a.basis ?? '')}</td></tr>`)
            .join('')}</tbody></table>`
        : '<p class="muted">无须规划管控规则所列的特别审批（一般规划许可和用地手续照常办理）。</p>'),
  );

  // 七、附加条件
  sections.push(h2('附加条件') + (d.conditions.length ? conditionList(d.conditions) : '<p class="muted">无。</p>'));

  // 八、土地供应方式
  sections.push(
    h2('土地供应方式') +
      (d.landSupply.length
        ? d.landSupply
            .map(
              (l) =>
                `<section class="supply"><h3>${e(l.name || landSupplyName(l.method))} <span class="st st-${e(l.status)}">${e(LAND_SUPPLY_STATUS_NAMES[l.status] ?? l.status)}</span> <code>${e(l.method)}</code></h3>` +
                `<p>${e(l.message)}</p>${l.conditions.length ? conditionList(l.conditions) : ''}${l.clauses.map(clauseBlock).join('')}</section>`,
            )
            .join('')
        : '<p class="muted">无适用的供地规则。</p>'),
  );

  // 九、待核实事项
  sections.push(
    h2('待核实事项') +
      (d.questions.length
        ? `<p class="note">以下事项申请中未说明，其答案将改变总体判定：</p><table class="grid"><thead><tr><th>序号</th><th>问题</th><th>答“是”</th><th>答“否”</th></tr></thead><tbody>${d.questions
            .map(
              (q, i) =>
                `<tr><td class="c">${i + 1}</td><td>${e(q.text)}<div class="cid">${e(q.attribute)}${q.kinds?.length ? ` · ${q.kinds.map((k) => e(constraintLabel(k, null))).join('、')}` : ''}</div>` +
                (q.answers?.length ? `<div class="answers">${q.answers.map((a) => `${e(attributeValueText(q.attribute, a.value))} → ${e(verdictName(a.verdict))}`).join('；')}</div>` : '') +
                `</td><td class="c">${badge(q.ifTrue)}</td><td class="c">${badge(q.ifFalse)}</td></tr>`,
            )
            .join('')}</tbody></table>`
        : '<p class="muted">无。</p>'),
  );

  // 十、提示事项
  sections.push(
    h2('提示事项') +
      (d.warnings.length
        ? `<ul class="warn">${d.warnings
            .map((w) => `<li>${e(w.message)}${w.areaM2 !== undefined ? `（${formatHa(w.areaM2)} 公顷）` : ''}<span class="cid">${e(w.code)}</span></li>`)
            .join('')}</ul>`
        : '<p class="muted">无。</p>'),
  );

  // 十一、判定依据版本
  sections.push(
    h2('判定依据及版本') +
      `<table class="grid mono-cols"><thead><tr><th>政策</th><th>层级</th><th>版本</th><th>内容哈希</th></tr></thead><tbody>${d.policies
        .map((p) => `<tr><td><code>${e(p.id)}</code></td><td class="c">${p.level === 'local' ? '地方' : '国家'}</td><td class="c">${e(p.version)}</td><td class="hash">${e(p.hash)}</td></tr>`)
        .join('')}</tbody></table>` +
      `<table class="kv meta"><tbody>` +
      `<tr><th>决定编号</th><td class="hash">${e(d.decisionId)}</td></tr>` +
      `<tr><th>数据包</th><td><code>${e(d.jurisdiction)}</code> <span class="hash">${e(d.bundleHash)}</span></td></tr>` +
      `<tr><th>引擎版本</th><td>${e(d.engineVersion)}</td></tr>` +
      `<tr><th>判定基准日</th><td>${e(d.asOf)}</td></tr>` +
      `<tr><th>生成时间</th><td>${e(d.createdAt)}（${e(formatBeijingTime(d.createdAt))}）</td></tr>` +
      `</tbody></table>` +
      `<p class="note">凭决定编号可通过 <code>GET /v1/decisions/${e(d.decisionId)}</code> 调取本决定的完整记录；政策哈希与数据包哈希可核验作出本决定所依据的规则与图层。</p>`,
  );

  const safeId = d.decisionId.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>审查报告 · ${e(d.project.name ?? d.decisionId)}</title>
<style>${css(safeId)}</style>
</head>
<body>
<main class="sheet">
<header class="doc-head">
<div class="issuer">${e(issuer)}</div>
<h1>建设项目国土空间规划用途管制审查报告</h1>
<div class="sub">${e(opts.bundle?.name ?? opts.jurisdictionName ?? d.jurisdiction)} · 决定编号 <span class="hash">${e(d.decisionId)}</span> · ${e(formatDate(d.createdAt?.slice(0, 10)))}</div>
</header>
${sections.join('\n')}
<footer class="doc-foot">
<p>本报告由${e(issuer)}依据上列政策版本和数据包自动生成，判定结论以所列条款原文为准；所涉审批由相应机关依法作出，本报告不代替行政许可。</p>
</footer>
</main>
</body>
</html>
`;
}

function css(decisionId: string): string {
  return `
@page { size: A4; margin: 18mm 16mm 18mm 18mm;
  @top-left { content: "建设项目国土空间规划用途管制审查报告"; font-size: 8pt; color: #777; font-family: "Noto Sans CJK SC", sans-serif; }
  @top-right { content: "决定编号 ${decisionId}"; font-size: 8pt; color: #777; font-family: "Noto Sans CJK SC", sans-serif; }
  @bottom-center { content: "第 " counter(page) " 页　共 " counter(pages) " 页"; font-size: 8.5pt; color: #555; font-family: "Noto Sans CJK SC", sans-serif; }
}
:root { --ink: #1d1d1f; --muted: #6b6b6b; --rule: #c9c9c9; --head: #2b3a55; --allowed: #1b7a3a; --conditional: #b86200; --forbidden: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #e8e8e8; color: var(--ink); font: 10.5pt/1.65 "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, serif; }
.sheet { width: 210mm; min-height: 297mm; margin: 10mm auto; padding: 18mm 16mm 18mm 18mm; background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
h1, h2, h3, h4, th, .badge, .verdict, .issuer, .sub, figcaption, .st { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; }
.doc-head { text-align: center; border-bottom: 2.5px solid var(--head); padding-bottom: 4mm; margin-bottom: 5mm; position: relative; }
.doc-head::after { content: ""; position: absolute; left: 0; right: 0; bottom: -5px; border-bottom: 0.8px solid var(--head); }
.issuer { font-size: 9.5pt; color: var(--muted); letter-spacing: .2em; }
h1 { font-size: 19pt; margin: 1.5mm 0 1.5mm; letter-spacing: .08em; color: var(--head); }
.sub { font-size: 9pt; color: var(--muted); }
h2 { font-size: 13pt; color: var(--head); margin: 7mm 0 2.5mm; padding-bottom: 1mm; border-bottom: 1px solid var(--rule); break-after: avoid; }
h3 { font-size: 11pt; margin: 5mm 0 2mm; break-after: avoid; }
h4 { font-size: 10pt; margin: 3mm 0 1.5mm; color: #444; break-after: avoid; }
p { margin: 1.5mm 0; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8.3pt; color: #555; background: #f3f3f3; padding: 0 1mm; border-radius: 1mm; overflow-wrap: anywhere; }
.hash { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 8pt; overflow-wrap: anywhere; word-break: break-all; }
.cid { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 7.5pt; color: #8a8a8a; margin-left: 1.5mm; }
div.cid { margin-left: 0; }
.muted { color: var(--muted); }
.note { font-size: 9pt; color: var(--muted); }
.nowrap { white-space: nowrap; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0; font-size: 9.5pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 0.6pt solid var(--rule); padding: 1.2mm 2mm; vertical-align: top; text-align: left; }
th { background: #eef1f6; font-weight: 600; color: #2b3a55; white-space: nowrap; }
th.wrap { white-space: normal; }
table.kv th { width: 24mm; white-space: nowrap; }
table.info td.pname { font-size: 11.5pt; font-weight: 700; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.c { text-align: center; white-space: nowrap; }
td code { white-space: nowrap; }
td.hash { font-size: 7.5pt; }
tfoot td { font-weight: 700; background: #fafafa; }
ul.attrs { margin: 0; padding-left: 4mm; }
.badge { display: inline-block; padding: 0 2mm; border-radius: 1mm; font-size: 8.8pt; font-weight: 700; color: #fff; white-space: nowrap; vertical-align: .1em; }
.v-allowed.badge { background: var(--allowed); } .v-conditional.badge { background: var(--conditional); } .v-forbidden.badge { background: var(--forbidden); }
.verdict { display: grid; grid-template-columns: 64mm 1fr; grid-template-rows: auto auto auto; border: 2px solid; border-radius: 2mm; overflow: hidden; margin: 3mm 0; break-inside: avoid; }
.verdict .vlabel { grid-column: 1; grid-row: 1; color: #fff; font-size: 9pt; letter-spacing: .3em; padding: 3mm 4mm 0; }
.verdict .vname { grid-column: 1; grid-row: 2; color: #fff; font-size: 28pt; white-space: nowrap; font-weight: 800; line-height: 1.2; padding: 0 4mm; letter-spacing: .06em; }
.verdict .vid { grid-column: 1; grid-row: 3; color: rgba(255,255,255,.85); font-size: 9pt; padding: 0 4mm 3mm; font-family: "DejaVu Sans Mono", monospace; }
.verdict .vtext { grid-column: 2; grid-row: 1 / span 3; padding: 4mm 5mm; font-size: 11pt; align-self: center; }
.verdict .vcount { font-size: 9pt; color: var(--muted); margin-top: 1.5mm; }
.verdict.v-allowed { border-color: var(--allowed); } .verdict.v-allowed .vlabel, .verdict.v-allowed .vname, .verdict.v-allowed .vid { background: var(--allowed); }
.verdict.v-conditional { border-color: var(--conditional); } .verdict.v-conditional .vlabel, .verdict.v-conditional .vname, .verdict.v-conditional .vid { background: var(--conditional); }
.verdict.v-forbidden { border-color: var(--forbidden); } .verdict.v-forbidden .vlabel, .verdict.v-forbidden .vname, .verdict.v-forbidden .vid { background: var(--forbidden); }
.decisive { border-left: 3px solid var(--rule); padding: 1mm 0 1mm 3mm; font-size: 9.8pt; }
.decisive ul { margin: 1mm 0; padding-left: 5mm; }
figure.mapfig { margin: 2mm 0; break-inside: avoid; }
figure.mapfig svg { width: 100%; height: auto; display: block; }
figcaption { text-align: center; font-size: 9pt; color: #444; margin-top: 1.5mm; }
section.finding { border-top: 1px dashed var(--rule); padding-top: 1mm; }
section.finding:first-of-type { border-top: 0; }
.fnum { color: var(--muted); font-weight: 400; }
table.checks { font-size: 8.8pt; }
table.checks td.ok { color: var(--allowed); white-space: nowrap; } table.checks td.no { color: var(--forbidden); white-space: nowrap; }
blockquote.clause { margin: 1.5mm 0 2mm; padding: 1.5mm 3mm; border-left: 3px solid #8ea3c4; background: #f6f8fb; break-inside: avoid; }
blockquote.clause .clause-src { font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; font-weight: 600; color: #2b3a55; }
blockquote.clause .sec { margin-left: 2mm; font-weight: 400; color: #444; }
blockquote.clause p { margin: .8mm 0 0; font-size: 10pt; }
ol.conds, ul.appr, ul.warn { margin: 1mm 0; padding-left: 6mm; }
ol.conds li, ul.appr li, ul.warn li { margin: .8mm 0; }
section.supply h3 { font-size: 10.5pt; }
.st { font-size: 8.8pt; padding: 0 1.8mm; border-radius: 1mm; border: 1px solid; font-weight: 600; }
.st-required { color: var(--head); border-color: var(--head); } .st-permitted { color: var(--allowed); border-color: var(--allowed); } .st-forbidden { color: var(--forbidden); border-color: var(--forbidden); }
.dist { font-size: 8.8pt; color: #444; }
.answers { font-size: 8.8pt; color: #444; margin-top: .8mm; }
table.meta th { width: 24mm; }
.doc-foot { margin-top: 8mm; padding-top: 2mm; border-top: 0.8px solid var(--rule); font-size: 8.5pt; color: var(--muted); }
@media print {
  body { background: #fff; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  h2 { break-after: avoid; }
}
`;
}
