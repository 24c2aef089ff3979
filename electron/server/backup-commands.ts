// `npm run server -- backup [--data DIR] [--out FILE]` and `npm run server -- restore --from FILE [--data DIR]`:
// what the operator sees of db/backup.ts, with the key files named every time (they are never copied into a
// backup, see db/backup.ts).
import fs from 'node:fs';
import path from 'node:path';
import { readSecretsKeyFile } from './auth/secret-box';
import type { ServerConfig } from './config';
import { auditKeyFileOf, secretsKeyFileOf } from './context';
import { backupDatabase, defaultBackupFile, restoreDatabase, type RestoreResult } from './db/backup';
import { DATABASE_FILE } from './start';

type KeyConfig = Pick<ServerConfig, 'dataDir' | 'auditKeyFile' | 'secretsKeyFile'>;

function keyFilesNote(config: KeyConfig): string {
  return [
    'The backup holds no keys. Restoring it needs these files too, kept apart from the backups',
    '(copy them once to a password manager or vault: they never change):',
    `  ${secretsKeyFileOf(config)}   (opens the users' TOTP seeds; without it every user must enrol again)`,
    `  ${auditKeyFileOf(config)}   (signs the audit log; a new one starts a new key id)`,
  ].join('\n');
}

export async function runBackup(config: KeyConfig, out: string | null, now: Date): Promise<void> {
  const file = out ?? defaultBackupFile(config.dataDir, now);
  const copy = await backupDatabase(path.join(config.dataDir, DATABASE_FILE), file, now);
  console.log(`Backup written and verified: ${copy.file} (schema version ${copy.schemaVersion}, mode 0600)`);
  if (copy.sealKeyId) console.log(`Its TOTP seeds are sealed with key ${copy.sealKeyId}.`);
  console.log(keyFilesNote(config));
}

/** Whether the seal key in place is the one the restored seeds need: said now, not at the next start. */
function sealKeyNote(config: KeyConfig, sealKeyId: string | null): string | null {
  if (!sealKeyId) return null;
  const keyFile = secretsKeyFileOf(config);
  if (!fs.existsSync(keyFile))
    return `WARNING: ${keyFile} is missing; put back the key ${sealKeyId} before starting.`;
  const inPlace = readSecretsKeyFile(keyFile).keyId;
  return inPlace === sealKeyId
    ? null
    : `WARNING: ${keyFile} is key ${inPlace}, but the restored seeds are sealed with key ${sealKeyId}: put back that key file before starting.`;
}

/**
 * What the operator must do after a restore: the backup knows nothing of what happened after it was taken.
 * Sign-ins are ended by the restore itself; account changes are not (the restore cannot know them), so
 * they are named to be redone.
 */
function afterRestoreNote(result: RestoreResult): string {
  const { sessions, invitations } = result.signInsEnded;
  const takenAt = result.restored.takenAt ?? 'an unknown time (the backup records none and holds no audit entry)';
  return [
    `Every sign-in in the backup was ended (${sessions} sessions revoked, ${invitations} pending invitations ` +
      'spent): everyone signs in again, and a person not yet enrolled needs a new invitation (a 2FA reset).',
    `This backup was taken at ${takenAt}. Account changes made after that are NOT in it and must be redone:`,
    '  - disable again every account disabled since then (it is enabled again in the backup);',
    '  - reset again the 2FA of every account reset since then (its old authenticator works again);',
    '  - create again the accounts created since then.',
    '  The audit log of the database kept aside lists them (user.disabled, user.totp_reset, user.created).',
  ].join('\n');
}

export function runRestore(config: KeyConfig, from: string, now: Date): void {
  const result = restoreDatabase(path.join(config.dataDir, DATABASE_FILE), path.resolve(from), now);
  console.log(
    `Restored ${from} into ${result.restored.file} (schema version ${result.restored.schemaVersion}).`,
  );
  for (const aside of result.movedAside) console.log(`  kept aside: ${aside}`);
  // The record of the last signed checkpoint is ahead of the restored log by design (audit/signed-head.ts):
  // this restore is intended, so it is set aside for the server to carry on from the restored history.
  const head = `${auditKeyFileOf(config)}.head`;
  if (fs.existsSync(head)) {
    const aside = `${head}.before-restore-${now
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z')}`;
    fs.renameSync(head, aside);
    console.log(`  the last signed audit checkpoint record was set aside: ${aside}`);
    console.log(
      '  (desks that synced after the backup will report the audit log rolled back: that is expected)',
    );
  }
  const note = sealKeyNote(config, result.restored.sealKeyId);
  if (note) console.log(note);
  console.log(afterRestoreNote(result));
}
