/**
 * A tiny static HTTP server on 127.0.0.1 for the FlatGeobuf source tests: serves a directory,
 * honours single `Range: bytes=a-b` requests with 206 (as R2 and any CDN do), and counts the
 * requests and body bytes it sends per file.
 */
import { createServer, type Server } from 'node:http';
import { open, stat } from 'node:fs/promises';
import { join, normalize } from 'node:path';

export interface RangeServer {
  base: string;
  /** Body bytes and requests served, per path (e.g. "/demo-county.fgb"). */
  served: Map<string, { bytes: number; requests: number; ranged: number }>;
  bytes(path: string): number;
  requests(path: string): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startRangeServer(dir: string): Promise<RangeServer> {
  const served = new Map<string, { bytes: number; requests: number; ranged: number }>();
  const count = (p: string, bytes: number, ranged: boolean) => {
    const s = served.get(p) ?? { bytes: 0, requests: 0, ranged: 0 };
    s.bytes += bytes;
    s.requests++;
    if (ranged) s.ranged++;
    served.set(p, s);
  };
  const server: Server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      const full = normalize(join(dir, path));
      if (!full.startsWith(normalize(dir))) {
        res.writeHead(403).end();
        return;
      }
      let size: number;
      try {
        const st = await stat(full);
        if (!st.isFile()) throw new Error('not a file');
        size = st.size;
      } catch {
        res.writeHead(404).end();
        return;
      }
      const range = req.headers.range;
      let start = 0;
      let end = size - 1;
      let status = 200;
      if (range) {
        const m = /^bytes=(\d*)-(\d*)$/.exec(range);
        if (!m || (m[1] === '' && m[2] === '')) {
          res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
          return;
        }
        if (m[1] === '') start = Math.max(0, size - Number(m[2]));
        else {
          start = Number(m[1]);
          end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
        }
        if (start >= size || start > end) {
          res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
          return;
        }
        status = 206;
      }
      const length = end - start + 1;
      const headers: Record<string, string> = { 'content-length': String(length), 'accept-ranges': 'bytes', 'content-type': path.endsWith('.json') ? 'application/json' : 'application/octet-stream' };
      if (status === 206) headers['content-range'] = `bytes ${start}-${end}/${size}`;
      res.writeHead(status, headers);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const fh = await open(full, 'r');
      try {
        const buf = Buffer.alloc(length);
        await fh.read(buf, 0, length, start);
        count(path, length, status === 206);
        res.end(buf);
      } finally {
        await fh.close();
      }
    } catch (e) {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    base: `http://127.0.0.1:${port}`,
    served,
    bytes: (p) => served.get(p)?.bytes ?? 0,
    requests: (p) => served.get(p)?.requests ?? 0,
    reset: () => served.clear(),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
