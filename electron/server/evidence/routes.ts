// Evidence downloads (DESIGN §2): the stored bytes with the type sniffed when they were stored. Files are
// addressed by content, so a response never changes and may be cached for good by the one who fetched it.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import { defineRoute } from '../http/route';
import { readEvidenceFile } from './store';

/** Headers for serving untrusted uploads: the sniffed type only, no sniffing by the client, no scripts. */
export function evidenceHeaders(sha256: string, mime: string, size: number): Record<string, string> {
  // A PDF can carry scripts and forms: it is saved, not rendered inline next to the app.
  const disposition = mime === 'application/pdf' ? `attachment; filename="${sha256}.pdf"` : 'inline';
  return {
    'Content-Type': mime,
    'Content-Length': String(size),
    'Content-Disposition': disposition,
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, max-age=31536000, immutable',
    ETag: `"${sha256}"`,
  };
}

export async function registerEvidenceRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  defineRoute(app, ctx, ROUTES.evidence, ({ params, request, reply }) => {
    const { sha256 } = params;
    // readEvidenceFile accepts only 64 lowercase hex digits: anything else (`../x`, encoded slashes) is
    // simply a file that does not exist.
    const file = readEvidenceFile(ctx.db, sha256);
    if (!file) throw notFound('The evidence file');
    const headers = evidenceHeaders(sha256, file.mime, file.bytes.length);
    if (request.headers['if-none-match'] === headers.ETag) {
      const { 'Content-Length': _length, ...unchanged } = headers;
      return reply.status(304).headers(unchanged).send();
    }
    return reply.headers(headers).send(file.bytes);
  });
}
