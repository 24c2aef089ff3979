// The desk checks the audit chain on its own (DESIGN §2, issue #9): it does not take /v1/audit/verify's word
// for it. It downloads the log in pages after the last entry it verified, recomputes every hash, and holds
// the result against the server's newest signed checkpoint, with the server's key pinned on first use.
//
// What the desk keeps (db/migrations/0003-audit-chain.ts): the hash of every entry up to the newest
// checkpoint it verified, and that checkpoint. Entries are never rewritten: the next check asks for the log
// from the last verified entry on (`after = head - 1`), so the first entry it gets back must be the one it
// already holds, with the same hash. Because each hash covers the one before, that one comparison shows that
// the whole verified prefix, and every checkpoint seen in it, still stands, and that the log has not shrunk
// below it: a check where nothing changed costs two small requests. Only when that comparison fails does the
// desk read the whole log again, to name the first entry that changed, or where the log now ends.
//
// A key other than the pinned one is an alarm, never a silent re-pin (a server whose database and key were
// both replaced could otherwise sign any history it likes): the user trusts the new key explicitly, by typing
// the start of its fingerprint (audit.trustKey), after checking it with whoever runs the server.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { ROUTES } from '../../../shared/api/routes';
import type { AuditEntry, Checkpoint } from '../../../shared/api/types';
import { auditEntryHash, GENESIS_HASH } from '../../../shared/domain/audit';
import type { AuditProblem, AuditStatus } from '../../../shared/desk-api/schemas';
import { PlatformError, SignedOutError, type PlatformApi } from '../api-client';
import type { DeskContext } from '../context';
import { DeskFailure } from '../handlers';
import { checkpointSignedBy, keyFingerprint, sha256Hex } from './signature';
import {
  appendEntryHashes,
  bindAuditToServer,
  forgetEntriesAfter,
  pinKey,
  readFirstSeenCheckpointAbove,
  readFirstUnmatchedSeenCheckpoint,
  readHashAt,
  readHashesIn,
  readLocalHead,
  readNewestSeenCheckpoint,
  readPendingKey,
  readPinnedKey,
  readStoredStatus,
  recordVerifiedCheckpoint,
  wasKeyEverTrusted,
  writePendingKey,
  writeStoredStatus,
  type EntryHash,
} from './store';

export interface AuditTuning {
  /** Entries (and checkpoints) per request; the server clamps pages at 500. */
  pageSize: number;
}

export const DEFAULT_AUDIT_TUNING: AuditTuning = { pageSize: 500 };

export interface AuditVerifier {
  status(): AuditStatus;
  /** Checks now, or joins the check under way (which then goes round once more); resolves with the verdict. */
  verify(): Promise<AuditStatus>;
  /** Pins the key a key change showed, when `typed` is the start of its fingerprint; then checks again. */
  trustKey(typed: string): Promise<AuditStatus>;
  /** Waits for the check under way, so the cache can be closed. */
  close(): Promise<void>;
}

const UNCHECKED: AuditStatus = {
  state: 'unchecked',
  verifiedUpTo: null,
  checkpointAt: null,
  checkedAt: null,
  fingerprint: null,
  newFingerprint: null,
  problem: null,
};

/** A check ended on this problem. */
class ChainProblem extends Error {
  constructor(readonly problem: AuditProblem) {
    super(problem.reason);
  }
}

class UnsignedLogError extends Error {
  constructor() {
    super('The server has entries in its audit log but has signed no checkpoint of it yet.');
  }
}

const unhashed = (entry: AuditEntry) => ({
  seq: entry.seq,
  at: entry.at,
  actor: entry.actor,
  action: entry.action,
  subject: entry.subject,
  data: entry.data,
  prevHash: entry.prevHash,
});

/** True when `entry` follows `previous` and hashes to its own hash. */
function extends_(previous: EntryHash, entry: AuditEntry): boolean {
  return (
    entry.seq === previous.seq + 1 &&
    entry.prevHash === previous.hash &&
    auditEntryHash(unhashed(entry), sha256Hex) === entry.hash
  );
}

export function createAuditVerifier(
  ctx: DeskContext,
  api: PlatformApi,
  server: string,
  tuning: AuditTuning = DEFAULT_AUDIT_TUNING,
): AuditVerifier {
  const { db } = ctx;
  if (bindAuditToServer(db, server)) ctx.log.warn('Audit: the server changed; its log is checked afresh', { server });
  let current: AuditStatus = readStoredStatus(db) ?? UNCHECKED;
  let running: Promise<AuditStatus> | null = null;
  let again = false;
  let closed = false;

  function status(): AuditStatus {
    const pinned = readPinnedKey(db, server);
    const pending = current.problem?.reason === 'key_changed' ? readPendingKey(db) : null;
    return {
      ...current,
      fingerprint: pinned?.fingerprint ?? null,
      newFingerprint: pending ? keyFingerprint(pending) : null,
    };
  }

  function report(next: AuditStatus, persist: boolean) {
    current = next;
    if (persist) writeStoredStatus(db, next);
    ctx.emit('audit.changed', status());
  }

  const page = <T>(items: T[]) => items.length >= tuning.pageSize;

  async function newestCheckpoint(): Promise<Checkpoint | null> {
    try {
      return await api.call(ROUTES.auditCheckpoint, {});
    } catch (error) {
      // 404: the server has signed nothing, its log being empty.
      if (error instanceof PlatformError && error.code === 'not_found') return null;
      throw error;
    }
  }

  /** Pins the key on first use; a checkpoint signed by another key, or not signed at all, is a problem. */
  function checkKey(checkpoint: Checkpoint): void {
    const pinned = readPinnedKey(db, server);
    const signedByItsKey = checkpointSignedBy(checkpoint, checkpoint.publicKey);
    if (!signedByItsKey) throw new ChainProblem({ seq: checkpoint.seq, reason: 'signature_invalid' });
    if (!pinned) {
      const fingerprint = keyFingerprint(checkpoint.publicKey);
      pinKey(db, server, { publicKey: checkpoint.publicKey, fingerprint, pinnedAt: ctx.now().toISOString() });
      ctx.log.info('Audit: pinned the server signing key on first use', { fingerprint });
      return;
    }
    if (pinned.publicKey !== checkpoint.publicKey) {
      writePendingKey(db, checkpoint.publicKey);
      throw new ChainProblem({ seq: checkpoint.seq, reason: 'key_changed' });
    }
    writePendingKey(db, null);
  }

  async function entriesAfter(after: number): Promise<AuditEntry[]> {
    return (await api.call(ROUTES.audit, { query: { after, limit: tuning.pageSize } })).entries;
  }

  /**
   * Downloads and chains the entries after the local head, page by page, each page stored in one
   * transaction, the event loop free between pages. The first entry asked for is the local head itself.
   */
  async function downloadNewEntries(): Promise<void> {
    const head = readLocalHead(db);
    let previous: EntryHash = head ?? { seq: 0, hash: GENESIS_HASH };
    let entries = await entriesAfter(head ? head.seq - 1 : 0);
    if (head) {
      const overlap = entries[0];
      if (!overlap || overlap.seq !== head.seq || overlap.hash !== head.hash) throw new ChainProblem(await diagnose(head));
    }
    for (;;) {
      const fresh = head && entries[0]?.seq === head.seq ? entries.slice(1) : entries;
      const verified: EntryHash[] = [];
      for (const entry of fresh) {
        if (!extends_(previous, entry)) {
          appendEntryHashes(db, verified);
          throw new ChainProblem({ seq: entry.seq, reason: 'chain_broken' });
        }
        previous = { seq: entry.seq, hash: entry.hash };
        verified.push(previous);
      }
      appendEntryHashes(db, verified);
      if (!page(entries)) return;
      await nextTurn();
      entries = await entriesAfter(previous.seq);
    }
  }

  /**
   * The log no longer holds the local head as it was: reads it all again, comparing it with what this desk
   * verified, and names the first entry that changed, breaks the chain or is missing.
   */
  async function diagnose(head: EntryHash): Promise<AuditProblem> {
    ctx.log.warn('Audit: the log no longer holds the last verified entry as it was; reading it again', { seq: head.seq });
    let previous: EntryHash = { seq: 0, hash: GENESIS_HASH };
    for (;;) {
      const entries = await entriesAfter(previous.seq);
      const stored = readHashesIn(db, previous.seq, previous.seq + entries.length);
      for (const entry of entries) {
        if (!extends_(previous, entry)) return { seq: previous.seq + 1, reason: 'chain_broken' };
        const known = stored.get(entry.seq);
        if (known !== undefined && known !== entry.hash) return { seq: entry.seq, reason: 'entry_changed' };
        previous = { seq: entry.seq, hash: entry.hash };
      }
      if (!page(entries)) break;
      await nextTurn();
    }
    if (previous.seq < head.seq) {
      const checkpointSeq = readFirstSeenCheckpointAbove(db, previous.seq);
      return { seq: previous.seq + 1, reason: 'truncated', ...(checkpointSeq === undefined ? {} : { checkpointSeq }) };
    }
    // Read again, the log holds what was verified: it changed and changed back in between. Still a change.
    return { seq: head.seq, reason: 'entry_changed' };
  }

  /**
   * The chain the server sent does not reach the hash of its newest checkpoint: finds, among the checkpoints
   * signed by a key this desk trusts, the first one the chain no longer matches. Every entry up to the one
   * before it still stands; the first entry after that is the first no checkpoint vouches for.
   */
  async function locateDeparture(newest: Checkpoint, verifiedHead: number): Promise<AuditProblem> {
    // Up to the head verified before this check, the entries are vouched for already: look after it.
    let lastMatch = verifiedHead;
    let after = verifiedHead;
    for (;;) {
      const { checkpoints } = await api.call(ROUTES.auditCheckpoints, { query: { after, limit: tuning.pageSize } });
      for (const checkpoint of checkpoints) {
        if (checkpoint.seq >= newest.seq) break;
        // A checkpoint not signed by a key this desk trusts says nothing either way.
        if (!wasKeyEverTrusted(db, server, checkpoint.publicKey) || !checkpointSignedBy(checkpoint, checkpoint.publicKey)) continue;
        if (readHashAt(db, checkpoint.seq) !== checkpoint.hash) {
          return { seq: lastMatch + 1, reason: 'checkpoint_mismatch', checkpointSeq: checkpoint.seq };
        }
        lastMatch = checkpoint.seq;
      }
      const last = checkpoints.at(-1);
      if (!page(checkpoints) || !last || last.seq >= newest.seq) break;
      after = last.seq;
      await nextTurn();
    }
    return { seq: lastMatch + 1, reason: 'checkpoint_mismatch', checkpointSeq: newest.seq };
  }

  /** One check; throws a ChainProblem for what it found wrong. Returns the checkpoint it verified, if any. */
  async function check(): Promise<Checkpoint | null> {
    const checkpoint = await newestCheckpoint();
    const head = readLocalHead(db);
    const newestSeen = readNewestSeenCheckpoint(db);
    if (!checkpoint) {
      if (head) throw new ChainProblem(await diagnose(head));
      // No checkpoint and entries all the same: nothing vouches for them yet (a server that has not signed
      // since it started, or one that cannot sign). The check cannot pass, and it is not a tampering either.
      if ((await entriesAfter(0)).length > 0) throw new UnsignedLogError();
      return null;
    }
    checkKey(checkpoint);
    if (newestSeen && checkpoint.seq < newestSeen.seq) {
      throw new ChainProblem({ seq: checkpoint.seq + 1, reason: 'checkpoint_rollback', checkpointSeq: newestSeen.seq });
    }
    await downloadNewEntries();
    const reached = readLocalHead(db);
    if (!reached || reached.seq < checkpoint.seq) {
      throw new ChainProblem({ seq: (reached?.seq ?? 0) + 1, reason: 'truncated', checkpointSeq: checkpoint.seq });
    }
    if (readHashAt(db, checkpoint.seq) !== checkpoint.hash) {
      throw new ChainProblem(await locateDeparture(checkpoint, head?.seq ?? 0));
    }
    const unmatched = readFirstUnmatchedSeenCheckpoint(db);
    if (unmatched !== undefined) throw new ChainProblem({ seq: unmatched, reason: 'entry_changed', checkpointSeq: unmatched });
    return checkpoint;
  }

  async function checkOnce(): Promise<AuditStatus> {
    const before = current;
    const startHead = readLocalHead(db)?.seq ?? 0;
    report({ ...before, state: 'checking' }, false);
    const checkedAt = () => ctx.now().toISOString();
    try {
      const checkpoint = await check();
      if (checkpoint) {
        const { seq, hash, at, keyId } = checkpoint;
        // Only entries a verified checkpoint vouches for are kept: the next check starts from its head.
        recordVerifiedCheckpoint(db, { seq, hash, at, keyId }, checkedAt());
      }
      report(
        {
          ...UNCHECKED,
          state: 'verified',
          verifiedUpTo: checkpoint?.seq ?? 0,
          checkpointAt: checkpoint?.at ?? null,
          checkedAt: checkedAt(),
        },
        true,
      );
    } catch (error) {
      if (error instanceof ChainProblem) {
        // What this check downloaded is not vouched for: the next check starts again from the verified head.
        forgetEntriesAfter(db, startHead);
        ctx.log.error('Audit: the chain does not verify', { ...error.problem });
        report(
          {
            ...UNCHECKED,
            state: 'failed',
            verifiedUpTo: before.verifiedUpTo,
            checkpointAt: before.checkpointAt,
            checkedAt: checkedAt(),
            problem: error.problem,
          },
          true,
        );
      } else {
        forgetEntriesAfter(db, startHead);
        if (error instanceof SignedOutError || (error instanceof PlatformError && error.status === 401)) {
          // The session ended under the check: nothing was learnt about the chain.
          report(before, false);
        } else if (before.state === 'failed') {
          // A failure found earlier stands until a check passes: an unreachable server does not clear it.
          report(before, false);
        } else {
          const detail = error instanceof Error ? error.message : String(error);
          ctx.log.warn('Audit: the chain could not be checked', { detail });
          report(
            { ...before, state: 'unavailable', checkedAt: checkedAt(), problem: { seq: null, reason: 'unreachable', detail } },
            true,
          );
        }
      }
    }
    return status();
  }

  function verify(): Promise<AuditStatus> {
    if (closed) return Promise.resolve(status());
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        let verdict: AuditStatus;
        do {
          again = false;
          verdict = await checkOnce();
        } while (again && !closed);
        return verdict;
      } finally {
        running = null;
      }
    })();
    return running;
  }

  return {
    status,
    verify,
    async trustKey(typed) {
      const pending = readPendingKey(db);
      if (!pending || current.problem?.reason !== 'key_changed') {
        throw new DeskFailure('no_key_change', 'The server signs with the key this desk trusts: there is no new key to trust.');
      }
      const fingerprint = keyFingerprint(pending);
      if (!fingerprint.replace(/ /g, '').startsWith(typed)) {
        throw new DeskFailure(
          'fingerprint_mismatch',
          'What you typed is not the start of the new key’s fingerprint. Nothing was changed.',
        );
      }
      await running;
      pinKey(db, server, { publicKey: pending, fingerprint, pinnedAt: ctx.now().toISOString() });
      writePendingKey(db, null);
      ctx.log.warn('Audit: the user trusted a new signing key', { fingerprint });
      return verify();
    },
    async close() {
      closed = true;
      await running;
    },
  };
}
