// The sign-out purge's two review findings: a set-aside own store (own.db.damaged-<time>) loses its drafts
// and finished commands at sign-out as own.db does, keeping the commands still on their way, and one the
// key cannot open is left and logged; a purge cut short after the cache was emptied is finished at the next
// start. A real desk, a real platform server on loopback, real encrypted files.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskLogger } from '../../electron/desk/context';
import { openSqlite } from '../../electron/desk/db/open';
import { writeDraftJson } from '../../electron/desk/drafts/store';
import { insertCommand, settleAttempt } from '../../electron/desk/outbox/store';
import { dataKeyFromFile, storeKey } from '../../electron/desk/storage/data-key';
import { purgePending } from '../../electron/desk/storage/purge';
import { OWN_DATABASE_FILE, openOwnStore, setAside } from '../../electron/desk/storage/stores';
import { readOwnDb } from './fixtures/own-store';
import {
  addDeskUser,
  capturingLogger,
  openDesk,
  signIn,
  startLiveServer,
  tempDir,
  unwrap,
  type LiveServer,
  type LogEntry,
  type TestDesk,
} from './fixtures/live-desk';

const DRAFT_TEXT = 'Draft to both parties: please send the full bank statement.';
const UNSENT_RATIONALE = 'The statement shows the transfer with the trade reference on the due date.';
// Another user's rows: the user signed in here never sends them, so only the purge touches them.
const OTHER_USER = 'USR-someone-else';
const quiet: DeskLogger = { info: () => {}, warn: () => {}, error: () => {} };

let servers: LiveServer[] = [];
let desks: TestDesk[] = [];
afterEach(async () => {
  await Promise.all(desks.map((desk) => desk.desk.close()));
  for (const server of servers) await server.close();
  desks = [];
  servers = [];
});

/** A draft, a finished command and an unsent verdict in an own store. */
function seedOwnRows(own: Database.Database): void {
  const at = new Date().toISOString();
  writeDraftJson(own, OTHER_USER, 'DSP-1', JSON.stringify({ composer: DRAFT_TEXT }), at);
  insertCommand(own, { id: 'sent', userId: OTHER_USER, kind: 'claim', caseId: 'DSP-1', idempotencyKey: 'key-sent', payload: {}, at });
  settleAttempt(own, 'sent', { state: 'confirmed', error: null, payload: {}, nextAttemptAt: at, now: at });
  const verdict = { outcome: 'release', reasonCode: 'payment_confirmed', rationale: UNSENT_RATIONALE, totp: null };
  insertCommand(own, { id: 'unsent', userId: OTHER_USER, kind: 'verdict', caseId: 'DSP-1', idempotencyKey: 'key-unsent', payload: verdict, at });
}

interface OwnRows {
  drafts: number;
  commands: { id: string; state: string; payload: string }[];
}

function ownRows(db: Database.Database): OwnRows {
  return {
    drafts: (db.prepare('SELECT count(*) AS n FROM drafts').get() as { n: number }).n,
    commands: db.prepare('SELECT id, state, payload FROM outbox ORDER BY id').all() as OwnRows['commands'],
  };
}

/** An own store's file (a set-aside copy) with every page decrypted, free pages included. */
function inClear(file: string, key: Buffer): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dd-aside-clear-'));
  try {
    const copy = path.join(dir, 'copy.db');
    for (const suffix of ['', '-wal']) if (fs.existsSync(file + suffix)) fs.copyFileSync(file + suffix, copy + suffix);
    const db = openSqlite(copy, key);
    db.pragma('journal_mode = DELETE');
    db.pragma("rekey = ''");
    db.close();
    return fs.readFileSync(copy);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function signedInDesk(dataDir: string, log?: DeskLogger & { logs?: LogEntry[] }) {
  const server = await startLiveServer();
  servers.push(server);
  const desk = await openDesk(server.url, { dataDir, ...(log ? { log } : {}) });
  desks.push(desk);
  await signIn(desk.desk, addDeskUser(server));
  return { server, desk };
}

describe('a set-aside own store at sign-out', () => {
  it('loses its drafts and finished commands, keeps the unsent verdict, and one the key cannot open is left and logged', async () => {
    const dataDir = tempDir();
    const ownKey = storeKey(dataKeyFromFile(dataDir), 'own');
    const own = openOwnStore(dataDir, dataKeyFromFile(dataDir), quiet);
    seedOwnRows(own);
    own.close();
    const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000);
    const aside = setAside(path.join(dataDir, OWN_DATABASE_FILE), yesterday);
    // Another copy, set aside a second earlier, that no key opens (as a store damaged in its first page).
    const earlier = new Date(yesterday.getTime() - 1000);
    const unreadable = `${path.join(dataDir, OWN_DATABASE_FILE)}.damaged-${earlier.toISOString().replace(/[:.]/g, '-')}`;
    const unreadableBytes = randomBytes(8192);
    fs.writeFileSync(unreadable, unreadableBytes);
    expect(inClear(aside, ownKey).includes(DRAFT_TEXT)).toBe(true);

    const { desk } = await signedInDesk(dataDir);
    await unwrap(desk.desk.handle('session.signOut'));
    await expect.poll(() => desk.logs.some((line) => line.message.startsWith('Signed out:'))).toBe(true);

    const db = openSqlite(aside, ownKey);
    const rows = ownRows(db);
    db.close();
    expect(rows.drafts).toBe(0);
    expect(rows.commands.map((command) => [command.id, command.state])).toEqual([['unsent', 'pending']]);
    expect(JSON.parse(rows.commands[0]!.payload)).toMatchObject({ rationale: UNSENT_RATIONALE });
    const clear = inClear(aside, ownKey);
    expect(clear.includes(DRAFT_TEXT), 'the draft, anywhere in the file').toBe(false);
    expect(clear.includes(UNSENT_RATIONALE)).toBe(true);

    expect(fs.readFileSync(unreadable).equals(unreadableBytes)).toBe(true);
    expect(desk.logs).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        message: expect.stringContaining('stays until the retention period'),
        data: expect.objectContaining({ file: path.basename(unreadable) }),
      }),
    );
  });
});

describe('a sign-out purge cut short', () => {
  it('is finished at the next start: drafts and finished commands gone, the unsent verdict kept', async () => {
    const dataDir = tempDir();
    const own = openOwnStore(dataDir, dataKeyFromFile(dataDir), quiet);
    seedOwnRows(own);
    own.close();

    // The desk "crashes" the moment the cache has been emptied, before the own store's part.
    const logs: LogEntry[] = [];
    const recording = capturingLogger(logs);
    const crashing: DeskLogger = {
      ...recording,
      info(message, data) {
        recording.info(message, data);
        if (message.startsWith('Purge: the cached cases were deleted')) throw new Error('the desk stopped here');
      },
    };
    const { server, desk } = await signedInDesk(dataDir, crashing);
    await unwrap(desk.desk.handle('session.signOut'));
    await expect.poll(() => logs.some((line) => line.message === 'The sign-out purge failed')).toBe(true);
    await desk.desk.close();
    // Cut short: the own store still holds what the purge was to delete, and says a purge is pending.
    expect(readOwnDb(dataDir, ownRows).drafts).toBe(1);
    expect(readOwnDb(dataDir, purgePending)).toBe(true);

    const restarted = await openDesk(server.url, { dataDir });
    desks.push(restarted);
    const rows = readOwnDb(dataDir, ownRows);
    expect(rows.drafts).toBe(0);
    expect(rows.commands.map((command) => [command.id, command.state])).toEqual([['unsent', 'pending']]);
    expect(JSON.parse(rows.commands[0]!.payload)).toMatchObject({ rationale: UNSENT_RATIONALE });
    expect(readOwnDb(dataDir, purgePending)).toBe(false);
    expect(restarted.logs).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('cut short') }));
  });
});
