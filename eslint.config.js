// Layering is enforced here (DESIGN §1): each folder is a layer and may only import what runs where it runs.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'This layer runs without Node: no node:* imports.' };
const electronImport = { group: ['electron', 'electron/*'], message: 'Only electron/main and electron/preload import electron.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
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
            { group: ['react', 'react-dom', 'react/*'], message: 'shared/ is runtime-free: no DOM or React.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports nothing from the processes.' },
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
      'no-restricted-imports': [
        'error',
        { patterns: [nodeBuiltins, electronImport, { group: ['**/electron/**'], message: 'The renderer talks to the desk only through window.desk.' }] },
      ],
    },
  },
  {
    files: ['electron/server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronImport, { group: ['**/desk/**', '**/host/**', '**/main/**', '**/preload/**'], message: 'The platform server stands alone: it imports nothing from the desk side.' }] },
      ],
    },
  },
  {
    files: ['electron/desk/**/*.ts', 'electron/host/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronImport, { group: ['**/server/**'], message: 'The desk talks to the server over HTTP only.' }] },
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
        { object: 'window', property: 'desk', message: 'Reach the desk through renderer/src/desk (callDesk, useDeskQuery, useDeskCommand).' },
        { object: 'globalThis', property: 'desk', message: 'Reach the desk through renderer/src/desk (callDesk, useDeskQuery, useDeskCommand).' },
      ],
    },
  },
);
