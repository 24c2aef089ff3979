// Which platform server the desk talks to, decided before the desk starts: the one given on the command
// line (the browser host's --server URL, or --demo for the bundled one), else the one saved in the desk's settings ('settings.set' stores it for the next start, read by
// electron/desk/saved-server.ts), else the bundled server. Shared by the browser host and the Electron
// shell.

/**
 * The cache is bound to a server's identity (a different server drops the cached cases). The bundled
 * server listens on a new port at every launch, so it goes by this stable name instead of its URL.
 */
export const BUNDLED_SERVER_IDENTITY = 'bundled';

export type ServerChoice = { kind: 'remote'; serverUrl: string } | { kind: 'bundled' };

export function chooseServer(commandLineUrl: string | null, savedUrl: string | null, commandLineDemo = false): ServerChoice {
  if (commandLineDemo) return { kind: 'bundled' };
  const serverUrl = commandLineUrl ?? savedUrl;
  return serverUrl === null ? { kind: 'bundled' } : { kind: 'remote', serverUrl };
}
