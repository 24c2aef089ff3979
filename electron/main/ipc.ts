import { app, ipcMain } from 'electron';
import { DeskChannel } from '../preload/channels';
import { isTrustedSender } from './security';

export class UntrustedSenderError extends Error {
  readonly code = 'untrusted_sender';

  constructor(channel: string, frameUrl: string | undefined) {
    super(`Refused ${channel} from a frame outside the app: ${frameUrl ?? 'unknown frame'}`);
    this.name = 'UntrustedSenderError';
  }
}

/** ipcMain.handle throws when a channel is registered twice, which keeps one handler per channel. */
export function registerIpcHandlers(appOrigin: string): void {
  ipcMain.handle(DeskChannel.appVersion, (event) => {
    const frameUrl = event.senderFrame?.url;
    if (!isTrustedSender(frameUrl, appOrigin)) {
      throw new UntrustedSenderError(DeskChannel.appVersion, frameUrl);
    }
    return app.getVersion();
  });
}
