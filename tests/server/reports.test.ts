// Suspicious activity reports (issue #8): filed by a `report` decision, frozen, and read back as JSON, as a
// PDF (parsed here with pdfjs, as a reader would open it) and as goAML-style STR XML (parsed here).
import { afterEach, describe, expect, it } from 'vitest';
import { create } from 'xmlbuilder2';
import { report as reportSchema } from '../../shared/api/responses';
import type { Report } from '../../shared/api/types';
import { toWinAnsi } from '../../electron/server/reports/text';
import { call } from './fixtures/case-api';
import { addReviewScenario, type Scenario } from './fixtures/kyt-review';
import { addUser, bearer, createTestServer, type TestServer, type TestUser } from './harness';

let server: TestServer;
afterEach(async () => server?.close());

const NARRATIVE = 'The subject sold 400 USDT to one buyer within a day, then opened a dispute.';

async function fileReport(): Promise<{ scenario: Scenario; carla: TestUser; reportId: string }> {
  server = await createTestServer();
  const carla = addUser(server.ctx, 'compliance', 'carla');
  const scenario = addReviewScenario(server);
  server.clock.advance(60_000);
  const decided = await call(server, carla, 'POST', `/v1/kyt/alerts/${scenario.alertId}/decision`, {
    decision: 'report',
    reason: 'Trade velocity well above the profile.',
    narrative: NARRATIVE,
  });
  expect(decided.status, JSON.stringify(decided.body)).toBe(200);
  return { scenario, carla, reportId: decided.body.reportId as string };
}

const download = (user: TestUser, reportId: string, format: string) =>
  server.app.inject({ method: 'GET', url: `/v1/reports/${reportId}?format=${format}`, headers: bearer(user) });

async function pdfText(bytes: Buffer): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const document = await pdfjs.getDocument({ data: new Uint8Array(bytes), disableFontFace: true, verbosity: 0 }).promise;
  const lines: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const page = await document.getPage(number);
    const content = await page.getTextContent();
    let line = '';
    for (const item of content.items) {
      if (!('str' in item)) continue;
      line += item.str;
      if (item.hasEOL) {
        lines.push(line);
        line = '';
      }
    }
    lines.push(line);
  }
  await document.destroy();
  return lines.join('\n');
}

describe('a report decision', () => {
  it('freezes what the reviewer saw: entity, subject with KYC, widened window, trades, reason, narrative, evidence, alerts', async () => {
    const { scenario, carla, reportId } = await fileReport();
    const answer = await call(server, carla, 'GET', `/v1/reports/${reportId}`);
    expect(answer.status).toBe(200);
    const report: Report = reportSchema.parse(answer.body);
    expect(report).toMatchObject({
      id: reportId,
      code: 'STR',
      alertId: scenario.alertId,
      caseId: scenario.caseId,
      createdBy: { id: carla.id, username: 'carla' },
      reportingEntity: { id: 'DD-DEMO-0001', name: 'Dispute Desk demo exchange', country: 'VE' },
      subject: {
        id: scenario.subjectId,
        displayName: 'João Gonçalves Muñoz',
        country: 'BR',
        kycStatus: 'verified',
        documentType: 'passport',
      },
      reason: 'Trade velocity well above the profile.',
      narrative: NARRATIVE,
    });
    // The alert's window is the last 24 hours; one of its trades is three days old, so the report starts there.
    const oldest = report.transactions[0]!;
    expect(oldest.id).toBe(scenario.tradeIds[0]);
    expect(report.activity).toEqual({ from: oldest.createdAt, to: '2026-11-24T12:00:10.000Z' });
    expect(report.transactions.map((trade) => trade.id)).toEqual([...scenario.tradeIds, scenario.caseTradeId]);
    expect(report.transactions.at(-1)).toMatchObject({
      caseId: scenario.caseId,
      side: 'seller',
      counterparty: { id: scenario.regularId, displayName: 'Ana Pérez' },
      asset: 'USDT',
      amount: '250.000000',
      fiatCurrency: 'VES',
      fiatAmount: '9125.00',
      usdEquivalent: '250.00',
    });
    expect(report.evidence).toEqual([
      {
        sha256: scenario.receiptSha256,
        caseId: scenario.caseId,
        kind: 'receipt',
        mime: 'image/png',
        fileName: 'comprovante.png',
        size: expect.any(Number),
      },
    ]);
    expect(report.alerts.map((alert) => [alert.id, alert.ruleId, alert.ruleVersion])).toEqual([
      [scenario.manualAlertId, 'manual', 0],
      [scenario.alertId, 'velocity', 1],
    ]);
  });

  it('stays as filed when the data changes afterwards', async () => {
    const { scenario, carla, reportId } = await fileReport();
    const before = (await call(server, carla, 'GET', `/v1/reports/${reportId}`)).body;
    server.ctx.db.prepare("UPDATE parties SET display_name = 'Renamed', kyc_status = 'rejected' WHERE id = ?").run(scenario.subjectId);
    expect((await call(server, carla, 'GET', `/v1/reports/${reportId}`)).body).toEqual(before);
  });

  it('is read by supervisors too; agents get 403, an unknown report 404, an unknown format 400', async () => {
    const { reportId } = await fileReport();
    const supervisor = addUser(server.ctx, 'supervisor');
    const agent = addUser(server.ctx, 'agent');
    expect((await call(server, supervisor, 'GET', `/v1/reports/${reportId}`)).status).toBe(200);
    for (const format of ['json', 'pdf', 'goaml']) {
      expect((await download(supervisor, reportId, format)).statusCode, format).toBe(200);
      const refused = await download(agent, reportId, format);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    }
    const unknown = await call(server, supervisor, 'GET', '/v1/reports/STR-nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'not_found' } });
    const badFormat = await download(supervisor, reportId, 'docx');
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.json()).toMatchObject({ error: { code: 'invalid_request' } });
  });
});

describe('GET /v1/reports/{id}?format=pdf', () => {
  it('is a readable PDF with the subject, narrative, transactions and evidence hashes, as an attachment', async () => {
    const { scenario, carla, reportId } = await fileReport();
    const answer = await download(carla, reportId, 'pdf');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/pdf');
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="${reportId}.pdf"`);
    expect(answer.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const text = await pdfText(answer.rawPayload);
    expect(text).toContain('Suspicious Transaction Report (STR)');
    expect(text).toContain(reportId);
    // WinAnsi has these accents: they are printed as they are.
    expect(text).toContain('João Gonçalves Muñoz');
    expect(text).toContain('Ana Pérez');
    expect(text).toContain(NARRATIVE);
    expect(text).toContain('passport');
    for (const id of [...scenario.tradeIds, scenario.caseTradeId]) expect(text).toContain(id);
    expect(text).toContain('250.000000 USDT for 9125.00 VES (USD 250.00)');
    expect(text).toContain(`sha256 ${scenario.receiptSha256}`);
    expect(text).toContain('velocity version 1');
    // It has no "Ł" nor Chinese: the mark goes, the rest reads as "?" rather than as wrong letters.
    expect(text).toContain('Lukasz ??');
    expect(text).not.toMatch(/[张伟Ł]/);
  });
});

describe('toWinAnsi', () => {
  it('keeps what WinAnsi shows and spells or marks the rest', () => {
    expect(toWinAnsi('João Gonçalves Muñoz – “Ação” €5')).toBe('João Gonçalves Muñoz – “Ação” €5');
    expect(toWinAnsi('Łukasz Wałęsa, Şükrü, Đorđe')).toBe('Lukasz Walesa, Sükrü, Dorde');
    expect(toWinAnsi('张伟 🙂 Иван')).toBe('?? ? ????');
    expect(toWinAnsi('tab\there\u0000\r\nnext')).toBe('tab here\nnext');
    // A decomposed "ã" (a + combining tilde) is composed first.
    expect(toWinAnsi('Joa\u0303o')).toBe('João');
  });
});

describe('GET /v1/reports/{id}?format=goaml', () => {
  it('is goAML-style STR XML with the header, reporting person, transactions and the subject as t_person', async () => {
    const { scenario, carla, reportId } = await fileReport();
    const answer = await download(carla, reportId, 'goaml');
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe(`attachment; filename="${reportId}.xml"`);

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed document is read freely
    const { report } = create(answer.body).end({ format: 'object' }) as any;
    expect(report).toMatchObject({
      rentity_id: 'DD-DEMO-0001',
      submission_code: 'E',
      report_code: 'STR',
      entity_reference: reportId,
      currency_code_local: 'USD',
      reporting_person: { first_name: 'Test', last_name: 'carla' },
      reason: 'Trade velocity well above the profile.',
    });
    expect(report.submission_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(report.action).toContain(NARRATIVE);
    expect(report.action).toContain(scenario.receiptSha256);

    const transactions = report.transaction as Record<string, any>[]; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(transactions.map((transaction) => transaction.transactionnumber)).toEqual([
      ...scenario.tradeIds,
      scenario.caseTradeId,
    ]);
    const disputed = transactions.at(-1)!;
    expect(disputed).toMatchObject({
      internal_ref_number: scenario.caseId,
      teller: 'platform',
      amount_local: '250.00',
      // The subject sold: the fiat came from the buyer to the subject, "my client".
      t_from: {
        from_foreign_currency: { foreign_currency_code: 'VES', foreign_amount: '9125.00', foreign_exchange_rate: '36.500000' },
        from_person: { first_name: 'Ana', last_name: 'Pérez' },
      },
      t_to_my_client: {
        to_person: {
          first_name: 'João',
          last_name: 'Gonçalves Muñoz',
          nationality1: 'BR',
          residence: 'BR',
          identification: { type: 'passport', issue_country: 'BR' },
        },
        to_country: 'BR',
      },
    });
    expect(disputed.date_transaction).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    expect(report.report_indicators.indicator).toEqual(['manual_v0', 'velocity_v1']);
  });
});
