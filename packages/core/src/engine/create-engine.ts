import type { Policy } from '../policy/policy.js';
import { CERTBOUND, createCertboundContainer } from './container.js';
import type { Engine } from './engine.js';
import type { EngineOptions } from './engine-options.js';

/** An engine for a policy returned by loadPolicy / loadPolicyFile. Throws only for bad options or unreadable key files. */
export function createEngine(policy: Policy, options: EngineOptions = {}): Engine {
  return createCertboundContainer(policy, options).get<Engine>(CERTBOUND.Engine);
}
