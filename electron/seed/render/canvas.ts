// A tiny RGBA raster canvas: just enough drawing to make receipts, ID cards and selfie frames in plain
// JavaScript. No anti-aliasing: output must be deterministic and fast (~150 images per demo seed).

import { fontCharacters, glyphPixels, GLYPH_ADVANCE, GLYPH_WIDTH } from './font';
import type { Random } from './random';

export type Rgb = readonly [number, number, number];

export interface TextStyle {
  /** Integer magnification of the 5x7 font: 2 is the smallest comfortably readable size. */
  scale?: number;
  bold?: boolean;
}

export interface EllipseOptions {
  /** Clockwise rotation in radians around the centre. */
  rotation?: number;
  /** 0 (invisible) to 1 (opaque). */
  alpha?: number;
}

export function mix(a: Rgb, b: Rgb, amount: number): Rgb {
  return [
    Math.round(a[0] + (b[0] - a[0]) * amount),
    Math.round(a[1] + (b[1] - a[1]) * amount),
    Math.round(a[2] + (b[2] - a[2]) * amount),
  ];
}

export function hexColor(hex: string): Rgb {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

export class RasterCanvas {
  readonly data: Buffer;

  constructor(
    readonly width: number,
    readonly height: number,
    background: Rgb = [255, 255, 255],
  ) {
    this.data = Buffer.alloc(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Paints one pixel, blending over what is there; silently clips outside the canvas. */
  blendPixel(x: number, y: number, color: Rgb, alpha = 1): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    const d = this.data;
    if (alpha >= 1) {
      d[i] = color[0];
      d[i + 1] = color[1];
      d[i + 2] = color[2];
    } else {
      d[i] = Math.round(d[i]! + (color[0] - d[i]!) * alpha);
      d[i + 1] = Math.round(d[i + 1]! + (color[1] - d[i + 1]!) * alpha);
      d[i + 2] = Math.round(d[i + 2]! + (color[2] - d[i + 2]!) * alpha);
    }
    d[i + 3] = 255;
  }

  fillRect(x: number, y: number, w: number, h: number, color: Rgb, alpha = 1): void {
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + w));
    const y1 = Math.min(this.height, Math.round(y + h));
    for (let py = y0; py < y1; py++) {
      for (let px = x0; px < x1; px++) this.blendPixel(px, py, color, alpha);
    }
  }

  fillRoundedRect(x: number, y: number, w: number, h: number, radius: number, color: Rgb): void {
    this.fillRect(x + radius, y, w - 2 * radius, h, color);
    this.fillRect(x, y + radius, w, h - 2 * radius, color);
    for (const [cx, cy] of [
      [x + radius, y + radius],
      [x + w - radius - 1, y + radius],
      [x + radius, y + h - radius - 1],
      [x + w - radius - 1, y + h - radius - 1],
    ] as const) {
      this.fillEllipse(cx, cy, radius, radius, color);
    }
  }

  /** Fills a vertical gradient from `top` to `bottom` colour. */
  fillGradient(x: number, y: number, w: number, h: number, top: Rgb, bottom: Rgb): void {
    for (let row = 0; row < h; row++)
      this.fillRect(x, y + row, w, 1, mix(top, bottom, row / Math.max(1, h - 1)));
  }

  /** A straight line with square pens `thickness` pixels wide (Bresenham, stamping the pen). */
  line(x0: number, y0: number, x1: number, y1: number, color: Rgb, thickness = 1): void {
    let x = Math.round(x0);
    let y = Math.round(y0);
    const xEnd = Math.round(x1);
    const yEnd = Math.round(y1);
    const dx = Math.abs(xEnd - x);
    const dy = -Math.abs(yEnd - y);
    const stepX = x < xEnd ? 1 : -1;
    const stepY = y < yEnd ? 1 : -1;
    const penOffset = Math.floor(thickness / 2);
    let error = dx + dy;
    for (;;) {
      this.fillRect(x - penOffset, y - penOffset, thickness, thickness, color);
      if (x === xEnd && y === yEnd) return;
      const doubled = 2 * error;
      if (doubled >= dy) {
        error += dy;
        x += stepX;
      }
      if (doubled <= dx) {
        error += dx;
        y += stepY;
      }
    }
  }

  /** A polyline through the points, e.g. a signature or a wavy security pattern. */
  polyline(points: ReadonlyArray<readonly [number, number]>, color: Rgb, thickness = 1): void {
    for (let i = 1; i < points.length; i++) {
      const [ax, ay] = points[i - 1]!;
      const [bx, by] = points[i]!;
      this.line(ax, ay, bx, by, color, thickness);
    }
  }

  fillEllipse(
    cx: number,
    cy: number,
    rx: number,
    ry: number,
    color: Rgb,
    options: EllipseOptions = {},
  ): void {
    this.paintEllipse(cx, cy, rx, ry, color, options, (d) => d <= 1);
  }

  fillCircle(cx: number, cy: number, r: number, color: Rgb, alpha = 1): void {
    this.fillEllipse(cx, cy, r, r, color, { alpha });
  }

  /** An ellipse outline about `thickness` pixels wide, drawn inside the given radii. */
  strokeEllipse(
    cx: number,
    cy: number,
    rx: number,
    ry: number,
    color: Rgb,
    thickness: number,
    options: EllipseOptions = {},
  ): void {
    const innerX = Math.max(0, rx - thickness) / rx;
    const innerY = Math.max(0, ry - thickness) / ry;
    // Comparing normalised distances against the inner ellipse's scale keeps the ring evenly thick enough
    // for the small radii used here (glasses, badges) without solving for true offset curves.
    const inner = Math.min(innerX, innerY) ** 2;
    this.paintEllipse(cx, cy, rx, ry, color, options, (d) => d <= 1 && d > inner);
  }

  /**
   * Visits the bounding box of a (possibly rotated) ellipse and paints the pixels whose normalised
   * squared distance from the centre passes `inside`.
   */
  private paintEllipse(
    cx: number,
    cy: number,
    rx: number,
    ry: number,
    color: Rgb,
    { rotation = 0, alpha = 1 }: EllipseOptions,
    inside: (normalisedDistance: number) => boolean,
  ): void {
    if (rx <= 0 || ry <= 0) return;
    const cos = Math.cos(rotation);
    const sin = Math.sin(rotation);
    const extentX = Math.sqrt((rx * cos) ** 2 + (ry * sin) ** 2);
    const extentY = Math.sqrt((rx * sin) ** 2 + (ry * cos) ** 2);
    const x0 = Math.max(0, Math.floor(cx - extentX));
    const x1 = Math.min(this.width - 1, Math.ceil(cx + extentX));
    const y0 = Math.max(0, Math.floor(cy - extentY));
    const y1 = Math.min(this.height - 1, Math.ceil(cy + extentY));
    for (let py = y0; py <= y1; py++) {
      for (let px = x0; px <= x1; px++) {
        const dx = px - cx;
        const dy = py - cy;
        const u = (dx * cos + dy * sin) / rx;
        const v = (-dx * sin + dy * cos) / ry;
        if (inside(u * u + v * v)) this.blendPixel(px, py, color, alpha);
      }
    }
  }

  /**
   * Writes one line of text with its cap-height top-left corner at (x, y); accents reach 3 × scale
   * pixels above y and descenders 2 × scale below the baseline. Returns the drawn width.
   */
  text(x: number, y: number, text: string, color: Rgb, { scale = 2, bold = false }: TextStyle = {}): number {
    const penWidth = bold ? scale + Math.max(1, Math.floor(scale / 2)) : scale;
    let penX = Math.round(x);
    for (const char of fontCharacters(text)) {
      for (const [gx, gy] of glyphPixels(char)) {
        this.fillRect(penX + gx * scale, Math.round(y) + gy * scale, penWidth, scale, color);
      }
      penX += GLYPH_ADVANCE * scale;
    }
    return penX - Math.round(x);
  }

  /** Copies another canvas onto this one with its top-left corner at (x, y), clipping at the edges. */
  drawCanvas(source: RasterCanvas, x: number, y: number): void {
    for (let row = 0; row < source.height; row++) {
      const targetY = y + row;
      if (targetY < 0 || targetY >= this.height) continue;
      const from = Math.max(0, -x);
      const to = Math.min(source.width, this.width - x);
      if (to <= from) return;
      source.data.copy(
        this.data,
        (targetY * this.width + x + from) * 4,
        (row * source.width + from) * 4,
        (row * source.width + to) * 4,
      );
    }
  }

  /** Adds per-channel sensor noise, as a phone camera would, so frames do not look computer-drawn. */
  addNoise(random: Random, strength: number): void {
    const d = this.data;
    for (let i = 0; i < d.length; i += 4) {
      const grain = (random() - 0.5) * 2 * strength;
      d[i] = clampByte(d[i]! + grain);
      d[i + 1] = clampByte(d[i + 1]! + grain);
      d[i + 2] = clampByte(d[i + 2]! + grain);
    }
  }

  /** Darkens the corners like a small phone lens does. */
  addVignette(strength: number): void {
    const cx = this.width / 2;
    const cy = this.height / 2;
    const maxDistance = cx * cx + cy * cy;
    const d = this.data;
    for (let y = 0; y < this.height; y++) {
      for (let x = 0; x < this.width; x++) {
        const factor = 1 - strength * (((x - cx) ** 2 + (y - cy) ** 2) / maxDistance);
        const i = (y * this.width + x) * 4;
        d[i] = clampByte(d[i]! * factor);
        d[i + 1] = clampByte(d[i + 1]! * factor);
        d[i + 2] = clampByte(d[i + 2]! * factor);
      }
    }
  }
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
}

/** Width in pixels of a line of text at the given scale (without the trailing letter gap). */
export function measureText(text: string, scale = 2): number {
  const count = fontCharacters(text).length;
  return count === 0 ? 0 : (count * GLYPH_ADVANCE - (GLYPH_ADVANCE - GLYPH_WIDTH)) * scale;
}

/** Shortens text with "..." so it fits `maxWidth` pixels; layouts use it as a last resort for long values. */
export function fitText(text: string, maxWidth: number, scale = 2): string {
  if (measureText(text, scale) <= maxWidth) return text;
  const chars = fontCharacters(text);
  while (chars.length > 0 && measureText(`${chars.join('')}...`, scale) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}...`;
}

/** Breaks text at spaces into lines that fit `maxWidth` pixels; a single over-long word is shortened. */
export function wrapText(text: string, maxWidth: number, scale = 2): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = current ? `${current} ${word}` : word;
    if (current && measureText(candidate, scale) > maxWidth) {
      lines.push(current);
      current = word;
    } else {
      current = candidate;
    }
  }
  if (current) lines.push(current);
  return lines.map((line) => fitText(line, maxWidth, scale));
}
