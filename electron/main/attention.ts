// What the desktop tells the agent outside the window: OS notifications and the dock/taskbar badge. Every
// decision is here, pure: given what was already told (the memory, kept on disk across restarts) and the
// desk's state now, which notifications to show and what the badge says. attention-monitor.ts reads the
// state from the desk worker; desktop-shell.ts shows the result with Electron.
import { z } from 'zod';
import { STEP_UP_KINDS, type OutboxEntry, type OutboxKind } from '../../shared/desk-api/schemas';
import type { CaseStatus } from '../../shared/domain/dispute';

/** Minutes before a case's SLA deadline at which the agent is warned, widest first: once per case per threshold. */
export const SLA_WARNING_MINUTES = [60, 15] as const;

/** A case assigned to the signed-in user, as the queue's "Mine" view gives it. */
export interface MyCase {
  id: string;
  status: CaseStatus;
  slaDueAt: string;
}

/** The desk as the monitor read it. */
export interface AttentionSnapshot {
  userId: string;
  /** The user's unresolved cases (open, in review, awaiting approval). */
  myCases: MyCase[];
  /** Outbox commands waiting in `needs_code`, as the desk last reported each. */
  codeRequests: OutboxEntry[];
}

/** What was already told, per user; written to disk so that a restart repeats nothing. */
export const attentionMemory = z.strictObject({
  userId: z.string().max(64),
  /** The cases known to be assigned to the user: a case not among them is newly assigned. */
  knownCases: z.array(z.string().max(64)).max(5000),
  /** Keys of the notifications shown (or deliberately skipped): `sla:<case>:<due>:<minutes>`, `code:<entry>:<attempts>`. */
  told: z.array(z.string().max(200)).max(5000),
});
export type AttentionMemory = z.infer<typeof attentionMemory>;

export type Notice =
  | { kind: 'assigned'; key: string; caseId: string }
  | { kind: 'sla'; key: string; caseId: string; minutesLeft: number }
  | { kind: 'code'; key: string; caseId: string; outboxKind: OutboxKind };

export interface AttentionContext {
  now: number;
  /** The case on screen in the focused window, if any: the agent is looking at it already. */
  focusedCaseId: string | null;
  /** Cases this desk sent a claim for: the agent took them, nobody needs to tell them. */
  claimedHere: ReadonlySet<string>;
}

export interface AttentionDecision {
  notices: Notice[];
  memory: AttentionMemory;
}

/** Only cases the agent can act on run against their SLA: one awaiting approval waits on a supervisor. */
const WORKABLE: ReadonlySet<CaseStatus> = new Set(['open', 'in_review']);
const STEP_UP: ReadonlySet<OutboxKind> = new Set(STEP_UP_KINDS);

export function decideNotices(
  previous: AttentionMemory | null,
  snapshot: AttentionSnapshot,
  context: AttentionContext,
): AttentionDecision {
  // Another user (or the first look ever) is a baseline: what is assigned already is not news.
  const baseline = previous === null || previous.userId !== snapshot.userId;
  const known = new Set(baseline ? snapshot.myCases.map((item) => item.id) : previous.knownCases);
  const told = new Set(baseline ? [] : previous.told);
  const candidates = [
    ...assignedNotices(snapshot.myCases, known, context.claimedHere),
    ...slaNotices(snapshot.myCases, context.now),
    ...codeNotices(snapshot.codeRequests),
  ];
  const notices: Notice[] = [];
  const assignedNow = new Set<string>();
  for (const notice of candidates) {
    if (notice.kind !== 'assigned' && told.has(notice.key)) continue;
    if (notice.kind === 'assigned') assignedNow.add(notice.caseId);
    // Skipped for the case on screen, and a deadline for a case announced just now (one notice per case),
    // but remembered: switching away must not bring it up late.
    const skip = notice.caseId === context.focusedCaseId || (notice.kind === 'sla' && assignedNow.has(notice.caseId));
    if (!skip) notices.push(notice);
    told.add(notice.key);
    for (const widerKey of notice.kind === 'sla' ? widerSlaKeys(notice) : []) told.add(widerKey);
  }
  return { notices, memory: nextMemory(snapshot, told) };
}

function assignedNotices(myCases: MyCase[], known: ReadonlySet<string>, claimedHere: ReadonlySet<string>): Notice[] {
  return myCases
    .filter((item) => !known.has(item.id) && !claimedHere.has(item.id))
    .map((item) => ({ kind: 'assigned', key: `assigned:${item.id}`, caseId: item.id }));
}

/**
 * One notice per case: for the narrowest threshold already crossed (a case first seen 10 minutes before
 * its deadline gets "10 minutes", not also "an hour"). A case past its deadline is the badge's business.
 */
function slaNotices(myCases: MyCase[], now: number): Notice[] {
  const notices: Notice[] = [];
  for (const item of myCases) {
    if (!WORKABLE.has(item.status)) continue;
    const due = Date.parse(item.slaDueAt);
    if (Number.isNaN(due) || due <= now) continue;
    const minutesLeft = Math.ceil((due - now) / 60_000);
    const crossed = SLA_WARNING_MINUTES.filter((threshold) => minutesLeft <= threshold);
    const narrowest = crossed.at(-1);
    if (narrowest === undefined) continue;
    notices.push({ kind: 'sla', key: slaKey(item.id, item.slaDueAt, narrowest), caseId: item.id, minutesLeft });
  }
  return notices;
}

/** The key names the deadline too: a deadline moved by the platform is a new one, worth a new warning. */
function slaKey(caseId: string, slaDueAt: string, threshold: number): string {
  return `sla:${caseId}:${slaDueAt}:${threshold}`;
}

/** Once warned at 15 minutes, the hour's warning is spent too. */
function widerSlaKeys(notice: Extract<Notice, { kind: 'sla' }>): string[] {
  const [, caseId, ...rest] = notice.key.split(':');
  const threshold = Number(rest.pop());
  const slaDueAt = rest.join(':');
  return SLA_WARNING_MINUTES.filter((minutes) => minutes > threshold).map((minutes) => slaKey(caseId!, slaDueAt, minutes));
}

/** Each time a coded command falls back to `needs_code` (its attempts differ) is one notice. */
function codeNotices(entries: OutboxEntry[]): Notice[] {
  return entries
    .filter((entry) => entry.state === 'needs_code' && STEP_UP.has(entry.kind) && entry.caseId !== null)
    .map((entry) => ({
      kind: 'code',
      key: `code:${entry.id}:${entry.attempts}`,
      caseId: entry.caseId!,
      outboxKind: entry.kind,
    }));
}

/** Keeps only what can still matter: the user's cases now, and the keys of what is still current. */
function nextMemory(snapshot: AttentionSnapshot, told: ReadonlySet<string>): AttentionMemory {
  const current = new Set(snapshot.myCases.map((item) => item.id));
  const entries = new Set(snapshot.codeRequests.map((entry) => entry.id));
  const stillCurrent = (key: string): boolean => {
    const [kind, id] = key.split(':');
    if (kind === 'sla') return current.has(id!);
    if (kind === 'code') return entries.has(id!);
    return false;
  };
  return {
    userId: snapshot.userId,
    knownCases: [...current].slice(0, 5000),
    told: [...told].filter(stillCurrent).slice(-5000),
  };
}

/**
 * The badge: the user's workable cases past their SLA deadline. The monitor reads at most one page of the
 * "Mine" view (500 cases, earliest deadline first), so a count of 500 means "500 or more".
 */
export function overdueCount(myCases: MyCase[], now: number): number {
  return myCases.filter((item) => WORKABLE.has(item.status) && Date.parse(item.slaDueAt) <= now).length;
}
