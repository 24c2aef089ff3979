// The server saved in the desk's settings, read before the desk service starts (by the desk worker and the
// browser host; electron/launch/server-choice.ts decides with it). Its own file because it opens the
// desk's own store, which the Electron main process never loads: main asks the desk worker for it.
import type { DeskLogger } from './context';
import { readSettings } from './settings';
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
