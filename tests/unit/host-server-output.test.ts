// The bundled server's pino lines on the browser host's stderr: readable, and redacted like every log line.
import { describe, expect, it } from 'vitest';
import { serverOutputLine } from '../../electron/host/server-output';
import { REDACTED } from '../../shared/logging/redact';

describe('serverOutputLine', () => {
  it('writes a pino line as level, message and its own fields, without pino’s bookkeeping', () => {
    const line = JSON.stringify({
      level: 30,
      time: 1_770_000_000_000,
      pid: 4242,
      hostname: 'desk-01',
      reqId: 'req-7',
      res: { statusCode: 200 },
      responseTime: 3.2,
      msg: 'request completed',
    });
    expect(serverOutputLine(line)).toBe('[server] info request completed {"reqId":"req-7","res":{"statusCode":200},"responseTime":3.2}');
  });

  it('redacts the message and the fields, a secret nested in an escaped string included', () => {
    const line = '{"level":50,"time":1,"err":{"message":"bad body {\\"password\\":\\"hunter2\\",\\"loginToken\\":\\"tok_abc\\"}"},"msg":"login for https://admin:pw@host/ failed"}';
    const shown = serverOutputLine(line);
    expect(shown).toMatch(/^\[server\] error login for https:\/\/\[redacted\]@host\/ failed \{"err":/);
    for (const secret of ['hunter2', 'tok_abc', 'admin:pw']) expect(shown).not.toContain(secret);
    expect(shown).toContain(REDACTED);
  });

  it('cuts long fields and passes a line that is not pino as text, redacted', () => {
    const long = serverOutputLine(JSON.stringify({ level: 40, msg: 'slow', detail: 'x'.repeat(1000) }));
    expect(long.startsWith('[server] warn slow {"detail":"xxx')).toBe(true);
    expect(long.endsWith('…')).toBe(true);
    expect(long.length).toBeLessThan(340);
    expect(serverOutputLine('listening on http://127.0.0.1:4000 totp 123456')).toBe(`[server] listening on http://127.0.0.1:4000 totp ${REDACTED}`);
    expect(serverOutputLine('{not json')).toBe('[server] {not json');
  });
});
