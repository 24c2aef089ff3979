// What makes Dispute Desk behave like a desktop app: one instance, dispute-desk:// links, windows that
// remember where they were, a second window for a second case, notifications and the badge, the menu, and
// the frame in the user's theme. Only Electron glue lives here; every decision is a pure module beside it
// (deep-link.ts, attention.ts, window-state.ts, application-menu.ts, window-theme.ts).
import { app, BrowserWindow, ipcMain, Menu, nativeImage, nativeTheme, Notification, screen } from 'electron';
import path from 'node:path';
import type { Settings } from '../../shared/desk-api/schemas';
import {
  SHELL_OPEN_CASE_WINDOW_CHANNEL,
  SHELL_SHOW_CASE_CHANNEL,
  caseIdFromRendererUrl,
  caseRouteHash,
} from '../../shared/desk-api/shell';
import { applicationMenuTemplate } from './application-menu';
import { monitorAttention, type AttentionMonitor } from './attention-monitor';
import type { Notice } from './attention';
import { OVERLAY_SIZE, overlayDotBitmap } from './badge-icon';
import { copyDiagnostics } from './copy-diagnostics';
import { DEEP_LINK_SCHEME, deepLinkFromArgv, describeRefusedLink, parseDeepLink } from './deep-link';
import { checkOpenCaseWindow, mayOpenCaseWindow } from './desk-ipc-rules';
import type { DeskWorker } from './desk-worker-client';
import { menuLabels, noticeText, shellLanguage, type ShellLanguage } from './shell-text';
import { createAppWindow } from './window';
import { readWindowState, restorePlacement, writeWindowState, type WindowState } from './window-state';
import { windowBackground, type ThemeSetting } from './window-theme';

/** electron-builder.yml's appId: Windows shows a notification only for an app known by this id. */
const APP_USER_MODEL_ID = 'com.disputedesk.app';

export interface DesktopShellOptions {
  rendererUrl: string;
  preloadPath: string;
  appOrigin: string;
}

export interface DesktopShell {
  /** Opens the main window (at first launch, on the case of a link the app was started with). */
  openMainWindow(): void;
  /** Starts notifications and the badge once the desk worker runs. */
  watchDesk(worker: DeskWorker): void;
  /** The user's settings as the desk answered them (language and theme). */
  applySettings(settings: Settings): void;
}

/**
 * Must run before the app is ready. False for a second instance: it has handed its arguments (a link among
 * them) to the first one through 'second-instance' and quits.
 */
export function claimSingleInstance(): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  return true;
}

export function installDesktopShell(options: DesktopShellOptions): DesktopShell {
  const userDataDir = app.getPath('userData');
  const saved = readWindowState(userDataDir);
  let theme: ThemeSetting = saved?.theme ?? 'system';
  // app.getLocale() answers only once the app is ready; until then nothing shows words.
  let language: ShellLanguage = 'en';
  let mainWindow: BrowserWindow | null = null;
  let monitor: AttentionMonitor | null = null;
  // A link that arrives before there is a window to show it in (first launch; macOS sends open-url early).
  let pendingCaseId: string | null = caseFromLink(deepLinkFromArgv(process.argv));
  // Notifications are kept referenced until clicked or closed: one collected early loses its click.
  const shownNotifications = new Set<Notification>();

  void app.whenReady().then(() => {
    if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
    registerProtocolClient();
    nativeTheme.themeSource = theme;
    language = shellLanguage('system', app.getLocale());
    installMenu();
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    showCaseFromLink(url);
  });
  app.on('second-instance', (_event, argv) => {
    const link = deepLinkFromArgv(argv);
    if (link === null) focusWindow(mainWindow ?? openMainWindow());
    else showCaseFromLink(link);
  });
  nativeTheme.on('updated', paintWindowBackgrounds);
  ipcMain.handle(SHELL_OPEN_CASE_WINDOW_CHANNEL, (event, caseId: unknown) => {
    const checked = checkOpenCaseWindow(event.senderFrame?.url, options.appOrigin, caseId);
    if (checked === null) return false;
    return openCaseWindow(checked);
  });

  function registerProtocolClient(): void {
    // Started by `electron .` in development, the OS must be told to run Electron with the app's folder.
    const entry = process.argv[1];
    if (process.defaultApp && entry) app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME, process.execPath, [path.resolve(entry)]);
    else app.setAsDefaultProtocolClient(DEEP_LINK_SCHEME);
  }

  function installMenu(): void {
    const template = applicationMenuTemplate(process.platform, app.isPackaged, menuLabels(language), { copyDiagnostics });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  }

  function caseFromLink(link: string | null): string | null {
    if (link === null) return null;
    const parsed = parseDeepLink(link);
    if (parsed.ok) return parsed.caseId;
    console.warn(describeRefusedLink(link, parsed.reason));
    return null;
  }

  function showCaseFromLink(link: string): void {
    const caseId = caseFromLink(link);
    if (caseId === null) return;
    if (!app.isReady()) pendingCaseId = caseId;
    else showCase(caseId);
  }

  function background(): string {
    return windowBackground(theme, nativeTheme.shouldUseDarkColors);
  }

  function openMainWindow(): BrowserWindow {
    const placement = restorePlacement(
      readWindowState(userDataDir),
      screen.getAllDisplays().map((display) => display.workArea),
    );
    const caseId = pendingCaseId;
    pendingCaseId = null;
    const window = createAppWindow(options.rendererUrl, options.preloadPath, {
      placement,
      backgroundColor: background(),
      ...(caseId ? { hash: caseRouteHash(caseId) } : {}),
    });
    mainWindow = window;
    window.on('close', () => saveWindowState(window));
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    return window;
  }

  function saveWindowState(window: BrowserWindow): void {
    const state: WindowState = { bounds: window.getNormalBounds(), maximized: window.isMaximized(), theme };
    try {
      writeWindowState(userDataDir, state);
    } catch (error) {
      console.warn(`Dispute Desk: could not remember the window's place: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * A second case beside the first: focuses the window that shows it already, if one does. False when
   * the case windows are at their cap (mayOpenCaseWindow) and none shows the case.
   */
  function openCaseWindow(caseId: string): boolean {
    const windows = BrowserWindow.getAllWindows();
    const showing = windows.find((window) => caseIdFromRendererUrl(window.webContents.getURL()) === caseId);
    if (showing) {
      focusWindow(showing);
      return true;
    }
    const caseWindows = windows.filter((window) => window !== mainWindow && !window.isDestroyed()).length;
    if (!mayOpenCaseWindow(caseWindows)) return false;
    createAppWindow(options.rendererUrl, options.preloadPath, {
      placement: { bounds: null, maximized: false },
      backgroundColor: background(),
      hash: caseRouteHash(caseId),
    });
    return true;
  }

  function focusWindow(window: BrowserWindow): void {
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  }

  /** Brings the main window up on the case (a link or a notification was clicked). */
  function showCase(caseId: string): void {
    const window = mainWindow ?? BrowserWindow.getAllWindows()[0];
    if (!window) {
      pendingCaseId = caseId;
      openMainWindow();
      return;
    }
    focusWindow(window);
    const send = () => window.webContents.send(SHELL_SHOW_CASE_CHANNEL, caseId);
    if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
    else send();
  }

  function paintWindowBackgrounds(): void {
    for (const window of BrowserWindow.getAllWindows()) window.setBackgroundColor(background());
  }

  function focusedCaseId(): string | null {
    const focused = BrowserWindow.getFocusedWindow();
    return focused ? caseIdFromRendererUrl(focused.webContents.getURL()) : null;
  }

  function notify(notice: Notice): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification(noticeText(notice, language));
    shownNotifications.add(notification);
    notification.on('click', () => {
      shownNotifications.delete(notification);
      showCase(notice.caseId);
    });
    notification.on('close', () => shownNotifications.delete(notification));
    notification.show();
  }

  /**
   * macOS: the dock's badge (it needs the user's permission for notifications). Linux: the launcher's
   * count where the desktop shows one (Unity and KDE; others ignore it). Windows has no count: the main
   * window's taskbar button gets a red dot overlay, the number in its description.
   */
  function setBadge(overdue: number): void {
    if (process.platform !== 'win32') {
      app.setBadgeCount(overdue);
      return;
    }
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (overdue === 0) mainWindow.setOverlayIcon(null, '');
    else
      mainWindow.setOverlayIcon(
        nativeImage.createFromBitmap(overlayDotBitmap(), { width: OVERLAY_SIZE, height: OVERLAY_SIZE }),
        language === 'es' ? `${overdue} casos vencidos` : `${overdue} overdue cases`,
      );
  }

  function applySettings(settings: Settings): void {
    const nextLanguage = shellLanguage(settings.language, app.getLocale());
    if (nextLanguage !== language) {
      language = nextLanguage;
      installMenu();
    }
    if (settings.theme !== theme) {
      theme = settings.theme;
      nativeTheme.themeSource = theme;
      paintWindowBackgrounds();
    }
  }

  return {
    openMainWindow: () => void openMainWindow(),
    watchDesk(worker) {
      monitor?.stop();
      monitor = monitorAttention({ worker, dataDir: userDataDir, focusedCaseId, show: notify, setBadge });
      void monitor.check();
      // The renderer reads the settings too (ipc.ts passes them on); this covers a window still loading.
      worker.invoke('settings.get', undefined).then(
        (result) => {
          if (result.ok) applySettings(result.value as Settings);
        },
        () => undefined,
      );
    },
    applySettings,
  };
}
