// js-yaml 4 ships no types, and @types/js-yaml is not installed. It is a dependency of electron-updater (so
// every installer carries it), which reads app-update.yml with `load`: update-gate.ts reads it the same way.
declare module 'js-yaml' {
  export function load(text: string): unknown;
}
