// The supervisor's side of the desk against the real platform server on a loopback port: the verdict
// history with its filters and pages, its CSV as a file to save, the per-agent figures, the week's review
// sample and a scorecard; other roles are refused in the desk with a readable message.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { joinHandlers, withInputChecks } from '../../electron/desk/handlers';
import { supervisionHandlers } from '../../electron/desk/supervision/handlers';
import { addCase, addUser, tempDir, type TestUser } from '../server/harness';
import { claim, expectConsistent, postVerdict, verdictInput } from '../server/fixtures/case-api';
import { openTestDesk, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

let platform: Platform;
let dataDir: string;
let sofia: TestUser;
let ana: TestUser;
let bruno: TestUser;
const opened: TestDesk[] = [];

async function deskFor(user: TestUser) {
  const desk = openTestDesk(dataDir, platform.proxy.url);
  await signIn(desk, platform.server, user);
  opened.push(desk);
  return { desk, handlers: withInputChecks(joinHandlers(supervisionHandlers({ api: desk.api, session: desk.session }))) };
}

async function decide(agent: TestUser, outcome: 'release' | 'refund'): Promise<string> {
  const caseId = addCase(platform.server.ctx);
  expect((await claim(platform.server, agent, caseId)).status).toBe(200);
  const body = verdictInput(platform.server, agent, outcome === 'refund' ? { outcome, reasonCode: 'payment_not_received' } : {});
  expect((await postVerdict(platform.server, agent, caseId, body)).status).toBe(200);
  return caseId;
}

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-supervision-');
  sofia = addUser(platform.server.ctx, 'supervisor');
  ana = addUser(platform.server.ctx, 'agent');
  bruno = addUser(platform.server.ctx, 'agent');
  await decide(ana, 'release');
  await decide(ana, 'refund');
  await decide(bruno, 'release');
});

afterEach(async () => {
  for (const desk of opened.splice(0)) if (desk.ctx.db.open) desk.close();
  expectConsistent(platform.server);
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the verdict history', () => {
  it('reads pages with filters from the server', async () => {
    const { handlers } = await deskFor(sofia);
    const all = await handlers['verdicts.list']!({});
    expect(all.items).toHaveLength(3);
    expect(all.nextCursor).toBeNull();
    const anas = await handlers['verdicts.list']!({ agentId: ana.id, outcome: 'refund' });
    expect(anas.items.map((item) => [item.agent.id, item.outcome])).toEqual([[ana.id, 'refund']]);
    const first = await handlers['verdicts.list']!({ limit: 2 });
    expect(first.items).toHaveLength(2);
    const second = await handlers['verdicts.list']!({ limit: 2, cursor: first.nextCursor });
    expect([...first.items, ...second.items].map((item) => item.caseId)).toEqual(all.items.map((item) => item.caseId));
    // A day window: the harness's clock is on 2026-11-24.
    expect((await handlers['verdicts.list']!({ from: '2026-11-24', to: '2026-11-24' })).items).toHaveLength(3);
    expect((await handlers['verdicts.list']!({ to: '2026-11-23' })).items).toHaveLength(0);
  });

  it('refuses bad filters before asking the server, and the server refuses what only it can judge', async () => {
    const { handlers } = await deskFor(sofia);
    await expect(handlers['verdicts.list']!({ outcome: 'maybe' } as never)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(handlers['verdicts.list']!({ from: '24/11/2026' })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(handlers['verdicts.list']!({ from: '2026-11-25', to: '2026-11-24' })).rejects.toMatchObject({
      code: 'invalid_request',
      message: 'to: must come after from',
    });
  });

  it('downloads the filtered history as a CSV file', async () => {
    const { handlers } = await deskFor(sofia);
    const file = await handlers['verdicts.csv']!({ agentId: ana.id });
    expect(file).toMatchObject({ fileName: `verdicts-${ana.id}.csv`, mime: 'text/csv' });
    const lines = Buffer.from(file.base64, 'base64').toString('utf8').split('\r\n');
    expect(lines[0]).toMatch(/^case_id,agent_username,/);
    expect(lines.slice(1, -1)).toHaveLength(2);
    expect(lines.slice(1, -1).every((line) => line.split(',')[1] === ana.username)).toBe(true);
  });
});

describe('figures and the quality review', () => {
  it('reads the figures, the last ended week’s sample, and sends a scorecard that the figures then count', async () => {
    // The verdicts were decided this week: it is open, with nothing drawn yet.
    const early = await deskFor(sofia);
    expect(await early.handlers['reviews.week']!({ week: '2026-W48' })).toMatchObject({ status: 'open', drawnAt: null, items: [] });
    // A week on (a new sign-in), 2026-W48 has ended and is the one the review opens on.
    platform.server.clock.advance(7 * 86_400_000);
    const { handlers } = await deskFor(sofia);
    const before = await handlers['verdicts.agents']!({});
    const anaBefore = before.agents.find((row) => row.agent.id === ana.id)!;
    expect(anaBefore).toMatchObject({ resolved: 2, releases: 1, refunds: 1, releaseShare: 0.5, reviewsDone: 0 });

    const week = await handlers['reviews.week']!({});
    expect(week).toMatchObject({ week: '2026-W48', status: 'drawn' });
    expect(week.items).toHaveLength(3);
    const target = week.items.find((item) => item.verdict.agent.id === ana.id)!;
    await expect(
      handlers['reviews.submit']!({ reviewId: target.id, evidenceSufficient: true, reasonCodeRight: true, rationaleClear: true, payoutRight: false }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/comment/) });
    const done = await handlers['reviews.submit']!({
      reviewId: target.id,
      evidenceSufficient: true,
      reasonCodeRight: true,
      rationaleClear: true,
      payoutRight: false,
      comment: 'The seller’s statement shows no credit.',
    });
    expect(done).toMatchObject({ status: 'done', scorecard: { score: 3, payoutRight: false } });
    await expect(
      handlers['reviews.submit']!({ reviewId: target.id, evidenceSufficient: true, reasonCodeRight: true, rationaleClear: true, payoutRight: true }),
    ).rejects.toMatchObject({ code: 'review_already_done' });

    const after = await handlers['verdicts.agents']!({});
    expect(after.agents.find((row) => row.agent.id === ana.id)).toMatchObject({ reviewsDone: 1, overturned: 1, averageReviewScore: 3 });
    expect((await handlers['reviews.week']!({ week: '2026-W48' })).items.find((item) => item.id === target.id)!.status).toBe('done');
  });

  it('refuses agents and compliance reviewers in the desk, before anything is sent', async () => {
    for (const user of [ana, addUser(platform.server.ctx, 'compliance')]) {
      const { handlers } = await deskFor(user);
      const sentBefore = platform.proxy.requests.length;
      for (const refusal of [
        handlers['verdicts.list']!({}),
        handlers['verdicts.csv']!({}),
        handlers['verdicts.agents']!({}),
        handlers['reviews.week']!({}),
        handlers['deliveries.list']!({}),
        handlers['deliveries.retry']!({ deliveryId: 'evt_x' }),
        handlers['reviews.submit']!({ reviewId: 'REV-x', evidenceSufficient: true, reasonCodeRight: true, rationaleClear: true, payoutRight: true }),
      ]) {
        await expect(refusal).rejects.toMatchObject({ code: 'forbidden', message: expect.stringMatching(/^Only supervisors/) });
      }
      expect(platform.proxy.requests.length).toBe(sentBefore);
      opened.pop()!.close();
    }
  });
});

describe('the delivery log', () => {
  it('reads the outbound events from the server and sends a given-up one again', async () => {
    // This platform has no outbound URL: the given-up event is put in its queue directly (the delivery
    // itself is tested in tests/server/outbound.test.ts).
    platform.server.ctx.db
      .prepare(
        `INSERT INTO outbound_events (id, type, trade_id, case_id, body, created_at, state, attempts, next_attempt_at, last_status, last_error)
         VALUES ('evt_desk', 'verdict.executed', 'T-9', 'DSP-9', '{}', ?, 'failed', 40, NULL, 503, 'the exchange answered 503')`,
      )
      .run(platform.server.clock.now.toISOString());
    const { handlers } = await deskFor(sofia);
    const log = await handlers['deliveries.list']!({ state: 'failed' });
    expect(log).toMatchObject({
      outbound: { configured: false, host: null },
      counts: { pending: 0, delivered: 0, failed: 1 },
      items: [{ id: 'evt_desk', type: 'verdict.executed', tradeId: 'T-9', caseId: 'DSP-9', attempts: 40, lastStatus: 503 }],
      nextCursor: null,
    });
    expect(await handlers['deliveries.retry']!({ deliveryId: 'evt_desk' })).toMatchObject({ state: 'pending', attempts: 0 });
    await expect(handlers['deliveries.retry']!({ deliveryId: 'evt_desk' })).rejects.toMatchObject({ code: 'delivery_not_failed' });
    await expect(handlers['deliveries.list']!({ state: 'lost' } as never)).rejects.toMatchObject({ code: 'invalid_request' });
  });
});
