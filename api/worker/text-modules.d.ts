// Layer files are imported as text by wrangler (rules in wrangler.toml).
declare module '*.geojson' {
  const text: string;
  export default text;
}
