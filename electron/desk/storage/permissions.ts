// The desk's data folder is readable by its user only: folders 0700, files 0600. Checked at every start
// and corrected, because a folder restored from a backup or created by an older version may be wider.
// (On Windows, chmod only toggles read-only; the profile folder's ACL is what protects the data there.)
import fs from 'node:fs';
import path from 'node:path';

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Narrows `dir` and everything under it; returns the paths whose mode was changed. */
export function keepPrivate(dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const changed: string[] = [];
  const narrow = (target: string, mode: number) => {
    const stat = fs.lstatSync(target);
    if ((stat.mode & 0o777) === mode) return;
    fs.chmodSync(target, mode);
    changed.push(target);
  };
  const walk = (folder: string) => {
    narrow(folder, PRIVATE_DIR_MODE);
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const target = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(target);
      // Symbolic links are left alone: chmod would follow them out of the folder.
      else if (entry.isFile()) narrow(target, PRIVATE_FILE_MODE);
    }
  };
  walk(dir);
  return changed;
}
