import type { Reason } from '../decision/reason-code.js';
import type { MutualTlsMode } from '../policy/policy.js';
import type { TokenBinding } from '../token/binding-claim.js';

/** What the mode (ONTAP's use-mutual-tls) asks of this token before any certificate is looked at. */
export type BindingRequirement =
  | { readonly kind: 'skip'; readonly reason: Reason }
  | { readonly kind: 'deny'; readonly reason: Reason }
  | { readonly kind: 'check'; readonly expected: Buffer; readonly thumbprint: string };

// The outcomes that do not depend on the token are shared, frozen objects: this runs per request.
const NOT_CHECKED: BindingRequirement = Object.freeze({
  kind: 'skip',
  reason: Object.freeze({
    code: 'binding_not_checked',
    message: 'mutualTls is none: binding is never checked',
  }),
});
const NOT_REQUESTED: BindingRequirement = Object.freeze({
  kind: 'skip',
  reason: Object.freeze({
    code: 'binding_not_requested',
    message: 'token has no cnf.x5t#S256: not certificate-bound',
  }),
});
const REQUIRED: BindingRequirement = Object.freeze({
  kind: 'deny',
  reason: Object.freeze({
    code: 'binding_required',
    message: 'mutualTls is required and the token has no cnf.x5t#S256',
  }),
});

export function bindingRequirement(mode: MutualTlsMode, binding: TokenBinding): BindingRequirement {
  if (mode === 'none') return NOT_CHECKED;
  switch (binding.kind) {
    case 'unbound':
      return mode === 'required' ? REQUIRED : NOT_REQUESTED;
    case 'malformed':
      return { kind: 'deny', reason: { code: 'binding_malformed', message: binding.detail } };
    case 'unsupported':
      return mode === 'required'
        ? {
            kind: 'deny',
            reason: {
              code: 'binding_required',
              message: `mutualTls is required and cnf has only ${binding.methods.join(', ')}`,
            },
          }
        : {
            kind: 'deny',
            reason: {
              code: 'binding_unsupported',
              message: `token is bound by cnf ${binding.methods.join(', ')}, which certbound cannot verify`,
            },
          };
    case 'x5t#S256':
      return { kind: 'check', expected: binding.digest, thumbprint: binding.thumbprint };
  }
}
