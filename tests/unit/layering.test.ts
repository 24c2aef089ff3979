// The layers of DESIGN §1 as the real ESLint configuration enforces them: code placed at a path in one layer
// that imports across a forbidden line is an error, and the imports the allow-list names are not.
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The problems ESLint reports for `code` saved at `filePath`, from the rules that guard the layers. */
async function layeringProblems(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((message) =>
    ['local/code-layering', 'no-restricted-imports', '@typescript-eslint/no-restricted-imports'].includes(
      message.ruleId ?? '',
    ),
  );
}

describe('local/code-layering', () => {
  it.each([
    ['host → main', 'electron/host/x.ts', "import { windowWebPreferences } from '../main/security';"],
    [
      'host → main, a type only',
      'electron/host/x.ts',
      "import type { DeskWorker } from '../main/desk-worker-client';",
    ],
    ['host → desk-worker', 'electron/host/x.ts', "import '../desk-worker/index';"],
    ['main → host', 'electron/main/x.ts', "import { startHost } from '../host/host-server';"],
    ['main → preload', 'electron/main/x.ts', "import '../preload/index';"],
    ['main → desk', 'electron/main/x.ts', "import { createDeskService } from '../desk/service';"],
    ['main → desk-worker', 'electron/main/x.ts', "import '../desk-worker/index';"],
    ['main → server', 'electron/main/x.ts', "import { startServer } from '../server/start';"],
    ['preload → desk', 'electron/preload/x.ts', "import { createDeskService } from '../desk/service';"],
    [
      'preload → shared outside desk-api',
      'electron/preload/x.ts',
      "import { money } from '../../shared/domain/money';",
    ],
    ['server → desk', 'electron/server/x.ts', "import { createDeskService } from '../desk/service';"],
    ['server → launch', 'electron/server/x.ts', "import { chooseServer } from '../launch/server-choice';"],
    ['desk → server', 'electron/desk/x.ts', "import { buildServer } from '../server/app';"],
    [
      'desk → server, by dynamic import',
      'electron/desk/x.ts',
      "export const app = () => import('../server/app');",
    ],
    [
      'desk → desk-worker (a folder whose name starts alike)',
      'electron/desk/x.ts',
      "import '../desk-worker/index';",
    ],
    ['desk → host, re-exported', 'electron/desk/x.ts', "export { startHost } from '../host/host-server';"],
    [
      'renderer → electron/',
      'renderer/src/x.ts',
      "import { createDeskService } from '../../electron/desk/service';",
    ],
    ['shared → server', 'shared/api/x.ts', "import { buildServer } from '../../electron/server/app';"],
    ['shared → renderer', 'shared/api/x.ts', "export * from '../../renderer/src/app/App';"],
    [
      'server → seed, statically',
      'electron/server/start.ts',
      "import { seedDatabase } from '../seed/index';",
    ],
    ['seed → desk', 'electron/seed/x.ts', "import { openDeskDatabase } from '../desk/db/open';"],
    ['launch → host', 'electron/launch/x.ts', "import { startHost } from '../host/host-server';"],
    ['launch → desk', 'electron/launch/x.ts', "import { savedServerUrl } from '../desk/saved-server';"],
    ['common → main', 'electron/common/x.ts', "import { windowWebPreferences } from '../main/security';"],
    ['sqlite → server', 'electron/sqlite/x.ts', "import { openDatabase } from '../server/db/open';"],
    ['sqlite → desk', 'electron/sqlite/x.ts', "import { openDeskDatabase } from '../desk/db/open';"],
    ['desk-worker → host', 'electron/desk-worker/x.ts', "import { startHost } from '../host/host-server';"],
    ['desk-worker → main', 'electron/desk-worker/x.ts', "import { startServices } from '../main/services';"],
    [
      'a layer → tests/, which is no layer',
      'electron/host/x.ts',
      "import { tempDir } from '../../tests/host/helpers';",
    ],
  ])('reports %s', async (_name, filePath, code) => {
    const problems = await layeringProblems(filePath, code);
    expect(problems.map((problem) => problem.ruleId)).toEqual(['local/code-layering']);
  });

  it('names both layers and what the importer may import', async () => {
    const [problem] = await layeringProblems(
      'electron/host/x.ts',
      "import { windowWebPreferences } from '../main/security';",
    );
    expect(problem?.message).toBe(
      "Bad layering: electron/host may not import electron/main ('../main/security'). " +
        'electron/host imports only shared, electron/desk, electron/launch, electron/common.',
    );
    const [fromShared] = await layeringProblems('shared/x.ts', "import '../electron/server/app';");
    expect(fromShared?.message).toMatch(
      /shared may not import electron\/server .* shared imports only itself\.$/,
    );
    const [seed] = await layeringProblems('electron/server/x.ts', "import '../seed/index';");
    expect(seed?.message).toMatch(
      /electron\/server may load electron\/seed .* only with a dynamic import\(\)/,
    );
  });

  it.each([
    [
      'server → seed, by dynamic import',
      'electron/server/start.ts',
      "export const seed = () => import('../seed/index');",
    ],
    ['seed → server', 'electron/seed/x.ts', "import type { Db } from '../server/db/open';"],
    [
      'server → sqlite',
      'electron/server/x.ts',
      "import { startWalCheckpoints } from '../sqlite/wal-checkpoints';",
    ],
    [
      'desk → sqlite',
      'electron/desk/x.ts',
      "import { startWalCheckpoints } from '../sqlite/wal-checkpoints';",
    ],
    ['host → launch', 'electron/host/x.ts', "import { startBundledServer } from '../launch/bundled-server';"],
    ['host → common', 'electron/host/x.ts', "import { contentSecurityPolicy } from '../common/security';"],
    ['host → desk', 'electron/host/x.ts', "import { createDeskService } from '../desk/service';"],
    [
      'desk-worker → desk',
      'electron/desk-worker/x.ts',
      "import { createDeskService } from '../desk/service';",
    ],
    [
      'desk-worker → launch',
      'electron/desk-worker/x.ts',
      "import { chooseServer } from '../launch/server-choice';",
    ],
    ['main → launch', 'electron/main/x.ts', "import { chooseServer } from '../launch/server-choice';"],
    ['main → common', 'electron/main/x.ts', "import { APP_ORIGIN } from '../common/security';"],
    [
      'main → shared',
      'electron/main/x.ts',
      "import { DESK_INVOKE_CHANNEL } from '../../shared/desk-api/ipc';",
    ],
    [
      'preload → shared/desk-api',
      'electron/preload/x.ts',
      "import { DESK_INVOKE_CHANNEL } from '../../shared/desk-api/ipc';",
    ],
    ['renderer → shared', 'renderer/src/x.ts', "import type { CaseDetail } from '../../shared/api/types';"],
    ['a layer → itself', 'electron/desk/cache/x.ts', "import { openDeskDatabase } from '../db/open';"],
    [
      'a test → any layer',
      'tests/unit/x.test.ts',
      "import { windowWebPreferences } from '../../electron/main/security';",
    ],
  ])('allows %s', async (_name, filePath, code) => {
    expect(await layeringProblems(filePath, code)).toEqual([]);
  });
});

describe('what runs where', () => {
  it.each([
    ['renderer → the electron package', 'renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer → node:*', 'renderer/src/x.ts', "import { readFileSync } from 'node:fs';"],
    ['shared → node:*', 'shared/x.ts', "import { join } from 'node:path';"],
    ['shared → React', 'shared/x.ts', "import { useState } from 'react';"],
    ['desk → the electron package', 'electron/desk/x.ts', "import { app } from 'electron';"],
    ['launch → the electron package', 'electron/launch/x.ts', "import { app } from 'electron';"],
    ['desk-worker → electron at run time', 'electron/desk-worker/x.ts', "import { app } from 'electron';"],
  ])('reports %s', async (_name, filePath, code) => {
    expect(await layeringProblems(filePath, code)).toHaveLength(1);
  });

  it('lets the desk worker take types from electron', async () => {
    const code = "import type { ParentPort } from 'electron';";
    expect(await layeringProblems('electron/desk-worker/x.ts', code)).toEqual([]);
  });
});
