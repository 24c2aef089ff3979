// What the host offers beside the desk. The Electron preload sets window.deskShell; the browser host has
// none, which is how the renderer tells the two apart (shared/desk-api/shell.ts).
import { caseRouteHash, type DeskShell } from '../../../shared/desk-api/shell';

declare global {
  interface Window {
    deskShell?: DeskShell;
  }
}

/**
 * A second case beside this one. Electron opens another app window (main checks the id and gives it the
 * same hardened preferences). In a browser it is a new tab on the case's address: opened with an opener
 * so that the tab starts with a copy of this tab's sessionStorage, where the host's launch secret lives,
 * and cut from it at once so that neither page can reach into the other.
 */
export function openCaseInNewWindow(caseId: string): void {
  if (window.deskShell) {
    void window.deskShell.openCaseWindow(caseId);
    return;
  }
  const address = new URL(window.location.href);
  address.hash = caseRouteHash(caseId);
  const opened = window.open(address.href, '_blank');
  if (opened) opened.opener = null;
}
