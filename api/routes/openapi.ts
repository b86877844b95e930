/**
 * GET /openapi.json — the request schema is the very JSON Schema that validates requests
 * (schemas/evaluate-request.schema.json); ids come from the engine vocabulary.
 */
import requestSchema from '../../schemas/evaluate-request.schema.json';
import { ACTIVITIES, ATTRIBUTES, AUTHORITIES, LAND_SUPPLY_METHODS, LAYER_KINDS } from '../../engine/index.js';

const problemRef = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problemRef } } });

export function openapiDocument(version: string) {
  const { $schema: _s, $id: _i, ...request } = requestSchema as Record<string, unknown>;
  const verdict = { type: 'string', enum: ['allowed', 'conditional', 'forbidden'] };
  const clause = { type: 'object', required: ['id', 'document', 'section', 'text'], properties: { id: { type: 'string' }, document: { type: 'string' }, section: { type: 'string' }, text: { type: 'string' } } };
  const approval = { type: 'object', required: ['authority', 'action'], properties: { authority: { type: 'string', enum: Object.keys(AUTHORITIES) }, action: { type: 'string' }, basis: { type: 'string' } } };
  const condition = { type: 'object', required: ['id', 'text'], properties: { id: { type: 'string' }, text: { type: 'string' } } };
  const get = (summary: string, schema: object = { type: 'object' }, extra: object = {}) => ({ get: { summary, responses: { '200': { description: 'OK', content: { 'application/json': { schema } } }, ...extra } } });
  return {
    openapi: '3.1.0',
    info: { title: '国土空间规划用途管制许可引擎 API', version, description: 'Zoning permission engine: contract in shared/contract.md' },
    paths: {
      '/v1/evaluate': {
        post: {
          summary: '评估项目用地：允许 / 有条件允许 / 禁止',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/EvaluateRequest' } } } },
          responses: {
            '200': { description: '决定（已存储）', content: { 'application/json': { schema: { $ref: '#/components/schemas/Decision' } } } },
            '400': problemResponse('请求体不是 JSON 或不符合请求格式'),
            '404': problemResponse('未知的辖区'),
            '413': problemResponse('请求体或用地顶点数超过上限'),
            '422': problemResponse('未知的活动或属性值；几何无效；用地超出辖区'),
          },
        },
      },
      '/v1/decisions/{decisionId}': {
        get: {
          summary: '读取已存储的决定（与评估响应一致）',
          parameters: [{ name: 'decisionId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: '#/components/schemas/Decision' } } } }, '404': problemResponse('决定不存在') },
        },
      },
      '/v1/jurisdictions': get('辖区列表'),
      '/v1/jurisdictions/{id}': { get: { ...get('辖区详情与图层统计').get, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } },
      '/v1/activities': get('活动类型', { type: 'object', properties: { activities: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', enum: Object.keys(ACTIVITIES) }, name: { type: 'string' } } } } } }),
      '/v1/attributes': get('项目属性', { type: 'object', properties: { attributes: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', enum: Object.keys(ATTRIBUTES) } } } } } }),
      '/v1/vocabulary': get('图层类型、审批机关、供地方式与事实目录'),
      '/v1/policies': get('政策列表（所有版本）'),
      '/v1/policies/{id}': { get: { ...get('政策详情：条款与规则').get, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'version', in: 'query', schema: { type: 'string' } }, { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } }] } },
      '/healthz': get('健康检查'),
    },
    components: {
      schemas: {
        EvaluateRequest: request,
        Problem: {
          type: 'object', required: ['type', 'title', 'status', 'detail'],
          properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } },
        },
        Decision: {
          type: 'object',
          required: ['decisionId', 'verdict', 'jurisdiction', 'bundleHash', 'asOf', 'site', 'policies', 'findings', 'approvals', 'conditions', 'landSupply', 'questions', 'warnings'],
          properties: {
            decisionId: { type: 'string' }, verdict, jurisdiction: { type: 'string' }, bundleHash: { type: 'string' }, asOf: { type: 'string', format: 'date' },
            createdAt: { type: 'string', format: 'date-time' }, engineVersion: { type: 'string' },
            site: { type: 'object', properties: { type: { type: 'string' }, areaM2: { type: 'number' }, corridorWidthM: { type: 'number' } } },
            policies: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, version: { type: 'string' }, hash: { type: 'string' }, level: { type: 'string' } } } },
            findings: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  kind: { type: 'string', enum: Object.keys(LAYER_KINDS) }, zone: { type: ['string', 'null'] }, name: { type: 'string' },
                  featureIds: { type: 'array', items: { type: 'string' } }, overlapAreaM2: { type: ['number', 'null'] }, overlapShare: { type: ['number', 'null'] },
                  distanceM: { type: ['number', 'null'] }, verdict, message: { type: 'string' }, clauses: { type: 'array', items: clause },
                  approvals: { type: 'array', items: approval }, conditions: { type: 'array', items: condition },
                  because: { type: 'object', properties: { policy: { type: 'string' }, version: { type: 'string' }, rule: { type: ['string', 'null'] }, level: { type: 'string' }, checks: { type: 'array' } } },
                },
              },
            },
            approvals: { type: 'array', items: approval },
            conditions: { type: 'array', items: condition },
            landSupply: { type: 'array', items: { type: 'object', properties: { method: { type: 'string', enum: Object.keys(LAND_SUPPLY_METHODS) }, status: { type: 'string', enum: ['required', 'permitted', 'forbidden'] }, clauses: { type: 'array', items: clause } } } },
            questions: { type: 'array', items: { type: 'object', properties: { attribute: { type: 'string' }, text: { type: 'string' }, ifTrue: verdict, ifFalse: verdict } } },
            warnings: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
