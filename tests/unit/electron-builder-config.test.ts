// Installers cannot be built on the development machine (DESIGN §8), so the packaging configuration is
// checked here by its content: what ships, for which systems, and that electron-builder accepts it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { matchesGlob } from 'node:path';
import type { Configuration, TargetConfigType } from 'electron-builder';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Configuration;

function targetNames(target: TargetConfigType | undefined): string[] {
  if (target === undefined || target === null) return [];
  const targets = Array.isArray(target) ? target : [target];
  return targets.map((entry) => (typeof entry === 'string' ? entry : entry.target));
}

function filePatterns(): string[] {
  expect(Array.isArray(config.files)).toBe(true);
  return config.files as string[];
}

function isPackaged(path: string): boolean {
  const patterns = filePatterns();
  const included = patterns.filter((p) => !p.startsWith('!')).some((p) => matchesGlob(path, p));
  const excluded = patterns.filter((p) => p.startsWith('!')).some((p) => matchesGlob(path, p.slice(1)));
  return included && !excluded;
}

describe('electron-builder.yml', () => {
  it('names the product and writes installers to release/', () => {
    expect(config.appId).toBe('com.disputedesk.app');
    expect(config.productName).toBe('Dispute Desk');
    expect(config.directories?.output).toBe('release');
  });

  it('builds an NSIS installer for Windows', () => {
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
  });

  it('builds a hardened dmg in the finance category for macOS', () => {
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    expect(config.mac?.category).toBe('public.app-category.finance');
    expect(config.mac?.hardenedRuntime).toBe(true);
  });

  it('builds an AppImage and a deb in the Office/Finance categories for Linux', () => {
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category?.split(';')).toEqual(['Office', 'Finance']);
    // fpm refuses a deb without a maintainer and a homepage.
    expect(config.linux?.maintainer).toMatch(/<[^@\s]+@[^@\s]+>/);
    expect(config.extraMetadata?.homepage).toMatch(/^https:\/\//);
  });

  it('packs the app into an asar archive but keeps the SQLite native module outside it', () => {
    expect(config.asar).toBe(true);
    const unpacked = [config.asarUnpack ?? []].flat();
    expect(unpacked.some((p) => matchesGlob('node_modules/better-sqlite3/prebuilds/linux-x64.node', p))).toBe(
      true,
    );
  });

  it('packages only the build output and package.json', () => {
    for (const pattern of filePatterns().filter((p) => !p.startsWith('!'))) {
      expect(pattern === 'package.json' || pattern.startsWith('out/'), pattern).toBe(true);
    }
    expect(isPackaged('out/main/index.js')).toBe(true);
    expect(isPackaged('out/preload/index.cjs')).toBe(true);
    expect(isPackaged('out/renderer/index.html')).toBe(true);
    expect(isPackaged('package.json')).toBe(true);
  });

  it.each([
    'electron/main/index.ts',
    'electron/server/config.ts',
    'renderer/src/main.tsx',
    'shared/domain/money.ts',
    'tests/unit/electron-builder-config.test.ts',
    'tests/e2e/electron.spec.ts',
    'scripts/test.mjs',
    'bench/run.ts',
    'electron.vite.config.ts',
    'tsconfig.json',
    '.data/desk.db',
  ])('does not package %s', (path) => {
    expect(isPackaged(path)).toBe(false);
  });

  it('flips the Electron fuses that close the binary to code injection (runAsNode, NODE_OPTIONS, --inspect, file:// extra privileges off; cookie encryption, ASAR integrity, app.asar only on)', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('serves the renderer from the app:// scheme, so turning off file:// privileges takes nothing the app uses', () => {
    const window = readFileSync('electron/main/window.ts', 'utf8');
    expect(window).not.toMatch(/loadFile\(|['"`]file:\/\//);
    expect(readFileSync('electron/main/app-protocol.ts', 'utf8')).toMatch(/protocol\.handle\(APP_SCHEME/);
  });

  it('leaves the shell nothing that needs runAsNode: no child of the Electron binary asked to act as Node', () => {
    for (const file of ['electron/main/services.ts', 'electron/main/desk-worker-client.ts', 'electron/launch/bundled-server.ts']) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(/ELECTRON_RUN_AS_NODE\s*=\s*['"]?1|\.env\.ELECTRON_RUN_AS_NODE\s*=(?!=)|child_process['"]\)?\.fork|\bfork\(process\.execPath/);
    }
    expect(readFileSync('electron/main/services.ts', 'utf8')).toContain('utilityProcessLauncher(');
  });

  it('passes the schema check electron-builder runs before a build', async () => {
    // app-builder-lib is electron-builder's engine; resolving it from electron-builder's own folder gets
    // the exact version `npm run dist` uses.
    const requireFromBuilder = createRequire(
      createRequire(import.meta.url).resolve('electron-builder/package.json'),
    );
    const { validateConfiguration } = requireFromBuilder('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (config: Configuration, logger: unknown) => Promise<void>;
    };
    const disabledDebugLogger = { isEnabled: false, add: () => undefined };
    await expect(validateConfiguration(config, disabledDebugLogger)).resolves.toBeUndefined();
  });
});
