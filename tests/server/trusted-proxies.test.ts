// Behind a TLS proxy every caller reaches the server from the proxy's address. Sign-in throttling counts by
// (username, address) (DESIGN §2), so the server must learn the caller's address from the proxies it is
// told to trust (DISPUTE_DESK_TRUSTED_PROXIES), and from nobody else: a caller naming its own address in
// X-Forwarded-For must not escape the throttle.
import { afterEach, describe, expect, it } from 'vitest';
import { SIGN_IN_MAX_FAILURES } from '../../electron/server/auth/lockout';
import { trustedProxiesFromEnv } from '../../electron/server/config';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server.close());

const PROXY = '10.0.0.2';

function login(user: TestUser, password: string, forwardedFor: string, remoteAddress = PROXY) {
  return server.app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    remoteAddress,
    headers: { 'x-forwarded-for': forwardedFor },
    payload: { username: user.username, password },
  });
}

async function guessWrong(user: TestUser, forwardedFor: string, remoteAddress = PROXY): Promise<void> {
  for (let attempt = 0; attempt < SIGN_IN_MAX_FAILURES; attempt += 1) {
    expect((await login(user, 'not-the-password', forwardedFor, remoteAddress)).statusCode).toBe(401);
  }
}

describe('the caller of a sign-in behind a trusted proxy', () => {
  it('is the address the proxy names: a stranger locks out only themselves, the real user signs in', async () => {
    server = await createTestServer({ trustedProxies: [PROXY] });
    const agent = addUser(server.ctx, 'agent');
    await guessWrong(agent, '203.0.113.66');
    expect((await login(agent, agent.password, '203.0.113.66')).statusCode).toBe(429);
    const real = await login(agent, agent.password, '198.51.100.7');
    expect(real.statusCode).toBe(200);
    expect(real.json()).toMatchObject({ status: 'totp_required' });
  });

  it('is the socket address when the proxy is not trusted: a forged X-Forwarded-For changes nothing', async () => {
    server = await createTestServer({ trustedProxies: [PROXY] });
    const agent = addUser(server.ctx, 'agent');
    const stranger = '192.0.2.9';
    await guessWrong(agent, '203.0.113.1', stranger);
    // Naming another address does not get the stranger out of their own lock.
    expect((await login(agent, agent.password, '198.51.100.7', stranger)).statusCode).toBe(429);
  });

  it('is the socket address when no proxy is configured', async () => {
    server = await createTestServer();
    const agent = addUser(server.ctx, 'agent');
    await guessWrong(agent, '203.0.113.66');
    // Everyone behind that address shares its lock: why a proxied deployment must list its proxy.
    expect((await login(agent, agent.password, '198.51.100.7')).statusCode).toBe(429);
  });
});

describe('DISPUTE_DESK_TRUSTED_PROXIES', () => {
  it('takes IPs and CIDR ranges, separated by spaces or commas', () => {
    expect(trustedProxiesFromEnv(undefined)).toEqual([]);
    expect(trustedProxiesFromEnv(' 10.0.0.2, 10.1.0.0/16 fd00::1 fd00::/8')).toEqual([
      '10.0.0.2',
      '10.1.0.0/16',
      'fd00::1',
      'fd00::/8',
    ]);
  });

  it('refuses anything else, naming it', () => {
    for (const bad of ['true', '*', 'proxy.internal', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/8', '10.0.0.256']) {
      expect(() => trustedProxiesFromEnv(bad)).toThrow(`${JSON.stringify(bad)} is not an IP address or CIDR range`);
    }
  });
});
