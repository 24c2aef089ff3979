// `npm run dist [-- --mac --win --linux] [-- --plan]`: the installers, after `npm run icons` and
// `electron-vite build`. First it prints what will be signed, notarised and used as the update server
// (scripts/packaging/release-plan.ts) and stops on half a set of credentials; then it runs electron-builder with
// electron-builder.yml. It never publishes: the generic update server is a folder of files, so the installers
// and latest*.yml in release/ are uploaded to DISPUTE_DESK_UPDATE_URL by whoever releases.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Arch, Configuration, Platform as BuilderPlatform } from 'electron-builder';
import { parse } from 'yaml';
import { DistUsageError, parseDistArguments, publishForBuild, releasePlan, type DistPlatform } from './packaging/release-plan';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

async function buildInstallers(platforms: DistPlatform[], updateUrl: string | null): Promise<void> {
  const config = parse(readFileSync(join(projectRoot, 'electron-builder.yml'), 'utf8')) as Configuration;
  // The checked address, never the raw variable for electron-builder to expand. Without a server, no
  // app-update.yml is written and electron-updater has nothing to check: the app stays on its version.
  config.publish = publishForBuild(updateUrl);
  // Loaded only to build: it is large, and --plan does not need it.
  const { Platform, build } = await import('electron-builder');
  const targets = new Map<BuilderPlatform, Map<Arch, string[]>>();
  for (const platform of platforms) {
    const builderPlatform = { mac: Platform.MAC, win: Platform.WINDOWS, linux: Platform.LINUX }[platform];
    for (const [key, value] of builderPlatform.createTarget()) targets.set(key, value);
  }
  const written = await build({ projectDir: projectRoot, config, targets, publish: 'never' });
  console.log(`Installers in release/:\n${written.map((file) => `  ${file}`).join('\n')}`);
}

async function main(): Promise<void> {
  const args = parseDistArguments(process.argv.slice(2), process.platform);
  const plan = releasePlan(process.env, args.platforms);
  for (const line of plan.lines) console.log(line);
  if (plan.errors.length > 0) {
    for (const error of plan.errors) console.error(`npm run dist: ${error}`);
    process.exit(2);
  }
  if (args.planOnly) return;
  if (plan.disableIdentityDiscovery) process.env.CSC_IDENTITY_AUTO_DISCOVERY = 'false';
  await buildInstallers(args.platforms, plan.updateUrl);
}

main().catch((error: unknown) => {
  if (error instanceof DistUsageError) {
    console.error(
      `npm run dist: ${error.message}\nusage: npm run dist -- [--mac] [--win] [--linux] [--plan]`,
    );
    process.exit(2);
  }
  console.error(`npm run dist: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
