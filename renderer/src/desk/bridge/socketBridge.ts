// window.desk over the browser host's WebSocket: each call is a frame with an id, answered under that id;
// events are pushed. Typed from the same contract as the Electron preload (shared/desk-api/contract.ts).
import type { DeskBridge, DeskChannel, DeskEvent } from '../../../../shared/desk-api/contract';
import type { DeskResult } from '../../../../shared/desk-api/schemas';
import {
  BRIDGE_SUBPROTOCOL,
  SECRET_SUBPROTOCOL_PREFIX,
  type HostFrame,
  type InvokeFrame,
} from '../../../../shared/desk-api/wire';

export type SocketFactory = (url: string, protocols: string[]) => WebSocket;

export interface SocketBridgeOptions {
  /** ws://127.0.0.1:P/desk */
  url: string;
  secret: string;
  createSocket?: SocketFactory;
  /** Wait before reconnecting after the n-th failure in a row. */
  reconnectDelayMs?: (failures: number) => number;
}

type Listener = (payload: unknown) => void;

const connectionLost: DeskResult<never> = {
  ok: false,
  error: { code: 'bridge_closed', message: 'The connection to the desk was lost. Try again in a moment.' },
};

const defaultDelay = (failures: number): number => Math.min(30_000, 250 * 2 ** failures);

export function createSocketBridge(options: SocketBridgeOptions): DeskBridge {
  const createSocket = options.createSocket ?? ((url, protocols) => new WebSocket(url, protocols));
  const delay = options.reconnectDelayMs ?? defaultDelay;
  const pending = new Map<number, (result: DeskResult<unknown>) => void>();
  const listeners = new Map<DeskEvent, Set<Listener>>();
  let nextId = 1;
  let failures = 0;
  let connection: Promise<WebSocket> | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  function connect(): Promise<WebSocket> {
    if (connection) return connection;
    connection = new Promise<WebSocket>((resolve, reject) => {
      const socket = createSocket(options.url, [
        BRIDGE_SUBPROTOCOL,
        `${SECRET_SUBPROTOCOL_PREFIX}${options.secret}`,
      ]);
      socket.onopen = () => {
        failures = 0;
        resolve(socket);
      };
      socket.onmessage = (message) => receive(message.data);
      // A failed socket always closes too; onclose does the work, for failures before and after opening.
      socket.onerror = () => undefined;
      socket.onclose = () => {
        connection = null;
        failures += 1;
        reject(new Error('closed'));
        for (const answer of pending.values()) answer(connectionLost);
        pending.clear();
        // Events only arrive on an open socket, so a page that listens gets one back on its own.
        if (listeners.size > 0) scheduleReconnect();
      };
    });
    // A failed attempt is answered through the calls waiting on it; nobody else needs the rejection.
    connection.catch(() => undefined);
    return connection;
  }

  function scheduleReconnect(): void {
    if (reconnectTimer !== null) return;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      void connect().catch(() => undefined);
    }, delay(failures));
  }

  function receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let frame: HostFrame;
    try {
      frame = JSON.parse(data) as HostFrame;
    } catch {
      return;
    }
    if (frame.type === 'result') {
      pending.get(frame.id)?.(frame.result);
      pending.delete(frame.id);
    } else if (frame.type === 'event') {
      for (const listener of listeners.get(frame.event) ?? []) {
        try {
          listener(frame.payload);
        } catch (error) {
          console.error(`A listener of the desk event ${frame.event} failed:`, error);
        }
      }
    }
  }

  async function call(channel: DeskChannel, input: unknown): Promise<DeskResult<unknown>> {
    let socket: WebSocket;
    try {
      socket = await connect();
    } catch {
      return connectionLost;
    }
    const id = nextId++;
    const frame: InvokeFrame = { type: 'invoke', id, channel, input };
    return new Promise((resolve) => {
      pending.set(id, resolve);
      socket.send(JSON.stringify(frame));
    });
  }

  function on(event: DeskEvent, listener: Listener): () => void {
    const forEvent = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, forEvent);
    forEvent.add(listener);
    void connect().catch(() => undefined);
    return () => {
      forEvent.delete(listener);
      if (forEvent.size === 0) listeners.delete(event);
    };
  }

  return {
    invoke: ((channel: DeskChannel, input?: unknown) => call(channel, input)) as DeskBridge['invoke'],
    on: on as DeskBridge['on'],
  };
}
