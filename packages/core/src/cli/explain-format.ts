import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { Decision } from '../decision/decision.js';

const OUTCOME_MARK = { pass: 'pass', fail: 'FAIL', skip: 'skip', info: 'info' } as const;

/**
 * A decision as a reader would walk through it: the verdict, the token as sent (decoded but not
 * trusted), each step the engine took, both thumbprints side by side, and every reason.
 * Never prints the raw token.
 */
export function formatExplanation(decision: Decision, token: string | undefined, now = Date.now()): string {
  const lines: string[] = [];
  const deciding = decision.reasons.at(-1);
  lines.push(
    `${decision.allow ? 'ALLOW' : 'DENY'}  ${decision.status}${decision.error ? ` ${decision.error}` : ''}` +
      `${deciding ? ` — ${deciding.code}` : ''}`,
  );
  if (decision.wwwAuthenticate !== undefined) lines.push(`  WWW-Authenticate: ${decision.wwwAuthenticate}`);

  lines.push('', 'token (decoded, not trusted until the signature step passes)');
  lines.push(...describeToken(token, now).map((line) => `  ${line}`));

  lines.push('', 'steps');
  const trace = decision.trace ?? [];
  if (trace.length === 0) lines.push('  (no trace recorded)');
  const width = Math.max(0, ...trace.map((step) => step.step.length));
  for (const step of trace) {
    lines.push(`  ${OUTCOME_MARK[step.outcome]}  ${step.step.padEnd(width)}  ${step.detail}`);
  }

  const claimed = boundThumbprint(decision.claims ?? unverifiedClaims(token));
  lines.push('', 'binding (RFC 8705 §3)');
  lines.push(`  mode:                  ${decision.mode ?? '(issuer not identified)'}`);
  lines.push(`  token cnf.x5t#S256:    ${claimed ?? '(none: the token is not certificate-bound)'}`);
  const certificate = decision.certificate;
  lines.push(
    `  certificate x5t#S256:  ${certificate?.thumbprint ?? '(no readable certificate presented)'}` +
      `${certificate?.source ? `  [${certificate.source}]` : ''}`,
  );
  if (claimed !== undefined && certificate?.thumbprint !== undefined) {
    lines.push(`  same:                  ${claimed === certificate.thumbprint ? 'yes' : 'NO'}`);
  }
  const bindingReason = decision.reasons.find((reason) => reason.code.startsWith('binding_'));
  if (bindingReason !== undefined) lines.push(`  outcome:               ${bindingReason.code}`);

  lines.push('', 'reasons (in order; on deny the deciding one is last)');
  const codeWidth = Math.max(0, ...decision.reasons.map((reason) => reason.code.length));
  for (const reason of decision.reasons) lines.push(`  ${reason.code.padEnd(codeWidth)}  ${reason.message}`);
  if (decision.rule !== undefined) lines.push('', `rule: ${decision.rule}`);
  if (decision.issuer !== undefined) {
    lines.push(
      `issuer: ${decision.issuer}  subject: ${decision.subject ?? '-'}  client: ${decision.clientId ?? '-'}` +
        `  scopes: ${decision.scopes.join(' ') || '-'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function describeToken(token: string | undefined, now: number): string[] {
  if (token === undefined || token === '') return ['(no token)'];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token) as Record<string, unknown>;
    claims = decodeJwt(token) as Record<string, unknown>;
  } catch {
    return [`(not a decodable JWT: ${token.length} characters, ${token.split('.').length} segments)`];
  }
  const show = (value: unknown) => (value === undefined ? '-' : JSON.stringify(value));
  const time = (value: unknown) => {
    if (typeof value !== 'number') return show(value);
    // A claim is untrusted: a number no Date can hold is shown as it is.
    const date = new Date(value * 1000);
    if (Number.isNaN(date.getTime())) return `${show(value)} (not a date)`;
    const seconds = Math.round(value - now / 1000);
    const relative = seconds >= 0 ? `in ${duration(seconds)}` : `${duration(-seconds)} ago`;
    return `${date.toISOString()} (${relative})`;
  };
  return [
    `header: alg ${show(header.alg)}  typ ${show(header.typ)}  kid ${show(header.kid)}`,
    `iss ${show(claims.iss)}  aud ${show(claims.aud)}`,
    `sub ${show(claims.sub)}  client_id ${show(claims.client_id)}  scope ${show(claims.scope)}`,
    `exp ${time(claims.exp)}${claims.nbf !== undefined ? `  nbf ${time(claims.nbf)}` : ''}`,
  ];
}

function unverifiedClaims(token: string | undefined): Readonly<Record<string, unknown>> | undefined {
  if (token === undefined) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

function boundThumbprint(claims: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const cnf = claims?.cnf;
  if (cnf === null || typeof cnf !== 'object') return undefined;
  const value = (cnf as Record<string, unknown>)['x5t#S256'];
  return typeof value === 'string' ? value : undefined;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  if (seconds < 63_072_000) return `${Math.round(seconds / 86_400)} days`;
  return `${Math.round(seconds / 31_557_600)} years`;
}
