// better-sqlite3-multiple-ciphers ships its typings without naming them in its package.json "exports", so
// TypeScript cannot find them. Its API is better-sqlite3's (encryption is driven by pragmas), so it is typed
// as that.
declare module 'better-sqlite3-multiple-ciphers' {
  import Database from 'better-sqlite3';
  export default Database;
}
