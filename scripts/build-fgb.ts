/**
 * npm run build:fgb -- <bundle dir> [<bundle dir> …] <out dir>
 *
 * Writes, for each bundle, <out>/<id>.fgb (one FlatGeobuf file with its packed Hilbert R-tree: one
 * feature per index entry, i.e. large features as their subdivided pieces) and <out>/<id>.fgb.json
 * (the sidecar: bundle id, name, hash, tolerances, local policies, boundary, layer statistics, and
 * the file's size and sha256). Serve both from R2 or any HTTP server that honours Range, and point
 * ZONING_FGB_URL at the sidecar (ZONING_LAYER_SOURCE=flatgeobuf).
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadBundleDir } from '../api/node/load-bundle-dir.js';
import { fgbFromBundle } from '../engine/sources/index.js';
import type { Bundle } from '../engine/bundle/types.js';

export interface BuiltFgb { id: string; fgb: string; manifest: string; bytes: number; entries: number; ms: number }

export async function buildFgb(bundleDir: string, outDir: string): Promise<BuiltFgb> {
  const t0 = performance.now();
  const r = await writeFgbFiles(await loadBundleDir(resolve(bundleDir)), outDir);
  return { ...r, ms: Math.round(performance.now() - t0) };
}

/** Writes the .fgb and its sidecar for a bundle already loaded in memory. */
export async function writeFgbFiles(bundle: Bundle, outDir: string): Promise<BuiltFgb> {
  const t0 = performance.now();
  const { bytes, manifest } = await fgbFromBundle(bundle);
  await mkdir(outDir, { recursive: true });
  const fgb = join(outDir, manifest.fgb.file);
  const side = join(outDir, `${bundle.id}.fgb.json`);
  // The data first, the sidecar last: a reader never finds a sidecar naming a file not yet written.
  await writeFile(`${fgb}.tmp`, bytes);
  await rename(`${fgb}.tmp`, fgb);
  await writeFile(`${side}.tmp`, JSON.stringify(manifest) + '\n');
  await rename(`${side}.tmp`, side);
  return { id: bundle.id, fgb, manifest: side, bytes: bytes.byteLength, entries: manifest.entryCount, ms: Math.round(performance.now() - t0) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  if (args.length < 2) {
    console.error('usage: npm run build:fgb -- <bundle dir> [<bundle dir> …] <out dir>');
    process.exit(2);
  }
  const out = resolve(args[args.length - 1]);
  try {
    for (const dir of args.slice(0, -1)) {
      const r = await buildFgb(dir, out);
      console.log(`${r.id}: ${r.fgb} (${r.bytes} bytes, ${r.entries} index entries) + ${r.manifest} in ${r.ms} ms`);
    }
  } catch (e) {
    console.error(`build:fgb: ${(e as Error).message}`);
    process.exit(1);
  }
}
