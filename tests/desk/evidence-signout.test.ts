// An evidence file still downloading when the user signs out (issue #11): the sign-out's purge deletes
// every evidence file, and a download that finishes after it must not write its file back. A real server
// serves the file through a loopback proxy that holds the body half sent until the test lets it go; the
// user signs out meanwhile, and once the download has ended the whole data folder is scanned.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CaseDetail } from '../../shared/api/types';
import { attachEvidence, putEvidence } from '../../electron/server/evidence/store';
import { addCase } from '../server/harness';
import {
  addDeskUser,
  caughtUp,
  openDesk,
  readDeskDb,
  signIn,
  startLiveServer,
  unwrap,
  type LiveServer,
  type TestDesk,
} from './fixtures/live-desk';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface HoldingProxy {
  url: string;
  /** Resolves once an evidence answer's head and first half are on their way to the desk. */
  bodyStarted: Promise<void>;
  /** Sends the rest of the held evidence body. */
  release(): void;
  close(): Promise<void>;
}

/** Forwards everything to `target`; evidence answers stop half way until release(). */
async function startHoldingProxy(target: string): Promise<HoldingProxy> {
  let started!: () => void;
  const bodyStarted = new Promise<void>((resolve) => (started = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const server = http.createServer((request, response) => {
    const upstream = http.request(`${target}${request.url ?? '/'}`, { method: request.method, headers: request.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('end', () => {
        const body = Buffer.concat(chunks);
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!(request.url ?? '').startsWith('/v1/evidence/')) {
          response.end(body);
          return;
        }
        const half = Math.floor(body.length / 2);
        response.write(body.subarray(0, half), () => started());
        void released.then(() => response.end(body.subarray(half)));
      });
    });
    upstream.on('error', () => request.socket.destroy());
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodyStarted,
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Every regular file under `dir` with its bytes. */
function filesUnder(dir: string): { file: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { file, bytes: fs.readFileSync(file) };
    });
}

const holders = (dir: string, needle: Buffer) =>
  filesUnder(dir)
    .filter(({ bytes }) => bytes.includes(needle))
    .map(({ file }) => path.relative(dir, file));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('an evidence download cut across by sign-out', () => {
  it('writes nothing back after the purge: no file, no row, no party name, no image bytes', async () => {
    const server: LiveServer = await startLiveServer();
    cleanups.push(() => server.close());
    // An ID photo on a case: its bytes large enough to be sent in more than one piece.
    const image = Buffer.concat([PNG_SIGNATURE, Buffer.from('ID photo of the buyer '.repeat(4_000))]);
    const sha256 = createHash('sha256').update(image).digest('hex');
    const caseId = addCase(server.ctx);
    server.ctx.write(() => {
      putEvidence(server.ctx.db, image, server.ctx.now());
      attachEvidence(server.ctx.db, { caseId, sha256, kind: 'id_photo', uploader: 'buyer', at: server.ctx.now() });
    });
    const proxy = await startHoldingProxy(server.url);
    cleanups.push(() => proxy.close());
    const desk: TestDesk = await openDesk(proxy.url);
    cleanups.push(() => desk.desk.close());

    const synced = caughtUp(desk, server);
    await signIn(desk.desk, addDeskUser(server, 'agent'));
    await synced;
    const detail = readDeskDb(desk.dataDir, (db) =>
      JSON.parse(
        (db.prepare('SELECT d.detail FROM cases c JOIN case_details d ON d.row_id = c.row_id WHERE c.id = ?').get(caseId) as {
          detail: string;
        }).detail,
      ),
    ) as CaseDetail;
    expect(detail.evidence.map((file) => file.sha256)).toContain(sha256);
    const partyName = Buffer.from(detail.buyer.displayName);

    // The photo is asked for and half of it has arrived when the user signs out.
    const download = desk.desk.evidenceFile(sha256).then(
      (file) => ({ kept: file !== null }),
      (error: unknown) => ({ refused: (error as { code?: string }).code }),
    );
    await proxy.bodyStarted;
    await unwrap(desk.desk.handle('session.signOut'));
    // The purge has ended once it says so (after the evidence folder is gone).
    await expect
      .poll(() => desk.logs.some((entry) => entry.message.startsWith('Signed out: the cached cases and evidence files were deleted')))
      .toBe(true);

    proxy.release();
    const outcome = await download;
    await desk.desk.close();

    expect(fs.existsSync(path.join(desk.dataDir, 'evidence'))).toBe(false);
    expect(readDeskDb(desk.dataDir, (db) => db.prepare('SELECT COUNT(*) AS n FROM evidence_files').get())).toEqual({ n: 0 });
    expect(holders(desk.dataDir, partyName), 'party name').toEqual([]);
    expect(holders(desk.dataDir, image.subarray(PNG_SIGNATURE.length, PNG_SIGNATURE.length + 64)), 'image bytes').toEqual([]);
    // The one who asked is told the file was not kept, rather than shown it after signing out.
    expect(outcome).toEqual({ refused: 'evidence_unavailable' });
  });
});
