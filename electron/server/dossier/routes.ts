// GET /v1/cases/{id}/dossier: a decided case's signed dossier as JSON (the default) or as a PDF that
// carries it. Composing, signing and auditing the export happen in one write; the PDF is drawn after.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { exportDossier } from './compose';
import { dossierFileName, renderDossierPdf } from './pdf';

export function registerDossierRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.caseDossier, async ({ params, query, user, reply }) => {
    const signed = ctx.write(() => exportDossier(ctx, params.id, user, query.format));
    if (query.format === 'json') return signed;
    return reply
      .status(ROUTES.caseDossier.status)
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="${dossierFileName(params.id, 'pdf')}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(await renderDossierPdf(signed));
  });
}
