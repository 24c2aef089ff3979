// The case detail's `escrow.settlement`: what took the escrow out of `held` and when. A release or cancel
// that happened on the exchange before the dispute opened (and arrived after it) resolves the case without
// a verdict, and the detail says so; a verdict's move says `verdict`; a held escrow has none.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { PlatformEvent } from '../../shared/api/platform-events';
import { caseDetail } from '../../shared/api/responses';
import type { CaseDetail } from '../../shared/api/types';
import { claim, expectConsistent, FOUR_EYES_TRADE, postVerdict, verdictInput } from './fixtures/case-api';
import { event, sendRaw, tradeOpened } from './fixtures/platform-events';
import { addUser, createTestServer, type TestServer, latestFeedDetail } from './harness';

// The outbound queue is not what this file is about.
vi.mock('../../electron/server/outbound/enqueue', () => ({ enqueueOutbound: () => undefined }));

let server: TestServer | undefined;
let base: string;

afterEach(async () => {
  if (!server) return;
  expectConsistent(server);
  await server.close();
  server = undefined;
});

async function start(): Promise<TestServer> {
  server = await createTestServer();
  base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return server;
}

const at = (running: TestServer, minutesAgo: number) => new Date(running.clock.now.getTime() - minutesAgo * 60_000);

async function send(running: TestServer, body: PlatformEvent) {
  const answer = await sendRaw(base, JSON.stringify(body), { now: running.clock.now });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body as { caseId: string | null };
}

/** The case as the feed last carried it to the desks, checked against the response schema. */
function latestDetail(running: TestServer, caseId: string): CaseDetail {
  return caseDetail.parse(latestFeedDetail(running.ctx, caseId));
}

/** A trade opened an hour ago and disputed 40 minutes ago; its id and case. */
async function disputedTrade(running: TestServer, overrides: Parameters<typeof tradeOpened>[1] = {}) {
  const opened = tradeOpened(at(running, 60), overrides);
  await send(running, opened);
  const { caseId } = await send(
    running,
    event('dispute.opened', at(running, 40), { tradeId: opened.data.tradeId, openedBy: 'buyer', reason: 'No libera.' }),
  );
  return { tradeId: opened.data.tradeId, caseId: caseId! };
}

describe('escrow.settlement in the case detail', () => {
  it('is null while the escrow is held', async () => {
    const running = await start();
    const { caseId } = await disputedTrade(running);
    expect(latestDetail(running, caseId).escrow.settlement).toBeNull();
  });

  it('names the late release and the time it happened on the exchange', async () => {
    const running = await start();
    const { tradeId, caseId } = await disputedTrade(running);
    await send(running, event('trade.released', at(running, 45), { tradeId }));
    const detail = latestDetail(running, caseId);
    expect(detail).toMatchObject({ status: 'resolved', verdict: null });
    expect(detail.escrow).toMatchObject({
      state: 'released',
      settlement: { cause: 'trade.released', at: at(running, 45).toISOString() },
    });
  });

  it('names the late cancel as a refund, and the four-eyes proposal it set aside stays readable', async () => {
    const running = await start();
    const { tradeId, caseId } = await disputedTrade(running, { ...FOUR_EYES_TRADE, fiatCurrency: 'USD' });
    const agent = addUser(running.ctx, 'agent');
    await claim(running, agent, caseId);
    const proposal = await postVerdict(running, agent, caseId, verdictInput(running, agent, { outcome: 'release' }));
    expect(proposal.status, JSON.stringify(proposal.body)).toBe(200);
    await send(running, event('trade.cancelled', at(running, 50), { tradeId, reason: 'El comprador no pagó.' }));
    const detail = latestDetail(running, caseId);
    expect(detail.escrow).toMatchObject({
      state: 'refunded',
      settlement: { cause: 'trade.cancelled', at: at(running, 50).toISOString() },
    });
    expect(detail.verdict).toMatchObject({ state: 'rejected', rejectedBy: { username: 'platform' } });
  });

  it('says verdict when an agent decided', async () => {
    const running = await start();
    const { caseId } = await disputedTrade(running);
    const agent = addUser(running.ctx, 'agent');
    await claim(running, agent, caseId);
    const verdict = await postVerdict(running, agent, caseId, verdictInput(running, agent, { outcome: 'refund' }));
    expect(verdict.status, JSON.stringify(verdict.body)).toBe(200);
    expect(latestDetail(running, caseId).escrow).toMatchObject({
      state: 'refunded',
      settlement: { cause: 'verdict', at: running.clock.now.toISOString() },
    });
  });

  it('still parses a detail without it, as a desk cached it from an older server', async () => {
    const running = await start();
    const { caseId } = await disputedTrade(running);
    const older = structuredClone(latestDetail(running, caseId));
    delete older.escrow.settlement;
    expect(caseDetail.safeParse(older).success).toBe(true);
  });
});
