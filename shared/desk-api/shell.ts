// What the Electron shell offers the renderer beside the desk: window.deskShell, exposed by the preload
// and absent in the browser host (the renderer tells the two hosts apart by it). Plain strings and a regex
// only: the sandboxed preload imports this file.

/** Renderer → main: open a case in a window of its own, beside this one. */
export const SHELL_OPEN_CASE_WINDOW_CHANNEL = 'shell:open-case-window';
/** Main → preload: show this case in the window (a notification or a dispute-desk:// link was clicked). */
export const SHELL_SHOW_CASE_CHANNEL = 'shell:show-case';

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
}
