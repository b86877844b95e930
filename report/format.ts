/**
 * Shared wording and number formats of the officers' outputs (the printable report and the CLI).
 * Pure: no I/O, no node:* (the Worker renders reports too).
 */
import {
  ACTIVITIES, ATTRIBUTES, AUTHORITIES, DERIVED_ZONES, LAND_SUPPLY_METHODS, LAYER_KINDS, VERDICT_NAMES, ZONE_VALUES,
  type LayerKind, type Verdict,
} from '../engine/vocabulary.js';

/** Escapes text for HTML element content and attribute values (both quote kinds). */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** 公顷 with 4 decimals (1 公顷 = 10,000 m²). */
export function formatHa(m2: number | null | undefined): string {
  return m2 === null || m2 === undefined || !Number.isFinite(m2) ? '—' : (m2 / 10_000).toFixed(4);
}

/** m² with 2 decimals and thousands separators. */
export function formatM2(m2: number | null | undefined): string {
  if (m2 === null || m2 === undefined || !Number.isFinite(m2)) return '—';
  const [int, dec] = m2.toFixed(2).split('.');
  return `${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${dec}`;
}

export function formatShare(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share) ? '—' : `${(share * 100).toFixed(2)}%`;
}

export function formatMetres(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return '—';
  return m >= 1000 ? `${(m / 1000).toFixed(2)} 千米` : `${m.toFixed(1)} 米`;
}

export const verdictName = (v: Verdict | string): string => VERDICT_NAMES[v as Verdict] ?? String(v);

export const activityName = (id: string): string => (ACTIVITIES as Record<string, string>)[id] ?? id;

export const authorityName = (id: string): string => (AUTHORITIES as Record<string, string>)[id] ?? id;

export const landSupplyName = (id: string): string => (LAND_SUPPLY_METHODS as Record<string, string>)[id] ?? id;

export const LAND_SUPPLY_STATUS_NAMES: Record<string, string> = { required: '应当采用', permitted: '可以采用', forbidden: '不得采用' };

export const kindName = (kind: string): string => (LAYER_KINDS as Record<string, { name: string }>)[kind]?.name ?? kind;

export function zoneName(kind: string, zone: string | null | undefined): string | null {
  if (zone === null || zone === undefined) return null;
  return (
    ZONE_VALUES[kind as LayerKind]?.[zone] ??
    (DERIVED_ZONES as Record<string, Record<string, string>>)[kind]?.[zone] ??
    zone
  );
}

/** 永久基本农田 / 城镇开发边界·集中建设区 — the Chinese name of a constraint (kind plus zone). */
export function constraintLabel(kind: string, zone: string | null | undefined): string {
  const z = zoneName(kind, zone);
  return z ? `${kindName(kind)}·${z}` : kindName(kind);
}

/** Chinese wording of enumerated attribute values (ids stay visible next to them). */
const VALUE_NAMES: Record<string, Record<string, string>> = {
  majorProjectBasis: {
    'central-named': '党中央、国务院发布文件或批准规划中明确具体名称的项目',
    'state-council-approved': '国务院批准的项目',
    'military-commission': '中央军委及其有关部门批准的军事国防项目',
    'national-plan-transport-water': '国家级规划明确的交通、水利项目',
    'national-plan-grid': '国家级规划明确的电网项目',
    'national-plan-energy': '国家级规划明确的且符合国家产业政策的能源项目',
    'investment-authority-confirmed': '国务院投资主管部门确认的基础设施项目',
    'major-project-mechanism': '国家重大项目用地保障工作机制确认的项目',
  },
  keyProjectSector: { energy: '能源', transport: '交通', water: '水利', military: '军事设施' },
  miningStage: { exploration: '勘查', extraction: '开采' },
  landOwnership: { state: '国有', collective: '集体' },
};

export const attributeName = (id: string): string => ATTRIBUTES[id]?.name ?? id;

export function attributeValueText(id: string, value: unknown): string {
  if (value === true) return '是';
  if (value === false) return '否';
  if (value === null || value === undefined) return '未填写';
  const named = VALUE_NAMES[id]?.[String(value)];
  return named ? `${named}（${String(value)}）` : String(value);
}

/** Monospace-terminal width of a string: CJK and full-width forms count two columns. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w +=
      (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd)
        ? 2
        : 1;
  }
  return w;
}

export function padDisplay(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const pad = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'left' ? s + pad : pad + s;
}

const FACT_NAMES: Record<string, string> = {
  activity: '项目用途',
  kind: '管控要素类型',
  zone: '分区/级别',
  overlapAreaM2: '重叠面积（m²）',
  overlapShare: '重叠面积占用地比例',
  distanceM: '距离（米）',
  featureCount: '涉及要素数',
  paddy: '涉及水田',
  featureLevel: '要素级别',
  depositMinerals: '压覆矿种',
  siteAreaM2: '用地面积（m²）',
  siteType: '用地形态',
  touchedKinds: '用地涉及的管控要素',
  outsideUrbanBoundary: '位于城镇开发边界外',
  areaOutsideUrbanBoundaryM2: '城镇开发边界外面积（m²）',
  arableOtherThanPfAreaM2: '永久基本农田以外的耕地面积（m²）',
  otherLandAreaM2: '其他土地面积（m²）',
};

export function factName(fact: string): string {
  if (FACT_NAMES[fact]) return FACT_NAMES[fact];
  if (fact.startsWith('area.')) return `与${kindName(fact.slice(5))}重叠面积（m²）`;
  if (ATTRIBUTES[fact]) return ATTRIBUTES[fact].name;
  return fact;
}

export const OPERATOR_NAMES: Record<string, string> = {
  equal: '等于', notEqual: '不等于', in: '属于', notIn: '不属于', contains: '包含', doesNotContain: '不包含',
  greaterThan: '大于', greaterThanInclusive: '大于等于', lessThan: '小于', lessThanInclusive: '小于等于',
};

const SITE_TYPES: Record<string, string> = { point: '点', polygon: '面', corridor: '线性廊道' };

/** A fact's value as an officer reads it: ids turned into names, arrays joined, unstated said so. */
export function factValueText(fact: string, v: unknown, kind?: string): string {
  if (Array.isArray(v)) return v.length ? v.map((x) => factValueText(fact, x, kind)).join('、') : '（无）';
  if (v === null || v === undefined) return '未填写';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (fact === 'activity') return activityName(String(v));
  if (fact === 'kind' || fact === 'touchedKinds') return kindName(String(v));
  if (fact === 'zone' && kind) return `${zoneName(kind, String(v))}（${String(v)}）`;
  if (fact === 'siteType') return SITE_TYPES[String(v)] ?? String(v);
  if (fact === 'overlapShare' && typeof v === 'number') return formatShare(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (ATTRIBUTES[fact]) return attributeValueText(fact, v);
  return String(v);
}

/** 2026-11-25T08:00:00Z → 2026年11月25日 16:00（北京时间） */
export function formatBeijingTime(iso: string | undefined): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (!Number.isFinite(t)) return iso ?? '—';
  const d = new Date(t + 8 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${p(d.getUTCMonth() + 1)}月${p(d.getUTCDate())}日 ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}（北京时间）`;
}

export function formatDate(ymd: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd ?? '');
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : (ymd ?? '—');
}
