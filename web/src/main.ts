/**
 * The page: choose a jurisdiction, give a site (draw, paste or upload), choose the activity,
 * evaluate; answer the questions that matter (each answer re-evaluates); see the findings on the
 * map; run a suitability search over the jurisdiction.
 */
import { ApiError, getJson, postFile, postJson } from './api.js';
import { byId, clear, h, ha, haValue } from './dom.js';
import { Drawer } from './draw.js';
import { MapView, VERDICT_COLOR, VERDICT_NAME, type LegendEntry } from './map-view.js';
import { LAND_STATUS, valueName } from './names.js';
import { fromGeoJson, looksLikeSurveyTxt, parseSiteText, parseSurveyTxt, SiteInputError } from './site-input.js';
import { bindRadios, bindSelect } from './commit.js';
import type {
  Activity, AttributeDef, Catalogue, Decision, Finding, Geometry, JointQuestion, Jurisdiction, JurisdictionDetail, LayerFeature, Problem, Question, SuitabilityResult, Verdict, Vocabulary,
} from './types.js';

type AttrValue = string | number | boolean;

interface Site { geometry: Geometry | null; file: File | null; label: string }

const state = {
  jurisdictions: [] as Jurisdiction[],
  jurisdiction: '',
  attributes: new Map<string, AttributeDef>(),
  activities: [] as Activity[],
  vocab: null as Vocabulary | null,
  site: null as Site | null,
  answers: {} as Record<string, AttrValue>,
  decision: null as Decision | null,
  pending: null as AbortController | null,
  suitability: null as SuitabilityResult | null,
};

const el = {
  jurisdiction: byId<HTMLSelectElement>('jurisdiction'),
  form: byId<HTMLFormElement>('project-form'),
  activity: byId<HTMLSelectElement>('activity'),
  projectName: byId<HTMLInputElement>('project-name'),
  siteStatus: byId('site-status'),
  siteText: byId<HTMLTextAreaElement>('site-text'),
  siteFile: byId<HTMLInputElement>('site-file'),
  corridorRow: byId('corridor-row'),
  corridor: byId<HTMLInputElement>('corridor-width'),
  attrList: byId('attribute-list'),
  result: byId('result'),
  status: byId('status'),
  mapStatus: byId('map-status'),
  legend: byId<HTMLDetailsElement>('legend'),
  legendList: byId('legend-list'),
  drawHint: byId('draw-hint'),
  crosshair: byId('crosshair'),
  drawPolygon: byId<HTMLButtonElement>('draw-polygon'),
  drawPoint: byId<HTMLButtonElement>('draw-point'),
  suitRun: byId<HTMLButtonElement>('suit-run'),
  suitCell: byId<HTMLSelectElement>('suit-cell'),
  suitStatus: byId('suit-status'),
  suitSummary: byId('suit-summary'),
  suitShow: byId<HTMLInputElement>('suit-show'),
};

const view = new MapView(byId('map'));
// Read-only hook for the browser tests (tests/web): the Leaflet map and what is highlighted.
(window as unknown as { __zoning: unknown }).__zoning = { map: view.map, highlighted: () => view.highlightedCount(), suitability: () => state.suitability };
const drawer = new Drawer(view, el.drawHint, el.crosshair, (g) => setSite({ geometry: g, file: null, label: g.type === 'Point' ? '地图上放置的点位' : '地图上绘制的多边形' }), (message) => {
  // The hint goes with the drawing (on a phone it would cover the legend button); how the drawing
  // ended is said in the map's status line.
  el.drawHint.hidden = true;
  el.mapStatus.textContent = message;
  el.drawPolygon.setAttribute('aria-pressed', 'false');
  el.drawPoint.setAttribute('aria-pressed', 'false');
});

/** Starts drawing; the map takes focus, so the keys (arrows, Space, Enter, Esc) draw at once. */
function startDrawing(mode: 'polygon' | 'point', button: HTMLButtonElement): void {
  drawer.start(mode);
  el.drawHint.hidden = false;
  button.setAttribute('aria-pressed', 'true');
  view.map.getContainer().focus();
}

// ---- start-up ------------------------------------------------------------------------------

async function init(): Promise<void> {
  if (window.matchMedia('(max-width: 700px)').matches) el.legend.open = false;
  // One request for everything the page starts with (the jurisdiction asked for in ?jurisdiction=
  // comes with its detail); then the layers.
  const wanted = new URLSearchParams(location.search).get('jurisdiction');
  const cat = await getJson<Catalogue>(`/web/catalogue.json${wanted ? `?jurisdiction=${encodeURIComponent(wanted)}` : ''}`);
  state.jurisdictions = cat.jurisdictions;
  state.activities = cat.activities;
  state.vocab = cat.vocabulary;
  for (const a of cat.attributes) state.attributes.set(a.id, a);
  view.setNames(cat.vocabulary.kinds);

  clear(el.jurisdiction);
  for (const j of cat.jurisdictions) el.jurisdiction.appendChild(h('option', { value: j.id }, `${j.name}（${j.id}）`));
  clear(el.activity);
  el.activity.appendChild(h('option', { value: '' }, '— 请选择活动类型 —'));
  for (const a of cat.activities) el.activity.appendChild(h('option', { value: a.id }, a.name));
  renderAttributeEditor();

  const first = cat.jurisdiction ?? cat.jurisdictions[0];
  if (!first) {
    el.mapStatus.textContent = '服务器没有加载任何辖区数据包。';
    return;
  }
  el.jurisdiction.value = first.id;
  await loadJurisdiction(first.id, cat.jurisdiction ?? undefined);
}

async function loadJurisdiction(id: string, known?: JurisdictionDetail): Promise<void> {
  state.jurisdiction = id;
  const j = state.jurisdictions.find((x) => x.id === id);
  if (j) view.fitBbox(j.bbox);
  clearResult();
  showSuitability(null);
  el.mapStatus.textContent = '正在加载管控图层…';
  document.body.dataset.layers = 'loading';
  try {
    const [detail, layers] = await Promise.all([
      known?.id === id ? known : getJson<JurisdictionDetail>(`/v1/jurisdictions/${encodeURIComponent(id)}`),
      getJson<{ features: LayerFeature[] }>(`/v1/jurisdictions/${encodeURIComponent(id)}/layers.geojson`),
    ]);
    view.setLayers(layers.features);
    const entries = new Map<string, LegendEntry>();
    for (const l of detail.layers) {
      const e = entries.get(l.kind) ?? { kind: l.kind, kindName: l.kindName, zones: [] };
      e.zones.push({ zone: l.zone, name: l.zoneName });
      entries.set(l.kind, e);
    }
    // Zones in the vocabulary's order (e.g. 高速公路, 国道, 省道, 县道, 乡道).
    for (const e of entries.values()) {
      const order = Object.keys(state.vocab?.kinds.find((k) => k.id === e.kind)?.values ?? {});
      const rank = (z: string | null) => (z === null ? -1 : order.indexOf(z) === -1 ? 99 : order.indexOf(z));
      e.zones.sort((a, b) => rank(a.zone) - rank(b.zone));
    }
    view.renderLegend(el.legendList, [...entries.values()]);
    el.mapStatus.textContent = `${detail.name}：${layers.features.length} 个管控要素。点击地图可查询该处图层。`;
    document.body.dataset.layers = 'ready';
  } catch (e) {
    el.mapStatus.textContent = `图层加载失败：${(e as Error).message}`;
    document.body.dataset.layers = 'error';
  }
}

// ---- the site ------------------------------------------------------------------------------

function setSite(site: Site | null): void {
  state.site = site;
  view.showSite(site?.geometry ?? null);
  const isLine = !!site?.geometry && site.geometry.type.includes('LineString');
  el.corridorRow.hidden = !isLine;
  if (!site) el.siteStatus.textContent = '尚未选择用地。';
  else {
    const g = site.geometry;
    const what = g ? (g.type === 'Point' ? '点位' : g.type.includes('Line') ? '线性用地' : g.type === 'MultiPolygon' ? `${g.coordinates.length} 个地块` : '多边形') : '文件';
    el.siteStatus.textContent = `已选用地：${site.label}（${what}）。`;
  }
  document.body.dataset.site = site ? 'set' : 'none';
  if (site && el.activity.value) void evaluate();
}

function siteError(msg: string): void {
  el.siteStatus.textContent = `用地无法读取：${msg}`;
  el.siteStatus.classList.add('error');
  setTimeout(() => el.siteStatus.classList.remove('error'), 4000);
}

/** A file's text: UTF-8, or GB18030 (GBK) when it is not valid UTF-8 (common for 界址点 files). */
async function fileText(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

async function readFile(file: File): Promise<void> {
  const text = await fileText(file);
  const isTxt = /\.txt$/i.test(file.name) || looksLikeSurveyTxt(text);
  if (isTxt) {
    // The server reads the file (multipart); the preview here only draws it.
    let preview: Geometry | null = null;
    try {
      preview = parseSurveyTxt(text);
    } catch {
      preview = null;
    }
    setSite({ geometry: preview, file, label: `界址点坐标文件 ${file.name}` });
    return;
  }
  try {
    setSite({ geometry: fromGeoJson(JSON.parse(text)), file: null, label: `GeoJSON 文件 ${file.name}` });
  } catch (e) {
    siteError(e instanceof SiteInputError ? e.message : `不是有效的 GeoJSON：${(e as Error).message}`);
  }
}

// ---- project attributes ----------------------------------------------------------------------

function attributeControl(def: AttributeDef, q: Question | null, idPrefix: string): HTMLElement {
  const current = state.answers[def.id];
  const label = q?.text ?? def.question ?? def.name;
  const record = (v: AttrValue | undefined) => {
    if (v === undefined || v === '') delete state.answers[def.id];
    else state.answers[def.id] = v;
    syncAttributeEditor();
  };
  // Applied at once when chosen with the pointer or Space; browsing with the arrow keys only
  // records the answer until Enter (commit.ts).
  const commit = () => {
    if (state.site && el.activity.value) void evaluate();
  };
  const pending = () => {
    if (state.site && el.activity.value) setStatus('已记录回答。按 Enter 键或“评估”按钮重新评估。');
  };
  const hint = (v: Verdict | undefined) => (v ? `（→ ${VERDICT_NAME[v]}）` : '');
  if (def.type === 'boolean') {
    const name = `${idPrefix}-${def.id}`;
    const radios: { input: HTMLInputElement; value: string }[] = [];
    const opt = (value: string, text: string) => {
      const id = `${name}-${value}`;
      const input = h('input', { type: 'radio', name, id, value });
      input.checked = value === 'unset' ? current === undefined : String(current) === value;
      radios.push({ input, value });
      return h('label', { for: id, class: 'radio' }, input, text);
    };
    const box = h('fieldset', { class: 'attr', 'data-attribute': def.id },
      h('legend', {}, label),
      h('div', { class: 'radios' }, opt('true', `是${hint(q?.ifTrue)}`), opt('false', `否${hint(q?.ifFalse)}`), opt('unset', '未回答')),
    );
    bindRadios(radios, { update: (v) => record(v === 'unset' ? undefined : v === 'true'), commit, pending });
    return box;
  }
  const id = `${idPrefix}-${def.id}`;
  if (def.values || q?.answers) {
    const select = h('select', { id, 'data-attribute': def.id });
    select.appendChild(h('option', { value: '' }, q ? '未回答' : '未填写'));
    const values = q?.answers ? q.answers.map((a) => ({ value: a.value, verdict: a.verdict as Verdict | undefined })) : (def.values ?? []).map((v) => ({ value: v, verdict: undefined }));
    if (current !== undefined && !values.some((v) => v.value === String(current))) values.unshift({ value: String(current), verdict: undefined });
    for (const v of values) select.appendChild(h('option', { value: v.value }, `${valueName(def.id, v.value)}${hint(v.verdict)}`));
    select.value = current === undefined ? '' : String(current);
    bindSelect(select, { update: (v) => record(v || undefined), commit, pending });
    return h('div', { class: 'attr', 'data-attribute': def.id }, h('label', { for: id }, label), select);
  }
  const input = h('input', { id, type: def.type === 'string' ? 'text' : 'number', step: def.type === 'integer' ? '1' : 'any', min: def.type === 'integer' ? '1' : null, 'data-attribute': def.id });
  input.value = current === undefined ? '' : String(current);
  input.addEventListener('change', () => {
    record(input.value === '' ? undefined : def.type === 'string' ? input.value : Number(input.value));
    commit();
  });
  return h('div', { class: 'attr', 'data-attribute': def.id }, h('label', { for: id }, label), input);
}

/** The full list of project attributes (collapsed), for answers given before evaluating. */
function renderAttributeEditor(): void {
  clear(el.attrList);
  for (const def of state.attributes.values()) {
    if (def.id === 'corridorWidthM') continue;
    el.attrList.appendChild(attributeControl({ ...def, question: def.name }, null, 'attr'));
  }
}

function syncAttributeEditor(): void {
  for (const def of state.attributes.values()) {
    const v = state.answers[def.id];
    if (def.type === 'boolean') {
      for (const r of el.attrList.querySelectorAll<HTMLInputElement>(`input[name="attr-${def.id}"]`)) {
        r.checked = r.value === (v === undefined ? 'unset' : String(v));
      }
    } else {
      const c = el.attrList.querySelector<HTMLInputElement | HTMLSelectElement>(`#attr-${CSS.escape(def.id)}`);
      if (c) c.value = v === undefined ? '' : String(v);
    }
  }
}

// ---- evaluation ------------------------------------------------------------------------------

function projectBody(): { name?: string; activity: string; attributes: Record<string, AttrValue> } {
  const attributes: Record<string, AttrValue> = { ...state.answers };
  const g = state.site?.geometry;
  if (g && g.type.includes('LineString') && el.corridor.value) attributes.corridorWidthM = Number(el.corridor.value);
  const name = el.projectName.value.trim();
  return { ...(name ? { name } : {}), activity: el.activity.value, attributes };
}

async function evaluate(): Promise<void> {
  if (!state.site) {
    setStatus('请先在地图上绘制用地、放置点位，或粘贴/上传用地范围。', true);
    el.drawPolygon.focus();
    return;
  }
  if (!el.activity.value) {
    setStatus('请选择活动类型。', true);
    el.activity.focus();
    return;
  }
  state.pending?.abort();
  const ctrl = new AbortController();
  state.pending = ctrl;
  setStatus('正在评估…');
  el.result.setAttribute('aria-busy', 'true');
  document.body.dataset.evaluating = 'true';
  const request = { jurisdiction: state.jurisdiction, project: projectBody() };
  try {
    const site = state.site;
    const d = site.file
      ? await postFile<Decision>('/v1/evaluate', site.file, request, ctrl.signal)
      : await postJson<Decision>('/v1/evaluate', { ...request, site: site.geometry }, ctrl.signal);
    if (ctrl.signal.aborted) return;
    state.decision = d;
    if (site.file && !site.geometry && d.site.geometry) {
      site.geometry = d.site.geometry;
      view.showSite(site.geometry);
    }
    const focused = renderDecision(d);
    setStatus('');
    el.mapStatus.textContent = `评估结论：${VERDICT_NAME[d.verdict]}（${d.findings.length} 项管控，详见评估结果）`;
    if (!focused && window.matchMedia('(min-width: 900px)').matches) byId('verdict').scrollIntoView({ block: 'nearest' });
  } catch (e) {
    if (ctrl.signal.aborted || (e as Error).name === 'AbortError') return;
    state.decision = null;
    view.showFindings([]);
    renderProblem(e instanceof ApiError ? e.problem : { title: '请求失败', status: 0, detail: (e as Error).message });
    setStatus('');
  } finally {
    if (state.pending === ctrl) {
      state.pending = null;
      el.result.removeAttribute('aria-busy');
      delete document.body.dataset.evaluating;
    }
  }
}

function setStatus(msg: string, error = false): void {
  el.status.textContent = msg;
  el.status.classList.toggle('error', error);
}

function clearResult(): void {
  state.decision = null;
  clear(el.result);
  el.result.hidden = true;
  view.showFindings([]);
}

function renderProblem(p: Problem): void {
  const refocus = focusInResult();
  clear(el.result);
  el.result.hidden = false;
  el.result.appendChild(h('h2', {}, '3 评估结果'));
  el.result.appendChild(h('div', { class: 'problem', role: 'alert', id: 'problem', tabindex: '-1' },
    h('strong', {}, p.title),
    h('p', {}, p.detail),
    p.errors?.length ? h('ul', {}, p.errors.slice(0, 8).map((e) => h('li', {}, e.path ? h('code', {}, e.path) : null, ' ', e.message))) : null,
  ));
  restoreFocus(refocus === null ? null : '', 'problem');
}

function authorityName(id: string): string {
  return state.vocab?.authorities.find((a) => a.id === id)?.name ?? id;
}

function activityName(id: string): string {
  return state.activities.find((a) => a.id === id)?.name ?? id;
}

function badge(v: Verdict): HTMLElement {
  return h('span', { class: `badge v-${v}` }, VERDICT_NAME[v]);
}

function clauseBlock(c: { id: string; document: string; section: string; text: string }): HTMLElement {
  return h('blockquote', { class: 'clause', 'data-clause': c.id },
    h('p', { class: 'clause-src' }, `《${c.document.replace(/^《|》$/g, '')}》`, c.section ? ` ${c.section}` : ''),
    h('p', { class: 'clause-text' }, c.text),
  );
}

/** The focused control inside the result, by id ('' = one without an id), before it is rebuilt. */
function focusInResult(): string | null {
  const a = document.activeElement as HTMLElement | null;
  return a && a !== el.result && el.result.contains(a) ? a.id : null;
}

/**
 * After the result is rebuilt: focus goes back to the same control (by id) if it still exists,
 * else to the verdict (announced by the live region). Returns whether focus was moved.
 */
function restoreFocus(id: string | null, fallback: string): boolean {
  if (id === null) return false;
  const target = (id && document.getElementById(id)) || document.getElementById(fallback);
  target?.focus();
  return !!target;
}

function renderDecision(d: Decision): boolean {
  const refocus = focusInResult();
  clear(el.result);
  el.result.hidden = false;
  const j = state.jurisdictions.find((x) => x.id === d.jurisdiction);
  const areaText = d.site.type === 'Point' ? '点位' : `用地 ${ha(d.site.areaM2)} 公顷`;
  el.result.appendChild(h('h2', {}, '3 评估结果'));
  el.result.appendChild(h('div', { class: `verdict v-${d.verdict}`, id: 'verdict', 'data-verdict': d.verdict, tabindex: '-1' },
    h('span', { class: 'verdict-label' }, VERDICT_NAME[d.verdict]),
    h('span', { class: 'verdict-sub' }, [d.project?.name, activityName(d.project?.activity ?? el.activity.value), areaText, j?.name].filter(Boolean).join(' · ')),
  ));

  // Questions that matter, the combinations of answers that only matter together, and the answers
  // already given (changeable).
  const asked = new Map(d.questions.map((q) => [q.attribute, q]));
  const joint = (d.jointQuestions ?? []).filter((j) => j.answers.length >= 2);
  const answered = Object.keys(state.answers).filter((a) => !asked.has(a) && state.attributes.has(a));
  if (asked.size || joint.length || answered.length) {
    const box = h('section', { class: 'questions', id: 'questions', 'aria-labelledby': 'q-head' },
      h('h3', { id: 'q-head' }, asked.size || joint.length ? '需要补充的信息' : '已填写的项目属性'),
      asked.size ? h('p', { class: 'muted' }, '括号内为只回答该项（其余不变）时的结论。用鼠标或空格键选择后自动重新评估；用方向键浏览时，按 Enter 键确认。') : null,
    );
    for (const q of d.questions) {
      const def = state.attributes.get(q.attribute) ?? { id: q.attribute, name: q.attribute, type: q.answers ? 'enum' : 'boolean', values: null, question: q.text } as AttributeDef;
      box.appendChild(attributeControl(def, q, 'q'));
    }
    if (joint.length) box.appendChild(jointList(d, joint));
    if (answered.length && (asked.size || joint.length)) box.appendChild(h('h4', {}, '已填写'));
    for (const a of answered) box.appendChild(attributeControl(state.attributes.get(a)!, null, 'q'));
    el.result.appendChild(box);
  }

  // Findings.
  el.result.appendChild(h('h3', {}, `涉及的管控（${d.findings.length}）`));
  if (d.findings.length === 0) el.result.appendChild(h('p', { class: 'muted' }, '用地不涉及任何已编码管控的图层。'));
  const list = h('ol', { class: 'findings', id: 'findings' });
  d.findings.forEach((f, i) => list.appendChild(findingItem(f, i, d)));
  el.result.appendChild(list);

  if (d.approvals.length) {
    el.result.appendChild(h('h3', {}, '审批'));
    el.result.appendChild(h('ul', { class: 'plain', id: 'approvals' }, d.approvals.map((a) => h('li', {}, h('strong', {}, authorityName(a.authority)), '：', a.action, a.basis ? h('span', { class: 'muted' }, `（${a.basis}）`) : null))));
  }
  if (d.conditions.length) {
    el.result.appendChild(h('h3', {}, '条件'));
    el.result.appendChild(h('ul', { class: 'plain', id: 'conditions' }, d.conditions.map((c) => h('li', {}, c.text))));
  }
  if (d.landSupply.length) {
    el.result.appendChild(h('h3', {}, '供地方式'));
    el.result.appendChild(h('ul', { class: 'land', id: 'land-supply' }, d.landSupply.map((l) => h('li', { class: `ls-${l.status}` },
      h('div', { class: 'ls-head' }, h('span', { class: `status s-${l.status}` }, LAND_STATUS[l.status] ?? l.status), h('strong', {}, l.name ?? state.vocab?.landSupplyMethods.find((m) => m.id === l.method)?.name ?? l.method)),
      l.message ? h('p', {}, l.message) : null,
      l.clauses.length ? h('details', {}, h('summary', {}, `依据条款（${l.clauses.length}）`), l.clauses.map(clauseBlock)) : null,
    ))));
  }
  if (d.warnings.length) {
    el.result.appendChild(h('h3', {}, '提示'));
    el.result.appendChild(h('ul', { class: 'plain warnings', id: 'warnings' }, d.warnings.map((w) => h('li', {}, w.message))));
  }
  el.result.appendChild(h('p', { class: 'links' },
    h('a', { href: `/v1/decisions/${encodeURIComponent(d.decisionId)}/report`, target: '_blank', rel: 'noopener', id: 'report-link', class: 'button' }, '打印报告'),
    h('a', { href: `/v1/decisions/${encodeURIComponent(d.decisionId)}`, target: '_blank', rel: 'noopener' }, '决定原文（JSON）'),
  ));
  el.result.appendChild(h('p', { class: 'meta' },
    `决定编号 ${d.decisionId} · 评估日期 ${d.asOf} · 数据包 ${d.bundleHash.slice(0, 19)}… · 政策 `,
    d.policies.map((p) => `${p.id}@${p.version}`).join('，'),
  ));
  view.showFindings(d.findings, state.site?.geometry ?? null);
  return restoreFocus(refocus, 'verdict');
}

/** The joint questions: "同时满足以下条件时：… → 有条件允许", each with a button that gives those answers. */
function jointList(d: Decision, joint: JointQuestion[]): HTMLElement {
  const questionText = (a: string) => (d.questions.find((q) => q.attribute === a)?.text ?? state.attributes.get(a)?.question ?? state.attributes.get(a)?.name ?? a).replace(/[？?]\s*$/, '');
  const answerText = (a: JointQuestion['answers'][number]) => {
    if (typeof a.value === 'boolean') return a.value ? '是' : '否';
    return (a.values?.length ? a.values : [a.value]).map((v) => valueName(a.attribute, v)).join(' 或 ');
  };
  return h('div', { class: 'joint-list', id: 'joint-questions' },
    h('h4', {}, '需同时满足的条件'),
    joint.map((j, i) => {
      const apply = h('button', { type: 'button', id: `joint-apply-${i}`, class: 'quiet-primary' }, '按此组合填写并重新评估');
      apply.addEventListener('click', () => {
        for (const a of j.answers) state.answers[a.attribute] = a.value;
        syncAttributeEditor();
        void evaluate();
      });
      return h('div', { class: 'joint', 'data-joint': String(i), 'data-verdict': j.verdict },
        h('p', {}, '同时满足以下条件时：'),
        h('ul', {}, j.answers.map((a) => h('li', { 'data-attribute': a.attribute }, `${questionText(a.attribute)}：`, h('strong', {}, answerText(a))))),
        h('p', { class: 'joint-verdict' }, '→ ', badge(j.verdict)),
        apply,
      );
    }),
  );
}

function findingItem(f: Finding, i: number, d: Decision): HTMLElement {
  const name = f.name ?? view.featureName(f);
  const metrics: string[] = [];
  if (f.overlapAreaM2 !== null) metrics.push(`重叠 ${ha(f.overlapAreaM2)} 公顷${f.overlapShare !== null ? `（占用地 ${(f.overlapShare * 100).toFixed(1)}%）` : ''}`);
  else if (d.site.type === 'Point') metrics.push('点位位于其中');
  if (f.distanceM !== null && f.distanceM > 0) metrics.push(`距离 ${f.distanceM.toFixed(1)} 米`);
  if (f.featureIds.length) metrics.push(`要素 ${f.featureIds.slice(0, 3).join('、')}${f.featureIds.length > 3 ? ` 等 ${f.featureIds.length} 个` : ''}`);
  const b = f.because;
  const focus = h('button', { type: 'button', class: 'link', 'data-focus': String(i) }, '在地图上查看');
  focus.addEventListener('click', () => {
    view.focusFeatures(f.featureIds, state.site?.geometry ?? null);
    byId('map').focus();
  });
  return h('li', { class: `finding v-${f.verdict}`, 'data-kind': f.kind, 'data-verdict': f.verdict, style: `border-left-color:${VERDICT_COLOR[f.verdict]}` },
    h('div', { class: 'finding-head' }, badge(f.verdict), h('h4', {}, name)),
    h('p', { class: 'finding-metrics' }, metrics.join(' · ')),
    f.message ? h('p', {}, f.message) : null,
    b ? h('p', { class: 'because muted' }, `判定依据：${b.policy}${b.version ? `@${b.version}` : ''} / ${b.rule ?? '默认规则（未列明允许即禁止）'}`) : null,
    b?.checks?.length ? h('details', { class: 'checks' }, h('summary', {}, '判定过程'), h('ul', {}, b.checks.map((c) => h('li', {},
      h('span', { class: c.result ? 'ok' : 'no' }, c.result ? '✓ ' : '✗ '),
      h('code', {}, c.fact), ` ${c.operator} ${JSON.stringify(c.expected)}，实际 ${JSON.stringify(c.actual)}`,
    )))) : null,
    f.clauses.length ? h('div', { class: 'clauses' }, f.clauses.map(clauseBlock)) : null,
    f.approvals.length ? h('p', {}, h('strong', {}, '审批：'), f.approvals.map((a) => `${authorityName(a.authority)}（${a.action}）`).join('；')) : null,
    f.conditions.length ? h('p', {}, h('strong', {}, '条件：'), f.conditions.map((c) => c.text).join('；')) : null,
    f.featureIds.length ? focus : null,
  );
}

// ---- suitability -----------------------------------------------------------------------------

async function runSuitability(): Promise<void> {
  if (!el.activity.value) {
    el.suitStatus.textContent = '请先在“项目”中选择活动类型。';
    el.activity.focus();
    return;
  }
  const scope = (document.querySelector<HTMLInputElement>('input[name="suit-scope"]:checked')?.value ?? 'view');
  const b = view.map.getBounds();
  const body = {
    jurisdiction: state.jurisdiction,
    project: projectBody(),
    cellSizeM: Number(el.suitCell.value),
    ...(scope === 'view' ? { bbox: [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()] } : {}),
  };
  delete (body.project.attributes as Record<string, unknown>).corridorWidthM;
  el.suitRun.disabled = true;
  el.suitStatus.textContent = scope === 'view' ? '正在分析当前地图视图…' : '正在分析整个辖区…（可能需要数秒至十余秒）';
  document.body.dataset.suitability = 'running';
  const t0 = performance.now();
  try {
    const r = await postJson<SuitabilityResult>('/v1/suitability', body);
    showSuitability(r);
    if (scope !== 'view') view.fitBbox(r.bbox);
    el.suitStatus.textContent = `完成：${r.features.length} 个图斑，服务器用时 ${(r.stats.timeMs / 1000).toFixed(1)} 秒（总 ${((performance.now() - t0) / 1000).toFixed(1)} 秒），网格 ${r.cellSizeM} 米。`;
    document.body.dataset.suitability = 'ready';
  } catch (e) {
    const p = e instanceof ApiError ? e.problem : null;
    el.suitStatus.textContent = p ? `${p.title}：${p.detail}` : `分析失败：${(e as Error).message}`;
    document.body.dataset.suitability = 'error';
  } finally {
    el.suitRun.disabled = false;
  }
}

function showSuitability(r: SuitabilityResult | null): void {
  state.suitability = r;
  view.showSuitability(r);
  clear(el.suitSummary);
  el.suitShow.closest('label')!.hidden = !r;
  if (!r) return;
  el.suitShow.checked = true;
  const rows = (['allowed', 'conditional', 'forbidden'] as Verdict[]).map((v) => h('tr', { 'data-verdict': v },
    h('th', { scope: 'row' }, h('span', { class: 'swatch', style: `background:${VERDICT_COLOR[v]}`, 'aria-hidden': 'true' }), VERDICT_NAME[v]),
    h('td', {}, haValue(r.summary[v].areaHa)),
    h('td', {}, String(r.summary[v].polygons)),
    h('td', {}, r.summary.totalHa > 0 ? `${((r.summary[v].areaHa / r.summary.totalHa) * 100).toFixed(1)}%` : '—'),
  ));
  el.suitSummary.appendChild(h('table', { class: 'summary', id: 'suit-table' },
    h('caption', {}, `${activityName(el.activity.value)}：各结论的面积（椭球面积）`),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, '结论'), h('th', { scope: 'col' }, '公顷'), h('th', { scope: 'col' }, '图斑'), h('th', { scope: 'col' }, '占比'))),
    h('tbody', {}, rows),
    h('tfoot', {}, h('tr', {}, h('th', { scope: 'row' }, '合计'), h('td', {}, haValue(r.summary.totalHa)), h('td', {}, String(r.features.length)), h('td', {}, '100%'))),
  ));
}

// ---- wiring ----------------------------------------------------------------------------------

// Browsing the jurisdictions with the arrow keys does not load each one's layers: Enter does.
bindSelect(el.jurisdiction, {
  update: () => {},
  commit: () => {
    if (el.jurisdiction.value !== state.jurisdiction) void loadJurisdiction(el.jurisdiction.value);
  },
  pending: () => {
    el.mapStatus.textContent = `已选择辖区“${el.jurisdiction.selectedOptions[0]?.textContent ?? el.jurisdiction.value}”。按 Enter 键加载。`;
  },
});
el.form.addEventListener('submit', (e) => {
  e.preventDefault();
  void evaluate();
});
bindSelect(el.activity, {
  update: () => {},
  commit: () => {
    if (state.site && el.activity.value) void evaluate();
  },
  pending: () => {
    if (state.site && el.activity.value) setStatus(`已选择“${activityName(el.activity.value)}”。按 Enter 键或“评估”按钮开始评估。`);
  },
});
el.drawPolygon.addEventListener('click', () => startDrawing('polygon', el.drawPolygon));
el.drawPoint.addEventListener('click', () => startDrawing('point', el.drawPoint));
byId('clear-site').addEventListener('click', () => {
  drawer.cancel();
  setSite(null);
  clearResult();
});
byId('use-text').addEventListener('click', () => {
  const text = el.siteText.value;
  try {
    if (looksLikeSurveyTxt(text)) {
      const file = new File([text], '粘贴的界址点坐标.txt', { type: 'text/plain' });
      let preview: Geometry | null = null;
      try {
        preview = parseSurveyTxt(text);
      } catch {
        preview = null;
      }
      setSite({ geometry: preview, file, label: '粘贴的界址点坐标' });
    } else setSite({ geometry: parseSiteText(text), file: null, label: '粘贴的坐标' });
  } catch (e) {
    siteError((e as Error).message);
  }
});
el.siteFile.addEventListener('change', () => {
  const f = el.siteFile.files?.[0];
  byId('site-file-name').textContent = f ? f.name : '未选择文件';
  if (f) void readFile(f);
});
el.corridor.addEventListener('change', () => {
  if (state.site && el.activity.value) void evaluate();
});
byId('reset-answers').addEventListener('click', () => {
  state.answers = {};
  syncAttributeEditor();
  if (state.site && el.activity.value) void evaluate();
});
el.suitRun.addEventListener('click', () => void runSuitability());
el.suitShow.addEventListener('change', () => view.setSuitabilityVisible(el.suitShow.checked));

init().catch((e) => {
  el.mapStatus.textContent = `页面初始化失败：${(e as Error).message}`;
  document.body.dataset.layers = 'error';
});

