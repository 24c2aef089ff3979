// The sync writer's thread (writer.ts starts it): a second connection to the cache that writes the pages of
// a bulk load, and builds its indexes at the end, so the event loop that answers the renderer is never held
// by them (issue #13). One request at a time, in the order sent. Each page and its
// cursor commit in one transaction, exactly as on the desk's own connection (apply-page.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { applySyncPage, type RowsPage } from './apply-page';
import {
  openWriterConnection,
  type WriterReply,
  type WriterRequest,
  type WriterStart,
} from './writer-protocol';

const port = parentPort!;
const db = openWriterConnection(workerData as WriterStart);

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

/** The changes of the page being handed on, until its 'page' request applies them. */
let changes: RowsPage['changes'] = [];

port.on('message', (request: WriterRequest) => {
  if (request.kind === 'rows') {
    changes = changes.concat(request.changes);
    return;
  }
  try {
    if (request.kind === 'page') {
      const page = { changes, after: request.after, cursor: request.cursor, hasMore: request.hasMore };
      changes = [];
      // Rows of a page whose hand-over was cut short must never be committed with another page's cursor.
      if (page.changes.length !== request.changes)
        throw new Error(`The page came with ${page.changes.length} changes, not ${request.changes}.`);
      const applied = applySyncPage(db, page, new Date(request.at));
      port.postMessage({
        id: request.id,
        kind: 'applied',
        caseIds: applied.caseIds,
        state: applied.state,
      } satisfies WriterReply);
    } else if (request.kind === 'transaction') {
      db.transaction(() => {
        for (const sql of request.statements) db.exec(sql);
      }).immediate();
      port.postMessage({ id: request.id, kind: 'done' } satisfies WriterReply);
    } else {
      db.close();
      port.postMessage({ id: request.id, kind: 'done' } satisfies WriterReply);
      port.close();
    }
  } catch (error) {
    port.postMessage(failure(request.id, error));
  }
});
