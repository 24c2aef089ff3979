// The window's frame and first frame follow the user's theme setting: nativeTheme.themeSource takes the
// setting as is (system, light or dark), and the window's background is the renderer's page colour
// (renderer/src/app/styles/tokens.css `--bg`) so that no white flashes before the page paints.
export type ThemeSetting = 'system' | 'light' | 'dark';

export const WINDOW_BACKGROUND = { light: '#f5f6f8', dark: '#12151b' } as const;

export function windowBackground(setting: ThemeSetting, systemPrefersDark: boolean): string {
  const dark = setting === 'dark' || (setting === 'system' && systemPrefersDark);
  return dark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light;
}
