// The Electron shell: one hardened window showing the renderer. Everything else (the desk service, the
// bundled server) runs outside Electron and is wired in by later work.
import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { registerAppScheme, serveRendererFrom } from './app-protocol';
import { enableProcessSandbox, installNavigationGuards, installPermissionHandlers } from './hardening';
import { registerIpcHandlers } from './ipc';
import { APP_ORIGIN } from './security';
import { createMainWindow } from './window';

const rendererRoot = join(import.meta.dirname, '../renderer');
// Sandboxed preloads cannot be ES modules, so the preload is built as CommonJS (electron.vite.config.ts).
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

// `electron-vite dev` serves the renderer with hot reload and passes its address. A packaged app never
// reads it: an environment variable must not be able to point the window at another site.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;

enableProcessSandbox();
registerAppScheme();
installNavigationGuards(appOrigin);

app.on('window-all-closed', () => {
  // macOS apps stay running without windows until the user quits them.
  if (process.platform !== 'darwin') app.quit();
});

app
  .whenReady()
  .then(() => {
    installPermissionHandlers();
    serveRendererFrom(rendererRoot);
    registerIpcHandlers(appOrigin);
    createMainWindow(rendererUrl, preloadPath);
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) createMainWindow(rendererUrl, preloadPath);
    });
  })
  .catch((error: unknown) => {
    console.error('Dispute Desk failed to start:', error);
    app.exit(1);
  });
