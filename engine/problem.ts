/**
 * Errors the engine reports about its input, shaped for RFC 9457 problem details (contract §6).
 * The API turns them into application/problem+json; the CLI prints them.
 */
export interface ProblemItem { path: string; message: string }

export class InputProblem extends Error {
  constructor(
    public readonly status: 400 | 404 | 413 | 422,
    public readonly title: string,
    public readonly detail: string,
    public readonly errors: ProblemItem[] = [],
    public readonly type = 'about:blank',
  ) {
    super(detail);
  }
}
