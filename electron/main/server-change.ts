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
