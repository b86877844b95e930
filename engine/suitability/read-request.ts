/**
 * Checks the shape of a POST /v1/suitability body (400 with JSON-pointer paths, contract §6).
 * Ids (jurisdiction, activity, attributes) are checked by the search itself (404 / 422).
 */
import type { BBox } from '../geometry/index.js';
import { InputProblem, type ProblemItem } from '../problem.js';
import type { AttributeValue } from '../evaluate/validate-project.js';

export interface SuitabilityRequest {
  jurisdiction: string;
  asOf?: string;
  project: { name?: string; applicant?: string; activity: string; attributes?: Record<string, AttributeValue> };
  /** [west, south, east, north] in degrees; default: the jurisdiction's bounding box. */
  bbox?: BBox;
  /** Edge of a grid cell in metres; default 200. */
  cellSizeM?: number;
}

export const DEFAULT_CELL_SIZE_M = 200;
export const MIN_CELL_SIZE_M = 10;
export const MAX_CELL_SIZE_M = 10_000;

const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function readSuitabilityRequest(body: unknown): SuitabilityRequest {
  const errors: ProblemItem[] = [];
  const fail = (path: string, message: string) => errors.push({ path, message });
  if (!isObj(body)) {
    throw new InputProblem(400, '请求不符合接口格式', '请求体必须是 JSON 对象', [{ path: '', message: '必须是 JSON 对象' }], 'https://zoning.example/problems/bad-request');
  }
  for (const k of Object.keys(body)) {
    if (!['jurisdiction', 'asOf', 'project', 'bbox', 'cellSizeM'].includes(k)) fail(`/${k}`, `不允许的字段 ${k}`);
  }
  if (typeof body.jurisdiction !== 'string' || body.jurisdiction.length === 0) fail('/jurisdiction', '缺少必填字段 jurisdiction（字符串）');
  if (body.asOf !== undefined && (typeof body.asOf !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.asOf))) fail('/asOf', 'asOf 应为 YYYY-MM-DD 日期');
  const project = body.project;
  if (!isObj(project)) fail('/project', '缺少必填字段 project（对象）');
  else {
    for (const k of Object.keys(project)) if (!['name', 'applicant', 'activity', 'attributes'].includes(k)) fail(`/project/${k}`, `不允许的字段 ${k}`);
    if (typeof project.activity !== 'string') fail('/project/activity', '缺少必填字段 activity（字符串）');
    if (project.name !== undefined && typeof project.name !== 'string') fail('/project/name', '类型应为 string');
    if (project.applicant !== undefined && typeof project.applicant !== 'string') fail('/project/applicant', '类型应为 string');
    if (project.attributes !== undefined) {
      if (!isObj(project.attributes)) fail('/project/attributes', '类型应为 object');
      else {
        for (const [k, v] of Object.entries(project.attributes)) {
          if (!['string', 'number', 'boolean'].includes(typeof v)) fail(`/project/attributes/${k}`, '属性值应为字符串、数值或布尔值');
        }
      }
    }
  }
  if (body.bbox !== undefined) {
    const b = body.bbox;
    if (!Array.isArray(b) || b.length !== 4 || !b.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      fail('/bbox', 'bbox 应为 [西, 南, 东, 北] 四个有限数值（经纬度）');
    } else if (!(b[0] < b[2] && b[1] < b[3])) {
      fail('/bbox', 'bbox 应满足 西 < 东 且 南 < 北');
    } else if (b[0] < -180 || b[2] > 180 || b[1] < -90 || b[3] > 90) {
      fail('/bbox', 'bbox 超出经纬度范围');
    }
  }
  if (body.cellSizeM !== undefined) {
    const c = body.cellSizeM;
    if (typeof c !== 'number' || !Number.isFinite(c) || c < MIN_CELL_SIZE_M || c > MAX_CELL_SIZE_M) {
      fail('/cellSizeM', `cellSizeM 应为 ${MIN_CELL_SIZE_M}–${MAX_CELL_SIZE_M} 之间的数值（米）`);
    }
  }
  if (errors.length) {
    throw new InputProblem(400, '请求不符合接口格式', errors.map((e) => `${e.path || '/'}: ${e.message}`).join('；'), errors, 'https://zoning.example/problems/bad-request');
  }
  return body as unknown as SuitabilityRequest;
}
