// A Lambda function as a user deploys it: the wrapper is created at module scope (init phase),
// the policy file comes from CERTBOUND_POLICY_FILE, and the engine is reused while warm.
import { withCertbound } from '../../../src/index.ts';

export const handler = withCertbound(
  async (_event, context, decision) => ({
    statusCode: 200,
    body: JSON.stringify({ subject: decision.subject, requestId: context.awsRequestId }),
  }),
  { certificateSource: process.env.CERTBOUND_CERTIFICATE_SOURCE ?? 'alb-verify' },
);
