// A finished command no longer keeps its free text (outbox/commands.ts, finishedPayload); the commands
// that finished before this version still hold theirs (a note's body, a verdict's rationale, every
// reason), so they are cut down here the same way: a verdict keeps its outcome and reason code, an alert
// decision its decision, every other kind nothing. Pending commands and those waiting for a code are
// unsent and keep their payload as it is.
import type { Migration } from '../../../../shared/db/migrations';

export const finishedCommandsWithoutText: Migration = {
  version: 2,
  name: 'finished-commands-without-text',
  up: `
      UPDATE outbox SET payload = CASE
          WHEN kind = 'verdict' AND json_valid(payload) THEN json_object(
            'outcome', json_extract(payload, '$.outcome'), 'reasonCode', json_extract(payload, '$.reasonCode'))
          WHEN kind = 'alert_decision' AND json_valid(payload) THEN json_object(
            'decision', json_extract(payload, '$.decision'))
          ELSE '{}'
        END
        WHERE state IN ('confirmed', 'failed');
    `,
};
