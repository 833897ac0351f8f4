export { type CertificateDetails, readCertificateDetails } from './certificate/certificate-details.js';
export { looksLikeCertificateDer } from './certificate/der-shape.js';
export { parsePemBlocks, parsePemCertificates, toPem } from './certificate/pem.js';
export { percentDecode } from './certificate/percent-decode.js';
export { createChainVerifier, PkijsChainVerifier } from './certificate/pkijs-chain-verifier.js';
export { prepareCertificate } from './certificate/prepared-certificate.js';
export { certificateDigest, decodeX5tS256, hexSha256ToX5tS256, x5tS256 } from './certificate/thumbprint.js';
export { readTrustMaterial, type TrustMaterial } from './certificate/trust-material.js';
export {
  certificateFromXfcc,
  certificateFromXfccElement,
  isXfccElementChoice,
  parseXfcc,
  type XfccElement,
  type XfccElementChoice,
} from './certificate/xfcc.js';
export { bearerChallenge } from './decision/challenge.js';
export type {
  BearerErrorCode,
  Decision,
  DecisionCertificate,
  DecisionStatus,
  TraceStep,
} from './decision/decision.js';
export type {
  CertificateInput,
  CertificateProblem,
  DecisionInput,
  RequestInput,
  TransportVerdict,
} from './decision/decision-input.js';
export { isReasonCode, REASON_CODES, type Reason, type ReasonCode } from './decision/reason-code.js';
export { denyResponseBody } from './decision/response-body.js';
export { DENY_MAPPING, type DenyMapping, denyMapping } from './decision/response-mapping.js';
export { CERTBOUND, createCertboundContainer } from './engine/container.js';
export { createEngine } from './engine/create-engine.js';
export type { Engine } from './engine/engine.js';
export type { EngineOptions, TokenCacheOptions } from './engine/engine-options.js';
export { CertboundError, type CertboundErrorCode, OptionsError } from './errors/certbound-error.js';
export { PolicyError, type PolicyProblem } from './errors/policy-error.js';
export {
  type CertificateAuthority,
  certificateAuthorityFrom,
  createCertificateAuthority,
} from './pki/certificate-authority.js';
export {
  type CertificateRequest,
  type IssuedCertificate,
  issueCertificate,
  type Signer,
} from './pki/issue-certificate.js';
export { type CrlRequest, type IssuedCrl, issueCrl, type RevokedEntry } from './pki/issue-crl.js';
export { generateKeyPair, importPrivateKeyPem, type KeyAlgorithm, privateKeyToPem } from './pki/key-pair.js';
export { loadPolicy, loadPolicyFile } from './policy/load-policy.js';
export type * from './policy/policy.js';
export { policyFiles } from './policy/policy-files.js';
export { POLICY_SCHEMA_URL, policySchema } from './policy/policy-schema.js';
export type { ChainVerification, ChainVerifier } from './ports/chain-verifier.js';
export type { Clock } from './ports/clock.js';
export type { FetchPort } from './ports/fetch.js';
export type { Logger } from './ports/logger.js';
export type { VerifiedTokenCache } from './ports/verified-token-cache.js';
