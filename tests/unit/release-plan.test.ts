// `npm run dist`'s plan (scripts/packaging/release-plan.ts): what is signed, notarised and used as the update
// server, read from the environment as electron-builder reads it, and the half-set credentials it refuses
// before a build that would fail at its end. The last test runs the wrapper itself with --plan.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkUpdateUrl,
  DistUsageError,
  parseDistArguments,
  publishForBuild,
  releasePlan,
} from '../../scripts/packaging/release-plan';

const APPLE_ID = {
  APPLE_ID: 'ana@example.org',
  APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh',
  APPLE_TEAM_ID: 'TEAM123',
};
const API_KEY = {
  APPLE_API_KEY: '/keys/AuthKey.p8',
  APPLE_API_KEY_ID: 'KEY123',
  APPLE_API_ISSUER: 'issuer-uuid',
};
const MAC_CERT = { CSC_LINK: '/certs/developer-id.p12', CSC_KEY_PASSWORD: 'secret' };

describe('releasePlan', () => {
  it('signs and notarises nothing, and ships no update feed, when the environment names nothing', () => {
    const plan = releasePlan({}, ['mac', 'win', 'linux']);
    expect(plan.errors).toEqual([]);
    expect(plan.updateUrl).toBeNull();
    expect(plan.disableIdentityDiscovery).toBe(true);
    expect(plan.lines).toEqual([
      'Updates: DISPUTE_DESK_UPDATE_URL is not set, so these installers carry no update feed and the app will not update itself',
      expect.stringMatching(/^macOS: not signed \(set CSC_LINK and CSC_KEY_PASSWORD/),
      expect.stringMatching(
        /^macOS: not notarised \(set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID/,
      ),
      expect.stringMatching(/^Windows: not signed \(set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD\)/),
      expect.stringMatching(/^Linux: AppImage and deb, not signed/),
    ]);
  });

  it('signs and notarises macOS with a certificate and an Apple ID, or an API key', () => {
    for (const credentials of [APPLE_ID, API_KEY]) {
      const plan = releasePlan({ ...MAC_CERT, ...credentials }, ['mac']);
      expect(plan.errors).toEqual([]);
      expect(plan.disableIdentityDiscovery).toBe(false);
      expect(plan.lines).toContain('macOS: signed with the certificate in CSC_LINK, hardened runtime on');
      expect(plan.lines.some((line) => line.startsWith('macOS: notarised with '))).toBe(true);
    }
    expect(releasePlan({ CSC_NAME: 'Developer ID Application: Dispute Desk' }, ['mac']).lines).toContain(
      'macOS: signed with the certificate in CSC_NAME, hardened runtime on',
    );
  });

  it('refuses half a set of notarisation credentials, naming what is missing', () => {
    expect(releasePlan({ ...MAC_CERT, APPLE_ID: 'ana@example.org' }, ['mac']).errors).toEqual([
      'macOS notarisation with an Apple ID also needs APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID',
    ]);
    expect(releasePlan({ ...MAC_CERT, APPLE_API_KEY_ID: 'KEY123' }, ['mac']).errors).toEqual([
      'macOS notarisation with an App Store Connect API key also needs APPLE_API_KEY, APPLE_API_ISSUER',
    ]);
    // A blank value is no value.
    expect(releasePlan({ ...MAC_CERT, ...APPLE_ID, APPLE_TEAM_ID: ' ' }, ['mac']).errors).toHaveLength(1);
  });

  it('refuses to notarise an unsigned app', () => {
    expect(releasePlan(APPLE_ID, ['mac']).errors).toEqual([
      'macOS notarisation needs a signed app: set CSC_LINK and CSC_KEY_PASSWORD as well',
    ]);
  });

  it('signs Windows with WIN_CSC_LINK, or with CSC_LINK as electron-builder falls back to', () => {
    expect(releasePlan({ WIN_CSC_LINK: 'win.pfx', CSC_LINK: 'mac.p12' }, ['win']).lines).toContain(
      'Windows: installer and app signed with the certificate in WIN_CSC_LINK',
    );
    expect(releasePlan({ CSC_LINK: 'both.p12' }, ['win']).lines).toContain(
      'Windows: installer and app signed with the certificate in CSC_LINK',
    );
  });

  it('talks only about the systems being built', () => {
    const lines = releasePlan({}, ['linux']).lines;
    expect(lines.some((line) => line.startsWith('macOS') || line.startsWith('Windows'))).toBe(false);
    expect(releasePlan({ APPLE_ID: 'half' }, ['linux']).errors).toEqual([]);
  });

  it('points the update feed at DISPUTE_DESK_UPDATE_URL', () => {
    const plan = releasePlan({ DISPUTE_DESK_UPDATE_URL: 'https://updates.disputedesk.app/desktop' }, [
      'linux',
    ]);
    expect(plan.updateUrl).toBe('https://updates.disputedesk.app/desktop');
    expect(plan.lines[0]).toBe(
      'Updates: the app looks for new versions at https://updates.disputedesk.app/desktop (upload release/latest*.yml and the installers there)',
    );
  });
});

describe('checkUpdateUrl', () => {
  it('takes https anywhere and plain http on this computer only', () => {
    expect(checkUpdateUrl('https://updates.example/x')).toEqual({
      ok: true,
      url: 'https://updates.example/x',
    });
    expect(checkUpdateUrl('http://127.0.0.1:8080/')).toMatchObject({ ok: true });
    expect(checkUpdateUrl('http://localhost:8080/')).toMatchObject({ ok: true });
  });

  it.each([
    'http://updates.example/',
    'ftp://updates.example/',
    'not a url',
    'https://user:pw@updates.example/',
    'https://updates.example.com/feed?access_token=abc',
    'https://updates.example.com/feed#token=abc',
    'https://updates.example.com/feed?',
  ])('refuses %s', (value) => {
    expect(checkUpdateUrl(value)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('DISPUTE_DESK_UPDATE_URL'),
    });
  });

  it('never repeats a refused value, which may hold a credential', () => {
    for (const value of ['not a url tok_abc', 'https://updates.example.com/feed?access_token=tok_abc', 'https://u:tok_abc@x.example/']) {
      const checked = checkUpdateUrl(value);
      expect(checked.ok).toBe(false);
      expect(JSON.stringify(checked), value).not.toContain('tok_abc');
    }
  });

  it('a query token in the environment stops the build before it starts', () => {
    const plan = releasePlan({ DISPUTE_DESK_UPDATE_URL: 'https://updates.example.com/feed?access_token=abc' }, ['linux']);
    expect(plan.updateUrl).toBeNull();
    expect(plan.errors).toEqual([expect.stringContaining('query')]);
    expect(plan.errors.join()).not.toContain('abc');
  });
});

describe('publishForBuild', () => {
  it('writes the checked address into the builder’s publish setting, or none', () => {
    expect(publishForBuild('https://updates.example.com/desk/')).toEqual({ provider: 'generic', url: 'https://updates.example.com/desk/' });
    expect(publishForBuild(null)).toBeNull();
  });
});

describe('parseDistArguments', () => {
  it('builds for this computer by default, or for the systems named', () => {
    expect(parseDistArguments([], 'darwin')).toEqual({ platforms: ['mac'], planOnly: false });
    expect(parseDistArguments([], 'win32').platforms).toEqual(['win']);
    expect(parseDistArguments([], 'linux').platforms).toEqual(['linux']);
    expect(parseDistArguments(['--mac', '-w', '--linux', '--plan'], 'linux')).toEqual({
      platforms: ['mac', 'win', 'linux'],
      planOnly: true,
    });
  });

  it('refuses an argument it does not know', () => {
    expect(() => parseDistArguments(['--publish', 'always'], 'linux')).toThrow(DistUsageError);
  });
});

describe('scripts/dist.ts --plan', () => {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(process.execPath, ['--import', tsx, resolve('scripts/dist.ts'), '--plan', '--mac'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...env },
    });

  it('prints the plan and builds nothing; half a set of credentials stops it with exit code 2', () => {
    const plain = run({});
    expect(plain.status).toBe(0);
    expect(plain.stdout).toContain('macOS: not signed');
    const half = run({ APPLE_ID: 'ana@example.org' });
    expect(half.status).toBe(2);
    expect(half.stderr).toContain('npm run dist: macOS notarisation with an Apple ID also needs');
  });
});
