// The supervisor's workspace (issue #9): the verdict history with its filters, keyset pages and CSV
// export, the per-agent figures, and the weekly verdict quality review (sample and scorecards).
import { afterEach, describe, expect, it } from 'vitest';
import { reviewItem, reviewWeek, verdictFigures, verdictPage } from '../../shared/api/responses';
import type { AgentFigures, ReviewItem, ReviewWeek, VerdictRecord } from '../../shared/api/types';
import { isoWeekOf, isoWeekRange } from '../../shared/domain/iso-week';
import { readAudit } from '../../electron/server/audit/chain';
import { csvField, verdictCsv } from '../../electron/server/supervision/csv';
import { median } from '../../electron/server/supervision/figures';
import { drawSample, sampleSize } from '../../electron/server/supervision/reviews';
import { approve, call, claim, expectConsistent, FOUR_EYES_TRADE, newKey, postVerdict, reject, verdictInput } from './fixtures/case-api';
import { addCase, addUser, advanceSignedIn, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

const HOUR = 3_600_000;
// The harness's clock starts on Tuesday 2026-11-24, in ISO week 2026-W48; the setUp's verdicts are decided
// in it, and its sample can be drawn from Monday 2026-11-30 on.
const WEEK = '2026-W48';
const WEEK_ENDS = Date.parse('2026-11-30T00:00:00.000Z');

/** Moves the clock to Monday morning of the next week: WEEK has ended (the users stay signed in). */
const endWeek = () => advanceSignedIn(server, WEEK_ENDS + 8 * HOUR - server.clock.now.getTime());

interface World {
  ana: TestUser;
  bruno: TestUser;
  idle: TestUser;
  sofia: TestUser;
  marta: TestUser;
  carla: TestUser;
  /** caseId → the moment its verdict was carried out and when it opened. */
  decided: Map<string, { openedAt: number; decidedAt: number }>;
  fourEyesCase: string;
}

/** Opens a case `hoursAgo` before now and has `agent` decide it; returns its id. */
async function decide(
  world: Pick<World, 'decided'>,
  agent: TestUser,
  hoursAgo: number,
  verdict: { outcome?: 'release' | 'refund'; asset?: string } = {},
): Promise<string> {
  const openedAt = new Date(server.clock.now.getTime() - hoursAgo * HOUR);
  const caseId = addCase(server.ctx, {
    openedAt,
    tradeCreatedAt: new Date(openedAt.getTime() - 2 * HOUR),
    paidAt: new Date(openedAt.getTime() - HOUR),
    ...(verdict.asset === 'BTC' ? { asset: 'BTC', amount: '0.01000000' } : {}),
  });
  expect((await claim(server, agent, caseId)).status).toBe(200);
  const outcome = verdict.outcome ?? 'release';
  const answer = await postVerdict(
    server,
    agent,
    caseId,
    verdictInput(server, agent, outcome === 'refund' ? { outcome, reasonCode: 'payment_not_received' } : {}),
  );
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  world.decided.set(caseId, { openedAt: openedAt.getTime(), decidedAt: server.clock.now.getTime() });
  return caseId;
}

/**
 * Ana: three releases (one in BTC; two with `anaReleases: 2`) and a four-eyes refund sent back once then
 * approved; Bruno: one refund.
 */
async function setUp({ anaReleases = 3 } = {}): Promise<World> {
  server = await createTestServer();
  const world: World = {
    ana: addUser(server.ctx, 'agent', 'ana'),
    bruno: addUser(server.ctx, 'agent', 'bruno'),
    idle: addUser(server.ctx, 'agent', 'idle'),
    sofia: addUser(server.ctx, 'supervisor', 'sofia'),
    marta: addUser(server.ctx, 'supervisor', 'marta'),
    carla: addUser(server.ctx, 'compliance', 'carla'),
    decided: new Map(),
    fourEyesCase: '',
  };
  await decide(world, world.ana, 1);
  await decide(world, world.ana, 3, { asset: 'BTC' });
  await decide(world, world.bruno, 5, { outcome: 'refund' });
  if (anaReleases > 2) await decide(world, world.ana, 2);

  const big = addCase(server.ctx, FOUR_EYES_TRADE);
  const openedAt = Date.parse(
    (server.ctx.db.prepare('SELECT opened_at AS at FROM cases WHERE id = ?').get(big) as { at: string }).at,
  );
  expect((await claim(server, world.ana, big)).status).toBe(200);
  const refund = () => verdictInput(server, world.ana, { outcome: 'refund', reasonCode: 'payment_not_received' });
  expect((await postVerdict(server, world.ana, big, refund())).status).toBe(200);
  expect((await reject(server, world.sofia, big)).status).toBe(200);
  expect((await postVerdict(server, world.ana, big, refund())).status).toBe(200);
  expect((await approve(server, world.sofia, big)).status).toBe(200);
  world.decided.set(big, { openedAt, decidedAt: server.clock.now.getTime() });
  world.fourEyesCase = big;
  return world;
}

const history = async (user: TestUser, query = '') => call(server, user, 'GET', `/v1/verdicts${query ? `?${query}` : ''}`);
const figures = async (user: TestUser, query = '') =>
  call(server, user, 'GET', `/v1/verdicts/agents${query ? `?${query}` : ''}`);
const week = async (user: TestUser, query = `week=${WEEK}`) => call(server, user, 'GET', `/v1/reviews?${query}`);
const score = (user: TestUser, id: string, body: unknown, headers: Record<string, string> = {}) =>
  call(server, user, 'POST', `/v1/reviews/${id}`, body, headers);
/** What the quality review has written: weeks drawn, sampled verdicts, and the whole audit log's length. */
const stored = () => ({
  weeks: (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM review_weeks').get() as { n: number }).n,
  samples: (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM verdict_reviews').get() as { n: number }).n,
  audit: readAudit(server.ctx.db, 0, 10_000).length,
});
const ALL_YES = { evidenceSufficient: true, reasonCodeRight: true, rationaleClear: true, payoutRight: true };

async function csvOf(user: TestUser, query = '') {
  const response = await server.app.inject({
    method: 'GET',
    url: `/v1/verdicts?format=csv${query ? `&${query}` : ''}`,
    headers: { authorization: `Bearer ${user.token}` },
  });
  return { status: response.statusCode, type: response.headers['content-type'], body: response.body };
}

describe('who may read verdicts and review them', () => {
  it('supervisors only: agents and compliance get 403, no token 401, and nothing is drawn for them', async () => {
    const { ana, carla } = await setUp();
    endWeek();
    for (const user of [ana, carla]) {
      for (const url of ['/v1/verdicts', '/v1/verdicts?format=csv', '/v1/verdicts/agents', `/v1/reviews?week=${WEEK}`]) {
        const answer = await call(server, user, 'GET', url);
        expect(answer.status, `${user.role} ${url}`).toBe(403);
        expect(answer.body.error.code).toBe('forbidden');
      }
      const posted = await score(user, `REV-${WEEK}-DSP-T00001`, ALL_YES);
      expect(posted.status).toBe(403);
    }
    expect((await call(server, null, 'GET', '/v1/verdicts')).status).toBe(401);
    expect(server.ctx.db.prepare('SELECT COUNT(*) AS n FROM review_weeks').get()).toEqual({ n: 0 });
  });
});

describe('GET /v1/verdicts', () => {
  it('lists executed verdicts newest first, with agent, approver, time to resolve and proposals sent back', async () => {
    const world = await setUp();
    const answer = await history(world.sofia);
    expect(answer.status).toBe(200);
    expect(verdictPage.safeParse(answer.body).success).toBe(true);
    const items = answer.body.items as VerdictRecord[];
    expect(items).toHaveLength(5);
    const expectedOrder = [...world.decided.entries()].sort((a, b) => b[1].decidedAt - a[1].decidedAt).map(([id]) => id);
    expect(items.map((item) => item.caseId)).toEqual(expectedOrder);
    for (const item of items) {
      const known = world.decided.get(item.caseId)!;
      expect(item.timeToResolveSeconds).toBe(Math.round((known.decidedAt - known.openedAt) / 1000));
      expect(item.decidedAt).toBe(new Date(known.decidedAt).toISOString());
    }
    const big = items.find((item) => item.caseId === world.fourEyesCase)!;
    expect(big).toMatchObject({
      agent: { id: world.ana.id, username: 'ana' },
      outcome: 'refund',
      reasonCode: 'payment_not_received',
      asset: 'USDT',
      amount: '15000.000000',
      fiatCurrency: 'USD',
      fiatAmount: '15000.00',
      approver: { id: world.sofia.id, username: 'sofia' },
      sentBackCount: 1,
    });
    expect(items.filter((item) => item.caseId !== world.fourEyesCase).every((item) => item.approver === null && item.sentBackCount === 0)).toBe(true);
    // Open and pending cases are not in the history.
    addCase(server.ctx);
    expect(((await history(world.sofia)).body.items as unknown[]).length).toBe(5);
  });

  it('filters by agent, outcome, asset and decision window', async () => {
    const world = await setUp();
    const ids = async (query: string) => ((await history(world.sofia, query)).body.items as VerdictRecord[]).map((item) => item.caseId);
    const all = (await history(world.sofia)).body.items as VerdictRecord[];
    expect(await ids(`agent=${world.bruno.id}`)).toEqual(all.filter((item) => item.agent.id === world.bruno.id).map((item) => item.caseId));
    expect(await ids(`agent=${world.bruno.id}`)).toHaveLength(1);
    expect(await ids('outcome=refund')).toHaveLength(2);
    expect(await ids(`outcome=release&agent=${world.ana.id}`)).toHaveLength(3);
    expect(await ids('asset=BTC')).toHaveLength(1);
    expect(await ids('agent=USR-nobody')).toEqual([]);
    // The window: from inclusive, to exclusive; a date as `to` takes in that whole day.
    const oldest = all.at(-1)!;
    const newest = all[0]!;
    expect(await ids(`from=${encodeURIComponent(newest.decidedAt)}`)).toEqual([newest.caseId]);
    expect(await ids(`to=${encodeURIComponent(oldest.decidedAt)}`)).toEqual([]);
    const day = newest.decidedAt.slice(0, 10);
    expect(await ids(`from=${day}&to=${day}`)).toHaveLength(5);
    expect(await ids('to=2026-11-23')).toEqual([]);
    expect(await ids('from=2026-11-25')).toEqual([]);
    // Empty parameters mean "not given".
    expect(await ids('agent=&outcome=&asset=&from=&to=')).toHaveLength(5);
  });

  it('refuses bad filters with 400 invalid_request', async () => {
    const { sofia } = await setUp();
    for (const query of [
      'outcome=maybe',
      'asset=DOGE',
      'from=yesterday',
      'from=2026-02-30',
      'to=2026-13-01',
      'from=2026-11-24T25:00:00Z',
      'from=2026-11-24&to=2026-11-23',
      'cursor=not-a-cursor',
      'limit=0',
      'format=xlsx',
    ]) {
      const answer = await history(sofia, query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code, query).toBe('invalid_request');
    }
    // A reversed window names the field once, on the history and on the figures alike.
    for (const reversed of [history(sofia, 'from=2026-11-24&to=2026-11-23'), figures(sofia, 'from=2026-11-24&to=2026-11-23')]) {
      expect((await reversed).body.error).toEqual({ code: 'invalid_request', message: 'to: must come after from' });
    }
  });

  it('pages by keyset: every row once, in order, whatever the page size', async () => {
    const world = await setUp();
    const all = ((await history(world.sofia)).body.items as VerdictRecord[]).map((item) => item.caseId);
    for (const limit of [1, 2, 4]) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const answer = await history(world.sofia, `limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        const items = answer.body.items as VerdictRecord[];
        expect(items.length).toBeLessThanOrEqual(limit);
        seen.push(...items.map((item) => item.caseId));
        cursor = answer.body.nextCursor as string | null;
        pages += 1;
      } while (cursor !== null);
      expect(seen, `limit ${limit}`).toEqual(all);
      expect(pages).toBe(Math.ceil(all.length / limit));
    }
    // A page size above the maximum is clamped, not refused.
    expect((await history(world.sofia, 'limit=100000')).status).toBe(200);
  });

  it('reads pages through the index on the decision time', async () => {
    await setUp();
    const plan = server.ctx.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT v.case_id FROM verdicts v WHERE v.state = 'executed'
         ORDER BY COALESCE(v.approved_at, v.proposed_at) DESC, v.case_id DESC LIMIT 10`,
      )
      .all() as { detail: string }[];
    expect(plan.map((row) => row.detail).join(' | ')).toMatch(/verdicts_executed_by_decision/);
  });
});

describe('GET /v1/verdicts?format=csv', () => {
  it('exports every filtered row with a header, no page limit', async () => {
    const world = await setUp();
    const answer = await csvOf(world.sofia, 'limit=1');
    expect(answer.status).toBe(200);
    expect(answer.type).toMatch(/^text\/csv/);
    const lines = answer.body.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      'case_id,agent_username,agent_name,outcome,reason_code,asset,amount,fiat_currency,fiat_amount,opened_at,decided_at,time_to_resolve_seconds,approver_username,approver_name,sent_back_count',
    );
    const rows = lines.slice(1, -1);
    const json = (await history(world.sofia)).body.items as VerdictRecord[];
    expect(rows).toHaveLength(json.length);
    const big = json.find((item) => item.caseId === world.fourEyesCase)!;
    expect(rows).toContain(
      [big.caseId, 'ana', 'Test ana', 'refund', 'payment_not_received', 'USDT', '15000.000000', 'USD', '15000.00', big.openedAt,
        big.decidedAt, String(big.timeToResolveSeconds), 'sofia', 'Test sofia', '1'].join(','),
    );
    const refunds = (await csvOf(world.sofia, 'outcome=refund')).body.split('\r\n').slice(1, -1);
    expect(refunds).toHaveLength(2);
    expect(refunds.every((row) => row.split(',')[3] === 'refund')).toBe(true);
    expect((await csvOf(world.sofia, 'outcome=nope')).status).toBe(400);
  });

  it('quotes commas, quotes and line breaks, and defuses cells a spreadsheet would run as formulas', async () => {
    const world = await setUp();
    server.ctx.db.prepare('UPDATE users SET display_name = ? WHERE id = ?').run('=HYPERLINK("http://x","Ana, A.")', world.ana.id);
    server.ctx.db.prepare('UPDATE users SET display_name = ? WHERE id = ?').run('Bruno\n"B"', world.bruno.id);
    const body = (await csvOf(world.sofia)).body;
    expect(body).toContain(`,ana,"'=HYPERLINK(""http://x"",""Ana, A."")",`);
    expect(body).toContain(`,bruno,"Bruno\n""B""",`);
    for (const [input, output] of [
      ['+1', "'+1"],
      ['-2', "'-2"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['plain', 'plain'],
      ['a,b', '"a,b"'],
    ] as const) {
      expect(csvField(input), input).toBe(output);
    }
    // Numbers are numbers: no guard on a count or an amount.
    expect(csvField(42)).toBe('42');
    expect(csvField(null)).toBe('');
    expect(verdictCsv([]).split('\r\n')).toHaveLength(2);
  });
});

describe('GET /v1/verdicts/agents', () => {
  it('counts, medians and ratios per agent on known data, every agent listed', async () => {
    const world = await setUp();
    const answer = await figures(world.sofia);
    expect(answer.status).toBe(200);
    expect(verdictFigures.safeParse(answer.body).success).toBe(true);
    const byName = new Map((answer.body.agents as AgentFigures[]).map((row) => [row.agent.username, row]));
    expect([...byName.keys()].sort()).toEqual(['ana', 'bruno', 'idle']);
    const seconds = (agent: TestUser) =>
      [...world.decided.entries()]
        .filter(([caseId]) =>
          (server.ctx.db.prepare("SELECT proposed_by AS p FROM verdicts WHERE case_id = ? AND state = 'executed'").get(caseId) as { p: string }).p === agent.id,
        )
        .map(([, times]) => (times.decidedAt - times.openedAt) / 1000)
        .sort((a, b) => a - b);
    const anaSeconds = seconds(world.ana);
    expect(anaSeconds).toHaveLength(4);
    expect(byName.get('ana')).toMatchObject({
      resolved: 4,
      releases: 3,
      refunds: 1,
      releaseShare: 0.75,
      sentBack: 1,
      medianTimeToResolveSeconds: Math.round((anaSeconds[1]! + anaSeconds[2]!) / 2),
      reviewsDone: 0,
      overturned: 0,
      averageReviewScore: null,
    });
    expect(byName.get('bruno')).toMatchObject({ resolved: 1, releases: 0, refunds: 1, releaseShare: 0, sentBack: 0 });
    expect(byName.get('bruno')!.medianTimeToResolveSeconds).toBe(Math.round(seconds(world.bruno)[0]!));
    expect(byName.get('idle')).toMatchObject({ resolved: 0, medianTimeToResolveSeconds: null, releaseShare: null });
    // A window with nothing in it.
    const empty = await figures(world.sofia, 'from=2026-12-01');
    expect((empty.body.agents as AgentFigures[]).every((row) => row.resolved === 0 && row.sentBack === 0)).toBe(true);
    expect((await figures(world.sofia, 'to=2026-13-40')).status).toBe(400);
  });

  it('median of odd and even counts', () => {
    expect(median([])).toBeNull();
    expect(median([30])).toBe(30);
    expect(median([50, 10, 30])).toBe(30);
    expect(median([40, 10, 30, 20])).toBe(25);
  });
});

describe('the weekly verdict quality review', () => {
  it('samples up to three verdicts per agent (a tenth of a busy one), reproducibly', () => {
    expect([0, 1, 3, 4, 29, 30, 31, 45].map(sampleSize)).toEqual([0, 1, 3, 3, 3, 3, 4, 5]);
    const candidates = Array.from({ length: 12 }, (_, index) => ({ caseId: `DSP-${index}`, agentId: index % 3 === 0 ? 'B' : 'A' }));
    const first = drawSample(WEEK, candidates);
    expect(first).toHaveLength(6);
    expect(drawSample(WEEK, [...candidates].reverse()).map((c) => c.caseId).sort()).toEqual(first.map((c) => c.caseId).sort());
    expect(first.filter((c) => c.agentId === 'A')).toHaveLength(3);
    // Another week draws another sample from the same verdicts (at least one pick differs across a few weeks).
    const others = ['2026-W01', '2026-W02', '2026-W03'].map((w) => drawSample(w, candidates).map((c) => c.caseId).sort().join());
    expect(others.some((picks) => picks !== first.map((c) => c.caseId).sort().join())).toBe(true);
  });

  it('answers the current week open, drawing and writing nothing until it has ended', async () => {
    const world = await setUp();
    const auditBefore = readAudit(server.ctx.db, 0, 10_000).length;
    const open = await week(world.sofia);
    expect(open.status).toBe(200);
    expect(reviewWeek.safeParse(open.body).success).toBe(true);
    expect(open.body).toEqual({
      week: WEEK,
      from: '2026-11-23T00:00:00.000Z',
      to: '2026-11-30T00:00:00.000Z',
      status: 'open',
      drawnAt: null,
      items: [],
    });
    expect(stored()).toEqual({ weeks: 0, samples: 0, audit: auditBefore });

    // Once the week has ended, the first reading draws it: every verdict of the week was in by then.
    await decide(world, world.bruno, 1);
    endWeek();
    const { audit } = stored();
    const drawn = (await week(world.sofia)).body as ReviewWeek;
    expect(drawn).toMatchObject({ week: WEEK, status: 'drawn', drawnAt: server.clock.now.toISOString() });
    expect(drawn.items.filter((item) => item.verdict.agent.username === 'bruno')).toHaveLength(2);
    expect(stored()).toEqual({ weeks: 1, samples: drawn.items.length, audit: audit + 1 });
  });

  it('draws an ended week once on first reading and keeps it', async () => {
    const world = await setUp();
    endWeek();
    const first = await week(world.sofia);
    expect(first.status).toBe(200);
    expect(reviewWeek.safeParse(first.body).success).toBe(true);
    const body = first.body as ReviewWeek;
    expect(body).toMatchObject({ week: WEEK, status: 'drawn', from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' });
    const byAgent = (items: ReviewItem[], username: string) => items.filter((item) => item.verdict.agent.username === username);
    expect(byAgent(body.items, 'ana')).toHaveLength(3);
    expect(byAgent(body.items, 'bruno')).toHaveLength(1);
    expect(body.items.every((item) => item.status === 'pending' && item.scorecard === null)).toBe(true);
    const drawnAudit = readAudit(server.ctx.db, 0, 10_000).filter((entry) => entry.action === 'verdict_review.sample_drawn');
    expect(drawnAudit).toHaveLength(1);
    expect(drawnAudit[0]).toMatchObject({ actor: world.sofia.id, subject: WEEK });
    expect((drawnAudit[0]!.data as { cases: string[] }).cases.sort()).toEqual(body.items.map((item) => item.verdict.caseId).sort());
    // Reading it again, later, by another supervisor: the same sample, nothing written.
    advanceSignedIn(server, HOUR);
    const again = (await week(world.marta)).body as ReviewWeek;
    expect(again.items.map((item) => item.id)).toEqual(body.items.map((item) => item.id));
    expect(again.drawnAt).toBe(body.drawnAt);
    expect(readAudit(server.ctx.db, 0, 10_000).filter((entry) => entry.action === 'verdict_review.sample_drawn')).toHaveLength(1);
    // With no week given, the last one that has ended.
    expect(isoWeekOf(server.clock.now)).toBe('2026-W49');
    expect(((await week(world.sofia, '')).body as ReviewWeek).items.map((item) => item.id)).toEqual(body.items.map((item) => item.id));
    expectConsistent(server);
  });

  it('stores nothing for an ended week with no verdict to sample, however old', async () => {
    const { sofia } = await setUp();
    const auditBefore = readAudit(server.ctx.db, 0, 10_000).length;
    // No week given on Tuesday of WEEK: the week before, which ended with nothing decided.
    for (const query of ['', 'week=2026-W47', 'week=1900-W01']) {
      const answer = await week(sofia, query);
      expect(answer.status, query).toBe(200);
      expect(reviewWeek.safeParse(answer.body).success).toBe(true);
      expect(answer.body, query).toMatchObject({ status: 'empty', drawnAt: null, items: [] });
    }
    expect(((await week(sofia, '')).body as ReviewWeek).week).toBe('2026-W47');
    expect(stored()).toEqual({ weeks: 0, samples: 0, audit: auditBefore });
  });

  it('refuses weeks that do not exist or have not begun', async () => {
    const { sofia } = await setUp();
    for (const query of ['week=2026-W49', 'week=2026-W54', 'week=2026-W00', 'week=2026W48', 'week=last']) {
      const answer = await week(sofia, query);
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    expect(isoWeekRange('2026-W53')).toBeTruthy();
    expect(isoWeekRange('2027-W53')).toBeNull();
    expect(isoWeekOf(new Date('2027-01-01T12:00:00Z'))).toBe('2026-W53');
    expect(isoWeekOf(new Date('2026-12-06T23:59:59Z'))).toBe('2026-W49');
  });

  it('takes one scorecard per verdict, audited, from a supervisor who took no part in it', async () => {
    // Ana decides three cases, so all three are in her sample, the four-eyes one among them.
    const world = await setUp({ anaReleases: 2 });
    endWeek();
    const items = ((await week(world.sofia)).body as ReviewWeek).items;
    const involved = items.find((item) => item.verdict.caseId === world.fourEyesCase)!;
    expect(involved).toBeDefined();
    const plain = items.find((item) => item.verdict.caseId !== world.fourEyesCase)!;
    expect(plain.canReview).toBe(true);

    // A "no" needs a comment; malformed scorecards are refused; nothing is written.
    for (const bad of [
      { ...ALL_YES, payoutRight: false },
      { ...ALL_YES, payoutRight: 'no' },
      { ...ALL_YES, comment: '   ' },
      { evidenceSufficient: true },
      { ...ALL_YES, extra: 1 },
    ]) {
      const answer = await score(world.sofia, plain.id, bad);
      expect(answer.status, JSON.stringify(bad)).toBe(400);
      expect(answer.body.error.code).toBe('invalid_request');
    }
    expect((await score(world.sofia, 'REV-2026-W48-DSP-NOPE', ALL_YES)).status).toBe(404);

    const card = { ...ALL_YES, rationaleClear: false, payoutRight: false, comment: 'The statement shows no payment.' };
    const key = newKey();
    const done = await score(world.sofia, plain.id, card, { 'idempotency-key': key });
    expect(done.status).toBe(200);
    expect(reviewItem.safeParse(done.body).success).toBe(true);
    expect(done.body).toMatchObject({
      id: plain.id,
      status: 'done',
      canReview: false,
      scorecard: { ...card, score: 2, reviewer: { username: 'sofia' } },
    });
    // The same request again under its key: the stored answer; a new one: 409, for anyone.
    const repeated = await score(world.sofia, plain.id, card, { 'idempotency-key': key });
    expect(repeated).toEqual(done);
    const second = await score(world.marta, plain.id, ALL_YES);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('review_already_done');
    const audit = readAudit(server.ctx.db, 0, 10_000).filter((entry) => entry.action === 'verdict_review.submitted');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: world.sofia.id, subject: plain.id, data: { caseId: plain.verdict.caseId, payoutRight: false } });

    // The supervisor who approved (and sent back) the four-eyes verdict may not review it; another may.
    expect(involved.canReview).toBe(false);
    const refused = await score(world.sofia, involved.id, ALL_YES);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('reviewer_involved');
    expect(((await week(world.marta)).body as ReviewWeek).items.find((item) => item.id === involved.id)!.canReview).toBe(true);
    expect((await score(world.marta, involved.id, ALL_YES)).status).toBe(200);
    expectConsistent(server);
  });

  it('feeds the per-agent figures: reviews done, overturned, average score', async () => {
    const world = await setUp();
    endWeek();
    const items = ((await week(world.marta)).body as ReviewWeek).items;
    const anas = items.filter((item) => item.verdict.agent.username === 'ana');
    expect((await score(world.marta, anas[0]!.id, { ...ALL_YES, payoutRight: false, comment: 'Wrong side.' })).status).toBe(200);
    expect((await score(world.marta, anas[1]!.id, ALL_YES)).status).toBe(200);
    const rows = new Map(((await figures(world.sofia)).body.agents as AgentFigures[]).map((row) => [row.agent.username, row]));
    expect(rows.get('ana')).toMatchObject({ reviewsDone: 2, overturned: 1, averageReviewScore: 3.5 });
    expect(rows.get('bruno')).toMatchObject({ reviewsDone: 0, overturned: 0, averageReviewScore: null });
  });
});
