// Windows has no app.setBadgeCount: the taskbar button gets an overlay icon instead, a small red dot (the
// count is in its accessible description). Drawn here as raw pixels so that the app ships no extra file.

export const OVERLAY_SIZE = 16;
const RED = { b: 0x2e, g: 0x2e, r: 0xd9 } as const;

/** A filled circle on transparency, as BGRA rows for nativeImage.createFromBitmap. */
export function overlayDotBitmap(size: number = OVERLAY_SIZE): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Coverage of the pixel by the circle, for a soft edge instead of jagged steps.
      const alpha = Math.max(0, Math.min(1, radius - Math.hypot(x - centre, y - centre)));
      const at = (y * size + x) * 4;
      // Premultiplied, as Skia expects.
      pixels[at] = Math.round(RED.b * alpha);
      pixels[at + 1] = Math.round(RED.g * alpha);
      pixels[at + 2] = Math.round(RED.r * alpha);
      pixels[at + 3] = Math.round(255 * alpha);
    }
  }
  return pixels;
}
