// GET /v1/evidence/{sha256} (DESIGN §2): stored bytes back with their sniffed type and headers that keep a
// browser from reinterpreting them; anything that is not a sha256 is simply not found, never a path.
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { afterEach, describe, expect, it } from 'vitest';
import { putEvidence } from '../../electron/server/evidence/store';
import { addUser, bearer, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

function smallPng(): Buffer {
  const png = new PNG({ width: 4, height: 3 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([20, 120, 220, 255], i);
  return PNG.sync.write(png);
}

const store = (bytes: Buffer) => server.ctx.write(() => putEvidence(server.ctx.db, bytes, server.clock.now));

const download = (path: string, user?: TestUser, headers: Record<string, string> = {}) =>
  server.app.inject({
    method: 'GET',
    url: `/v1/evidence/${path}`,
    headers: { ...(user ? bearer(user) : {}), ...headers },
  });

describe('GET /v1/evidence/{sha256}', () => {
  it('returns a PNG byte for byte with its sniffed type, inline, never sniffed by the client', async () => {
    server = await createTestServer();
    const png = smallPng();
    const { sha256, mime } = store(png);
    expect(sha256).toBe(createHash('sha256').update(png).digest('hex'));
    expect(mime).toBe('image/png');
    for (const role of ['agent', 'compliance', 'supervisor'] as const) {
      const response = await download(sha256, addUser(server.ctx, role));
      expect(response.statusCode).toBe(200);
      expect(response.rawPayload.equals(png)).toBe(true);
      expect(response.headers).toMatchObject({
        'content-type': 'image/png',
        'content-length': String(png.length),
        'x-content-type-options': 'nosniff',
        'content-disposition': 'inline',
        'cache-control': 'private, max-age=31536000, immutable',
        etag: `"${sha256}"`,
      });
    }
    const decoded = PNG.sync.read((await download(sha256, addUser(server.ctx, 'agent'))).rawPayload);
    expect([decoded.width, decoded.height]).toEqual([4, 3]);
  });

  it('serves a PDF as an attachment', async () => {
    server = await createTestServer();
    const pdf = Buffer.from(
      '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n',
    );
    const { sha256 } = store(pdf);
    const response = await download(sha256, addUser(server.ctx, 'agent'));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${sha256}.pdf"`);
    expect(response.rawPayload.equals(pdf)).toBe(true);
  });

  it('answers 304 to a client that already holds the file', async () => {
    server = await createTestServer();
    const { sha256 } = store(smallPng());
    const response = await download(sha256, addUser(server.ctx, 'agent'), { 'if-none-match': `"${sha256}"` });
    expect(response.statusCode).toBe(304);
    expect(response.rawPayload.length).toBe(0);
  });

  it('answers 404 not_found for an unknown file', async () => {
    server = await createTestServer();
    const response = await download('a'.repeat(64), addUser(server.ctx, 'agent'));
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it.each([
    '..%2F..%2Fetc%2Fpasswd',
    '..%2f..%2f..%2fplatform.db',
    '../x',
    '..',
    '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    '..%5C..%5Cwindows%5Cwin.ini',
    '%00',
    'A'.repeat(64),
    'a'.repeat(63),
    `${'a'.repeat(64)}%00.png`,
    `${'a'.repeat(64)}/..`,
  ])('answers %s with a 4xx envelope, never a file or a 5xx', async (path) => {
    server = await createTestServer();
    const { sha256 } = store(smallPng());
    const user = addUser(server.ctx, 'agent');
    const response = await download(path.replace('A'.repeat(64), sha256.toUpperCase()), user);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });

  it('answers ids the router refuses with the envelope too', async () => {
    server = await createTestServer();
    const user = addUser(server.ctx, 'agent');
    const tooLong = await download('x'.repeat(5000), user);
    expect(tooLong.statusCode).toBe(404);
    expect(tooLong.json().error.code).toBe('not_found');
    const badlyEncoded = await download('%E0%A4%A', user);
    expect(badlyEncoded.statusCode).toBe(400);
    expect(badlyEncoded.json().error.code).toBe('invalid_request');
  });

  it('asks for a session first', async () => {
    server = await createTestServer();
    const { sha256 } = store(smallPng());
    for (const path of [sha256, '..%2F..%2Fetc%2Fpasswd']) {
      const response = await download(path);
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });
});
