/** The officers' printable report: pure renderers (no I/O, no node:*), shared by the API, the Worker and the CLI. */
export { renderReportHtml, type ReportOptions } from './render-report.js';
export { renderMapSvg, siteShapes, type MapFigure, type MapOptions } from './map-svg.js';
export * from './format.js';
