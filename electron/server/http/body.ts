// Request bodies (DESIGN §2, "on every call"): JSON only, at most 1 MiB (the app's bodyLimit), with the
// raw bytes kept for signature checks. Every body is read in full whatever its type, so that one over
// 1 MiB is a 413 payload_too_large on every route, and only then judged: a body that is not JSON, by its
// bytes or by its declared type, is 400 invalid_request like any other body of the wrong shape.
import type { FastifyInstance } from 'fastify';
import { ApiError, invalidRequest } from '../errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The exact bytes of the body, for signature checks (webhooks). */
    rawBody?: Buffer;
  }
}

type Done = (error: Error | null, body?: unknown) => void;

/** Parses JSON bytes; an empty body is no body. */
export function parseJsonBody(body: Buffer): unknown {
  if (body.length === 0) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw invalidRequest('The body is not valid JSON.');
  }
}

export const payloadTooLarge = () =>
  new ApiError(413, 'payload_too_large', 'The request body is over 1 MiB.');

export function registerBodyParsers(app: FastifyInstance, maxBodyBytes: number): void {
  // Fastify reads no body on GET and HEAD, so its bodyLimit never sees one there: a declared length over
  // the limit is refused up front on every method, before any of it is read.
  app.addHook('onRequest', async (request) => {
    if (Number(request.headers['content-length']) > maxBodyBytes) throw payloadTooLarge();
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done: Done) => {
    request.rawBody = body;
    // An unknown route is a 404 whatever its body says: nothing will read it, so it is not judged.
    if (request.is404) return done(null, undefined);
    try {
      done(null, parseJsonBody(body));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  // Any other type, or none: read (so the size limit applies), then refused unless there is nothing in it.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done: Done) => {
    if (request.is404 || body.length === 0) return done(null, undefined);
    done(invalidRequest('Send the body as JSON, with Content-Type: application/json.'), undefined);
  });
}
