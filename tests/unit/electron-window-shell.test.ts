// The window's place, menu and colours (electron/main/window-state.ts, application-menu.ts,
// window-theme.ts, badge-icon.ts): pure decisions, tested without Electron.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate, menuRoles, type MenuItemSpec } from '../../electron/main/application-menu';
import { OVERLAY_SIZE, overlayDotBitmap } from '../../electron/main/badge-icon';
import { menuLabels } from '../../electron/main/shell-text';
import {
  WINDOW_STATE_FILE,
  readWindowState,
  restorePlacement,
  writeWindowState,
  type WindowState,
} from '../../electron/main/window-state';
import { WINDOW_BACKGROUND, windowBackground } from '../../electron/main/window-theme';

const laptop = { x: 0, y: 0, width: 1440, height: 875 };
const external = { x: 1440, y: -200, width: 2560, height: 1400 };
const state = (bounds: WindowState['bounds'], maximized = false): WindowState => ({ bounds, maximized, theme: 'system' });

describe('restorePlacement', () => {
  it('opens at the default size the first time', () => {
    expect(restorePlacement(null, [laptop])).toEqual({ bounds: null, maximized: false });
  });

  it('restores bounds that fit a display as they were', () => {
    const bounds = { x: 100, y: 50, width: 1200, height: 760 };
    expect(restorePlacement(state(bounds), [laptop, external])).toEqual({ bounds, maximized: false });
    const there = { x: 2000, y: 0, width: 1600, height: 1000 };
    expect(restorePlacement(state(there), [laptop, external]).bounds).toEqual(there);
  });

  it('falls back to the default when the display it was on is gone', () => {
    expect(restorePlacement(state({ x: 2000, y: 0, width: 1600, height: 1000 }, true), [laptop])).toEqual({
      bounds: null,
      maximized: true,
    });
  });

  it('does not restore a window of which only a sliver would show', () => {
    expect(restorePlacement(state({ x: 1350, y: 100, width: 1200, height: 700 }), [laptop]).bounds).toBeNull();
    expect(restorePlacement(state({ x: 100, y: 820, width: 1200, height: 700 }), [laptop]).bounds).toBeNull();
  });

  it('pulls a window half off the screen back inside it, and shrinks one larger than the display', () => {
    expect(restorePlacement(state({ x: 900, y: -40, width: 1200, height: 760 }), [laptop]).bounds).toEqual({
      x: 240,
      y: 0,
      width: 1200,
      height: 760,
    });
    expect(restorePlacement(state({ x: -50, y: 0, width: 3000, height: 2000 }), [laptop]).bounds).toEqual(laptop);
  });

  it('chooses the display holding most of the window', () => {
    const straddling = { x: 1000, y: 0, width: 1400, height: 800 };
    expect(restorePlacement(state(straddling), [laptop, external]).bounds).toEqual({ x: 1440, y: 0, width: 1400, height: 800 });
  });

  it('keeps the minimum size on a display that allows it', () => {
    expect(restorePlacement(state({ x: 10, y: 10, width: 300, height: 200 }), [laptop]).bounds).toEqual({
      x: 10,
      y: 10,
      width: 960,
      height: 600,
    });
  });
});

describe('window-state.json', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'window-state-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads back what was written', () => {
    const saved: WindowState = { bounds: { x: 10, y: 20, width: 1300, height: 820 }, maximized: true, theme: 'dark' };
    writeWindowState(dir, saved);
    expect(readWindowState(dir)).toEqual(saved);
  });

  it('reads nothing from a missing, damaged or out-of-range file', () => {
    expect(readWindowState(dir)).toBeNull();
    for (const text of ['{', '[]', '{"bounds":{"x":0,"y":0,"width":1e9,"height":10},"maximized":false}', '{"bounds":null,"maximized":true}']) {
      fs.writeFileSync(path.join(dir, WINDOW_STATE_FILE), text);
      expect(readWindowState(dir), text).toBeNull();
    }
  });

  it('refuses to write bounds that are not whole pixels', () => {
    expect(() => writeWindowState(dir, state({ x: 0.5, y: 0, width: 100, height: 100 }))).toThrow();
    expect(fs.existsSync(path.join(dir, WINDOW_STATE_FILE))).toBe(false);
  });
});

describe('applicationMenuTemplate', () => {
  const labels = menuLabels('en');
  const hooks = { copyDiagnostics: vi.fn() };

  it('has no developer tools and no reload in a packaged app, on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const roles = menuRoles(applicationMenuTemplate(platform, true, labels, hooks));
      expect(roles).not.toContain('toggleDevTools');
      expect(roles).not.toContain('reload');
      expect(roles).not.toContain('forceReload');
      expect(roles).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'quit', 'minimize']));
    }
  });

  it('keeps them for development', () => {
    expect(menuRoles(applicationMenuTemplate('linux', false, labels, hooks))).toEqual(
      expect.arrayContaining(['toggleDevTools', 'reload']),
    );
  });

  it("gives macOS its app menu, and the others Quit in File", () => {
    const mac = applicationMenuTemplate('darwin', true, labels, hooks);
    expect(mac[0]!.role).toBe('appMenu');
    expect(menuRoles([mac[0]!])).toEqual(expect.arrayContaining(['about', 'hide', 'quit']));
    const windows = applicationMenuTemplate('win32', true, labels, hooks);
    expect(windows[0]).toEqual({ label: 'File', submenu: [{ role: 'quit' }] });
    expect(menuRoles(windows)).not.toContain('appMenu');
  });

  it('has Edit, View, Window and Help, in the chosen language, and Help copies the diagnostics', () => {
    const template = applicationMenuTemplate('linux', true, menuLabels('es'), hooks);
    expect(template.map((item) => item.label)).toEqual(['Archivo', 'Edición', 'Ver', 'Ventana', 'Ayuda']);
    const help = template.at(-1)!.submenu as MenuItemSpec[];
    expect(help[0]!.label).toBe('Copiar diagnóstico');
    help[0]!.click!();
    expect(hooks.copyDiagnostics).toHaveBeenCalledTimes(1);
  });
});

describe('windowBackground', () => {
  it("is the page's own colour in each theme", () => {
    expect(windowBackground('light', true)).toBe(WINDOW_BACKGROUND.light);
    expect(windowBackground('dark', false)).toBe(WINDOW_BACKGROUND.dark);
    expect(windowBackground('system', true)).toBe(WINDOW_BACKGROUND.dark);
    expect(windowBackground('system', false)).toBe(WINDOW_BACKGROUND.light);
  });

  it("matches the renderer's --bg tokens, so nothing flashes when the page paints", () => {
    const tokens = fs.readFileSync(path.join(import.meta.dirname, '../../renderer/src/app/styles/tokens.css'), 'utf8');
    const light = /\[data-theme='light'\]\s*\{[^}]*--bg:\s*(#[0-9a-f]{6})/i.exec(tokens)?.[1];
    const dark = /\[data-theme='dark'\]\s*\{[^}]*--bg:\s*(#[0-9a-f]{6})/i.exec(tokens)?.[1];
    expect({ light, dark }).toEqual(WINDOW_BACKGROUND);
  });
});

describe('overlayDotBitmap', () => {
  it('is a filled circle on transparency, BGRA and premultiplied', () => {
    const bitmap = overlayDotBitmap();
    expect(bitmap.length).toBe(OVERLAY_SIZE * OVERLAY_SIZE * 4);
    const pixel = (x: number, y: number) => [...bitmap.subarray((y * OVERLAY_SIZE + x) * 4, (y * OVERLAY_SIZE + x) * 4 + 4)];
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(8, 8)).toEqual([0x2e, 0x2e, 0xd9, 255]);
    for (let at = 0; at < bitmap.length; at += 4) expect(Math.max(bitmap[at]!, bitmap[at + 1]!, bitmap[at + 2]!)).toBeLessThanOrEqual(bitmap[at + 3]!);
  });
});
