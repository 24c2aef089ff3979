// Four-eyes (issue #11): who could control the proposer when they proposed. A proposal records the proposer's
// issuer chain at that moment (the people who issued their credentials, who issued those people's, and so
// on: cases/approval.ts), as a JSON array of user ids. Re-issuing the proposer's credentials afterwards
// (a 2FA reset by someone else) must not open the approval to whoever held them before, so the approval
// checks this snapshot as well as the chain of the moment. NULL for proposals made before this migration:
// the chain of the moment is all there is for them.
import type { Migration } from '../../../../shared/db/migrations';

export const proposalIssuerChain: Migration = {
  version: 18,
  name: 'proposal-issuer-chain',
  up: `ALTER TABLE verdicts ADD COLUMN proposer_issuer_chain TEXT;`,
};
