// The desk service's boundary (DESIGN §5): each call checked against the contract and answered as a
// result, never a throw; settings kept across restarts; the cache bound to one server; a newer cache file
// refused; a misbehaving listener unable to stop the others. No server is needed: nothing here signs in.
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { applyCaseDetail } from '../../electron/desk/cache/apply-case';
import { createEventBus } from '../../electron/desk/events';
import { DESK_DATABASE_FILE, DeskDatabaseTooNewError } from '../../electron/desk/db/open';
import { saveServerUrl, savedServerUrl } from '../../electron/desk/saved-server';
import { dataKeyFromFile } from '../../electron/desk/storage/data-key';
import { openOwnStore } from '../../electron/desk/storage/stores';
import { createDeskService, type DeskService } from '../../electron/desk/service';
import { syntheticCase } from './fixtures/synthetic-cases';
import {
  capturingLogger,
  openDesk,
  openDeskCache,
  readDeskDb,
  tempDir,
  type LogEntry,
} from './fixtures/live-desk';

// Nothing listens here: the service never calls the server in these tests.
const NOWHERE = 'http://127.0.0.1:9';

const services: DeskService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
});

async function service(dataDir = tempDir(), serverUrl = NOWHERE, serverIdentity?: string) {
  const opened = await openDesk(serverUrl, { dataDir, ...(serverIdentity ? { serverIdentity } : {}) });
  services.push(opened.desk);
  return opened;
}

const cachedCount = (dataDir: string) =>
  readDeskDb(dataDir, (db) => (db.prepare('SELECT count(*) AS n FROM cases').get() as { n: number }).n);

function cacheOneCase(dataDir: string) {
  // The cache is encrypted with the key the service made in its folder.
  const db = openDeskCache(dataDir);
  db.transaction(() => applyCaseDetail(db, syntheticCase(1)))();
  db.close();
}

describe('handle', () => {
  it('refuses an unknown channel and an input of the wrong shape, readably', async () => {
    const { desk } = await service();
    expect(await desk.handle('case.delete', {})).toEqual({
      ok: false,
      error: { code: 'unknown_channel', message: 'The desk has no call named "case.delete".' },
    });
    expect(await desk.handle('toString', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown_channel' },
    });
    expect(await desk.handle('session.signIn', { username: 'ana' })).toEqual({
      ok: false,
      error: { code: 'invalid_request', message: expect.stringMatching(/^password: /) },
    });
    expect(await desk.handle('queue.query', { view: 'everything' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await desk.handle('queue.query', { limit: 100_000 })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
  });

  it('answers what needs a session with signed_out, and the session state with the server', async () => {
    const { desk } = await service(tempDir(), `${NOWHERE}/`);
    expect(await desk.handle('session.state')).toEqual({
      ok: true,
      value: { user: null, awaiting: null, serverUrl: NOWHERE },
    });
    const calls: [string, unknown][] = [
      ['queue.query', {}],
      ['case.get', { caseId: 'DSP-1' }],
      ['sync.now', undefined],
      ['case.claim', { caseId: 'DSP-1' }],
      ['drafts.get', { caseId: 'DSP-1' }],
    ];
    for (const [channel, input] of calls) {
      expect(await desk.handle(channel, input)).toMatchObject({ ok: false, error: { code: 'signed_out' } });
    }
    expect(await desk.handle('sync.status')).toMatchObject({
      ok: true,
      value: { state: 'signed_out', cachedCases: 0 },
    });
  });

  it('reports the server being unreachable as offline, not as a crash', async () => {
    const { desk, logs } = await service();
    expect(await desk.handle('session.signIn', { username: 'ana', password: 'ana-demo-pass' })).toEqual({
      ok: false,
      error: { code: 'offline', message: expect.stringMatching(/cannot be reached/) },
    });
    expect(logs.filter((entry) => entry.level === 'error')).toEqual([]);
  });

  it('answers nothing once closed', async () => {
    const { desk } = await service();
    await desk.close();
    await desk.close();
    expect(await desk.handle('settings.get')).toMatchObject({ ok: false, error: { code: 'closed' } });
  });
});

describe('settings', () => {
  it('start from the defaults, change in part, refuse bad values and last across restarts', async () => {
    const dataDir = tempDir();
    const first = await service(dataDir);
    expect(await first.desk.handle('settings.get')).toEqual({
      ok: true,
      value: { language: 'system', theme: 'system', retentionDays: 30, serverUrl: null, serverChosen: false },
    });
    expect(await first.desk.handle('settings.set', { theme: 'dark' })).toEqual({
      ok: true,
      value: { language: 'system', theme: 'dark', retentionDays: 30, serverUrl: null, serverChosen: false },
    });
    expect(await first.desk.handle('settings.set', { theme: 'neon' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(await first.desk.handle('settings.set', { language: 'es' })).toMatchObject({
      ok: true,
      value: { language: 'es', theme: 'dark', retentionDays: 30, serverUrl: null, serverChosen: false },
    });
    await first.desk.close();
    const second = await service(dataDir);
    expect(await second.desk.handle('settings.get')).toEqual({
      ok: true,
      value: { language: 'es', theme: 'dark', retentionDays: 30, serverUrl: null, serverChosen: false },
    });
  });

  it('never let the renderer choose the server: settings.set refuses it, server.change on a chosen server points at the command line', async () => {
    const dataDir = tempDir();
    const { desk } = await service(dataDir);
    for (const serverUrl of ['http://evil.example', 'https://disputes.example', null]) {
      expect(await desk.handle('settings.set', { theme: 'dark', serverUrl })).toMatchObject({
        ok: false,
        error: { code: 'invalid_request' },
      });
    }
    expect(await desk.handle('server.change', { serverUrl: 'https://disputes.example' })).toMatchObject({
      ok: false,
      error: { code: 'server_change_refused', message: expect.stringContaining('--server') },
    });
    expect(await desk.handle('settings.get')).toMatchObject({ ok: true, value: { theme: 'system', serverUrl: null } });
    await desk.close();
    expect(savedServerUrl(dataDir, dataKeyFromFile(dataDir), capturingLogger([]))).toBeNull();
  });

  it('read a stored server the desk would not accept (written before this rule) as none, and refuse to start with one', async () => {
    const dataDir = tempDir();
    const own = openOwnStore(dataDir, dataKeyFromFile(dataDir), capturingLogger([]));
    own.prepare('INSERT INTO settings (key, value) VALUES (?, ?)').run('serverUrl', JSON.stringify('http://evil.example'));
    own.close();
    expect(savedServerUrl(dataDir, dataKeyFromFile(dataDir), capturingLogger([]))).toBeNull();
    await expect(createDeskService({ dataDir, serverUrl: 'http://evil.example', log: capturingLogger([]) })).rejects.toThrow(
      /refuses the server address "http:\/\/evil.example": plain http/,
    );
  });

  it('keep the server the user confirmed (saved by the Electron shell through the desk worker)', () => {
    const dataDir = tempDir();
    const key = dataKeyFromFile(dataDir);
    const log = capturingLogger([]);
    saveServerUrl(dataDir, key, log, 'https://disputes.example');
    expect(savedServerUrl(dataDir, key, log)).toBe('https://disputes.example');
    saveServerUrl(dataDir, key, log, null);
    expect(savedServerUrl(dataDir, key, log)).toBeNull();
  });
});

describe('the cache and its server', () => {
  it('keeps the cache for the same server and drops it for another', async () => {
    const dataDir = tempDir();
    await (await service(dataDir, 'http://127.0.0.1:4010')).desk.close();
    cacheOneCase(dataDir);
    await (await service(dataDir, 'http://127.0.0.1:4010/')).desk.close();
    expect(cachedCount(dataDir)).toBe(1);
    const other = await service(dataDir, 'http://127.0.0.1:4011');
    expect(other.logs).toContainEqual(
      expect.objectContaining({ level: 'warn', message: expect.stringMatching(/server changed/) }),
    );
    await other.desk.close();
    expect(cachedCount(dataDir)).toBe(0);
  });

  it('binds to the identity it is given, so the bundled server may change port', async () => {
    const dataDir = tempDir();
    await (await service(dataDir, 'http://127.0.0.1:4010', 'bundled')).desk.close();
    cacheOneCase(dataDir);
    await (await service(dataDir, 'http://127.0.0.1:50123', 'bundled')).desk.close();
    expect(cachedCount(dataDir)).toBe(1);
  });

  it('refuses a cache file from a newer version of the app', async () => {
    const dataDir = tempDir();
    const future = new Database(path.join(dataDir, DESK_DATABASE_FILE));
    future.pragma('user_version = 999');
    future.close();
    await expect(
      createDeskService({ dataDir, serverUrl: NOWHERE, log: capturingLogger([]) }),
    ).rejects.toBeInstanceOf(DeskDatabaseTooNewError);
  });
});

describe('events', () => {
  it('reach every listener even when one throws, and stop after unsubscribing', () => {
    const logs: LogEntry[] = [];
    const bus = createEventBus(capturingLogger(logs));
    const heard: string[] = [];
    bus.on('session.expired', () => {
      throw new Error('broken window');
    });
    const stop = bus.on('session.expired', ({ reason }) => heard.push(reason));
    bus.emit('session.expired', { reason: 'first' });
    stop();
    bus.emit('session.expired', { reason: 'second' });
    expect(heard).toEqual(['first']);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'error',
        data: expect.objectContaining({ message: 'broken window' }),
      }),
    );
  });
});
