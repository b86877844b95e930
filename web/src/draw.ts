/**
 * Drawing a site with plain Leaflet events (no plugin): click to add vertices, double-click or Enter
 * to finish, Backspace to undo the last vertex, Esc to cancel. Keyboard only: the map pans with the
 * arrow keys and Space (or A) adds a vertex at the crosshair in the middle of the map. While
 * drawing, the arrow keys and +/− move the map here, without Leaflet's animation: Space right after
 * an arrow key then puts the vertex where the map was moved to, not where the animation has got to.
 */
import type { MapView } from './map-view.js';
import type { Geometry, Position } from './types.js';

export type DrawMode = 'polygon' | 'point';

const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

const PAN: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
const ZOOM: Record<string, number> = { '+': 1, '=': 1, '-': -1, _: -1 };

export class Drawer {
  private mode: DrawMode | null = null;
  private vertices: L.LatLng[] = [];
  private group: L.LayerGroup;
  private outline: L.Polyline | null = null;
  private rubber: L.Polyline | null = null;
  private renderer: L.Renderer;

  constructor(
    private view: MapView,
    private hint: HTMLElement,
    private crosshair: HTMLElement,
    private onDone: (g: Geometry) => void,
    /** Drawing has ended (finished or cancelled); `message` says how. */
    private onEnd: (message: string) => void,
  ) {
    this.group = L.layerGroup().addTo(view.map);
    this.renderer = L.svg({ pane: 'draw' });
    const map = view.map;
    map.on('click', (e: L.LeafletMouseEvent) => this.onClick(e.latlng));
    map.on('dblclick', (e: L.LeafletMouseEvent) => {
      if (this.mode !== 'polygon') return;
      L.DomEvent.stop(e.originalEvent);
      this.onClick(e.latlng);
      this.finish();
    });
    map.on('mousemove', (e: L.LeafletMouseEvent) => this.onMove(e.latlng));
    document.addEventListener('keydown', (e) => this.onKey(e), true);
  }

  get active(): DrawMode | null {
    return this.mode;
  }

  start(mode: DrawMode): void {
    this.reset();
    this.mode = mode;
    this.view.drawing = true;
    this.view.map.doubleClickZoom.disable();
    this.view.map.getContainer().classList.add('drawing');
    this.crosshair.hidden = false;
    this.say();
  }

  cancel(): void {
    if (!this.mode) return;
    this.stop('已取消绘制。');
  }

  finish(): void {
    if (this.mode !== 'polygon') return;
    const vs = dedupe(this.vertices);
    if (vs.length < 3) {
      this.hint.textContent = `多边形至少需要 3 个顶点（当前 ${vs.length} 个）。`;
      return;
    }
    const ring: Position[] = vs.map((v) => [round7(v.lng), round7(v.lat)]);
    ring.push([ring[0][0], ring[0][1]]);
    this.stop(`已完成多边形（${vs.length} 个顶点）。`);
    this.onDone({ type: 'Polygon', coordinates: [ring] });
  }

  /** Adds a vertex (polygon) or places the point at the centre of the map (keyboard). */
  addAtCentre(): void {
    this.onClick(this.view.map.getCenter(), true);
  }

  private onClick(ll: L.LatLng, keyboard = false): void {
    if (!this.mode) return;
    if (this.mode === 'point') {
      this.stop('已放置点位。');
      this.onDone({ type: 'Point', coordinates: [round7(ll.lng), round7(ll.lat)] });
      return;
    }
    // The clicks of a double-click land on the last vertex: ignore repeats within a few pixels.
    const last = this.vertices[this.vertices.length - 1];
    if (!keyboard && last && this.view.map.latLngToContainerPoint(last).distanceTo(this.view.map.latLngToContainerPoint(ll)) < 5) return;
    this.add(ll);
  }

  private add(ll: L.LatLng): void {
    const last = this.vertices[this.vertices.length - 1];
    if (last && last.equals(ll)) return;
    this.vertices.push(ll);
    L.circleMarker(ll, { pane: 'draw', renderer: this.renderer, radius: 5, color: '#0d47a1', weight: 2, fillColor: '#fff', fillOpacity: 1, interactive: false } as L.CircleMarkerOptions).addTo(this.group);
    if (this.outline) this.outline.setLatLngs(this.vertices);
    else this.outline = L.polyline(this.vertices, { pane: 'draw', renderer: this.renderer, color: '#0d47a1', weight: 2.5, interactive: false } as L.PolylineOptions).addTo(this.group);
    this.say();
  }

  private onMove(ll: L.LatLng): void {
    if (this.mode !== 'polygon' || this.vertices.length === 0) return;
    const pts = [this.vertices[this.vertices.length - 1], ll, ...(this.vertices.length >= 2 ? [this.vertices[0]] : [])];
    if (this.rubber) this.rubber.setLatLngs(pts);
    else this.rubber = L.polyline(pts, { pane: 'draw', renderer: this.renderer, color: '#0d47a1', weight: 1.5, dashArray: '4 4', interactive: false } as L.PolylineOptions).addTo(this.group);
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.mode) return;
    const t = e.target as HTMLElement | null;
    const inField = !!t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
    if (e.key === 'Escape') {
      e.preventDefault();
      this.cancel();
      return;
    }
    if (inField) return;
    const onMap = !!t && this.view.map.getContainer().contains(t);
    const map = this.view.map;
    if (onMap && !e.altKey && !e.ctrlKey && !e.metaKey && (PAN[e.key] || ZOOM[e.key])) {
      // Instead of Leaflet's keyboard handler (which animates): the map is where it goes at once.
      e.preventDefault();
      e.stopPropagation();
      const times = e.shiftKey ? 3 : 1;
      if (PAN[e.key]) {
        const d = (map.options.keyboardPanDelta ?? 80) * times;
        map.panBy([PAN[e.key][0] * d, PAN[e.key][1] * d], { animate: false });
      } else {
        map.setZoom(map.getZoom() + ZOOM[e.key] * (map.options.zoomDelta ?? 1) * times, { animate: false });
      }
      return;
    }
    if (e.key === 'Enter' && this.mode === 'polygon' && (onMap || t === document.body)) {
      e.preventDefault();
      this.finish();
    } else if ((e.key === ' ' || e.key === 'a' || e.key === 'A' || (e.key === 'Enter' && this.mode === 'point')) && onMap) {
      e.preventDefault();
      this.addAtCentre();
    } else if (e.key === 'Backspace' && this.mode === 'polygon' && (onMap || t === document.body)) {
      e.preventDefault();
      this.vertices.pop();
      this.redraw();
      this.say();
    }
  }

  private redraw(): void {
    this.group.clearLayers();
    this.outline = null;
    this.rubber = null;
    const vs = this.vertices;
    this.vertices = [];
    for (const v of vs) this.add(v);
  }

  private say(): void {
    if (this.mode === 'point') {
      this.hint.textContent = '点击地图放置点位；键盘：方向键移动地图，空格键在十字准星处放置；Esc 取消。';
    } else {
      this.hint.textContent = `绘制多边形：已 ${this.vertices.length} 个顶点。点击添加顶点，双击或按 Enter 完成，Backspace 撤销，Esc 取消；键盘：方向键移动地图，空格键在十字准星处添加顶点。`;
    }
  }

  private reset(): void {
    this.group.clearLayers();
    this.outline = null;
    this.rubber = null;
    this.vertices = [];
  }

  private stop(message: string): void {
    this.reset();
    this.mode = null;
    this.view.drawing = false;
    this.view.map.doubleClickZoom.enable();
    this.view.map.getContainer().classList.remove('drawing');
    this.crosshair.hidden = true;
    this.hint.textContent = message;
    this.onEnd(message);
  }
}

function dedupe(vs: L.LatLng[]): L.LatLng[] {
  const out: L.LatLng[] = [];
  for (const v of vs) if (!out.length || !out[out.length - 1].equals(v)) out.push(v);
  if (out.length > 1 && out[0].equals(out[out.length - 1])) out.pop();
  return out;
}
