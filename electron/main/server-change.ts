// 'server.change' in the Electron shell: the renderer may only ask to point the desk at another platform
// server. The desk sends the user's password there at the next sign-in, so a script in the renderer must not
// be able to choose it: main checks the address (https, or http to this computer), has the desk check that a
// Dispute Desk server answers there (GET /v1/health), shows it to the user in a native dialog that no web page
// can draw or click, and saves it through the desk worker only when the user confirms. Electron-free, so that it is unit tested with a fake dialog (tests/unit/electron-server-change.test.ts);
// ipc.ts wires it to dialog.showMessageBox.
import type { DeskResult, ServerChange } from '../../shared/desk-api/schemas';
import { serverChangeInput } from '../../shared/desk-api/schemas';

/** The options of the native confirmation (Electron's MessageBoxOptions, the fields used). */
export interface ServerConfirmation {
  type: 'warning';
  title: string;
  message: string;
  detail: string;
  buttons: [cancel: string, confirm: string];
  defaultId: 0;
  cancelId: 0;
  noLink: true;
}

export interface ServerChangeDeps {
  /** The desk's 'server.check': GET /v1/health with a timeout and the answer's shape. */
  check(serverUrl: string): Promise<DeskResult<unknown>>;
  /** Shows the confirmation; true only when the user chose the confirm button. */
  confirm(dialog: ServerConfirmation): Promise<boolean>;
  /** Stores the address in the desk's settings for the next start (the desk worker's `saveServer`). */
  save(serverUrl: string | null): Promise<DeskResult<unknown>>;
}

/** The dialog names the address as the desk will use it (a look-alike host shows in its `xn--` form). */
export function serverConfirmation(serverUrl: string | null): ServerConfirmation {
  const target = serverUrl ?? 'the bundled server on this computer';
  return {
    type: 'warning',
    title: 'Change the platform server',
    message: `Use ${target} as the platform server?`,
    detail:
      'From its next start, Dispute Desk signs in to this server with your password and codes, and shows the cases it sends. ' +
      'Only confirm an address your organisation gave you. If you did not ask for this change, choose Cancel.',
    // Cancel first and the default: pressing Enter, or a script making the window busy, changes nothing.
    buttons: ['Cancel', 'Use this server'],
    defaultId: 0,
    cancelId: 0,
    noLink: true,
  };
}

export async function changeServer(input: unknown, deps: ServerChangeDeps): Promise<DeskResult<ServerChange>> {
  const parsed = serverChangeInput.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { ok: false, error: { code: 'invalid_request', message: `${where}${issue?.message ?? 'not a valid request'}` } };
  }
  const { serverUrl } = parsed.data;
  // The dialog asks the user about a server that has answered as one: never about a typo.
  if (serverUrl !== null) {
    const checked = await deps.check(serverUrl);
    if (!checked.ok) return checked;
  }
  if (!(await deps.confirm(serverConfirmation(serverUrl)))) return { ok: true, value: { status: 'cancelled', serverUrl } };
  const saved = await deps.save(serverUrl);
  if (!saved.ok) return saved;
  return { ok: true, value: { status: 'saved', serverUrl } };
}

/** After the user cancels a change, the page may not ask again for this long (10 s). */
export const SERVER_DIALOG_COOL_DOWN_MS = 10_000;

/**
 * One server-change dialog at a time, and a pause after Cancel: a script in the window could otherwise
 * open dialog after dialog until the user, worn down, clicks "Use this server" (or raise a second behind the
 * first). Pure, with the clock passed in: ipc.ts holds one for the app and asks it before every change.
 */
export interface ServerDialogGate {
  /** Null when a change may start now (it is then under way); otherwise the refusal to answer. */
  enter(nowMs: number): DeskResult<never> | null;
  /** The change that entered has ended; a cancelled one starts the cool-down. */
  leave(outcome: 'cancelled' | 'done', nowMs: number): void;
}

const busy = (message: string): DeskResult<never> => ({ ok: false, error: { code: 'server_change_busy', message } });

export function serverDialogGate(coolDownMs = SERVER_DIALOG_COOL_DOWN_MS): ServerDialogGate {
  let underWay = false;
  let refusedUntilMs = 0;
  return {
    enter(nowMs) {
      if (underWay) return busy('A server change is already waiting for an answer in its dialog.');
      if (nowMs < refusedUntilMs) {
        const seconds = Math.ceil((refusedUntilMs - nowMs) / 1000);
        return busy(`The last server change was cancelled; try again in ${seconds} s.`);
      }
      underWay = true;
      return null;
    },
    leave(outcome, nowMs) {
      underWay = false;
      if (outcome === 'cancelled') refusedUntilMs = nowMs + coolDownMs;
    },
  };
}

/** changeServer behind the gate: refused while another is under way or cooling down after a Cancel. */
export async function changeServerOneAtATime(
  gate: ServerDialogGate,
  input: unknown,
  deps: ServerChangeDeps,
  clock: () => number = Date.now,
): Promise<DeskResult<ServerChange>> {
  const refused = gate.enter(clock());
  if (refused) return refused;
  let outcome: 'cancelled' | 'done' = 'done';
  try {
    const change = await changeServer(input, deps);
    if (change.ok && change.value.status === 'cancelled') outcome = 'cancelled';
    return change;
  } finally {
    gate.leave(outcome, clock());
  }
}
