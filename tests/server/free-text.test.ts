// Free text and the directional controls that make it display as something else (shared/api/text.ts):
// refused in every text our users type, with 400 invalid_request naming the field and nothing written;
// kept but shown as "[U+202E]" in the parties' words the exchange relays. A real server: Fastify inject for
// the users' routes, a loopback socket for the exchange's signed events.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasBidiControls, showBidiControls } from '../../shared/api/text';
import { loginBody, messageBody, noteBody } from '../../shared/api/requests';
import { tradeMessageData } from '../../shared/api/platform-events';
import { call, claim, expectConsistent, footprint, newKey } from './fixtures/case-api';
import { event, sendRaw, tradeOpened } from './fixtures/platform-events';
import { addAlert, addCase, addUser, createTestServer, freshCode, type TestServer, type TestUser } from './harness';

/** "Paid 100" with a right-to-left override before the digits: shows as "Paid 001". */
const SPOOFED = 'Paid \u202E100\u202C in full';

describe('the rule (pure)', () => {
  it.each(['\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'])(
    'finds U+%s',
    (control) => {
      expect(hasBidiControls(`a${control}b`)).toBe(true);
      expect(showBidiControls(`a${control}b`)).toBe(`a[U+${control.codePointAt(0)!.toString(16).toUpperCase()}]b`);
    },
  );

  it('lets the marks right-to-left writers use in ordinary text through (LRM, RLM, ALM), and plain text', () => {
    for (const text of ['شكرا\u200F 100', 'a\u200Eb', 'ب\u061Cا', 'Pagué por Pago Móvil', '']) {
      expect(hasBidiControls(text)).toBe(false);
      expect(showBidiControls(text)).toBe(text);
    }
  });

  it('is the same rule in every schema that takes text, naming the field', () => {
    for (const [schema, value, field] of [
      [messageBody, { body: SPOOFED }, 'body'],
      [noteBody, { body: SPOOFED }, 'body'],
      [loginBody, { username: 'ana\u2066', password: 'x' }, 'username'],
    ] as const) {
      const parsed = schema.safeParse(value);
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path).toEqual([field]);
    }
    expect(tradeMessageData.parse({ tradeId: 't', messageId: 'm', sender: 'buyer', body: SPOOFED }).body).toBe(
      'Paid [U+202E]100[U+202C] in full',
    );
  });
});

describe('a user’s free text on the platform API', () => {
  let server: TestServer;
  let agent: TestUser;
  let compliance: TestUser;
  let supervisor: TestUser;

  beforeEach(async () => {
    server = await createTestServer();
    agent = addUser(server.ctx, 'agent');
    compliance = addUser(server.ctx, 'compliance');
    supervisor = addUser(server.ctx, 'supervisor');
  });

  afterEach(async () => {
    expectConsistent(server);
    await server.close();
  });

  type Answer = { status: number; body: { error?: { code: string; message: string } } };
  /** Each text field a person types: `prepare` sets the case up and returns the refused call. */
  const fields: Array<[string, string, () => Promise<() => Promise<Answer>>]> = [
    ['a message', 'body', async () => {
      const caseId = addCase(server.ctx);
      await claim(server, agent, caseId);
      return () => call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, { body: SPOOFED });
    }],
    ['a note', 'body', async () => {
      const caseId = addCase(server.ctx);
      return () => call(server, compliance, 'POST', `/v1/cases/${caseId}/notes`, { body: SPOOFED });
    }],
    ['a verdict’s rationale', 'rationale', async () => {
      const caseId = addCase(server.ctx);
      await claim(server, agent, caseId);
      const body = { outcome: 'release', reasonCode: 'payment_confirmed', rationale: SPOOFED, totp: freshCode(server, agent) };
      return () => call(server, agent, 'POST', `/v1/cases/${caseId}/verdict`, body, { 'idempotency-key': newKey() });
    }],
    ['a hold’s reason', 'reason', async () => {
      const caseId = addCase(server.ctx);
      return () => call(server, compliance, 'POST', `/v1/cases/${caseId}/hold`, { reason: SPOOFED });
    }],
    ['a reassignment’s reason', 'reason', async () => {
      const caseId = addCase(server.ctx);
      return () => call(server, supervisor, 'POST', `/v1/cases/${caseId}/reassign`, { assigneeId: agent.id, reason: SPOOFED });
    }],
    ['a KYT decision’s reason', 'reason', async () => {
      addAlert(server.ctx, addCase(server.ctx), 'KYT-BIDI-1');
      return () => call(server, compliance, 'POST', '/v1/kyt/alerts/KYT-BIDI-1/decision', { decision: 'dismiss', reason: SPOOFED });
    }],
    ['a report’s narrative', 'narrative', async () => {
      addAlert(server.ctx, addCase(server.ctx), 'KYT-BIDI-2');
      const body = { decision: 'report', reason: 'Structuring.', narrative: SPOOFED };
      return () => call(server, compliance, 'POST', '/v1/kyt/alerts/KYT-BIDI-2/decision', body);
    }],
    ['a sign-in’s username', 'username', async () => () =>
      call(server, null, 'POST', '/v1/auth/login', { username: `${agent.username}\u2067`, password: 'whatever' })],
  ];

  it.each(fields)('refuses directional controls in %s: 400 invalid_request naming `%s`, nothing written', async (_what, field, prepare) => {
    const send = await prepare();
    const before = footprint(server);
    const answer = await send();
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('invalid_request');
    expect(answer.body.error?.message).toMatch(new RegExp(`^${field}: .*text-direction`));
    expect(footprint(server)).toEqual(before);
  });

  it('takes the same texts without the controls (the refusals above are about the controls only)', async () => {
    const caseId = addCase(server.ctx);
    await claim(server, agent, caseId);
    const plain = SPOOFED.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
    expect((await call(server, agent, 'POST', `/v1/cases/${caseId}/messages`, { body: plain })).status).toBe(201);
    expect((await call(server, compliance, 'POST', `/v1/cases/${caseId}/notes`, { body: plain })).status).toBe(201);
  });

  it('takes right-to-left text with its ordinary marks', async () => {
    const caseId = addCase(server.ctx);
    const body = 'المشتري دفع\u200F 100 USDT';
    const answer = await call(server, compliance, 'POST', `/v1/cases/${caseId}/notes`, { body });
    expect(answer).toMatchObject({ status: 201, body: { body } });
  });
});

describe('the parties’ words, relayed by the exchange', () => {
  let server: TestServer;
  let base: string;

  beforeEach(async () => {
    server = await createTestServer();
    base = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    expectConsistent(server);
    await server.close();
  });

  const send = (body: object) => sendRaw(base, JSON.stringify(body), { now: server.clock.now });
  const ago = (minutes: number) => new Date(server.clock.now.getTime() - minutes * 60_000);

  it('keeps a chat line, a name, a file name and a reason with each control shown as a marker, never refused', async () => {
    const opened = tradeOpened(ago(60));
    opened.data.buyer.displayName = 'Mariana \u202EzeréP';
    expect((await send(opened)).status).toBe(200);
    const tradeId = opened.data.tradeId;
    const line = event('trade.message', ago(55), { tradeId, messageId: 'm1', sender: 'buyer', body: SPOOFED });
    expect((await send(line)).status).toBe(200);
    const receipt = event('trade.receipt', ago(54), {
      tradeId,
      uploadedBy: 'buyer',
      fileName: 'comprobante\u202Egnp.exe',
      contentBase64: Buffer.from(
        '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
          '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
        'hex',
      ).toString('base64'),
    });
    expect((await send(receipt)).status).toBe(200);
    const opening = await send(event('dispute.opened', ago(50), { tradeId, openedBy: 'buyer', reason: 'Pagué \u2067100\u2069.' }));
    expect(opening.status).toBe(200);
    const reader = addUser(server.ctx, 'agent');
    const detail = (await call(server, reader, 'GET', `/v1/cases/${opening.body.caseId as string}`)).body;
    expect(detail.buyer.displayName).toBe('Mariana [U+202E]zeréP');
    expect(detail.messages.map((message: { body: string }) => message.body)).toEqual(['Paid [U+202E]100[U+202C] in full']);
    expect(detail.evidence.map((file: { fileName: string }) => file.fileName)).toEqual(['comprobante[U+202E]gnp.exe']);
    expect(detail.reason).toBe('Pagué [U+2067]100[U+2069].');
    expect(hasBidiControls(JSON.stringify(detail))).toBe(false);
  });
});
