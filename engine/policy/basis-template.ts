/**
 * An approval's `basis` may name the figures that triggered it: `{fact:ha}` is the fact's value
 * (an area in m²) in 公顷 to 4 decimals, `{fact:m2}` in m² to 2 decimals. E.g. "永久基本农田以外的耕地
 * {arableOtherThanPfAreaM2:ha} 公顷，超过35公顷" → "永久基本农田以外的耕地 35.1953 公顷，超过35公顷".
 */
const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9.-]*):(ha|m2)\}/g;

/** The placeholders of a text: [fact, unit] pairs (for validation at policy load). */
export function basisPlaceholders(text: string): [string, string][] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => [m[1], m[2]]);
}

export function fillBasis(text: string, facts: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (whole, fact: string, unit: string) => {
    const v = facts[fact];
    if (typeof v !== 'number' || !Number.isFinite(v)) return whole;
    return unit === 'ha' ? (v / 10_000).toFixed(4) : v.toFixed(2);
  });
}
