import type { CertificateDetails } from '../certificate/certificate-details.js';
import type { Reason } from '../decision/reason-code.js';
import type { CertificateConditions, ClaimConditions, RulePolicy } from '../policy/policy.js';
import { unmetCertificateCondition } from './certificate-conditions.js';
import { unmetClaimCondition } from './claim-conditions.js';
import { compilePathGlob, type PathGlob } from './path-glob.js';

interface CompiledRule {
  readonly name: string;
  readonly methods: ReadonlySet<string> | undefined;
  readonly paths: readonly PathGlob[] | undefined;
  readonly issuers: ReadonlySet<string> | undefined;
  readonly effect: 'allow' | 'deny';
  readonly scopes: readonly string[];
  readonly claims: ClaimConditions | undefined;
  readonly certificate: CertificateConditions | undefined;
  /** The allow outcome of this rule, built once: it is on every allowed request's path. */
  readonly allowed: RuleOutcome;
}

export interface RuleContext {
  readonly method: string;
  /** Normalized path (see normalizePath). */
  readonly path: string;
  /**
   * The path with repeated slashes merged, when it has any. Proxies and routers often merge them
   * (nginx by default), so `/api//admin` may reach the route `/api/admin`: a rule matches when
   * either form does, and a rule for `/api/admin/**` cannot be sidestepped with `//`.
   */
  readonly mergedPath?: string | undefined;
  readonly issuerId: string;
  readonly scopes: readonly string[];
  readonly claims: Readonly<Record<string, unknown>>;
  /** The trusted client certificate's details, or why there are none. */
  readonly certificate: () => Promise<CertificateDetails | Reason>;
}

export type RuleOutcome =
  | { readonly allow: true; readonly reason: Reason; readonly rule?: string }
  | {
      readonly allow: false;
      readonly reason: Reason;
      readonly rule?: string;
      readonly missingScopes?: readonly string[];
    };

/** Ordered rules; the first whose `match` fits decides (cerbos/OPA style: "no match" is its own outcome). */
export class RuleSet {
  readonly #rules: readonly CompiledRule[];
  readonly #defaultEffect: 'allow' | 'deny';
  readonly #readsCertificates: boolean;

  constructor(rules: readonly RulePolicy[] | undefined, defaultEffect: 'allow' | 'deny' | undefined) {
    this.#rules = (rules ?? []).map(compileRule);
    this.#readsCertificates = this.#rules.some((rule) => rule.certificate !== undefined);
    this.#defaultEffect = defaultEffect ?? 'deny';
  }

  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Whether any rule has certificate conditions (only then may `evaluate` read the certificate). */
  get readsCertificates(): boolean {
    return this.#readsCertificates;
  }

  /** Synchronous unless the deciding rule has certificate conditions (the certificate is read lazily). */
  evaluate(context: RuleContext): RuleOutcome | Promise<RuleOutcome> {
    if (this.#rules.length === 0) return RULES_ABSENT;
    let rule: CompiledRule | undefined;
    for (const candidate of this.#rules) {
      if (matches(candidate, context)) {
        rule = candidate;
        break;
      }
    }
    if (rule === undefined) {
      const message = `no rule matches ${context.method} ${context.path}; defaultEffect is ${this.#defaultEffect}`;
      return this.#defaultEffect === 'allow'
        ? { allow: true, reason: { code: 'rule_no_match', message } }
        : { allow: false, reason: { code: 'rule_no_match', message } };
    }
    if (rule.effect === 'deny') {
      return {
        allow: false,
        rule: rule.name,
        reason: { code: 'rule_denied', message: `rule ${rule.name} denies` },
      };
    }
    if (!hasAll(context.scopes, rule.scopes)) {
      const missingScopes = rule.scopes.filter((scope) => !context.scopes.includes(scope));
      return {
        allow: false,
        rule: rule.name,
        missingScopes: rule.scopes,
        reason: {
          code: 'scope_insufficient',
          message: `rule ${rule.name} needs scope ${missingScopes.join(' ')}`,
        },
      };
    }
    const unmetClaim = unmetClaimCondition(rule.claims, context.claims);
    if (unmetClaim !== undefined) {
      return {
        allow: false,
        rule: rule.name,
        reason: { code: 'claim_condition_unmet', message: `rule ${rule.name}: ${unmetClaim}` },
      };
    }
    if (rule.certificate !== undefined) return certificateOutcome(rule, rule.certificate, context);
    return rule.allowed;
  }
}

/** The deciding rule's certificate conditions: the only part that may need to wait (chain checks). */
async function certificateOutcome(
  rule: CompiledRule,
  conditions: CertificateConditions,
  context: RuleContext,
): Promise<RuleOutcome> {
  const details = await context.certificate();
  if ('code' in details) {
    const certificateFailure =
      details.code.startsWith('certificate_') && details.code !== 'certificate_missing';
    return {
      allow: false,
      rule: rule.name,
      reason: certificateFailure
        ? details
        : {
            code: 'certificate_condition_unmet',
            message: `rule ${rule.name} has certificate conditions: ${details.message}`,
          },
    };
  }
  const unmet = unmetCertificateCondition(conditions, details);
  if (unmet !== undefined) {
    return {
      allow: false,
      rule: rule.name,
      reason: { code: 'certificate_condition_unmet', message: `rule ${rule.name}: ${unmet}` },
    };
  }
  return rule.allowed;
}

const RULES_ABSENT: RuleOutcome = Object.freeze({
  allow: true,
  reason: Object.freeze({ code: 'rules_absent', message: 'policy has no rules: a valid token is enough' }),
});

function hasAll(granted: readonly string[], required: readonly string[]): boolean {
  for (const scope of required) if (!granted.includes(scope)) return false;
  return true;
}

function compileRule(rule: RulePolicy): CompiledRule {
  return {
    allowed: Object.freeze({
      allow: true,
      rule: rule.name,
      reason: Object.freeze({ code: 'rule_allowed', message: `rule ${rule.name} allows` }),
    }),
    name: rule.name,
    methods: rule.match?.methods ? new Set(rule.match.methods.map((m) => m.toUpperCase())) : undefined,
    paths: rule.match?.paths?.map(compilePathGlob),
    issuers: rule.match?.issuers ? new Set(rule.match.issuers) : undefined,
    effect: rule.effect ?? 'allow',
    scopes: rule.require?.scopes ?? [],
    claims: rule.require?.claims,
    certificate: rule.require?.certificate,
  };
}

function matches(rule: CompiledRule, context: RuleContext): boolean {
  if (rule.methods && !rule.methods.has(context.method)) return false;
  if (rule.issuers && !rule.issuers.has(context.issuerId)) return false;
  if (rule.paths === undefined) return true;
  for (const glob of rule.paths) {
    if (glob.test(context.path)) return true;
    if (context.mergedPath !== undefined && glob.test(context.mergedPath)) return true;
  }
  return false;
}
