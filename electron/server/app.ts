// The platform API server: a Fastify app over the SQLite store. Every error leaves as the JSON envelope
// {"error":{"code","message"}}; nothing internal (stack traces, SQL) ever reaches a client.
import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import { checkSigningSecrets, outboundTarget, type ServerConfig } from './config';
import { createContext, type ServerContext } from './context';
import { startGroupCommit, type GroupCommit, type SyncFile } from './db/group-commit';
import type { Db } from './db/open';
import { ApiError, storageFailure } from './errors';
import type { ApiErrorCode } from '../../shared/api/errors';
import { ROUTES } from '../../shared/api/routes';
import { registerAuditRoutes } from './audit/routes';
import { registerAuthRoutes } from './auth/routes';
import { registerCaseRoutes } from './cases/routes';
import { registerEvidenceRoutes } from './evidence/routes';
import { registerFeedRoutes } from './feed/routes';
import { payloadTooLarge, registerBodyParsers } from './http/body';
import { warnOnceOfUntrustedForwarding } from './http/forwarded-warning';
import { defineRoute } from './http/route';
import { registerKytRoutes } from './kyt/routes';
import { registerDossierRoutes } from './dossier/routes';
import { registerReportRoutes } from './reports/routes';
import { registerSupervisionRoutes } from './supervision/routes';
import { registerUserRoutes } from './users/routes';
import { registerPlatformEventRoutes } from './platform/route';
import { registerMetamapWebhook } from './webhooks/metamap';
import { registerDeliveryRoutes } from './outbound/routes';
import { startDeliveryWorker, type DeliveryWorker } from './outbound/worker';
import { startRetention, type RetentionScheduler } from './retention/scheduler';

export const API_VERSION = '1.0.0';
export const MAX_BODY_BYTES = 1024 * 1024;

function errorEnvelope(code: ApiErrorCode, message: string) {
  return { error: { code, message } };
}

/** Maps anything thrown inside a request to a status and the envelope. */
export function toErrorResponse(error: FastifyError | ApiError | Error): { status: number; body: object } {
  if (error instanceof ApiError) return { status: error.status, body: error.toBody() };
  const storage = storageFailure(error);
  if (storage) return { status: storage.status, body: storage.toBody() };
  const code = (error as FastifyError).code;
  const statusCode = (error as FastifyError).statusCode;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE') return { status: 413, body: payloadTooLarge().toBody() };
  if (statusCode === 429) {
    return { status: 429, body: errorEnvelope('rate_limited', 'Too many requests. Wait a moment and try again.') };
  }
  if (statusCode && statusCode >= 400 && statusCode < 500) {
    return { status: 400, body: errorEnvelope('invalid_request', 'The request is not valid JSON of the expected shape.') };
  }
  return { status: 500, body: errorEnvelope('internal_error', 'Something went wrong on the server.') };
}

export interface BuiltServer {
  app: FastifyInstance;
  ctx: ServerContext;
  /** Sends the queued outbound events; null when outbound is off. */
  outbound: DeliveryWorker | null;
  /** Prunes old rows on a schedule (retention/jobs.ts). */
  retention: RetentionScheduler;
}

export interface BuildOptions {
  /** How the -wal file is synced before answers leave (db/group-commit.ts); tests hold or fail it. */
  syncWal?: SyncFile;
}

/**
 * Holds every answer until what was committed before it is on disk (db/group-commit.ts). Reads wait too when
 * a write is still unsynced: a client is never shown a state that a power cut could take back. A failed sync
 * turns the answer into 503 storage_unavailable, since nothing can be confirmed any more.
 */
function answerOnlyWhatIsOnDisk(app: FastifyInstance, commits: GroupCommit): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (!commits.pending()) {
      done(null, payload);
      return;
    }
    commits.settled().then(
      () => done(null, payload),
      (error: unknown) => {
        request.log.error({ err: error }, 'the store could not be synced; answering 503');
        void reply.code(503).header('content-type', 'application/json; charset=utf-8');
        done(
          null,
          JSON.stringify(
            errorEnvelope(
              'storage_unavailable',
              "The server's storage failed; this change may not have been saved. Try again later.",
            ),
          ),
        );
      },
    );
  });
  // Added first, so it runs last (Fastify closes in reverse order): after the workers' final writes.
  app.addHook('onClose', () => commits.close());
}

export async function buildServer(db: Db, config: ServerConfig, options: BuildOptions = {}): Promise<BuiltServer> {
  // Checked before anything else: an unusable outbound URL or a missing secret stops the start with why.
  const target = outboundTarget(config);
  // A configuration built in code (the desk, tests) did not pass through parseSecretList.
  checkSigningSecrets('PLATFORM_EVENTS_SECRET', config.platformEventsSecrets);
  const commits = startGroupCommit(db, options.syncWal);
  const ctx = createContext(db, config, commits);
  const timeouts = config.httpTimeouts;
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    // request.ip is the caller behind the listed proxies only; with none listed, the socket's address.
    ...(config.trustedProxies.length > 0 ? { trustProxy: config.trustedProxies } : {}),
    connectionTimeout: timeouts.connectionMs,
    requestTimeout: timeouts.requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    // Not `headersTimeout` too: given as an option, Node 22 then no longer applies the idle timeout to a
    // socket that never sends a byte. The request timeout covers slow headers anyway.
    http: { connectionsCheckingInterval: timeouts.checkIntervalMs },
    logger:
      config.logLevel === 'silent'
        ? false
        : {
            level: config.logLevel,
            // Tokens, codes and passwords never reach the logs.
            redact: ['req.headers.authorization', 'req.headers["x-signature"]', 'req.headers["webhook-signature"]', 'req.headers["idempotency-key"]'],
          },
    // Route ids are matched case-sensitively and query strings are parsed plainly.
    routerOptions: { ignoreTrailingSlash: false },
    return503OnClosing: true,
    // The router's own errors, raised before any route runs, get the envelope too: a path parameter longer
    // than any id (say a 5,000-character evidence id) names nothing; a badly percent-encoded one is invalid.
    frameworkErrors: (error, _request, reply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void (reply as FastifyReply)
        .status(tooLong ? 404 : 400)
        .send(
          tooLong
            ? errorEnvelope('not_found', 'There is no such resource.')
            : errorEnvelope('invalid_request', 'The URL is not valid.'),
        );
    },
  });

  answerOnlyWhatIsOnDisk(app, commits);
  registerBodyParsers(app, MAX_BODY_BYTES);

  await app.register(rateLimit, { global: false });
  warnOnceOfUntrustedForwarding(app);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = toErrorResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'unhandled error');
    if (error instanceof ApiError) void reply.headers(error.headers());
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((_request, reply) =>
    reply.status(404).send(errorEnvelope('not_found', 'There is no such route.')),
  );

  defineRoute(app, ctx, ROUTES.health, () => ({ status: 'ok' as const, version: API_VERSION }));
  await registerAuthRoutes(app, ctx);
  await registerCaseRoutes(app, ctx);
  await registerKytRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerDossierRoutes(app, ctx);
  registerSupervisionRoutes(app, ctx);
  registerUserRoutes(app, ctx);
  await registerEvidenceRoutes(app, ctx);
  await registerFeedRoutes(app, ctx);
  await registerAuditRoutes(app, ctx);
  await registerMetamapWebhook(app, ctx);
  await registerPlatformEventRoutes(app, ctx);
  registerDeliveryRoutes(app, ctx, target);
  const retention = startRetention(ctx, app.log);
  app.addHook('onClose', () => retention.stop());
  const outbound = target ? startDeliveryWorker(ctx, target, { tuning: config.outboundDelivery, log: app.log }) : null;
  // Stopped before the store closes (startServer closes the database after app.close()).
  if (outbound) app.addHook('onClose', () => outbound.stop());
  return { app, ctx, outbound, retention };
}
