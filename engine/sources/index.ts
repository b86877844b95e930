/** Layer sources behind one interface (issue 7). Pure: runs in Node, Workers and browsers. */
import type { Bundle, IndexEntry } from '../bundle/types.js';
import type { BBox } from '../geometry/index.js';
import type { LayerSource } from './types.js';

export type { EntryRow, LayerSource, LayerSourceName, SourceIdentity, SourceMeta, SourceStats } from './types.js';
export { SOURCE_FORMAT } from './types.js';
export { assembleEntries, bundleEntries, bundleEntryRows, describeBundle, identityOf, readSourceMeta, sourceBundle, SourceNotSupportedError } from './source-bundle.js';
export { bytesRangeReader, httpRangeReader, r2RangeReader, type R2BucketLike, type RangeReader } from './range-reader.js';
export { fgbFromBundle, writeFgb, type FgbLayout } from './fgb-write.js';
export { FgbLayerSource, openFgbBundle, openFgbR2, openFgbUrl, type FgbManifest, type FgbSourceOptions } from './fgb-source.js';
export { decodeWkb, encodeWkb } from './wkb.js';

/** The in-memory source of a bundle loaded from its directory (what Bundle.query does by default). */
export function memorySource(bundle: Bundle): LayerSource {
  let queries = 0;
  let entries = 0;
  return {
    name: 'memory',
    query: async (b: BBox): Promise<IndexEntry[]> => {
      const r = bundle.search(b);
      queries++;
      entries += r.length;
      return r;
    },
    stats: () => ({ queries, entries, bytes: 0, requests: 0 }),
  };
}
