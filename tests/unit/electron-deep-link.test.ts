// dispute-desk://case/<id> links (electron/main/deep-link.ts): only that form opens a case; anything else is
// refused, and the log line about it never repeats the link.
import { describe, expect, it } from 'vitest';
import { APP_ORIGIN } from '../../electron/common/security';
import { checkOpenCaseWindow } from '../../electron/main/desk-ipc-rules';
import { deepLinkFromArgv, describeRefusedLink, parseDeepLink } from '../../electron/main/deep-link';
import { caseIdFromRendererUrl, caseRouteHash } from '../../shared/desk-api/shell';

describe('parseDeepLink', () => {
  it.each([
    ['dispute-desk://case/DSP-100011', 'DSP-100011'],
    ['dispute-desk://case/DSP-100011/', 'DSP-100011'],
    ['DISPUTE-DESK://case/case_7', 'case_7'],
    [`dispute-desk://case/${'a'.repeat(64)}`, 'a'.repeat(64)],
  ])('opens %s', (link, caseId) => {
    expect(parseDeepLink(link)).toEqual({ ok: true, caseId });
  });

  it.each([
    'dispute-desk://case/',
    'dispute-desk://case',
    'dispute-desk:case/DSP-1',
    'dispute-desk:/case/DSP-1',
    'dispute-desk://CASE/DSP-1',
    'dispute-desk://alert/ALR-1',
    'dispute-desk://case/DSP-1/evidence',
    'dispute-desk://case/DSP-1//',
    'dispute-desk://case/../settings',
    'dispute-desk://case/%2e%2e',
    'dispute-desk://case/DSP%2D1',
    'dispute-desk://case/DSP-1?token=secret',
    'dispute-desk://case/DSP-1#k=secret',
    'dispute-desk://user:pass@case/DSP-1',
    'dispute-desk://case:8080/DSP-1',
    'dispute-desk://case/DSP 1',
    'dispute-desk://case/DS\nP-1',
    'dispute-desk://case/DS\tP-1',
    'dispute-desk://case/DSP-1\u202e',
    `dispute-desk://case/${'a'.repeat(65)}`,
    `dispute-desk://case/${'a'.repeat(200)}`,
    'https://case/DSP-1',
    'app://desk/index.html#/cases/DSP-1',
    'javascript:alert(1)',
    '',
  ])('refuses %j', (link) => {
    const parsed = parseDeepLink(link);
    expect(parsed.ok).toBe(false);
  });

  it('refuses what is not text', () => {
    for (const link of [null, undefined, 42, {}, ['dispute-desk://case/DSP-1']]) expect(parseDeepLink(link).ok).toBe(false);
  });
});

describe('deepLinkFromArgv', () => {
  it('finds the link among the arguments Windows and Linux start a second instance with', () => {
    expect(
      deepLinkFromArgv(['C:\\Program Files\\Dispute Desk\\Dispute Desk.exe', '--allow-file-access-from-files', 'dispute-desk://case/DSP-1']),
    ).toBe('dispute-desk://case/DSP-1');
    expect(deepLinkFromArgv(['/usr/bin/dispute-desk', 'Dispute-Desk://case/DSP-2'])).toBe('Dispute-Desk://case/DSP-2');
  });

  it('takes the last link, and none when there is none', () => {
    expect(deepLinkFromArgv(['app', 'dispute-desk://case/A', 'dispute-desk://case/B'])).toBe('dispute-desk://case/B');
    expect(deepLinkFromArgv(['app', '--inspect', 'https://example.com'])).toBeNull();
    expect(deepLinkFromArgv([])).toBeNull();
  });
});

describe('describeRefusedLink', () => {
  it('says why and how long, never what the link held', () => {
    const link = 'dispute-desk://case/DSP-1?token=hunter2-secret';
    const parsed = parseDeepLink(link);
    if (parsed.ok) throw new Error('the link should have been refused');
    const line = describeRefusedLink(link, parsed.reason);
    expect(line).toContain('has a query or fragment');
    expect(line).toContain(`${link.length} characters`);
    expect(line).not.toContain('hunter2');
    expect(line).not.toContain('DSP-1');
  });
});

describe('case routes in the renderer URL', () => {
  it('reads the case a window shows, and only a valid one', () => {
    expect(caseIdFromRendererUrl(`app://desk/index.html${caseRouteHash('DSP-100011')}`)).toBe('DSP-100011');
    expect(caseIdFromRendererUrl('http://localhost:5173/#/cases/DSP-7')).toBe('DSP-7');
    expect(caseIdFromRendererUrl('app://desk/index.html#/')).toBeNull();
    expect(caseIdFromRendererUrl('app://desk/index.html#/cases/DSP-1/x')).toBeNull();
    expect(caseIdFromRendererUrl('app://desk/index.html#/cases/%E0%A4%A')).toBeNull();
    expect(caseIdFromRendererUrl('app://desk/index.html#/cases/a%2Fb')).toBeNull();
    expect(caseIdFromRendererUrl('not a url')).toBeNull();
  });
});

describe('checkOpenCaseWindow', () => {
  it('opens a window only for a case id, asked by a frame that shows the app', () => {
    expect(checkOpenCaseWindow(`${APP_ORIGIN}/index.html#/cases/DSP-1`, APP_ORIGIN, 'DSP-2')).toBe('DSP-2');
    expect(checkOpenCaseWindow('https://evil.example/', APP_ORIGIN, 'DSP-2')).toBeNull();
    expect(checkOpenCaseWindow(undefined, APP_ORIGIN, 'DSP-2')).toBeNull();
    for (const caseId of ['../x', 'DSP-1#/people', '', 42, null, { id: 'DSP-1' }, 'a'.repeat(65)])
      expect(checkOpenCaseWindow(`${APP_ORIGIN}/index.html`, APP_ORIGIN, caseId)).toBeNull();
  });
});
