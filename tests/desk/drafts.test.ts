// Drafts are local to the desk, per user and case, in SQLite: they survive an ended session and a restart
// (a reopen of the desk's database), and a verdict draft never holds an authentication code. Sign-out
// deletes them (storage/purge.ts; tested with the whole service in storage.test.ts).
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDrafts } from '../../electron/desk/drafts/drafts';
import { withInputChecks } from '../../electron/desk/handlers';
import type { SignedInUser } from '../../electron/desk/outbox/platform';
import { addUser, tempDir } from '../server/harness';
import { openTestDesk, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

const DRAFT = {
  message: 'Please send the bank statement for 24 November.',
  note: 'Receipt looks edited: the amount font differs.',
  verdict: { outcome: 'refund', reasonCode: 'fake_or_edited_receipt', rationale: 'The receipt was edited.' },
} as const;

let dataDir: string;
const desks: TestDesk[] = [];

function deskAs(user: SignedInUser | null, baseUrl = 'http://127.0.0.1:9') {
  const desk = openTestDesk(dataDir, baseUrl);
  desks.push(desk);
  // As the desk service does: every input is checked against its channel's schema before a handler runs.
  return { desk, handlers: withInputChecks(createDrafts(desk.ctx, { currentUser: () => user }).handlers) };
}

beforeEach(() => {
  dataDir = tempDir('dd-desk-drafts-');
});

afterEach(() => {
  for (const desk of desks.splice(0)) if (desk.ctx.db.open) desk.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('drafts', () => {
  const ana = { id: 'USR-ana', role: 'agent' } as const;
  const bruno = { id: 'USR-bruno', role: 'agent' } as const;

  it('are empty until saved, and come back as saved after the desk database is reopened', async () => {
    const first = deskAs(ana);
    expect(await first.handlers['drafts.get']!({ caseId: 'DSP-1' })).toEqual({
      message: '',
      note: '',
      verdict: null,
    });
    expect(await first.handlers['drafts.save']!({ caseId: 'DSP-1', draft: DRAFT })).toEqual(DRAFT);
    first.desk.close();

    const second = deskAs(ana);
    expect(await second.handlers['drafts.get']!({ caseId: 'DSP-1' })).toEqual(DRAFT);
    expect(await second.handlers['drafts.get']!({ caseId: 'DSP-2' })).toEqual({
      message: '',
      note: '',
      verdict: null,
    });
  });

  it('belong to the user who wrote them', async () => {
    await deskAs(ana).handlers['drafts.save']!({ caseId: 'DSP-1', draft: { note: 'Ana’s note' } });
    const asBruno = deskAs(bruno).handlers;
    expect(await asBruno['drafts.get']!({ caseId: 'DSP-1' })).toEqual({
      message: '',
      note: '',
      verdict: null,
    });
    await asBruno['drafts.save']!({ caseId: 'DSP-1', draft: { note: 'Bruno’s note' } });
    expect(await deskAs(ana).handlers['drafts.get']!({ caseId: 'DSP-1' })).toMatchObject({
      note: 'Ana’s note',
    });
  });

  it('fill in what a partial draft leaves out, and leave no row once emptied', async () => {
    const { desk, handlers } = deskAs(ana);
    expect(await handlers['drafts.save']!({ caseId: 'DSP-1', draft: { message: 'Hello' } })).toEqual({
      message: 'Hello',
      note: '',
      verdict: null,
    });
    await handlers['drafts.save']!({ caseId: 'DSP-1', draft: {} });
    expect(desk.ctx.own.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 0 });
  });

  it('refuse a verdict draft carrying an authentication code, and never store one', async () => {
    const { desk, handlers } = deskAs(ana);
    await expect(
      handlers['drafts.save']!({
        caseId: 'DSP-1',
        draft: { verdict: { ...DRAFT.verdict, totp: '123456' } } as never,
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(desk.ctx.own.prepare('SELECT COUNT(*) AS n FROM drafts').get()).toEqual({ n: 0 });
  });

  it('need someone signed in', async () => {
    const { handlers } = deskAs(null);
    await expect(handlers['drafts.get']!({ caseId: 'DSP-1' })).rejects.toMatchObject({ code: 'signed_out' });
    await expect(handlers['drafts.save']!({ caseId: 'DSP-1', draft: {} })).rejects.toMatchObject({
      code: 'signed_out',
    });
  });

  it('read a stored draft that no longer fits the schema as an empty one', async () => {
    const { desk, handlers } = deskAs(ana);
    desk.ctx.own
      .prepare(
        "INSERT INTO drafts (user_id, case_id, data, updated_at) VALUES (?, 'DSP-1', ?, '2026-01-01T00:00:00.000Z')",
      )
      .run(ana.id, JSON.stringify({ message: 42 }));
    expect(await handlers['drafts.get']!({ caseId: 'DSP-1' })).toEqual({
      message: '',
      note: '',
      verdict: null,
    });
  });
});

describe('drafts with the real session', () => {
  let platform: Platform;

  beforeEach(async () => {
    platform = await startPlatform();
  });

  afterEach(async () => {
    await platform.close();
  });

  // Signing out deletes them with the rest of the user's data (the desk service's purge, tests/desk/storage.test.ts).
  it('survive an ended session and a restart', async () => {
    const ana = addUser(platform.server.ctx, 'agent');
    const open = () => {
      const desk = openTestDesk(dataDir, platform.proxy.url);
      desks.push(desk);
      return { desk, handlers: createDrafts(desk.ctx, { currentUser: () => desk.session.user() }).handlers };
    };
    const first = open();
    await signIn(first.desk, platform.server, ana);
    await first.handlers['drafts.save']!({ caseId: 'DSP-1', draft: DRAFT });

    expect(await first.handlers['drafts.get']!({ caseId: 'DSP-1' })).toEqual(DRAFT);
    expect(await first.handlers['drafts.count']!(undefined)).toEqual({ count: 1 });

    // The session ends on the server; the desk learns it on its next call.
    platform.server.ctx.db.prepare('DELETE FROM sessions').run();
    await expect(first.desk.api.get('/v1/me')).rejects.toMatchObject({ status: 401 });
    expect(first.desk.session.user()).toBeNull();
    first.desk.close();

    const second = open();
    await signIn(second.desk, platform.server, ana);
    expect(await second.handlers['drafts.get']!({ caseId: 'DSP-1' })).toEqual(DRAFT);
  });
});
