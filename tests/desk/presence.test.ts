// The user's presence and the server's idle timeout (issue #11): reading cached cases makes no server
// call, so the desk tells the server the user is there when the renderer sees their input — at most every
// PRESENCE_INTERVAL_MS — and a session whose user keeps reading is not ended as idle, while one left alone
// still is. A real server on a loopback port with a pinned clock; the desk reads the same clock.
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROUTES } from '../../shared/api/routes';
import { PRESENCE_INTERVAL_MS, PRESENCE_WINDOW_MS } from '../../electron/desk/session';
import { addUser, tempDir, type TestUser } from '../server/harness';
import { openTestDesk, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

const MINUTE = 60_000;

let platform: Platform;
let dataDir: string;
let desk: TestDesk;
let ana: TestUser;

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-presence-');
  ana = addUser(platform.server.ctx, 'agent', 'ana');
  desk = openTestDesk(dataDir, platform.proxy.url, { now: () => platform.server.clock.now });
});

afterEach(async () => {
  desk.close();
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const presenceCalls = () => platform.proxy.requests.filter((r) => r.method === 'GET' && r.path === '/v1/me').length;
const advance = (ms: number) => platform.server.clock.advance(ms);

describe('the user at the desk', () => {
  it('keeps the session past the idle timeout while they read, and tells the server no more than needed', async () => {
    await signIn(desk, platform.server, ana);
    expect(platform.server.ctx.config.sessionIdleTimeoutMs).toBe(30 * MINUTE);

    // Input within the interval after sign-in (itself a sign of presence) sends nothing.
    await desk.session.markActive();
    expect(presenceCalls()).toBe(0);

    advance(20 * MINUTE);
    await desk.session.markActive();
    await desk.session.markActive();
    expect(presenceCalls()).toBe(1);

    // 40 minutes after sign-in, 20 after the user was last seen: still signed in on the server.
    advance(20 * MINUTE);
    await expect(desk.api.call(ROUTES.me, {})).resolves.toMatchObject({ username: 'ana' });
    expect(desk.session.user()?.username).toBe('ana');
  });

  it('does not keep a session whose user left: the next call finds it ended for inactivity', async () => {
    await signIn(desk, platform.server, ana);
    advance(31 * MINUTE);
    await expect(desk.api.call(ROUTES.me, {})).rejects.toMatchObject({ status: 401, idleMinutes: 30 });
    expect(desk.session.user()).toBeNull();
    // Input after that signs nobody back in and calls nothing.
    const before = presenceCalls();
    await desk.session.markActive();
    expect(presenceCalls()).toBe(before);
  });

  it('tells the server again once the interval has passed', async () => {
    await signIn(desk, platform.server, ana);
    for (let round = 1; round <= 3; round++) {
      advance(PRESENCE_INTERVAL_MS);
      await desk.session.markActive();
      expect(presenceCalls()).toBe(round);
    }
  });

  describe("the desk's own reads", () => {
    const meRequests = () => platform.proxy.requests.filter((r) => r.method === 'GET' && r.path === '/v1/me');
    const sentAsBackground = () => meRequests().map((r) => r.headers['x-background-request'] === '1');

    it('go as background requests while the user is away: re-reading what others change keeps nobody signed in', async () => {
      await signIn(desk, platform.server, ana);
      // Nobody at the desk: an alert left open is re-read whenever its case changes, here every 5 minutes.
      for (let minute = 5; minute <= 25; minute += 5) {
        advance(5 * MINUTE);
        await expect(desk.api.call(ROUTES.me, {})).resolves.toMatchObject({ username: 'ana' });
      }
      expect(sentAsBackground()).toEqual([true, true, true, true, true]);
      advance(6 * MINUTE);
      await expect(desk.api.call(ROUTES.me, {})).rejects.toMatchObject({ status: 401, idleMinutes: 30 });
      expect(desk.session.user()).toBeNull();
    });

    it("count as the user's while they are at the desk, as before", async () => {
      await signIn(desk, platform.server, ana);
      // Right after signing in, and within the window after input the renderer told of, reads are theirs.
      await desk.api.call(ROUTES.me, {});
      advance(3 * MINUTE);
      await desk.session.markActive();
      expect(presenceCalls()).toBe(1);
      advance(PRESENCE_WINDOW_MS - 1000);
      await desk.api.call(ROUTES.me, {});
      expect(sentAsBackground()).toEqual([false, false]);
      // That last read slid the timeout: 30 minutes after it, minus a little, the session still works,
      // although 34 minutes have passed since the sign-in.
      advance(30 * MINUTE - 1000);
      await expect(desk.api.call(ROUTES.me, {})).resolves.toMatchObject({ username: 'ana' });
      expect(sentAsBackground()).toEqual([false, false, true]);
    });

    it('do not count as the user\'s for as long as a clock set back leaves their last input in the future', async () => {
      await signIn(desk, platform.server, ana);
      advance(10 * MINUTE);
      await desk.session.markActive();
      expect(presenceCalls()).toBe(1);
      // The computer's clock goes back an hour (the server's is the desk's here, and goes back too).
      advance(-60 * MINUTE);
      expect(desk.session.present()).toBe(false);
      // The user's next input counts at once, and tells the server again.
      await desk.session.markActive();
      expect(desk.session.present()).toBe(true);
      expect(presenceCalls()).toBe(2);
    });
  });
});
