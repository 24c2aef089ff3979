// Which server the desk talks to: the command line, else the settings, else the bundled server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDeskDatabase, DESK_DATABASE_FILE } from '../../electron/desk/db/open';
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
    expect(savedServerUrl(dir)).toBeNull();
    const db = openDeskDatabase(join(dir, DESK_DATABASE_FILE));
    writeSettings(db, { serverUrl: 'https://disputes.example' });
    db.close();
    expect(savedServerUrl(dir)).toBe('https://disputes.example');
  });
});
