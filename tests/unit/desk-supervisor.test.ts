// The desk worker restarted when it crashes (electron/main/desk-supervisor.ts). First with the real worker
// in a plain Node child (Electron's process.parentPort stood in for by tests/host/parent-port-shim.mjs): it
// is killed while a call waits on the server, the call is answered desk_restarted instead of hanging, a new
// worker comes up, the windows are told to sign in again, and the outbox in own.db is still there. Then the
// crash-loop guard, with workers stood in for and a pinned clock: three restarts a minute, then it stays
// down and says why.
import fs from 'node:fs';
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';
import { superviseDeskWorker } from '../../electron/main/desk-supervisor';
import { startDeskWorker, type DeskWorker, type WorkerProcess } from '../../electron/main/desk-worker-client';
import { openSqlite } from '../../electron/desk/db/open';
import { findCommand, insertCommand } from '../../electron/desk/outbox/store';
import { storeKey } from '../../electron/desk/storage/data-key';
import { OWN_DATABASE_FILE, openOwnStore } from '../../electron/desk/storage/stores';
import { tempDir } from '../server/harness';

const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const shim = pathToFileURL(path.resolve('tests/host/parent-port-shim.mjs')).href;
const DATA_KEY = Buffer.alloc(32, 7);
const QUIET = { info: () => undefined, warn: () => undefined, error: () => undefined };

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A loopback server that takes connections and never answers: a desk call to it stays in flight. */
async function blackHole(): Promise<{ url: string; connected: Promise<void> }> {
  const sockets: net.Socket[] = [];
  let sawConnection!: () => void;
  const connected = new Promise<void>((resolve) => (sawConnection = resolve));
  const server = net.createServer((socket) => {
    sockets.push(socket);
    sawConnection();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, connected };
}

/** The real desk worker in a Node child, wrapped as the client expects Electron's UtilityProcess. */
function forkWorker(children: ChildProcess[]): WorkerProcess {
  const child = fork(path.resolve('electron/desk-worker/index.ts'), [], {
    execArgv: ['--import', tsx, '--import', shim],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  children.push(child);
  return {
    postMessage: (message) => child.send(message),
    on: (event, listener) => child.on(event, listener),
    once: (event, listener) => child.once(event, listener),
    kill: () => child.kill(),
  };
}

describe('the desk worker under supervision', () => {
  it('comes back after being killed, answers the call it dropped, and keeps the outbox', async () => {
    const dataDir = tempDir('dd-supervised-');
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    // A verdict waiting in the outbox, as a desk that went offline leaves it.
    const own = openOwnStore(dataDir, DATA_KEY, QUIET);
    insertCommand(own, {
      id: 'cmd-1',
      userId: 'USR-1',
      kind: 'verdict',
      caseId: 'DSP-1',
      idempotencyKey: 'key-1',
      payload: { outcome: 'release_to_buyer' },
      at: '2026-01-01T00:00:00.000Z',
    });
    own.close();

    const server = await blackHole();
    const children: ChildProcess[] = [];
    const crashes: string[] = [];
    const desk = await superviseDeskWorker({
      start: () =>
        startDeskWorker({
          spawn: () => forkWorker(children),
          dataDir,
          dataKey: DATA_KEY,
          connect: () => Promise.resolve({ serverUrl: server.url, serverIdentity: null }),
        }),
      onCrash: (reason) => crashes.push(reason),
    });
    cleanups.push(async () => {
      await desk.stop();
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    const events: Array<{ event: DeskEvent; payload: unknown }> = [];
    const restarted = new Promise<void>((resolve) =>
      desk.onEvent((event, payload) => {
        events.push({ event, payload });
        if (event === 'session.expired') resolve();
      }),
    );

    // The sign-in waits on a server that never answers; the worker dies under it.
    const inFlight = desk.invoke('session.signIn', { username: 'ana', password: 'a password' });
    await server.connected;
    children[0]!.kill('SIGKILL');

    expect(await inFlight).toMatchObject({ ok: false, error: { code: 'desk_restarted' } });
    await restarted;
    expect(children).toHaveLength(2);
    expect(crashes).toHaveLength(1);
    expect(events).toContainEqual({ event: 'session.expired', payload: { reason: expect.any(String) } });
    expect(await desk.invoke('session.state', undefined)).toEqual({
      ok: true,
      value: { user: null, awaiting: null, serverUrl: server.url },
    });

    // The killed worker left the own store mid-life (WAL and all): it opens, with the verdict still queued.
    const reopened = openSqlite(path.join(dataDir, OWN_DATABASE_FILE), storeKey(DATA_KEY, 'own'));
    try {
      expect(findCommand(reopened, 'cmd-1')).toMatchObject({ kind: 'verdict', state: 'pending', caseId: 'DSP-1' });
    } finally {
      reopened.close();
    }
  });
});

/** A worker stood in for: answers every call with ok, and crashes when told. */
function fakeWorker() {
  let exit: (reason: string) => void = () => undefined;
  const unanswered: Array<(result: DeskResult<unknown>) => void> = [];
  const worker: DeskWorker = {
    invoke: (channel) =>
      channel === 'sync.status'
        ? new Promise((resolve) => unanswered.push(resolve))
        : Promise.resolve({ ok: true, value: channel }),
    evidenceFile: () => Promise.resolve(null),
    support: () => Promise.resolve(null),
    saveServer: () => Promise.resolve({ ok: true, value: null }),
    onEvent: () => undefined,
    onExit: (listener) => void (exit = listener),
    stop: () => Promise.resolve(),
  };
  return {
    worker,
    crash(reason: string) {
      exit(reason);
      // As the client does: what the dead worker left unanswered is answered desk_unavailable.
      for (const answer of unanswered.splice(0))
        answer({ ok: false, error: { code: 'desk_unavailable', message: `The desk service is not running: ${reason}` } });
    },
  };
}

describe('the crash-loop guard', () => {
  async function supervised(clock: { now: number }) {
    const workers: Array<ReturnType<typeof fakeWorker>> = [];
    const gaveUp: string[] = [];
    const desk = await superviseDeskWorker({
      start: () => {
        const fake = fakeWorker();
        workers.push(fake);
        return Promise.resolve(fake.worker);
      },
      now: () => clock.now,
      onGiveUp: (reason) => gaveUp.push(reason),
    });
    /** Crashes the newest worker and waits for the supervisor to have reacted. */
    const crashLatest = async () => {
      workers.at(-1)!.crash('exit code 134');
      await new Promise((resolve) => setImmediate(resolve));
    };
    return { desk, workers, gaveUp, crashLatest };
  }

  it('restarts three times within a minute, then stays down and answers every call with the reason', async () => {
    const clock = { now: 1_000_000 };
    const { desk, workers, gaveUp, crashLatest } = await supervised(clock);
    for (let crash = 1; crash <= 3; crash++) {
      clock.now += 10_000;
      await crashLatest();
      expect(workers).toHaveLength(crash + 1);
      expect(await desk.invoke('session.state', undefined)).toEqual({ ok: true, value: 'session.state' });
    }
    expect(gaveUp).toEqual([]);

    const dropped = desk.invoke('sync.status', undefined);
    await new Promise((resolve) => setImmediate(resolve));
    clock.now += 10_000;
    await crashLatest();
    expect(workers).toHaveLength(4);
    expect(gaveUp).toHaveLength(1);
    expect(gaveUp[0]).toMatch(/stopped 4 times within 60 s/);
    expect(await dropped).toMatchObject({ ok: false, error: { code: 'desk_unavailable', message: /Quit and reopen/ } });
    expect(await desk.invoke('session.state', undefined)).toMatchObject({
      ok: false,
      error: { code: 'desk_unavailable', message: /Quit and reopen/ },
    });
  });

  it('counts only the crashes of the last minute', async () => {
    const clock = { now: 1_000_000 };
    const { desk, workers, gaveUp, crashLatest } = await supervised(clock);
    for (let crash = 1; crash <= 6; crash++) {
      clock.now += 25_000;
      await crashLatest();
    }
    expect(workers).toHaveLength(7);
    expect(gaveUp).toEqual([]);
    // A call the crashed worker left is answered desk_restarted, while the new worker takes new calls.
    const dropped = desk.invoke('sync.status', undefined);
    await new Promise((resolve) => setImmediate(resolve));
    clock.now += 25_000;
    await crashLatest();
    expect(await dropped).toMatchObject({ ok: false, error: { code: 'desk_restarted' } });
    expect(await desk.invoke('session.state', undefined)).toEqual({ ok: true, value: 'session.state' });
  });
});
