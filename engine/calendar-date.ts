/**
 * Calendar dates as the API takes them (asOf, effective dates): YYYY-MM-DD naming a day that
 * exists. "2027-02-30" matches the pattern but is no day; Date would roll it over to 2 March.
 */
export function isCalendarDate(s: unknown): s is string {
  if (typeof s !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
}
