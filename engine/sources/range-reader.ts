/**
 * Byte-range readers for FlatGeobuf files: HTTP Range requests (R2 public buckets, S3, any static
 * server), an R2 bucket binding inside a Worker, or bytes already in memory. A local file reader is
 * in api/node/sources (Node only). Each counts its requests and bytes.
 */

export interface RangeReader {
  /** Where the bytes come from, for messages. */
  readonly describe: string;
  /** Bytes [offset, offset + length); fewer only at the end of the file. */
  read(offset: number, length: number): Promise<Uint8Array>;
  readonly requests: number;
  readonly bytes: number;
}

abstract class Counting implements RangeReader {
  requests = 0;
  bytes = 0;
  constructor(readonly describe: string) {}
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!(Number.isInteger(offset) && offset >= 0 && Number.isInteger(length) && length >= 0)) throw new Error(`${this.describe}: bad range ${offset}+${length}`);
    if (length === 0) return new Uint8Array(0);
    this.requests++;
    const b = await this.fetchRange(offset, length);
    this.bytes += b.byteLength;
    return b;
  }
  protected abstract fetchRange(offset: number, length: number): Promise<Uint8Array>;
}

export interface HttpRangeOptions {
  headers?: Record<string, string>;
  fetch?: typeof fetch;
}

/** HTTP Range requests (RFC 9110 §14). A server that ignores Range (200 with the whole file) is refused. */
export function httpRangeReader(url: string, opts: HttpRangeOptions = {}): RangeReader {
  const f = opts.fetch ?? fetch;
  return new (class extends Counting {
    protected async fetchRange(offset: number, length: number): Promise<Uint8Array> {
      const res = await f(url, { headers: { ...opts.headers, range: `bytes=${offset}-${offset + length - 1}` } });
      if (res.status === 416) {
        await res.body?.cancel();
        return new Uint8Array(0);
      }
      if (res.status !== 206) {
        await res.body?.cancel();
        if (res.ok) throw new Error(`${url}: the server ignored the Range header (HTTP ${res.status}); FlatGeobuf sources need byte-range support`);
        throw new Error(`${url}: HTTP ${res.status} ${res.statusText}`);
      }
      const b = new Uint8Array(await res.arrayBuffer());
      return b.byteLength > length ? b.subarray(0, length) : b;
    }
  })(url);
}

/** The part of Cloudflare's R2Bucket binding this reader uses. */
export interface R2BucketLike {
  get(key: string, options?: { range: { offset: number; length: number } }): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
}

/** An R2 bucket binding (Workers): `env.LAYERS`, key e.g. "demo-county.fgb". */
export function r2RangeReader(bucket: R2BucketLike, key: string): RangeReader {
  return new (class extends Counting {
    protected async fetchRange(offset: number, length: number): Promise<Uint8Array> {
      const obj = await bucket.get(key, { range: { offset, length } });
      if (!obj) throw new Error(`r2://${key}: no such object`);
      return new Uint8Array(await obj.arrayBuffer());
    }
  })(`r2://${key}`);
}

/** Bytes in memory (tests, or a file shipped inside a bundle). */
export function bytesRangeReader(bytes: Uint8Array, describe = 'memory'): RangeReader {
  return new (class extends Counting {
    protected async fetchRange(offset: number, length: number): Promise<Uint8Array> {
      return bytes.subarray(Math.min(offset, bytes.byteLength), Math.min(offset + length, bytes.byteLength));
    }
  })(describe);
}
