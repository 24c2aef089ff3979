// The bundled platform server as an Electron utility process. Electron documents utility processes as
// the replacement for a Node child of the Electron binary (ELECTRON_RUN_AS_NODE): with them the packaged
// app ships with the runAsNode fuse off (electron-builder.yml), so that nobody can run the app's binary as
// a plain Node interpreter with the app's signature. The readiness, timeout and stop logic is the one the
// browser host's Node child uses (electron/launch/bundled-server.ts); this is only the adapter, written
// against the one `fork` function it needs so that it is unit tested with a fake
// (tests/unit/electron-server-process.test.ts). services.ts passes Electron's utilityProcess.fork.
import type { ServerLauncher, ServerProcess } from '../launch/bundled-server';

/** The part of an Electron UtilityProcess this adapter uses. */
export interface UtilityChild {
  readonly pid: number | undefined;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type UtilityFork = (
  modulePath: string,
  args: string[],
  options: { serviceName: string; stdio: 'pipe'; env: NodeJS.ProcessEnv },
) => UtilityChild;

export const SERVER_SERVICE_NAME = 'Dispute Desk platform server';

export function utilityProcessLauncher(fork: UtilityFork): ServerLauncher {
  return (launch): ServerProcess => {
    // A utility process runs JavaScript only: the packaged app has the built entry, never tsx and TypeScript.
    if (launch.entry.kind !== 'built') {
      throw new Error('The Electron shell starts the built server entry (out/main/server.js), not its TypeScript source');
    }
    const child = fork(launch.entry.scriptPath, launch.args, {
      serviceName: SERVER_SERVICE_NAME,
      stdio: 'pipe',
      env: launch.env,
    });
    if (!child.stdout || !child.stderr) throw new Error('The bundled server was started without its output pipes');
    let exitedWith: string | null = null;
    const exitListeners: Array<(how: string) => void> = [];
    child.once('exit', (code) => {
      exitedWith = `exit code ${code}`;
      for (const listener of exitListeners.splice(0)) listener(exitedWith);
    });
    const pid = child.pid;
    return {
      pid,
      stdout: child.stdout,
      stderr: child.stderr,
      onExit: (listener) => {
        if (exitedWith !== null) listener(exitedWith);
        else exitListeners.push(listener);
      },
      // A utility process that cannot start, or dies of a fatal V8 error, always ends in 'exit' too.
      onError: () => undefined,
      terminate: () => void child.kill(),
      // utilityProcess.kill() is SIGTERM only: a server that does not stop in time is killed by its pid.
      kill: () => {
        if (exitedWith !== null || pid === undefined) return;
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Already gone between the check and the signal.
        }
      },
    };
  };
}
