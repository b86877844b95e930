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
          requestBody: {
            required: true,
            description: 'JSON 请求；或上传用地文件：multipart/form-data（file + request JSON），或原始请求体（text/plain | application/x-zoning-survey 界址点坐标 TXT、application/wkt、application/zip Shapefile、application/geo+json），其余参数放在查询串（jurisdiction、activity、attributes、asOf、name、zone、zoneWidth）',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/EvaluateRequest' } },
              'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' }, request: { type: 'string' } } } },
              'application/x-zoning-survey': { schema: { type: 'string' } },
              'application/wkt': { schema: { type: 'string' } },
              'application/zip': { schema: { type: 'string', format: 'binary' } },
              'application/geo+json': { schema: { type: 'object' } },
            },
          },
          responses: {
            '200': { description: '决定（已存储）', content: { 'application/json': { schema: { $ref: '#/components/schemas/Decision' } } } },
            '400': problemResponse('请求体不是 JSON 或不符合请求格式'),
            '404': problemResponse('未知的辖区'),
            '413': problemResponse('请求体或用地顶点数超过上限'),
            '429': problemResponse('超过每客户端请求频率上限（Retry-After）'),
            '503': problemResponse('服务繁忙，已卸载负载（Retry-After）'),
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
      '/v1/decisions': {
        get: {
          summary: '决定台账查询（分页），可导出 CSV / GeoJSON',
          parameters: ['jurisdiction', 'verdict', 'activity', 'from', 'to', 'order', 'limit', 'cursor', 'format'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
          responses: {
            '200': { description: 'JSON 页；format=csv 为 text/csv（带 BOM）；format=geojson 为 FeatureCollection', content: { 'application/json': { schema: { type: 'object' } }, 'text/csv': { schema: { type: 'string' } }, 'application/geo+json': { schema: { type: 'object' } } } },
            '400': problemResponse('查询参数无效'),
          },
        },
      },
      '/v1/decisions/{decisionId}/report': { get: { summary: '可打印的决定报告（HTML，A4；Node 下 ?format=pdf 为 PDF）', parameters: [{ name: 'decisionId', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } }, '404': problemResponse('决定不存在') } } },
      '/v1/decisions/{decisionId}/site.txt': {
        get: {
          summary: '以界址点坐标 TXT 导出决定的用地（CGCS2000 高斯-克吕格投影）',
          parameters: [{ name: 'decisionId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'zone', in: 'query', schema: { type: 'integer' } }, { name: 'zoneWidth', in: 'query', schema: { type: 'integer', enum: [3, 6] } }, { name: 'prefix', in: 'query', schema: { type: 'boolean' } }],
          responses: { '200': { description: '界址点坐标 TXT（UTF-8，CRLF）', content: { 'text/plain': { schema: { type: 'string' } } } }, '404': problemResponse('决定不存在'), '422': problemResponse('点状用地无法导出或带号无效') },
        },
      },
      '/v1/decisions/{decisionId}/replay': {
        post: {
          summary: '重放：按当时固定的政策版本和地图版本重新评估（须完全一致）；?asOf= 或 ?current=true 时报告全部变化及其规则',
          parameters: [{ name: 'decisionId', in: 'path', required: true, schema: { type: 'string' } }, { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } }, { name: 'current', in: 'query', schema: { type: 'boolean' } }],
          responses: { '200': { description: '重放结果与差异', content: { 'application/json': { schema: { type: 'object' } } } }, '404': problemResponse('决定不存在') },
        },
      },
      '/v1/impact': { post: { summary: '政策变更影响分析：两个版本下结论发生变化的项目，按规则分组', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['policy', 'from', 'to'], properties: { policy: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, asOf: { type: 'string' }, projects: { type: 'object' }, jurisdiction: { type: 'string' } } } } } }, responses: { '200': { description: '影响清单', content: { 'application/json': { schema: { type: 'object' } } } }, '400': problemResponse('请求无效'), '404': problemResponse('政策或版本不存在') } } },
      '/v1/suitability': { post: { summary: '适建性分析：项目在辖区内何处允许 / 有条件允许 / 禁止（GeoJSON 多边形及原因、面积汇总）', requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['jurisdiction', 'project'], properties: { jurisdiction: { type: 'string' }, project: { type: 'object' }, bbox: { type: 'array', items: { type: 'number' } }, cellSizeM: { type: 'number' } } } } } }, responses: { '200': { description: 'FeatureCollection', content: { 'application/geo+json': { schema: { type: 'object' } } } }, '413': problemResponse('网格单元过多'), '422': problemResponse('参数无效') } } },
      '/v1/policies/{id}/versions': { get: { summary: '政策的全部版本及生效期', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } }, '404': problemResponse('政策不存在') } } },
      '/v1/jurisdictions/{id}/versions': { get: { summary: '辖区数据包（地图）的全部版本', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'OK', content: { 'application/json': { schema: { type: 'object' } } } }, '404': problemResponse('辖区不存在') } } },
      '/v1/jurisdictions/{id}/layers.geojson': { get: { summary: '辖区控制图层（供网页绘图）', parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'kinds', in: 'query', schema: { type: 'string' } }], responses: { '200': { description: 'FeatureCollection', content: { 'application/geo+json': { schema: { type: 'object' } } } } } } },
      '/v1/jurisdictions/{id}/bundle': { post: { summary: '发布新的辖区数据包（需 Bearer 令牌；校验失败不替换现行版本）', security: [{ bearer: [] }], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: '已激活' }, '401': problemResponse('缺少或错误的令牌'), '403': problemResponse('未配置令牌，写入已禁用'), '422': problemResponse('数据包无效') } } },
      '/v1/jurisdictions': get('辖区列表'),
      '/v1/jurisdictions/{id}': { get: { ...get('辖区详情与图层统计').get, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }] } },
      '/v1/activities': get('活动类型', { type: 'object', properties: { activities: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', enum: Object.keys(ACTIVITIES) }, name: { type: 'string' } } } } } }),
      '/v1/attributes': get('项目属性', { type: 'object', properties: { attributes: { type: 'array', items: { type: 'object', properties: { id: { type: 'string', enum: Object.keys(ATTRIBUTES) } } } } } }),
      '/v1/vocabulary': get('图层类型、审批机关、供地方式与事实目录'),
      '/v1/policies': { ...get('政策列表（所有版本）'), post: { summary: '发布政策新版本（需 Bearer 令牌；须通过 policy:check）', security: [{ bearer: [] }], requestBody: { required: true, content: { 'application/json': { schema: { type: 'object' } } } }, responses: { '200': { description: '已激活' }, '401': problemResponse('缺少或错误的令牌'), '403': problemResponse('未配置令牌，写入已禁用'), '409': problemResponse('版本号已存在且内容不同'), '422': problemResponse('政策无效') } } },
      '/v1/policies/{id}': { get: { ...get('政策详情：条款与规则').get, parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }, { name: 'version', in: 'query', schema: { type: 'string' } }, { name: 'asOf', in: 'query', schema: { type: 'string', format: 'date' } }] } },
      '/healthz': get('健康检查'),
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
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
            projectFindings: { type: 'array', description: '项目级政策的判定（审批层级、矿种限制、选址规则等）', items: { type: 'object', properties: { policy: { type: 'string' }, title: { type: 'string' }, verdict, message: { type: 'string' }, clauses: { type: 'array', items: clause }, approvals: { type: 'array', items: approval }, conditions: { type: 'array', items: condition } } } },
            approvals: { type: 'array', items: approval },
            conditions: { type: 'array', items: condition },
            landSupply: { type: 'array', items: { type: 'object', properties: { method: { type: 'string', enum: Object.keys(LAND_SUPPLY_METHODS) }, status: { type: 'string', enum: ['required', 'permitted', 'forbidden'] }, clauses: { type: 'array', items: clause } } } },
            questions: {
              type: 'array', description: '未说明且单独回答即会改变总体结论的属性：ifTrue / ifFalse 为仅回答该问题时的结论',
              items: {
                type: 'object',
                properties: {
                  attribute: { type: 'string' }, text: { type: 'string' }, ifTrue: verdict, ifFalse: verdict,
                  answers: { type: 'array', items: { type: 'object', properties: { value: { type: 'string' }, verdict } } },
                  kinds: { type: 'array', items: { type: 'string' } },
                },
              },
            },
            jointQuestions: {
              type: 'array', description: '须同时回答才会改变结论的属性组合（扩展）',
              items: {
                type: 'object',
                properties: {
                  answers: { type: 'array', items: { type: 'object', properties: { attribute: { type: 'string' }, value: { type: ['string', 'boolean'] }, values: { type: 'array', items: { type: 'string' } } } } },
                  verdict,
                },
              },
            },
            warnings: { type: 'array', items: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
    },
  };
}
