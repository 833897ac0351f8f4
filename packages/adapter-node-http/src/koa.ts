import type { Middleware } from 'koa';
import { type AllowedDecision, CertboundAuthorizer, isAllowed } from './certbound-authorizer.js';
import type { CertboundOptions } from './options.js';

/** Koa state after certbound's middleware allowed a request. */
export interface CertboundState {
  certbound?: AllowedDecision;
}

/**
 * Koa 2/3 middleware: `app.use(certboundKoa(options))`. Denies are answered here and never reach
 * downstream middleware; allows set `ctx.state.certbound`.
 */
export function certboundKoa(options: CertboundOptions): Middleware<CertboundState> {
  const authorizer = new CertboundAuthorizer(options);
  return async (ctx, next) => {
    const url = ctx.originalUrl;
    if (!authorizer.guards(ctx.method, url)) return next();
    const decision = await authorizer.authorize(ctx.req, url);
    if (isAllowed(decision)) {
      ctx.state.certbound = decision;
      return next();
    }
    const response = authorizer.denyResponse(decision);
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = response.body;
  };
}
