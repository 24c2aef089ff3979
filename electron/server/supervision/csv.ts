// The verdict history as CSV (RFC 4180): a header row, CRLF line ends, every field that holds a comma,
// a quote or a line break quoted with its quotes doubled. A spreadsheet runs a cell that starts with
// = + - @ (or a tab or carriage return) as a formula, so such a text cell gets a leading apostrophe
// (OWASP "CSV injection"): names and ids come from users and parties.
import type { VerdictRecord } from '../../../shared/api/types';

export const VERDICT_CSV_COLUMNS = [
  'case_id',
  'agent_username',
  'agent_name',
  'outcome',
  'reason_code',
  'asset',
  'amount',
  'fiat_currency',
  'fiat_amount',
  'opened_at',
  'decided_at',
  'time_to_resolve_seconds',
  'approver_username',
  'approver_name',
  'sent_back_count',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (fields: readonly (string | number | null)[]) => `${fields.map(csvField).join(',')}\r\n`;

export function verdictCsvLine(record: VerdictRecord): string {
  return csvLine([
    record.caseId,
    record.agent.username,
    record.agent.displayName,
    record.outcome,
    record.reasonCode,
    record.asset,
    // Decimal strings are numbers to a spreadsheet; they never start with a sign.
    record.amount,
    record.fiatCurrency,
    record.fiatAmount,
    record.openedAt,
    record.decidedAt,
    record.timeToResolveSeconds,
    record.approver?.username ?? null,
    record.approver?.displayName ?? null,
    record.sentBackCount,
  ]);
}

/** The whole file: the header, then one line per record. */
export function verdictCsv(records: Iterable<VerdictRecord>): string {
  let text = csvLine(VERDICT_CSV_COLUMNS);
  for (const record of records) text += verdictCsvLine(record);
  return text;
}
