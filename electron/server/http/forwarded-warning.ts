// A request that names its caller in X-Forwarded-For, from a peer whose word is not taken (none listed in
// DISPUTE_DESK_TRUSTED_PROXIES, or not this one), most likely comes through a reverse proxy the server was
// not told about. Then request.ip is the proxy's address for everyone: the per-address sign-in limits and
// the hashing gate's fair shares count all callers as one, and one stranger's attempts refuse everyone.
// The server cannot tell that proxy from a caller lying in the header, so it does not guess; it says so in
// the log, once (not per request, which would flood the log it warns in).
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from 'fastify';

/** Whether the request's X-Forwarded-For was ignored: present, and request.ip is still the socket's peer. */
function forwardedForIgnored(request: FastifyRequest): boolean {
  if (request.headers['x-forwarded-for'] === undefined) return false;
  // With trustProxy set, request.ips lists the peer and every address it and the next trusted hops vouch
  // for; only the peer means its header was not believed. Without trustProxy it is not set at all.
  return (request.ips?.length ?? 1) <= 1;
}

export function warnOnceOfUntrustedForwarding(app: FastifyInstance, log: FastifyBaseLogger = app.log): void {
  let warned = false;
  app.addHook('onRequest', async (request) => {
    if (warned || !forwardedForIgnored(request)) return;
    warned = true;
    log.warn(
      { peer: request.socket.remoteAddress },
      'A request came with X-Forwarded-For from a peer not listed in DISPUTE_DESK_TRUSTED_PROXIES, so the ' +
        "header is ignored. If the server runs behind a reverse proxy, sign-in throttling and the hashing gate's " +
        "fair shares count the proxy's address for everyone, and one caller's attempts can refuse all: set " +
        'DISPUTE_DESK_TRUSTED_PROXIES to the proxy address or range (such as 10.0.0.5 or 10.0.0.0/8). Said once.',
    );
  });
}
