// Builds the three Electron processes into out/: main (ES module, package.json "main"), preload
// (CommonJS, because sandboxed preloads cannot be ES modules) and the renderer (renderer/ as Vite root).
// The main build has two more entries that the shell starts as Node processes: the desk service's
// utility process (desk-worker.js, from electron/desk-worker/) and the bundled platform server's CLI
// (server.js). Main finds both beside its own index.js. A third, sync-writer.js, is the desk's thread
// for writing a first sync (electron/desk/sync/writer.ts); a fourth, wal-checkpoints.js, the thread that
// checkpoints a WAL beside the server's connection and beside that sync writer's (electron/sqlite/wal-checkpoints.ts).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './electron/common/security';

/**
 * The dev server needs a looser policy (React Fast Refresh injects an inline script, Vite injects
 * <style> elements); builds keep the strict one written in renderer/index.html.
 */
function devServerContentSecurityPolicy(): Plugin {
  return {
    name: 'dispute-desk:dev-server-content-security-policy',
    apply: 'serve',
    transformIndexHtml(html) {
      const strictPolicy = contentSecurityPolicy();
      if (!html.includes(strictPolicy)) {
        throw new Error(
          'renderer/index.html must carry contentSecurityPolicy() from electron/common/security.ts',
        );
      }
      return html.replace(strictPolicy, contentSecurityPolicy({ development: true }));
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          'desk-worker': resolve('electron/desk-worker/index.ts'),
          // The desk's sync writer thread (electron/desk/sync/writer.ts finds it beside desk-worker.js).
          'sync-writer': resolve('electron/desk/sync/writer-thread.ts'),
          server: resolve('electron/server/cli.ts'),
          // The WAL checkpoint thread (electron/sqlite/wal-checkpoints.ts looks beside the bundle it is in, and one folder up from a shared chunk).
          'wal-checkpoints': resolve('electron/sqlite/wal-checkpoint-thread.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    plugins: [react(), devServerContentSecurityPolicy()],
    build: {
      outDir: 'out/renderer',
      rolldownOptions: {
        input: { index: resolve('renderer/index.html') },
      },
    },
  },
});
