import { BrowserWindow } from 'electron';
import { windowWebPreferences } from './security';
import { DEFAULT_SIZE, MIN_SIZE, type Placement } from './window-state';

export const WINDOW_TITLE = 'Dispute Desk';

export interface AppWindowOptions {
  /** Where to open (window-state.ts); the default size, centred, when null. */
  placement: Placement;
  /** The page's colour in the user's theme (window-theme.ts), so the frame never flashes white. */
  backgroundColor: string;
  /** A route of the renderer to open on, such as a case (`#/cases/DSP-100011`). */
  hash?: string;
}

/** Every window of the app, the main one and a case's: the same hardened preferences and navigation rules. */
export function createAppWindow(rendererUrl: string, preloadPath: string, options: AppWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    ...(options.placement.bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    backgroundColor: options.backgroundColor,
    // Shown once the first paint is ready, so the user never sees an empty frame.
    show: false,
    webPreferences: windowWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => {
    if (options.placement.maximized) window.maximize();
    window.show();
  });
  const url = `${rendererUrl}${options.hash ?? ''}`;
  window.loadURL(url).catch((error: unknown) => {
    console.error(`Dispute Desk could not load its window from ${rendererUrl}:`, error);
  });
  return window;
}
