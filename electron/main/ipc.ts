// The desk's IPC in main: one handler for every desk call, and the desk's events forwarded to the windows.
// The decisions (who may call, which calls exist) are the pure checkDeskInvoke; the desk validates inputs.
import { app, BrowserWindow, dialog, ipcMain } from 'electron';
import type { DeskEvent } from '../../shared/desk-api/contract';
import type { DeskResult, Settings } from '../../shared/desk-api/schemas';
import { DESK_EVENT_CHANNEL, DESK_INVOKE_CHANNEL } from '../../shared/desk-api/ipc';
import { checkDeskInvoke } from './desk-ipc-rules';
import type { DeskWorker } from './desk-worker-client';
import { changeServerOneAtATime, serverDialogGate, type ServerConfirmation } from './server-change';
import { workerUnavailable } from '../../shared/desk-api/worker-protocol';

/** The desk worker once it is running, or why it is not. */
export type DeskWorkerState = Promise<DeskWorker>;

/**
 * ipcMain.handle throws when a channel is registered twice, which keeps one handler per channel.
 * `onSettings` hears the user's settings whenever the renderer reads or changes them: the shell follows
 * their theme and language (desktop-shell.ts).
 */
export function registerDeskIpc(
  appOrigin: string,
  deskWorker: DeskWorkerState,
  onSettings: (settings: Settings) => void = () => undefined,
): void {
  // One server-change dialog at a time for the whole app, with a pause after Cancel (server-change.ts).
  const serverDialogs = serverDialogGate();
  ipcMain.handle(
    DESK_INVOKE_CHANNEL,
    async (event, channel: unknown, input: unknown): Promise<DeskResult<unknown>> => {
      const check = checkDeskInvoke(event.senderFrame?.url, appOrigin, channel);
      if (!check.ok) return check.result;
      try {
        const worker = await deskWorker;
        // Main answers this one itself: only the user, in a native dialog, may change the server.
        if (check.channel === 'server.change') {
          const window = BrowserWindow.fromWebContents(event.sender);
          const change = await changeServerOneAtATime(serverDialogs, input, {
            check: (serverUrl) => worker.invoke('server.check', { serverUrl }),
            confirm: (options) => confirmInDialog(window, options),
            save: (serverUrl) => worker.saveServer(serverUrl),
          });
          // The desk binds to its server when it starts: a saved change takes effect by starting again, once
          // the renderer has its answer (the first-run screen says so).
          if (change.ok && change.value.status === 'saved') setTimeout(relaunch, RELAUNCH_DELAY_MS);
          return change;
        }
        const result = await worker.invoke(check.channel, input);
        if (result.ok && (check.channel === 'settings.get' || check.channel === 'settings.set')) onSettings(result.value as Settings);
        return result;
      } catch (error) {
        return workerUnavailable(error instanceof Error ? error.message : String(error));
      }
    },
  );
}

const RELAUNCH_DELAY_MS = 1_500;

function relaunch(): void {
  app.relaunch();
  app.quit();
}

async function confirmInDialog(window: BrowserWindow | null, options: ServerConfirmation): Promise<boolean> {
  const answer = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
  return answer.response === 1;
}

/** Sends each desk event to every window; all of them show the app (navigation is locked to it). */
export function forwardDeskEvents(worker: DeskWorker): void {
  worker.onEvent((event: DeskEvent, payload: unknown) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(DESK_EVENT_CHANNEL, event, payload);
    }
  });
}
