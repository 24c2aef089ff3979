// The desk's data key, kept wrapped by the OS keystore through Electron's safeStorage (Keychain on macOS,
// DPAPI on Windows, the Secret Service or KWallet on Linux) in desk/data.key.sealed, mode 0600. Main
// unwraps it and hands it to the desk worker in memory. Where the keystore is missing (a Linux session
// without a keyring, where safeStorage would fall back to a hard-coded password) the key is kept in a
// plain 0600 file as the browser host does, and the log says so.
import { safeStorage } from 'electron';
import fs from 'node:fs';
import path from 'node:path';
import { checkDataKey, dataKeyFromFile, newDataKey } from '../desk/storage/data-key';

const SEALED_KEY_FILE = 'data.key.sealed';

function keystoreUsable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

export function deskDataKey(deskDataDir: string): Buffer {
  if (!keystoreUsable()) {
    console.warn(
      'Dispute Desk: no OS keystore is available; the desk data key is kept in a file of mode 0600 in its data folder',
    );
    return dataKeyFromFile(deskDataDir);
  }
  fs.mkdirSync(deskDataDir, { recursive: true, mode: 0o700 });
  const file = path.join(deskDataDir, SEALED_KEY_FILE);
  if (fs.existsSync(file)) return checkDataKey(Buffer.from(safeStorage.decryptString(fs.readFileSync(file)), 'hex'));
  const key = newDataKey();
  // Written aside and renamed, so a crash never leaves half a key that would orphan the outbox.
  const partial = `${file}.part`;
  fs.writeFileSync(partial, safeStorage.encryptString(key.toString('hex')), { mode: 0o600 });
  fs.renameSync(partial, file);
  return key;
}
