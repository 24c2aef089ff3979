// The built renderer's files, served by the host. They hold nothing secret (the same files ship inside the
// app), so they need no launch secret; they must only never reach outside their folder.
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileInsideFolder } from '../common/security';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.map': 'application/json',
};

/**
 * The file under `root` for a request path, or null when the path is malformed (bad escape, NUL,
 * encoded slash) or would leave the folder. `/` is index.html.
 */
export function resolveStaticPath(pathname: string, root: string): string | null {
  // A backslash, raw or encoded (%5c), and an encoded slash are refused before decoding: they would
  // reach the file system as separators the URL never had.
  if (/%2f|%5c/i.test(pathname) || pathname.includes('\\')) return null;
  return fileInsideFolder(pathname, root);
}

export function contentTypeOf(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** index.html names the hashed bundles of one build: never cache it, or a rebuild would go unseen. */
  cacheControl: string;
}

export async function readStaticFile(pathname: string, root: string): Promise<StaticFile | null> {
  const filePath = resolveStaticPath(pathname, root);
  if (filePath === null) return null;
  try {
    const body = await readFile(filePath);
    const isIndex = filePath === join(root, 'index.html');
    return { body, contentType: contentTypeOf(filePath), cacheControl: isIndex ? 'no-store' : 'no-cache' };
  } catch {
    // A missing file or a folder: to the browser both are a plain 404.
    return null;
  }
}
