// Renders every file a seed plan asks for. Pure CPU work, done before the write transaction opens so the
// database is never locked while images are being drawn.
import {
  renderBankStatementPdf,
  renderIdPhotoPng,
  renderReceiptJpeg,
  renderReceiptPng,
  renderSelfieFramesJpeg,
} from './images';
import { frameKey, type EvidenceSource } from './plan';

export function renderFiles(sources: ReadonlyMap<string, EvidenceSource>): Map<string, Buffer> {
  const rendered = new Map<string, Buffer>();
  for (const [key, source] of sources) {
    switch (source.type) {
      case 'receipt':
        rendered.set(key, source.format === 'png' ? renderReceiptPng(source.spec) : renderReceiptJpeg(source.spec));
        break;
      case 'statement':
        rendered.set(key, renderBankStatementPdf(source.spec));
        break;
      case 'id_photo':
        rendered.set(key, renderIdPhotoPng(source.person));
        break;
      case 'frames':
        renderSelfieFramesJpeg(source.person, source.count, { differentPerson: source.differentPerson }).forEach((frame, index) =>
          rendered.set(frameKey(key, index), frame),
        );
        break;
    }
  }
  return rendered;
}
