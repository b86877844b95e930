/**
 * Progress on stderr: a redrawn bar on a terminal (at most ten times a second), a plain line every
 * N % otherwise (logs, CI, pipes).
 */
export interface Progress {
  tick(done: number): void;
  /** Clears the bar line (terminal) before other output. */
  end(): void;
}

const fmtSecs = (s: number) => (!Number.isFinite(s) ? '—' : s >= 3600 ? `${(s / 3600).toFixed(1)} 小时` : s >= 60 ? `${Math.floor(s / 60)} 分 ${Math.round(s % 60)} 秒` : `${Math.round(s)} 秒`);

export function progress(total: number, opts: { stream?: NodeJS.WriteStream; everyPercent?: number; label?: string } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  const tty = !!stream.isTTY;
  const every = Math.max(1, Math.min(100, opts.everyPercent ?? 10));
  const label = opts.label ?? '进度';
  const t0 = performance.now();
  let lastDraw = 0;
  let nextPct = every;
  const rate = (done: number) => done / Math.max((performance.now() - t0) / 1000, 1e-3);
  return {
    tick(done) {
      if (total <= 0) return;
      const pct = (done / total) * 100;
      if (tty) {
        const now = performance.now();
        if (now - lastDraw < 100 && done < total) return;
        lastDraw = now;
        const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - 60));
        const full = Math.round((done / total) * width);
        const r = rate(done);
        stream.write(`\r${label} [${'█'.repeat(full)}${'░'.repeat(width - full)}] ${pct.toFixed(1).padStart(5)}% ${done}/${total} · ${r.toFixed(0)} 个/秒 · 剩余 ${fmtSecs((total - done) / r)}\x1b[K`);
      } else if (pct >= nextPct) {
        nextPct = (Math.floor(pct / every) + 1) * every;
        stream.write(`${label} ${Math.floor(pct)}%（${done}/${total}），${rate(done).toFixed(0)} 个/秒\n`);
      }
    },
    end() {
      if (tty) stream.write('\r\x1b[K');
    },
  };
}
