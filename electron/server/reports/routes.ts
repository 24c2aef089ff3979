// GET /v1/reports/{id}: a filed suspicious activity report as JSON (the default), as a PDF for people or
// as goAML-style STR XML for the financial intelligence unit. All three render the frozen content.
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { Report } from '../../../shared/api/types';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import { defineRoute } from '../http/route';
import { readReportContent } from '../sql/kyt-review';
import { renderGoamlXml } from './goaml';
import { renderReportPdf } from './pdf';
import { safeFileName } from './text';

export function registerReportRoutes(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.report, async ({ params, query, reply }) => {
    const content = readReportContent(ctx.db, params.id);
    if (content === null) throw notFound('The report');
    const report = JSON.parse(content) as Report;
    if (query.format === 'json') return report;
    const file =
      query.format === 'pdf'
        ? { bytes: await renderReportPdf(report), type: 'application/pdf', extension: 'pdf' }
        : { bytes: Buffer.from(renderGoamlXml(report), 'utf8'), type: 'application/xml; charset=utf-8', extension: 'xml' };
    return reply
      .status(ROUTES.report.status)
      .header('content-type', file.type)
      .header('content-disposition', `attachment; filename="${safeFileName(report.id)}.${file.extension}"`)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .send(file.bytes);
  });
}
