// When Dispute Desk may offer "Restart to update", as pure functions of the updater's state and the desk's
// outbox (tests/unit/update-gate.test.ts); updater.ts does only the Electron and electron-updater glue.
//
// What a restart costs the outbox. Commands are on disk with their idempotency key (electron/desk/outbox/
// store.ts), so a restart loses none of them. But the session lives in the desk worker's memory only: after a
// restart nothing in the outbox is sent until the user signs in again (the sender sends only the signed-in
// user's commands), and a verdict, a hold lift, an approval or a send-back carries a TOTP code that stops
// being accepted within a minute: one still pending when the app restarts would come back as needs_code and
// ask for yet another code. So, for the signed-in user:
//   - a step-up command (verdict, hold lift, approval, send-back) that is pending (queued or in flight)
//     holds the restart: its code would go stale;
//   - a step-up command waiting for a fresh code (needs_code) holds it: the agent is being asked for a code
//     right now, and a restart would end the session under the prompt;
//   - any other pending command (a claim, a message, a note...) holds it too: it would wait for a sign-in
//     instead of going now. These usually clear in seconds; the offer comes as soon as they have.
// Commands of other users (someone signed out, or whose session expired, with commands left) do not hold it:
// they wait for their owner's next sign-in whether or not the app restarts, and holding for them could keep
// the app on an old version forever. When the desk cannot answer, nobody can tell: the restart is held.
import { load } from 'js-yaml';
import type { OutboxEntry, OutboxKind } from '../../shared/desk-api/schemas';
import { STEP_UP_KINDS } from '../../shared/desk-api/schemas';
import { checkUpdateServerUrl } from '../../shared/update/update-url';
import type { UpdateHoldReason, UpdateNotice } from '../../shared/desk-api/shell';

/** electron-updater's progress, as updater.ts tracks it from its events. */
export type UpdateState =
  | { phase: 'disabled'; reason: string }
  | { phase: 'idle' }
  | { phase: 'checking' }
  | { phase: 'downloading'; version: string; percent: number }
  | { phase: 'downloaded'; version: string }
  | { phase: 'failed'; message: string };

/** The outbox's commands counted by kind and state (electron/desk/support.ts); `mine` is the signed-in user's. */
export interface OutboxCount {
  mine: boolean;
  kind: OutboxKind;
  state: OutboxEntry['state'];
  count: number;
}

export type RestartDecision =
  | { offer: false; why: 'no_update' }
  | { offer: false; why: UpdateHoldReason; version: string }
  | { offer: true; version: string };

const isStepUp = (kind: OutboxKind): boolean => (STEP_UP_KINDS as readonly OutboxKind[]).includes(kind);

/**
 * `outbox` null: the desk did not answer (it is starting, restarting or down).
 * The order of the checks is the order of what matters most to say: a verdict before a note.
 */
export function decideRestart(update: UpdateState, outbox: readonly OutboxCount[] | null): RestartDecision {
  if (update.phase !== 'downloaded') return { offer: false, why: 'no_update' };
  const { version } = update;
  if (outbox === null) return { offer: false, why: 'outbox_unknown', version };
  // Confirmed and failed commands are settled: a restart changes nothing for them.
  const mine = outbox.filter((open) => open.mine && open.count > 0);
  if (mine.some((open) => isStepUp(open.kind) && open.state === 'pending')) return { offer: false, why: 'step_up_pending', version };
  if (mine.some((open) => open.state === 'needs_code')) return { offer: false, why: 'step_up_needs_code', version };
  if (mine.some((open) => open.state === 'pending')) return { offer: false, why: 'commands_pending', version };
  return { offer: true, version };
}

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;
/** Up to this much is added to each interval, so that a whole office does not ask the server at once. */
export const UPDATE_CHECK_JITTER_MS = 30 * 60 * 1000;
/** The first check waits for the window and the desk to settle. */
export const FIRST_UPDATE_CHECK_DELAY_MS = 30 * 1000;

/** Milliseconds until the next check: `random` is in [0, 1), like Math.random. */
export function nextCheckDelayMs(random: number, first = false): number {
  const jitter = Math.floor(Math.min(Math.max(random, 0), 0.999_999) * UPDATE_CHECK_JITTER_MS);
  return (first ? FIRST_UPDATE_CHECK_DELAY_MS : UPDATE_CHECK_INTERVAL_MS) + jitter;
}

export type UpdateFeed = { enabled: true; url: string } | { enabled: false; reason: string };

/**
 * Whether this app updates itself: only a packaged build (a development run would replace nothing), and only
 * with an update server. electron-builder writes resources/app-update.yml only when electron-builder.yml's
 * `publish` names one (scripts/dist.ts drops it when DISPUTE_DESK_UPDATE_URL is not set); `appUpdateYml` is
 * that file's text, or null when there is none. It is read with electron-updater's own YAML parser, so that
 * the address checked here is the one the updater will fetch, and checked by the rule the build applied
 * (shared/update/update-url.ts): https (plain http on this computer only), no credential anywhere in it.
 */
export function updateFeed(isPackaged: boolean, appUpdateYml: string | null): UpdateFeed {
  if (!isPackaged) return { enabled: false, reason: 'a development build does not update itself' };
  if (appUpdateYml === null) return { enabled: false, reason: 'this build has no update server (app-update.yml is absent)' };
  const url = updateUrlInYml(appUpdateYml);
  if (url === null) return { enabled: false, reason: 'app-update.yml names no update server URL' };
  const checked = checkUpdateServerUrl(url);
  if (!checked.ok) return { enabled: false, reason: `the update server URL ${checked.reason}` };
  return { enabled: true, url: checked.url };
}

/** app-update.yml's `url`, as electron-updater reads it; null when the file is not YAML or names none. */
function updateUrlInYml(appUpdateYml: string): string | null {
  let config: unknown;
  try {
    config = load(appUpdateYml);
  } catch {
    return null;
  }
  if (config === null || typeof config !== 'object') return null;
  const url = (config as { url?: unknown }).url;
  return typeof url === 'string' && url.trim() !== '' ? url : null;
}

/** What the renderer is told: the offer, the reason it is held, or nothing to show. */
export function updateNotice(decision: RestartDecision): UpdateNotice {
  if (decision.offer) return { kind: 'ready', version: decision.version };
  if (decision.why === 'no_update') return { kind: 'none' };
  return { kind: 'held', version: decision.version, why: decision.why };
}
