// Password hashing and the password step of sign-in (issue #11): the cost of one scrypt hash at OWASP's
// parameters beside the former cost; how long the event loop stalls while hashes run (they run on libuv's
// thread pool); and an unknown username's password step beside a known user's, which should take as long.
import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { hashPassword, OWASP_SCRYPT_COST, type ScryptCost } from '../electron/server/auth/passwords';
import { createUser } from '../electron/server/auth/users';
import { defaultConfig } from '../electron/server/config';
import { startServer } from '../electron/server/start';
import { compare, percentile, timed, type Comparison } from './measure';

const FORMER_COST: ScryptCost = { N: 2 ** 14, r: 8, p: 1 };
const SAMPLES = 5;

async function medianMs(samples: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push((await timed(work)) * 1000);
  return percentile(times, 50);
}

async function benchHashCost(): Promise<Comparison> {
  const owasp = await medianMs(SAMPLES, () => hashPassword('correct horse battery staple', OWASP_SCRYPT_COST));
  const former = await medianMs(SAMPLES, () => hashPassword('correct horse battery staple', FORMER_COST));
  return compare(
    'password hash cost',
    { name: 'one scrypt hash at N=2^17, r=8, p=1 (OWASP, 128 MiB), median', value: owasp, unit: 'ms' },
    { name: 'one scrypt hash at N=2^14, r=8, p=1 (the former cost, 16 MiB), median', value: former, unit: 'ms' },
  );
}

/** The worst event-loop stall (ms) while `work` runs, sampled every 10 ms. */
async function worstStallMs(work: () => Promise<unknown>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  await work();
  histogram.disable();
  return histogram.max / 1e6;
}

async function benchEventLoop(): Promise<Comparison> {
  // Four at once: as many as libuv's default thread pool runs, as when four people sign in together.
  const hashing = await worstStallMs(() =>
    Promise.all(Array.from({ length: 4 }, () => hashPassword('pw', OWASP_SCRYPT_COST))),
  );
  const idle = await worstStallMs(() => new Promise((resolve) => setTimeout(resolve, 1000)));
  return compare(
    'event loop during password hashing',
    { name: 'worst event-loop stall while 4 OWASP hashes run', value: hashing, unit: 'ms' },
    { name: 'worst event-loop stall over 1 s of idle waiting', value: idle, unit: 'ms' },
  );
}

async function benchUnknownUsername(dataDir: string): Promise<Comparison> {
  fs.mkdirSync(dataDir, { recursive: true });
  const server = await startServer(defaultConfig({ dataDir: path.resolve(dataDir), logLevel: 'silent' }));
  try {
    const { ctx } = server;
    const passwordHash = await hashPassword('the-right-password', ctx.config.passwordHashCost);
    ctx.write(() =>
      createUser(ctx, { username: 'lena', displayName: 'Lena', role: 'agent', password: '', passwordHash, totpSecret: null }),
    );
    const attempt = (username: string) => () =>
      fetch(`${server.url}/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'a-wrong-password' }),
      }).then((response) => response.text());
    // Four of each stay under the lockout (five failures per username and address).
    const known = await medianMs(4, attempt('lena'));
    const unknown = await medianMs(4, attempt('nobody-by-this-name'));
    return compare(
      'password step timing, unknown username',
      { name: 'POST /v1/auth/login, unknown username, median', value: unknown, unit: 'ms' },
      { name: 'POST /v1/auth/login, known user with a wrong password, median', value: known, unit: 'ms' },
      'A ratio near 1 is the point: the answer time must not tell which usernames exist.',
    );
  } finally {
    await server.close();
  }
}

export async function runPasswordBenchmarks(dataDir: string): Promise<Comparison[]> {
  return [await benchHashCost(), await benchEventLoop(), await benchUnknownUsername(dataDir)];
}
