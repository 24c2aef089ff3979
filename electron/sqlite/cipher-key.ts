// The key of a file encrypted by SQLite3 Multiple Ciphers (better-sqlite3-multiple-ciphers): every
// connection to it, the desk's own and the threads beside it, gives the key the same way.

/** Sets a connection's encryption key (raw bytes, no key derivation); must come before anything reads the file. */
export function useKey(db: { pragma(source: string): unknown }, key: Buffer): void {
  db.pragma(`key = "x'${key.toString('hex')}'"`);
}
