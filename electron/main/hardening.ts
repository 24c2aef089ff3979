// Installs the decisions of electron/common/security.ts into Electron. Guards are attached to every web
// contents the app ever creates (not only the main window), so a window added later cannot forget them.
import { app, session } from 'electron';
import { isAllowedNavigation, shouldGrantPermission } from '../common/security';

/** Must run before the app is ready: it makes every renderer sandboxed, whatever its preferences say. */
export function enableProcessSandbox(): void {
  app.enableSandbox();
}

export function installNavigationGuards(appOrigin: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    const blockForeignNavigation = (event: Electron.Event, url: string): void => {
      if (!isAllowedNavigation(url, appOrigin)) event.preventDefault();
    };
    contents.on('will-navigate', blockForeignNavigation);
    contents.on('will-redirect', blockForeignNavigation);
    // <webview> is disabled in the preferences already; refusing here also covers a future window that
    // would turn it on by mistake.
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** Call once the app is ready: sessions do not exist before. */
export function installPermissionHandlers(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(shouldGrantPermission(permission, details.requestingUrl)),
  );
  defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    shouldGrantPermission(permission, requestingOrigin),
  );
  defaultSession.setDevicePermissionHandler((details) =>
    shouldGrantPermission(details.deviceType, details.origin),
  );
}
