// The evidence store against the real platform server: a file is downloaded once (even when asked for
// many times at once), kept by sha256 under the data folder, checked against its sha256, kept within a
// size limit and an LRU cap on disk; a tampered download (from a tiny fake server) is refused.
import { sealedName, unseal } from '../../electron/desk/evidence/sealed-file';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiClient } from '../../electron/desk/api-client';
import { createEvidenceStore, type EvidenceDeps } from '../../electron/desk/evidence/evidence-store';
import { withInputChecks } from '../../electron/desk/handlers';
import { putEvidence } from '../../electron/server/evidence/store';
import { addUser, tempDir } from '../server/harness';
import { openTestDesk, signIn, startPlatform, type Platform, type TestDesk } from './outbox-harness';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A file the server takes as a PNG, `size` bytes long, different for each `seed`. */
const pngOf = (seed: number, size = 1_000) =>
  Buffer.concat([PNG_SIGNATURE, Buffer.alloc(size - PNG_SIGNATURE.length, seed)]);

const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

let platform: Platform;
let dataDir: string;
let desk: TestDesk;
let clock: Date;
const EVIDENCE_KEY = Buffer.alloc(32, 7);

/** Stores `bytes` on the platform server; returns their sha256. */
function upload(bytes: Buffer): string {
  const ctx = platform.server.ctx;
  return ctx.write(() => putEvidence(ctx.db, bytes, ctx.now())).sha256;
}

function store(overrides: Partial<EvidenceDeps> = {}) {
  return createEvidenceStore(desk.ctx, {
    platform: desk.api,
    evidenceUrl: (sha256) => `desk-evidence://file/${sha256}`,
    fileKey: EVIDENCE_KEY,
    ...overrides,
  });
}

const downloadsOf = (sha256: string) =>
  platform.proxy.requests.filter((r) => r.path === `/v1/evidence/${sha256}`).length;
const fileOnDisk = (sha256: string) => {
  const name = sealedName(EVIDENCE_KEY, sha256);
  return path.join(dataDir, 'evidence', name.slice(0, 2), name);
};
const heldFiles = () =>
  (
    desk.ctx.db.prepare('SELECT sha256 FROM evidence_files ORDER BY sha256').all() as { sha256: string }[]
  ).map((r) => r.sha256);
/** Moves the desk's clock on, so that "least recently used" is unambiguous. */
const tick = () => {
  clock = new Date(clock.getTime() + 1_000);
};

beforeEach(async () => {
  platform = await startPlatform();
  dataDir = tempDir('dd-desk-evidence-');
  clock = new Date('2026-11-24T12:00:00.000Z');
  desk = openTestDesk(dataDir, platform.proxy.url, { now: () => clock });
  await signIn(desk, platform.server, addUser(platform.server.ctx, 'agent'));
});

afterEach(async () => {
  desk.close();
  await platform.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('evidence store', () => {
  it('downloads a file once, keeps it by sha256 in a sharded folder and serves it from disk afterwards', async () => {
    const bytes = pngOf(1);
    const sha256 = upload(bytes);
    const evidence = store();

    expect(await evidence.evidenceFile(sha256)).toEqual({ bytes, mime: 'image/png' });
    expect(await evidence.evidenceFile(sha256)).toEqual({ bytes, mime: 'image/png' });

    expect(downloadsOf(sha256)).toBe(1);
    // Kept encrypted: the bytes on disk are not the file's, and open to the key.
    const sealed = fs.readFileSync(fileOnDisk(sha256));
    expect(sealed.includes(bytes)).toBe(false);
    expect(unseal(EVIDENCE_KEY, sealed)).toEqual(bytes);
    expect(desk.ctx.db.prepare('SELECT mime, size FROM evidence_files WHERE sha256 = ?').get(sha256)).toEqual(
      {
        mime: 'image/png',
        size: bytes.length,
      },
    );
  });

  it('downloads a file asked for many times at once only once', async () => {
    const bytes = pngOf(2, 200_000);
    const sha256 = upload(bytes);
    const evidence = store();

    const answers = await Promise.all(Array.from({ length: 8 }, () => evidence.evidenceFile(sha256)));

    expect(answers.every((answer) => answer?.bytes.equals(bytes))).toBe(true);
    expect(downloadsOf(sha256)).toBe(1);
  });

  it('keeps the total on disk under the cap by dropping the least recently used files', async () => {
    const [a, b, c, d] = [11, 12, 13, 14].map((seed) => upload(pngOf(seed))) as [
      string,
      string,
      string,
      string,
    ];
    const evidence = store({ maxTotalBytes: 3_000, maxFileBytes: 1_000 });
    for (const sha256 of [a, b, c]) {
      tick();
      await evidence.evidenceFile(sha256);
    }
    tick();
    await evidence.evidenceFile(a); // a is now used more recently than b and c

    tick();
    await evidence.evidenceFile(d);

    expect(heldFiles()).toEqual([a, c, d].sort());
    expect(fs.existsSync(fileOnDisk(b))).toBe(false);
    expect(fs.existsSync(fileOnDisk(c))).toBe(true);

    // b comes back by downloading it again, and c, now the least recently used, makes room.
    tick();
    expect((await evidence.evidenceFile(b))?.bytes).toEqual(pngOf(12));
    expect(downloadsOf(b)).toBe(2);
    expect(heldFiles()).toEqual([a, b, d].sort());
    expect(fs.existsSync(fileOnDisk(c))).toBe(false);
  });

  it('refuses a file larger than the size limit and keeps nothing of it', async () => {
    const sha256 = upload(pngOf(3, 5_000));
    const evidence = store({ maxFileBytes: 4_096 });

    await expect(evidence.evidenceFile(sha256)).rejects.toMatchObject({ code: 'evidence_too_large' });
    expect(heldFiles()).toEqual([]);
    expect(fs.existsSync(fileOnDisk(sha256))).toBe(false);
  });

  it('downloads again a kept file that was damaged on disk', async () => {
    const bytes = pngOf(4);
    const sha256 = upload(bytes);
    const evidence = store();
    await evidence.evidenceFile(sha256);
    fs.writeFileSync(fileOnDisk(sha256), 'not the file any more');

    expect((await evidence.evidenceFile(sha256))?.bytes).toEqual(bytes);
    expect(downloadsOf(sha256)).toBe(2);
    // Kept encrypted: the bytes on disk are not the file's, and open to the key.
    const sealed = fs.readFileSync(fileOnDisk(sha256));
    expect(sealed.includes(bytes)).toBe(false);
    expect(unseal(EVIDENCE_KEY, sealed)).toEqual(bytes);
  });

  it('answers null for a file the server does not have, and for anything that is not a sha256', async () => {
    const evidence = store();
    expect(await evidence.evidenceFile('a'.repeat(64))).toBeNull();
    expect(await evidence.evidenceFile('../../etc/passwd')).toBeNull();
    expect(await evidence.evidenceFile('A'.repeat(64))).toBeNull();
    expect(platform.proxy.requests.filter((r) => r.path.startsWith('/v1/evidence/'))).toHaveLength(1);
  });

  it('says so when the server cannot be reached', async () => {
    const sha256 = upload(pngOf(5));
    platform.proxy.down = true;
    await expect(store().evidenceFile(sha256)).rejects.toMatchObject({ code: 'evidence_unavailable' });
    expect(heldFiles()).toEqual([]);
  });

  it('gives the renderer a URL from the host, never a path', async () => {
    const sha256 = upload(pngOf(6));
    // As the desk service does: every input is checked against its channel's schema before a handler runs.
    const handlers = withInputChecks(store().handlers);
    expect(await handlers['evidence.url']!({ sha256 })).toEqual({
      url: `desk-evidence://file/${sha256}`,
    });
    await expect(handlers['evidence.url']!({ sha256: '../desk.db' })).rejects.toMatchObject({
      code: 'invalid_request',
    });
  });
});

describe('a tampered download', () => {
  let fake: http.Server;

  afterEach(async () => {
    fake.closeAllConnections();
    await new Promise((resolve) => fake.close(resolve));
  });

  it('is refused when its bytes do not match the sha256 asked for, and nothing is kept', async () => {
    const genuine = pngOf(7);
    const sha256 = sha256Of(genuine);
    // A server (or anything in between) answering with other bytes under the genuine file's name.
    fake = http.createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(pngOf(8));
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const api = createApiClient({
      baseUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}`,
      token: () => 'a-token',
      onUnauthenticated: () => {},
    });

    await expect(store({ platform: api }).evidenceFile(sha256)).rejects.toMatchObject({
      code: 'evidence_mismatch',
    });

    expect(heldFiles()).toEqual([]);
    expect(fs.existsSync(path.join(dataDir, 'evidence'))).toBe(false);
    expect(desk.logs).toContainEqual(expect.objectContaining({ level: 'warn', data: { sha256 } }));
  });
});
