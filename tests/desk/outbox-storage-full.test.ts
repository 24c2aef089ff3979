// A verdict that meets a full disk on the server (issue #11): the server answers 503 storage_full and keeps
// nothing, but the step-up has already spent the code (auth/stepup.ts writes that on its own, so a refused
// code is never rolled back into a free retry). The desk must not lose the verdict, must not go on sending a
// spent code, and must say plainly what happened and ask for a fresh code; with one, the verdict goes again
// under its original key and the escrow moves once. The disk is filled for real as SQLite sees it.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withInputChecks } from '../../electron/desk/handlers';
import { createOutbox, type Outbox } from '../../electron/desk/outbox/outbox';
import { findCommand } from '../../electron/desk/outbox/store';
import { addCase, addUser, freshCode, tempDir, type TestUser } from '../server/harness';
import { escrowOf, expectConsistent, footprint } from '../server/fixtures/case-api';
import { openTestDesk, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

// Longer than a page in each place it is stored, so the verdict cannot fit in the slack of the file's pages.
const VERDICT = {
  outcome: 'release',
  reasonCode: 'payment_confirmed',
  rationale: 'The bank statement shows the payment reached the seller. '.repeat(70).trim(),
} as const;

let platform: Platform;
let dataDir: string;
let ana: TestUser;
let caseId: string;
const opened: Array<{ desk: TestDesk; outbox: Outbox }> = [];

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-storage-full-');
  ana = addUser(platform.server.ctx, 'agent');
  caseId = addCase(platform.server.ctx);
});

afterEach(async () => {
  for (const entry of opened.splice(0)) {
    await entry.outbox.close();
    entry.desk.close();
  }
  expectConsistent(platform.server);
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function deskFor(user: TestUser) {
  const desk = openTestDesk(dataDir, platform.proxy.url);
  await signIn(desk, platform.server, user);
  const outbox = createOutbox(desk.ctx, {
    platform: desk.api,
    currentUser: () => desk.session.user(),
    backoff: { baseMs: 20, maxMs: 160 },
    random: () => 0.5,
  });
  opened.push({ desk, outbox });
  return { desk, outbox, handlers: withInputChecks(outbox.handlers) };
}

/** Not a page more than the server's file has now: the next write that needs one fails with SQLITE_FULL. */
function fillServerDisk(): void {
  const db = platform.server.ctx.db;
  db.exec('VACUUM');
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

const freeServerDisk = () => platform.server.ctx.db.pragma('max_page_count = 4294967294');

const verdictAttempts = () =>
  platform.proxy.requests.filter((r) => r.method === 'POST' && r.path === `/v1/cases/${caseId}/verdict`);

describe('a verdict answered 503 storage_full', () => {
  it('waits for a fresh code with a plain reason, sends no spent code again, and goes out once with the new one', async () => {
    const { desk, outbox, handlers } = await deskFor(ana);
    expect((await handlers['case.claim']!({ caseId })).state).toBe('confirmed');
    const before = footprint(platform.server);
    fillServerDisk();

    const spent = freshCode(platform.server, ana);
    const entry = await handlers['case.verdict']!({ caseId, ...VERDICT, totp: spent });

    // Nothing kept on the server, the verdict kept on the desk, waiting for the agent rather than retrying.
    expect(footprint(platform.server)).toEqual(before);
    expect(escrowOf(platform.server, caseId).state).toBe('held');
    expect(entry).toMatchObject({ state: 'needs_code', error: { code: 'storage_full' } });
    expect(entry.error?.message).toMatch(/could not save/i);
    expect(entry.error?.message).toMatch(/nothing was kept/i);
    expect(entry.error?.message).toMatch(/fresh code/i);
    const stored = findCommand(desk.ctx.own, entry.id)!;
    expect(JSON.parse(stored.payload)).toMatchObject({ ...VERDICT, totp: null });
    // The retry timer does not send the spent code again, however long the desk waits.
    await outbox.resume();
    expect(verdictAttempts()).toHaveLength(1);
    expect(findCommand(desk.ctx.own, entry.id)).toMatchObject({ state: 'needs_code' });

    // The server has room again; the same code would be refused as spent, so the agent gives the next one.
    freeServerDisk();
    platform.server.clock.advance(30_000);
    const fresh = freshCode(platform.server, ana);
    const resent = await handlers['case.verdictCode']!({ commandId: entry.id, totp: fresh });

    expect(resent).toMatchObject({ id: entry.id, state: 'confirmed', error: null });
    expect(escrowOf(platform.server, caseId).state).toBe('released');
    const attempts = verdictAttempts();
    expect(attempts).toHaveLength(2);
    expect(new Set(attempts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
    expect(footprint(platform.server).verdicts).toBe(before.verdicts + 1);
    // Neither code was logged or shown to the renderer.
    const seen = JSON.stringify([desk.logs, desk.events]);
    expect(seen).not.toContain(spent);
    expect(seen).not.toContain(fresh);
  });

  it('the spent code is refused by the server even though the verdict was rolled back', async () => {
    const { handlers } = await deskFor(ana);
    await handlers['case.claim']!({ caseId });
    fillServerDisk();
    const spent = freshCode(platform.server, ana);
    const entry = await handlers['case.verdict']!({ caseId, ...VERDICT, totp: spent });
    expect(entry.error?.code).toBe('storage_full');
    freeServerDisk();

    // The same code within its time window: the step-up kept it as used (its own write, outside the rolled
    // back verdict), so only a fresh code can move the escrow.
    const again = await handlers['case.verdictCode']!({ commandId: entry.id, totp: spent });
    expect(again).toMatchObject({ state: 'needs_code', error: { code: 'totp_replayed' } });
    expect(escrowOf(platform.server, caseId).state).toBe('held');
  });
});
