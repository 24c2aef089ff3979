// Drafts of what an agent is writing on a case: the message to the parties, the internal note, and the
// verdict being prepared (outcome, reason, rationale). They are local to this desk, keyed by the user who
// wrote them, and kept in SQLite so that they survive an expired session and a restart. Signing out
// deletes them (storage/purge.ts: personal text does not stay on a shared computer), which is why the
// renderer asks 'drafts.count' and warns first; so does retention, once a draft has outlived its use. The
// verdict draft has no place for an authentication code: the contract's draft schema is strict, so a
// code sent along is refused, and none is ever written to disk here.
import { draft as draftSchema, type Draft } from '../../../shared/desk-api/schemas';
import type { DeskContext } from '../context';
import { DeskFailure, type DeskHandlers } from '../handlers';
import type { SignedInUser } from '../outbox/platform';
import { countDrafts, deleteDraft, readDraftJson, writeDraftJson } from './store';

export interface DraftsDeps {
  /** Whose drafts these are: the signed-in user. */
  currentUser(): SignedInUser | null;
}

export interface Drafts {
  handlers: DeskHandlers;
}

const EMPTY_DRAFT: Draft = draftSchema.parse({});

const isEmpty = (draft: Draft) => draft.message === '' && draft.note === '' && draft.verdict === null;

export function createDrafts(ctx: DeskContext, deps: DraftsDeps): Drafts {
  function owner(): string {
    const user = deps.currentUser();
    if (!user) throw new DeskFailure('signed_out', 'Sign in to see your drafts.');
    return user.id;
  }

  function read(userId: string, caseId: string): Draft {
    const json = readDraftJson(ctx.own, userId, caseId);
    if (json === null) return EMPTY_DRAFT;
    // Read back through the schema like any input: a row written by an older version may not fit.
    const parsed = draftSchema.safeParse(JSON.parse(json));
    if (parsed.success) return parsed.data;
    ctx.log.warn('drafts: a stored draft no longer fits the schema; starting from an empty one', { caseId });
    return EMPTY_DRAFT;
  }

  const handlers: DeskHandlers = {
    'drafts.get': async ({ caseId }) => read(owner(), caseId),
    'drafts.save': async ({ caseId, draft }) => {
      const userId = owner();
      // An emptied draft is no draft: no row is left behind for every case ever opened.
      if (isEmpty(draft)) deleteDraft(ctx.own, userId, caseId);
      else writeDraftJson(ctx.own, userId, caseId, JSON.stringify(draft), ctx.now().toISOString());
      return draft;
    },
    'drafts.count': async () => ({ count: countDrafts(ctx.own, owner()) }),
  };

  return { handlers };
}
