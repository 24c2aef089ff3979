// The report as a PDF for people (GET /v1/reports/{id}?format=pdf), drawn with pdfkit's standard fonts.
// Those fonts encode WinAnsi only, so every string goes through toWinAnsi: a name in another script reads
// as "?" rather than as wrong letters.
import PDFDocument from 'pdfkit';
import type { Report } from '../../../shared/api/types';
import { toWinAnsi } from './text';

const BODY = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const MONO = 'Courier';
const MARGIN = 50;
const INDENT = 12;

type Doc = PDFKit.PDFDocument;

/** A paragraph set in from the margin, every line of it (pdfkit's `indent` moves the first line only). */
function indented(doc: Doc, text: string): Doc {
  const width = doc.page.width - 2 * MARGIN - INDENT;
  doc.text(toWinAnsi(text), MARGIN + INDENT, doc.y, { width });
  doc.x = MARGIN;
  return doc;
}

const heading = (doc: Doc, text: string) =>
  doc.moveDown(0.8).font(BOLD).fontSize(12).text(toWinAnsi(text)).moveDown(0.3).font(BODY).fontSize(9.5);

/** "Label: value" lines, the label in bold. */
function fields(doc: Doc, rows: readonly (readonly [string, string | number | null])[]): void {
  for (const [label, value] of rows) {
    doc.font(BOLD).text(`${toWinAnsi(label)}: `, { continued: true }).font(BODY).text(toWinAnsi(String(value ?? '-')));
  }
}

const day = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

function transactions(doc: Doc, report: Report): void {
  heading(doc, `Transactions (${report.transactions.length})`);
  if (report.transactions.length === 0) doc.text('None.');
  for (const trade of report.transactions) {
    doc.font(BOLD).text(toWinAnsi(`${day(trade.createdAt)}  ${trade.id}`));
    doc.font(BODY);
    const direction = trade.side === 'buyer' ? 'bought from' : 'sold to';
    indented(
      doc,
      `Subject ${direction} ${trade.counterparty.displayName} (${trade.counterparty.id}): ${trade.amount} ${trade.asset} ` +
        `for ${trade.fiatAmount} ${trade.fiatCurrency} (USD ${trade.usdEquivalent}) by ${trade.paymentMethod}` +
        (trade.caseId ? `; dispute ${trade.caseId}` : '') +
        (trade.disputedAt ? ` opened ${day(trade.disputedAt)}` : ''),
    );
    const instruments = [
      trade.depositAddress && `escrow deposit from ${trade.depositAddress}`,
      trade.payoutAddress && `payout to ${trade.payoutAddress}`,
      trade.payoutAccount && `paid into account ${trade.payoutAccount}`,
    ].filter(Boolean);
    if (instruments.length) indented(doc, instruments.join('; '));
    doc.moveDown(0.25);
  }
}

function evidence(doc: Doc, report: Report): void {
  heading(doc, `Evidence (${report.evidence.length})`);
  if (report.evidence.length === 0) doc.text('None.');
  for (const file of report.evidence) {
    doc.text(
      toWinAnsi(`${file.kind}, ${file.mime}, ${file.size} bytes, case ${file.caseId}${file.fileName ? `, ${file.fileName}` : ''}`),
    );
    indented(doc.font(MONO).fontSize(8), `sha256 ${file.sha256}`).font(BODY).fontSize(9.5).moveDown(0.2);
  }
}

function alerts(doc: Doc, report: Report): void {
  heading(doc, `KYT alerts on the subject (${report.alerts.length})`);
  for (const alert of report.alerts) {
    const marker = alert.id === report.alertId ? ' (this report)' : '';
    doc.font(BOLD).text(toWinAnsi(`${alert.level}  ${alert.rule}${marker}`));
    indented(doc.font(BODY), `${alert.id}, rule ${alert.ruleId} version ${alert.ruleVersion}, raised ${day(alert.createdAt)}`);
    indented(doc, alert.details).moveDown(0.2);
  }
}

function drawReport(doc: Doc, report: Report): void {
  const { subject, reportingEntity: entity } = report;
  doc.font(BOLD).fontSize(16).text('Suspicious Transaction Report (STR)');
  doc.font(BODY).fontSize(9.5).fillColor('#444').text(toWinAnsi(`${entity.name} (${entity.id}, ${entity.country})`));
  doc.fillColor('black');
  heading(doc, 'Report');
  fields(doc, [
    ['Report', report.id],
    ['Filed', day(report.createdAt)],
    ['Filed by', `${report.createdBy.displayName} (${report.createdBy.username})`],
    ['Alert', report.alertId],
    ['Dispute', report.caseId],
    ['Activity', `${day(report.activity.from)} to ${day(report.activity.to)}`],
  ]);
  heading(doc, 'Subject');
  fields(doc, [
    ['Name', subject.displayName],
    ['Platform id', subject.id],
    ['Country', subject.country],
    ['KYC status', subject.kycStatus],
    ['Identity document', subject.documentType],
    ['Account opened', day(subject.accountCreatedAt)],
    ['Trades / disputes', `${subject.tradeCount} / ${subject.disputeCount}`],
  ]);
  heading(doc, 'Reason for suspicion');
  doc.text(toWinAnsi(report.reason));
  heading(doc, 'Narrative');
  doc.text(toWinAnsi(report.narrative));
  transactions(doc, report);
  evidence(doc, report);
  alerts(doc, report);
}

/** The PDF's bytes. The document's dates are the filing time, so the same report gives the same file. */
export function renderReportPdf(report: Report): Promise<Buffer> {
  const filedAt = new Date(report.createdAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    info: {
      Title: `Suspicious Transaction Report ${report.id}`,
      Author: report.reportingEntity.name,
      Subject: `STR on ${report.subject.displayName}`,
      CreationDate: filedAt,
      ModDate: filedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  drawReport(doc, report);
  doc.end();
  return done;
}
