// The server saved in the desk's settings, read before the desk service starts. Its own file because it
// opens the cache: the Electron main process imports server-choice.ts and must not load SQLite.
import { join } from 'node:path';
import { DESK_DATABASE_FILE, openDeskDatabase } from '../desk/db/open';
import { readSettings } from '../desk/settings';

/** The serverUrl saved in the desk's settings under `deskDataDir`, or null for the bundled server. */
export function savedServerUrl(deskDataDir: string): string | null {
  const db = openDeskDatabase(join(deskDataDir, DESK_DATABASE_FILE));
  try {
    return readSettings(db).serverUrl;
  } finally {
    db.close();
  }
}
