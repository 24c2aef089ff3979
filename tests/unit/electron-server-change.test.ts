// 'server.change' in the Electron shell (electron/main/server-change.ts), with a fake dialog and a fake
// desk worker: the renderer only asks; the address is checked, shown to the user, and saved only when the
// user confirms in the native dialog.
import { describe, expect, it } from 'vitest';
import type { DeskResult } from '../../shared/desk-api/schemas';
import { changeServer, serverConfirmation, type ServerConfirmation } from '../../electron/main/server-change';

function fakes(
  answer: boolean,
  saveResult: DeskResult<unknown> = { ok: true, value: null },
  checkResult: DeskResult<unknown> = { ok: true, value: { version: '1.0.0' } },
) {
  const shown: ServerConfirmation[] = [];
  const saved: Array<string | null> = [];
  const checked: string[] = [];
  return {
    shown,
    saved,
    checked,
    deps: {
      check: async (serverUrl: string) => {
        checked.push(serverUrl);
        return checkResult;
      },
      confirm: async (dialog: ServerConfirmation) => {
        shown.push(dialog);
        return answer;
      },
      save: async (serverUrl: string | null) => {
        saved.push(serverUrl);
        return saveResult;
      },
    },
  };
}

describe('changeServer', () => {
  it('saves the address, normalised, only after the user confirms the dialog that names it', async () => {
    const { shown, saved, deps } = fakes(true);
    expect(await changeServer({ serverUrl: 'https://Disputes.Example/' }, deps)).toEqual({
      ok: true,
      value: { status: 'saved', serverUrl: 'https://disputes.example' },
    });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.message).toContain('https://disputes.example');
    expect(saved).toEqual(['https://disputes.example']);
  });

  it('asks the user only about a server that answered its health check, and passes on why one did not', async () => {
    const unreachable = { ok: false as const, error: { code: 'server_unreachable', message: 'ECONNREFUSED' } };
    const { shown, saved, checked, deps } = fakes(true, { ok: true, value: null }, unreachable);
    expect(await changeServer({ serverUrl: 'https://disputes.example' }, deps)).toEqual(unreachable);
    expect(checked).toEqual(['https://disputes.example']);
    expect(shown).toEqual([]);
    expect(saved).toEqual([]);
  });

  it('saves nothing when the user cancels', async () => {
    const { shown, saved, deps } = fakes(false);
    expect(await changeServer({ serverUrl: 'https://disputes.example' }, deps)).toEqual({
      ok: true,
      value: { status: 'cancelled', serverUrl: 'https://disputes.example' },
    });
    expect(shown).toHaveLength(1);
    expect(saved).toEqual([]);
  });

  it.each([
    ['plain http to another machine', { serverUrl: 'http://evil.example' }],
    ['javascript:', { serverUrl: 'javascript:fetch("//evil.example")' }],
    ['file:', { serverUrl: 'file:///etc/passwd' }],
    ['a password in the address', { serverUrl: 'https://ana:pw@disputes.example' }],
    ['a newline hidden in it', { serverUrl: 'https://disputes.example\n' }],
    ['another shape', { serverUrl: 'https://disputes.example', confirmed: true }],
    ['no input', undefined],
  ])('refuses %s without asking the user or saving', async (_what, input) => {
    const { shown, saved, checked, deps } = fakes(true);
    expect(await changeServer(input, deps)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(checked).toEqual([]);
    expect(shown).toEqual([]);
    expect(saved).toEqual([]);
  });

  it('goes back to the bundled server with null, confirmed like any change', async () => {
    const { shown, saved, checked, deps } = fakes(true);
    expect(await changeServer({ serverUrl: null }, deps)).toMatchObject({ ok: true, value: { status: 'saved', serverUrl: null } });
    expect(checked).toEqual([]);
    expect(shown[0]!.message).toContain('bundled server');
    expect(saved).toEqual([null]);
  });

  it('passes on a failure to save', async () => {
    const failure = { ok: false as const, error: { code: 'desk_unavailable', message: 'gone' } };
    const { deps } = fakes(true, failure);
    expect(await changeServer({ serverUrl: 'https://disputes.example' }, deps)).toEqual(failure);
  });
});

describe('serverConfirmation', () => {
  it('defaults to Cancel, so that Enter or a stray click changes nothing', () => {
    const dialog = serverConfirmation('https://disputes.example');
    expect(dialog.buttons[dialog.defaultId]).toBe('Cancel');
    expect(dialog.cancelId).toBe(0);
    expect(dialog.buttons[1]).toBe('Use this server');
  });

  it('shows a look-alike host in its punycode form, as the desk will use it', async () => {
    const { shown, deps } = fakes(false);
    await changeServer({ serverUrl: 'https://exаmple.com' }, deps);
    expect(shown[0]!.message).toContain('https://xn--exmple-4nf.com');
  });
});
