// The desk worker's side of the protocol with the real desk service and the real server, in a plain Node
// child: Electron's process.parentPort is stood in for by fork's IPC channel (tests/host/parent-port-shim.mjs),
// with the same structured clone that keeps evidence bytes as bytes.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseFromWorker,
  parseSupportSnapshot,
  type FromWorkerMessage,
  type ToWorkerMessage,
} from '../../shared/desk-api/worker-protocol';
import { evidenceUrl } from '../../shared/desk-api/evidence-url';
import { createTestServer, type TestServer } from '../server/harness';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const shim = pathToFileURL(resolve('tests/host/parent-port-shim.mjs')).href;

let dir: string;
let server: TestServer;
let serverUrl: string;
let worker: ChildProcess;
let exit: Promise<number | null>;
const inbox: FromWorkerMessage[] = [];
const waiters: Array<() => void> = [];

function post(message: ToWorkerMessage): void {
  worker.send(message);
}

/** The next message from the worker that satisfies `match` (every message is checked by the protocol). */
function next<T extends FromWorkerMessage>(match: (message: FromWorkerMessage) => message is T): Promise<T> {
  return new Promise((done) => {
    const look = () => {
      const index = inbox.findIndex(match);
      if (index === -1) return waiters.push(look);
      done(inbox.splice(index, 1)[0] as T);
    };
    look();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dd-worker-'));
  server = await createTestServer();
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  serverUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  worker = fork(resolve('electron/desk-worker/index.ts'), [], {
    execArgv: ['--import', tsx, '--import', shim],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  exit = new Promise((done) => worker.once('exit', (code) => done(code)));
  worker.on('message', (data) => {
    const message = parseFromWorker(data);
    if (message === null) throw new Error(`the worker sent a malformed message: ${JSON.stringify(data)}`);
    inbox.push(message);
    for (const waiter of waiters.splice(0)) waiter();
  });
});

afterAll(async () => {
  if (worker.exitCode === null) worker.kill('SIGKILL');
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

const DATA_KEY = 'ab'.repeat(32);

describe('the desk worker', () => {
  it('reads the saved server (none on first run), starts the desk, answers calls and stops cleanly', async () => {
    post({ type: 'readSavedServer', dataDir: dir, dataKey: DATA_KEY });
    expect(
      await next((m): m is Extract<FromWorkerMessage, { type: 'savedServer' }> => m.type === 'savedServer'),
    ).toEqual({ type: 'savedServer', serverUrl: null });

    post({ type: 'start', dataDir: dir, dataKey: DATA_KEY, serverUrl, serverIdentity: 'bundled' });
    await next((m): m is Extract<FromWorkerMessage, { type: 'ready' }> => m.type === 'ready');

    const isResult =
      (id: number) =>
      (m: FromWorkerMessage): m is Extract<FromWorkerMessage, { type: 'result' }> =>
        m.type === 'result' && m.id === id;
    post({ type: 'invoke', id: 1, channel: 'session.state', input: undefined });
    expect((await next(isResult(1))).result).toEqual({
      ok: true,
      value: { user: null, awaiting: null, serverUrl },
    });

    post({ type: 'invoke', id: 2, channel: 'evidence.url', input: { sha256: 'a'.repeat(64) } });
    expect((await next(isResult(2))).result).toEqual({
      ok: true,
      value: { url: evidenceUrl('a'.repeat(64)) },
    });

    post({ type: 'invoke', id: 3, channel: 'session.signIn', input: { username: '' } });
    expect((await next(isResult(3))).result).toMatchObject({ ok: false });

    post({ type: 'evidence', id: 4, sha256: 'b'.repeat(64) });
    expect(
      await next(
        (m): m is Extract<FromWorkerMessage, { type: 'evidence' }> => m.type === 'evidence' && m.id === 4,
      ),
    ).toEqual({ type: 'evidence', id: 4, file: null });

    // The counts main's update gate and diagnostics read: nobody signed in, an empty outbox.
    post({ type: 'support', id: 6 });
    const supportAnswer = (await next(isResult(6))).result;
    const support = supportAnswer.ok ? parseSupportSnapshot(supportAnswer.value) : null;
    expect(support).toMatchObject({ signedIn: false, outbox: [], sync: { state: 'signed_out' } });
    expect(support?.storageBytes).toBeGreaterThan(0);

    // A server the user confirmed in main's dialog: saved for the next start, as the worker reads it.
    post({ type: 'saveServer', id: 5, dataDir: dir, dataKey: DATA_KEY, serverUrl: 'https://disputes.example/' });
    expect((await next(isResult(5))).result).toEqual({ ok: true, value: null });
    post({ type: 'readSavedServer', dataDir: dir, dataKey: DATA_KEY });
    expect(
      await next((m): m is Extract<FromWorkerMessage, { type: 'savedServer' }> => m.type === 'savedServer'),
    ).toEqual({ type: 'savedServer', serverUrl: 'https://disputes.example' });

    post({ type: 'stop' });
    await next((m): m is Extract<FromWorkerMessage, { type: 'stopped' }> => m.type === 'stopped');
    expect(await exit).toBe(0);
  });
});
