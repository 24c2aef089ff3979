// The retention jobs (issue #11), each with the clock pinned: what is pruned and what is kept. Rows are
// written as the server writes them; the jobs run through the server's own scheduler (runNow).
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_METAMAP_EVENT_WINDOW, DEFAULT_RETENTION } from '../../electron/server/config';
import { recordCaseChange } from '../../electron/server/feed/changes';
import { PRUNE_BATCH } from '../../electron/server/retention/jobs';
import { addCase, addUser, bearer, createTestServer, type TestServer } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(server.clock.now.getTime() - ms).toISOString();
const rows = (sql: string) => server.ctx.db.prepare(sql).all();

describe('retention jobs', () => {
  it('prune ended sessions and expired sign-in tokens; a live session keeps working', async () => {
    server = await createTestServer();
    const live = addUser(server.ctx, 'agent');
    const insert = server.ctx.db.prepare(
      'INSERT INTO sessions (token_hash, user_id, created_at, expires_at, revoked_at) VALUES (?, ?, ?, ?, ?)',
    );
    insert.run('expired', live.id, ago(10 * HOUR), ago(2 * HOUR), null);
    insert.run('revoked', live.id, ago(2 * HOUR), ago(-6 * HOUR), ago(HOUR));
    insert.run('other-live', live.id, ago(HOUR), ago(-HOUR), null);
    const token = server.ctx.db.prepare('INSERT INTO login_tokens (token_hash, user_id, expires_at) VALUES (?, ?, ?)');
    token.run('old-step', live.id, ago(60_000));
    token.run('fresh-step', live.id, ago(-60_000));

    const report = server.retention.runNow();
    expect(report.sessions).toBe(3);
    expect(rows("SELECT token_hash FROM sessions WHERE token_hash IN ('expired', 'revoked', 'other-live')")).toEqual([
      { token_hash: 'other-live' },
    ]);
    expect(rows('SELECT token_hash FROM login_tokens')).toEqual([{ token_hash: 'fresh-step' }]);
    expect((await server.app.inject({ method: 'GET', url: '/v1/me', headers: bearer(live) })).statusCode).toBe(200);
  });

  it('prune sign-in and step-up failures older than the lockout windows and keep the recent ones', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const insert = server.ctx.db.prepare('INSERT INTO auth_failures (user_id, kind, at) VALUES (?, ?, ?)');
    insert.run(user.id, 'sign_in', ago(DEFAULT_RETENTION.loginFailuresMs + 1));
    insert.run(user.id, 'step_up', ago(DEFAULT_RETENTION.loginFailuresMs + HOUR));
    insert.run(user.id, 'sign_in', ago(10 * 60_000));
    insert.run(user.id, 'sign_in', ago(DEFAULT_RETENTION.loginFailuresMs - 1));
    const throttle = server.ctx.db.prepare("INSERT INTO sign_in_failures (username_key, address, at) VALUES ('k', '127.0.0.1', ?)");
    throttle.run(ago(DAY));
    throttle.run(ago(60_000));
    expect(server.retention.runNow().loginFailures).toBe(3);
    expect(rows('SELECT at FROM sign_in_failures')).toEqual([{ at: ago(60_000) }]);
    expect(rows('SELECT kind, at FROM auth_failures ORDER BY at')).toEqual([
      { kind: 'sign_in', at: ago(DEFAULT_RETENTION.loginFailuresMs - 1) },
      { kind: 'sign_in', at: ago(10 * 60_000) },
    ]);
  });

  it('drop the answers of idempotency records after a day and the records after 30 days; refusals and newer answers stay whole', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const insert = server.ctx.db.prepare(
      `INSERT INTO idempotency_keys (user_id, key, request_hash, state, response_status, response_body, created_at)
       VALUES (?, ?, 'h', ?, ?, ?, ?)`,
    );
    const refusal = '{"error":{"code":"case_already_resolved","message":"Decided."}}';
    insert.run(user.id, 'old-done', 'done', 200, '{"case":{"buyer":{"displayName":"Ana"}}}', ago(DAY + 1));
    insert.run(user.id, 'old-refused', 'done', 409, refusal, ago(DAY + 1));
    insert.run(user.id, 'old-stuck', 'in_flight', null, null, ago(2 * DAY));
    insert.run(user.id, 'recent', 'done', 200, '{}', ago(DAY - 1));
    insert.run(user.id, 'expired', 'done', 200, null, ago(DEFAULT_RETENTION.idempotencyKeysMs + 1));
    const report = server.retention.runNow();
    expect(report.idempotency).toBe(2);
    expect(report.idempotencyKeys).toBe(1);
    expect(rows('SELECT key, response_status AS status, response_body AS body FROM idempotency_keys ORDER BY key')).toEqual([
      { key: 'old-done', status: 200, body: null },
      { key: 'old-refused', status: 409, body: refusal },
      { key: 'recent', status: 200, body: '{}' },
    ]);
  });

  it('prune platform events after 30 days, so that a redelivery after that counts as new', async () => {
    server = await createTestServer();
    const insert = server.ctx.db.prepare(
      `INSERT INTO platform_events (id, type, trade_id, body_sha256, occurred_at, received_at, response_status, response_body)
       VALUES (?, 'trade.paid', 'TRD-1', 'sha', ?, ?, 200, '{}')`,
    );
    insert.run('evt_old', ago(31 * DAY), ago(DEFAULT_RETENTION.platformEventsMs + 1));
    insert.run('evt_recent', ago(29 * DAY), ago(DEFAULT_RETENTION.platformEventsMs - 1));
    expect(server.retention.runNow().platformEvents).toBe(1);
    expect(rows('SELECT id FROM platform_events')).toEqual([{ id: 'evt_recent' }]);
  });

  it('prune MetaMap events older than the MetaMap window, which refuses such events anyway', async () => {
    server = await createTestServer();
    const insert = server.ctx.db.prepare(
      `INSERT INTO metamap_events (verification_id, event_name, step_id, occurred_at, check_id, received_at)
       VALUES (?, 'verification_completed', '', ?, 'LIV-1', ?)`,
    );
    // The check they point at does not matter to the job.
    server.ctx.db.pragma('foreign_keys = OFF');
    insert.run('v-old', ago(DEFAULT_METAMAP_EVENT_WINDOW.maxAgeMs + 1), ago(0));
    insert.run('v-inside', ago(DEFAULT_METAMAP_EVENT_WINDOW.maxAgeMs - 1000), ago(0));
    server.ctx.db.pragma('foreign_keys = ON');
    expect(server.retention.runNow().metamapEvents).toBe(1);
    expect(rows('SELECT verification_id FROM metamap_events')).toEqual([{ verification_id: 'v-inside' }]);
  });

  it('prune delivered outbound events after 30 days and never a pending or given-up one', async () => {
    server = await createTestServer();
    const insert = server.ctx.db.prepare(
      `INSERT INTO outbound_events (id, type, trade_id, body, created_at, state, next_attempt_at, delivered_at)
       VALUES (?, 'escrow.released', 'TRD-1', '{}', ?, ?, ?, ?)`,
    );
    const old = ago(DEFAULT_RETENTION.deliveredOutboundMs + DAY);
    insert.run('evt_delivered_old', old, 'delivered', null, ago(DEFAULT_RETENTION.deliveredOutboundMs + 1));
    insert.run('evt_delivered_recent', old, 'delivered', null, ago(DEFAULT_RETENTION.deliveredOutboundMs - 1));
    insert.run('evt_failed_old', old, 'failed', null, null);
    insert.run('evt_pending_old', old, 'pending', old, null);
    expect(server.retention.runNow().deliveredOutbound).toBe(1);
    expect(rows('SELECT id FROM outbound_events ORDER BY id')).toEqual([
      { id: 'evt_delivered_recent' },
      { id: 'evt_failed_old' },
      { id: 'evt_pending_old' },
    ]);
  });

  it('compact the feed beyond its configured retention', async () => {
    server = await createTestServer({ feedRetention: 2 });
    const caseId = addCase(server.ctx);
    server.ctx.write(() => {
      for (let i = 0; i < 4; i++) recordCaseChange(server.ctx, caseId);
    });
    expect(server.retention.runNow().feed).toBe(3);
    expect(rows('SELECT seq FROM changes')).toEqual([{ seq: 4 }, { seq: 5 }]);
  });

  it('delete in batches: a store that never pruned catches up over several runs', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const insert = server.ctx.db.prepare('INSERT INTO auth_failures (user_id, kind, at) VALUES (?, ?, ?)');
    server.ctx.write(() => {
      for (let i = 0; i < PRUNE_BATCH + 10; i++) insert.run(user.id, 'sign_in', ago(2 * DAY));
    });
    expect(server.retention.runNow().loginFailures).toBe(PRUNE_BATCH);
    expect(server.retention.runNow().loginFailures).toBe(10);
    expect(server.retention.runNow().loginFailures).toBe(0);
  });

  it('use the server clock: nothing is pruned before its time comes, and all of it after', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    server.ctx.db.prepare('INSERT INTO auth_failures (user_id, kind, at) VALUES (?, ?, ?)').run(user.id, 'sign_in', ago(0));
    expect(server.retention.runNow().loginFailures).toBe(0);
    server.clock.advance(DEFAULT_RETENTION.loginFailuresMs + 1);
    expect(server.retention.runNow().loginFailures).toBe(1);
  });
});

describe('retention query plans', () => {
  it.each([
    ['platform_events', 'SELECT id FROM platform_events WHERE received_at < ? LIMIT 10', 'platform_events_by_received'],
    ['idempotency_keys', 'SELECT rowid FROM idempotency_keys WHERE created_at < ? LIMIT 10', 'idempotency_keys_by_time'],
    [
      'idempotency answers',
      `SELECT rowid FROM idempotency_keys WHERE response_body IS NOT NULL AND created_at < ? AND state = 'done'
       AND response_status BETWEEN 200 AND 299 LIMIT 10`,
      'idempotency_keys_with_answer',
    ],
    ['auth_failures', 'SELECT id FROM auth_failures WHERE at < ? LIMIT 10', 'auth_failures_by_time'],
    ['sessions', 'SELECT token_hash FROM sessions WHERE expires_at <= ? LIMIT 10', 'sessions_by_expiry'],
    ['metamap_events', 'SELECT occurred_at FROM metamap_events WHERE occurred_at < ? LIMIT 10', 'metamap_events_by_time'],
    [
      'outbound_events',
      "SELECT seq FROM outbound_events WHERE state = 'delivered' AND delivered_at < ? LIMIT 10",
      'outbound_by_state_and_delivery',
    ],
  ])('finds old %s rows through an index', async (_table, sql, index) => {
    server = await createTestServer();
    const plan = server.ctx.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('2026-01-01T00:00:00.000Z') as { detail: string }[];
    expect(plan.map((step) => step.detail).join('\n')).toContain(index);
  });
});
