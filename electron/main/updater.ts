// Auto-update with electron-updater, wired (the decisions are in update-gate.ts): in a packaged build with
// an update server, check soon after start and every four hours or so, download in the background, and
// offer "Restart to update" in the windows only while the gate allows it. The restart asks the gate again
// in main, whatever the window said. Nothing installs on quit (autoInstallOnAppQuit off): an update not
// restarted into is found again, already downloaded, at the next start and offered then.
import { BrowserWindow, app, ipcMain } from 'electron';
import type { NodeLogger } from 'electron-log';
import electronUpdater from 'electron-updater';
import fs from 'node:fs';
import path from 'node:path';
import { SHELL_RESTART_TO_UPDATE_CHANNEL, SHELL_UPDATE_NOTICE_CHANNEL, type UpdateNotice } from '../../shared/desk-api/shell';
import { isTrustedSender } from '../common/security';
import type { DeskWorker } from './desk-worker-client';
import { decideRestart, nextCheckDelayMs, updateFeed, updateNotice, type UpdateState } from './update-gate';

export interface UpdaterOptions {
  appOrigin: string;
  logger: NodeLogger;
  /** The desk worker, once it runs: its outbox counts feed the gate. */
  deskWorker: Promise<DeskWorker>;
  /** Stops the desk and the bundled server before the installer takes over (index.ts's quit path). */
  stopServices(): Promise<void>;
}

export interface Updater {
  state(): UpdateState;
}

/** Desk events after which the outbox may have changed; the gate is asked again a moment later. */
const GATE_EVENTS = new Set(['outbox.changed', 'sync.status', 'session.expired']);
const GATE_SETTLE_MS = 500;

export function startUpdater(options: UpdaterOptions): Updater {
  const { logger } = options;
  let state: UpdateState = { phase: 'idle' };
  let notice: UpdateNotice = { kind: 'none' };

  // Registered in every build, so that a window asking gets "none" rather than an error.
  ipcMain.handle(SHELL_UPDATE_NOTICE_CHANNEL, (event) => (isTrustedSender(event.senderFrame?.url, options.appOrigin) ? notice : { kind: 'none' }));
  ipcMain.handle(SHELL_RESTART_TO_UPDATE_CHANNEL, (event) =>
    isTrustedSender(event.senderFrame?.url, options.appOrigin) ? restartToUpdate() : false,
  );

  const feed = updateFeed(app.isPackaged, readAppUpdateYml());
  if (!feed.enabled) {
    state = { phase: 'disabled', reason: feed.reason };
    logger.info(`Updates: off, ${feed.reason}`);
    return { state: () => state };
  }

  const { autoUpdater } = electronUpdater;
  autoUpdater.logger = logger;
  autoUpdater.autoDownload = true;
  // Installing on quit is not gated by the outbox: off, the update goes in only through the gated restart.
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.allowDowngrade = false;
  autoUpdater.allowPrerelease = false;
  logger.info(`Updates: checking ${feed.url}`);

  autoUpdater.on('checking-for-update', () => setState({ phase: 'checking' }));
  autoUpdater.on('update-not-available', () => setState({ phase: 'idle' }));
  autoUpdater.on('update-available', (info) => setState({ phase: 'downloading', version: info.version, percent: 0 }));
  autoUpdater.on('download-progress', (progress) => {
    if (state.phase === 'downloading') state = { ...state, percent: progress.percent };
  });
  autoUpdater.on('update-downloaded', (info) => setState({ phase: 'downloaded', version: info.version }));
  autoUpdater.on('error', (error) => {
    // A download already finished stays offered: a later failed check does not take it away.
    if (state.phase !== 'downloaded') setState({ phase: 'failed', message: error.message });
  });

  void options.deskWorker.then(
    (worker) =>
      worker.onEvent((event) => {
        if (GATE_EVENTS.has(event)) askGateSoon();
      }),
    () => undefined,
  );

  let checkTimer = setTimeout(check, nextCheckDelayMs(Math.random(), true));
  function check(): void {
    autoUpdater.checkForUpdates().catch((error: unknown) => logger.warn('Updates: the check failed', error));
    checkTimer = setTimeout(check, nextCheckDelayMs(Math.random()));
  }
  app.once('will-quit', () => clearTimeout(checkTimer));

  function setState(next: UpdateState): void {
    state = next;
    void askGate();
  }

  let gateTimer: NodeJS.Timeout | null = null;
  function askGateSoon(): void {
    if (state.phase !== 'downloaded' || gateTimer) return;
    gateTimer = setTimeout(() => {
      gateTimer = null;
      void askGate();
    }, GATE_SETTLE_MS);
  }

  async function askGate() {
    const outbox = state.phase === 'downloaded' ? await outboxCounts() : [];
    const decision = decideRestart(state, outbox);
    publish(updateNotice(decision));
    return decision;
  }

  async function outboxCounts() {
    try {
      return (await (await options.deskWorker).support())?.outbox ?? null;
    } catch {
      return null;
    }
  }

  function publish(next: UpdateNotice): void {
    if (JSON.stringify(next) === JSON.stringify(notice)) return;
    notice = next;
    if (notice.kind === 'held') logger.info(`Updates: ${notice.version} is held (${notice.why})`);
    if (notice.kind === 'ready') logger.info(`Updates: ${notice.version} is offered`);
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(SHELL_UPDATE_NOTICE_CHANNEL, notice);
    }
  }

  let restarting = false;
  async function restartToUpdate(): Promise<boolean> {
    if (restarting) return true;
    const decision = await askGate();
    if (!decision.offer) {
      logger.info('Updates: the restart was asked for but the gate holds it');
      return false;
    }
    restarting = true;
    logger.info(`Updates: restarting into ${decision.version}`);
    await options.stopServices();
    // isSilent false: Windows shows the installer's progress; isForceRunAfter true: the app comes back.
    autoUpdater.quitAndInstall(false, true);
    return true;
  }

  return { state: () => state };
}

/** resources/app-update.yml, written by electron-builder when `publish` names a server; null when absent. */
function readAppUpdateYml(): string | null {
  try {
    return fs.readFileSync(path.join(process.resourcesPath, 'app-update.yml'), 'utf8');
  } catch {
    return null;
  }
}
