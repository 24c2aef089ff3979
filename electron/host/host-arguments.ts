// The browser host's command line: `--port P --data DIR [--server URL | --demo] [--simulate] [--retention-days N]`.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RETENTION_DAYS } from '../../shared/desk-api/schemas';
import { checkServerUrl } from '../../shared/desk-api/server-url';

export interface HostArguments {
  port: number;
  dataDir: string;
  serverUrl: string | null;
  /**
   * --demo: the bundled server with the demo data, chosen here rather than on the first-run screen (which
   * a host started without --server or --demo shows until someone chooses).
   */
  demo: boolean;
  /** Run the market simulator against the bundled server (a demo where disputes arrive live). */
  simulate: boolean;
  /** Resolved cases leave the desk's cache this many days after their verdict (null: the desk's default, 30). */
  retentionDays: number | null;
}

/** The same range as the desk's setting (shared/desk-api/schemas.ts). */
export const MAX_RETENTION_DAYS = RETENTION_DAYS.max;

export class UsageError extends Error {
  readonly code = 'usage';
}

/** Parses the command line; pure, so that every refusal is unit tested. */
export function parseHostArguments(args: string[]): HostArguments {
  let values: { port?: string; data?: string; server?: string; demo?: boolean; simulate?: boolean; 'retention-days'?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        server: { type: 'string' },
        demo: { type: 'boolean' },
        simulate: { type: 'boolean' },
        'retention-days': { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const port = values.port ?? '0';
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65_535)
    throw new UsageError(`--port takes a port number (0 picks a free one), got "${port}"`);
  let serverUrl: string | null = null;
  if (values.server !== undefined) {
    // The one rule the Electron shell's confirmation applies too: the password goes to this address.
    const checked = checkServerUrl(values.server);
    if (!checked.ok) throw new UsageError(`--server takes the platform server's https address: ${checked.reason}`);
    serverUrl = checked.url;
  }
  const demo = values.demo ?? false;
  if (demo && serverUrl !== null) throw new UsageError('--demo is the bundled demo server and --server another one: give one of them');
  const simulate = values.simulate ?? false;
  if (simulate && serverUrl !== null) {
    throw new UsageError('--simulate plays the market against the bundled server: leave out --server');
  }
  return {
    port: Number(port),
    dataDir: resolve(values.data ?? '.data/browser'),
    serverUrl,
    demo,
    simulate,
    retentionDays: retentionDaysOf(values['retention-days']),
  };
}

function retentionDaysOf(value: string | undefined): number | null {
  if (value === undefined) return null;
  // 0 would delete a case the moment it resolves, before the agent has read the outcome.
  if (!/^\d{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_RETENTION_DAYS)
    throw new UsageError(`--retention-days takes a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got "${value}"`);
  return Number(value);
}
