// Checks an Envoy config (as parsed YAML) against the official Envoy API protos: every field name
// must exist in its message, enums must name a value, `typed_config` (google.protobuf.Any) is
// checked as the message its `@type` names. Catches the typos and misplaced fields Envoy would
// reject at start — the closest we get to `envoy --mode validate` without an Envoy binary.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { envoyProtoIncludeDirs } from '../../src/envoy-protos.js';

const ENVOY_CONFIG_PROTOS = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/http/ext_authz/v3/ext_authz.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
];

let root: protobuf.Root | undefined;

function envoyRoot(): protobuf.Root {
  if (root !== undefined) return root;
  const includeDirs = envoyProtoIncludeDirs();
  const loaded = new protobuf.Root();
  loaded.resolvePath = (_origin, target) => {
    // protobufjs bundles the google/protobuf well-known types itself.
    if (target.startsWith('google/protobuf/')) return target;
    for (const dir of includeDirs) {
      const candidate = join(dir, target);
      if (existsSync(candidate)) return candidate;
    }
    return target;
  };
  loaded.loadSync(ENVOY_CONFIG_PROTOS, { keepCase: true });
  loaded.resolveAll();
  root = loaded;
  return loaded;
}

const WRAPPERS = new Set([
  'BoolValue',
  'UInt32Value',
  'UInt64Value',
  'Int32Value',
  'Int64Value',
  'DoubleValue',
  'FloatValue',
  'StringValue',
]);
const NUMERIC = new Set([
  'double',
  'float',
  'int32',
  'uint32',
  'sint32',
  'fixed32',
  'sfixed32',
  'int64',
  'uint64',
  'sint64',
  'fixed64',
  'sfixed64',
]);

function checkScalar(kind: string, value: unknown, path: string, problems: string[]): void {
  if (kind === 'string' || kind === 'bytes') {
    if (typeof value !== 'string') problems.push(`${path}: expected a string`);
  } else if (kind === 'bool') {
    if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
  } else if (NUMERIC.has(kind)) {
    if (typeof value !== 'number' && !(typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)))
      problems.push(`${path}: expected a number`);
  }
}

function checkValue(field: protobuf.Field, value: unknown, path: string, problems: string[]): void {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Enum) {
    if (!(typeof value === 'string' && value in resolved.values) && !(typeof value === 'number'))
      problems.push(`${path}: ${JSON.stringify(value)} is not a ${resolved.name} value`);
  } else if (resolved instanceof protobuf.Type) {
    checkMessage(resolved, value, path, problems);
  } else {
    checkScalar(field.type, value, path, problems);
  }
}

function checkMessage(type: protobuf.Type, value: unknown, path: string, problems: string[]): void {
  const name = type.fullName.replace(/^\./, '');
  if (name === 'google.protobuf.Duration') {
    if (typeof value !== 'string' || !/^\d+(\.\d+)?s$/.test(value))
      problems.push(`${path}: expected a duration like 0.5s`);
    return;
  }
  if (name.startsWith('google.protobuf.') && WRAPPERS.has(type.name)) {
    checkScalar(
      type.name === 'BoolValue' ? 'bool' : type.name === 'StringValue' ? 'string' : 'double',
      value,
      path,
      problems,
    );
    return;
  }
  if (name === 'google.protobuf.Struct' || name === 'google.protobuf.Value') return;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`${path}: expected a ${type.name} object`);
    return;
  }
  if (name === 'google.protobuf.Any') {
    const typeUrl = (value as Record<string, unknown>)['@type'];
    if (typeof typeUrl !== 'string') {
      problems.push(`${path}: Any without @type`);
      return;
    }
    let inner: protobuf.Type;
    try {
      inner = envoyRoot().lookupType(typeUrl.replace(/^type\.googleapis\.com\//, ''));
    } catch {
      problems.push(`${path}: unknown @type ${typeUrl}`);
      return;
    }
    const { '@type': _, ...rest } = value as Record<string, unknown>;
    checkMessage(inner, rest, path, problems);
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const field = type.fields[key];
    const childPath = `${path}.${key}`;
    if (field === undefined) {
      problems.push(`${childPath}: ${type.name} has no field ${key}`);
      continue;
    }
    if (field instanceof protobuf.MapField) {
      if (child === null || typeof child !== 'object') problems.push(`${childPath}: expected a map`);
      else for (const [k, v] of Object.entries(child)) checkValue(field, v, `${childPath}.${k}`, problems);
    } else if (field.repeated) {
      if (!Array.isArray(child)) problems.push(`${childPath}: expected a list`);
      else {
        for (const [index, item] of child.entries())
          checkValue(field, item, `${childPath}[${index}]`, problems);
      }
    } else {
      checkValue(field, child, childPath, problems);
    }
  }
}

/** Every problem of an Envoy bootstrap config, by path; empty when it fits the protos. */
export function checkEnvoyBootstrap(config: unknown): string[] {
  const problems: string[] = [];
  checkMessage(envoyRoot().lookupType('envoy.config.bootstrap.v3.Bootstrap'), config, '$', problems);
  return problems;
}
