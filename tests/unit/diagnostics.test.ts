// Help → Copy diagnostics (electron/main/diagnostics.ts): what the text says, and that no secret, name or
// case text reaches it even when the snapshot holds them.
import { describe, expect, it } from 'vitest';
import { diagnosticsText, newestErrors, scrubErrorRecord, serverOrigin, withHomeAsTilde, type DiagnosticsSnapshot } from '../../electron/main/diagnostics';

const TOKEN = 'Zm9vYmFyYmF6cXV4LXNlY3JldC10b2tlbg';

function snapshot(overrides: Partial<DiagnosticsSnapshot> = {}): DiagnosticsSnapshot {
  return {
    takenAt: '2026-12-07T10:00:00.000Z',
    versions: { app: '1.3.0', electron: '45.0.0', chrome: '142.0.0.0', node: '22.20.0' },
    os: { platform: 'linux', release: '6.8.0', arch: 'x64' },
    serverUrl: 'https://desk.example.com:8443/',
    dataFolder: '/home/ana/.config/Dispute Desk',
    logsFolder: '/home/ana/.config/Dispute Desk/logs',
    homeDir: '/home/ana',
    desk: {
      signedIn: true,
      sync: { state: 'idle', lastSyncedAt: '2026-12-07T09:59:30.000Z', cachedCases: 1250, errorCode: null },
      outbox: [
        { mine: true, kind: 'verdict', state: 'needs_code', count: 1 },
        { mine: true, kind: 'note', state: 'confirmed', count: 12 },
        { mine: false, kind: 'claim', state: 'pending', count: 2 },
      ],
      storageBytes: 52_428_800,
    },
    update: { phase: 'downloaded', version: '1.4.0' },
    recentErrors: [{ source: 'desk', record: '[2026-12-07 09:58:00.000] [error] Sync failed {"code":"network_error"}' }],
    ...overrides,
  };
}

describe('diagnosticsText', () => {
  it('states versions, server origin, sync, outbox counts, storage, folders and the last errors', () => {
    const text = diagnosticsText(snapshot());
    for (const expected of [
      'App: 1.3.0',
      'Electron: 45.0.0, Chrome: 142.0.0.0, Node: 22.20.0',
      'OS: linux 6.8.0 (x64)',
      'Updates: 1.4.0 downloaded, waiting to be installed',
      'Server: https://desk.example.com:8443',
      'Data folder: ~/.config/Dispute Desk\n',
      'Logs folder: ~/.config/Dispute Desk/logs\n',
      'Sync: idle, last synced 2026-12-07T09:59:30.000Z',
      'Cached cases: 1250',
      'Desk storage: 50.0 MiB',
      'signed-in user, needs_code: 1',
      'signed-in user, confirmed: 12',
      'other users, pending: 2',
      'open by kind: verdict needs_code 1, claim pending 2 (other user)',
      'Last errors (1):',
      '[desk] [2026-12-07 09:58:00.000] [error] Sync failed {"code":"network_error"}',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('says so when the desk does not answer and nothing failed', () => {
    const text = diagnosticsText(snapshot({ desk: null, recentErrors: [], update: { phase: 'disabled', reason: 'a development build does not update itself' } }));
    expect(text).toContain('Desk: not answering');
    expect(text).toContain('Last errors (0):\n  none');
    expect(text).toContain('Updates: off (a development build does not update itself)');
  });

  it('never shows a secret, a name or case text, wherever the snapshot carried it', () => {
    const text = diagnosticsText(
      snapshot({
        serverUrl: `https://ana:hunter2@desk.example.com/v1?token=${TOKEN}`,
        update: { phase: 'failed', message: `GET https://updates.example.com/latest.yml Authorization: Bearer ${TOKEN}` },
        recentErrors: [
          {
            source: 'server',
            record: `[2026-12-07 09:00:00.000] [error] {"level":50,"req":{"headers":{"authorization":"Bearer ${TOKEN}"}},"body":{"password":"ana-demo-pass","code":"492039","rationale":"Receipt from Banco Sol shows 1250.50"}}`,
          },
          { source: 'desk', record: `[2026-12-07 09:01:00.000] [error] refused {"buyer":{"displayName":"Lucía Fernández"},"loginToken":"${TOKEN}"}` },
          { source: 'main', record: `[2026-12-07 09:02:00.000] [error] Dispute Desk is ready at http://127.0.0.1:4000/#k=${TOKEN}` },
          { source: 'main', record: '[2026-12-07 09:03:00.000] [error] enrolment otpauth://totp/DD:diego?secret=JBSWY3DPEHPK3PXP backupCodes=["7kq2m-9xv3p"]' },
        ],
      }),
    );
    for (const secret of [TOKEN, 'hunter2', 'ana-demo-pass', '492039', 'Banco Sol', 'Lucía', 'JBSWY3DPEHPK3PXP', '7kq2m-9xv3p']) {
      expect(text, secret).not.toContain(secret);
    }
    expect(text).toContain('Server: https://desk.example.com');
  });

  it('keeps only the newest errors, and each cut to a length', () => {
    const records = Array.from({ length: 30 }, (_, i) => `[2026-12-07 09:${String(i).padStart(2, '0')}:00.000] [error] failure ${i} ${'x'.repeat(1000)}`);
    const newest = newestErrors([{ source: 'main', records: records.slice(0, 15) }, { source: 'desk', records: records.slice(15) }]);
    expect(newest).toHaveLength(10);
    expect(newest[0]!.record).toContain('failure 20');
    expect(newest[9]!).toMatchObject({ source: 'desk' });
    expect(scrubErrorRecord(records[0]!).length).toBeLessThanOrEqual(601);
  });
});

describe('scrubErrorRecord', () => {
  it('removes names and typed text from an object printed by Node (unquoted keys, single quotes)', () => {
    const record = "[2026-12-07 09:04:00.000] [error] Claim failed { caseId: 'D-1042', buyer: { displayName: 'Ana García', username: 'ana.g' }, body: 'I paid already, it\\'s in the receipt', note: \"call \\\"Lucía\\\"\", reason: `late` }";
    const scrubbed = scrubErrorRecord(record);
    for (const personal of ['Ana García', 'ana.g', 'I paid already', 'receipt', 'Lucía', 'late']) expect(scrubbed, personal).not.toContain(personal);
    expect(scrubbed).toContain("caseId: 'D-1042'");
    expect(scrubbed).toContain("displayName: '[removed]'");
    expect(scrubbed).toContain('reason: `[removed]`');
  });

  it('removes them from JSON, and from JSON quoted inside a string (escaped quotes)', () => {
    const record = '[2026-12-07 09:05:00.000] [error] {"msg":"bad body {\\"displayName\\":\\"Ana García\\",\\"amount\\":\\"10\\"}","body":"I paid already"}';
    const scrubbed = scrubErrorRecord(record);
    expect(scrubbed).not.toContain('Ana García');
    expect(scrubbed).not.toContain('I paid already');
    expect(scrubbed).toContain('\\"amount\\":\\"10\\"');
    expect(scrubbed).toContain('"body":"[removed]"');
  });

  it('leaves fields whose names merely end like a personal one (hostname, filename)', () => {
    expect(scrubErrorRecord("{ hostname: 'desk-01', filename: 'a.png' }")).toBe("{ hostname: 'desk-01', filename: 'a.png' }");
  });
});

describe('withHomeAsTilde', () => {
  it('writes the home folder as ~ on POSIX and Windows paths, and nothing else', () => {
    expect(withHomeAsTilde('/home/ana/.config/Dispute Desk', '/home/ana')).toBe('~/.config/Dispute Desk');
    expect(withHomeAsTilde('/home/ana', '/home/ana')).toBe('~');
    expect(withHomeAsTilde('/home/anabel/x', '/home/ana')).toBe('/home/anabel/x');
    expect(withHomeAsTilde('C:\\Users\\Ana\\AppData\\Roaming\\Dispute Desk', 'C:\\Users\\Ana')).toBe('~\\AppData\\Roaming\\Dispute Desk');
    expect(withHomeAsTilde('/opt/dd', '')).toBe('/opt/dd');
  });
});

describe('serverOrigin', () => {
  it('shows the origin only, without credentials, path or query', () => {
    expect(serverOrigin('http://127.0.0.1:51234/')).toBe('http://127.0.0.1:51234');
    expect(serverOrigin('https://u:p@x.example/v1?t=1')).toBe('https://x.example');
    expect(serverOrigin('file:///etc/passwd')).toBe('not a web address');
    expect(serverOrigin('nonsense')).toBe('not a web address');
    expect(serverOrigin(null)).toBe('unknown');
  });
});
