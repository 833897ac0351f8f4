import type { Decision } from '@certbound/core';
import type { PeerSocket } from './certificate-from-socket.js';
import { decisionInput, type NodeRequestLike } from './decision-input.js';
import { type CertboundOptions, type ResolvedOptions, resolveOptions } from './options.js';
import type { DenyResponse } from './respond.js';

/** A decision that allowed the request: what route handlers receive. */
export type AllowedDecision = Decision & { readonly allow: true };

/** A Node request as every framework exposes it underneath: node:http or the node:http2 compatibility API. */
export interface NodeRequest extends NodeRequestLike {
  readonly socket: unknown;
}

/**
 * The translation every entry point shares: Node request → one `engine.decide` → decision, plus
 * the deny response. Framework entry points only attach the allowed decision and send the deny.
 */
export class CertboundAuthorizer {
  readonly #options: ResolvedOptions;

  constructor(options: CertboundOptions) {
    this.#options = resolveOptions(options);
  }

  /** Whether the request is in the guarded scope (`protect`). */
  guards(method: string | undefined, url: string): boolean {
    return this.#options.isProtected(method ?? 'GET', url);
  }

  /** The engine's decision for a request; `url` is the full original target (e.g. Express `originalUrl`). */
  async authorize(request: NodeRequest, url: string = request.url ?? '/'): Promise<Decision> {
    return this.decideNow(request, url);
  }

  /**
   * The same decision, synchronously when the engine can give it at once (`Engine.decideNow`: a
   * token from the verified-token cache), so the response can be written in the socket's own
   * callback — a scheduling round less per request on keep-alive connections.
   */
  decideNow(request: NodeRequest, url: string = request.url ?? '/'): Decision | Promise<Decision> {
    const options = this.#options;
    const socket = connectionSocket(request);
    const certificate = options.certificateSource(socket, request);
    const decision = options.engine.decideNow(decisionInput(request, url, certificate, options.explain));
    if (options.onDecision === undefined) return decision;
    const audited = (settled: Decision): Decision => {
      try {
        options.onDecision?.(settled, {
          method: request.method ?? 'GET',
          url,
          remoteAddress: socket?.remoteAddress,
        });
      } catch {
        // Auditing never changes the decision (see CertboundOptions.onDecision).
      }
      return settled;
    };
    return decision instanceof Promise ? decision.then(audited) : audited(decision);
  }

  /** The response a deny decision becomes (the custom `denyResponse` hook, if any, applied). */
  denyResponse(decision: Decision): DenyResponse {
    return this.#options.denyResponse(decision);
  }
}

/**
 * The connection's socket. Under node:http2's compatibility API `request.socket` is a new proxy
 * per stream; the session's is one per connection, so per-connection work (reading and hashing
 * the client certificate) is done once per connection there too.
 */
function connectionSocket(request: NodeRequest): PeerSocket | null | undefined {
  const session = (request as { readonly stream?: { readonly session?: { readonly socket?: unknown } } })
    .stream?.session;
  return (session?.socket ?? request.socket) as PeerSocket | null | undefined;
}

export function isAllowed(decision: Decision): decision is AllowedDecision {
  return decision.allow === true;
}
