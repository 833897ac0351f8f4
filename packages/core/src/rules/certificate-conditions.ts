import type { CertificateDetails } from '../certificate/certificate-details.js';
import type { CertificateConditions } from '../policy/policy.js';

const FIELDS = ['commonNames', 'organizations', 'dnsNames', 'uris', 'emails'] as const;
const CASE_INSENSITIVE: ReadonlySet<string> = new Set(['dnsNames', 'emails']);

/** The first certificate condition the certificate fails, or undefined when all hold. */
export function unmetCertificateCondition(
  conditions: CertificateConditions,
  details: CertificateDetails,
): string | undefined {
  for (const field of FIELDS) {
    const accepted = conditions[field];
    if (accepted === undefined) continue;
    const fold = CASE_INSENSITIVE.has(field) ? (s: string) => s.toLowerCase() : (s: string) => s;
    const actual = new Set(details[field].map(fold));
    if (!accepted.some((value) => actual.has(fold(value)))) {
      return `certificate ${field} [${details[field].join(', ')}] has none of [${accepted.join(', ')}]`;
    }
  }
  return undefined;
}
