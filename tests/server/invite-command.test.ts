// `npm run server -- invite` (four-eyes, issue #11): accounts, and new invitations for existing ones, issued
// by the platform's set-up rather than by a supervisor, so that supervisors can be independent of each
// other. The real CLI in its own process on a real data folder: the token and its expiry on stdout only,
// audited with the platform as actor; every bad input a clear message, exit code 2, and nothing written.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../electron/server/config';
import { DATABASE_FILE, startServer, type RunningServer } from '../../electron/server/start';
import { addUser, tempDir, type TestUser } from './harness';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(PROJECT_ROOT, 'electron/server/cli.ts');

let dir: string;
let running: RunningServer | null = null;

const start = async () => (running = await startServer(defaultConfig({ dataDir: dir, logLevel: 'silent', platformEventsSecrets: [] })));

async function stop(): Promise<void> {
  await running?.close();
  running = null;
}

beforeEach(async () => {
  dir = tempDir('dd-invite-');
  await start();
});

afterEach(async () => {
  await stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const invite = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', CLI, 'invite', '--data', dir, ...args], { cwd: PROJECT_ROOT, encoding: 'utf8' });

/** The rows an invite writes: a refused one must leave them all as they were. */
function footprint() {
  const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { users: count('users'), invitations: count('invitations'), audit: count('audit_log'), sessions: count('sessions') };
  } finally {
    db.close();
  }
}

const tokenIn = (stdout: string) => /^Invitation: (\S+)$/m.exec(stdout)?.[1];

async function redeem(token: string) {
  const answer = await running!.app.inject({
    method: 'POST',
    url: '/v1/auth/invitation',
    payload: { token, password: 'a-password-of-my-own' },
  });
  return answer.statusCode;
}

describe('npm run server -- invite', () => {
  it('creates an account issued by the set-up: token and expiry on stdout, audited as the platform', async () => {
    const made = invite('--username', 'nadia', '--role', 'supervisor', '--name', 'Nadia Ortiz');

    expect(made.status, made.stderr).toBe(0);
    expect(made.stderr).toBe('');
    const token = tokenIn(made.stdout)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(made.stdout).toMatch(/^Expires: \d{4}-\d\d-\d\dT[\d:.]+Z$/m);
    const db = running!.ctx.db;
    const nadia = db.prepare("SELECT id, role, credentials_issued_by AS issuer FROM users WHERE username = 'nadia'").get();
    expect(nadia).toMatchObject({ role: 'supervisor', issuer: 'USR-platform' });
    const audited = db.prepare("SELECT actor, data FROM audit_log WHERE action = 'user.created'").get() as { actor: string; data: string };
    expect(audited.actor).toBe('USR-platform');
    expect(audited.data).not.toContain(token);
    expect(await redeem(token)).toBe(200);
  });

  it('--user re-issues an existing account’s invitation: its sign-ins end, the set-up is its issuer', async () => {
    const agent: TestUser = addUser(running!.ctx, 'agent', 'xavier');
    await stop();

    const reissued = invite('--user', 'xavier');

    expect(reissued.status, reissued.stderr).toBe(0);
    expect(reissued.stdout).toContain('Re-issued the invitation of xavier');
    await start();
    const me = await running!.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${agent.token}` } });
    expect(me.statusCode).toBe(401);
    const row = running!.ctx.db.prepare('SELECT credentials_issued_by AS issuer, totp_confirmed AS confirmed FROM users WHERE id = ?').get(agent.id);
    expect(row).toEqual({ issuer: 'USR-platform', confirmed: 0 });
    expect(await redeem(tokenIn(reissued.stdout)!)).toBe(200);
  });

  it.each([
    [['--username', 'nadia', '--role', 'boss', '--name', 'Nadia'], /--role: give agent, compliance or supervisor/],
    [['--username', 'nadia', '--name', 'Nadia'], /--role: give agent, compliance or supervisor/],
    [['--username', 'Nadia!', '--role', 'agent', '--name', 'Nadia'], /--username: 2 to 32 lowercase letters/],
    [['--username', 'nadia', '--role', 'agent'], /--name: Give a display name/],
    [['--username', 'nadia', '--role', 'agent', '--name', '   '], /--name: Give a display name/],
    [['--username', 'nadia', '--role', 'agent', '--name', 'Na\u202edia'], /--name: .*(control|formatting|bidi|direction)/i],
    [['--username', 'taken', '--role', 'agent', '--name', 'Taken'], /--username: "taken" is taken/],
    [['--user', 'ghost'], /--user: there is no account with the username "ghost"/],
    [['--user', 'platform'], /--user: there is no account with the username "platform"/],
    [['--user', 'taken', '--role', 'agent'], /--user re-issues an existing account's invitation: it takes no/],
    [[], /invite takes --username U --role agent\|compliance\|supervisor --name "Display Name"/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /Unexpected argument 'extra'/],
  ])('refuses %j with a clear message, exit code 2, nothing written', async (args, message) => {
    addUser(running!.ctx, 'agent', 'taken');
    await stop();
    const before = footprint();

    const refused = invite(...args);

    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(message);
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    expect(refused.stdout).toBe('');
    expect(footprint()).toEqual(before);
  });

  it('refuses a folder with no server database, and creates nothing there', () => {
    const empty = tempDir('dd-invite-empty-');
    const refused = spawnSync(
      process.execPath,
      ['--import', 'tsx', CLI, 'invite', '--data', empty, '--username', 'nadia', '--role', 'agent', '--name', 'Nadia'],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    );
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`there is no server database at ${path.join(empty, DATABASE_FILE)}`);
    expect(fs.readdirSync(empty)).toEqual([]);
    fs.rmSync(empty, { recursive: true, force: true });
  });
});
