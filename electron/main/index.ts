// The Electron shell: one hardened window showing the renderer, the bundled platform server and the desk
// service, each in a utility process. Decisions live in small pure modules
// (common/security.ts, desk-ipc-rules.ts, shared/desk-api/worker-protocol.ts); this file only wires them
// together.
import { app, BrowserWindow, dialog } from 'electron';
import { join } from 'node:path';
import { registerPrivilegedSchemes, serveRendererFrom } from './app-protocol';
import { serveEvidenceFrom } from './evidence-protocol';
import { enableProcessSandbox, installNavigationGuards, installPermissionHandlers } from './hardening';
import { claimSingleInstance, installDesktopShell } from './desktop-shell';
import { forwardDeskEvents, registerDeskIpc } from './ipc';
import { APP_ORIGIN } from '../common/security';
import { startServices, type RunningServices } from './services';
import { provideDiagnostics } from './copy-diagnostics';
import { setUpLogging } from './logging';
import { startUpdater } from './updater';

const rendererRoot = join(import.meta.dirname, '../renderer');
// Sandboxed preloads cannot be ES modules, so the preload is built as CommonJS (electron.vite.config.ts).
const preloadPath = join(import.meta.dirname, '../preload/index.cjs');

// `electron-vite dev` serves the renderer with hot reload and passes its address. A packaged app never
// reads it: an environment variable must not be able to point the window at another site.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
const appOrigin = devServerUrl ? new URL(devServerUrl).origin : APP_ORIGIN;
const rendererUrl = devServerUrl ?? `${APP_ORIGIN}/index.html`;

// A second start hands its arguments (a dispute-desk:// link among them) to the running app and quits.
const primaryInstance = claimSingleInstance();
enableProcessSandbox();
registerPrivilegedSchemes();
installNavigationGuards(appOrigin);

app.on('window-all-closed', () => {
  // macOS apps stay running without windows until the user quits them.
  if (process.platform !== 'darwin') app.quit();
});

let services: Promise<RunningServices> | null = null;
let shutdown: 'none' | 'running' | 'done' = 'none';

let stopping: Promise<void> | null = null;

/** Stops the desk, then the bundled server, once: on quit, and before an update's installer takes over. */
function stopServices(): Promise<void> {
  stopping ??= (services ?? Promise.reject(new Error('not started')))
    .then(
      (running) => running.stop(),
      () => undefined,
    )
    .catch((error: unknown) => console.error('Dispute Desk could not stop its services cleanly:', error))
    .finally(() => {
      shutdown = 'done';
    });
  return stopping;
}

// Quitting waits for the desk to close its cache and for the bundled server to stop: a server left running
// would hold its port and its store until the next login.
app.on('before-quit', (event) => {
  if (shutdown === 'done' || services === null) return;
  event.preventDefault();
  if (shutdown === 'running') return;
  shutdown = 'running';
  void stopServices().then(() => app.quit());
});

if (primaryInstance) startApp();

function startApp(): void {
  // Before ready: macOS delivers the link the app was opened with (open-url) that early.
  const shell = installDesktopShell({ rendererUrl, preloadPath, appOrigin });
  app
    .whenReady()
    .then(() => {
      // From here main's console, the desk worker's output and the server's go to their log files.
      const logs = setUpLogging(app.getPath('logs'));
      installPermissionHandlers();
      serveRendererFrom(rendererRoot);
      // The window opens at once; the desk answers its calls as soon as the server and the worker are up.
      const started = startServices({
        userDataDir: app.getPath('userData'),
        deskWorkerScript: join(import.meta.dirname, 'desk-worker.js'),
        serverScript: join(import.meta.dirname, 'server.js'),
        // The windows also answer every call with this reason (desk_unavailable); the box says it at once.
        onDeskGaveUp: (reason) => dialog.showErrorBox('Dispute Desk', `The desk service is not running: ${reason}`),
        logs,
      });
      services = started;
      const deskWorker = started.then((running) => running.deskWorker);
      started.then(
        (running) => {
          forwardDeskEvents(running.deskWorker);
          shell.watchDesk(running.deskWorker);
        },
        (error: unknown) => console.error('Dispute Desk could not start its desk service:', error),
      );
      registerDeskIpc(appOrigin, deskWorker, (settings) => shell.applySettings(settings));
      const updater = startUpdater({ appOrigin, logger: logs.main, deskWorker, stopServices });
      provideDiagnostics({ logs, deskWorker, updateState: () => updater.state() });
      serveEvidenceFrom(
        (sha256) => deskWorker.then((worker) => worker.evidenceFile(sha256)).catch(() => null),
        appOrigin,
      );
      shell.openMainWindow();
      app.on('activate', () => {
        if (BrowserWindow.getAllWindows().length === 0) shell.openMainWindow();
      });
    })
    .catch((error: unknown) => {
      console.error('Dispute Desk failed to start:', error);
      app.exit(1);
    });
}
