// The desk worker: the entry of the utility process that runs the desk service (built beside main's
// entry as out/main/desk-worker.js, where main starts it). Plain Node apart from process.parentPort, its
// line to the main process; it imports electron for that type only, so the desk service stays the same
// code the browser host runs.
import type { ParentPort } from 'electron';
import { DESK_EVENTS } from '../../shared/desk-api/contract';
import { evidenceUrl } from '../../shared/desk-api/evidence-url';
import {
  parseToWorker,
  workerUnavailable,
  type FromWorkerMessage,
  type ToWorkerMessage,
} from '../../shared/desk-api/worker-protocol';
import { createDeskService, type DeskService } from '../desk/service';
import { saveServerUrl, savedServerUrl } from '../desk/saved-server';
import { BUNDLED_SERVER_IDENTITY } from '../launch/server-choice';
import { processOutputLogger } from './log';

const parentPort = (process as NodeJS.Process & { parentPort: ParentPort }).parentPort;
let desk: DeskService | null = null;

function send(message: FromWorkerMessage): void {
  parentPort.postMessage(message);
}

const log = processOutputLogger;

async function handle(message: ToWorkerMessage): Promise<void> {
  switch (message.type) {
    case 'readSavedServer': {
      try {
        send({ type: 'savedServer', serverUrl: savedServerUrl(message.dataDir, Buffer.from(message.dataKey, 'hex'), log) });
      } catch (error) {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    case 'start': {
      try {
        desk = await createDeskService({
          dataDir: message.dataDir,
          dataKey: Buffer.from(message.dataKey, 'hex'),
          serverUrl: message.serverUrl,
          ...(message.serverIdentity === null ? {} : { serverIdentity: message.serverIdentity }),
          serverKind: message.serverIdentity === BUNDLED_SERVER_IDENTITY ? 'bundled' : 'remote',
          // Main answers 'server.change' with a native confirmation (electron/main/server-change.ts).
          serverChangeConfirmedOutsidePage: true,
          log,
          evidenceUrl,
        });
        for (const event of DESK_EVENTS) desk.on(event, (payload) => send({ type: 'event', event, payload }));
        send({ type: 'ready' });
      } catch (error) {
        send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      }
      return;
    }
    case 'invoke': {
      const result = desk
        ? await desk
            .handle(message.channel, message.input)
            .catch((error: unknown) =>
              workerUnavailable(error instanceof Error ? error.message : String(error)),
            )
        : workerUnavailable('it has not started yet');
      send({ type: 'result', id: message.id, result });
      return;
    }
    case 'saveServer': {
      try {
        saveServerUrl(message.dataDir, Buffer.from(message.dataKey, 'hex'), log, message.serverUrl);
        send({ type: 'result', id: message.id, result: { ok: true, value: null } });
      } catch (error) {
        send({ type: 'result', id: message.id, result: workerUnavailable(error instanceof Error ? error.message : String(error)) });
      }
      return;
    }
    case 'evidence': {
      const file = desk ? await desk.evidenceFile(message.sha256).catch(() => null) : null;
      send({
        type: 'evidence',
        id: message.id,
        file: file && { bytes: new Uint8Array(file.bytes), mime: file.mime },
      });
      return;
    }
    case 'support': {
      const result = desk
        ? { ok: true as const, value: desk.supportSnapshot() }
        : workerUnavailable('it has not started yet');
      send({ type: 'result', id: message.id, result });
      return;
    }
    case 'stop': {
      // Closing the cache checkpoints its WAL, so the next start opens a tidy file.
      await desk?.close();
      send({ type: 'stopped' });
      process.exit(0);
    }
  }
}

parentPort.on('message', (event) => {
  const message = parseToWorker(event.data);
  if (message === null) {
    log.error('Dispute Desk worker: ignored a malformed message from the main process');
    return;
  }
  void handle(message);
});
