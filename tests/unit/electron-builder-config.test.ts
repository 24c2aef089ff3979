// Installers cannot be built on the development machine (DESIGN §8), so the packaging configuration is
// checked here by its content: what ships, for which systems, and that electron-builder accepts it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, matchesGlob } from 'node:path';
import { build } from 'esbuild';
import type { Configuration, TargetConfigType } from 'electron-builder';
import { PNG } from 'pngjs';
import { convert } from 'xmlbuilder2';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEEP_LINK_SCHEME } from '../../electron/main/deep-link';
import { ICON_SOURCE, makeIcons, PNG_SIZES, tileOnly, IconSourceError } from '../../scripts/make-icons';
import { UPDATE_URL_VARIABLE } from '../../scripts/packaging/release-plan';
import { browserHostDataDir, PRODUCT_NAME } from '../../scripts/start/browser-fallback';

const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Configuration;

function targetNames(target: TargetConfigType | undefined): string[] {
  if (target === undefined || target === null) return [];
  const targets = Array.isArray(target) ? target : [target];
  return targets.map((entry) => (typeof entry === 'string' ? entry : entry.target));
}

/** Each target's architectures, e.g. { dmg: ['x64', 'arm64'] }. */
function targetArchs(target: TargetConfigType | undefined): Record<string, string[]> {
  const targets = target === undefined || target === null ? [] : Array.isArray(target) ? target : [target];
  return Object.fromEntries(
    targets.map((entry) =>
      typeof entry === 'string' ? [entry, []] : [entry.target, [entry.arch ?? []].flat().map(String)],
    ),
  );
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

  it('builds an NSIS installer for Windows x64', () => {
    expect(targetNames(config.win?.target)).toEqual(['nsis']);
    expect(targetArchs(config.win?.target)).toEqual({ nsis: ['x64'] });
  });

  it('builds a hardened dmg in the finance category for macOS', () => {
    expect(targetNames(config.mac?.target)).toEqual(['dmg', 'zip']);
    expect(config.mac?.category).toBe('public.app-category.finance');
    expect(config.mac?.hardenedRuntime).toBe(true);
  });

  it('builds the dmg and the zip electron-updater needs for Intel and Apple silicon Macs', () => {
    expect(targetArchs(config.mac?.target)).toEqual({ dmg: ['x64', 'arm64'], zip: ['x64', 'arm64'] });
  });

  it('builds the AppImage and the deb for x64 and arm64 Linux', () => {
    expect(targetArchs(config.linux?.target)).toEqual({ AppImage: ['x64', 'arm64'], deb: ['x64', 'arm64'] });
  });

  it('ships the SQLite drivers’ prebuilt binaries for every system and architecture it builds for', () => {
    const builds = [
      ...Object.values(targetArchs(config.mac?.target))
        .flat()
        .map((arch) => `darwin-${arch}`),
      ...Object.values(targetArchs(config.win?.target))
        .flat()
        .map((arch) => `win32-${arch}`),
      ...Object.values(targetArchs(config.linux?.target))
        .flat()
        .map((arch) => `linux-${arch}`),
    ];
    for (const driver of ['better-sqlite3', 'better-sqlite3-multiple-ciphers'])
      for (const build of new Set(builds))
        expect(existsSync(`node_modules/${driver}/prebuilds/${build}.node`), `${driver} ${build}`).toBe(true);
  });

  it('names the product’s own site and support address, on its domain', () => {
    expect(config.extraMetadata?.homepage).toBe('https://disputedesk.app');
    // The installed app's user-data folder, beside which `npm start`'s browser host keeps its data.
    expect(config.extraMetadata?.productName).toBe(PRODUCT_NAME);
    expect(browserHostDataDir('linux', {}, '/home/ana')).toBe(
      `/home/ana/.config/${PRODUCT_NAME}/browser-host`,
    );
    expect(config.linux?.maintainer).toBe('Dispute Desk <support@disputedesk.app>');
    expect(config.extraMetadata?.author).toEqual({ name: 'Dispute Desk', email: 'support@disputedesk.app' });
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
    for (const file of [
      'electron/main/services.ts',
      'electron/main/desk-worker-client.ts',
      'electron/launch/bundled-server.ts',
    ]) {
      const source = readFileSync(file, 'utf8');
      expect(source, file).not.toMatch(
        /ELECTRON_RUN_AS_NODE\s*=\s*['"]?1|\.env\.ELECTRON_RUN_AS_NODE\s*=(?!=)|child_process['"]\)?\.fork|\bfork\(process\.execPath/,
      );
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

describe('updates, links and signing', () => {
  it('publishes to a generic update server whose address comes from DISPUTE_DESK_UPDATE_URL', () => {
    expect(config.publish).toEqual({ provider: 'generic', url: `\${env.${UPDATE_URL_VARIABLE}}` });
  });

  it('registers the dispute-desk:// scheme and associates no file type, on any system', () => {
    expect(config.protocols).toEqual([{ name: 'Dispute Desk case link', schemes: [DEEP_LINK_SCHEME] }]);
    for (const options of [config, config.mac, config.win, config.linux, config.nsis])
      expect(options && 'fileAssociations' in options ? options.fileAssociations : undefined).toBeUndefined();
  });

  it("registers the scheme on Windows from the installer, where electron-builder's NSIS target does not, and removes it on uninstall", () => {
    const include = config.nsis?.include;
    expect(include).toBe('resources/installer.nsh');
    const script = readFileSync(include!, 'utf8');
    const registered = /WriteRegStr HKCU "Software\\Classes\\([a-z-]+)" "URL Protocol" ""/.exec(script)?.[1];
    expect(registered).toBe(config.protocols && [config.protocols].flat()[0]?.schemes[0]);
    expect(script).toMatch(
      /!macro customUnInstall[\s\S]*DeleteRegKey HKCU "Software\\Classes\\dispute-desk"[\s\S]*!macroend/,
    );
    expect(script).toContain('\'"$appExe" "%1"\'');
  });

  it('reads code signing and notarisation from the environment: no certificate, identity or password in the file', () => {
    const text = readFileSync('electron-builder.yml', 'utf8');
    expect(config.mac?.identity).toBeUndefined();
    // Left unset, electron-builder notarises whenever a complete set of Apple credentials is in the environment.
    expect(config.mac?.notarize).toBeUndefined();
    expect(config.win?.signtoolOptions).toBeUndefined();
    expect(text).not.toMatch(
      /^\s*(cscLink|cscKeyPassword|certificateFile|certificatePassword|identity|appleId)\s*:/m,
    );
  });

  it('signs the macOS app with exactly the entitlements Electron needs under the hardened runtime', () => {
    expect(config.mac?.entitlements).toBe('resources/entitlements.mac.plist');
    expect(config.mac?.entitlementsInherit).toBe('resources/entitlements.mac.plist');
    const plist = readFileSync('resources/entitlements.mac.plist', 'utf8');
    expect(plist).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<!DOCTYPE plist PUBLIC "-\/\/Apple\/\/DTD PLIST 1\.0\/\/EN"/,
    );
    // A malformed XML document throws here.
    const { plist: parsed } = convert(plist, { format: 'object' }) as { plist: unknown };
    expect(parsed).toEqual({ '@version': '1.0', dict: { key: 'com.apple.security.cs.allow-jit', true: {} } });
  });
});

describe('the icons', () => {
  let outDir: string;
  let written: string[];

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'dd-icons-'));
    written = makeIcons(readFileSync(ICON_SOURCE, 'utf8'), outDir);
  });

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  function png(name: string): PNG {
    return PNG.sync.read(readFileSync(join(outDir, name)));
  }

  it('renders the PNGs at 16 to 1024 px, 512 and 1024 among them, each exactly its size', () => {
    expect(PNG_SIZES).toEqual(expect.arrayContaining([16, 32, 512, 1024]));
    for (const size of PNG_SIZES) {
      const image = png(`icons/${size}x${size}.png`);
      expect([image.width, image.height], `${size} px`).toEqual([size, size]);
    }
    const full = png('icon.png');
    expect([full.width, full.height]).toEqual([1024, 1024]);
  });

  it('draws the mark, legible at 32 px: a light shield on the blue tile', () => {
    const image = png('icons/32x32.png');
    const pixel = (x: number, y: number): number[] => [
      ...image.data.subarray((y * 32 + x) * 4, (y * 32 + x) * 4 + 4),
    ];
    const [r, g, b, a] = pixel(4, 16);
    expect(a).toBe(255);
    expect(b! - r!).toBeGreaterThan(100); // the accent blue beside the shield
    const shield = pixel(10, 10);
    expect(Math.min(...shield.slice(0, 3))).toBeGreaterThan(200); // the shield's left shoulder, near white
    expect(g).toBeLessThan(140);
  });

  it('writes an .icns holding the 16 to 1024 px images macOS asks for', () => {
    const icns = readFileSync(join(outDir, 'icon.icns'));
    expect(icns.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(icns.readUInt32BE(4)).toBe(icns.length);
    const types: string[] = [];
    for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4))
      types.push(icns.subarray(offset, offset + 4).toString('latin1'));
    // ic10: 1024 px (512@2x); ic09: 512; ic08: 256; ic07: 128; is32: 16.
    expect(types).toEqual(expect.arrayContaining(['ic10', 'ic09', 'ic08', 'ic07', 'is32']));
  });

  it('writes an .ico holding 16 to 256 px images', () => {
    const ico = readFileSync(join(outDir, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2)]).toEqual([0, 1]);
    const count = ico.readUInt16LE(4);
    const sizes = Array.from({ length: count }, (_, index) => ico[6 + 16 * index] || 256);
    expect(sizes).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('writes every file electron-builder.yml names, into resources/ (its buildResources), and git ignores them', () => {
    expect(config.directories?.buildResources).toBe('resources');
    const named = [config.mac?.icon, config.win?.icon, config.linux?.icon].map((path) =>
      path!.replace(/^resources\//, ''),
    );
    for (const path of named)
      expect(
        written.some((file) => file === path || file.startsWith(`${path}/`)),
        path,
      ).toBe(true);
    const ignored = execFileSync('git', ['check-ignore', ...written.map((file) => `resources/${file}`)], {
      encoding: 'utf8',
    });
    expect(ignored.trim().split('\n')).toHaveLength(written.length);
  });

  it('is made before every packaging run', () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> })
      .scripts;
    expect(scripts.icons).toBe('tsx scripts/make-icons.ts');
    expect(scripts.dist?.split(' && ')).toEqual([
      'npm run icons',
      'electron-vite build',
      'tsx scripts/dist.ts',
    ]);
  });

  it('refuses a source not drawn on the 1024 grid it crops', () => {
    expect(() => tileOnly('<svg viewBox="0 0 512 512"/>')).toThrow(IconSourceError);
  });
});

describe('dependencies', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };
  const builtins = new Set(builtinModules);

  function packageName(specifier: string): string | null {
    const bare = specifier.replace(/\?.*$/, '');
    if (bare.startsWith('node:') || builtins.has(bare)) return null;
    const parts = bare.split('/');
    return bare.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  }

  /** The packages a set of entry points imports, through every file of the project they reach. */
  async function packagesImportedBy(
    entryPoints: string[],
    platform: 'node' | 'browser',
  ): Promise<Set<string>> {
    const result = await build({
      entryPoints,
      bundle: true,
      write: false,
      metafile: true,
      platform,
      format: 'esm',
      outdir: join(tmpdir(), 'dd-import-scan'),
      packages: 'external',
      jsx: 'automatic',
      logLevel: 'silent',
      loader: { '.css': 'empty', '.svg': 'empty', '.png': 'empty', '.woff2': 'empty' },
    });
    const names = new Set<string>();
    for (const output of Object.values(result.metafile.outputs))
      for (const entry of output.imports) {
        const name = entry.external ? packageName(entry.path) : null;
        if (name !== null) names.add(name);
      }
    return names;
  }

  // electron.vite.config.ts: main's three entries and the preload; everything else runs outside the installer.
  const shipped = packagesImportedBy(
    [
      'electron/main/index.ts',
      'electron/desk-worker/index.ts',
      'electron/server/cli.ts',
      'electron/preload/index.ts',
    ],
    'node',
  );
  const renderer = packagesImportedBy(['renderer/src/main.tsx'], 'browser');
  const notShipped = packagesImportedBy(['electron/host/cli.ts', 'electron/simulator/cli.ts'], 'node');

  it('finds the imports it is about (the scan itself works)', async () => {
    expect([...(await shipped)]).toEqual(
      expect.arrayContaining(['better-sqlite3-multiple-ciphers', 'fastify', 'electron']),
    );
    expect([...(await renderer)]).toEqual(expect.arrayContaining(['react', 'react-dom', 'i18next']));
    expect([...(await notShipped)]).toContain('ws');
  });

  it('keeps in "dependencies" every package the main, desk-worker and server bundles leave external', async () => {
    // electron-vite externalises "dependencies" and bundles the rest; native modules must stay external.
    for (const name of await shipped) {
      if (name === 'electron') continue;
      expect(Object.keys(manifest.dependencies), name).toContain(name);
    }
  });

  it('keeps no package in "dependencies" that only the renderer (bundled by Vite) or the browser host uses', async () => {
    const main = await shipped;
    const elsewhere = new Set([...(await renderer), ...(await notShipped)]);
    const shippedTwiceOrForNothing = Object.keys(manifest.dependencies).filter(
      (name) => elsewhere.has(name) && !main.has(name),
    );
    expect(shippedTwiceOrForNothing).toEqual([]);
  });

  it('lists electron itself only as a devDependency, as electron-builder requires', () => {
    expect(manifest.dependencies.electron).toBeUndefined();
    expect(manifest.devDependencies.electron).toBeDefined();
  });
});
