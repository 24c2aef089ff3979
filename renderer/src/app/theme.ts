// Light, dark or the system's: resolved to a `data-theme` attribute on <html>, which the CSS variables
// in styles/tokens.css key on. 'system' follows the OS live, as a user switching to night mode expects.
type ThemeSetting = 'system' | 'light' | 'dark';

const darkQuery = () => window.matchMedia('(prefers-color-scheme: dark)');
let current: ThemeSetting = 'system';
let listening = false;

function paint() {
  const dark = current === 'dark' || (current === 'system' && darkQuery().matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

export function applyThemeSetting(setting: ThemeSetting): void {
  current = setting;
  if (!listening) {
    darkQuery().addEventListener('change', paint);
    listening = true;
  }
  paint();
}
