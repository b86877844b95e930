/** Chinese names of attribute values and statuses the API gives as ids. */

export const VALUE_NAMES: Record<string, Record<string, string>> = {
  keyProjectSector: { energy: '能源', transport: '交通', water: '水利', military: '军事设施' },
  majorProjectBasis: {
    'central-named': '党中央、国务院主要文件或规划明确',
    'state-council-approved': '国务院批准',
    'military-commission': '中央军委批准',
    'national-plan-transport-water': '国家级规划明确的交通、水利项目',
    'national-plan-grid': '国家级规划明确的电网项目',
    'national-plan-energy': '国家级规划明确的能源项目',
    'investment-authority-confirmed': '国家投资主管部门确认',
    'major-project-mechanism': '国家重大项目协调机制确定',
  },
  miningStage: { exploration: '勘查', extraction: '开采' },
  landOwnership: { state: '国有土地', collective: '集体土地' },
  mineral: {
    coal: '煤', iron: '铁', vanadium: '钒', gypsum: '石膏', pyrite: '硫铁矿', 'brick-clay': '砖瓦用黏土', 'stone-coal': '石煤',
    mercury: '汞', uranium: '铀', 'oil-gas': '油气', 'mineral-water': '矿泉水', geothermal: '地热', chromium: '铬', copper: '铜',
    nickel: '镍', lithium: '锂', cobalt: '钴', zirconium: '锆', potash: '钾盐', 'rare-earth': '稀土', lead: '铅', zinc: '锌',
    tungsten: '钨', fluorite: '萤石', gold: '金', limestone: '石灰岩', 'building-stone': '建筑石料',
  },
};

export const LAND_STATUS: Record<string, string> = { required: '必须采用', permitted: '可以采用', forbidden: '不得采用' };

export function valueName(attribute: string, value: string | number | boolean): string {
  if (typeof value === 'boolean') return value ? '是' : '否';
  return VALUE_NAMES[attribute]?.[String(value)] ?? String(value);
}
