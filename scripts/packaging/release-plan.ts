// What `npm run dist` will sign, notarise and point at an update server, read from the environment the way
// electron-builder reads it, so that the build says so before it starts and refuses half a set of credentials
// (electron-builder would only notice after packaging, minutes later). Pure, for tests.
import { checkUpdateServerUrl, type UpdateUrlCheck } from '../../shared/update/update-url';

export type DistPlatform = 'mac' | 'win' | 'linux';

export interface ReleasePlan {
  /** One line per decision, printed before the build. */
  lines: string[];
  /** Settings that cannot work; the build does not start. */
  errors: string[];
  /** DISPUTE_DESK_UPDATE_URL, checked; null: the installers carry no update feed. */
  updateUrl: string | null;
  /** Nothing names a macOS signing identity: electron-builder must not pick one from the keychain on its own. */
  disableIdentityDiscovery: boolean;
}

export const UPDATE_URL_VARIABLE = 'DISPUTE_DESK_UPDATE_URL';

/** electron-builder's notarisation credentials (app-builder-lib MacTargetHelper.getNotarizeOptions), in its order. */
const NOTARY_CREDENTIALS = [
  { name: 'an Apple ID', variables: ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'] },
  {
    name: 'an App Store Connect API key',
    variables: ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
  },
  { name: 'a notarytool keychain profile', variables: ['APPLE_KEYCHAIN_PROFILE'] },
] as const;

function isSet(env: NodeJS.ProcessEnv, name: string): boolean {
  return (env[name] ?? '').trim() !== '';
}

/** The update server, by the rule the app applies when it reads it back (shared/update/update-url.ts). */
export function checkUpdateUrl(value: string): UpdateUrlCheck {
  const checked = checkUpdateServerUrl(value);
  return checked.ok ? checked : { ok: false, reason: `${UPDATE_URL_VARIABLE} ${checked.reason}` };
}

/**
 * electron-builder.yml's `publish` for this build: the plan's checked address written in, so that the
 * builder never expands `${env.DISPUTE_DESK_UPDATE_URL}` itself (the raw variable, unchecked, would go into
 * app-update.yml); none without one (no app-update.yml: the app does not update itself).
 */
export function publishForBuild(updateUrl: string | null): { provider: 'generic'; url: string } | null {
  return updateUrl === null ? null : { provider: 'generic', url: updateUrl };
}

function updatePlan(env: NodeJS.ProcessEnv, plan: ReleasePlan): void {
  const value = env[UPDATE_URL_VARIABLE]?.trim();
  if (!value) {
    plan.lines.push(
      `Updates: ${UPDATE_URL_VARIABLE} is not set, so these installers carry no update feed and the app will not update itself`,
    );
    return;
  }
  const checked = checkUpdateUrl(value);
  if (!checked.ok) {
    plan.errors.push(checked.reason);
    return;
  }
  plan.updateUrl = checked.url;
  plan.lines.push(
    `Updates: the app looks for new versions at ${checked.url} (upload release/latest*.yml and the installers there)`,
  );
}

function macPlan(env: NodeJS.ProcessEnv, plan: ReleasePlan): void {
  const identity = isSet(env, 'CSC_LINK') ? 'CSC_LINK' : isSet(env, 'CSC_NAME') ? 'CSC_NAME' : null;
  if (identity === null) {
    plan.disableIdentityDiscovery = true;
    plan.lines.push(
      'macOS: not signed (set CSC_LINK and CSC_KEY_PASSWORD to a Developer ID Application certificate, or CSC_NAME to one in the keychain)',
    );
  } else {
    plan.lines.push(`macOS: signed with the certificate in ${identity}, hardened runtime on`);
  }
  const partial = NOTARY_CREDENTIALS.filter((set) => set.variables.some((name) => isSet(env, name)));
  const complete = partial.find((set) => set.variables.every((name) => isSet(env, name)));
  for (const set of partial.filter((set) => set !== complete)) {
    const missing = set.variables.filter((name) => !isSet(env, name));
    plan.errors.push(`macOS notarisation with ${set.name} also needs ${missing.join(', ')}`);
  }
  if (complete === undefined) {
    if (partial.length === 0)
      plan.lines.push(
        'macOS: not notarised (set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID, or APPLE_API_KEY, APPLE_API_KEY_ID and APPLE_API_ISSUER)',
      );
    return;
  }
  if (identity === null) {
    plan.errors.push('macOS notarisation needs a signed app: set CSC_LINK and CSC_KEY_PASSWORD as well');
    return;
  }
  plan.lines.push(`macOS: notarised with ${complete.name} (${complete.variables.join(', ')})`);
}

function winPlan(env: NodeJS.ProcessEnv, plan: ReleasePlan): void {
  // electron-builder signs Windows builds with WIN_CSC_LINK, or with CSC_LINK when that is not set.
  const certificate = isSet(env, 'WIN_CSC_LINK')
    ? 'WIN_CSC_LINK'
    : isSet(env, 'CSC_LINK')
      ? 'CSC_LINK'
      : null;
  if (certificate === null) {
    plan.lines.push(
      'Windows: not signed (set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD): SmartScreen warns about the installer, and updates are not checked against a publisher',
    );
    return;
  }
  plan.lines.push(`Windows: installer and app signed with the certificate in ${certificate}`);
}

export function releasePlan(env: NodeJS.ProcessEnv, platforms: readonly DistPlatform[]): ReleasePlan {
  const plan: ReleasePlan = { lines: [], errors: [], updateUrl: null, disableIdentityDiscovery: false };
  updatePlan(env, plan);
  if (platforms.includes('mac')) macPlan(env, plan);
  if (platforms.includes('win')) winPlan(env, plan);
  if (platforms.includes('linux'))
    plan.lines.push('Linux: AppImage and deb, not signed (the update feed carries each file’s SHA-512)');
  return plan;
}

const PLATFORM_FLAGS: Record<string, DistPlatform> = {
  '--mac': 'mac',
  '-m': 'mac',
  '--win': 'win',
  '-w': 'win',
  '--linux': 'linux',
  '-l': 'linux',
};

export class DistUsageError extends Error {
  readonly code = 'usage';
}

export interface DistArguments {
  platforms: DistPlatform[];
  /** --plan: print the plan and build nothing. */
  planOnly: boolean;
}

/** `--mac`, `--win`, `--linux` (any of them; none: this computer's system) and `--plan`. */
export function parseDistArguments(args: readonly string[], hostPlatform: NodeJS.Platform): DistArguments {
  const platforms = new Set<DistPlatform>();
  let planOnly = false;
  for (const arg of args) {
    if (arg === '--plan') planOnly = true;
    else if (PLATFORM_FLAGS[arg]) platforms.add(PLATFORM_FLAGS[arg]);
    else throw new DistUsageError(`unknown argument ${arg}`);
  }
  if (platforms.size === 0)
    platforms.add(hostPlatform === 'darwin' ? 'mac' : hostPlatform === 'win32' ? 'win' : 'linux');
  return { platforms: [...platforms], planOnly };
}
