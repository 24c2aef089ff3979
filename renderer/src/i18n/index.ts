// i18next set up once for the renderer: every namespace of resources.ts in English and Spanish, bundled
// (no network loads under the CSP). The language starts as the system's and follows the settings.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { namespaces, resolveLanguage, SUPPORTED_LANGUAGES, type Language } from './resources';

function resourcesFor(language: Language) {
  return Object.fromEntries(Object.entries(namespaces).map(([name, messages]) => [name, messages[language]]));
}

export const i18n = i18next.createInstance();

void i18n.use(initReactI18next).init({
  resources: Object.fromEntries(SUPPORTED_LANGUAGES.map((language) => [language, resourcesFor(language)])),
  lng: resolveLanguage('system', navigator.language),
  fallbackLng: 'en',
  supportedLngs: [...SUPPORTED_LANGUAGES],
  ns: Object.keys(namespaces),
  defaultNS: 'common',
  // React escapes what it renders; escaping here as well would show "&amp;" to the user.
  interpolation: { escapeValue: false },
  initAsync: false,
});

document.documentElement.lang = i18n.language;
i18n.on('languageChanged', (language) => {
  document.documentElement.lang = language;
});

export function applyLanguageSetting(setting: 'system' | Language): void {
  const language = resolveLanguage(setting, navigator.language);
  if (i18n.language !== language) void i18n.changeLanguage(language);
}

/**
 * The BCP 47 locale for Intl formatting: the system's own when it speaks the UI language (es-MX writes
 * "20,060", es-ES "20.060"), else a default for that language, so numbers read the way the words do.
 */
export function formattingLocale(language: string): string {
  if (navigator.language.toLowerCase().startsWith(language)) return navigator.language;
  return language === 'es' ? 'es-ES' : 'en-US';
}
