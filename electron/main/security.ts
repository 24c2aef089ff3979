// The one security decision that needs Electron's types. The others are pure functions shared with the
// browser host: electron/common/security.ts.
import type { WebPreferences } from 'electron';

/** Every window gets exactly these preferences (Electron security checklist, items 2-4, 6, 8, 9, 12). */
export function windowWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}
