import type { Decision } from '@certbound/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type AllowedDecision, CertboundAuthorizer, isAllowed } from './certbound-authorizer.js';
import type { CertboundOptions } from './options.js';
import { writeDenyResponse } from './respond.js';

declare global {
  namespace Express {
    interface Request {
      /** The allow decision of certbound's middleware (subject, scopes, claims, certificate). */
      certbound?: AllowedDecision;
    }
    interface Locals {
      certbound?: AllowedDecision;
    }
  }
}

/**
 * Express 4/5 middleware: `app.use(certboundExpress(options))` or on a router or route. Denies are
 * answered here and never reach the route; allows set `req.certbound` and `res.locals.certbound`.
 */
export function certboundExpress(options: CertboundOptions): RequestHandler {
  const authorizer = new CertboundAuthorizer(options);
  return (req: Request, res: Response, next: NextFunction) => {
    // originalUrl: the target as received, whatever router this middleware is mounted on.
    const url = req.originalUrl ?? req.url;
    if (!authorizer.guards(req.method, url)) {
      next();
      return;
    }
    const settle = (decision: Decision) => {
      if (isAllowed(decision)) {
        req.certbound = decision;
        res.locals.certbound = decision;
        next();
        return;
      }
      writeDenyResponse(res, authorizer.denyResponse(decision));
    };
    const decision = authorizer.decideNow(req, url);
    if (decision instanceof Promise) decision.then(settle, next);
    else settle(decision);
  };
}
