// Layering is enforced here (DESIGN §1): each folder is a layer and may only import what runs where it runs.
// `local/code-layering` checks the imports between the project's folders against the allow-list below
// (tests/unit/layering.test.ts proves it); no-restricted-imports keeps runtimes out of the layers that run
// without them.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import codeLayering from './scripts/eslint/code-layering.js';

/**
 * Each layer with the folders it may import besides itself. Folders not named here (tests/, bench/,
 * scripts/) are not layers and may import anything.
 */
const layers = {
  shared: [],
  // SQLite on Node for the server and the desk alike: the thread that checkpoints a WAL beside its owner.
  'electron/sqlite': ['shared'],
  'electron/server': ['shared', 'electron/sqlite'],
  // The demo seed writes into the server's store with the server's own functions.
  'electron/seed': ['shared', 'electron/server'],
  // The market simulator plays the seed's world through the platform's signed events: it takes the seed's
  // people, chats and receipts and the server's signing functions, and talks to a server only over HTTP.
  'electron/simulator': ['shared', 'electron/seed', 'electron/server'],
  'electron/desk': ['shared', 'electron/sqlite'],
  // Starting the bundled server and choosing the server: shared by the Electron shell and the browser host.
  'electron/launch': ['shared'],
  // Pure security functions of the Electron shell and the browser host.
  'electron/common': ['shared'],
  'electron/host': ['shared', 'electron/desk', 'electron/launch', 'electron/common'],
  'electron/desk-worker': ['shared', 'electron/desk', 'electron/launch'],
  'electron/main': ['shared', 'electron/launch', 'electron/common'],
  // Sandboxed: only the desk's contract and its IPC channel names.
  'electron/preload': ['shared/desk-api'],
  renderer: ['shared'],
};

/** Folders a layer may load only with `await import(...)`: the server loads the demo seed on demand. */
const dynamicOnly = { 'electron/server': ['electron/seed'] };

const nodeBuiltins = { group: ['node:*'], message: 'This layer runs without Node: no node:* imports.' };
// A regex rather than a group: the group `electron/*` would also match the project's own
// `../electron/...` folders, which local/code-layering rules on.
const electronImport = {
  regex: '^electron(/|$)',
  message: 'Only electron/main and electron/preload import electron.',
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { local: { rules: { 'code-layering': codeLayering } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'local/code-layering': ['error', { layers, dynamicOnly }],
    },
  },
  {
    files: ['shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            electronImport,
            {
              group: ['react', 'react-dom', 'react/*'],
              message: 'shared/ is runtime-free: no DOM or React.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electronImport] }],
    },
  },
  {
    // Plain Node: the same code runs in the browser host, in a child process and under Vitest.
    files: ['electron/{server,seed,simulator,desk,launch,common,host}/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronImport] }] },
  },
  {
    // The desk worker runs in Electron's utility process and takes the type of its parentPort from electron.
    files: ['electron/desk-worker/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              ...electronImport,
              allowTypeImports: true,
              message: 'The desk worker imports electron for types only.',
            },
          ],
        },
      ],
    },
  },
  {
    // One desk client in the renderer: screens, hooks and stores use renderer/src/desk, never window.desk.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/desk/**'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'window',
          property: 'desk',
          message: 'Reach the desk through renderer/src/desk (callDesk, useDeskQuery, useDeskCommand).',
        },
        {
          object: 'globalThis',
          property: 'desk',
          message: 'Reach the desk through renderer/src/desk (callDesk, useDeskQuery, useDeskCommand).',
        },
      ],
    },
  },
);
