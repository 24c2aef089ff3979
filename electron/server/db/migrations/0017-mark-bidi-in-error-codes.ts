// MetaMap's step error code is shown on the desk, so its bidi controls are shown as markers at ingest
// (webhooks/payload.ts), like the exchange's text. Codes stored before that get the same treatment here:
// each control U+202A–U+202E, U+2066–U+2069 becomes "[U+XXXX]" (shared/api/text.ts, showBidiControls).
import type { Migration } from '../../../../shared/db/migrations';

const BIDI_CONTROLS = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];

const marked = BIDI_CONTROLS.reduce(
  (sql, control) => `replace(${sql}, char(${control}), '[U+${control.toString(16).toUpperCase()}]')`,
  'error_code',
);

export const markBidiInErrorCodes: Migration = {
  version: 17,
  name: 'mark-bidi-in-error-codes',
  up: `UPDATE liveness_checks SET error_code = ${marked} WHERE error_code IS NOT NULL;`,
};
