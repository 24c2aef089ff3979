// The server saved in the desk's settings, read before the desk service starts (by the desk worker and the
// browser host; electron/launch/server-choice.ts decides with it), and saved by the desk worker when the
// Electron shell's user has confirmed a new one (electron/main/server-change.ts): never from the renderer.
// Its own file because it opens the desk's own store, which the Electron main process never loads: main
// asks the desk worker for it.
import type { DeskLogger } from './context';
import { readSettings, writeSettings } from './settings';
import { openOwnStore } from './storage/stores';

/** The serverUrl saved in the desk's settings under `deskDataDir`, or null for the bundled server. */
export function savedServerUrl(deskDataDir: string, dataKey: Buffer, log: DeskLogger): string | null {
  const db = openOwnStore(deskDataDir, dataKey, log);
  try {
    return readSettings(db).serverUrl;
  } finally {
    db.close();
  }
}

/** Saves the server the user confirmed (null: the bundled one), for the next start: a choice, so no first run. */
export function saveServerUrl(deskDataDir: string, dataKey: Buffer, log: DeskLogger, serverUrl: string | null): void {
  const db = openOwnStore(deskDataDir, dataKey, log);
  try {
    writeSettings(db, { serverUrl, serverChosen: true });
  } finally {
    db.close();
  }
}
