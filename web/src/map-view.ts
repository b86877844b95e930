/**
 * The map: no base tiles (none are reachable) — the jurisdiction's control layers are the map,
 * drawn on canvas in fixed panes (so toggling a layer never changes the stacking order), with a
 * legend that is also the list of layer toggles. On top: the suitability overlay, the findings'
 * highlighted features, the site, and the drawing.
 */
import { h, clear } from './dom.js';
import type { Finding, Geometry, LayerFeature, Position, SuitabilityFeature, SuitabilityResult, Verdict } from './types.js';
import { positionsOf } from './site-input.js';

export const VERDICT_COLOR: Record<Verdict, string> = { allowed: '#2e7d32', conditional: '#e08600', forbidden: '#c62828' };
export const VERDICT_NAME: Record<Verdict, string> = { allowed: '允许', conditional: '有条件允许', forbidden: '禁止' };

interface KindStyle { fill: string; stroke: string; fillOpacity: number; weight: number; dash?: string; line?: boolean }

/** Drawing order, bottom to top; the default visibility of each kind. */
const KIND_ORDER: [string, boolean][] = [
  ['planning-zone', true], ['arable-land', false], ['arable-reserve', false], ['farmland-reserve', false], ['permanent-farmland', true],
  ['public-forest', false], ['ecological-redline', true], ['water-source', true], ['mineral-deposit', false], ['geohazard', false],
  ['village-boundary', true], ['urban-boundary', true], ['urban-line', false], ['heritage', true], ['road', true], ['boundary', true],
];

const ZONE_FILL: Record<string, Record<string, string>> = {
  'planning-zone': {
    'farmland-protection': '#f3e7b3', 'ecological-protection': '#a5d6a7', 'ecological-control': '#d2e9c5',
    'urban-development': '#f6c6c0', 'rural-development': '#f7dfc0', 'mining-energy': '#d8c8e6',
  },
  'urban-boundary': { concentrated: '#f48fb1', flexible: '#ffcc80', special: '#b39ddb' },
  heritage: { site: '#5d4037', protection: '#a1887f', control: '#d7ccc8' },
  'water-source': { '1': '#1565c0', '2': '#42a5f5', quasi: '#90caf9' },
  'public-forest': { national: '#2e7d32', provincial: '#66bb6a' },
  road: { expressway: '#d84315', national: '#ef6c00', provincial: '#f57c00', county: '#fb8c00', township: '#ffa726' },
  'urban-line': { green: '#43a047', blue: '#1e88e5', purple: '#8e24aa', yellow: '#f9a825' },
  'ecological-redline': { core: '#1b5e20' },
};
const ROAD_WEIGHT: Record<string, number> = { expressway: 4.5, national: 3.5, provincial: 3, county: 2.2, township: 1.6 };

export function kindStyle(kind: string, zone: string | null, props: Record<string, unknown> = {}): KindStyle {
  const z = zone ?? '';
  switch (kind) {
    case 'boundary': return { fill: 'transparent', stroke: '#37474f', fillOpacity: 0, weight: 2.5, dash: '8 4 2 4' };
    case 'planning-zone': return { fill: ZONE_FILL['planning-zone'][z] ?? '#eeeeee', stroke: '#ffffff', fillOpacity: 0.9, weight: 0.8 };
    case 'ecological-redline': return z === 'core'
      ? { fill: '#1b5e20', stroke: '#1b5e20', fillOpacity: 0.55, weight: 1.5 }
      : { fill: '#388e3c', stroke: '#1b5e20', fillOpacity: 0.4, weight: 1.5 };
    case 'permanent-farmland': return { fill: '#e2b900', stroke: '#a68800', fillOpacity: 0.6, weight: 0.6 };
    case 'farmland-reserve': return { fill: '#f0e08a', stroke: '#b59f2a', fillOpacity: 0.5, weight: 1, dash: '4 3' };
    case 'arable-land': return props.paddy === true
      ? { fill: '#9ccc65', stroke: '#689f38', fillOpacity: 0.55, weight: 0.5 }
      : { fill: '#d4e157', stroke: '#9e9d24', fillOpacity: 0.55, weight: 0.5 };
    case 'arable-reserve': return { fill: '#c5b358', stroke: '#8d7b2a', fillOpacity: 0.45, weight: 0.8, dash: '3 3' };
    case 'urban-boundary': return { fill: ZONE_FILL['urban-boundary'][z] ?? '#f48fb1', stroke: '#ad1457', fillOpacity: 0.3, weight: 2, dash: '10 4' };
    case 'village-boundary': return { fill: '#bcaaa4', stroke: '#6d4c41', fillOpacity: 0.55, weight: 1 };
    case 'heritage': return { fill: ZONE_FILL.heritage[z] ?? '#a1887f', stroke: '#4e342e', fillOpacity: z === 'site' ? 0.85 : 0.45, weight: 1, dash: z === 'control' ? '4 3' : undefined };
    case 'water-source': return { fill: ZONE_FILL['water-source'][z] ?? '#42a5f5', stroke: '#0d47a1', fillOpacity: 0.35, weight: 1 };
    case 'public-forest': return { fill: ZONE_FILL['public-forest'][z] ?? '#66bb6a', stroke: '#1b5e20', fillOpacity: 0.3, weight: 0.8, dash: '2 3' };
    case 'road': return { fill: 'transparent', stroke: ZONE_FILL.road[z] ?? '#fb8c00', fillOpacity: 0, weight: ROAD_WEIGHT[z] ?? 2, line: true };
    case 'mineral-deposit': return { fill: '#8d6e63', stroke: '#4e342e', fillOpacity: 0.2, weight: 1, dash: '6 3' };
    case 'urban-line': return { fill: ZONE_FILL['urban-line'][z] ?? '#43a047', stroke: ZONE_FILL['urban-line'][z] ?? '#43a047', fillOpacity: 0.45, weight: 1.2 };
    case 'geohazard': return { fill: '#ff7043', stroke: '#bf360c', fillOpacity: 0.25, weight: 1, dash: '5 3' };
    default: return { fill: '#90a4ae', stroke: '#455a64', fillOpacity: 0.3, weight: 1 };
  }
}

export interface LegendEntry { kind: string; kindName: string; zones: { zone: string | null; name: string | null }[] }

export class MapView {
  readonly map: L.Map;
  private layers = new Map<string, L.GeoJSON>();
  private visible = new Map<string, boolean>();
  private featuresById = new Map<string, LayerFeature>();
  private features: LayerFeature[] = [];
  private highlight: L.LayerGroup;
  private siteLayer: L.LayerGroup;
  private suitLayer: L.GeoJSON | null = null;
  private suitFeatures: SuitabilityFeature[] = [];
  private suitLegend: L.Control;
  private renderers = new Map<string, L.Renderer>();
  private kindNames = new Map<string, string>();
  private zoneNames = new Map<string, string>();
  /** Set by the drawing tool: while true a click draws instead of identifying. */
  drawing = false;

  constructor(el: HTMLElement) {
    this.map = L.map(el, { preferCanvas: true, zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: false, keyboardPanDelta: 120 });
    el.setAttribute('aria-label', '管控图层地图：方向键平移，加号/减号缩放');
    KIND_ORDER.forEach(([kind], i) => this.pane(`k-${kind}`, 410 + i));
    this.pane('suitability', 460);
    this.pane('highlight', 470);
    this.pane('site', 480);
    this.pane('draw', 490);
    this.highlight = L.layerGroup().addTo(this.map);
    this.siteLayer = L.layerGroup().addTo(this.map);
    L.control.scale({ metric: true, imperial: false, position: 'bottomleft' }).addTo(this.map);
    this.suitLegend = new L.Control({ position: 'bottomright' });
    this.suitLegend.onAdd = () => h('div', { class: 'suit-legend', role: 'note', 'aria-label': '适宜性图例' },
      h('strong', {}, '适宜性'),
      (['allowed', 'conditional', 'forbidden'] as Verdict[]).map((v) => h('span', {}, h('span', { class: 'swatch', style: `background:${VERDICT_COLOR[v]}` }), VERDICT_NAME[v])),
    );
    this.map.on('click', (e: L.LeafletMouseEvent) => {
      if (!this.drawing) this.identify(e.latlng);
    });
  }

  private pane(name: string, z: number): void {
    const p = this.map.createPane(name);
    p.style.zIndex = String(z);
    this.renderers.set(name, L.canvas({ pane: name, padding: 0.3 }));
  }

  /** Fits a box, leaving room for the legend when it is open beside the map. */
  fitBbox(b: [number, number, number, number]): void {
    this.fit(L.latLngBounds([[b[1], b[0]], [b[3], b[2]]]), 8);
  }

  private fit(bounds: L.LatLngBounds, pad: number, maxZoom?: number): void {
    const legend = this.map.getContainer().parentElement?.querySelector<HTMLDetailsElement>('.legend');
    const size = this.map.getSize();
    const right = legend?.open && size.x > 700 ? legend.offsetWidth + 10 + pad : pad;
    this.map.fitBounds(bounds, { paddingTopLeft: [pad, pad], paddingBottomRight: [right, pad], maxZoom });
  }

  /** How many features are highlighted (each drawn as halo + colour). */
  highlightedCount(): number {
    return this.highlight.getLayers().length / 2;
  }

  setNames(kinds: { id: string; name: string; values: Record<string, string> | null }[]): void {
    for (const k of kinds) {
      this.kindNames.set(k.id, k.name);
      for (const [v, n] of Object.entries(k.values ?? {})) this.zoneNames.set(`${k.id}|${v}`, n);
    }
    this.zoneNames.set('ecological-redline|core', '自然保护地核心保护区');
    this.zoneNames.set('urban-boundary|outside', '城镇开发边界外');
  }

  featureName(f: { kind: string; zone: string | null }): string {
    const k = this.kindNames.get(f.kind) ?? f.kind;
    if (f.zone === null) return k;
    return `${k}·${this.zoneNames.get(`${f.kind}|${f.zone}`) ?? f.zone}`;
  }

  /** Replaces the control layers with a jurisdiction's features. */
  setLayers(features: LayerFeature[]): void {
    for (const l of this.layers.values()) l.remove();
    this.layers.clear();
    this.features = features;
    this.featuresById = new Map(features.map((f) => [String(f.id ?? f.properties.id), f]));
    const byKind = new Map<string, LayerFeature[]>();
    for (const f of features) {
      const list = byKind.get(f.properties.kind) ?? [];
      list.push(f);
      byKind.set(f.properties.kind, list);
    }
    for (const [kind, defaultOn] of KIND_ORDER) {
      const list = byKind.get(kind);
      if (!list) continue;
      const pane = `k-${kind}`;
      const layer = L.geoJSON(list as unknown as GeoJSON.Feature[], {
        pane,
        interactive: false,
        style: (f) => {
          const p = (f?.properties ?? {}) as LayerFeature['properties'];
          const s = kindStyle(p.kind, p.zone, p);
          return { renderer: this.renderers.get(pane), color: s.stroke, weight: s.weight, fillColor: s.fill, fillOpacity: s.fillOpacity, dashArray: s.dash, opacity: 1 } as L.PathOptions;
        },
      });
      this.layers.set(kind, layer);
      if (!this.visible.has(kind)) this.visible.set(kind, defaultOn);
      if (this.visible.get(kind)) layer.addTo(this.map);
    }
  }

  setVisible(kind: string, on: boolean): void {
    this.visible.set(kind, on);
    const l = this.layers.get(kind);
    if (!l) return;
    if (on) l.addTo(this.map);
    else l.remove();
  }

  isVisible(kind: string): boolean {
    return this.visible.get(kind) ?? false;
  }

  /** The legend: one toggle per kind present, with a swatch per zone. */
  renderLegend(list: HTMLElement, entries: LegendEntry[]): void {
    clear(list);
    const order = new Map(KIND_ORDER.map(([k], i) => [k, i]));
    const sorted = entries.slice().sort((a, b) => (order.get(b.kind) ?? 0) - (order.get(a.kind) ?? 0));
    for (const e of sorted) {
      const id = `layer-${e.kind}`;
      const input = h('input', { type: 'checkbox', id, 'data-kind': e.kind });
      input.checked = this.isVisible(e.kind);
      input.addEventListener('change', () => this.setVisible(e.kind, input.checked));
      const swatches = e.zones.map((z) => {
        const s = kindStyle(e.kind, z.zone);
        return h('li', {}, swatch(s), z.name ?? e.kindName);
      });
      list.appendChild(h('li', { class: 'legend-kind' },
        h('label', { for: id }, input, e.zones.length === 1 ? swatch(kindStyle(e.kind, e.zones[0].zone)) : null, h('span', {}, e.kindName)),
        e.zones.length > 1 ? h('ul', { class: 'legend-zones' }, swatches) : null,
      ));
    }
  }

  /** Draws the site (and fits the view to it unless `keepView`). */
  showSite(g: Geometry | null, keepView = false): void {
    this.siteLayer.clearLayers();
    if (!g) return;
    const renderer = this.renderers.get('site');
    if (g.type === 'Point') {
      L.circleMarker([g.coordinates[1], g.coordinates[0]], { pane: 'site', renderer, radius: 8, color: '#0d47a1', weight: 3, fillColor: '#ffffff', fillOpacity: 1 } as L.CircleMarkerOptions).addTo(this.siteLayer);
    } else {
      L.geoJSON(g as unknown as GeoJSON.GeoJsonObject, {
        pane: 'site',
        style: () => ({ renderer, color: '#0d47a1', weight: 3, fillColor: '#1e88e5', fillOpacity: 0.12, dashArray: '6 4' } as L.PathOptions),
        interactive: false,
      }).addTo(this.siteLayer);
    }
    if (!keepView) {
      const ps = positionsOf(g);
      const b = L.latLngBounds(ps.map(([x, y]) => [y, x] as [number, number]));
      if (g.type === 'Point') this.map.setView(b.getCenter(), Math.max(this.map.getZoom(), 15));
      else this.fit(b, 40, 17);
    }
  }

  /**
   * Highlights the features each finding names, in its verdict's colour: filled where a feature is
   * of the site's scale, outlined only where it is far larger (a planning zone would tint the map).
   */
  showFindings(findings: Finding[], site: Geometry | null = null): void {
    this.highlight.clearLayers();
    const renderer = this.renderers.get('highlight');
    const extent = (ps: Position[]) => {
      const xs = ps.map((p) => p[0]);
      const ys = ps.map((p) => p[1]);
      return (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
    };
    const siteExtent = site ? extent(positionsOf(site)) : 0;
    for (const f of findings) {
      const color = VERDICT_COLOR[f.verdict];
      for (const id of f.featureIds) {
        const feature = this.featuresById.get(id);
        if (!feature) continue;
        const line = feature.geometry.type.includes('Line');
        const fill = !line && extent(positionsOf(feature.geometry)) <= Math.max(siteExtent * 25, 1e-6);
        // A white halo under the verdict colour: visible on any layer colour.
        L.geoJSON(feature as unknown as GeoJSON.Feature, {
          pane: 'highlight',
          interactive: false,
          style: () => ({ renderer, color: '#ffffff', weight: line ? 9 : 5, opacity: 0.9, fill: false } as L.PathOptions),
        }).addTo(this.highlight);
        L.geoJSON(feature as unknown as GeoJSON.Feature, {
          pane: 'highlight',
          interactive: false,
          style: () => ({ renderer, color, weight: line ? 5 : 2.5, opacity: 1, fillColor: color, fillOpacity: fill ? 0.35 : 0, fill } as L.PathOptions),
        }).addTo(this.highlight);
      }
    }
  }

  /** Zooms to a finding's features (and the site). */
  focusFeatures(ids: string[], site: Geometry | null): void {
    const pts: [number, number][] = [];
    for (const id of ids) {
      const f = this.featuresById.get(id);
      if (f) for (const [x, y] of positionsOf(f.geometry)) pts.push([y, x]);
    }
    if (site) for (const [x, y] of positionsOf(site)) pts.push([y, x]);
    if (pts.length) this.fit(L.latLngBounds(pts), 30, 17);
  }

  showSuitability(r: SuitabilityResult | null): void {
    this.suitLayer?.remove();
    this.suitLayer = null;
    this.suitFeatures = r?.features ?? [];
    this.dimBase(!!r);
    if (!r) return;
    const renderer = this.renderers.get('suitability');
    this.suitLayer = L.geoJSON(r.features as unknown as GeoJSON.Feature[], {
      pane: 'suitability',
      interactive: false,
      style: (f) => {
        const v = (f?.properties as SuitabilityFeature['properties']).verdict;
        return { renderer, stroke: false, fillColor: VERDICT_COLOR[v], fillOpacity: 0.62 } as L.PathOptions;
      },
    }).addTo(this.map);
  }

  setSuitabilityVisible(on: boolean): void {
    if (!this.suitLayer) return;
    if (on) this.suitLayer.addTo(this.map);
    else this.suitLayer.remove();
    this.dimBase(on);
  }

  /** Fades the control layers under the suitability overlay, so its colours read clearly. */
  private dimBase(on: boolean): void {
    if (on) this.suitLegend.addTo(this.map);
    else this.suitLegend.remove();
    for (const [kind] of KIND_ORDER) {
      const pane = this.map.getPane(`k-${kind}`);
      if (pane) pane.style.opacity = on && kind !== 'boundary' && kind !== 'road' ? '0.35' : '';
    }
  }

  /** What lies at a clicked point: the control layers (and the suitability answer) there. */
  private identify(ll: L.LatLng): void {
    const p: Position = [ll.lng, ll.lat];
    const hits = this.features.filter((f) => f.geometry.type.includes('Polygon') && this.isVisible(f.properties.kind) && contains(f.geometry, p));
    const items = hits.map((f) => h('li', {}, this.featureName({ kind: f.properties.kind, zone: f.properties.zone }), f.properties.name ? `（${String(f.properties.name)}）` : '', h('span', { class: 'muted' }, ` ${f.properties.id}`)));
    const suit = this.suitLayer && this.map.hasLayer(this.suitLayer) ? this.suitFeatures.find((f) => contains(f.geometry, p)) : undefined;
    const body = h('div', { class: 'identify' },
      suit ? h('p', {}, h('strong', { style: `color:${VERDICT_COLOR[suit.properties.verdict]}` }, `适宜性：${VERDICT_NAME[suit.properties.verdict]}`),
        suit.properties.reasons.length ? h('span', {}, `（${suit.properties.reasons.filter((r) => r.verdict === suit.properties.verdict).map((r) => r.name).join('、') || '无管控'}）`) : null) : null,
      items.length ? h('ul', {}, items) : h('p', {}, '此处没有显示中的管控图层'),
      h('p', { class: 'muted' }, `${ll.lng.toFixed(6)}, ${ll.lat.toFixed(6)}`),
    );
    L.popup({ maxWidth: 280 }).setLatLng(ll).setContent(body).openOn(this.map);
  }
}

function swatch(s: KindStyle): HTMLElement {
  const style = s.line
    ? `background:${s.stroke};height:${Math.max(2, Math.round(s.weight))}px;border:0;margin-top:6px`
    : `background:${s.fillOpacity > 0 ? hexAlpha(s.fill, s.fillOpacity) : 'transparent'};border:${Math.max(1, Math.round(s.weight))}px ${s.dash ? 'dashed' : 'solid'} ${s.stroke === '#ffffff' ? '#bdbdbd' : s.stroke}`;
  return h('span', { class: 'swatch', style, 'aria-hidden': 'true' });
}

function hexAlpha(hex: string, a: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) return hex;
  const n = parseInt(m[1], 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

/** Point in (multi)polygon, even–odd over every ring. */
export function contains(g: Geometry | SuitabilityFeature['geometry'], [x, y]: Position): boolean {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  for (const poly of polys) {
    let inside = false;
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    if (inside) return true;
  }
  return false;
}
