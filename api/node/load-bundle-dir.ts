/** Reads a bundle directory (jurisdiction.json + layer files) for the engine's loader. Node only. */
import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, resolve } from 'node:path';
import { BundleLoadError, loadBundle, type Bundle } from '../../engine/index.js';

export async function loadBundleDir(dir: string): Promise<Bundle> {
  const { manifest, layers, root } = await readBundleDir(dir);
  return loadBundle(manifest, layers, root);
}

/** The manifest and the layer texts of a bundle directory, as read (the archive keeps these). */
export async function readBundleDir(dir: string): Promise<{ manifest: unknown; layers: Record<string, string>; root: string }> {
  const root = resolve(dir);
  let manifestText: string;
  try {
    manifestText = await readFile(join(root, 'jurisdiction.json'), 'utf8');
  } catch (e) {
    throw new BundleLoadError(root, [{ file: 'jurisdiction.json', feature: null, path: '', message: `无法读取：${(e as Error).message}` }]);
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(manifestText);
  } catch (e) {
    throw new BundleLoadError(root, [{ file: 'jurisdiction.json', feature: null, path: '', message: `不是有效的 JSON：${(e as Error).message}` }]);
  }
  const layers: Record<string, string> = {};
  const files = Array.isArray((manifest as { layers?: unknown }).layers) ? ((manifest as { layers: unknown[] }).layers) : [];
  for (const f of files) {
    if (typeof f !== 'string') continue;
    const full = normalize(join(root, f));
    const rel = relative(root, full);
    // A layer path may not escape its bundle directory.
    if (isAbsolute(f) || rel.startsWith('..') || isAbsolute(rel)) {
      throw new BundleLoadError(root, [{ file: f, feature: null, path: '', message: '图层路径不得超出数据包目录' }]);
    }
    try {
      // …nor through a symbolic link: the file's real path must lie under the directory's.
      const [realRoot, realFile] = await Promise.all([realpath(root), realpath(full)]);
      const realRel = relative(realRoot, realFile);
      if (realRel.startsWith('..') || isAbsolute(realRel)) {
        throw new BundleLoadError(root, [{ file: f, feature: null, path: '', message: '图层文件（经符号链接）超出数据包目录' }]);
      }
      layers[f] = await readFile(full, 'utf8');
    } catch (e) {
      if (e instanceof BundleLoadError) throw e;
      throw new BundleLoadError(root, [{ file: f, feature: null, path: '', message: `无法读取图层文件：${(e as Error).message}` }]);
    }
  }
  return { manifest, layers, root };
}
