// bpmn-js (the prebuilt navigated viewer, global BpmnJS) around a diagram, with markers and overlays.
import { h } from './dom.js';
import { dueText } from './format.js';

export async function showDiagram(container, xml) {
  if (!window.BpmnJS) throw new Error('流程图组件未加载');
  const viewer = new window.BpmnJS({ container, overlays: { defaults: { scale: { min: 1 } } } });
  await viewer.importXML(xml);
  const canvas = viewer.get('canvas');
  // As tall as the diagram needs at the container's width (a long process is a flat strip), within bounds.
  const { width, height } = canvas.viewbox().inner;
  if (width > 0) {
    const want = Math.round((container.clientWidth * height) / width) + 60;
    container.style.height = `${Math.min(Number(container.dataset.maxHeight) || 560, Math.max(220, want))}px`;
    canvas.resized();
  }
  canvas.zoom('fit-viewport', 'auto');
  return viewer;
}

export function elements(viewer) {
  return viewer.get('elementRegistry').getAll();
}

/** Fill a shape (heat colouring): the shape's own outline element; no colour puts back the renderer's. */
export function fill(viewer, id, color) {
  const gfx = viewer.get('elementRegistry').getGraphics(id);
  const shape = gfx?.querySelector('.djs-visual > rect, .djs-visual > circle, .djs-visual > polygon');
  if (!shape) return;
  if (shape.dataset.fill0 === undefined) shape.dataset.fill0 = shape.style.fill || '';
  shape.style.fill = color || shape.dataset.fill0;
}

/** The path an instance took: activities passed in green, the flows between them, where it waits now in blue (red when late). */
export function markPath(viewer, diagram, now = Date.now()) {
  const canvas = viewer.get('canvas');
  const overlays = viewer.get('overlays');
  const registry = viewer.get('elementRegistry');
  const passed = new Set(diagram.activities.filter((a) => a.endedAt && !a.canceled).map((a) => a.activityId));
  const current = new Set(diagram.current.map((c) => c.activityId));
  for (const id of passed) if (registry.get(id) && !current.has(id)) canvas.addMarker(id, 'done');
  for (const el of registry.getAll()) {
    if (el.type !== 'bpmn:SequenceFlow' || !el.source || !el.target) continue;
    if (passed.has(el.source.id) && (passed.has(el.target.id) || current.has(el.target.id))) canvas.addMarker(el.id, 'taken');
  }
  for (const c of diagram.current) {
    if (!registry.get(c.activityId)) continue;
    const late = c.due && new Date(c.due).getTime() < now;
    canvas.addMarker(c.activityId, late ? 'current-late' : 'current');
    if (c.due) {
      overlays.add(c.activityId, { position: { bottom: -4, left: 0 }, html: h('div', { class: `ov-due${late ? ' late' : ''}` }, `期限 ${dueText(c.due)}`) });
    }
  }
}
