// Every UI string in every namespace exists, non-empty, in English and in Spanish (most of the platform's
// users speak Spanish): a key added in one language only fails here, not in front of a user.
import { describe, expect, it } from 'vitest';
import { namespaces, resolveLanguage, SUPPORTED_LANGUAGES } from '../../renderer/src/i18n/resources';

type Tree = { readonly [key: string]: string | Tree };

/** Every leaf as 'a.b.c' → its text. */
function flatten(tree: Tree, prefix = ''): Map<string, unknown> {
  const leaves = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') for (const [leaf, text] of flatten(value, path)) leaves.set(leaf, text);
    else leaves.set(path, value);
  }
  return leaves;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)/g)].map((match) => match[1]).sort();

describe('translations', () => {
  for (const [namespace, messages] of Object.entries(namespaces)) {
    describe(`namespace "${namespace}"`, () => {
      const byLanguage = Object.fromEntries(SUPPORTED_LANGUAGES.map((language) => [language, flatten(messages[language] as Tree)]));
      const allKeys = new Set(Object.values(byLanguage).flatMap((leaves) => [...leaves.keys()]));

      for (const language of SUPPORTED_LANGUAGES) {
        it(`has every key in ${language}, as non-empty text`, () => {
          const leaves = byLanguage[language]!;
          const missing = [...allKeys].filter((key) => !leaves.has(key));
          const empty = [...leaves].filter(([, text]) => typeof text !== 'string' || text.trim() === '').map(([key]) => key);
          expect({ missing, empty }).toEqual({ missing: [], empty: [] });
        });
      }

      it('uses the same placeholders in every language', () => {
        const mismatched = [...allKeys].filter((key) => {
          const [first, ...others] = SUPPORTED_LANGUAGES.map((language) => byLanguage[language]!.get(key));
          return others.some((text) => JSON.stringify(placeholders(String(text))) !== JSON.stringify(placeholders(String(first))));
        });
        expect(mismatched).toEqual([]);
      });
    });
  }
});

describe('the language chosen', () => {
  it("is the system's when the system speaks Spanish, otherwise English", () => {
    expect(resolveLanguage('system', 'es-ES')).toBe('es');
    expect(resolveLanguage('system', 'es-419')).toBe('es');
    expect(resolveLanguage('system', 'pt-BR')).toBe('en');
    expect(resolveLanguage('system', 'en-GB')).toBe('en');
    expect(resolveLanguage('system', undefined)).toBe('en');
  });

  it('is the setting when the user chose one', () => {
    expect(resolveLanguage('en', 'es-VE')).toBe('en');
    expect(resolveLanguage('es', 'en-US')).toBe('es');
  });
});
