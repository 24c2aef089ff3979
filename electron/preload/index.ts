// The renderer's only door to the rest of the app: window.desk, typed from the desk contract. It exposes
// `invoke` and `on` and never ipcRenderer itself: with ipcRenderer a compromised page could send on any
// channel. Main checks the sender and the channel name of every call (electron/main/ipc.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { DeskBridge, DeskChannel, DeskEvent } from '../../shared/desk-api/contract';
import { DESK_EVENT_CHANNEL, DESK_INVOKE_CHANNEL } from '../../shared/desk-api/ipc';
import {
  SHELL_OPEN_CASE_WINDOW_CHANNEL,
  SHELL_RESTART_TO_UPDATE_CHANNEL,
  SHELL_SHOW_CASE_CHANNEL,
  SHELL_UPDATE_NOTICE_CHANNEL,
  caseRouteHash,
  isCaseId,
  isUpdateNotice,
  type DeskShell,
  type UpdateNotice,
} from '../../shared/desk-api/shell';

type Listener = (payload: unknown) => void;
const listeners = new Map<DeskEvent, Set<Listener>>();

// One IPC listener for all desk events, whatever the page subscribes to: the page never gets the
// IpcRendererEvent (which carries the sender), only the payload.
ipcRenderer.on(DESK_EVENT_CHANNEL, (_event: IpcRendererEvent, name: DeskEvent, payload: unknown) => {
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(payload);
    } catch (error) {
      console.error(`A listener of the desk event ${name} failed:`, error);
    }
  }
});

const desk = {
  invoke: ((channel: DeskChannel, input?: unknown) =>
    ipcRenderer.invoke(DESK_INVOKE_CHANNEL, channel, input)) as DeskBridge['invoke'],
  on: ((event: DeskEvent, listener: Listener) => {
    const forEvent = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, forEvent);
    forEvent.add(listener);
    return () => {
      forEvent.delete(listener);
    };
  }) as DeskBridge['on'],
} satisfies DeskBridge;

contextBridge.exposeInMainWorld('desk', desk);

// The Electron shell's own offers (shared/desk-api/shell.ts); its presence tells the renderer it runs in
// Electron rather than in the browser host.
// The update offer (electron/main/updater.ts): main sends each change, and answers the current notice when
// asked, so that a window opened after the update was downloaded still shows it. Only a checked notice
// reaches the page.
const updateListeners = new Set<(notice: UpdateNotice) => void>();
let latestNotice: UpdateNotice = { kind: 'none' };
function tellUpdateListeners(notice: unknown): void {
  if (!isUpdateNotice(notice)) return;
  latestNotice = notice;
  for (const listener of updateListeners) listener(notice);
}
ipcRenderer.on(SHELL_UPDATE_NOTICE_CHANNEL, (_event: IpcRendererEvent, notice: unknown) => tellUpdateListeners(notice));

const deskShell = {
  openCaseWindow: (caseId: string) => ipcRenderer.invoke(SHELL_OPEN_CASE_WINDOW_CHANNEL, caseId) as Promise<boolean>,
  onUpdateNotice: (listener: (notice: UpdateNotice) => void) => {
    updateListeners.add(listener);
    listener(latestNotice);
    void ipcRenderer.invoke(SHELL_UPDATE_NOTICE_CHANNEL).then(tellUpdateListeners, () => undefined);
    return () => {
      updateListeners.delete(listener);
    };
  },
  restartToUpdate: () => ipcRenderer.invoke(SHELL_RESTART_TO_UPDATE_CHANNEL).then((restarting: unknown) => restarting === true),
} satisfies DeskShell;

contextBridge.exposeInMainWorld('deskShell', deskShell);

// Main asks to show a case (a notification or a dispute-desk:// link was clicked). The preload shares the
// page's location, so it moves the hash route itself and the page needs no listener of its own.
ipcRenderer.on(SHELL_SHOW_CASE_CHANNEL, (_event: IpcRendererEvent, caseId: unknown) => {
  if (isCaseId(caseId)) window.location.hash = caseRouteHash(caseId);
});
