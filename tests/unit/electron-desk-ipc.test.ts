// The desk's IPC decisions in the Electron shell, tested without Electron: who may call, which calls
// exist, and the messages between main and the desk worker.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deskChannels } from '../../shared/desk-api/contract';
import { isDeskChannel } from '../../shared/desk-api/wire';
import { checkDeskInvoke } from '../../electron/main/desk-ipc-rules';
import { parseFromWorker, parseToWorker, workerUnavailable } from '../../shared/desk-api/worker-protocol';
import { APP_ORIGIN } from '../../electron/common/security';

const appFrame = `${APP_ORIGIN}/index.html`;
const sha = 'f'.repeat(64);

describe('isDeskChannel', () => {
  it('knows every channel of the contract', () => {
    for (const channel of Object.keys(deskChannels)) expect(isDeskChannel(channel), channel).toBe(true);
  });

  it.each([
    '',
    'session',
    'session.steal',
    '__proto__',
    'constructor',
    'toString',
    'hasOwnProperty',
    'SESSION.STATE',
    'session.state ',
    42,
    null,
    undefined,
    {},
  ])('refuses %s', (name) => {
    expect(isDeskChannel(name)).toBe(false);
  });
});

describe('checkDeskInvoke', () => {
  it('lets the app call a channel of the contract', () => {
    expect(checkDeskInvoke(appFrame, APP_ORIGIN, 'session.state')).toEqual({
      ok: true,
      channel: 'session.state',
    });
  });

  it.each([
    ['a foreign page', 'https://evil.com/'],
    ['a frame being torn down', undefined],
    ['a local file', 'file:///index.html'],
    ['another host on the app scheme', 'app://evil/index.html'],
  ])('refuses %s with an untrusted_sender result, before looking at the channel', (_reason, frameUrl) => {
    const check = checkDeskInvoke(frameUrl, APP_ORIGIN, 'session.state');
    expect(check).toMatchObject({ ok: false, result: { ok: false, error: { code: 'untrusted_sender' } } });
  });

  it.each(['session.steal', '__proto__', 7, null])('refuses the unknown channel %s', (channel) => {
    const check = checkDeskInvoke(appFrame, APP_ORIGIN, channel);
    expect(check).toMatchObject({ ok: false, result: { ok: false, error: { code: 'unknown_channel' } } });
  });

  it('does not echo an unbounded channel name', () => {
    const check = checkDeskInvoke(appFrame, APP_ORIGIN, 'x'.repeat(10_000));
    if (check.ok) throw new Error('accepted');
    if (check.result.ok) throw new Error('accepted');
    expect(check.result.error.message.length).toBeLessThan(200);
  });
});

describe('messages to the desk worker', () => {
  // The desk's data key, hex (storage/data-key.ts): handed over in memory, checked for its size.
  const KEY = 'ab'.repeat(32);
  it.each([
    { type: 'readSavedServer', dataDir: '/data/desk', dataKey: KEY },
    { type: 'start', dataDir: '/data/desk', dataKey: KEY, serverUrl: 'http://127.0.0.1:4000', serverIdentity: 'bundled' },
    { type: 'start', dataDir: '/data/desk', dataKey: KEY, serverUrl: 'https://disputes.example', serverIdentity: null },
    { type: 'invoke', id: 1, channel: 'settings.set', input: { language: 'es' } },
    { type: 'invoke', id: 2, channel: 'session.state', input: undefined },
    { type: 'evidence', id: 3, sha256: sha },
    { type: 'saveServer', id: 4, dataDir: '/data/desk', dataKey: KEY, serverUrl: 'https://disputes.example' },
    { type: 'saveServer', id: 5, dataDir: '/data/desk', dataKey: KEY, serverUrl: null },
    { type: 'stop' },
  ])('accepts %j', (message) => {
    expect(parseToWorker(message)).toEqual(message);
  });

  it.each([
    ['an unknown type', { type: 'eval', code: 'process.exit()' }],
    ['an unknown channel', { type: 'invoke', id: 1, channel: 'session.steal', input: null }],
    ['a prototype key as channel', { type: 'invoke', id: 1, channel: '__proto__', input: null }],
    ['a fractional id', { type: 'invoke', id: 1.5, channel: 'session.state' }],
    ['a traversal as sha256', { type: 'evidence', id: 1, sha256: '../../etc/passwd' }],
    ['an extra field', { type: 'stop', now: true }],
    ['a start without a server', { type: 'start', dataDir: '/data/desk', dataKey: KEY, serverIdentity: null }],
    ['a start without the data key', { type: 'start', dataDir: '/d', serverUrl: 'http://127.0.0.1:4000', serverIdentity: null }],
    ['a data key of the wrong size', { type: 'readSavedServer', dataDir: '/d', dataKey: 'ab'.repeat(16) }],
    [
      'a start with a server that is no URL',
      { type: 'start', dataDir: '/d', serverUrl: 'bundled', serverIdentity: null },
    ],
    ['a start with a server over plain http', { type: 'start', dataDir: '/d', serverUrl: 'http://evil.example', serverIdentity: null }],
    ['a server to save over plain http', { type: 'saveServer', id: 1, dataDir: '/d', dataKey: KEY, serverUrl: 'http://evil.example' }],
    ['a javascript: server to save', { type: 'saveServer', id: 1, dataDir: '/d', dataKey: KEY, serverUrl: 'javascript:alert(1)' }],
    ['not an object', 'stop'],
  ])('refuses %s', (_reason, message) => {
    expect(parseToWorker(message)).toBeNull();
  });
});

describe('messages from the desk worker', () => {
  it.each([
    { type: 'savedServer', serverUrl: null },
    { type: 'savedServer', serverUrl: 'https://disputes.example' },
    { type: 'ready' },
    { type: 'failed', message: 'The cache is from a newer version.' },
    { type: 'result', id: 1, result: { ok: true, value: { user: null } } },
    {
      type: 'result',
      id: 2,
      result: { ok: false, error: { code: 'offline', message: 'The server is unreachable.' } },
    },
    { type: 'evidence', id: 3, file: { bytes: new Uint8Array([1, 2, 3]), mime: 'image/png' } },
    { type: 'evidence', id: 4, file: null },
    { type: 'event', event: 'session.expired', payload: { reason: 'expired' } },
    { type: 'stopped' },
  ])('accepts %j', (message) => {
    expect(parseFromWorker(message)).toEqual(message);
  });

  it.each([
    ['an unknown event', { type: 'event', event: 'cases.deleted', payload: {} }],
    ['a result that is neither ok nor an error', { type: 'result', id: 1, result: { ok: 'yes' } }],
    ['an error without a message', { type: 'result', id: 1, result: { ok: false, error: { code: 'x' } } }],
    [
      'evidence bytes as a path',
      { type: 'evidence', id: 1, file: { bytes: '/etc/passwd', mime: 'text/plain' } },
    ],
  ])('refuses %s', (_reason, message) => {
    expect(parseFromWorker(message)).toBeNull();
  });

  it('has an answer for calls when the worker is gone', () => {
    expect(workerUnavailable('it exited with code 1')).toEqual({
      ok: false,
      error: { code: 'desk_unavailable', message: 'The desk service is not running: it exited with code 1' },
    });
  });
});

describe('the preload source', () => {
  const preload = readFileSync('electron/preload/index.ts', 'utf8');

  it('exposes window.desk as a DeskBridge and never ipcRenderer itself', () => {
    expect(preload).toMatch(/contextBridge\.exposeInMainWorld\('desk', desk\)/);
    expect(preload).toMatch(/\} satisfies DeskBridge;/);
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer/);
    expect(preload).not.toMatch(/ipcRenderer\.(send|sendSync|postMessage)\(/);
  });

  it('imports nothing a sandboxed preload cannot load at run time', () => {
    const runtimeImports = [...preload.matchAll(/^import (?!type )[^;]* from '([^']+)';$/gm)].map(
      (match) => match[1],
    );
    // Both shared files import nothing themselves (no zod): plain strings and a regex, bundled into the preload.
    expect(runtimeImports).toEqual(['electron', '../../shared/desk-api/ipc', '../../shared/desk-api/shell']);
    for (const shared of ['shared/desk-api/ipc.ts', 'shared/desk-api/shell.ts'])
      expect(readFileSync(shared, 'utf8')).not.toMatch(/^import (?!type )/m);
  });
});
