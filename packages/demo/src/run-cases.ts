import type { IssuedCertificate } from '@certbound/core';
import { httpsRequest } from '@certbound/dev-authorization-server';
import { type CaseResult, matches, type Observation } from './case-result.js';
import { CASE_PARAMETER, type DecisionLog } from './decision-log.js';
import type { CertificateKind, DemoCase, EnforcementPoint, TokenKind } from './mode-table.js';

/** The live endpoints and credentials the cases are run with. */
export interface CaseTargets {
  readonly caPem: string;
  /** Base URL per enforcement point and mode, e.g. urls['node-https'].required. */
  readonly urls: Readonly<Record<EnforcementPoint, Readonly<Record<DemoCase['mode'], string>>>>;
  readonly tokens: Readonly<Record<TokenKind, string>>;
  readonly certificates: Readonly<Record<CertificateKind, IssuedCertificate | undefined>>;
  readonly log: DecisionLog;
}

/** The path every demo request asks for. */
export const DEMO_PATH = '/api/volumes';

/** Send one case as a real HTTPS request over (mutual) TLS and read what the service decided. */
export async function runCase(demoCase: DemoCase, targets: CaseTargets, index: number): Promise<CaseResult> {
  const caseId = `case-${index}`;
  let observed: Observation;
  try {
    const url = `${targets.urls[demoCase.via][demoCase.mode]}${DEMO_PATH}?${CASE_PARAMETER}=${caseId}`;
    const certificate = targets.certificates[demoCase.certificate];
    // A fresh connection per case, presenting exactly the certificate the case names, or none.
    const response = await httpsRequest({
      method: 'GET',
      url,
      caPem: targets.caPem,
      headers: { authorization: `Bearer ${targets.tokens[demoCase.token]}` },
      ...(certificate
        ? { clientCertificate: { certPem: certificate.pem, keyPem: certificate.privateKeyPem } }
        : {}),
    });
    const reasons = targets.log.take(caseId);
    observed = {
      allow: response.status === 200,
      status: response.status,
      reasons: reasons ?? [],
      ...(reasons === undefined ? { failure: `no decision recorded (HTTP ${response.status})` } : {}),
    };
  } catch (error) {
    observed = { allow: false, status: 0, reasons: [], failure: (error as Error).message };
  }
  return { case: demoCase, observed, matched: matches(demoCase.expected, observed) };
}
