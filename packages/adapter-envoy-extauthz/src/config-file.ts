import { readFileSync } from 'node:fs';
import { OptionsError } from '@certbound/core';
import { parseDocument } from 'yaml';
import { type ExtAuthzServiceOptions, resolveServiceOptions } from './extauthz-options.js';

/** The `extauthz` section of a config file: listeners and log level, plus the service options. */
export interface ExtAuthzConfigFile {
  readonly grpc?: string | false;
  readonly http?: string | false;
  readonly admin?: string | false;
  readonly logLevel?: 'debug' | 'info' | 'warn' | 'error';
  readonly service: ExtAuthzServiceOptions;
}

const LISTENERS = ['grpc', 'http', 'admin'] as const;
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];

/**
 * Read a YAML/JSON file whose top-level `extauthz` section configures the service (the policy
 * stays in its own file, so `certbound validate` and policy tests keep working on it).
 * Throws OptionsError naming the offending key.
 */
export function loadExtAuthzConfig(path: string): ExtAuthzConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OptionsError(`cannot read config ${path}: ${(error as Error).message}`);
  }
  const document = parseDocument(text, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) throw new OptionsError(`config ${path}: ${document.errors[0]?.message}`);
  const root = document.toJS({ maxAliasCount: 10 }) as unknown;
  if (root === null || typeof root !== 'object' || Array.isArray(root))
    throw new OptionsError(`config ${path}: expected a mapping with an extauthz section`);
  const section = (root as Record<string, unknown>).extauthz;
  if (section === null || typeof section !== 'object' || Array.isArray(section))
    throw new OptionsError(`config ${path}: missing the extauthz section`);
  const { grpc, http, admin, logLevel, ...service } = section as Record<string, unknown>;
  const listeners: Record<string, string | false> = {};
  for (const [name, value] of Object.entries({ grpc, http, admin })) {
    if (value === undefined) continue;
    if (value === false || value === 'off') listeners[name] = false;
    else if (typeof value === 'string') listeners[name] = value;
    else throw new OptionsError(`extauthz.${name} must be host:port or off`);
  }
  if (logLevel !== undefined && !LOG_LEVELS.includes(logLevel as string))
    throw new OptionsError(`extauthz.logLevel must be one of ${LOG_LEVELS.join(', ')}`);
  // Validate now so a typo fails at start with the key's name, not at the first request.
  resolveServiceOptions(service as ExtAuthzServiceOptions);
  return {
    ...(listeners as Pick<ExtAuthzConfigFile, (typeof LISTENERS)[number]>),
    ...(logLevel !== undefined ? { logLevel: logLevel as ExtAuthzConfigFile['logLevel'] & string } : {}),
    service: service as ExtAuthzServiceOptions,
  };
}
