// What MetaMap sends while a trader does a Proof of Life the exchange asked for (DESIGN §3): the steps as
// they complete, then the verification's outcome. Bodies have the shapes of tests/server/fixtures/metamap;
// their `timestamp` is added when they are sent, as MetaMap stamps each delivery.
import type { Prng } from '../seed/prng';

export type ProofOfLifeOutcome = 'verified' | 'face_mismatch' | 'selfie_fraud';

export interface MetamapBody {
  eventName: 'step_completed' | 'verification_completed';
  resource: string;
  flowId: string;
  metadata: { partyId: string; caseId: null; tradeId: string };
  step?: {
    id: string;
    status: number;
    data: Record<string, unknown>;
    error: { type: string; code: string; message: string } | null;
  };
  identityStatus?: 'verified' | 'rejected';
}

const FLOW_ID = '66f0a1b2c3d4e5f60718293a';

export const verificationUrl = (verificationId: string) =>
  `https://api.getmati.com/v2/verifications/${verificationId}`;

/** The events of one check, in the order MetaMap sends them. */
export function proofOfLifeEvents(
  prng: Prng,
  check: { verificationId: string; partyId: string; tradeId: string; outcome: ProofOfLifeOutcome },
): MetamapBody[] {
  const common = {
    resource: verificationUrl(check.verificationId),
    flowId: FLOW_ID,
    // No case yet: the Proof of Life is asked before payment, and the check is found by its verification id.
    metadata: { partyId: check.partyId, caseId: null, tradeId: check.tradeId },
  };
  const step = (
    id: string,
    score: number | null,
    error: [code: string, message: string] | null,
  ): MetamapBody => ({
    eventName: 'step_completed',
    ...common,
    step: {
      id,
      status: 200,
      data: score === null ? {} : { score },
      error: error ? { type: 'StepError', code: error[0], message: error[1] } : null,
    },
  });
  const scores = {
    verified: { liveness: prng.score(0.9, 0.99), face: prng.score(0.85, 0.97) },
    face_mismatch: { liveness: prng.score(0.88, 0.97), face: prng.score(0.08, 0.24) },
    selfie_fraud: { liveness: prng.score(0.03, 0.14), face: prng.score(0.7, 0.84) },
  }[check.outcome];
  const events = [
    step('liveness', scores.liveness, null),
    step(
      'facematch',
      scores.face,
      check.outcome === 'face_mismatch'
        ? ['facematch.differentPerson', 'The selfie does not match the face on the document.']
        : null,
    ),
  ];
  if (check.outcome === 'selfie_fraud') {
    events.push(
      step('selfie', null, [
        'selfieFraudDetection.fraudAttempt',
        'The selfie looks like a photo of a screen.',
      ]),
    );
  }
  events.push({
    eventName: 'verification_completed',
    ...common,
    identityStatus: check.outcome === 'verified' ? 'verified' : 'rejected',
  });
  return events;
}
