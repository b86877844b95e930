/** Configurable limits on bundles (features, bytes): a bundle over them is refused with a clear message. */
import { cpSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BundleLoadError, configureBundleLimits, loadBundle } from '../../engine/index.js';
import { loadBundleDir } from '../../api/node/load-bundle-dir.js';
import { startServer } from '../helpers/server-process.js';
import { writeTestBundle } from '../helpers/test-bundle.js';

const dir = writeTestBundle(mkdtempSync(join(tmpdir(), 'limits-')));
const manifest = JSON.parse(readFileSync(join(dir, 'jurisdiction.json'), 'utf8'));
const layers = Object.fromEntries((manifest.layers as string[]).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

afterEach(() => configureBundleLimits({ maxFeatures: 5_000_000, maxBytes: 2 * 1024 ** 3 }));

describe('bundle limits', () => {
  it('refuses a bundle with more features than allowed, naming the limit', async () => {
    configureBundleLimits({ maxFeatures: 5 });
    const e = await loadBundle(manifest, layers).catch((x) => x);
    expect(e).toBeInstanceOf(BundleLoadError);
    expect(e.message).toMatch(/超过上限 5/);
  });
  it('refuses a bundle over the byte limit before parsing it', async () => {
    configureBundleLimits({ maxBytes: 100 });
    const e = await loadBundle(manifest, layers).catch((x) => x);
    expect(e).toBeInstanceOf(BundleLoadError);
    expect(e.message).toMatch(/超过上限 100/);
  });
  it('loads within the limits', async () => {
    configureBundleLimits({ maxFeatures: 10, maxBytes: 1_000_000 });
    expect((await loadBundle(manifest, layers)).features.length).toBe(10);
  });
  it('the server refuses to start on a bundle over ZONING_MAX_BUNDLE_FEATURES', async () => {
    const e = await startServer({ ZONING_BUNDLES: dir, ZONING_DB: join(dir, 'x.db'), ZONING_MAX_BUNDLE_FEATURES: '3' }, 30_000).catch((x) => x);
    expect(String(e)).toMatch(/超过上限 3/);
  }, 40_000);
});

describe('bundle paths stay inside the bundle directory', () => {
  const copy = () => {
    const d = mkdtempSync(join(tmpdir(), 'paths-'));
    cpSync(dir, d, { recursive: true });
    return d;
  };
  it('a layer path leading out of it is refused', async () => {
    const d = copy();
    writeFileSync(join(d, 'jurisdiction.json'), JSON.stringify({ ...manifest, layers: [...manifest.layers, '../../../../etc/passwd'] }));
    const e = await loadBundleDir(d).catch((x) => x);
    expect(e).toBeInstanceOf(BundleLoadError);
    expect(e.message).toMatch(/不得超出数据包目录/);
    expect(e.message).not.toMatch(/root:/);
  });
  it('so is a symbolic link in it pointing out of it; one pointing inside is followed', async () => {
    const d = copy();
    symlinkSync('/etc/passwd', join(d, 'layers/outside.geojson'));
    writeFileSync(join(d, 'jurisdiction.json'), JSON.stringify({ ...manifest, layers: [...manifest.layers, 'layers/outside.geojson'] }));
    const e = await loadBundleDir(d).catch((x) => x);
    expect(e).toBeInstanceOf(BundleLoadError);
    expect(e.message).toMatch(/符号链接/);
    expect(e.message).not.toMatch(/root:/);
    const inside = copy();
    renameSync(join(inside, 'layers/controls.geojson'), join(inside, 'layers/real.geojson'));
    symlinkSync(join(inside, 'layers/real.geojson'), join(inside, 'layers/controls.geojson'));
    expect((await loadBundleDir(inside)).features.length).toBe(10);
  });
});
