// The desk's logger as the desk worker and the browser host write it: each record one line, redacted
// (electron/desk-worker/log.ts, electron/host/stderr-logger.ts), with the level main reads back
// (electron/main/log-files.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { workerLogLine, workerLogger } from '../../electron/desk-worker/log';
import { stderrLogger } from '../../electron/host/stderr-logger';
import { levelOfLine, textOfLine } from '../../electron/main/log-files';

afterEach(() => vi.restoreAllMocks());

describe('the desk worker log', () => {
  it('writes the desk records as leveled lines main files under the same level', () => {
    const lines: Array<[string, string]> = [];
    const log = workerLogger((level, line) => lines.push([level, line]));
    log.info('Signed in', { userId: 'USR-7', role: 'agent' });
    log.warn('outbox: attempt failed', { commandId: 'c-1', kind: 'verdict', caseId: 'DSP-1', outcome: 'retry', code: 'network_error' });
    log.error('Unexpected failure in the desk service', { error: 'connect ECONNREFUSED 127.0.0.1:4000' });
    expect(lines).toEqual([
      ['info', 'info Signed in {"userId":"USR-7","role":"agent"}'],
      ['warn', 'warn outbox: attempt failed {"commandId":"c-1","kind":"verdict","caseId":"DSP-1","outcome":"retry","code":"network_error"}'],
      ['error', 'error Unexpected failure in the desk service {"error":"connect ECONNREFUSED 127.0.0.1:4000"}'],
    ]);
    for (const [level, line] of lines) expect(levelOfLine(line, level === 'info' ? 'stdout' : 'stderr')).toBe(level);
    expect(textOfLine(lines[0]![1])).toBe('Signed in {"userId":"USR-7","role":"agent"}');
  });

  it('redacts what a record should never have carried', () => {
    const line = workerLogLine('error', 'refused Authorization: Bearer abc.def.ghi', { payload: { totp: '123456', rationale: 'ok' }, accessToken: 'tok-1' });
    expect(line).not.toMatch(/abc\.def\.ghi|123456|tok-1/);
    expect(line).toContain('"rationale":"ok"');
  });
});

describe('the browser host log', () => {
  it('keeps writing to stderr, redacted', () => {
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const log = stderrLogger('desk');
    log.info('Password accepted; waiting for the authentication code', { username: 'ana' });
    log.warn('The session was refused by the server; signing out', { token: 'tok-secret' });
    expect(written).toEqual([
      '[desk] info Password accepted; waiting for the authentication code {"username":"ana"}\n',
      '[desk] warn The session was refused by the server; signing out {"token":"[redacted]"}\n',
    ]);
  });
});
