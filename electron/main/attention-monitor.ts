// Reads what the agent should hear of from the desk worker and hands it to the shell: after the desk's
// events (cases changed, an outbox command moved) and once a minute (deadlines come closer on their own).
// Electron-free, so that it is tested with a fake worker (tests/unit/electron-attention-monitor.test.ts);
// the decisions are attention.ts's, the showing desktop-shell.ts's.
import fs from 'node:fs';
import path from 'node:path';
import type { DeskChannel, DeskEvent, SessionState } from '../../shared/desk-api/contract';
import type { DeskResult, OutboxEntry, QueuePage, QueueQuery } from '../../shared/desk-api/schemas';
import { attentionMemory, decideNotices, overdueCount, type AttentionMemory, type Notice } from './attention';

export const ATTENTION_FILE = 'desktop-attention.json';
const CHECK_EVERY_MS = 60_000;
/** The events of one change (a sync page, then the outbox's answer) arrive together: one read for all. */
const SETTLE_MS = 1_000;

/** The user's unresolved cases, earliest deadline first: the overdue ones lead, whatever the page size. */
export const MY_CASES_QUERY: QueueQuery = {
  view: 'mine',
  filters: { status: ['open', 'in_review', 'pending_approval'] },
  sort: { column: 'slaDueAt', direction: 'asc' },
  limit: 500,
};

export interface AttentionDeps {
  worker: {
    invoke(channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>>;
    onEvent(listener: (event: DeskEvent, payload: unknown) => void): void;
  };
  /** The user-data folder: the memory of what was told lives there. */
  dataDir: string;
  now?: () => number;
  focusedCaseId(): string | null;
  show(notice: Notice): void;
  setBadge(overdue: number): void;
  log?: (message: string) => void;
}

export interface AttentionMonitor {
  /** One read and decision now (the timer and the events call it too). */
  check(): Promise<void>;
  stop(): void;
}

export function readAttentionMemory(dataDir: string): AttentionMemory | null {
  try {
    const parsed = attentionMemory.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, ATTENTION_FILE), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // Missing or unreadable: the next look is a baseline, which tells nothing that is already assigned.
    return null;
  }
}

function writeAttentionMemory(dataDir: string, memory: AttentionMemory): void {
  const file = path.join(dataDir, ATTENTION_FILE);
  // Aside and renamed: a crash mid-write leaves the old memory, never half a file.
  fs.writeFileSync(`${file}.part`, JSON.stringify(memory), { mode: 0o600 });
  fs.renameSync(`${file}.part`, file);
}

export function monitorAttention(deps: AttentionDeps): AttentionMonitor {
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((message: string) => console.warn(message));
  let memory = readAttentionMemory(deps.dataDir);
  const codeRequests = new Map<string, OutboxEntry>();
  const claimedHere = new Set<string>();
  let running: Promise<void> | null = null;
  let again = false;
  let settle: NodeJS.Timeout | null = null;

  deps.worker.onEvent((event, payload) => {
    if (event === 'outbox.changed') noteOutbox(payload as OutboxEntry);
    if (event === 'session.expired') {
      codeRequests.clear();
      deps.setBadge(0);
      return;
    }
    if (event === 'cases.changed' || event === 'outbox.changed') checkSoon();
  });

  function noteOutbox(entry: OutboxEntry): void {
    if (entry.kind === 'claim' && entry.caseId !== null) claimedHere.add(entry.caseId);
    if (entry.state === 'needs_code') codeRequests.set(entry.id, entry);
    else codeRequests.delete(entry.id);
  }

  function checkSoon(): void {
    if (settle) clearTimeout(settle);
    settle = setTimeout(() => void check(), SETTLE_MS);
  }

  async function check(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = checkOnce()
      .catch((error: unknown) => log(`Dispute Desk: could not check for notifications: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void check();
        }
      });
    return running;
  }

  async function checkOnce(): Promise<void> {
    const state = await deps.worker.invoke('session.state', undefined);
    const user = state.ok ? (state.value as SessionState).user : null;
    if (user === null) {
      deps.setBadge(0);
      return;
    }
    const page = await deps.worker.invoke('queue.query', MY_CASES_QUERY);
    if (!page.ok) throw new Error(`the queue answered ${page.error.code}`);
    const myCases = (page.value as QueuePage).rows.map(({ id, status, slaDueAt }) => ({ id, status, slaDueAt }));
    const at = now();
    const decision = decideNotices(
      memory,
      { userId: user.id, myCases, codeRequests: [...codeRequests.values()] },
      { now: at, focusedCaseId: deps.focusedCaseId(), claimedHere },
    );
    for (const notice of decision.notices) deps.show(notice);
    deps.setBadge(overdueCount(myCases, at));
    if (JSON.stringify(decision.memory) !== JSON.stringify(memory)) {
      memory = decision.memory;
      writeAttentionMemory(deps.dataDir, memory);
    }
  }

  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  return {
    check,
    stop() {
      clearInterval(timer);
      if (settle) clearTimeout(settle);
    },
  };
}
