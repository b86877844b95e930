/**
 * FlatGeobuf layer sources on Node: a local file read by byte range (positioned reads on one file
 * handle), or an HTTP(S) URL (the engine's fetch-based reader, as in a Worker).
 *
 * ZONING_FGB_URL names one or more (comma-separated) sidecar manifests written by `npm run build:fgb`:
 *   http(s)://host/path/<id>.fgb.json   the .fgb is fetched by Range from the same place
 *   /path/to/<id>.fgb.json              a local sidecar; the .fgb next to it is read by positioned reads
 *   /path/to/dir                        every *.fgb.json in the directory
 */
import { open, readFile, readdir, stat, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Bundle } from '../../../engine/bundle/types.js';
import { openFgbBundle, openFgbUrl, type FgbLayerSource, type FgbSourceOptions, type RangeReader } from '../../../engine/sources/index.js';

export function fileRangeReader(path: string): RangeReader & { close(): Promise<void> } {
  let handle: Promise<FileHandle> | null = null;
  const r = {
    describe: path,
    requests: 0,
    bytes: 0,
    async read(offset: number, length: number): Promise<Uint8Array> {
      if (length === 0) return new Uint8Array(0);
      handle ??= open(path, 'r');
      const h = await handle;
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await h.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      r.requests++;
      r.bytes += got;
      return got < length ? buf.subarray(0, got) : buf;
    },
    async close() {
      const h = handle;
      handle = null;
      if (h) await (await h).close();
    },
  };
  return r;
}

export interface OpenedFgb { bundles: Bundle[]; sources: FgbLayerSource[]; close(): Promise<void> }

export async function openFgbLocations(spec: string, opts: FgbSourceOptions = {}): Promise<OpenedFgb> {
  const locations = spec.split(',').map((s) => s.trim()).filter(Boolean);
  if (!locations.length) throw new Error('ZONING_LAYER_SOURCE=flatgeobuf needs ZONING_FGB_URL (sidecar .fgb.json URLs or paths, or a directory)');
  const bundles: Bundle[] = [];
  const sources: FgbLayerSource[] = [];
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers) await c().catch(() => {});
  };
  try {
    for (const loc of locations) {
      if (/^https?:\/\//i.test(loc)) {
        const { bundle, source } = await openFgbUrl(loc, opts);
        bundles.push(bundle);
        sources.push(source);
        continue;
      }
      const path = resolve(loc.replace(/^file:\/\//i, ''));
      const files = (await stat(path)).isDirectory()
        ? (await readdir(path)).filter((f) => f.endsWith('.fgb.json')).sort().map((f) => join(path, f))
        : [path];
      if (!files.length) throw new Error(`${path}: no *.fgb.json manifest (build one with npm run build:fgb)`);
      for (const file of files) {
        const manifest = JSON.parse(await readFile(file, 'utf8'));
        const reader = fileRangeReader(join(dirname(file), String(manifest?.fgb?.file ?? '')));
        closers.push(() => reader.close());
        const { bundle, source } = await openFgbBundle(manifest, reader, file, opts);
        bundles.push(bundle);
        sources.push(source);
      }
    }
  } catch (e) {
    await close();
    throw e;
  }
  return { bundles, sources, close };
}
