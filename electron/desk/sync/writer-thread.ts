// The sync writer's thread (writer.ts starts it): a second connection to the cache that reads, checks and
// writes the pages of a bulk load, and builds its indexes at the end, so the event loop that answers the
// renderer is never held by them (issue #13). One request at a time, in the order sent. Each page and its
// cursor commit in one transaction, exactly as on the desk's own connection (apply-page.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { applySyncPage, rowsOf } from './apply-page';
import { readSyncPage } from './page-schema';
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

port.on('message', (request: WriterRequest) => {
  try {
    if (request.kind === 'page') {
      const checked = readSyncPage(JSON.parse(Buffer.from(request.bytes).toString('utf8')) as unknown);
      // The cursor first: the desk asks for the next page while this one is written.
      port.postMessage({
        id: request.id,
        kind: 'parsed',
        cursor: checked.cursor,
        hasMore: checked.hasMore,
        changes: checked.changes.length,
      } satisfies WriterReply);
      const applied = applySyncPage(db, { ...rowsOf(checked), after: request.after }, new Date(request.at));
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
