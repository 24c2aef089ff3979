// The host's end of window.desk: each WebSocket frame from a page is one desk call, answered under its id;
// every desk event goes to every connected page.
import type { RawData, WebSocket } from 'ws';
import { DESK_EVENTS, type DeskEvent, type DeskEvents } from '../../shared/desk-api/contract';
import type { DeskResult } from '../../shared/desk-api/schemas';
import { invokeFrame, isDeskChannel, type HostFrame, type InvokeFrame } from '../../shared/desk-api/wire';
import type { DeskPort } from './desk-port';

/** WebSocket close code 1008: the peer broke the protocol. */
const POLICY_VIOLATION = 1008;

export function parseInvokeFrame(data: RawData, isBinary: boolean): InvokeFrame | null {
  if (isBinary) return null;
  try {
    const parsed = invokeFrame.safeParse(JSON.parse(data.toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Answers one call; the desk validates the input, and a desk that throws still gets an answer back. */
export async function answerCall(desk: DeskPort, frame: InvokeFrame): Promise<DeskResult<unknown>> {
  if (!isDeskChannel(frame.channel)) {
    return {
      ok: false,
      error: { code: 'unknown_channel', message: `The desk has no call named "${frame.channel}".` },
    };
  }
  try {
    return await desk.handle(frame.channel, frame.input);
  } catch (error) {
    return {
      ok: false,
      error: {
        code: 'internal_error',
        message: `The desk could not answer ${frame.channel}: ${error instanceof Error ? error.message : String(error)}`,
      },
    };
  }
}

export class BridgeHub {
  private readonly sockets = new Set<WebSocket>();
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly desk: DeskPort) {
    this.unsubscribe = DESK_EVENTS.map((event) =>
      desk.on(event, (payload) => this.broadcast(event, payload)),
    );
  }

  attach(socket: WebSocket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('message', (data, isBinary) => {
      const frame = parseInvokeFrame(data, isBinary);
      if (frame === null) {
        // Only a broken or hostile page sends this: without an id there is nobody to answer.
        socket.close(POLICY_VIOLATION, 'Malformed frame');
        return;
      }
      void answerCall(this.desk, frame).then((result) =>
        send(socket, { type: 'result', id: frame.id, result }),
      );
    });
  }

  close(): void {
    for (const stop of this.unsubscribe) stop();
    for (const socket of this.sockets) socket.close(1001, 'The host is shutting down');
    this.sockets.clear();
  }

  private broadcast<E extends DeskEvent>(event: E, payload: DeskEvents[E]): void {
    const frame = { type: 'event', event, payload } as HostFrame;
    for (const socket of this.sockets) send(socket, frame);
  }
}

function send(socket: WebSocket, frame: HostFrame): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
}
