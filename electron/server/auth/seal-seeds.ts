// At start: loads the TOTP sealing key (auth/secret-box.ts), checks that it is the key the database's seeds
// were sealed with, seals any seed still stored in plain text (databases from before #11, in one
// transaction) and binds the key to the connection for sql/users.ts.
//
// A missing or wrong key stops the start. Making a new key instead would leave every sealed seed unopenable,
// which would amount to re-enrolling every user by surprise: the operator must restore the key file.
import fs from 'node:fs';
import type { Db } from '../db/open';
import { readMeta, writeMeta } from '../sql/meta';
import { countSealedTotpSecrets, sealStoredTotpSecret, storedTotpSecrets } from '../sql/users';
import {
  bindSecretBox,
  createSecretsKeyFile,
  readSecretsKeyFile,
  SecretsKeyError,
  type SecretBox,
} from './secret-box';

/** meta key: the id of the key the seeds are sealed with. */
const KEY_ID_META = 'totp_seal_key_id';

const restoreAdvice = (file: string) =>
  `Put back the key file from where its backup is kept (see README, "Backing up the server"), or point ` +
  `DISPUTE_DESK_SECRETS_KEY_FILE at it, then start again. Do not delete it to get a new one: every user ` +
  `would lose their second factor. (${file})`;

function loadKey(db: Db, file: string): SecretBox {
  if (!fs.existsSync(file)) {
    const recorded = readMeta(db, KEY_ID_META);
    if (recorded !== null || countSealedTotpSecrets(db) > 0) {
      throw new SecretsKeyError(
        `The TOTP sealing key is missing: this database's seeds are sealed with key ${recorded ?? '(unrecorded)'}. ${restoreAdvice(file)}`,
      );
    }
    createSecretsKeyFile(file);
  }
  return readSecretsKeyFile(file);
}

/**
 * Opens every stored seed with the key once (a wrong key is refused here, at start, with its reason, not at
 * someone's sign-in) and seals those still in plain text.
 */
function checkAndSealAll(db: Db, box: SecretBox, file: string): number {
  let sealed = 0;
  db.transaction(() => {
    const recorded = readMeta(db, KEY_ID_META);
    if (recorded !== null && recorded !== box.keyId) {
      throw new SecretsKeyError(
        `The TOTP sealing key ${file} (key ${box.keyId}) is not the one this database's seeds are sealed with (key ${recorded}). ${restoreAdvice(file)}`,
      );
    }
    for (const { userId, stored } of storedTotpSecrets(db)) {
      if (sealStoredTotpSecret(db, userId, stored)) sealed += 1;
      else box.open(stored, userId);
    }
    if (recorded === null) writeMeta(db, KEY_ID_META, box.keyId);
  }).immediate();
  return sealed;
}

/** Makes the seeds of `db` readable through sql/users.ts; returns how many plain seeds it sealed. */
export function loadTotpSealing(db: Db, keyFile: string): number {
  const box = loadKey(db, keyFile);
  // Bound first: sealing the plain seeds goes through sql/users.ts, which finds the box by the connection.
  bindSecretBox(db, box);
  try {
    const sealed = checkAndSealAll(db, box, keyFile);
    // The plain seeds' old bytes would stay in freed pages (and so in every backup) until overwritten:
    // rebuild the file without them, and empty the WAL that held the pages being replaced.
    if (sealed > 0) {
      db.exec('VACUUM');
      db.pragma('wal_checkpoint(TRUNCATE)');
    }
    return sealed;
  } catch (error) {
    if (error instanceof SecretsKeyError && !error.message.includes(keyFile)) {
      throw new SecretsKeyError(`${error.message} ${restoreAdvice(keyFile)}`);
    }
    throw error;
  }
}
