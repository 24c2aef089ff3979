// GET /v1/events: a Server-Sent Events stream that only pokes. Each committed change sends
// `event: change` with the newest feed cursor; the data itself always travels through /v1/sync, where
// paging, retention and authorisation live in one place.
//
// Streams are capped (issue #11): an open stream holds a socket, a timer and a listener for as long as the
// client likes, so one token could otherwise exhaust the server. Per token, the newest streams win: a
// fourth stream of a token ends its oldest (a desk whose old connection died without a FIN reconnects at
// once instead of waiting for TCP to notice; a desk keeps one stream). Per user likewise, across all their
// sessions: otherwise one user signing in again and again could hold every stream the server allows. In
// total, a stream beyond the cap is refused `429 rate_limited`: ending someone else's stream would let one
// user push the others out.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { EventStreamLimits } from '../config';
import type { ServerContext } from '../context';
import { ApiError } from '../errors';
import { defineRoute } from '../http/route';
import { bearerToken, hashToken, sessionStillLive } from '../http/session';

export const changeEvent = (cursor: number) => `event: change\ndata: {"cursor":${cursor}}\n\n`;
export const HEARTBEAT = ': heartbeat\n\n';

interface OpenStream {
  response: ServerResponse;
  userId: string;
  tokenHash: string;
}

/** The open streams of one server, oldest first. */
class StreamRegistry {
  private readonly streams = new Set<OpenStream>();

  get size(): number {
    return this.streams.size;
  }

  add(stream: OpenStream): void {
    this.streams.add(stream);
  }

  remove(stream: OpenStream): void {
    this.streams.delete(stream);
  }

  /** The streams that match, oldest first. */
  matching(match: (stream: OpenStream) => boolean): OpenStream[] {
    return [...this.streams].filter(match);
  }

  /** Ends the streams that match; their 'close' handlers then let go of their timers and listeners. */
  end(match: (stream: OpenStream) => boolean): number {
    const ending = [...this.streams].filter(match);
    for (const stream of ending) {
      this.streams.delete(stream);
      stream.response.end();
    }
    return ending.length;
  }
}

const registries = new WeakMap<ServerContext, StreamRegistry>();

function registryOf(ctx: ServerContext): StreamRegistry {
  let registry = registries.get(ctx);
  if (!registry) {
    registry = new StreamRegistry();
    registries.set(ctx, registry);
  }
  return registry;
}

/** Ends every event stream of a user at once (a disabled account); returns how many. */
export const closeStreamsOf = (ctx: ServerContext, userId: string): number =>
  registryOf(ctx).end((stream) => stream.userId === userId);

/** Ends the event streams opened with one token (a session that ended); returns how many. */
export const closeStreamsOfToken = (ctx: ServerContext, token: string): number => {
  const tokenHash = hashToken(token);
  return registryOf(ctx).end((stream) => stream.tokenHash === tokenHash);
};

/** How many event streams are open. */
export const openStreamCount = (ctx: ServerContext): number => registryOf(ctx).size;

/** The oldest of `streams` (oldest first) to end so that one more fits under `cap`. */
const overCap = (streams: OpenStream[], cap: number) =>
  streams.length >= cap ? streams.slice(0, streams.length - cap + 1) : [];

/**
 * The streams a new one of this token and user ends: the token's oldest past its cap, then the user's
 * oldest among those left past theirs.
 */
function streamsToMakeRoom(
  registry: StreamRegistry,
  opening: Pick<OpenStream, 'userId' | 'tokenHash'>,
  limits: EventStreamLimits,
): OpenStream[] {
  const ofToken = overCap(registry.matching((stream) => stream.tokenHash === opening.tokenHash), limits.perToken);
  const ofUser = overCap(
    registry.matching((stream) => stream.userId === opening.userId && !ofToken.includes(stream)),
    limits.perUser,
  );
  return [...ofToken, ...ofUser];
}

const tooManyStreams = () =>
  new ApiError(429, 'rate_limited', 'The server has as many live update streams open as it allows. Try again shortly.');

export function registerEventStream(app: FastifyInstance, ctx: ServerContext): void {
  const registry = registryOf(ctx);
  const { total } = ctx.config.eventStreamLimits;

  // An open stream never goes idle, so the server could not close while one is connected: end them first.
  app.addHook('preClose', async () => {
    registry.end(() => true);
  });
  // A disabled account (or a 2FA reset) ends its streams now: its sessions are revoked already.
  const onSessionsEnded = (userId: string) => closeStreamsOf(ctx, userId);
  ctx.sessionsEnded.on('ended', onSessionsEnded);
  app.addHook('onClose', async () => {
    ctx.sessionsEnded.off('ended', onSessionsEnded);
  });

  defineRoute(app, ctx, ROUTES.events, ({ user, request, reply }) => {
    const token = bearerToken(request)!;
    const tokenHash = hashToken(token);
    const evicted = streamsToMakeRoom(registry, { userId: user.id, tokenHash }, ctx.config.eventStreamLimits);
    if (registry.size - evicted.length >= total) throw tooManyStreams();
    registry.end((stream) => evicted.includes(stream));

    reply.hijack();
    const response = reply.raw;
    // The connection timeout closes sockets that say nothing; this one is quiet between heartbeats by design.
    request.raw.socket.setTimeout(0);
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream and deliver pokes late.
      'X-Accel-Buffering': 'no',
    });
    // A first comment sends the headers at once, so the client knows the stream is open.
    response.write(': connected\n\n');

    const onChange = (cursor: number) => response.write(changeEvent(cursor));
    // An open stream is not activity: it does not slide the session's idle timeout, and each heartbeat
    // first checks that the session still works, ending the stream of one that went idle or was ended.
    const beat = () => {
      if (sessionStillLive(ctx, token)) response.write(HEARTBEAT);
      else response.end();
    };
    const heartbeat = setInterval(beat, ctx.config.eventsHeartbeatMs);
    heartbeat.unref();
    ctx.changes.on('change', onChange);
    const stream: OpenStream = { response, userId: user.id, tokenHash };
    registry.add(stream);
    response.on('close', () => {
      clearInterval(heartbeat);
      ctx.changes.off('change', onChange);
      registry.remove(stream);
    });
    return reply;
  });
}
