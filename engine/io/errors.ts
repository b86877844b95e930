/**
 * The error of the site-file readers: a 422 InputProblem whose items name the line and the field
 * (path `/file/line/12/Y`, message `第 12 行：Y 坐标不是数值`), so the API answers it as a problem
 * and the CLI prints it like any other input problem.
 */
import { InputProblem, type ProblemItem } from '../problem.js';

export const SITE_FILE_PROBLEM = 'https://zoning.example/problems/bad-site-file';

export interface SiteFileIssue extends ProblemItem {
  /** 1-based line of the text file, when the problem is on a line. */
  line?: number;
  /** The field at fault: 点号, 圈号, X, Y, 界址点数, 地块面积, 带号…, or a Shapefile member. */
  field?: string;
}

export class SiteFileError extends InputProblem {
  constructor(public readonly issues: SiteFileIssue[], title = '用地文件无法读取') {
    const detail = issues.slice(0, 5).map((i) => i.message).join('；') + (issues.length > 5 ? `；另有 ${issues.length - 5} 处问题` : '');
    super(422, title, detail, issues.map(({ path, message }) => ({ path, message })), SITE_FILE_PROBLEM);
    this.name = 'SiteFileError';
  }
}

/** Collects issues up to a limit; `fail()` throws them. */
export class IssueCollector {
  readonly issues: SiteFileIssue[] = [];
  constructor(private readonly limit = 50) {}
  get full(): boolean {
    return this.issues.length >= this.limit;
  }
  /** An issue on a line of a text file: path /file/line/N[/field]. */
  line(line: number, field: string | undefined, message: string): void {
    if (this.full) return;
    this.issues.push({ path: `/file/line/${line}${field ? `/${escapePointer(field)}` : ''}`, message: `第 ${line} 行：${message}`, line, ...(field ? { field } : {}) });
  }
  at(path: string, message: string, field?: string): void {
    if (this.full) return;
    this.issues.push({ path, message, ...(field ? { field } : {}) });
  }
  throwIfAny(): void {
    if (this.issues.length) throw new SiteFileError(this.issues);
  }
}

/** Throws a single-issue SiteFileError. */
export function fileError(path: string, message: string, field?: string): never {
  throw new SiteFileError([{ path, message, ...(field ? { field } : {}) }]);
}

/** JSON-pointer escaping of a path segment (RFC 6901). */
export function escapePointer(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}
