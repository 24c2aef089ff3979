// The application menu as data: a pure function of the platform, whether the app is packaged and the
// labels, unit tested (tests/unit/electron-application-menu.test.ts); desktop-shell.ts hands it to
// Menu.buildFromTemplate. A packaged app has no developer tools and no reload in its menu: an agent has no
// use for them, and a reload mid-verdict would drop what the dialog held.
import type { MenuLabels } from './shell-text';

/** The fields of Electron's MenuItemConstructorOptions this menu uses (kept here so tests need no Electron). */
export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  type?: 'separator';
  submenu?: MenuItemSpec[];
  click?: () => void;
}

export type MenuRole =
  | 'appMenu'
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'delete'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen'
  | 'minimize'
  | 'zoom'
  | 'front';

export interface MenuHooks {
  /** Help → Copy diagnostics (electron/main/copy-diagnostics.ts). */
  copyDiagnostics(): void;
}

const separator: MenuItemSpec = { type: 'separator' };

export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  isPackaged: boolean,
  labels: MenuLabels,
  hooks: MenuHooks,
): MenuItemSpec[] {
  const mac = platform === 'darwin';
  return [
    // macOS puts About, Hide and Quit under the app's name; elsewhere Quit lives in File.
    mac
      ? {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        }
      : { label: labels.file, submenu: [{ role: 'quit' }] },
    {
      label: labels.edit,
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        separator,
        { role: 'selectAll' },
      ],
    },
    {
      label: labels.view,
      submenu: [
        ...(isPackaged ? [] : [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, separator]),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: labels.window,
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    { label: labels.help, submenu: [{ label: labels.copyDiagnostics, click: () => hooks.copyDiagnostics() }] },
  ];
}

/** Every role anywhere in the template, for the tests' "no developer tools" checks. */
export function menuRoles(template: readonly MenuItemSpec[]): MenuRole[] {
  return template.flatMap((item) => [...(item.role ? [item.role] : []), ...menuRoles(item.submenu ?? [])]);
}
