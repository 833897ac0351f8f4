import type { DecisionInput } from '@certbound/core';
import { type AlbHeaderNames, albDecisionInput } from './alb-event.js';
import { apiGatewayV1DecisionInput } from './api-gateway-v1-event.js';
import { apiGatewayV2DecisionInput } from './api-gateway-v2-event.js';
import { isRecord } from './event-headers.js';

/**
 * Where the client certificate comes from, set in configuration to match the deployment. It is
 * never guessed from the request: a client can send any header, including ALB's.
 * - `alb-verify`: ALB listener mTLS verify mode (ALB validated the chain).
 * - `alb-passthrough`: ALB listener mTLS passthrough (the engine verifies the chain).
 * - `api-gateway`: REST API (payload 1.0) or HTTP API (payload 2.0) on an mTLS custom domain.
 */
export type CertificateSource = 'alb-verify' | 'alb-passthrough' | 'api-gateway';

/** The platform shape of the event, which fixes the response shape. */
export type EventShape = 'alb' | 'api-gateway-v1' | 'api-gateway-v2';

export interface TranslatedEvent {
  readonly input: DecisionInput;
  readonly shape: EventShape;
  /** The event used `multiValueHeaders`; ALB then requires them in the response too. */
  readonly multiValueHeaders: boolean;
}

export interface EventSourceConfig {
  readonly source: CertificateSource;
  readonly albHeaderNames: AlbHeaderNames;
}

/** The one place that reads an event's shape and picks its translator. Never throws. */
export function translateEvent(event: unknown, config: EventSourceConfig): TranslatedEvent {
  const record = isRecord(event) ? event : {};
  if (config.source === 'api-gateway') {
    // `version` is set by API Gateway itself (payload format), not by the client.
    if (record.version === '2.0') {
      const { input } = apiGatewayV2DecisionInput(record);
      return { input, shape: 'api-gateway-v2', multiValueHeaders: false };
    }
    const { input, headers } = apiGatewayV1DecisionInput(record);
    return { input, shape: 'api-gateway-v1', multiValueHeaders: headers.multiValue };
  }
  const { input, headers } = albDecisionInput(record, config.source, config.albHeaderNames);
  const requestContext = isRecord(record.requestContext) ? record.requestContext : undefined;
  if (requestContext === undefined || !isRecord(requestContext.elb)) {
    // Without requestContext.elb the event did not come from an ALB target group, so the
    // certificate headers are whatever the caller wrote: ignore them.
    return {
      input: {
        ...input,
        certificate: {
          problem: {
            code: 'certificate_source_untrusted',
            message:
              'the event has no requestContext.elb: certificate headers of a non-ALB event are ignored',
          },
          source: config.source,
        },
      },
      shape: 'alb',
      multiValueHeaders: headers.multiValue,
    };
  }
  return { input, shape: 'alb', multiValueHeaders: headers.multiValue };
}
