// The update gate (electron/main/update-gate.ts): no "Restart to update" while the signed-in user's verdict
// (or another command) waits in the outbox; the check schedule; which builds update at all.
import { describe, expect, it } from 'vitest';
import { OUTBOX_KINDS, STEP_UP_KINDS } from '../../shared/desk-api/schemas';
import { isUpdateNotice } from '../../shared/desk-api/shell';
import {
  FIRST_UPDATE_CHECK_DELAY_MS,
  UPDATE_CHECK_INTERVAL_MS,
  UPDATE_CHECK_JITTER_MS,
  decideRestart,
  nextCheckDelayMs,
  updateFeed,
  updateNotice,
  type OutboxCount,
  type UpdateState,
} from '../../electron/main/update-gate';

const downloaded: UpdateState = { phase: 'downloaded', version: '1.4.0' };
const open = (overrides: Partial<OutboxCount>): OutboxCount => ({
  mine: true,
  kind: 'verdict',
  state: 'pending',
  count: 1,
  ...overrides,
});

describe('decideRestart', () => {
  it('offers the restart once an update is downloaded and the outbox holds nothing of the user', () => {
    expect(decideRestart(downloaded, [])).toEqual({ offer: true, version: '1.4.0' });
  });

  it('offers nothing before an update is downloaded', () => {
    const phases: UpdateState[] = [
      { phase: 'disabled', reason: 'dev' },
      { phase: 'idle' },
      { phase: 'checking' },
      { phase: 'downloading', version: '1.4.0', percent: 99 },
      { phase: 'failed', message: 'offline' },
    ];
    for (const phase of phases) expect(decideRestart(phase, [])).toEqual({ offer: false, why: 'no_update' });
  });

  it('holds the restart while a verdict of the signed-in user is pending (queued or in flight)', () => {
    expect(decideRestart(downloaded, [open({ kind: 'verdict' })])).toEqual({ offer: false, why: 'step_up_pending', version: '1.4.0' });
  });

  it('holds it for every step-up command pending, and while one waits for a fresh code', () => {
    for (const kind of STEP_UP_KINDS) {
      expect(decideRestart(downloaded, [open({ kind })])).toMatchObject({ offer: false, why: 'step_up_pending' });
      expect(decideRestart(downloaded, [open({ kind, state: 'needs_code' })])).toMatchObject({ offer: false, why: 'step_up_needs_code' });
    }
  });

  it('holds it while any other command of the user is still to be sent', () => {
    for (const kind of OUTBOX_KINDS.filter((kind) => !(STEP_UP_KINDS as readonly string[]).includes(kind))) {
      expect(decideRestart(downloaded, [open({ kind })])).toMatchObject({ offer: false, why: 'commands_pending' });
    }
  });

  it('says the verdict first when a verdict and a note wait together', () => {
    const waiting = [open({ kind: 'note' }), open({ kind: 'verdict', state: 'needs_code' }), open({ kind: 'verdict' })];
    expect(decideRestart(downloaded, waiting)).toMatchObject({ why: 'step_up_pending' });
  });

  it("is not held by other users' commands: they wait for their owner's sign-in either way", () => {
    expect(decideRestart(downloaded, [open({ mine: false }), open({ mine: false, state: 'needs_code' })])).toEqual({ offer: true, version: '1.4.0' });
  });

  it('ignores rows counted zero and settled commands', () => {
    expect(decideRestart(downloaded, [open({ count: 0 })])).toEqual({ offer: true, version: '1.4.0' });
    expect(decideRestart(downloaded, [open({ state: 'confirmed', count: 40 }), open({ state: 'failed' })])).toEqual({ offer: true, version: '1.4.0' });
  });

  it('holds it when the desk cannot say what its outbox holds', () => {
    expect(decideRestart(downloaded, null)).toEqual({ offer: false, why: 'outbox_unknown', version: '1.4.0' });
  });
});

describe('updateNotice', () => {
  it('turns each decision into a notice the preload accepts', () => {
    const notices = [
      updateNotice(decideRestart(downloaded, [])),
      updateNotice(decideRestart(downloaded, [open({})])),
      updateNotice(decideRestart({ phase: 'idle' }, [])),
    ];
    expect(notices).toEqual([
      { kind: 'ready', version: '1.4.0' },
      { kind: 'held', version: '1.4.0', why: 'step_up_pending' },
      { kind: 'none' },
    ]);
    for (const notice of notices) expect(isUpdateNotice(notice)).toBe(true);
  });

  it('refuses what is not a notice', () => {
    for (const value of [null, 'ready', { kind: 'ready' }, { kind: 'ready', version: '<img src=x>' }, { kind: 'held', version: '1.0.0', why: 'because' }]) {
      expect(isUpdateNotice(value)).toBe(false);
    }
  });
});

describe('nextCheckDelayMs', () => {
  it('checks soon after start, then every four hours plus up to half an hour of jitter', () => {
    expect(nextCheckDelayMs(0, true)).toBe(FIRST_UPDATE_CHECK_DELAY_MS);
    expect(nextCheckDelayMs(0)).toBe(UPDATE_CHECK_INTERVAL_MS);
    expect(nextCheckDelayMs(0.5)).toBe(UPDATE_CHECK_INTERVAL_MS + UPDATE_CHECK_JITTER_MS / 2);
    expect(nextCheckDelayMs(1)).toBeLessThan(UPDATE_CHECK_INTERVAL_MS + UPDATE_CHECK_JITTER_MS);
    expect(nextCheckDelayMs(-3)).toBe(UPDATE_CHECK_INTERVAL_MS);
  });
});

describe('updateFeed', () => {
  const yml = (url: string) => `provider: generic\nurl: ${url}\nupdaterCacheDirName: dispute-desk-updater\n`;

  it('is on for a packaged build whose app-update.yml names an https server', () => {
    expect(updateFeed(true, yml('https://updates.example.com/desk/'))).toEqual({ enabled: true, url: 'https://updates.example.com/desk/' });
    expect(updateFeed(true, yml("'http://127.0.0.1:8080/'"))).toEqual({ enabled: true, url: 'http://127.0.0.1:8080/' });
  });

  it('is off in development, without app-update.yml, and for an unsafe or missing URL', () => {
    expect(updateFeed(false, yml('https://updates.example.com/'))).toMatchObject({ enabled: false });
    expect(updateFeed(true, null)).toMatchObject({ enabled: false, reason: expect.stringContaining('app-update.yml') });
    expect(updateFeed(true, 'provider: generic\n')).toMatchObject({ enabled: false });
    expect(updateFeed(true, yml('http://updates.example.com/'))).toMatchObject({ enabled: false, reason: expect.stringContaining('https') });
    expect(updateFeed(true, yml('https://user:pw@updates.example.com/'))).toMatchObject({ enabled: false });
    expect(updateFeed(true, yml('${env.DISPUTE_DESK_UPDATE_URL}'))).toMatchObject({ enabled: false });
  });

  it('is off for an address with a query or a fragment, where a credential ships in every installer', () => {
    const withToken = updateFeed(true, yml('https://updates.example.com/feed?access_token=abc'));
    expect(withToken).toMatchObject({ enabled: false, reason: expect.stringContaining('query') });
    expect(JSON.stringify(withToken)).not.toContain('abc');
    expect(updateFeed(true, yml('https://updates.example.com/feed#k=abc'))).toMatchObject({ enabled: false });
    expect(updateFeed(true, yml('https://updates.example.com/feed?'))).toMatchObject({ enabled: false });
  });

  it('reads app-update.yml as YAML, as electron-updater does: quoting, comments and key order do not change the address', () => {
    const written = 'updaterCacheDirName: dispute-desk-updater\n# the feed\nurl: "https://updates.example.com/desk/"  # generic\nprovider: generic\n';
    expect(updateFeed(true, written)).toEqual({ enabled: true, url: 'https://updates.example.com/desk/' });
    // A url nested under another key is not the feed's: electron-updater reads only the top-level one.
    expect(updateFeed(true, 'provider: generic\nother:\n  url: https://updates.example.com/\n')).toMatchObject({ enabled: false });
    expect(updateFeed(true, 'url: [unclosed\n')).toMatchObject({ enabled: false, reason: expect.stringContaining('names no update server') });
  });
});
