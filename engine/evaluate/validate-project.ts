/**
 * Checks the ids of a project against the contract vocabulary (contract §3, §4): an unknown
 * activity, attribute or attribute value is a 422 that names it.
 */
import { InputProblem, type ProblemItem } from '../problem.js';
import { ACTIVITIES, ATTRIBUTES, attributeValueFits } from '../vocabulary.js';
import { isCalendarDate } from '../calendar-date.js';

export type AttributeValue = string | number | boolean;

export function validateProject(project: { activity: string; attributes?: Record<string, AttributeValue> }): void {
  const errors: ProblemItem[] = [];
  if (!(project.activity in ACTIVITIES)) {
    errors.push({ path: '/project/activity', message: `未知的活动类型 "${project.activity}"；可选值见 GET /v1/activities` });
  }
  for (const [key, value] of Object.entries(project.attributes ?? {})) {
    const path = `/project/attributes/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const def = ATTRIBUTES[key];
    if (!def) {
      errors.push({ path, message: `未知的项目属性 "${key}"` });
      continue;
    }
    const bad = (expected: string) => errors.push({ path, message: `属性 ${key}（${def.name}）的值 ${JSON.stringify(value)} 无效：应为 ${expected}` });
    switch (def.type) {
      case 'boolean':
        if (typeof value !== 'boolean') bad('true 或 false');
        break;
      case 'enum':
        if (typeof value !== 'string' || !def.values!.includes(value)) bad(def.values!.join(' | '));
        else if (project.activity in ACTIVITIES && !attributeValueFits(key, value, project.activity)) {
          const fit = def.fits![value].map((a) => `${a}（${ACTIVITIES[a]}）`).join('、');
          errors.push({
            path,
            message: `属性 ${key}=${value} 只适用于 ${fit} 类项目，与本项目的活动 ${project.activity}（${ACTIVITIES[project.activity as keyof typeof ACTIVITIES]}）不符`,
          });
        }
        break;
      case 'string':
        if (typeof value !== 'string' || value.length === 0 || value.length > 64) bad('非空字符串');
        break;
      case 'integer':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < (def.minimum ?? -Infinity)) bad(`不小于 ${def.minimum} 的整数`);
        break;
      case 'number':
        if (typeof value !== 'number' || !Number.isFinite(value) || (def.exclusiveMinimum !== undefined && value <= def.exclusiveMinimum)) {
          bad(`大于 ${def.exclusiveMinimum} 的数值`);
        }
        break;
    }
  }
  if (errors.length) {
    throw new InputProblem(422, '项目参数无效', errors.map((e) => e.message).join('；'), errors, 'https://zoning.example/problems/unknown-id');
  }
}

/** A request's `asOf`, when given, must name a day that exists (YYYY-MM-DD): 422 on /asOf otherwise. */
export function validateAsOf(asOf: unknown): void {
  if (asOf !== undefined && !isCalendarDate(asOf)) {
    throw new InputProblem(422, '日期无效', `asOf "${String(asOf).slice(0, 40)}" 不是有效日期（YYYY-MM-DD）`, [{ path: '/asOf', message: '不是有效日期' }]);
  }
}
