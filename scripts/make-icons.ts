// `npm run icons [-- --out DIR]`: every icon file the installers need, rendered from resources/icon.svg (the
// one source) into resources/ (electron-builder's buildResources), where `npm run dist` runs it first:
//
//   icon.icns              macOS, from the full 1024 grid (Apple's icons keep a margin for the tile's shadow)
//   icon.ico               Windows, 16 to 256 px, from the tile alone (Windows icons fill their square)
//   icons/NxN.png          Linux, 16 to 1024 px, the tile alone (electron-builder's linux.icon folder)
//   icon.png               1024 px on the full grid (the window icon on Linux, and anything else that wants one)
//
// The files are build output (.gitignore): change the SVG and run this, never edit them by hand.
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import png2icons from 'png2icons';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));
export const ICON_SOURCE = join(projectRoot, 'resources', 'icon.svg');
export const PNG_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

/** The tile without the margin and shadow of Apple's grid (the square the SVG's comment names). */
const TILE_VIEW_BOX = '96 96 832 832';

export class IconSourceError extends Error {
  readonly code = 'icon_source_invalid';
}

/** The same drawing cropped to its tile: one source, two framings. */
export function tileOnly(svg: string): string {
  const framed = svg.replace(/viewBox="0 0 1024 1024"/, `viewBox="${TILE_VIEW_BOX}"`);
  if (framed === svg)
    throw new IconSourceError('resources/icon.svg must be drawn on viewBox="0 0 1024 1024"');
  return framed;
}

export function renderPng(svg: string, size: number): Buffer {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
}

function iconContainer(name: string, made: Buffer | null): Buffer {
  if (made === null) throw new IconSourceError(`png2icons could not make ${name}`);
  return made;
}

/** Writes every file listed at the top into outDir; returns their paths relative to it. */
export function makeIcons(svg: string, outDir: string): string[] {
  const tile = tileOnly(svg);
  mkdirSync(join(outDir, 'icons'), { recursive: true });
  const written: string[] = [];
  const write = (name: string, data: Buffer): void => {
    writeFileSync(join(outDir, name), data);
    written.push(name);
  };
  for (const size of PNG_SIZES) write(join('icons', `${size}x${size}.png`), renderPng(tile, size));
  const grid1024 = renderPng(svg, 1024);
  write('icon.png', grid1024);
  // Bezier resampling keeps the edges of a downscaled drawing crisp; 0 colours: full 32-bit, no palette.
  write('icon.icns', iconContainer('icon.icns', png2icons.createICNS(grid1024, png2icons.BEZIER, 0)));
  // forWinExe: BMP entries up to 48 px and PNG above, the layout the resource compiler that stamps the icon into
  // the .exe expects.
  const ico = png2icons.createICO(renderPng(tile, 1024), png2icons.BEZIER, 0, false, true);
  write('icon.ico', iconContainer('icon.ico', ico));
  return written;
}

function main(): void {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const outDir = values.out ?? join(projectRoot, 'resources');
  const written = makeIcons(readFileSync(ICON_SOURCE, 'utf8'), outDir);
  console.log(`Icons written to ${outDir}: ${written.join(', ')}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    main();
  } catch (error) {
    console.error(`make-icons: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
