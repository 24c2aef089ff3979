// POST /v1/cases/{id}/messages: the agent holding a case writes to both parties, optionally pointing at
// evidence files already in the store (which then belong to the case's evidence too).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { Message } from '../../../shared/api/types';
import type { EvidenceKind } from '../../../shared/domain/dispute';
import type { ServerContext } from '../context';
import { notFound } from '../errors';
import { attachEvidence } from '../evidence/store';
import { defineRoute } from '../http/route';
import { changeCase } from '../feed/changes';
import { type AuthUser } from '../http/session';
import { evidenceFileExists, firstEvidenceKind } from '../sql/evidence';
import { insertMessage } from '../sql/messages';
import { requireHeldCase } from './lookup';

/** A file attached again keeps the kind it was first filed under (a receipt stays a receipt). */
function knownKind(ctx: ServerContext, sha256: string): EvidenceKind {
  return firstEvidenceKind(ctx.db, sha256) ?? 'other';
}

/** Call inside ctx.write(). Unknown evidence is 404 (DESIGN §2: an unknown file), and nothing is written. */
export function postAgentMessage(
  ctx: ServerContext,
  agent: AuthUser,
  caseId: string,
  input: { body: string; evidence?: string[] | undefined },
): Message {
  requireHeldCase(ctx.db, caseId, agent);
  const evidence = [...new Set(input.evidence ?? [])];
  for (const sha256 of evidence) {
    if (!evidenceFileExists(ctx.db, sha256)) throw notFound(`Evidence file ${sha256}`);
  }
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
  for (const sha256 of evidence) {
    attachEvidence(ctx.db, { caseId, sha256, kind: knownKind(ctx, sha256), uploader: 'agent', at: now });
  }
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
