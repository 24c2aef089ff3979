// The renderer's error texts and the one list of error codes (shared/api/errors.ts): every code a screen can
// be handed has a text in English and Spanish on that screen, or falls back on purpose to `errors.unknown`,
// which shows the desk's own message; and every text is for a code in the list.
import { describe, expect, it } from 'vitest';
import { API_ERROR_CODES, DESK_ONLY_ERROR_CODES, type ErrorCode } from '../../shared/api/errors';
import {
  AUDIT_ERROR_CODES,
  APPROVAL_ERROR_CODES,
  CASE_ERROR_CODES,
  COMPLIANCE_ERROR_CODES,
  errorTextKey,
  SIGN_IN_ERROR_CODES,
  SUPERVISION_ERROR_CODES,
} from '../../renderer/src/i18n/errorCodes';
import { namespaces, SUPPORTED_LANGUAGES } from '../../renderer/src/i18n/resources';
import { toErrorCode } from '../../renderer/src/desk/client';

const EVERY_CODE: readonly ErrorCode[] = [...API_ERROR_CODES, ...DESK_ONLY_ERROR_CODES];

const screens = [
  { name: 'case', worded: CASE_ERROR_CODES, messages: namespaces.case },
  { name: 'signin', worded: SIGN_IN_ERROR_CODES, messages: namespaces.signin },
  { name: 'compliance', worded: COMPLIANCE_ERROR_CODES, messages: namespaces.compliance },
  { name: 'audit', worded: AUDIT_ERROR_CODES, messages: namespaces.audit },
  { name: 'supervision', worded: SUPERVISION_ERROR_CODES, messages: namespaces.supervision },
  { name: 'approval', worded: APPROVAL_ERROR_CODES, messages: namespaces.approval },
] as const;

describe.each(screens)('the $name screen', ({ worded, messages }) => {
  for (const language of SUPPORTED_LANGUAGES) {
    const texts = messages[language].errors as Record<string, string>;

    it(`words every code it can be handed in ${language}, or shows the desk's message`, () => {
      const unworded = EVERY_CODE.filter((code) => {
        const text = texts[errorTextKey(worded, code)];
        return typeof text !== 'string' || text.trim() === '';
      });
      expect(unworded).toEqual([]);
      expect(texts.unknown).toContain('{{message}}');
    });

    it(`has a text in ${language} for exactly the codes it lists, each a real code`, () => {
      const keys = Object.keys(texts).filter((key) => key !== 'unknown');
      expect(keys.sort()).toEqual([...worded].sort());
      expect(keys.filter((key) => !EVERY_CODE.includes(key as ErrorCode))).toEqual([]);
    });
  }

  it('falls back to the desk message for a code it does not list', () => {
    const unlisted = EVERY_CODE.find((code) => !(worded as readonly ErrorCode[]).includes(code))!;
    expect(errorTextKey(worded, unlisted)).toBe('unknown');
    expect(errorTextKey(worded, worded[0])).toBe(worded[0]);
  });
});

describe('a code from the desk', () => {
  it('stays itself when it is in the list, and is unknown otherwise', () => {
    expect(toErrorCode('case_claimed')).toBe('case_claimed');
    expect(toErrorCode('bridge_closed')).toBe('bridge_closed');
    expect(toErrorCode('a_code_nobody_declared')).toBe('unknown');
  });
});
