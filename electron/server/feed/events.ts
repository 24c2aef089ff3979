// GET /v1/events: a Server-Sent Events stream that only pokes. Each committed change sends
// `event: change` with the newest feed cursor; the data itself always travels through /v1/sync, where
// paging, retention and authorisation live in one place.
import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { ROUTES } from '../../../shared/api/routes';
import type { ServerContext } from '../context';
import { defineRoute } from '../http/route';
import { bearerToken, sessionStillLive } from '../http/session';

export const changeEvent = (cursor: number) => `event: change\ndata: {"cursor":${cursor}}\n\n`;
export const HEARTBEAT = ': heartbeat\n\n';

export function registerEventStream(app: FastifyInstance, ctx: ServerContext): void {
  const streams = new Set<ServerResponse>();

  // An open stream never goes idle, so the server could not close while one is connected: end them first.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  defineRoute(app, ctx, ROUTES.events, ({ user, reply, request }) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      // Reverse proxies (nginx) would otherwise buffer the stream and deliver pokes late.
      'X-Accel-Buffering': 'no',
    });
    // A first comment sends the headers at once, so the client knows the stream is open.
    stream.write(': connected\n\n');

    const onChange = (cursor: number) => stream.write(changeEvent(cursor));
    // An open stream is not activity: it does not slide the session's idle timeout, and each heartbeat
    // first checks that the session still works, ending the stream of one that went idle or was ended.
    const token = bearerToken(request)!;
    const beat = () => {
      if (sessionStillLive(ctx, token)) stream.write(HEARTBEAT);
      else stream.end();
    };
    const heartbeat = setInterval(beat, ctx.config.eventsHeartbeatMs);
    heartbeat.unref();
    // A disabled account (or a 2FA reset) ends the stream now: its sessions are revoked already.
    const onSessionsEnded = (userId: string) => {
      if (userId === user.id) stream.end();
    };
    ctx.changes.on('change', onChange);
    ctx.sessionsEnded.on('ended', onSessionsEnded);
    streams.add(stream);
    stream.on('close', () => {
      clearInterval(heartbeat);
      ctx.changes.off('change', onChange);
      ctx.sessionsEnded.off('ended', onSessionsEnded);
      streams.delete(stream);
    });
    return reply;
  });
}
