// The desk's support snapshot (electron/desk/support.ts) on a real desk and a real platform server: the
// outbox counted by owner, kind and state as the update gate reads it, and the gate's answer as the agent's
// verdict goes from queued to confirmed.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderBytes, outboxCounts, supportSnapshot } from '../../electron/desk/support';
import { findCommand, insertCommand } from '../../electron/desk/outbox/store';
import { decideRestart } from '../../electron/main/update-gate';
import { parseSupportSnapshot } from '../../shared/desk-api/worker-protocol';
import { addCase, addUser, freshCode, tempDir, type TestUser } from '../server/harness';
import { call } from '../server/fixtures/case-api';
import { outboxDesks, startPlatform, type Platform } from './outbox-harness';

let platform: Platform;
let dataDir: string;
let ana: TestUser;
let bruno: TestUser;
let caseId: string;
const desks = outboxDesks();
const downloaded = { phase: 'downloaded', version: '2.0.0' } as const;

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-support-');
  ana = addUser(platform.server.ctx, 'agent');
  bruno = addUser(platform.server.ctx, 'agent');
  caseId = addCase(platform.server.ctx);
});

afterEach(async () => {
  await desks.closeAll();
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the support snapshot', () => {
  it("counts the signed-in user's commands apart from others', and the gate holds the update until the verdict is confirmed", async () => {
    expect((await call(platform.server, ana, 'POST', `/v1/cases/${caseId}/claim`)).status).toBe(200);
    const { desk, outbox } = await desks.open(platform, ana, dataDir);
    const at = new Date().toISOString();
    insertCommand(desk.ctx.own, {
      id: 'cmd-verdict',
      userId: ana.id,
      kind: 'verdict',
      caseId,
      idempotencyKey: 'key-verdict-support',
      payload: { outcome: 'release', reasonCode: 'payment_confirmed', rationale: 'Paid in full.', totp: freshCode(platform.server, ana) },
      at,
    });
    // Bruno signed out with a note still to send: it waits for his sign-in, restart or not.
    insertCommand(desk.ctx.own, {
      id: 'cmd-note',
      userId: bruno.id,
      kind: 'note',
      caseId,
      idempotencyKey: 'key-note-support',
      payload: { body: 'Called the bank.' },
      at,
    });

    const queued = outboxCounts(desk.ctx.own, ana.id);
    expect(queued).toEqual([
      { mine: true, kind: 'verdict', state: 'pending', count: 1 },
      { mine: false, kind: 'note', state: 'pending', count: 1 },
    ]);
    expect(decideRestart(downloaded, queued)).toEqual({ offer: false, why: 'step_up_pending', version: '2.0.0' });

    await outbox.resume();
    expect(findCommand(desk.ctx.own, 'cmd-verdict')).toMatchObject({ state: 'confirmed' });
    const sent = outboxCounts(desk.ctx.own, ana.id);
    expect(sent).toContainEqual({ mine: true, kind: 'verdict', state: 'confirmed', count: 1 });
    expect(decideRestart(downloaded, sent)).toEqual({ offer: true, version: '2.0.0' });

    // Nobody signed in: every command is someone else's.
    expect(outboxCounts(desk.ctx.own, null).every((count) => !count.mine)).toBe(true);
  });

  it('passes the schema main checks it against, with counts and times only', async () => {
    const { desk } = await desks.open(platform, ana, dataDir);
    const snapshot = supportSnapshot(desk.ctx.own, dataDir, ana.id, {
      state: 'idle',
      progress: null,
      lastSyncedAt: '2026-12-07T10:00:00.000Z',
      cachedCases: 3,
      error: null,
    });
    expect(parseSupportSnapshot(snapshot)).toEqual(snapshot);
    expect(snapshot).toMatchObject({ signedIn: true, sync: { state: 'idle', cachedCases: 3, errorCode: null }, outbox: [] });
    expect(snapshot.storageBytes).toBeGreaterThan(0);
    expect(JSON.stringify(snapshot)).not.toContain(ana.username);
  });
});

describe('folderBytes', () => {
  it('adds up the files at every depth and counts a missing folder as empty', () => {
    const dir = tempDir('dd-bytes-');
    try {
      fs.writeFileSync(path.join(dir, 'a'), Buffer.alloc(100));
      fs.mkdirSync(path.join(dir, 'evidence', 'ab'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'evidence', 'ab', 'file'), Buffer.alloc(50));
      expect(folderBytes(dir)).toBe(150);
      expect(folderBytes(path.join(dir, 'missing'))).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
