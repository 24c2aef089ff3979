// Signed checkpoints (issue #9): the server signs the audit chain's head inside each write, with a key kept
// in a file of its own; the signature verifies with Node's crypto and the published key alone.
import { createPublicKey, generateKeyPairSync, sign as cryptoSign, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAudit, hashAuditEntry, verifyAuditChain } from '../../electron/server/audit/chain';
import { AUDIT_KEY_FILE } from '../../electron/server/audit/signing-key';
import { defaultConfig } from '../../electron/server/config';
import { createContext } from '../../electron/server/context';
import { rewriteAuditEntry, truncateAuditLog } from './fixtures/audit-tamper';
import { addUser, createTestServer, type TestServer, type TestUser } from './harness';
import { heldSync } from './fixtures/held-sync';

let server: TestServer;
afterEach(async () => {
  await server?.close();
});

function append(count: number) {
  for (let i = 0; i < count; i++) {
    server.ctx.write(() =>
      appendAudit(server.ctx.db, server.clock.now, { actor: 'u1', action: 'test', subject: `s${i}`, data: { i } }),
    );
    server.clock.advance(1000);
  }
}

function rowEntry(row: Record<string, string | number>) {
  return {
    seq: row.seq as number,
    at: row.at as string,
    actor: row.actor as string,
    action: row.action as string,
    subject: row.subject as string,
    data: JSON.parse(row.data as string) as unknown,
    prevHash: row.prev_hash as string,
    hash: row.hash as string,
  };
}

async function get(url: string, user: TestUser) {
  return server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${user.token}` } });
}

describe('signed checkpoints', () => {
  it('signs the head after every write; the signature verifies with Node crypto and the raw public key', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    append(3);
    const response = await get('/v1/audit/checkpoint', sofia);
    expect(response.statusCode).toBe(200);
    const checkpoint = response.json();
    expect(checkpoint).toMatchObject({ origin: 'dispute-desk/audit', seq: 3 });
    const head = server.ctx.db.prepare('SELECT hash FROM audit_log WHERE seq = 3').get() as { hash: string };
    expect(checkpoint.hash).toBe(head.hash);

    const raw = Buffer.from(checkpoint.publicKey, 'base64');
    expect(raw).toHaveLength(32);
    // Only Node's crypto and the published key: the JWK form takes the raw key as base64url.
    const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
    const text = `${checkpoint.origin}\n${checkpoint.seq}\n${checkpoint.hash}\n${checkpoint.at}\n`;
    expect(verify(null, Buffer.from(text, 'utf8'), key, Buffer.from(checkpoint.signature, 'base64'))).toBe(true);
    const forged = text.replace(`\n${checkpoint.seq}\n`, `\n${checkpoint.seq - 1}\n`);
    expect(verify(null, Buffer.from(forged, 'utf8'), key, Buffer.from(checkpoint.signature, 'base64'))).toBe(false);

    const listed = (await get('/v1/audit/checkpoints?after=0', sofia)).json().checkpoints as { seq: number }[];
    expect(listed.map((c) => c.seq)).toEqual([1, 2, 3]);
    expect((await get('/v1/audit/checkpoints?after=2', sofia)).json().checkpoints).toHaveLength(1);
  });

  it('keeps the key in a file of mode 0600 outside the database, and refuses one others can read', async () => {
    server = await createTestServer();
    append(1);
    const keyFile = path.join(server.dir, AUDIT_KEY_FILE);
    if (process.platform !== 'win32') expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    const database = fs.readFileSync(server.dbFile);
    expect(database.includes(fs.readFileSync(keyFile, 'utf8').split('\n')[1]!)).toBe(false);

    fs.chmodSync(keyFile, 0o644);
    const other = await createTestServer({ auditKeyFile: keyFile });
    try {
      expect(() => other.ctx.signer()).toThrow(/chmod 600/);
    } finally {
      await other.close();
    }
  });

  it('answers 404 while the log is empty, and only to supervisors', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    const ana = addUser(server.ctx, 'agent');
    // Making users appends nothing to the audit log in the harness: the log is empty.
    const empty = server.ctx.db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number };
    if (empty.n === 0) expect((await get('/v1/audit/checkpoint', sofia)).statusCode).toBe(404);
    expect((await get('/v1/audit/checkpoint', ana)).statusCode).toBe(403);
    expect((await get('/v1/audit/checkpoints', ana)).statusCode).toBe(403);
  });

  it('refuses to sign over a rewritten history, and the append-only triggers stop a plain UPDATE or DELETE', async () => {
    server = await createTestServer();
    append(3);
    const db = server.ctx.db;
    expect(() => db.prepare("UPDATE audit_log SET actor = 'x' WHERE seq = 2").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log WHERE seq = 3').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_checkpoints').run()).toThrow(/append-only/);

    // An insider with the database file: drops the trigger, edits entry 2 and recomputes the chain after it.
    const other = new Database(server.dbFile);
    other.exec('DROP TRIGGER audit_log_append_only_update');
    const rows = other.prepare('SELECT * FROM audit_log ORDER BY seq').all() as Record<string, string | number>[];
    let prevHash = rows[0]!.hash as string;
    for (const row of rows.slice(1)) {
      const data = row.seq === 2 ? { i: 99 } : (JSON.parse(row.data as string) as unknown);
      const { hash: _hash, ...unhashed } = { ...rowEntry(row), data, prevHash };
      const hash = hashAuditEntry(unhashed);
      other.prepare('UPDATE audit_log SET data = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(JSON.stringify(data), prevHash, hash, row.seq);
      prevHash = hash;
    }
    other.close();
    expect(verifyAuditChain(db)).toMatchObject({ ok: true });
    append(1);
    expect(server.ctx.checkpoints.problem()).toMatch(/entry 3 no longer has the hash its checkpoint signed/);
    const latest = db.prepare('SELECT max(seq) AS seq FROM audit_checkpoints').get() as { seq: number };
    expect(latest.seq).toBe(3);
  });
});

describe('GET /v1/audit/verify against the checkpoints', () => {
  it('says ok, with the newest checkpoint, while the log extends what the server signed', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    append(3);
    expect((await get('/v1/audit/verify', sofia)).json()).toEqual({
      ok: true,
      checked: 3,
      head: { seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) },
      firstBad: null,
      checkpoint: { seq: 3, ok: true },
      problem: null,
    });
  });

  it('is no longer ok when a row was edited and the chain recomputed after it: the checkpoints tell', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    append(4);
    rewriteAuditEntry(server.dbFile, 2, { i: 99 });
    // The chain alone still verifies: that is what an insider recomputing it is after.
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: true, checked: 4 });
    const answer = (await get('/v1/audit/verify', sofia)).json();
    expect(answer).toMatchObject({
      ok: false,
      checked: 4,
      firstBad: 2,
      checkpoint: { seq: 4, ok: false },
      problem: 'entry 2 no longer has the hash its checkpoint signed',
    });
  });

  it('is no longer ok when the log was cut below a checkpoint', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    append(4);
    truncateAuditLog(server.dbFile, 2);
    expect((await get('/v1/audit/verify', sofia)).json()).toMatchObject({
      ok: false,
      checked: 2,
      head: { seq: 2 },
      firstBad: 3,
      checkpoint: { seq: 4, ok: false },
      problem: 'entry 3, signed in a checkpoint, is missing',
    });
  });

  it('reports a broken chain as before, with its first bad entry', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    append(3);
    const other = new Database(server.dbFile);
    other.exec('DROP TRIGGER audit_log_append_only_update');
    other.prepare(`UPDATE audit_log SET data = '{"i":7}' WHERE seq = 3`).run();
    other.close();
    expect((await get('/v1/audit/verify', sofia)).json()).toMatchObject({
      ok: false,
      firstBad: 3,
      checkpoint: { seq: 3, ok: true },
      problem: 'entry 3 breaks the chain',
    });
  });
});

describe('the last signed checkpoint, recorded outside the database', () => {
  function deleteCheckpointsFrom(dbFile: string, seq: number) {
    const other = new Database(dbFile);
    other.exec('DROP TRIGGER IF EXISTS audit_checkpoints_append_only_delete');
    other.prepare('DELETE FROM audit_checkpoints WHERE seq >= ?').run(seq);
    other.close();
  }

  it('is written beside the key (0600) after the write commits, batched to once a second', async () => {
    server = await createTestServer();
    append(2);
    const headFile = path.join(server.dir, `${AUDIT_KEY_FILE}.head`);
    // In memory at once; in the file within a second (or on close, or a flush).
    expect(server.ctx.checkpoints.recorded()).toMatchObject({ seq: 2 });
    await expect.poll(() => fs.existsSync(headFile), { timeout: 5_000 }).toBe(true);
    expect(JSON.parse(fs.readFileSync(headFile, 'utf8'))).toMatchObject({ seq: 2, publicKey: server.ctx.signer().publicKey });
    if (process.platform !== 'win32') expect(fs.statSync(headFile).mode & 0o777).toBe(0o600);
    // A write that fails leaves the record where it was.
    expect(() =>
      server.ctx.write(() => {
        appendAudit(server.ctx.db, server.clock.now, { actor: 'u1', action: 'test', subject: 'x', data: {} });
        throw new Error('changed my mind');
      }),
    ).toThrow('changed my mind');
    expect(server.ctx.checkpoints.recorded()).toMatchObject({ seq: 2 });
    append(1);
    server.ctx.checkpoints.flush();
    expect(JSON.parse(fs.readFileSync(headFile, 'utf8'))).toMatchObject({ seq: 3 });
  });

  it('names only a checkpoint that is on disk: the file waits for the sync of its transaction (group commit)', async () => {
    const held = heldSync();
    server = await createTestServer({}, { syncWal: held.sync });
    append(2);
    const headFile = path.join(server.dir, `${AUDIT_KEY_FILE}.head`);
    // A second on, the record asks for the sync; until it is done the file would name a checkpoint that a
    // power cut could take back, which the restarted server would read as tampering.
    await held.called(1);
    expect(fs.existsSync(headFile)).toBe(false);
    held.release();
    await expect.poll(() => fs.existsSync(headFile), { timeout: 5_000 }).toBe(true);
    expect(JSON.parse(fs.readFileSync(headFile, 'utf8'))).toMatchObject({ seq: 2 });
  });

  it('stops the server signing a history rewritten after the newest checkpoints were deleted, and verify says so', async () => {
    server = await createTestServer();
    const sofia = addUser(server.ctx, 'supervisor');
    append(6);
    // The insider rewrites entry 4, recomputes the chain, and deletes the checkpoints from 4 on.
    rewriteAuditEntry(server.dbFile, 4, { i: 'rewritten' });
    deleteCheckpointsFrom(server.dbFile, 4);
    expect(verifyAuditChain(server.ctx.db)).toMatchObject({ ok: true });
    const verified = (await get('/v1/audit/verify', sofia)).json();
    expect(verified).toMatchObject({ ok: false, firstBad: 4 });
    expect(verified.problem).toMatch(/checkpoint 6, which this server signed, is missing/);
    append(1);
    expect(server.ctx.checkpoints.problem()).toMatch(/checkpoint 6, which this server signed, is missing/);
    const newest = server.ctx.db.prepare('SELECT max(seq) AS seq FROM audit_checkpoints').get() as { seq: number };
    expect(newest.seq).toBe(3);
  });

  it('refuses a newest checkpoint signed with a key the server does not hold', async () => {
    server = await createTestServer();
    append(2);
    const forger = generateKeyPairSync('ed25519');
    const publicKey = forger.publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
    append(1);
    const head = server.ctx.db.prepare('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1').get() as { seq: number; hash: string };
    // A fresh head signed by the insider's key, slipped in after the server's own checkpoints.
    const other = new Database(server.dbFile);
    other.exec('DROP TRIGGER IF EXISTS audit_checkpoints_append_only_delete');
    other.prepare('DELETE FROM audit_checkpoints WHERE seq = ?').run(head.seq);
    const at = server.clock.now.toISOString();
    const text = `dispute-desk/audit\n${head.seq}\n${head.hash}\n${at}\n`;
    other
      .prepare('INSERT INTO audit_checkpoints (seq, origin, hash, at, key_id, public_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(head.seq, 'dispute-desk/audit', head.hash, at, 'forged', publicKey, cryptoSign(null, Buffer.from(text), forger.privateKey).toString('base64'));
    other.close();
    append(1);
    expect(server.ctx.checkpoints.problem()).toMatch(/not the one this server signed|a key this server does not hold/);
  });

  it('a restarted server with the same data folder keeps checking against the record', async () => {
    server = await createTestServer();
    append(3);
    server.ctx.checkpoints.flush();
    deleteCheckpointsFrom(server.dbFile, 3);
    // A new context on the same folder and file, as after a restart.
    const restarted = createContext(new Database(server.dbFile), defaultConfig({ dataDir: server.dir, logLevel: 'silent' }));
    restarted.write(() => appendAudit(restarted.db, new Date(), { actor: 'u1', action: 'test', subject: 'after', data: {} }));
    expect(restarted.checkpoints.problem()).toMatch(/checkpoint 3, which this server signed, is missing/);
    restarted.db.close();
  });
});
