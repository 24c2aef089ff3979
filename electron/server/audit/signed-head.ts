// The last checkpoint this server signed, kept outside the database beside the signing key (issue #9).
// The checkpoints table is in the database, so whoever can write the database can delete the newest
// checkpoints, rewrite the entries after the ones left, and wait for the server to sign the new history.
// This record is what the server checks first: the checkpoint it last signed must still be in the
// database, as it signed it, before it signs anything more. It is written after the transaction that holds
// the checkpoint commits and is on disk (a crash in between leaves it one step behind, which is still true;
// one ahead of the database would read as tampering).
//
// Restoring the database from a backup rolls the audit log back, and this record then says so; when the
// restore is intended, the operator deletes this file (and the desks report the rollback until they trust
// the restored history).
import fs from 'node:fs';
import { z } from 'zod';

export interface SignedHead {
  seq: number;
  hash: string;
  /** The key that signed it: after a key change, the checkpoints before it are still this server's. */
  publicKey: string;
}

export interface SignedHeadStore {
  current(): SignedHead | null;
  record(head: SignedHead): void;
  /** Writes the newest record to the file now (on close, and in tests). */
  flush(): void;
}

/** How long a new record may wait in memory before it is written to the file. */
export const SIGNED_HEAD_FLUSH_MS = 1000;

const signedHead = z.strictObject({
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  publicKey: z.string().min(1),
});

export class SignedHeadError extends Error {
  readonly code = 'signed_head_unreadable';
}

function readSignedHead(file: string): SignedHead | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = signedHead.safeParse((() => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  })());
  if (!parsed.success) {
    throw new SignedHeadError(
      `${file} (the last audit checkpoint this server signed) is damaged. Restore it, or delete it to trust the database's checkpoints as they are.`,
    );
  }
  return parsed.data;
}

/**
 * The record in `file`, read once and then kept in memory; the file is replaced atomically, batched, once
 * `settled` says the transaction that holds the checkpoint is on disk (db/group-commit.ts).
 */
export function fileSignedHeadStore(file: string, settled: () => Promise<void> = () => Promise.resolve()): SignedHeadStore {
  let head: SignedHead | null | undefined;
  let unwritten: SignedHead | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const write = (record: SignedHead) => {
    const temporary = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(record), { mode: 0o600 });
    fs.renameSync(temporary, file);
  };
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!unwritten) return;
    write(unwritten);
    unwritten = null;
  };
  const flushOnceSettled = () => {
    timer = null;
    // The record to write is the one made before asking: a newer one may belong to a commit the sync missed.
    const due = unwritten;
    if (!due) return;
    settled()
      .then(() => {
        // Written meanwhile (a flush on close), or superseded by a newer record that has its own timer.
        if (unwritten !== due) return;
        write(due);
        unwritten = null;
      })
      .catch((error: unknown) => {
        // Still unwritten: the next record tries again; meanwhile this process checks the one in memory.
        process.emitWarning(`Could not record the last signed audit checkpoint in ${file}: ${String(error)}`, {
          code: 'signed_head_unwritten',
        });
      });
  };
  return {
    current() {
      if (head === undefined) head = readSignedHead(file);
      return head;
    },
    record(next) {
      head = next;
      unwritten = next;
      if (!timer) {
        timer = setTimeout(flushOnceSettled, SIGNED_HEAD_FLUSH_MS);
        timer.unref();
      }
    },
    flush,
  };
}
