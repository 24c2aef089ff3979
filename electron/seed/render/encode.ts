// Image encoders for the raster canvas. Both are pure JavaScript (pngjs over node:zlib, jpeg-js) and
// deterministic: the same pixels always give the same bytes, which the "reused receipt" case relies on.

import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import type { RasterCanvas } from './canvas';

export function encodePng(canvas: RasterCanvas): Buffer {
  const png = new PNG({ width: canvas.width, height: canvas.height });
  canvas.data.copy(png.data);
  // The "sub" filter alone compresses flat UI-like images well and is much faster than trying all five.
  return PNG.sync.write(png, { filterType: 1, deflateLevel: 6 });
}

export function encodeJpeg(canvas: RasterCanvas, quality: number): Buffer {
  return jpeg.encode({ width: canvas.width, height: canvas.height, data: canvas.data }, quality).data;
}
