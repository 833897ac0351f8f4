// The deployment files under deploy/ (documented in docs/adapters/envoy.md) are checked as far as
// this machine allows (no Envoy, no Docker, no cluster): Envoy configs against the official
// Envoy protos, every cross-reference (ports, cluster names, headers, health service) against
// the code's own defaults, and the embedded policies and configs with the real loaders.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadPolicy, loadPolicyFile } from '@certbound/core';
import { parse, parseAllDocuments } from 'yaml';
import {
  AUTHORIZATION_SERVICE,
  DEFAULT_ADMIN_ADDRESS,
  DEFAULT_GRPC_ADDRESS,
  DEFAULT_HTTP_ADDRESS,
  loadExtAuthzConfig,
} from '../src/index.js';
import { checkEnvoyBootstrap } from './support/envoy-config-check.js';

const deploy = (name: string) => new URL(`../deploy/${name}`, import.meta.url).pathname;
const read = (name: string) => readFileSync(deploy(name), 'utf8');
const portOf = (address: string) => Number(address.split(':').at(-1));
// biome-ignore lint/suspicious/noExplicitAny: walking parsed YAML.
type Yaml = any;

function extAuthzFilter(config: Yaml): Yaml {
  const hcm = config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
  return hcm.http_filters.find((filter: Yaml) => filter.name === 'envoy.filters.http.ext_authz').typed_config;
}

function clusterPort(config: Yaml, name: string): number {
  const cluster = config.static_resources.clusters.find((c: Yaml) => c.name === name);
  assert.ok(cluster, `cluster ${name} exists`);
  return cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value;
}

describe('envoy.yaml (gRPC)', () => {
  const config = parse(read('envoy.yaml'));

  test('fits the official Envoy API protos', () => {
    assert.deepEqual(checkEnvoyBootstrap(config), []);
  });

  test('downstream TLS requires client certificates; XFCC is sanitized', () => {
    const chain = config.static_resources.listeners[0].filter_chains[0];
    assert.equal(chain.transport_socket.typed_config.require_client_certificate, true);
    assert.ok(chain.transport_socket.typed_config.common_tls_context.validation_context.trusted_ca);
    assert.equal(chain.filters[0].typed_config.forward_client_cert_details, 'SANITIZE');
  });

  test('ext_authz: v3 gRPC to the documented port, peer certificate included, fail closed, timeout', () => {
    const filter = extAuthzFilter(config);
    assert.equal(filter.transport_api_version, 'V3');
    assert.equal(filter.include_peer_certificate, true);
    assert.equal(filter.failure_mode_allow, false);
    assert.match(filter.grpc_service.timeout, /^\d+(\.\d+)?s$/);
    const cluster = filter.grpc_service.envoy_grpc.cluster_name;
    assert.equal(clusterPort(config, cluster), portOf(DEFAULT_GRPC_ADDRESS));
    const definition = config.static_resources.clusters.find((c: Yaml) => c.name === cluster);
    assert.ok(
      definition.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions']
        .explicit_http_config.http2_protocol_options,
      'gRPC needs HTTP/2',
    );
    assert.equal(definition.health_checks[0].grpc_health_check.service_name, AUTHORIZATION_SERVICE);
  });

  test('the http filters end with the router, after ext_authz', () => {
    const names =
      config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config.http_filters.map(
        (f: Yaml) => f.name,
      );
    assert.deepEqual(names, ['envoy.filters.http.ext_authz', 'envoy.filters.http.router']);
  });
});

describe('envoy-http.yaml (HTTP service)', () => {
  const config = parse(read('envoy-http.yaml'));
  const service = loadExtAuthzConfig(deploy('extauthz.yaml')).service;

  test('fits the official Envoy API protos', () => {
    assert.deepEqual(checkEnvoyBootstrap(config), []);
  });

  test('HTTP service on the documented port, fail closed, no path_prefix', () => {
    const filter = extAuthzFilter(config);
    assert.equal(filter.failure_mode_allow, false);
    assert.equal(filter.http_service.path_prefix, undefined);
    assert.equal(clusterPort(config, filter.http_service.server_uri.cluster), portOf(DEFAULT_HTTP_ADDRESS));
    assert.equal(filter.http_service.server_uri.uri, `http://${DEFAULT_HTTP_ADDRESS}`);
  });

  test('the certificate header Envoy sets is the one extauthz.yaml reads, as URL-encoded PEM', () => {
    const request = extAuthzFilter(config).http_service.authorization_request;
    const added = request.headers_to_add.find((h: Yaml) => h.value === '%DOWNSTREAM_PEER_CERT%');
    assert.deepEqual(service.httpCertificateHeader, { name: added.key, format: 'pem' });
    assert.ok(request.allowed_headers.patterns.some((p: Yaml) => p.exact === 'authorization'));
  });

  test('every configured upstream header may pass to the API; the challenge reaches the client', () => {
    const response = extAuthzFilter(config).http_service.authorization_response;
    const prefixes = response.allowed_upstream_headers.patterns.map((p: Yaml) => p.prefix);
    for (const header of Object.values(service.upstreamHeaders ?? {})) {
      assert.ok(
        prefixes.some((prefix: string) => header.startsWith(prefix)),
        header,
      );
    }
    const client = response.allowed_client_headers.patterns.map((p: Yaml) => p.exact);
    for (const header of ['www-authenticate', 'content-type', 'retry-after'])
      assert.ok(client.includes(header), header);
  });
});

describe('service config and policies', () => {
  test('extauthz.yaml loads, with the default listeners', () => {
    const config = loadExtAuthzConfig(deploy('extauthz.yaml'));
    assert.equal(config.grpc, DEFAULT_GRPC_ADDRESS);
    assert.equal(config.http, DEFAULT_HTTP_ADDRESS);
    assert.equal(config.admin, DEFAULT_ADMIN_ADDRESS);
  });

  test('policy.yaml is a valid policy', () => {
    assert.equal(loadPolicyFile(deploy('policy.yaml')).issuers.length, 1);
  });

  test('a typo in the extauthz section is refused by name', () => {
    const dir = mkdtempSync(join(tmpdir(), 'certbound-extauthz-config-'));
    try {
      writeFileSync(join(dir, 'bad.yaml'), 'extauthz:\n  trustForwardedClientCerts: true\n');
      assert.throws(
        () => loadExtAuthzConfig(join(dir, 'bad.yaml')),
        /trustForwardedClientCerts is not a known option/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('kubernetes.yaml', () => {
  const documents: Yaml[] = parseAllDocuments(read('kubernetes.yaml')).map((d) => d.toJS());
  const byKind = (kind: string) => documents.find((d) => d.kind === kind);

  test('the ConfigMap holds a valid policy and a valid extauthz section', () => {
    const data = byKind('ConfigMap').data;
    assert.equal(loadPolicy(data['policy.yaml']).issuers.length, 1);
    const dir = mkdtempSync(join(tmpdir(), 'certbound-extauthz-k8s-'));
    try {
      writeFileSync(join(dir, 'extauthz.yaml'), data['extauthz.yaml']);
      assert.equal(loadExtAuthzConfig(join(dir, 'extauthz.yaml')).service.trustForwardedClientCert, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('args, container ports, probes and the Service agree', () => {
    const deployment = byKind('Deployment');
    const container = deployment.spec.template.spec.containers[0];
    const args = Object.fromEntries(container.args.map((a: string) => a.replace(/^--/, '').split('=')));
    const ports = Object.fromEntries(container.ports.map((p: Yaml) => [p.name, p.containerPort]));
    assert.equal(portOf(args.grpc), ports.grpc);
    assert.equal(portOf(args.http), ports.http);
    assert.equal(portOf(args.admin), ports.admin);
    assert.equal(args.grpc.split(':')[0], '0.0.0.0', 'reachable from other pods');
    assert.equal(container.livenessProbe.httpGet.path, '/healthz');
    assert.equal(container.readinessProbe.httpGet.path, '/readyz');
    assert.equal(container.readinessProbe.httpGet.port, 'admin');
    assert.equal(container.startupProbe.grpc.port, ports.grpc);
    assert.equal(container.startupProbe.grpc.service, AUTHORIZATION_SERVICE);
    assert.equal(container.volumeMounts[0].mountPath, args.policy.slice(0, args.policy.lastIndexOf('/')));
    const service = byKind('Service');
    assert.deepEqual(service.spec.selector, deployment.spec.selector.matchLabels);
    for (const port of service.spec.ports) assert.ok(port.targetPort in ports, port.name);
    assert.ok(deployment.spec.replicas >= 2, 'stateless replicas');
  });
});

describe('istio.yaml', () => {
  const documents: Yaml[] = parseAllDocuments(read('istio.yaml')).map((d) => d.toJS());
  const k8s: Yaml[] = parseAllDocuments(read('kubernetes.yaml')).map((d) => d.toJS());

  test('the CUSTOM AuthorizationPolicy names the provider, which points at the Service gRPC port', () => {
    const mesh = documents.find((d) => d.kind === 'IstioOperator').spec.meshConfig;
    const policy = documents.find((d) => d.kind === 'AuthorizationPolicy');
    assert.equal(policy.spec.action, 'CUSTOM');
    const provider = mesh.extensionProviders.find((p: Yaml) => p.name === policy.spec.provider.name);
    assert.ok(provider, 'provider declared in meshConfig.extensionProviders');
    assert.equal(provider.envoyExtAuthzGrpc.failOpen, false);
    const service = k8s.find((d) => d.kind === 'Service');
    assert.equal(
      provider.envoyExtAuthzGrpc.service,
      `${service.metadata.name}.${service.metadata.namespace}.svc.cluster.local`,
    );
    assert.equal(
      provider.envoyExtAuthzGrpc.port,
      service.spec.ports.find((p: Yaml) => p.name === 'grpc').port,
    );
    // The gateway sets XFCC itself, which is what makes trusting it (kubernetes.yaml) safe.
    assert.equal(mesh.defaultConfig.gatewayTopology.forwardClientCertDetails, 'SANITIZE_SET');
    assert.equal(documents.find((d) => d.kind === 'Gateway').spec.servers[0].tls.mode, 'MUTUAL');
  });
});

test('Dockerfile runs the package bin with the documented listeners', () => {
  const dockerfile = read('Dockerfile');
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  const entrypoint = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(dockerfile)?.[1] ?? '[]');
  assert.equal(entrypoint[1], `/app/${pkg.bin['certbound-extauthz'].replace(/^\.\//, '')}`);
  assert.match(dockerfile, /EXPOSE 9001 9002 9003/);
  assert.ok(pkg.files.includes('bin') && pkg.files.includes('dist'));
});
