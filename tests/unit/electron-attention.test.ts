// What the desktop tells the agent (electron/main/attention.ts, attention-monitor.ts, shell-text.ts): which
// notifications, once each, never for what is on screen, and the badge's count; the monitor with a fake desk
// worker and a real file for its memory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeskChannel, DeskEvent } from '../../shared/desk-api/contract';
import type { DeskResult, OutboxEntry } from '../../shared/desk-api/schemas';
import {
  decideNotices,
  overdueCount,
  type AttentionContext,
  type AttentionMemory,
  type AttentionSnapshot,
  type MyCase,
  type Notice,
} from '../../electron/main/attention';
import { ATTENTION_FILE, MY_CASES_QUERY, monitorAttention } from '../../electron/main/attention-monitor';
import { noticeText, shellLanguage } from '../../electron/main/shell-text';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const inMinutes = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();
const mine = (id: string, dueInMinutes: number, status: MyCase['status'] = 'in_review'): MyCase => ({
  id,
  status,
  slaDueAt: inMinutes(dueInMinutes),
});
const context = (overrides: Partial<AttentionContext> = {}): AttentionContext => ({
  now: NOW,
  focusedCaseId: null,
  claimedHere: new Set(),
  ...overrides,
});
const snapshot = (myCases: MyCase[], codeRequests: OutboxEntry[] = [], userId = 'u-ana'): AttentionSnapshot => ({
  userId,
  myCases,
  codeRequests,
});
const entry = (overrides: Partial<OutboxEntry>): OutboxEntry => ({
  id: 'cmd-1',
  kind: 'verdict',
  caseId: 'DSP-1',
  alertId: null,
  state: 'needs_code',
  createdAt: inMinutes(-5),
  attempts: 1,
  error: { code: 'invalid_totp', message: 'stale' },
  ...overrides,
});
const kinds = (notices: Notice[]) => notices.map((notice) => `${notice.kind}:${notice.caseId}`);

describe('decideNotices', () => {
  it('takes the first look as a baseline: cases assigned already are not news', () => {
    const first = decideNotices(null, snapshot([mine('DSP-1', 600), mine('DSP-2', 600)]), context());
    expect(first.notices).toEqual([]);
    expect(first.memory.knownCases).toEqual(['DSP-1', 'DSP-2']);
  });

  it('tells of a case newly assigned, once', () => {
    const first = decideNotices(null, snapshot([mine('DSP-1', 600)]), context());
    const second = decideNotices(first.memory, snapshot([mine('DSP-1', 600), mine('DSP-9', 600)]), context());
    expect(kinds(second.notices)).toEqual(['assigned:DSP-9']);
    const third = decideNotices(second.memory, snapshot([mine('DSP-1', 600), mine('DSP-9', 600)]), context());
    expect(third.notices).toEqual([]);
  });

  it('says nothing of a case the agent claimed on this desk', () => {
    const first = decideNotices(null, snapshot([]), context());
    const second = decideNotices(first.memory, snapshot([mine('DSP-5', 600)]), context({ claimedHere: new Set(['DSP-5']) }));
    expect(second.notices).toEqual([]);
  });

  it('takes another user signing in as a new baseline', () => {
    const ana = decideNotices(null, snapshot([mine('DSP-1', 600)]), context());
    const bruno = decideNotices(ana.memory, snapshot([mine('DSP-7', 600)], [], 'u-bruno'), context());
    expect(bruno.notices).toEqual([]);
    expect(bruno.memory.userId).toBe('u-bruno');
  });

  it('warns an hour before the SLA runs out and again at 15 minutes, once per threshold', () => {
    let memory: AttentionMemory | null = decideNotices(null, snapshot([mine('DSP-1', 61)]), context()).memory;
    const at60 = decideNotices(memory, snapshot([mine('DSP-1', 61)]), context({ now: NOW + 60_000 }));
    expect(at60.notices).toEqual([expect.objectContaining({ kind: 'sla', caseId: 'DSP-1', minutesLeft: 60 })]);
    memory = at60.memory;
    expect(decideNotices(memory, snapshot([mine('DSP-1', 61)]), context({ now: NOW + 10 * 60_000 })).notices).toEqual([]);
    const at15 = decideNotices(memory, snapshot([mine('DSP-1', 61)]), context({ now: NOW + 46 * 60_000 }));
    expect(at15.notices).toEqual([expect.objectContaining({ kind: 'sla', minutesLeft: 15 })]);
    expect(decideNotices(at15.memory, snapshot([mine('DSP-1', 61)]), context({ now: NOW + 50 * 60_000 })).notices).toEqual([]);
  });

  it('gives a case first seen close to its deadline one warning, not two', () => {
    const first = decideNotices(null, snapshot([mine('DSP-1', 10)]), context());
    expect(first.notices).toEqual([expect.objectContaining({ kind: 'sla', minutesLeft: 10 })]);
    expect(decideNotices(first.memory, snapshot([mine('DSP-1', 10)]), context({ now: NOW + 60_000 })).notices).toEqual([]);
  });

  it('warns again when the platform moves the deadline', () => {
    const first = decideNotices(null, snapshot([mine('DSP-1', 30)]), context());
    const moved = decideNotices(first.memory, snapshot([mine('DSP-1', 50)]), context());
    expect(kinds(moved.notices)).toEqual(['sla:DSP-1']);
  });

  it('does not warn of cases past their deadline, far from it, or waiting on a supervisor', () => {
    const decision = decideNotices(
      null,
      snapshot([mine('DSP-1', -5), mine('DSP-2', 120), mine('DSP-3', 30, 'pending_approval'), mine('DSP-4', 30, 'open')]),
      context(),
    );
    expect(kinds(decision.notices)).toEqual(['sla:DSP-4']);
  });

  it('tells of a newly assigned case once, even when its deadline is close', () => {
    const first = decideNotices(null, snapshot([]), context());
    const second = decideNotices(first.memory, snapshot([mine('DSP-3', 20)]), context());
    expect(kinds(second.notices)).toEqual(['assigned:DSP-3']);
    expect(decideNotices(second.memory, snapshot([mine('DSP-3', 20)]), context()).notices).toEqual([]);
  });

  it('asks for a fresh code once each time a coded command falls back to needs_code', () => {
    const first = decideNotices(null, snapshot([], [entry({})]), context());
    expect(first.notices).toEqual([{ kind: 'code', key: 'code:cmd-1:1', caseId: 'DSP-1', outboxKind: 'verdict' }]);
    expect(decideNotices(first.memory, snapshot([], [entry({})]), context()).notices).toEqual([]);
    const again = decideNotices(first.memory, snapshot([], [entry({ attempts: 2 })]), context());
    expect(kinds(again.notices)).toEqual(['code:DSP-1']);
  });

  it('asks no code for commands that carry none, or that are not waiting for one', () => {
    const decision = decideNotices(
      null,
      snapshot([], [entry({ id: 'a', kind: 'claim' }), entry({ id: 'b', state: 'pending' }), entry({ id: 'c', caseId: null, alertId: 'ALR-1' })]),
      context(),
    );
    expect(decision.notices).toEqual([]);
  });

  it('skips what is on screen in the focused window, and does not bring it up later', () => {
    const first = decideNotices(null, snapshot([mine('DSP-1', 30)], [entry({ caseId: 'DSP-1' })]), context({ focusedCaseId: 'DSP-1' }));
    expect(first.notices).toEqual([]);
    expect(decideNotices(first.memory, snapshot([mine('DSP-1', 30)], [entry({ caseId: 'DSP-1' })]), context()).notices).toEqual([]);
  });

  it('forgets what no longer matters, so the memory stays small', () => {
    const first = decideNotices(null, snapshot([mine('DSP-1', 30)], [entry({})]), context());
    expect(first.memory.told).toHaveLength(2);
    const later = decideNotices(first.memory, snapshot([]), context());
    expect(later.memory).toEqual({ userId: 'u-ana', knownCases: [], told: [] });
  });
});

describe('overdueCount', () => {
  it("counts the user's workable cases past their deadline", () => {
    expect(
      overdueCount([mine('A', -1), mine('B', 0, 'open'), mine('C', 1), mine('D', -30, 'pending_approval'), mine('E', -600)], NOW),
    ).toBe(3);
    expect(overdueCount([], NOW)).toBe(0);
  });
});

describe('noticeText', () => {
  it('words each notice in English and Spanish', () => {
    expect(noticeText({ kind: 'assigned', key: 'k', caseId: 'DSP-1' }, 'en')).toEqual({
      title: 'Case assigned to you',
      body: 'DSP-1 is now yours to work.',
    });
    expect(noticeText({ kind: 'sla', key: 'k', caseId: 'DSP-1', minutesLeft: 1 }, 'es').body).toBe('DSP-1 vence en 1 minuto.');
    expect(noticeText({ kind: 'code', key: 'k', caseId: 'DSP-1', outboxKind: 'lift_hold' }, 'en').body).toBe(
      'Lifting the hold on DSP-1 needs a fresh authentication code.',
    );
    expect(noticeText({ kind: 'code', key: 'k', caseId: 'DSP-1', outboxKind: 'verdict' }, 'es').title).toBe('Hace falta un código nuevo');
  });

  it('follows the language setting, the system only when asked to', () => {
    expect(shellLanguage('system', 'es-AR')).toBe('es');
    expect(shellLanguage('system', 'pt-BR')).toBe('en');
    expect(shellLanguage('en', 'es-ES')).toBe('en');
    expect(shellLanguage('es', 'en-US')).toBe('es');
  });
});

describe('monitorAttention', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attention-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  function fakeDesk(rows: () => MyCase[], user: { id: string } | null = { id: 'u-ana' }) {
    const calls: Array<{ channel: DeskChannel; input: unknown }> = [];
    const listeners: Array<(event: DeskEvent, payload: unknown) => void> = [];
    return {
      calls,
      emit: (event: DeskEvent, payload: unknown) => listeners.forEach((listener) => listener(event, payload)),
      worker: {
        invoke: async (channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>> => {
          calls.push({ channel, input });
          if (channel === 'session.state') return { ok: true, value: { user, awaiting: null, serverUrl: 'http://127.0.0.1:1' } };
          if (channel === 'queue.query') return { ok: true, value: { rows: rows(), total: rows().length, counts: {} } };
          return { ok: false, error: { code: 'not_found', message: 'no' } };
        },
        onEvent: (listener: (event: DeskEvent, payload: unknown) => void) => void listeners.push(listener),
      },
    };
  }

  function start(desk: ReturnType<typeof fakeDesk>, shown: Notice[], badges: number[]) {
    return monitorAttention({
      worker: desk.worker,
      dataDir,
      now: () => NOW,
      focusedCaseId: () => null,
      show: (notice) => shown.push(notice),
      setBadge: (count) => badges.push(count),
      log: () => undefined,
    });
  }

  it("reads the user's cases, shows what is new, sets the badge, and repeats nothing after a restart", async () => {
    let rows = [mine('DSP-1', -10), mine('DSP-2', 600)];
    const desk = fakeDesk(() => rows);
    const shown: Notice[] = [];
    const badges: number[] = [];
    const first = start(desk, shown, badges);
    await first.check();
    expect(desk.calls.find((call) => call.channel === 'queue.query')?.input).toEqual(MY_CASES_QUERY);
    expect(shown).toEqual([]);
    expect(badges).toEqual([1]);

    rows = [...rows, mine('DSP-3', 30)];
    await first.check();
    expect(kinds(shown)).toEqual(['assigned:DSP-3']);
    first.stop();

    // A restart reads its memory from the file: nothing is told twice.
    const restarted = start(fakeDesk(() => rows), shown, badges);
    await restarted.check();
    restarted.stop();
    expect(kinds(shown)).toEqual(['assigned:DSP-3']);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, ATTENTION_FILE), 'utf8')).knownCases).toEqual(['DSP-1', 'DSP-2', 'DSP-3']);
  });

  it('hears of a verdict that needs a fresh code from the outbox events', async () => {
    const desk = fakeDesk(() => []);
    const shown: Notice[] = [];
    const monitor = start(desk, shown, []);
    await monitor.check();
    desk.emit('outbox.changed', entry({ caseId: 'DSP-4' }));
    await monitor.check();
    monitor.stop();
    expect(kinds(shown)).toEqual(['code:DSP-4']);
  });

  it('clears the badge when nobody is signed in, and treats a damaged memory file as none', async () => {
    fs.writeFileSync(path.join(dataDir, ATTENTION_FILE), '{"userId": 42');
    const badges: number[] = [];
    const monitor = start(fakeDesk(() => [mine('DSP-1', -10)], null), [], badges);
    await monitor.check();
    monitor.stop();
    expect(badges).toEqual([0]);
  });
});
