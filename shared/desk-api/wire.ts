// How a desk call travels when it cannot use Electron's IPC: the browser host's WebSocket between the
// renderer and the desk service. The calls themselves are the contract's (contract.ts); this file only
// says how they are framed. Both ends are typed from it, and the host validates every frame it receives.
import { z } from 'zod';
import { deskChannels, type DeskChannel, type DeskEvent, type DeskEvents } from './contract';
import type { DeskResult } from './schemas';

/** The WebSocket subprotocol of the bridge; the host answers with it, and only with it. */
export const BRIDGE_SUBPROTOCOL = 'dispute-desk.v1';

/**
 * The page proves it holds the launch secret by offering it as a second subprotocol, because a browser
 * cannot set headers on a WebSocket. The host never echoes it back.
 */
export const SECRET_SUBPROTOCOL_PREFIX = 'dispute-desk.k.';

/** The path of the bridge's WebSocket on the host. */
export const BRIDGE_PATH = '/desk';

/** True for a channel the contract declares (an own key: `__proto__` or `toString` are not channels). */
export function isDeskChannel(name: unknown): name is DeskChannel {
  return typeof name === 'string' && Object.hasOwn(deskChannels, name);
}

/** Renderer → host: one call. `input` is validated by the desk service against the channel's schema. */
export const invokeFrame = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().min(1).max(64),
  input: z.unknown().optional(),
});
export type InvokeFrame = z.infer<typeof invokeFrame>;

/** Host → renderer: the answer to call `id`, or an event the desk emitted. */
export type HostFrame =
  | { type: 'result'; id: number; result: DeskResult<unknown> }
  | { [E in DeskEvent]: { type: 'event'; event: E; payload: DeskEvents[E] } }[DeskEvent];
