// The limits on what a script in the window can make main do (review finding): one server-change dialog at
// a time with a pause after Cancel (electron/main/server-change.ts), and a cap on case windows
// (electron/main/desk-ipc-rules.ts). Pure: a fake dialog and a clock passed in, no Electron.
import { describe, expect, it } from 'vitest';
import { MAX_CASE_WINDOWS, mayOpenCaseWindow } from '../../electron/main/desk-ipc-rules';
import {
  SERVER_DIALOG_COOL_DOWN_MS,
  changeServerOneAtATime,
  serverDialogGate,
  type ServerChangeDeps,
} from '../../electron/main/server-change';

/** A dialog that stays open until the test answers it. */
function heldDialog() {
  const shown: string[] = [];
  let answer: (confirmed: boolean) => void = () => undefined;
  const deps: ServerChangeDeps = {
    check: async () => ({ ok: true, value: { version: '1.0.0' } }),
    confirm: (dialog) => {
      shown.push(dialog.message);
      return new Promise<boolean>((resolve) => {
        answer = resolve;
      });
    },
    save: async () => ({ ok: true, value: null }),
  };
  return { deps, shown, answer: (confirmed: boolean) => answer(confirmed) };
}

const ask = { serverUrl: 'https://disputes.example' };
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('server-change dialogs', () => {
  it('refuses a second change while the first dialog is open, clearly, and shows only one dialog', async () => {
    const gate = serverDialogGate();
    const dialog = heldDialog();
    let now = 1_000;
    const first = changeServerOneAtATime(gate, ask, dialog.deps, () => now);
    await settle();
    expect(await changeServerOneAtATime(gate, ask, dialog.deps, () => now)).toEqual({
      ok: false,
      error: { code: 'server_change_busy', message: 'A server change is already waiting for an answer in its dialog.' },
    });
    expect(dialog.shown).toHaveLength(1);
    dialog.answer(true);
    expect(await first).toEqual({ ok: true, value: { status: 'saved', serverUrl: 'https://disputes.example' } });
    // Confirmed: no cool-down, the next change may ask at once.
    now += 1;
    const next = changeServerOneAtATime(gate, ask, dialog.deps, () => now);
    await settle();
    expect(dialog.shown).toHaveLength(2);
    dialog.answer(true);
    await next;
  });

  it('after Cancel, refuses for the cool-down and asks again once it has passed', async () => {
    const gate = serverDialogGate();
    const dialog = heldDialog();
    let now = 50_000;
    const cancelled = changeServerOneAtATime(gate, ask, dialog.deps, () => now);
    await settle();
    dialog.answer(false);
    expect(await cancelled).toMatchObject({ ok: true, value: { status: 'cancelled' } });

    now += SERVER_DIALOG_COOL_DOWN_MS - 1;
    expect(await changeServerOneAtATime(gate, ask, dialog.deps, () => now)).toEqual({
      ok: false,
      error: { code: 'server_change_busy', message: 'The last server change was cancelled; try again in 1 s.' },
    });
    expect(dialog.shown).toHaveLength(1);

    now += 1;
    const again = changeServerOneAtATime(gate, ask, dialog.deps, () => now);
    await settle();
    expect(dialog.shown).toHaveLength(2);
    dialog.answer(false);
    await again;
  });

  it('lets the next change through after one that failed before its dialog (bad input, a server that is not one)', async () => {
    const gate = serverDialogGate();
    const dialog = heldDialog();
    expect(await changeServerOneAtATime(gate, { serverUrl: 42 }, dialog.deps, () => 0)).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    const failing = { ...dialog.deps, check: async () => ({ ok: false, error: { code: 'server_unreachable', message: 'no' } }) as const };
    expect(await changeServerOneAtATime(gate, ask, failing, () => 0)).toMatchObject({ ok: false, error: { code: 'server_unreachable' } });
    const next = changeServerOneAtATime(gate, ask, dialog.deps, () => 0);
    await settle();
    expect(dialog.shown).toHaveLength(1);
    dialog.answer(true);
    await next;
  });
});

describe('case windows', () => {
  it(`opens up to ${MAX_CASE_WINDOWS} beside the main window, and no more`, () => {
    expect(MAX_CASE_WINDOWS).toBe(8);
    expect(mayOpenCaseWindow(0)).toBe(true);
    expect(mayOpenCaseWindow(MAX_CASE_WINDOWS - 1)).toBe(true);
    expect(mayOpenCaseWindow(MAX_CASE_WINDOWS)).toBe(false);
    expect(mayOpenCaseWindow(500)).toBe(false);
  });
});
