// The report as goAML-style STR XML (GET /v1/reports/{id}?format=goaml), the format most financial
// intelligence units take (UNODC goAML): the report's header, the reason and action, one <transaction>
// per reported trade (children of <report>, in goAML's order) and the subject as a <t_person>. goAML's lookup codes (funds, transaction modes,
// identity document types) are each FIU's own; the codes below are the platform's and are mapped to an
// FIU's tables when the exchange registers with it.
import { create } from 'xmlbuilder2';
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { Report } from '../../../shared/api/types';
import { splitName, xmlSafe } from './text';

/** Electronic submission. */
const SUBMISSION_CODE = 'E';
/** The amounts in `amount_local` are the trades' USD equivalents at the platform's rates. */
const LOCAL_CURRENCY = 'USD';
/** Fiat paid for crypto-assets on the platform's P2P market, held in escrow. */
const TRANSMODE_CODE = 'P2P_ESCROW';
const FUNDS_CODE = 'FIAT_PAYMENT';

type Trade = Report['transactions'][number];
type Subject = Report['subject'];

/** `<name>text</name>` when there is text; goAML leaves optional elements out rather than empty. */
function leaf(parent: XMLBuilder, name: string, text: string | null | undefined): void {
  if (text) parent.ele(name).txt(xmlSafe(text));
}

/** goAML's date-time: no fraction, no zone (the report states times in UTC). */
const goamlTime = (iso: string) => iso.replace(/\.\d+Z$|Z$/, '');

function person(parent: XMLBuilder, name: string, displayName: string): XMLBuilder {
  const element = parent.ele(name);
  const { first, last } = splitName(displayName);
  leaf(element, 'first_name', first);
  leaf(element, 'last_name', last);
  return element;
}

function subjectPerson(parent: XMLBuilder, name: string, subject: Subject): void {
  const element = person(parent, name, subject.displayName);
  leaf(element, 'nationality1', subject.country);
  leaf(element, 'residence', subject.country);
  if (subject.documentType) {
    // The platform keeps the document's kind and country from KYC, not its number.
    const identification = element.ele('identification');
    leaf(identification, 'type', subject.documentType);
    leaf(identification, 'issue_country', subject.country);
  }
  leaf(element, 'comments', `Platform account ${subject.id}; KYC ${subject.kycStatus}; opened ${subject.accountCreatedAt}`);
}

/** The fiat payment of a trade goes from the buyer to the seller; the subject is "my client" on its side. */
function transaction(parent: XMLBuilder, report: Report, trade: Trade): void {
  const element = parent.ele('transaction');
  leaf(element, 'transactionnumber', trade.id);
  leaf(element, 'internal_ref_number', trade.caseId);
  leaf(element, 'transaction_location', 'Online P2P marketplace');
  leaf(
    element,
    'transaction_description',
    `${trade.amount} ${trade.asset} ${trade.side === 'buyer' ? 'bought' : 'sold'} by the subject for ` +
      `${trade.fiatAmount} ${trade.fiatCurrency} by ${trade.paymentMethod}` +
      (trade.depositAddress ? `; escrow deposit from ${trade.depositAddress}` : '') +
      (trade.payoutAddress ? `; payout to ${trade.payoutAddress}` : '') +
      (trade.payoutAccount ? `; paid into account ${trade.payoutAccount}` : ''),
  );
  leaf(element, 'date_transaction', goamlTime(trade.createdAt));
  leaf(element, 'teller', 'platform');
  leaf(element, 'transmode_code', TRANSMODE_CODE);
  leaf(element, 'amount_local', trade.usdEquivalent);
  const subjectPays = trade.side === 'buyer';
  const from = element.ele(subjectPays ? 't_from_my_client' : 't_from');
  leaf(from, 'from_funds_code', FUNDS_CODE);
  foreignCurrency(from, 'from_foreign_currency', trade);
  if (subjectPays) subjectPerson(from, 'from_person', report.subject);
  else person(from, 'from_person', trade.counterparty.displayName);
  if (subjectPays) leaf(from, 'from_country', report.subject.country);
  const to = element.ele(subjectPays ? 't_to' : 't_to_my_client');
  leaf(to, 'to_funds_code', FUNDS_CODE);
  foreignCurrency(to, 'to_foreign_currency', trade);
  if (subjectPays) person(to, 'to_person', trade.counterparty.displayName);
  else subjectPerson(to, 'to_person', report.subject);
  if (!subjectPays) leaf(to, 'to_country', report.subject.country);
}

function foreignCurrency(parent: XMLBuilder, name: string, trade: Trade): void {
  if (trade.fiatCurrency === LOCAL_CURRENCY) return;
  const element = parent.ele(name);
  leaf(element, 'foreign_currency_code', trade.fiatCurrency);
  leaf(element, 'foreign_amount', trade.fiatAmount);
  // Units of the fiat currency per USD, as the trade's USD equivalent was computed.
  const rate = Number(trade.fiatAmount) / Number(trade.usdEquivalent);
  if (Number.isFinite(rate)) leaf(element, 'foreign_exchange_rate', rate.toFixed(6));
}

/** The XML document, UTF-8. */
export function renderGoamlXml(report: Report): string {
  const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('report');
  leaf(root, 'rentity_id', report.reportingEntity.id);
  leaf(root, 'submission_code', SUBMISSION_CODE);
  leaf(root, 'report_code', report.code);
  leaf(root, 'entity_reference', report.id);
  leaf(root, 'submission_date', goamlTime(report.createdAt));
  leaf(root, 'currency_code_local', LOCAL_CURRENCY);
  const reporter = person(root, 'reporting_person', report.createdBy.displayName);
  leaf(reporter, 'occupation', 'Compliance reviewer');
  leaf(reporter, 'comments', `${report.reportingEntity.name} user ${report.createdBy.username}`);
  leaf(root, 'reason', report.reason);
  leaf(
    root,
    'action',
    `${report.narrative}\n\nKYT alert ${report.alertId}${report.caseId ? ` on dispute ${report.caseId}` : ''}; ` +
      `activity from ${report.activity.from} to ${report.activity.to}. Evidence (sha256): ` +
      (report.evidence.map((file) => `${file.sha256} (${file.kind}, case ${file.caseId})`).join('; ') || 'none'),
  );
  for (const trade of report.transactions) transaction(root, report, trade);
  const indicators = root.ele('report_indicators');
  for (const ruleId of new Set(report.alerts.map((alert) => `${alert.ruleId}_v${alert.ruleVersion}`))) {
    indicators.ele('indicator').txt(ruleId);
  }
  return root.end({ prettyPrint: true });
}
