// POST /v1/cases/{id}/messages: the agent holding a case writes to both parties, optionally pointing at
// files of the case's own evidence. Least privilege: what the parties get is the case's business only, so
// a message can carry neither a file of another case (another customer's receipt or ID photo) nor an
// identity document, selfie or liveness frame (one party's identity is never shown to the other), and a
// resolved case takes no more messages.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { Message } from '../../../shared/api/types';
import type { EvidenceKind } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { invalidRequest, notFound } from '../errors';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { caseEvidenceKind } from '../sql/evidence';
import { insertMessage } from '../sql/messages';
import type { Db } from '../db/open';
import { caseResolvedNoMessages } from './errors';
import { requireHeldCase } from './lookup';

/** Evidence that shows who a party is: kept for the agent's eyes, never sent to the other party. */
const IDENTITY_KINDS: ReadonlySet<EvidenceKind> = new Set(['id_photo', 'selfie', 'liveness_frame']);

/**
 * Each file must be evidence of this case: a file of another case or none is 404, the same answer, so that
 * the route does not tell which files exist elsewhere.
 */
function requireSendableEvidence(db: Db, caseId: string, evidence: readonly string[]): void {
  evidence.forEach((sha256, index) => {
    const kind = caseEvidenceKind(db, caseId, sha256);
    if (kind === null) throw notFound(`Evidence file ${sha256} of this case`);
    if (IDENTITY_KINDS.has(kind)) {
      throw invalidRequest(`evidence.${index}: ${sha256} is a party's identity evidence (${kind}); it is never sent to the parties.`);
    }
  });
}

/** Call inside ctx.write(). Every refusal comes before the first write, so nothing is half-applied. */
export function postAgentMessage(
  ctx: ServerContext,
  agent: AuthUser,
  caseId: string,
  input: { body: string; evidence?: string[] | undefined },
): Message {
  const state = requireHeldCase(ctx.db, caseId, agent);
  if (state.status === 'resolved') throw caseResolvedNoMessages();
  const evidence = [...new Set(input.evidence ?? [])];
  requireSendableEvidence(ctx.db, caseId, evidence);
  const now = ctx.now();
  const message: Message = {
    id: `MSG-${randomUUID()}`,
    sender: 'agent',
    author: { id: agent.id, username: agent.username, displayName: agent.displayName },
    body: input.body,
    at: now.toISOString(),
    evidence,
  };
  insertMessage(ctx.db, {
    id: message.id,
    caseId,
    sender: 'agent',
    authorId: agent.id,
    body: message.body,
    evidence,
    at: message.at,
  });
  changeCase(
    ctx,
    caseId,
    { actor: agent.id, action: 'case.message_sent', data: { messageId: message.id, evidence } },
    now,
  );
  return message;
}

export function registerMessageRoute(app: FastifyInstance, ctx: ServerContext): void {
  defineRoute(app, ctx, ROUTES.postMessage, ({ user: agent, body: input, params }) => {
    return ctx.write(() => postAgentMessage(ctx, agent, params.id, input));
  });
}
