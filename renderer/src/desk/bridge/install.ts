// Gives the page a window.desk (declared in ../client.ts) when it runs in a plain browser opened by the
// browser host. Electron's preload has set window.desk already; a page opened without the host's secret
// gets none.
import { BRIDGE_PATH } from '../../../../shared/desk-api/wire';
import { takeLaunchSecret } from './launchSecret';
import { createSocketBridge } from './socketBridge';

/** Returns whether it installed the bridge. Call it before the app renders. */
export function installBrowserBridge(): boolean {
  if (window.desk) return false;
  const secret = takeLaunchSecret(window.location, window.history, sessionStorageOrNull());
  if (secret === null) return false;
  window.desk = createSocketBridge({ url: `ws://${window.location.host}${BRIDGE_PATH}`, secret });
  return true;
}

/** sessionStorage throws when storage is disabled; the bridge then lives for this page load only. */
function sessionStorageOrNull(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
