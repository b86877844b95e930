/**
 * Picks the layer source from the environment (Node):
 *   ZONING_LAYER_SOURCE=memory      (default) bundles loaded from ZONING_BUNDLES directories
 *   ZONING_LAYER_SOURCE=flatgeobuf  ZONING_FGB_URL: sidecar URLs / paths / a directory (see fgb-node.ts)
 *   ZONING_LAYER_SOURCE=postgis     ZONING_POSTGIS_URL (+ optional ZONING_POSTGIS_JURISDICTIONS)
 */
import type { Bundle } from '../../../engine/bundle/types.js';
import type { LayerSourceName } from '../../../engine/sources/index.js';
import { openFgbLocations } from './fgb-node.js';
import { openPostgisBundles } from './postgis-source.js';

export interface RemoteLayers { source: Exclude<LayerSourceName, 'memory'>; bundles: Bundle[]; close(): Promise<void> }

export async function openLayerSources(env: NodeJS.ProcessEnv): Promise<RemoteLayers | null> {
  const kind = (env.ZONING_LAYER_SOURCE ?? 'memory').trim().toLowerCase() || 'memory';
  if (kind === 'memory') return null;
  if (kind === 'flatgeobuf' || kind === 'fgb') {
    const spec = env.ZONING_FGB_URL ?? env.ZONING_FGB_DIR ?? '';
    const o = await openFgbLocations(spec);
    return { source: 'flatgeobuf', bundles: o.bundles, close: o.close };
  }
  if (kind === 'postgis') {
    const url = env.ZONING_POSTGIS_URL ?? '';
    if (!url) throw new Error('ZONING_LAYER_SOURCE=postgis needs ZONING_POSTGIS_URL=postgres://…');
    const jurisdictions = (env.ZONING_POSTGIS_JURISDICTIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const o = await openPostgisBundles(url, { jurisdictions });
    return { source: 'postgis', bundles: o.bundles, close: o.close };
  }
  throw new Error(`ZONING_LAYER_SOURCE must be memory, flatgeobuf or postgis, not ${JSON.stringify(env.ZONING_LAYER_SOURCE)}`);
}
