// What the Electron shell offers the renderer beside the desk: window.deskShell, exposed by the preload
// and absent in the browser host (the renderer tells the two hosts apart by it). Plain strings and a regex
// only: the sandboxed preload imports this file.

/** Renderer → main: open a case in a window of its own, beside this one. */
export const SHELL_OPEN_CASE_WINDOW_CHANNEL = 'shell:open-case-window';
/** Main → preload: show this case in the window (a notification or a dispute-desk:// link was clicked). */
export const SHELL_SHOW_CASE_CHANNEL = 'shell:show-case';

/** Main → preload: whether an update is ready to install, and if it is held, why (electron/main/update-gate.ts). */
export const SHELL_UPDATE_NOTICE_CHANNEL = 'shell:update-notice';
/** Renderer → main: the user chose "Restart to update"; main checks the gate again before it restarts. */
export const SHELL_RESTART_TO_UPDATE_CHANNEL = 'shell:restart-to-update';

/** Why a downloaded update is not offered yet: something in the outbox would be delayed or asked for a new code. */
export type UpdateHoldReason = 'step_up_pending' | 'step_up_needs_code' | 'commands_pending' | 'outbox_unknown';

export type UpdateNotice =
  | { kind: 'none' }
  | { kind: 'ready'; version: string }
  | { kind: 'held'; version: string; why: UpdateHoldReason };

const UPDATE_HOLD_REASONS: readonly string[] = ['step_up_pending', 'step_up_needs_code', 'commands_pending', 'outbox_unknown'];
const VERSION_PATTERN = /^[0-9A-Za-z.+-]{1,64}$/;

/** Checks a notice from main before the page sees it (the preload passes only what fits). */
export function isUpdateNotice(value: unknown): value is UpdateNotice {
  if (typeof value !== 'object' || value === null) return false;
  const notice = value as Record<string, unknown>;
  if (notice.kind === 'none') return true;
  if (typeof notice.version !== 'string' || !VERSION_PATTERN.test(notice.version)) return false;
  if (notice.kind === 'ready') return true;
  return notice.kind === 'held' && typeof notice.why === 'string' && UPDATE_HOLD_REASONS.includes(notice.why);
}

/** The platform's case ids (shared/desk-api/schemas.ts `caseId`), repeated here without zod for the preload. */
export const CASE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export function isCaseId(value: unknown): value is string {
  return typeof value === 'string' && CASE_ID_PATTERN.test(value);
}

/** The renderer's hash route of a case workspace (renderer/src/app/router.ts `caseHref`). */
export function caseRouteHash(caseId: string): string {
  return `#/cases/${encodeURIComponent(caseId)}`;
}

/** The case a renderer URL shows, or null (the queue, another screen, not the app). */
export function caseIdFromRendererUrl(url: string): string | null {
  const hash = URL.parse(url)?.hash ?? '';
  const match = /^#\/cases\/([^/?#]+)$/.exec(hash);
  if (!match?.[1]) return null;
  let caseId: string;
  try {
    caseId = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return isCaseId(caseId) ? caseId : null;
}

/** window.deskShell: only in the Electron shell. */
export interface DeskShell {
  /** Opens the case in a new window; false when main refused (not a case id, a frame outside the app). */
  openCaseWindow(caseId: string): Promise<boolean>;
  /** Hears whether an update waits (called at once with the latest notice); returns a function that stops listening. */
  onUpdateNotice(listener: (notice: UpdateNotice) => void): () => void;
  /** Restarts into the downloaded update; false when main held it (the gate said no when asked again). */
  restartToUpdate(): Promise<boolean>;
}
