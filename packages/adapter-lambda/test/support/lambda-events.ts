// Events in the shapes AWS documents for Lambda targets of an ALB and for API Gateway proxy
// integrations and authorizers (payload 1.0 and 2.0), with the fields a real event carries.
import type { Context } from 'aws-lambda';

/** ALB's URL encoding of the certificate headers: `+`, `/` and `=` stay literal. */
export function albEncode(pem: string): string {
  return encodeURIComponent(pem).replace(/%2B/g, '+').replace(/%2F/g, '/').replace(/%3D/g, '=');
}

export interface RequestParts {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
}

export function albEvent(parts: RequestParts = {}): Record<string, unknown> {
  return {
    requestContext: {
      elb: {
        targetGroupArn:
          'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/lambda-279XGJDqGZ5rsrHC2Fjr/49e9d65c45c6791a',
      },
    },
    httpMethod: parts.method ?? 'GET',
    path: parts.path ?? '/orders',
    queryStringParameters: { query: '1234ABCD' },
    headers: {
      accept: 'application/json',
      host: 'lambda-alb-123578498.us-east-1.elb.amazonaws.com',
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-5c536348-3d683b8b04734faae651f476',
      'x-forwarded-for': '72.12.164.125',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...parts.headers,
    },
    body: '',
    isBase64Encoded: false,
  };
}

/** The same request with `lambda.multi_value_headers.enabled` on the target group. */
export function albMultiValueEvent(
  parts: Omit<RequestParts, 'headers'> & { headers?: Record<string, string[]> } = {},
): Record<string, unknown> {
  const { headers: _single, ...event } = albEvent({ ...parts, headers: {} });
  const base = albEvent().headers as Record<string, string>;
  return {
    ...event,
    multiValueQueryStringParameters: { query: ['1234ABCD'] },
    multiValueHeaders: {
      ...Object.fromEntries(Object.entries(base).map(([k, v]) => [k, [v]])),
      ...parts.headers,
    },
  };
}

function clientCert(pem: string): Record<string, unknown> {
  return {
    clientCertPem: pem,
    subjectDN: 'CN=client-a',
    issuerDN: 'CN=lambda test intermediate',
    serialNumber: 'a1:b2:c3',
    validity: { notBefore: 'May 28 12:30:02 2019 GMT', notAfter: 'Aug  5 09:36:04 2031 GMT' },
  };
}

export function apiGatewayV1Event(
  parts: RequestParts & { clientCertPem?: string } = {},
): Record<string, unknown> {
  const headers = { accept: '*/*', Host: 'api.example.com', 'User-Agent': 'curl/8.5.0', ...parts.headers };
  return {
    resource: '/orders',
    path: parts.path ?? '/orders',
    httpMethod: parts.method ?? 'GET',
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: '1234567890',
      domainName: 'api.example.com',
      httpMethod: parts.method ?? 'GET',
      identity: {
        sourceIp: '192.0.2.1',
        userAgent: 'curl/8.5.0',
        ...(parts.clientCertPem !== undefined ? { clientCert: clientCert(parts.clientCertPem) } : {}),
      },
      path: `/prod${parts.path ?? '/orders'}`,
      protocol: 'HTTP/1.1',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
      requestTimeEpoch: 1428582896000,
      resourceId: '123456',
      resourcePath: '/orders',
      stage: 'prod',
    },
    body: null,
    isBase64Encoded: false,
  };
}

export function apiGatewayV2Event(
  parts: RequestParts & { clientCertPem?: string } = {},
): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: parts.path ?? '/orders',
    rawQueryString: '',
    headers: { accept: '*/*', host: 'api.example.com', 'user-agent': 'curl/8.5.0', ...parts.headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api-id',
      ...(parts.clientCertPem !== undefined
        ? { authentication: { clientCert: clientCert(parts.clientCertPem) } }
        : {}),
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: {
        method: parts.method ?? 'GET',
        path: parts.path ?? '/orders',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'curl/8.5.0',
      },
      requestId: 'id',
      routeKey: '$default',
      stage: '$default',
      time: '12/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    },
    isBase64Encoded: false,
  };
}

/** REST API REQUEST authorizer event: the proxy event's request plus type and methodArn. */
export function restAuthorizerEvent(
  parts: RequestParts & { clientCertPem?: string } = {},
): Record<string, unknown> {
  const { body: _body, isBase64Encoded: _b64, ...request } = apiGatewayV1Event(parts);
  return {
    type: 'REQUEST',
    methodArn: `arn:aws:execute-api:us-east-1:123456789012:1234567890/prod/${parts.method ?? 'GET'}${parts.path ?? '/orders'}`,
    ...request,
  };
}

/** HTTP API Lambda authorizer event, payload 2.0. */
export function httpAuthorizerEvent(
  parts: RequestParts & { clientCertPem?: string } = {},
): Record<string, unknown> {
  const { body: _body, isBase64Encoded: _b64, ...request } = apiGatewayV2Event(parts);
  return {
    ...request,
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:api-id/$default/GET/orders',
    identitySource: [parts.headers?.authorization ?? ''],
  };
}

let invocation = 0;

/** The context object the Node.js runtime passes as the second argument. */
export function lambdaContext(): Context {
  const deadline = Date.now() + 3000;
  invocation++;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'certbound-test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:certbound-test',
    memoryLimitInMB: '256',
    awsRequestId: `00000000-0000-4000-8000-${String(invocation).padStart(12, '0')}`,
    logGroupName: '/aws/lambda/certbound-test',
    logStreamName: '2026/01/01/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
