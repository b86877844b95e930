/**
 * The ids of the public contract (../shared/contract.md) with their Chinese names.
 * Ids are stable: never rename one. Everything that validates or documents ids reads this file.
 */

/**
 * The vocabularies below are looked up with ids taken from requests and bundles (`id in ACTIVITIES`,
 * `ATTRIBUTES[key]`): they are dictionaries without a prototype, so that "__proto__",
 * "constructor" or "toString" are unknown ids like any other.
 */
function dictionary<T extends object>(entries: T): T {
  return Object.freeze(Object.assign(Object.create(null) as T, entries));
}

export const VERDICTS = ['allowed', 'conditional', 'forbidden'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Severity order of the verdict algebra: forbidden > conditional > allowed (contract §1). */
export const VERDICT_RANK: Record<Verdict, number> = { allowed: 0, conditional: 1, forbidden: 2 };

export const VERDICT_NAMES: Record<Verdict, string> = {
  allowed: '允许',
  conditional: '有条件允许',
  forbidden: '禁止',
};

/** Layer kinds of contract §2, with the property that splits a kind into constraints (its "zone"). */
export const LAYER_KINDS = dictionary({
  boundary: { name: '行政辖区范围', zoneProperty: null },
  'ecological-redline': { name: '生态保护红线', zoneProperty: null },
  'permanent-farmland': { name: '永久基本农田', zoneProperty: null },
  'farmland-reserve': { name: '永久基本农田储备区', zoneProperty: null },
  'arable-land': { name: '耕地', zoneProperty: null },
  'arable-reserve': { name: '耕地后备资源', zoneProperty: null },
  'urban-boundary': { name: '城镇开发边界', zoneProperty: 'zone' },
  'planning-zone': { name: '规划分区', zoneProperty: 'zone' },
  'village-boundary': { name: '村庄建设边界', zoneProperty: null },
  heritage: { name: '文物保护单位保护范围/建设控制地带', zoneProperty: 'ring' },
  'water-source': { name: '饮用水水源保护区', zoneProperty: 'level' },
  'public-forest': { name: '公益林', zoneProperty: 'level' },
  road: { name: '公路', zoneProperty: 'roadClass' },
  'mineral-deposit': { name: '重要矿产资源分布范围', zoneProperty: null },
  'urban-line': { name: '城市四线', zoneProperty: 'line' },
  geohazard: { name: '地质灾害危险区/易发区', zoneProperty: null },
} as const);
export type LayerKind = keyof typeof LAYER_KINDS;
export const LAYER_KIND_IDS = Object.keys(LAYER_KINDS) as LayerKind[];

/** Allowed values of each kind's zone property (contract §2). */
export const ZONE_VALUES: Partial<Record<LayerKind, Record<string, string>>> = dictionary({
  'urban-boundary': dictionary({ concentrated: '集中建设区', flexible: '弹性发展区', special: '特别用途区' }),
  'planning-zone': dictionary({
    'farmland-protection': '农田保护区',
    'ecological-protection': '生态保护区',
    'ecological-control': '生态控制区',
    'urban-development': '城镇发展区',
    'rural-development': '乡村发展区',
    'mining-energy': '矿产能源发展区',
  }),
  heritage: dictionary({ protection: '保护范围', control: '建设控制地带', site: '文物本体' }),
  'water-source': dictionary({ '1': '一级保护区', '2': '二级保护区', quasi: '准保护区' }),
  'public-forest': dictionary({ national: '国家级公益林', provincial: '省级公益林' }),
  road: dictionary({ expressway: '高速公路', national: '国道', provincial: '省道', county: '县道', township: '乡道' }),
  'urban-line': dictionary({ green: '城市绿线', blue: '城市蓝线', purple: '城市紫线', yellow: '城市黄线' }),
});

/**
 * Pseudo-zones the engine derives, not read from a bundle (extensions of the contract):
 * `urban-boundary` / `outside` — the part of the site outside every urban-boundary feature
 * (城镇开发边界外); `ecological-redline` / `core` — 自然保护地核心保护区 (features with `core: true`).
 */
export const DERIVED_ZONES = dictionary({
  'urban-boundary': dictionary({ outside: '城镇开发边界外' } as const),
  'ecological-redline': dictionary({ core: '自然保护地核心保护区' } as const),
} as const);

export const ACTIVITIES = dictionary({
  patrol: '管护巡护、保护执法',
  'research-monitoring': '科学研究、调查监测',
  surveying: '测绘导航',
  'disaster-relief': '防灾减灾救灾',
  defense: '军事国防活动及设施',
  'epidemic-control': '疫情防控',
  'resident-livelihood': '原住民及其他合法权益主体的种植、放牧、捕捞、养殖及生产生活设施',
  archaeology: '考古调查发掘、古生物化石调查发掘、标本采集、文物保护',
  'forest-management': '人工商品林抚育采伐、树种更新、竹林采伐经营',
  'eco-tourism': '不破坏生态功能的适度参观旅游、科普宣教及配套服务设施',
  'linear-infrastructure': '线性基础设施、通讯和防洪、供水设施',
  'facility-maintenance': '已有合法水利、交通运输等设施的运行维护改造',
  'geological-survey': '基础地质调查、战略性矿产资源远景调查等公益性工作',
  mining: '矿产资源勘查开采',
  'ecological-restoration': '生态修复',
  industrial: '工业',
  logistics: '物流仓储',
  commercial: '商业服务业',
  housing: '商品住宅（城镇住宅）',
  'rural-housing': '农村宅基地（村民建房）',
  'public-service': '公共管理与公共服务设施',
  'municipal-infrastructure': '市政公用设施',
  transport: '交通运输设施（公路、铁路、机场、港口）',
  'water-conservancy': '水利设施',
  energy: '能源设施（电网、电站、油气管线）',
  tourism: '经营性旅游、娱乐设施',
  'agricultural-facility': '设施农业',
  'development-zone': '设立开发区、产业园区',
  recreation: '必要的配套及游憩设施',
} as const);
export type ActivityId = keyof typeof ACTIVITIES;
export const ACTIVITY_IDS = Object.keys(ACTIVITIES) as ActivityId[];

export const MAJOR_PROJECT_BASES = [
  'central-named',
  'state-council-approved',
  'military-commission',
  'national-plan-transport-water',
  'national-plan-grid',
  'national-plan-energy',
  'investment-authority-confirmed',
  'major-project-mechanism',
] as const;

export const MINERALS = [
  'coal', 'iron', 'vanadium', 'gypsum', 'pyrite', 'brick-clay', 'stone-coal', 'mercury', 'uranium',
  'oil-gas', 'mineral-water', 'geothermal', 'chromium', 'copper', 'nickel', 'lithium', 'cobalt',
  'zirconium', 'potash', 'rare-earth', 'lead', 'zinc', 'tungsten', 'fluorite', 'gold', 'limestone',
  'building-stone',
] as const;

export type AttributeType = 'boolean' | 'enum' | 'integer' | 'number' | 'string';
export interface AttributeDef {
  type: AttributeType;
  values?: readonly string[];
  /** Minimum for numbers; exclusive minimum when `exclusiveMinimum` is set. */
  minimum?: number;
  exclusiveMinimum?: number;
  name: string;
  /** The question put to an applicant who left the attribute out (contract §5 `questions`). */
  question: string;
  /**
   * Values that describe only some kinds of project: value → the activities it can describe
   * (a 军事设施 key project is a defence facility, not housing). Other values fit every activity.
   */
  fits?: Readonly<Record<string, readonly ActivityId[]>>;
}

/** Project attributes of contract §4 (all optional). Extensions are marked. */
export const ATTRIBUTES: Record<string, AttributeDef> = dictionary({
  majorProjectBasis: {
    type: 'enum', values: MAJOR_PROJECT_BASES,
    name: '占用生态保护红线的项目依据',
    question: '项目是否属于可占用生态保护红线的国家重大项目（党中央、国务院文件或规划明确、国务院批准、中央军委批准、国家级规划明确等）？',
    // 专栏3-2 严格占用生态保护红线用地审批: the sector-specific bases name their kinds of project.
    fits: {
      'military-commission': ['defense'],
      'national-plan-transport-water': ['transport', 'water-conservancy', 'linear-infrastructure'],
      'national-plan-grid': ['energy', 'linear-infrastructure'],
      'national-plan-energy': ['energy', 'mining', 'geological-survey', 'linear-infrastructure'],
      'investment-authority-confirmed': ['transport', 'energy', 'water-conservancy', 'linear-infrastructure', 'municipal-infrastructure'],
    },
  },
  keyProjectSector: {
    type: 'enum', values: ['energy', 'transport', 'water', 'military'],
    name: '国家重点建设项目类别',
    question: '项目是否属于国家能源、交通、水利、军事设施等重点建设项目？',
    // 土地管理法 第三十五条: 国家能源、交通、水利、军事设施等重点建设项目.
    fits: {
      energy: ['energy', 'linear-infrastructure'],
      transport: ['transport', 'linear-infrastructure'],
      water: ['water-conservancy', 'linear-infrastructure'],
      military: ['defense'],
    },
  },
  unavoidable: { type: 'boolean', name: '选址确实难以避让', question: '选址是否确实难以避让（必须且无法避让）？' },
  inCountyPlan: { type: 'boolean', name: '符合县级以上国土空间规划', question: '项目是否符合县级以上国土空间规划？' },
  newConstructionLand: { type: 'boolean', name: '涉及新增建设用地', question: '项目是否涉及新增建设用地？' },
  expandsFootprint: {
    type: 'boolean', name: '扩大现有规模或强度',
    question: '是否扩大现有建设用地、耕地、水产养殖规模或放牧强度？',
  },
  mineral: { type: 'string', values: MINERALS, name: '矿种', question: '勘查开采的矿种是什么？' },
  miningStage: { type: 'enum', values: ['exploration', 'extraction'], name: '勘查或开采', question: '是勘查还是开采？' },
  existingRight: { type: 'boolean', name: '已依法设立的矿业权', question: '是否为已依法设立的矿业权？' },
  expandsRightArea: { type: 'boolean', name: '扩大勘查区块或矿区范围', question: '是否扩大勘查区块或矿区范围？' },
  allocationCatalog: { type: 'boolean', name: '符合《划拨用地目录》', question: '项目是否符合《划拨用地目录》？' },
  intendedUsers: { type: 'integer', minimum: 1, name: '意向用地者数量', question: '同一宗地有几个意向用地者？' },
  landOwnership: { type: 'enum', values: ['state', 'collective'], name: '土地所有权', question: '用地是国有土地还是集体土地？' },
  corridorWidthM: { type: 'number', exclusiveMinimum: 0, name: '线性工程宽度（米）', question: '线性工程的用地宽度是多少米？' },
  // Extensions (compatible additions to contract §4).
  priorityIndustry: {
    type: 'boolean', name: '优先发展产业且用地集约的工业项目或农林牧渔业产品初加工项目',
    question: '项目是否属于市县确定的优先发展产业且用地集约的工业项目，或以农、林、牧、渔业产品初加工为主的工业项目？',
  },
  agreementCase: {
    type: 'boolean', name: '符合协议出让情形',
    question: '是否属于可协议出让的情形（原划拨、承租土地使用权人申请协议出让，或旧城区改建异地搬迁安排用地等）？',
  },
  dispersedRural: {
    type: 'boolean', name: '分散布局的乡村产业项目',
    question: '是否为分散布局、已编制特殊管控单元详细规划的乡村产业项目？',
  },
  ecoRestorationPlan: {
    type: 'boolean', name: '依据生态保护修复专项规划',
    question: '生态修复是否依据县级以上国土空间规划和生态保护修复专项规划开展？',
  },
  lawfullyApproved: {
    type: 'boolean', name: '经依法批准',
    question: '该活动是否已经依法批准？',
  },
  nationalStrategicNeed: {
    type: 'boolean', name: '因国家战略需要',
    question: '开采活动是否因国家战略需要开展？',
  },
  conditionsMet: {
    type: 'boolean', name: '满足弹性发展区特定条件',
    question: '是否满足弹性发展区的特定条件且不突破规划城镇建设用地规模？',
  },
  dischargesPollutants: {
    type: 'boolean', name: '排放污染物',
    question: '项目是否排放污染物（废水、废气、固体废物等）？',
  },
  seriousWaterPollution: {
    type: 'boolean', name: '严重污染水体',
    question: '项目是否属于严重污染水体的建设项目？',
  },
  waterSupplyRelated: {
    type: 'boolean', name: '与供水设施和保护水源有关',
    question: '项目是否为供水设施或保护水源的工程？',
  },
  conservationWorks: {
    type: 'boolean', name: '文物保护工程',
    question: '项目是否为文物保护工程（修缮、保养、抢险加固、保护性设施等）？',
  },
  specialHeritageApproval: {
    type: 'boolean', name: '保护范围内特殊建设已依法批准',
    question: '在文物保护范围内进行其他建设工程，是否因特殊情况已按文物保护单位级别依法取得批准？',
  },
  heritageDesignApproved: {
    type: 'boolean', name: '设计方案经文物行政部门同意',
    question: '工程设计方案是否已经文物行政部门同意？',
  },
  harmsHistoricCharacter: {
    type: 'boolean', name: '破坏历史风貌',
    question: '工程的高度、体量、形式或色彩是否会破坏文物保护单位的历史风貌？',
  },
  reclamationImpossible: {
    type: 'boolean', name: '没有条件开垦耕地',
    question: '是否没有条件开垦与所占耕地数量相等、质量相当的耕地（需缴纳耕地开垦费）？',
  },
  arableToOtherAgriculture: {
    type: 'boolean', name: '耕地转为林地、草地、园地等其他农用地',
    question: '是否将耕地转为林地、草地、园地等其他农用地或农业设施建设用地？',
  },
  villagePlanApproved: {
    type: 'boolean', name: '有经批准的村庄规划',
    question: '是否有经依法批准的村庄规划，并可办理乡村建设规划许可？',
  },
  overlayApproved: {
    type: 'boolean', name: '压覆重要矿产资源已批准',
    question: '压覆重要矿产资源是否已依法办理压覆审批？',
  },
  obviousEcologicalImpact: {
    type: 'boolean', name: '对生态有明显影响',
    question: '项目是否对生态功能有明显影响？',
  },
  detailedPlanCompliant: {
    type: 'boolean', name: '符合详细规划',
    question: '项目是否符合经批准的详细规划（控制性详细规划或村庄规划）？',
  },
  geohazardAssessed: {
    type: 'boolean', name: '已做地质灾害危险性评估',
    question: '是否已完成地质灾害危险性评估并落实防治措施？',
  },
  crowdFacility: {
    type: 'boolean', name: '人员车辆集散场所',
    question: '项目是否为学校、医院、大型商场、集贸市场、货运枢纽等公共场所或人员、车辆集散场所？',
  },
  forestOccupationApproved: {
    type: 'boolean', name: '占用林地已审核同意',
    question: '占用林地是否已经县级以上林业主管部门审核同意？',
  },
});
export const ATTRIBUTE_IDS = Object.keys(ATTRIBUTES);

/** Approving authorities, highest first (contract §5). */
export const AUTHORITIES = dictionary({
  'state-council': '国务院',
  ministry: '自然资源部',
  'provincial-government': '省级人民政府',
  municipal: '设区的市人民政府',
  county: '县级人民政府',
} as const);
export type AuthorityId = keyof typeof AUTHORITIES;
export const AUTHORITY_IDS = Object.keys(AUTHORITIES) as AuthorityId[];

export const LAND_SUPPLY_METHODS = dictionary({
  allocation: '划拨',
  'tender-auction-listing': '招标拍卖挂牌出让',
  agreement: '协议出让',
  'long-term-lease': '长期租赁',
  'lease-then-transfer': '先租后让',
  'lease-transfer-combined': '租让结合',
  'flexible-term': '弹性年期出让',
  'capital-contribution': '作价出资（入股）',
  'point-supply': '点状供地',
  'collective-commercial': '集体经营性建设用地',
} as const);
export type LandSupplyMethod = keyof typeof LAND_SUPPLY_METHODS;
export const LAND_SUPPLY_METHOD_IDS = Object.keys(LAND_SUPPLY_METHODS) as LandSupplyMethod[];

export const LAND_SUPPLY_STATUSES = ['required', 'permitted', 'forbidden'] as const;
export type LandSupplyStatus = (typeof LAND_SUPPLY_STATUSES)[number];

/** Whether an attribute value can describe a project of this activity (see AttributeDef.fits). */
export function attributeValueFits(attribute: string, value: unknown, activity: string): boolean {
  const fits = ATTRIBUTES[attribute]?.fits;
  if (!fits || typeof value !== 'string' || !Object.hasOwn(fits, value)) return true;
  return (fits[value] as readonly string[]).includes(activity);
}
