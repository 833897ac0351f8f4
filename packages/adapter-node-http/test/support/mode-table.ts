import type { MutualTlsMode } from '@certbound/core';

export type TokenKind = 'bound' | 'unbound';
export type CertificateKind = 'matching' | 'other' | 'same-subject-other-key' | 'absent';
export const MODES = ['none', 'request', 'required'] as const;
export const TOKEN_KINDS = ['bound', 'unbound'] as const;
export const CERTIFICATE_KINDS = ['matching', 'other', 'same-subject-other-key', 'absent'] as const;

/** Allow, or the deciding reason of the 401 `invalid_token` (RFC 8705 §3, ONTAP's use-mutual-tls). */
export const MODE_TABLE: Record<
  MutualTlsMode,
  Record<TokenKind, Record<CertificateKind, 'allow' | string>>
> = {
  none: {
    bound: { matching: 'allow', other: 'allow', 'same-subject-other-key': 'allow', absent: 'allow' },
    unbound: { matching: 'allow', other: 'allow', 'same-subject-other-key': 'allow', absent: 'allow' },
  },
  request: {
    bound: {
      matching: 'allow',
      other: 'binding_mismatch',
      'same-subject-other-key': 'binding_mismatch',
      absent: 'certificate_missing',
    },
    unbound: { matching: 'allow', other: 'allow', 'same-subject-other-key': 'allow', absent: 'allow' },
  },
  required: {
    bound: {
      matching: 'allow',
      other: 'binding_mismatch',
      'same-subject-other-key': 'binding_mismatch',
      absent: 'certificate_missing',
    },
    unbound: {
      matching: 'binding_required',
      other: 'binding_required',
      'same-subject-other-key': 'binding_required',
      absent: 'binding_required',
    },
  },
};
