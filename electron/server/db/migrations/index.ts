// The server store's migrations, in order (run by shared/db/migrations.ts from db/open.ts). Migrations only
// grow: a change to the schema is a new numbered file here, never an edit of one that has shipped.
import type { Migration } from '../../../../shared/db/migrations';
import { initialSchema } from './0001-initial';
import { tradeMonitoring } from './0002-trade-monitoring';
import { kytMonitor } from './0003-kyt-monitor';
import { auditCheckpoints } from './0004-audit-checkpoints';
import { verdictReviews } from './0005-verdict-reviews';
import { metamapEventOrder } from './0006-metamap-event-order';
import { outboundEvents } from './0007-outbound-events';
import { platformEvents } from './0008-platform-events';
import { livenessTrade } from './0009-liveness-trade';
import { outboundUndelivered } from './0010-outbound-undelivered';
import { signInThrottle } from './0011-sign-in-throttle';
import { slimFeed } from './0012-slim-feed';
import { retentionIndexes } from './0013-retention-indexes';
import { invitations } from './0014-invitations';
import { credentialsIssuer } from './0015-credentials-issuer';
import { idempotencyAnswers } from './0016-idempotency-answers';
import { markBidiInErrorCodes } from './0017-mark-bidi-in-error-codes';
import { proposalIssuerChain } from './0018-proposal-issuer-chain';
import { signInNetworks } from './0019-sign-in-networks';

export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  tradeMonitoring,
  kytMonitor,
  auditCheckpoints,
  verdictReviews,
  metamapEventOrder,
  outboundEvents,
  platformEvents,
  livenessTrade,
  outboundUndelivered,
  signInThrottle,
  slimFeed,
  retentionIndexes,
  invitations,
  credentialsIssuer,
  idempotencyAnswers,
  markBidiInErrorCodes,
  proposalIssuerChain,
  signInNetworks,
];
