// The tamper-evident audit log (DESIGN §2): hash = sha256_hex(prevHash + "\n" + canonical JSON of the entry
// without its hash), RFC 8785 canonical JSON, first prevHash 64 zeros, no gaps in seq.
import { createHash } from 'node:crypto';
import type { AuditEntry, AuditVerification } from '../../../shared/api/types';
import { auditEntryHash, GENESIS_HASH } from '../../../shared/domain/audit';
import type { Db } from '../db/open';
import {
  insertAuditRow,
  iterateAuditRows,
  readAuditHead,
  readAuditRows,
  readAuditRowsUpTo,
  type AuditRow,
} from '../sql/audit';

export { GENESIS_HASH };

export interface AuditEvent {
  actor: string;
  action: string;
  subject: string;
  data?: Record<string, unknown>;
}

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return auditEntryHash(entry, sha256Hex);
}

/** Appends one entry. Call inside the write transaction of the change it records, so both land or neither. */
export function appendAudit(db: Db, at: Date, event: AuditEvent): AuditEntry {
  const head = readAuditHead(db);
  const unhashed = {
    seq: (head?.seq ?? 0) + 1,
    at: at.toISOString(),
    actor: event.actor,
    action: event.action,
    subject: event.subject,
    data: event.data ?? {},
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const entry: AuditEntry = { ...unhashed, hash: hashAuditEntry(unhashed) };
  insertAuditRow(db, {
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    data: JSON.stringify(entry.data),
    prev_hash: entry.prevHash,
    hash: entry.hash,
  });
  return entry;
}

function rowToEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    data: JSON.parse(row.data) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function readAudit(db: Db, afterSeq: number, limit: number): AuditEntry[] {
  return readAuditRows(db, afterSeq, limit).map((row) => {
    try {
      return rowToEntry(row);
    } catch {
      // A data column that no longer parses (tampering) is handed on as its raw text: the reader's own
      // verification then flags this entry, instead of the whole read failing.
      return { ...rowToEntry({ ...row, data: 'null' }), data: row.data };
    }
  });
}

/** Verifies entries in order against their predecessor; reusable by the desk on entries it fetched. */
export function verifyAuditEntries(
  entries: Iterable<AuditEntry>,
  previous: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): AuditVerification {
  let checked = 0;
  let head: { seq: number; hash: string } | null = previous.seq === 0 ? null : previous;
  let expected = previous;
  for (const entry of entries) {
    const { hash, ...unhashed } = entry;
    const intact =
      entry.seq === expected.seq + 1 && entry.prevHash === expected.hash && hashAuditEntry(unhashed) === hash;
    if (!intact) return { ok: false, checked, head, firstBad: entry.seq };
    checked += 1;
    head = { seq: entry.seq, hash };
    expected = head;
  }
  return { ok: true, checked, head, firstBad: null };
}

/** An entry as stored; a data column that no longer parses is tampering too, so it is made to fail the hash check. */
function storedEntry(row: AuditRow): AuditEntry {
  try {
    return rowToEntry(row);
  } catch {
    return { ...rowToEntry({ ...row, data: 'null' }), hash: '' };
  }
}

/**
 * Recomputes the chain from the database, streaming rows so a long log stays cheap in memory: the whole of
 * it, or the part after a point already known good (`from`, say a signed checkpoint). Synchronous: for the
 * signing inside a write, which verifies only the few entries after the last checkpoint.
 */
export function verifyAuditChain(db: Db, from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): AuditVerification {
  const rows = iterateAuditRows(db, from.seq);
  function* entries(): Generator<AuditEntry> {
    for (const row of rows) yield storedEntry(row);
  }
  return verifyAuditEntries(entries(), from);
}

/** Entries per slice of verifyAuditChainInSlices: a few milliseconds of hashing each. */
export const VERIFY_SLICE = 2_000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The same verification as verifyAuditChain, of the entries up to the head as it is when it starts, in
 * slices with a turn of the event loop between them: at a million entries a verification takes seconds,
 * and the server answers other requests meanwhile. Entries appended while it runs are left for the next.
 */
export async function verifyAuditChainInSlices(
  db: Db,
  from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
  slice = VERIFY_SLICE,
): Promise<AuditVerification> {
  const untilSeq = readAuditHead(db)?.seq ?? 0;
  let checked = 0;
  let verified: AuditVerification = { ok: true, checked: 0, head: from.seq === 0 ? null : from, firstBad: null };
  let expected = from;
  while (expected.seq < untilSeq) {
    const rows = readAuditRowsUpTo(db, expected.seq, untilSeq, slice);
    if (rows.length === 0) break;
    verified = verifyAuditEntries(rows.map(storedEntry), expected);
    checked += verified.checked;
    if (!verified.ok || !verified.head) return { ...verified, checked };
    expected = verified.head;
    await nextTurn();
  }
  return { ...verified, checked };
}
