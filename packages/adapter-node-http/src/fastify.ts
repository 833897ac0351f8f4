import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { type AllowedDecision, CertboundAuthorizer, isAllowed } from './certbound-authorizer.js';
import type { CertboundOptions } from './options.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The allow decision of the certbound plugin; null on routes it does not guard. */
    certbound: AllowedDecision | null;
  }
  interface FastifyContextConfig {
    /** `false` leaves this route unguarded, whatever `protect` says. */
    certbound?: boolean;
  }
}

const certboundPlugin: FastifyPluginAsync<CertboundOptions> = async (fastify, options) => {
  const authorizer = new CertboundAuthorizer(options);
  fastify.decorateRequest('certbound', null);
  // onRequest: the earliest hook, so a denied request's body is never read or parsed.
  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.certbound === false) return;
    const url = request.raw.url ?? request.url;
    if (!authorizer.guards(request.method, url)) return;
    const decision = await authorizer.authorize(request.raw, url);
    if (isAllowed(decision)) {
      request.certbound = decision;
      return;
    }
    const response = authorizer.denyResponse(decision);
    return reply.code(response.status).headers(response.headers).send(response.body);
  });
};

/**
 * Fastify 5 plugin: `await app.register(fastifyCertbound, options)`. Not encapsulated, so it
 * guards the routes of the instance it is registered on and its children; allows set
 * `request.certbound`. A route opts out with `config: { certbound: false }`.
 */
export const fastifyCertbound = fastifyPlugin(certboundPlugin, {
  fastify: '5.x',
  name: '@certbound/adapter-node-http',
});
