// Which server the desk talks to: the command line, else the settings, else the bundled server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOwnStore } from '../../electron/desk/storage/stores';
import { writeSettings } from '../../electron/desk/settings';
import { savedServerUrl } from '../../electron/desk/saved-server';
import { chooseServer } from '../../electron/launch/server-choice';

describe('chooseServer', () => {
  it('prefers the command line, then the saved setting, then the bundled server', () => {
    expect(chooseServer('https://a.example', 'https://b.example')).toEqual({
      kind: 'remote',
      serverUrl: 'https://a.example',
    });
    expect(chooseServer(null, 'https://b.example')).toEqual({
      kind: 'remote',
      serverUrl: 'https://b.example',
    });
    expect(chooseServer(null, null)).toEqual({ kind: 'bundled' });
  });
});

describe('savedServerUrl', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'dd-choice-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is null on first run, and the server settings.set stored afterwards', () => {
    const key = Buffer.alloc(32, 9);
    const log = { info: () => {}, warn: () => {}, error: () => {} };
    expect(savedServerUrl(dir, key, log)).toBeNull();
    const db = openOwnStore(dir, key, log);
    writeSettings(db, { serverUrl: 'https://disputes.example' });
    db.close();
    expect(savedServerUrl(dir, key, log)).toBe('https://disputes.example');
  });
});
