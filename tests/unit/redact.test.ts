// The redaction every log record passes through (electron/common/redact.ts), tried on the lines the code
// really writes: the desk's logger calls, the bundled server's pino lines, the browser host's ready line.
import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactLogArguments, redactText, redactValue } from '../../shared/logging/redact';

const TOKEN = 'k3Q9vLx_2mZ8pR4tY7wB1nC6dF0gH5jK';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbmEifQ.c2lnbmF0dXJlLWJ5dGVz';

function expectNone(text: string, ...secrets: string[]): void {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

describe('redactText', () => {
  it('removes bearer tokens and Authorization headers', () => {
    const line = redactText(`POST /v1/auth/logout Authorization: Bearer ${TOKEN}`);
    expectNone(line, TOKEN);
    expect(line).toContain('POST /v1/auth/logout');
    expectNone(redactText(`calling with Bearer ${TOKEN} now`), TOKEN);
  });

  it('removes secret values from pino JSON lines the server writes', () => {
    const pino = JSON.stringify({
      level: 30,
      msg: 'incoming request',
      req: { method: 'POST', url: '/v1/auth/totp', headers: { authorization: `Bearer ${TOKEN}`, cookie: 'sid=abcdef123' } },
      body: { loginToken: TOKEN, code: '492039', password: 'ana-demo-pass', backupCodes: ['7kq2m-9xv3p', 'a8d2k-3mn4q'] },
    });
    const line = redactText(pino);
    expectNone(line, TOKEN, '492039', 'ana-demo-pass', '7kq2m-9xv3p', 'a8d2k-3mn4q', 'sid=abcdef123');
    expect(line).toContain('"url":"/v1/auth/totp"');
    expect(line).toContain('"msg":"incoming request"');
  });

  it('keeps an error code, which shares the key name "code" with authentication codes', () => {
    expect(redactText('{"error":{"code":"invalid_totp","message":"The code is wrong"}}')).toContain('"code":"invalid_totp"');
  });

  it('removes key=value secrets, URL query tokens and the browser host launch secret', () => {
    const ready = redactText('Dispute Desk is ready at http://127.0.0.1:4480/#k=Zx81_qPl-0aa9');
    expect(ready).toBe(`Dispute Desk is ready at http://127.0.0.1:4480/#k=${REDACTED}`);
    expectNone(redactText('GET /evidence/ab12?t=9f8e7d6c5b4a'), '9f8e7d6c5b4a');
    expectNone(redactText('password=hunter2 totp: 123456 webhookSecret=whsec_live_1'), 'hunter2', '123456', 'whsec_live_1');
    expectNone(redactText('METAMAP_WEBHOOK_SECRET=abc123def data_key=00ff11'), 'abc123def', '00ff11');
    expectNone(redactText("invitation token: 'inv_AbC123xyz'"), 'inv_AbC123xyz');
  });

  it('removes JWTs, otpauth addresses and codes named as codes', () => {
    expectNone(redactText(`session ${JWT} refused`), JWT);
    expectNone(redactText('otpauth://totp/Dispute%20Desk:diego?secret=JBSWY3DPEHPK3PXP&issuer=x'), 'JBSWY3DPEHPK3PXP');
    expectNone(redactText('the authentication code 839201 was refused'), '839201');
  });

  it('leaves ordinary lines alone', () => {
    for (const line of [
      'Sync: pulling changes',
      'Dispute Desk platform server listening on http://127.0.0.1:51234',
      'outbox: attempt failed',
      'case DSP-2024-00017 amount 1250.50 USDT',
    ]) {
      expect(redactText(line)).toBe(line);
    }
  });
});

describe('redactValue', () => {
  it('replaces values under secret key names at any depth, whatever their shape', () => {
    const record = redactValue({
      accessToken: TOKEN,
      nested: { Authorization: 'x', 'x-signature': 'ab12', dataKey: 'ff'.repeat(32), invitationToken: 'tok' },
      list: [{ password: 'p' }, { totp: '123456' }],
      backupCodes: ['aaaa-bbbb'],
    });
    const text = JSON.stringify(record);
    expectNone(text, TOKEN, 'ff'.repeat(32), '"p"', '123456', 'aaaa-bbbb', 'ab12', '"tok"');
    expect(text.match(/\[redacted\]/g)?.length).toBe(8);
  });

  it('keeps the desk logger data that names no secret', () => {
    const facts = { commandId: 'c-1', kind: 'verdict', caseId: 'DSP-1', outcome: 'retry', code: 'network_error' };
    expect(redactValue(facts)).toEqual(facts);
    expect(redactValue({ keys: ['theme', 'language'] })).toEqual({ keys: ['theme', 'language'] });
    expect(redactValue({ userId: 'u-ana', role: 'agent' })).toEqual({ userId: 'u-ana', role: 'agent' });
  });

  it('redacts a bare code only in a code shape', () => {
    expect(redactValue({ code: '492039' })).toEqual({ code: REDACTED });
    expect(redactValue({ code: 'invalid_totp' })).toEqual({ code: 'invalid_totp' });
  });

  it('reduces errors to redacted text and survives cycles, buffers and depth', () => {
    const error = Object.assign(new Error(`refused Bearer ${TOKEN}`), { code: 'ECONNRESET', config: { headers: { Authorization: TOKEN } } });
    const copy = redactValue(error) as Error & { code?: string; config?: unknown };
    expect(copy).toBeInstanceOf(Error);
    expect(copy.message).not.toContain(TOKEN);
    expect(copy.stack ?? '').not.toContain(TOKEN);
    expect(copy.code).toBe('ECONNRESET');
    expect(copy.config).toBeUndefined();

    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    expect(redactValue(cyclic)).toEqual({ name: 'a', self: '[circular]' });
    expect(redactValue(new Uint8Array(4))).toBe('[4 bytes]');
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 20; i += 1) deep = { deep };
    expect(JSON.stringify(redactValue(deep))).toContain('[nested too deep]');
  });

  it('redacts the arguments of a console call, strings included', () => {
    const args = redactLogArguments(['desk: Signed in', { userId: 'u1', token: TOKEN }, `Bearer ${TOKEN}`]);
    expectNone(JSON.stringify(args), TOKEN);
    expect(args[0]).toBe('desk: Signed in');
  });
});

describe('isSecretKey', () => {
  it('matches the secret names in any spelling and leaves the others', () => {
    for (const key of ['access_token', 'Access-Token', 'loginToken', 'PASSWORD', 'totp', 'set-cookie', 'webhookSecret', 'backupCodes', 'codes', 'x-signature', 'otpauthUrl']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['caseId', 'username', 'role', 'state', 'reasonCode', 'status', 'footprint']) expect(isSecretKey(key), key).toBe(false);
  });
});

// Found in review: the bundled server's pino lines reach server.log and the host's stderr as whole lines.
describe('redactText on the shapes a whole-line rule missed', () => {
  const nestedBody = '{"level":50,"err":{"message":"bad body {\\"password\\":\\"hunter2\\",\\"loginToken\\":\\"tok_abc\\"}"},"msg":"request failed"}';

  it('finds a secret in an escaped JSON string inside a pino line, and keeps the line JSON', () => {
    const line = redactText(nestedBody);
    expectNone(line, 'hunter2', 'tok_abc');
    const parsed = JSON.parse(line) as { msg: string; level: number; err: { message: string } };
    expect(parsed).toMatchObject({ level: 50, msg: 'request failed' });
    expect(parsed.err.message).toBe(`bad body {"password":"${REDACTED}","loginToken":"${REDACTED}"}`);
  });

  it('finds the escaped-quote form in text that is not JSON as a whole (a prefixed line)', () => {
    const line = redactText(`[server] ${nestedBody}`);
    expectNone(line, 'hunter2', 'tok_abc');
    expect(line).toContain(`\\"password\\":\\"${REDACTED}\\"`);
  });

  it('removes a user name and password from a URL, keeping its host', () => {
    const line = redactText('fetching https://admin:pw@updates.example.com/feed failed');
    expectNone(line, 'admin:pw', 'admin');
    expect(line).toBe(`fetching https://${REDACTED}@updates.example.com/feed failed`);
    expectNone(redactText('{"msg":"proxy http://user:s3cr3t@10.0.0.1:8080"}'), 's3cr3t');
  });

  it('removes a base32 TOTP secret named as such, and a code after "totp"', () => {
    expectNone(redactText('TOTP secret ANAAGENTANAAGENTANAAGENTANAAGENT for ana'), 'ANAAGENTANAAGENT');
    expectNone(redactText('secret key: JBSWY3DPEHPK3PXP'), 'JBSWY3DPEHPK3PXP');
    expectNone(redactText('user ana sent totp 123456 twice'), '123456');
    // A secret named in prose, with no value after it, stays readable.
    expect(redactText('the TOTP secret is stored encrypted')).toBe('the TOTP secret is stored encrypted');
  });

  it('leaves JSON text that holds no secret as it was', () => {
    const line = '{"level":30,"msg":"listening on http://127.0.0.1:4000","code":"invalid_totp"}';
    expect(redactText(line)).toBe(line);
  });
});
