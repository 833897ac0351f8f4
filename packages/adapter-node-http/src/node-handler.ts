import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Decision } from '@certbound/core';
import {
  type AllowedDecision,
  CertboundAuthorizer,
  isAllowed,
  type NodeRequest,
} from './certbound-authorizer.js';
import type { CertboundOptions } from './options.js';
import { type NodeResponse, writeDenyResponse } from './respond.js';

/** The handler that runs after an allow (or for an unguarded request, with `undefined`). */
export type NextHandler<Req, Res> = (
  request: Req,
  response: Res,
  decision: AllowedDecision | undefined,
) => void | Promise<void>;

/**
 * A request listener for `https.createServer`, `http2.createSecureServer` (also with `allowHTTP1`)
 * and `http.createServer` behind a trusted proxy: guarded requests are decided, denies answered
 * here, and allowed requests passed to `next` with their decision. Throws TypeError at setup for
 * bad options. For node:http2 give the types: `certboundHandler<Http2ServerRequest, Http2ServerResponse>`.
 */
export function certboundHandler<
  Req extends NodeRequest = IncomingMessage,
  Res extends NodeResponse = ServerResponse,
>(options: CertboundOptions, next: NextHandler<Req, Res>): (request: Req, response: Res) => void {
  const authorizer = new CertboundAuthorizer(options);
  return (request, response) => {
    const url = request.url ?? '/';
    if (!authorizer.guards(request.method, url)) {
      void next(request, response, undefined);
      return;
    }
    const settle = (decision: Decision) => {
      if (isAllowed(decision)) return next(request, response, decision);
      writeDenyResponse(response, authorizer.denyResponse(decision));
    };
    const decision = authorizer.decideNow(request, url);
    if (decision instanceof Promise) decision.then(settle);
    else void settle(decision);
  };
}
