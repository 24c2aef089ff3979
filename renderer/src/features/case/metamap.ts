// MetaMap's error codes (e.g. `facematch.differentPerson`) explained in plain words. The locale keys write
// the code's dots as dashes because i18next reads a dot in a key as nesting; an unknown code is shown raw.
import type { TFunction } from 'i18next';
import { caseMessages } from './locales';

export function metamapExplanation(t: TFunction<'case'>, code: string): string | null {
  const key = code.replaceAll('.', '-');
  if (!(key in caseMessages.en.identity.metamap)) return null;
  return t(`identity.metamap.${key}` as 'identity.metamap.facematch-differentPerson');
}
