// The server's SQLite driver (better-sqlite3-multiple-ciphers, like better-sqlite3 13) needs Node 22: on an
// older Node its native module crashes the process when the first database opens, with no message at all
// (DESIGN §8). The CLI checks first, before anything opens a database.

export const MINIMUM_NODE_MAJOR = 22;

/** Why this Node cannot run the server, or null when it can. `version` is `process.versions.node`. */
export function unsupportedNodeMessage(version: string): string | null {
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR) return null;
  return (
    `needs Node ${MINIMUM_NODE_MAJOR} or newer, and this is Node ${version}. ` +
    `Start it with \`npm run server\`, which runs on the Node ${MINIMUM_NODE_MAJOR} that \`npm install\` provides.`
  );
}
