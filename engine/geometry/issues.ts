/**
 * Collects geometry issues with a cap, and the Chinese messages of site validation.
 */
import type { GeometryIssue } from './types.js';

/** At most this many issues are reported; the last one says that more were left out. */
export const MAX_ISSUES = 100;

/** An issue list that stops growing at MAX_ISSUES. */
export class IssueList {
  readonly items: GeometryIssue[] = [];
  private dropped = 0;

  add(path: string, message: string): void {
    if (this.items.length < MAX_ISSUES) this.items.push({ path, message });
    else this.dropped++;
  }

  get full(): boolean {
    return this.items.length >= MAX_ISSUES;
  }

  get length(): number {
    return this.items.length;
  }

  /** The issues, with a closing note when some were left out. */
  result(): GeometryIssue[] {
    if (this.dropped === 0) return this.items;
    return [...this.items, { path: '', message: `另有 ${this.dropped} 处错误未列出` }];
  }
}

/** Format a position for a message: [112.61, 26.81]. */
export function fmtPos(x: number, y: number): string {
  return `[${fmtNum(x)}, ${fmtNum(y)}]`;
}

function fmtNum(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(12)));
}

/** Describe a JSON value's type in Chinese. */
export function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '数组';
  switch (typeof v) {
    case 'string': return '字符串';
    case 'number': return '数字';
    case 'boolean': return '布尔值';
    case 'object': return '对象';
    case 'undefined': return '缺失';
    default: return typeof v;
  }
}

export const SWAP_HINT = '坐标疑似经纬度颠倒：应为 [经度, 纬度]';
export const CORRIDOR_WIDTH_REQUIRED = '线性工程必须提供 corridorWidthM（用地宽度，米）';
