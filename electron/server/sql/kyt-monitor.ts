// What the KYT monitor keeps beside the alerts: the number of the last alert it raised, so that alert ids
// read in order (KYT-100001, KYT-100002, ...) like the rest of the platform's ids.
import type { Db } from '../db/open';
import { readMeta, writeMeta } from './meta';
import { prepared } from './statements';

const LAST_NUMBER_KEY = 'kyt_monitor_last_alert_number';
const FIRST_NUMBER = 100_001;

/** The next free alert id after the last one the monitor raised. Call inside the write that inserts it. */
export function nextKytAlertId(db: Db): { id: string; number: number } {
  let number = Number(readMeta(db, LAST_NUMBER_KEY) ?? FIRST_NUMBER - 1) + 1;
  // An alert raised by hand may have taken a number already (tests name their alerts freely).
  while (prepared(db, 'SELECT 1 FROM kyt_alerts WHERE id = ?').get(`KYT-${number}`) !== undefined) number++;
  return { id: `KYT-${number}`, number };
}

export function recordKytAlertNumber(db: Db, number: number): void {
  writeMeta(db, LAST_NUMBER_KEY, String(number));
}
