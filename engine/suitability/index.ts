/** Suitability search (POST /v1/suitability): where a project would be allowed, conditional or forbidden. */
export { suitability, suitabilityCacheKey, relevantKinds, DEFAULT_MAX_CELLS, OUTPUT_STEP, SuitabilityCancelled, TIMEOUT_PROBLEM_TYPE, type SuitabilityResult, type SuitabilityFeature, type SuitabilityReason, type SuitabilityOptions } from './suitability.js';
export { readSuitabilityRequest, DEFAULT_CELL_SIZE_M, MIN_CELL_SIZE_M, MAX_CELL_SIZE_M, type SuitabilityRequest } from './read-request.js';
export { interiorPoint, interiorPoints } from './interior-point.js';
export { bandBuffer } from './band-buffer.js';
export { buildGrid, gridSize, metresPerDegree } from './grid.js';
