// The server's data folder holds the database (every case's names, chats and ID photos), the audit signing
// key and the TOTP sealing key: no other user of the machine may list or read it. Corrected at every start,
// so a folder made by hand (or by an older version, with the umask's 0755) is closed too.
import fs from 'node:fs';
import path from 'node:path';

export const DATA_FOLDER_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/** The database file and the files SQLite keeps beside it (which take the database file's mode). */
export const databaseFiles = (file: string) => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`];

function chmodIfPresent(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

/**
 * Makes the database's folder 0700 and its files 0600, creating the folder and an empty database file
 * (SQLite takes an empty file for a new database) with those modes when they are missing: SQLite creates
 * the -wal and -shm files with the database file's mode, so they are born private too.
 */
export function restrictDataFolder(databaseFile: string): void {
  const folder = path.dirname(databaseFile);
  fs.mkdirSync(folder, { recursive: true, mode: DATA_FOLDER_MODE });
  // Windows has no modes: the folder's ACL (the user's profile) is what protects it there.
  if (process.platform === 'win32') return;
  fs.chmodSync(folder, DATA_FOLDER_MODE);
  fs.closeSync(fs.openSync(databaseFile, 'a', DATA_FILE_MODE));
  for (const file of databaseFiles(databaseFile)) chmodIfPresent(file, DATA_FILE_MODE);
}
