// The trade a Proof of Life check was asked for (issue #10). The exchange may ask for one
// (`liveness.requested`) before the trade is disputed: the check then has no case yet, and the trade is
// what ties it to the dispute that may follow. When `dispute.opened` creates the case, the trade's checks
// join it, so the case shows them as its own (and a failed one flags it); MetaMap's webhooks that name
// the trade in their metadata still find a check that has since joined a case.
//
// Set only for checks asked for by trade (the exchange's `liveness.requested`, or a MetaMap verification
// whose metadata names a trade): an agent's request names its case, and onboarding checks have neither.
import type { Migration } from '../../../../shared/db/migrations';

export const livenessTrade: Migration = {
  version: 9,
  name: 'liveness-trade',
  up: `
    ALTER TABLE liveness_checks ADD COLUMN trade_id TEXT REFERENCES trades(id);
    CREATE INDEX liveness_by_trade ON liveness_checks(trade_id) WHERE trade_id IS NOT NULL;
  `,
};
