// A PDF (a bank statement, usually) rendered page by page onto <canvas> with pdf.js. pdf.js is loaded only
// when a PDF is opened. Its worker is a same-origin file of the build, which the CSP allows through
// script-src 'self' (worker-src falls back to it). `?worker&url` rather than plain `?url`: Vite then emits
// the worker as a .js file, which every server of the renderer sends as JavaScript, where a .mjs file went
// out from the browser host as application/octet-stream and Chromium refused to run it. The bytes are
// fetched here and handed over, so the worker itself fetches nothing. The component is keyed by the file.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** More pages than an agent reads in a dispute; a longer file is cut here rather than freezing the screen. */
const MAX_PAGES = 20;
const RENDER_SCALE = 1.5;

type Phase = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; pages: number };

async function loadPdfJs() {
  const [pdfjs, worker] = await Promise.all([
    import('pdfjs-dist'),
    import('pdfjs-dist/build/pdf.worker.min.mjs?worker&url'),
  ]);
  pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
  return pdfjs;
}

export function PdfViewer({ url, name }: { url: string; name: string }) {
  const { t } = useTranslation('case');
  const pages = useRef<HTMLDivElement>(null);
  const [phase, setPhase] = useState<Phase>({ state: 'loading' });

  useEffect(() => {
    let cancelled = false;
    const container = pages.current;
    void (async () => {
      const pdfjs = await loadPdfJs();
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      // No eval under the CSP: pdf.js falls back to its interpreter when told so up front.
      const document = await pdfjs.getDocument({ data: bytes, isEvalSupported: false }).promise;
      if (cancelled || !container) return document.destroy();
      container.replaceChildren();
      const count = Math.min(document.numPages, MAX_PAGES);
      for (let number = 1; number <= count && !cancelled; number++) {
        const page = await document.getPage(number);
        const viewport = page.getViewport({ scale: RENDER_SCALE });
        const canvas = window.document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.className = 'case-pdf__page';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', t('viewer.pdfPage', { page: number, pages: document.numPages }));
        container.append(canvas);
        await page.render({ canvas, viewport }).promise;
      }
      if (!cancelled) setPhase({ state: 'ready', pages: document.numPages });
    })().catch(() => {
      if (!cancelled) setPhase({ state: 'failed' });
    });
    return () => {
      cancelled = true;
    };
  }, [url, t]);

  return (
    <div className="case-pdf">
      {phase.state === 'loading' && <p className="case-muted">{t('viewer.pdfLoading')}</p>}
      {phase.state === 'failed' && (
        <p className="case-alert case-alert--error" role="alert">
          {t('evidence.loadFailed')}
        </p>
      )}
      <div className="case-pdf__pages" ref={pages} tabIndex={0} role="group" aria-label={t('viewer.pdfPages', { name })} />
    </div>
  );
}
