// The renderer's only door to the rest of the app. It exposes named functions, one per IPC channel, and
// never ipcRenderer itself: with ipcRenderer a compromised page could call any channel with any argument.
import { contextBridge, ipcRenderer } from 'electron';
import { DeskChannel } from './channels';

const desk = {
  appVersion: (): Promise<string> => ipcRenderer.invoke(DeskChannel.appVersion),
};

export type DeskBridge = typeof desk;

contextBridge.exposeInMainWorld('desk', desk);
