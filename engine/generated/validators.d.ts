export interface AjvError { instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }
export interface StandaloneValidator { (data: unknown): boolean; errors?: AjvError[] | null }
export const validatePolicy: StandaloneValidator;
export const validateEvaluateRequest: StandaloneValidator;
export const validateJurisdiction: StandaloneValidator;
