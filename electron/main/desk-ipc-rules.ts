// The decisions of the desk's IPC channel, pure so that they are unit tested without Electron. ipc.ts wires
// them to ipcMain; the preload and main are typed from shared/desk-api/contract.ts.
import type { DeskChannel } from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';
import { isCaseId } from '../../shared/desk-api/shell';
import { isDeskChannel } from '../../shared/desk-api/wire';
import { isTrustedSender } from '../common/security';

export type InvokeCheck = { ok: true; channel: DeskChannel } | { ok: false; result: DeskResult<never> };

/**
 * Checks one `desk:invoke` call before it reaches the desk: the frame must show the app, and the channel
 * must be one the contract declares. The input is the desk's to validate, against the channel's schema.
 */
export function checkDeskInvoke(
  frameUrl: string | undefined,
  appOrigin: string,
  channel: unknown,
): InvokeCheck {
  if (!isTrustedSender(frameUrl, appOrigin)) {
    return {
      ok: false,
      result: {
        ok: false,
        error: {
          code: 'untrusted_sender',
          message: `Refused a desk call from a frame outside the app: ${frameUrl ?? 'unknown frame'}`,
        },
      },
    };
  }
  if (!isDeskChannel(channel)) {
    return {
      ok: false,
      result: {
        ok: false,
        error: {
          code: 'unknown_channel',
          message: `The desk has no call named "${String(channel).slice(0, 64)}".`,
        },
      },
    };
  }
  return { ok: true, channel };
}

/**
 * Checks an "open this case in a new window" call: from a frame showing the app, naming a case id the API
 * could have given. The case id that comes back goes into the new window's address, so nothing else may.
 */
export function checkOpenCaseWindow(frameUrl: string | undefined, appOrigin: string, caseId: unknown): string | null {
  if (!isTrustedSender(frameUrl, appOrigin)) return null;
  return isCaseId(caseId) ? caseId : null;
}

/** At most this many case windows beside the main window: "Open in new window" answers false beyond it. */
export const MAX_CASE_WINDOWS = 8;

/**
 * Whether another case window may open while `openCaseWindows` are open (the main window not counted): a
 * script in the window could otherwise open windows until the computer gives out. Focusing a window that
 * shows the case already is always allowed; the caller does that first.
 */
export function mayOpenCaseWindow(openCaseWindows: number, cap = MAX_CASE_WINDOWS): boolean {
  return openCaseWindows < cap;
}
