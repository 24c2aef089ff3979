// The sync writer's thread (writer.ts starts it): a second connection to the cache that reads, checks and
// writes the pages of a bulk load, and builds its indexes at the end, so the event loop that answers the
// renderer is never held by them (issue #13). One request at a time, in the order sent. Each page and its
// cursor commit in one transaction, exactly as on the desk's own connection (apply-page.ts).
//
// Its commits do not checkpoint the WAL: a thread of its own does (sqlite/wal-checkpoints.ts), beside
// it. In the commits, copying the WAL into the encrypted file (each page decrypted and encrypted again) took
// a third of this thread's time; beside them, this thread writes pages some 30 % faster where it has a
// core to itself (README "The first sync").
import { parentPort, workerData } from 'node:worker_threads';
import { startWalCheckpoints } from '../../sqlite/wal-checkpoints';
import { countCachedCases } from '../cache/queue';
import { applyRowsPage, rowsOf } from './apply-page';
import { checkAdvances, MalformedPageError, readSyncPage } from './page-schema';
import { textOfPage } from './page-text';
import {
  openWriterConnection,
  type WriterReply,
  type WriterRequest,
  type WriterStart,
} from './writer-protocol';

const port = parentPort!;
const start = workerData as WriterStart;
const db = openWriterConnection(start);
const checkpoints = startWalCheckpoints(db, {
  driver: 'better-sqlite3-multiple-ciphers',
  keyHex: start.keyHex,
  owner: "the sync writer's connection",
  warn: (message) => port.postMessage({ id: 0, kind: 'warning', message } satisfies WriterReply),
  ...(start.checkpointEntry ? { entry: start.checkpointEntry } : {}),
});

/** The page's JSON; bytes that are not JSON are a page the desk cannot read, as on the desk's connection. */
function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(textOfPage(bytes)) as unknown;
  } catch (error) {
    throw new MalformedPageError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

function failure(id: number, error: unknown): WriterReply {
  const { message, code, name } = error as { message?: unknown; code?: unknown; name?: unknown };
  return {
    id,
    kind: 'failed',
    error: {
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : String(error),
      ...(typeof code === 'string' ? { code } : {}),
    },
  };
}

port.postMessage({ id: 0, kind: 'ready' } satisfies WriterReply);

port.on('message', (request: WriterRequest) => {
  try {
    if (request.kind === 'page') {
      const checked = readSyncPage(parseJson(request.bytes));
      checkAdvances(checked, request.after);
      // The cursor first: the desk asks for the next page while this one is written.
      port.postMessage({
        id: request.id,
        kind: 'parsed',
        cursor: checked.cursor,
        hasMore: checked.hasMore,
        changes: checked.changes.length,
      } satisfies WriterReply);
      const applied = applyRowsPage(db, { ...rowsOf(checked), after: request.after }, new Date(request.at));
      port.postMessage({
        id: request.id,
        kind: 'applied',
        caseIds: applied.caseIds,
        state: applied.state,
        // Counted here, where the pages just written are in the page cache: on the desk's connection every
        // page of the index would be read and decrypted again after each commit of this one.
        cachedCases: countCachedCases(db),
      } satisfies WriterReply);
    } else if (request.kind === 'transaction') {
      db.transaction(() => {
        for (const sql of request.statements) db.exec(sql);
      }).immediate();
      port.postMessage({ id: request.id, kind: 'done' } satisfies WriterReply);
    } else {
      // The checkpoint thread first, then what it had not copied yet (up to its last 200 ms, and what the
      // index builds wrote while it caught up), here: left in the WAL, it would be copied by the desk's next
      // commit, on the event loop that answers the renderer. A checkpoint that cannot finish (a reader in
      // the way, a failing disk) leaves the rest to SQLite as before.
      void checkpoints.close().finally(() => {
        try {
          db.pragma('wal_checkpoint(PASSIVE)');
        } catch {
          // Busy or failing: nothing is lost, the desk's connection checkpoints later.
        }
        db.close();
        port.postMessage({ id: request.id, kind: 'done' } satisfies WriterReply);
        port.close();
      });
    }
  } catch (error) {
    port.postMessage(failure(request.id, error));
  }
});
