// The desk's data key, kept wrapped by the OS keystore through Electron's safeStorage (Keychain on macOS,
// DPAPI on Windows, the Secret Service or KWallet on Linux) in desk/data.key.sealed, mode 0600. Main
// unwraps it and hands it to the desk worker in memory. Where the keystore is missing (a Linux session
// without a keyring, where safeStorage would fall back to a hard-coded password) the key is kept in a
// plain 0600 file as the browser host does, and the log says so.
// The plain file is the same as electron/desk/storage/data-key.ts writes (32 raw bytes in `data.key`):
// main may not import the desk (eslint layering), so the few lines are repeated here.
import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const SEALED_KEY_FILE = 'data.key.sealed';
const PLAIN_KEY_FILE = 'data.key';
const DATA_KEY_BYTES = 32;

function checkDataKey(key: Buffer): Buffer {
  if (key.length !== DATA_KEY_BYTES)
    throw new Error(`The desk's data key must be ${DATA_KEY_BYTES} bytes; this one has ${key.length}.`);
  return key;
}

/** The key in a 0600 file, created on first use ('wx': two starts at once never both write one). */
function dataKeyFromFile(deskDataDir: string): Buffer {
  const file = path.join(deskDataDir, PLAIN_KEY_FILE);
  try {
    fs.writeFileSync(file, randomBytes(DATA_KEY_BYTES), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return checkDataKey(fs.readFileSync(file));
}

function keystoreUsable(): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  return process.platform !== 'linux' || safeStorage.getSelectedStorageBackend() !== 'basic_text';
}

export type KeySource = 'sealed' | 'plain' | 'new_sealed' | 'new_plain';

/**
 * Where this start takes the key from. A key that exists is the only one that opens the desk's files (the
 * outbox among them), so one is never made while another exists: a sealed key whose keystore is not there
 * this session (a Linux session without its keyring unlocked) stops the start instead. Pure, for tests.
 */
export function keySource(files: { sealed: boolean; plain: boolean }, keystore: boolean): KeySource {
  if (files.sealed) {
    if (!keystore) {
      throw new Error(
        "Dispute Desk: the desk's data key is sealed by the OS keystore, which is not available in this session. " +
          'Unlock or start the keyring (or sign in to the desktop session that has it) and start Dispute Desk again; nothing was changed.',
      );
    }
    return 'sealed';
  }
  if (files.plain) return 'plain';
  return keystore ? 'new_sealed' : 'new_plain';
}

export function deskDataKey(deskDataDir: string): Buffer {
  fs.mkdirSync(deskDataDir, { recursive: true, mode: 0o700 });
  const file = path.join(deskDataDir, SEALED_KEY_FILE);
  const source = keySource(
    { sealed: fs.existsSync(file), plain: fs.existsSync(path.join(deskDataDir, PLAIN_KEY_FILE)) },
    keystoreUsable(),
  );
  if (source === 'sealed') return checkDataKey(Buffer.from(safeStorage.decryptString(fs.readFileSync(file)), 'hex'));
  if (source === 'plain' || source === 'new_plain') {
    if (source === 'new_plain') {
      console.warn(
        'Dispute Desk: no OS keystore is available; the desk data key is kept in a file of mode 0600 in its data folder',
      );
    }
    return dataKeyFromFile(deskDataDir);
  }
  const key = randomBytes(DATA_KEY_BYTES);
  // Written aside and renamed, so a crash never leaves half a key that would orphan the outbox.
  const partial = `${file}.part`;
  fs.writeFileSync(partial, safeStorage.encryptString(key.toString('hex')), { mode: 0o600 });
  fs.renameSync(partial, file);
  return key;
}
