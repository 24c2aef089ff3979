// A receipt image the agent can inspect closely: zoom, pan, rotate and fit, with buttons and with the
// keyboard (+ − zoom, arrows pan, R rotates, 0 fits). CSS transforms do the work, set through the DOM's
// style property, which the strict Content-Security-Policy allows.
import { useRef, useState } from 'react';
import type { KeyboardEvent, PointerEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components';

const ZOOM_STEP = 1.25;
const MIN_ZOOM = 0.25;
const MAX_ZOOM = 8;
const PAN_STEP = 40;

interface View {
  zoom: number;
  rotation: number;
  x: number;
  y: number;
}
const FITTED: View = { zoom: 1, rotation: 0, x: 0, y: 0 };

export function ImageViewer({ url, name }: { url: string; name: string }) {
  const { t } = useTranslation('case');
  const [view, setView] = useState<View>(FITTED);
  const drag = useRef<{ startX: number; startY: number; x: number; y: number } | null>(null);

  const zoomBy = (factor: number) =>
    setView((v) => ({ ...v, zoom: Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, v.zoom * factor)) }));
  const rotate = () => setView((v) => ({ ...v, rotation: (v.rotation + 90) % 360 }));
  const panBy = (dx: number, dy: number) => setView((v) => ({ ...v, x: v.x + dx, y: v.y + dy }));
  const fit = () => setView(FITTED);

  function onKeyDown(event: KeyboardEvent) {
    const actions: Record<string, () => void> = {
      '+': () => zoomBy(ZOOM_STEP),
      '=': () => zoomBy(ZOOM_STEP),
      '-': () => zoomBy(1 / ZOOM_STEP),
      r: rotate,
      R: rotate,
      '0': fit,
      ArrowLeft: () => panBy(PAN_STEP, 0),
      ArrowRight: () => panBy(-PAN_STEP, 0),
      ArrowUp: () => panBy(0, PAN_STEP),
      ArrowDown: () => panBy(0, -PAN_STEP),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    event.currentTarget.setPointerCapture(event.pointerId);
    drag.current = { startX: event.clientX, startY: event.clientY, x: view.x, y: view.y };
  }
  function onPointerMove(event: PointerEvent<HTMLDivElement>) {
    const start = drag.current;
    if (!start) return;
    setView((v) => ({ ...v, x: start.x + event.clientX - start.startX, y: start.y + event.clientY - start.startY }));
  }
  const endDrag = () => (drag.current = null);

  const percent = Math.round(view.zoom * 100);
  return (
    <div className="case-viewer">
      <div className="case-viewer__toolbar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <button type="button" className="case-icon-button" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label={t('viewer.zoomOut')} title={t('viewer.zoomOut')}>
          −
        </button>
        <output className="case-viewer__zoom" aria-live="polite">
          {t('viewer.zoomLevel', { percent })}
        </output>
        <button type="button" className="case-icon-button" onClick={() => zoomBy(ZOOM_STEP)} aria-label={t('viewer.zoomIn')} title={t('viewer.zoomIn')}>
          +
        </button>
        <button type="button" className="case-icon-button" onClick={rotate} aria-label={t('viewer.rotate')} title={t('viewer.rotate')}>
          ⟳
        </button>
        <Button variant="quiet" onClick={fit}>
          {t('viewer.fit')}
        </Button>
      </div>
      <div
        className="case-viewer__stage"
        tabIndex={0}
        role="group"
        aria-label={t('viewer.imageLabel', { name, percent, degrees: view.rotation })}
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={endDrag}
        onPointerCancel={endDrag}
        onDoubleClick={fit}
      >
        <img
          className="case-viewer__image"
          src={url}
          alt={name}
          draggable={false}
          style={{ transform: `translate(${view.x}px, ${view.y}px) rotate(${view.rotation}deg) scale(${view.zoom})` }}
        />
      </div>
    </div>
  );
}
