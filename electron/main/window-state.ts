// The main window opens where the user left it: its bounds, whether it was maximised, and the theme its
// frame was painted in (so that the first frame of the next start has the right colour before the desk
// has answered). Kept in window-state.json in the user-data folder. Electron-free: the displays are passed
// in, so the clamping is unit tested (tests/unit/electron-window-state.test.ts).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_SIZE = { width: 1280, height: 800 } as const;
export const MIN_SIZE = { width: 960, height: 600 } as const;
/** How much of the window must lie on a display for it to be restored there: enough to grab its title bar. */
const MIN_VISIBLE = { width: 200, height: 100 } as const;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

const pixels = z.number().int().min(-100_000).max(100_000);
export const windowState = z.strictObject({
  bounds: z.strictObject({ x: pixels, y: pixels, width: pixels.min(1), height: pixels.min(1) }),
  maximized: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']).default('system'),
});
export type WindowState = z.infer<typeof windowState>;

/** Where the window opens: saved bounds that fit a display, or the default size (centred by Electron). */
export type Placement = { bounds: Rect; maximized: boolean } | { bounds: null; maximized: boolean };

/**
 * The saved bounds, if enough of them lies on one of the current displays' work areas (a monitor unplugged
 * since, a resolution lowered), made to fit inside that display; otherwise the default placement. The
 * maximised state is kept either way: a maximised window fills whichever display it opens on.
 */
export function restorePlacement(saved: WindowState | null, workAreas: readonly Rect[]): Placement {
  if (saved === null) return { bounds: null, maximized: false };
  const area = bestArea(saved.bounds, workAreas);
  if (area === null) return { bounds: null, maximized: saved.maximized };
  return { bounds: fitInside(saved.bounds, area), maximized: saved.maximized };
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.max(0, Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)),
    height: Math.max(0, Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)),
  };
}

/** The work area holding most of the window, if that is enough of it to be seen and moved. */
function bestArea(bounds: Rect, workAreas: readonly Rect[]): Rect | null {
  let best: Rect | null = null;
  let bestSize = 0;
  for (const area of workAreas) {
    const shared = overlap(bounds, area);
    if (shared.width < MIN_VISIBLE.width || shared.height < MIN_VISIBLE.height) continue;
    if (shared.width * shared.height > bestSize) {
      best = area;
      bestSize = shared.width * shared.height;
    }
  }
  return best;
}

/** No larger than the area (nor smaller than the window's minimum, where the area allows), and inside it. */
function fitInside(bounds: Rect, area: Rect): Rect {
  const width = Math.min(Math.max(bounds.width, Math.min(MIN_SIZE.width, area.width)), area.width);
  const height = Math.min(Math.max(bounds.height, Math.min(MIN_SIZE.height, area.height)), area.height);
  const x = Math.min(Math.max(bounds.x, area.x), area.x + area.width - width);
  const y = Math.min(Math.max(bounds.y, area.y), area.y + area.height - height);
  return { x, y, width, height };
}

export function readWindowState(dataDir: string): WindowState | null {
  try {
    const parsed = windowState.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, WINDOW_STATE_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // First start, or a file damaged by hand: the default placement.
    return null;
  }
}

export function writeWindowState(dataDir: string, state: WindowState): void {
  const checked = windowState.parse(state);
  const file = path.join(dataDir, WINDOW_STATE_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(`${file}.part`, JSON.stringify(checked));
  fs.renameSync(`${file}.part`, file);
}
