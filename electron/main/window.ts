import { BrowserWindow } from 'electron';
import { windowWebPreferences } from './security';

export const WINDOW_TITLE = 'Dispute Desk';

export function createMainWindow(rendererUrl: string, preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    // Shown once the first paint is ready, so the user never sees an empty white frame.
    show: false,
    webPreferences: windowWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  window.loadURL(rendererUrl).catch((error: unknown) => {
    console.error(`Dispute Desk could not load its window from ${rendererUrl}:`, error);
  });
  return window;
}
