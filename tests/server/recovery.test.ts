// The server's data at rest and its recovery (issue #11): a private data folder, the integrity check at
// start (a damaged file is refused with how to restore, no stack trace), `npm run server -- backup` while
// the server writes, and `restore` from that backup.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../electron/server/audit/chain';
import { issueInvitation } from '../../electron/server/auth/enrolment';
import { SECRETS_KEY_FILE } from '../../electron/server/auth/secret-box';
import { createUser } from '../../electron/server/auth/users';
import { defaultConfig } from '../../electron/server/config';
import { DatabaseCorruptError } from '../../electron/server/db/integrity';
import { openDatabase } from '../../electron/server/db/open';
import { DATABASE_FILE, startServer, type RunningServer } from '../../electron/server/start';
import { addCase, addUser, tempDir } from './harness';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = path.join(PROJECT_ROOT, 'electron/server/cli.ts');

let dir: string;
let running: RunningServer[] = [];

afterEach(async () => {
  for (const server of running.splice(0)) await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

// The backup test writes notes as fast as it can for as long as the backup runs: no per-user write limit.
const configFor = (dataDir: string) =>
  defaultConfig({
    dataDir,
    logLevel: 'silent',
    platformEventsSecrets: [],
    writeRateLimits: { verdictsPerMinute: 100_000, textPerMinute: 100_000, otherWritesPerMinute: 100_000 },
  });
const modeOf = (file: string) => fs.statSync(file).mode & 0o777;

async function start(): Promise<RunningServer> {
  const server = await startServer(configFor(dir));
  running.push(server);
  return server;
}

/** A note through the API: an audited write, so the log has entries and a signed checkpoint. */
async function addNote(server: RunningServer, token: string, caseId: string): Promise<void> {
  const response = await server.app.inject({
    method: 'POST',
    url: `/v1/cases/${caseId}/notes`,
    headers: { authorization: `Bearer ${token}` },
    payload: { body: 'A note for the audit log.' },
  });
  expect(response.statusCode).toBe(201);
}

/** A server with a user, cases and notes in its log; closed, so the database is one checkpointed file. */
async function storeWithData(cases = 3): Promise<{ agentToken: string; caseIds: string[] }> {
  const server = await start();
  const agent = addUser(server.ctx, 'agent');
  const caseIds = Array.from({ length: cases }, () => addCase(server.ctx));
  for (const caseId of caseIds) await addNote(server, agent.token, caseId);
  await server.close();
  running = [];
  return { agentToken: agent.token, caseIds };
}

/** Overwrites pages 2 to 5 of the file with 0xFF: b-tree pages whose headers no longer make sense. */
function corruptPages(file: string): void {
  const pageSize = 4096;
  expect(fs.statSync(file).size).toBeGreaterThan(6 * pageSize);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(4 * pageSize, 0xff), 0, 4 * pageSize, pageSize);
  fs.closeSync(fd);
}

function runCli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
  });
}

describe('the data folder', () => {
  it('is 0700 and the database files 0600, corrected at start', async () => {
    dir = tempDir('dd-store-');
    fs.chmodSync(dir, 0o755);
    const file = path.join(dir, DATABASE_FILE);
    openDatabase(file).close();
    fs.chmodSync(file, 0o644);
    const server = await start();
    addUser(server.ctx, 'agent');
    expect(modeOf(dir)).toBe(0o700);
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, SECRETS_KEY_FILE]) {
      expect(modeOf(path.join(dir, name)), name).toBe(0o600);
    }
  });

  it('is created 0700 with a database born 0600', async () => {
    dir = path.join(tempDir('dd-store-'), 'nested', 'server');
    const server = await start();
    addUser(server.ctx, 'agent');
    expect(modeOf(dir)).toBe(0o700);
    expect(modeOf(path.join(dir, DATABASE_FILE))).toBe(0o600);
    expect(modeOf(path.join(dir, `${DATABASE_FILE}-wal`))).toBe(0o600);
  });
});

describe('a damaged database', () => {
  it('is refused at start with how to restore the last backup', async () => {
    dir = tempDir('dd-store-');
    await storeWithData();
    corruptPages(path.join(dir, DATABASE_FILE));
    const refusal = startServer(configFor(dir));
    await expect(refusal).rejects.toBeInstanceOf(DatabaseCorruptError);
    await expect(refusal).rejects.toThrow(/is damaged .*will not start on it.*npm run server -- restore/s);
  });

  it('stops the CLI with a clear message, the newest backup and the command, no stack trace, exit non-zero', async () => {
    dir = tempDir('dd-store-');
    await storeWithData();
    const backup = runCli(['backup', '--data', dir]);
    expect(backup.status, backup.stderr).toBe(0);
    const backupFile = /Backup written and verified: (\S+)/.exec(backup.stdout)![1]!;
    corruptPages(path.join(dir, DATABASE_FILE));

    const run = runCli(['--port', '0', '--data', dir]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(`The server database ${path.join(dir, DATABASE_FILE)} is damaged`);
    expect(run.stderr).toContain(`The newest backup in ${path.join(dir, 'backups')} is ${backupFile}.`);
    expect(run.stderr).toContain(`npm run server -- restore --data "${dir}" --from "${backupFile}"`);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.stdout).not.toContain('listening');
  });

  it('with a broken header (not a database any more) is refused the same way', async () => {
    dir = tempDir('dd-store-');
    await storeWithData(1);
    const file = path.join(dir, DATABASE_FILE);
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(100, 0x41), 0, 100, 0);
    fs.closeSync(fd);
    await expect(startServer(configFor(dir))).rejects.toThrow(/is damaged.*No backup was found/s);
  });
});

describe('backup and restore', () => {
  it('backs up a server that keeps writing, into a verified copy whose audit chain verifies', async () => {
    dir = tempDir('dd-store-');
    const server = await start();
    const agent = addUser(server.ctx, 'agent');
    const caseIds = Array.from({ length: 5 }, () => addCase(server.ctx));
    const out = path.join(tempDir('dd-backup-'), 'copy.db');

    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'backup', '--data', dir, '--out', out], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let exitCode: number | null = null;
    const exited = new Promise<void>((resolve) =>
      child.once('exit', (code) => {
        exitCode = code;
        resolve();
      }),
    );
    // Notes over real HTTP for as long as the backup process lives.
    let written = 0;
    let done = false;
    void exited.then(() => (done = true));
    while (!done) {
      const caseId = caseIds[written % caseIds.length]!;
      const response = await fetch(`${server.url}/v1/cases/${caseId}/notes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: `note ${written} written during the backup` }),
      });
      expect(response.status).toBe(201);
      written += 1;
    }
    await exited;
    expect(exitCode, stderr).toBe(0);
    expect(written).toBeGreaterThan(0);
    expect(stdout).toContain(`Backup written and verified: ${out}`);
    expect(stdout).toContain(path.join(dir, SECRETS_KEY_FILE));
    expect(stdout).toContain(path.join(dir, 'audit-signing.key'));

    expect(modeOf(out)).toBe(0o600);
    expect(fs.existsSync(`${out}-wal`)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
    const copy = new Database(out, { readonly: true });
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(verifyAuditChain(copy)).toMatchObject({ ok: true, firstBad: null });
    const notesInCopy = (copy.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n;
    copy.close();
    const notesLive = (server.ctx.db.prepare('SELECT COUNT(*) AS n FROM notes').get() as { n: number }).n;
    expect(notesInCopy).toBeLessThanOrEqual(notesLive);
    fs.rmSync(path.dirname(out), { recursive: true, force: true });
  });

  it('never overwrites a file', () => {
    dir = tempDir('dd-store-');
    openDatabase(path.join(dir, DATABASE_FILE)).close();
    const out = path.join(dir, 'exists.db');
    fs.writeFileSync(out, 'keep me');
    const run = runCli(['backup', '--data', dir, '--out', out]);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('exists already');
    expect(fs.readFileSync(out, 'utf8')).toBe('keep me');
  });

  it('restores the backup over a damaged database, keeping the damaged files aside', async () => {
    dir = tempDir('dd-store-');
    const { caseIds, agentToken } = await storeWithData(4);
    const backup = runCli(['backup', '--data', dir]);
    expect(backup.status, backup.stderr).toBe(0);
    const backupFile = /Backup written and verified: (\S+)/.exec(backup.stdout)![1]!;
    // A change after the backup, then the damage.
    const later = await start();
    await addNote(later, agentToken, caseIds[0]!);
    await later.close();
    expect(fs.existsSync(path.join(dir, 'audit-signing.key.head'))).toBe(true);
    running = [];
    corruptPages(path.join(dir, DATABASE_FILE));

    const restore = runCli(['restore', '--data', dir, '--from', backupFile]);
    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`Restored ${backupFile}`);
    expect(restore.stdout).toMatch(/kept aside: .*platform\.db\.before-restore-/);
    expect(restore.stdout).toContain('the last signed audit checkpoint record was set aside');
    expect(fs.readdirSync(dir).some((name) => name.startsWith(`${DATABASE_FILE}.before-restore-`))).toBe(
      true,
    );

    const server = await start();
    const cases = (server.ctx.db.prepare('SELECT id FROM cases ORDER BY id').all() as { id: string }[]).map(
      (row) => row.id,
    );
    expect(cases).toEqual([...caseIds].sort());
    // The backup's notes, not the one written after it.
    expect(server.ctx.db.prepare('SELECT COUNT(*) AS n FROM notes').get()).toEqual({ n: caseIds.length });
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: true, firstBad: null });
    // The restore ended every sign-in the backup held.
    expect((await server.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${agentToken}` } })).statusCode).toBe(401);
    // Writes are signed again: the restored history is the one the server carries on from.
    await addNote(server, addUser(server.ctx, 'agent').token, caseIds[1]!);
    expect(server.ctx.checkpoints.problem()).toBeNull();
    expect(modeOf(path.join(dir, DATABASE_FILE))).toBe(0o600);
  });

  it('ends every sign-in the backup holds, and says which account changes made after its time must be redone', async () => {
    dir = tempDir('dd-store-');
    const server = await start();
    const supervisor = addUser(server.ctx, 'supervisor');
    const agent = addUser(server.ctx, 'agent');
    const invitation = server.ctx.write(() => {
      const id = createUser(server.ctx, { username: 'nadia', displayName: 'Nadia', role: 'agent', password: null, totpSecret: null });
      return issueInvitation(server.ctx, id, supervisor.id).token;
    });
    await server.close();
    running = [];
    const backup = runCli(['backup', '--data', dir]);
    expect(backup.status, backup.stderr).toBe(0);
    const backupFile = /Backup written and verified: (\S+)/.exec(backup.stdout)![1]!;
    const copy = new Database(backupFile, { readonly: true });
    const takenAt = (copy.prepare("SELECT value FROM meta WHERE key = 'backup_taken_at'").get() as { value: string }).value;
    copy.close();

    const restore = runCli(['restore', '--data', dir, '--from', backupFile]);

    expect(restore.status, restore.stderr).toBe(0);
    expect(restore.stdout).toContain('Every sign-in in the backup was ended (2 sessions revoked, 1 pending invitations spent)');
    expect(restore.stdout).toContain(`This backup was taken at ${takenAt}. Account changes made after that are NOT in it`);
    expect(restore.stdout).toMatch(/disable again every account disabled since then/);
    expect(restore.stdout).toMatch(/reset again the 2FA of every account reset since then/);
    const restored = await start();
    for (const token of [supervisor.token, agent.token]) {
      const me = await restored.app.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect(me.statusCode).toBe(401);
    }
    const redeemed = await restored.app.inject({
      method: 'POST',
      url: '/v1/auth/invitation',
      payload: { token: invitation, password: 'nadia-chosen-password' },
    });
    expect(redeemed.statusCode).toBe(401);
    expect(JSON.parse(redeemed.body)).toMatchObject({ error: { code: 'invalid_invitation' } });
  });

  it('refuses to restore while a server has the database open, or from a file that is not a backup', async () => {
    dir = tempDir('dd-store-');
    await storeWithData(1);
    const backup = runCli(['backup', '--data', dir]);
    const backupFile = /Backup written and verified: (\S+)/.exec(backup.stdout)![1]!;
    await start();
    const busy = runCli(['restore', '--data', dir, '--from', backupFile]);
    expect(busy.status).not.toBe(0);
    expect(busy.stderr).toContain('stop it first');

    const junk = path.join(dir, 'junk.db');
    fs.writeFileSync(junk, Buffer.alloc(8192, 0x42));
    const refused = runCli(['restore', '--data', dir, '--from', junk]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('is not a usable backup');
    expect(refused.stderr).not.toMatch(/^\s+at /m);
  });
});
