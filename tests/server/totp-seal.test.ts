// TOTP seeds sealed at rest (issue #11): the database file never holds a seed, in base32 or raw; plain seeds
// of an older database are sealed at the first start; a missing, wrong or readable key stops the start
// with its reason instead of locking every user out of their second factor.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SECRETS_KEY_FILE, secretBox } from '../../electron/server/auth/secret-box';
import { defaultConfig } from '../../electron/server/config';
import { openDatabase } from '../../electron/server/db/open';
import { findUserById } from '../../electron/server/sql/users';
import { DATABASE_FILE, startServer, type RunningServer } from '../../electron/server/start';
import { addEnrollingUser, oathtoolCode, redeem, secretOf, submitCode } from './fixtures/auth-api';
import { addUser, createTestServer, tempDir, type TestServer } from './harness';

/** RFC 4648 base32 decoding, for looking for a seed's raw bytes. */
function base32Bytes(secret: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of secret) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const bytes: number[] = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** Every byte the store has on disk: the database and whatever its WAL still holds. */
function storeBytes(dbFile: string): Buffer {
  return Buffer.concat(
    [dbFile, `${dbFile}-wal`].filter((file) => fs.existsSync(file)).map((file) => fs.readFileSync(file)),
  );
}

let servers: (TestServer | RunningServer)[] = [];
let dirs: string[] = [];

afterEach(async () => {
  for (const server of servers) await server.close();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  servers = [];
  dirs = [];
});

const configFor = (dataDir: string) =>
  defaultConfig({ dataDir, logLevel: 'silent', platformEventsSecrets: [] });

/** A data folder whose database holds users with plain seeds, as every database before #11 did. */
function legacyStore(users: { id: string; secret: string | null; confirmed: number }[]): string {
  const dir = tempDir('dd-seal-');
  dirs.push(dir);
  const db = openDatabase(path.join(dir, DATABASE_FILE));
  const insert = db.prepare(
    `INSERT INTO users (id, username, display_name, role, password_hash, totp_secret, totp_confirmed, created_at)
     VALUES (?, ?, ?, 'agent', 'x', ?, ?, '2026-01-01T00:00:00.000Z')`,
  );
  for (const user of users) insert.run(user.id, user.id.toLowerCase(), user.id, user.secret, user.confirmed);
  db.close();
  return dir;
}

describe('TOTP seeds at rest', () => {
  it('are never in the database file, confirmed or pending, as base32 or raw bytes, nor are backup codes', async () => {
    const server = await createTestServer();
    servers.push(server);
    const users = [addUser(server.ctx, 'agent'), addUser(server.ctx, 'supervisor')];
    const diego = addEnrollingUser(server, 'diego', users[1]!.id);
    const pending = secretOf((await redeem(server, diego.invitation, diego.password)).body.otpauthUrl as string);
    const enrolling = addEnrollingUser(server, 'emma', users[1]!.id);
    const started = await redeem(server, enrolling.invitation, enrolling.password);
    const emmaSeed = secretOf(started.body.otpauthUrl as string);
    server.clock.advance(30_000);
    const confirmed = await submitCode(
      server,
      started.body.loginToken as string,
      oathtoolCode(emmaSeed, server.clock.now),
    );
    const backupCodes = confirmed.body.backupCodes as string[];
    expect(backupCodes).toHaveLength(10);
    const seeds = [...users.map((user) => user.totpSecret), pending, emmaSeed];
    // The seeds do work: the users SQL opens them.
    expect(findUserById(server.ctx.db, users[0]!.id)!.totpSecret).toBe(users[0]!.totpSecret);
    expect(findUserById(server.ctx.db, diego.id)!.totpSecret).toBe(pending);
    const dbFile = server.dbFile;
    const dir = server.dir;
    const bytes = () => storeBytes(dbFile);
    // Checkpoint the WAL into the file (and look at both before and after).
    const before = bytes();
    server.ctx.db.pragma('wal_checkpoint(TRUNCATE)');
    const after = bytes();
    for (const seed of seeds) {
      for (const image of [before, after]) {
        expect(image.includes(Buffer.from(seed, 'utf8')), seed).toBe(false);
        expect(image.includes(base32Bytes(seed)), `raw ${seed}`).toBe(false);
      }
    }
    // Backup codes were already stored only as hashes.
    for (const code of backupCodes) expect(after.includes(Buffer.from(code, 'utf8')), code).toBe(false);
    // The key is beside the database, private, and not in it.
    const keyFile = path.join(dir, SECRETS_KEY_FILE);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const key = Buffer.from(fs.readFileSync(keyFile, 'utf8').trim(), 'base64');
    expect(after.includes(key)).toBe(false);
  });

  it('stored in plain text leave no trace in the file once sealed, however many there were', async () => {
    // Enough users that a sealed seed does not land where its plain one was: the old bytes would stay in
    // freed space (and every backup) unless the file is rebuilt.
    const users = Array.from({ length: 60 }, (_, index) => ({
      id: `USR-${String(index).padStart(3, '0')}`,
      secret: randomBytes(20).toString('hex').toUpperCase().replace(/[^A-Z2-7]/g, 'Q').slice(0, 32),
      confirmed: 1,
    }));
    const dir = legacyStore(users);
    const server = await startServer(configFor(dir));
    servers.push(server);
    await server.close();
    servers = [];
    const bytes = Buffer.concat(
      fs
        .readdirSync(dir)
        .filter((name) => name.startsWith(DATABASE_FILE))
        .map((name) => fs.readFileSync(path.join(dir, name))),
    );
    expect(users.filter((user) => bytes.includes(Buffer.from(user.secret!))).map((user) => user.id)).toEqual([]);
  });

  it('are bound to their user: a sealed seed copied onto another user does not open', async () => {
    const server = await createTestServer();
    servers.push(server);
    const [a, b] = [addUser(server.ctx, 'agent'), addUser(server.ctx, 'agent')];
    server.ctx.db
      .prepare('UPDATE users SET totp_secret = (SELECT totp_secret FROM users WHERE id = ?) WHERE id = ?')
      .run(a.id, b.id);
    expect(() => findUserById(server.ctx.db, b.id)).toThrow(/does not open/);
  });

  it('stored in plain text by an older server are sealed at the first start, pending ones too', async () => {
    const plain = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const pending = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const dir = legacyStore([
      { id: 'USR-A', secret: plain, confirmed: 1 },
      { id: 'USR-B', secret: pending, confirmed: 0 },
      { id: 'USR-C', secret: null, confirmed: 0 },
    ]);
    expect(storeBytes(path.join(dir, DATABASE_FILE)).includes(Buffer.from(plain))).toBe(true);
    const server = await startServer(configFor(dir));
    servers.push(server);
    const rows = server.ctx.db
      .prepare(
        "SELECT id, totp_secret AS stored FROM users WHERE id IN ('USR-A', 'USR-B', 'USR-C') ORDER BY id",
      )
      .all() as { id: string; stored: string | null }[];
    expect(rows.map((row) => row.stored?.slice(0, 10) ?? null)).toEqual(['sealed:v1:', 'sealed:v1:', null]);
    expect(findUserById(server.ctx.db, 'USR-A')!.totpSecret).toBe(plain);
    expect(findUserById(server.ctx.db, 'USR-B')).toMatchObject({ totpSecret: pending, totpConfirmed: 0 });
    await server.close();
    servers = [];
    const bytes = storeBytes(path.join(dir, DATABASE_FILE));
    expect(bytes.includes(Buffer.from(plain))).toBe(false);
    expect(bytes.includes(Buffer.from(pending))).toBe(false);
  });

  describe('refuse to start', () => {
    async function sealedStore(): Promise<string> {
      const dir = legacyStore([{ id: 'USR-A', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', confirmed: 1 }]);
      await (await startServer(configFor(dir))).close();
      return dir;
    }

    const sealedColumn = (dir: string) => {
      const db = new Database(path.join(dir, DATABASE_FILE), { readonly: true });
      const row = db.prepare("SELECT totp_secret FROM users WHERE id = 'USR-A'").get() as {
        totp_secret: string;
      };
      db.close();
      return row.totp_secret;
    };

    it('without the key, rather than make a new one that opens no seed', async () => {
      const dir = await sealedStore();
      const sealed = sealedColumn(dir);
      fs.rmSync(path.join(dir, SECRETS_KEY_FILE));
      await expect(startServer(configFor(dir))).rejects.toThrow(
        /TOTP sealing key is missing.*Do not delete it/s,
      );
      // Nothing was changed: no new key, the seed still sealed as it was.
      expect(fs.existsSync(path.join(dir, SECRETS_KEY_FILE))).toBe(false);
      expect(sealedColumn(dir)).toBe(sealed);
    });

    it('with another key', async () => {
      const dir = await sealedStore();
      fs.writeFileSync(path.join(dir, SECRETS_KEY_FILE), `${randomBytes(32).toString('base64')}\n`, {
        mode: 0o600,
      });
      await expect(startServer(configFor(dir))).rejects.toThrow(
        /is not the one this database's seeds are sealed with/,
      );
    });

    it('with a key others can read, or one that is not a key', async () => {
      const dir = await sealedStore();
      const keyFile = path.join(dir, SECRETS_KEY_FILE);
      fs.chmodSync(keyFile, 0o644);
      await expect(startServer(configFor(dir))).rejects.toThrow(/can be read by other users.*chmod 600/);
      fs.writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
      fs.chmodSync(keyFile, 0o600);
      await expect(startServer(configFor(dir))).rejects.toThrow(/does not hold a key/);
    });

    it('with a seed sealed under another key even when the key id was lost', async () => {
      const dir = await sealedStore();
      const db = new Database(path.join(dir, DATABASE_FILE));
      db.prepare("DELETE FROM meta WHERE key = 'totp_seal_key_id'").run();
      db.prepare("UPDATE users SET totp_secret = ? WHERE id = 'USR-A'").run(
        secretBox(randomBytes(32)).seal('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 'USR-A'),
      );
      db.close();
      await expect(startServer(configFor(dir))).rejects.toThrow(/does not open/);
    });
  });

  it('use the key file DISPUTE_DESK_SECRETS_KEY_FILE names, outside the data folder', async () => {
    const keyDir = tempDir('dd-seal-key-');
    dirs.push(keyDir);
    const keyFile = path.join(keyDir, 'elsewhere.key');
    const dir = legacyStore([{ id: 'USR-A', secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', confirmed: 1 }]);
    const server = await startServer({ ...configFor(dir), secretsKeyFile: keyFile });
    servers.push(server);
    expect(fs.existsSync(keyFile)).toBe(true);
    expect(fs.existsSync(path.join(dir, SECRETS_KEY_FILE))).toBe(false);
    expect(defaultConfig({}).secretsKeyFile).toBe(process.env.DISPUTE_DESK_SECRETS_KEY_FILE ?? null);
  });
});
