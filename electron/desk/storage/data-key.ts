// The desk's data key: 32 random bytes per install from which the keys of the cache, the desk's own store
// and the evidence files are derived (HKDF-SHA256, one label each), so that no two stores share a key.
// The Electron shell keeps the data key wrapped by the OS keystore (electron/main/data-key.ts, safeStorage)
// and hands it to the desk worker in memory. The browser host has no keystore: it keeps the key in a file
// of mode 0600 in the desk's data folder, which protects it from other users of the machine but not from
// anyone who can read that folder as this user (the host says so when it starts).
import { hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const DATA_KEY_BYTES = 32;
export const DATA_KEY_FILE = 'data.key';

export type StoreKeyPurpose = 'cache' | 'own' | 'evidence';

export class DataKeyError extends Error {
  readonly code = 'data_key_unusable';
  constructor(message: string) {
    super(message);
    this.name = 'DataKeyError';
  }
}

export function checkDataKey(key: Buffer): Buffer {
  if (key.length !== DATA_KEY_BYTES)
    throw new DataKeyError(`The desk's data key must be ${DATA_KEY_BYTES} bytes; this one has ${key.length}.`);
  return key;
}

/** The key of one store, derived from the data key. */
export function storeKey(dataKey: Buffer, purpose: StoreKeyPurpose): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `dispute-desk ${purpose} v1`, DATA_KEY_BYTES));
}

export const newDataKey = (): Buffer => randomBytes(DATA_KEY_BYTES);

/**
 * The browser host's data key, from `dataDir/data.key` (created, mode 0600, on first use). An unreadable or
 * wrong-sized file is an error rather than a fresh key: a new key would silently orphan the outbox.
 */
export function dataKeyFromFile(dataDir: string): Buffer {
  const file = path.join(dataDir, DATA_KEY_FILE);
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': created only if absent, so two processes starting at once never both write a key.
    fs.writeFileSync(file, newDataKey(), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return checkDataKey(fs.readFileSync(file));
}
