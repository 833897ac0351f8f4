import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCertificateAuthority } from '../pki/certificate-authority.js';
import { createCertificateSigningRequest } from '../pki/certificate-signing-request.js';
import { type CliIo, UsageError } from './cli-io.js';
import {
  CA_CERTIFICATE_FILE,
  CA_PRIVATE_KEY_FILE,
  ensureDirectory,
  readDevCertificateAuthority,
  writeNewFile,
} from './dev-ca-directory.js';

export const PKI_USAGE = `usage:
  certbound pki init <dir> [--cn NAME] [--rsa] [--days N] [--force]
  certbound pki issue <dir> --cn NAME [--server] [--rsa] [--dns a,b] [--ip 127.0.0.1] [--uri U] [--email E]
                      [--org O] [--days N] [--out PREFIX] [--force]
  certbound pki csr --cn NAME [--server] [--rsa] [--dns a,b] [--uri U] [--email E] [--org O] [--out PREFIX] [--force]`;

const PRIVATE_KEY_MODE = 0o600;
const NAME_OPTIONS = {
  cn: { type: 'string' },
  org: { type: 'string' },
  rsa: { type: 'boolean', default: false },
  server: { type: 'boolean', default: false },
  dns: { type: 'string', multiple: true },
  uri: { type: 'string', multiple: true },
  email: { type: 'string', multiple: true },
  out: { type: 'string' },
  force: { type: 'boolean', default: false },
} as const;

/** `certbound pki init|issue|csr`: a dev CA, certificates it signs, and CSRs for a real CA. */
export async function pkiCommand(args: readonly string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'init':
      return pkiInit(rest, io);
    case 'issue':
      return pkiIssue(rest, io);
    case 'csr':
      return pkiCsr(rest, io);
    default:
      throw new UsageError(PKI_USAGE);
  }
}

async function pkiInit(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      cn: { type: 'string', default: 'certbound dev CA' },
      rsa: { type: 'boolean', default: false },
      days: { type: 'string', default: '3650' },
      force: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError(PKI_USAGE);
  const dir = resolve(io.cwd, positionals[0] as string);
  await ensureDirectory(dir);
  const ca = await createCertificateAuthority({
    commonName: values.cn,
    keyAlgorithm: values.rsa ? 'rsa' : 'ec',
    validityDays: positiveInteger('--days', values.days),
  });
  const overwrite = values.force;
  // The key first: a crash in between leaves no certificate without its key.
  await writeNewFile(join(dir, CA_PRIVATE_KEY_FILE), ca.certificate.privateKeyPem, {
    mode: PRIVATE_KEY_MODE,
    overwrite,
  });
  await writeNewFile(join(dir, CA_CERTIFICATE_FILE), ca.certificate.pem, { overwrite });
  io.stdout(
    [
      `dev CA "${values.cn}" (${values.rsa ? 'RSA 2048' : 'EC P-256'}) created in ${dir}`,
      `certificate: ${join(dir, CA_CERTIFICATE_FILE)}   (trust this on your server: client certificates chain to it)`,
      `private key: ${join(dir, CA_PRIVATE_KEY_FILE)}   (mode 0600; a dev CA, never a production one)`,
      `x5t#S256:    ${ca.certificate.thumbprint}`,
      '',
    ].join('\n'),
  );
  return 0;
}

async function pkiIssue(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: {
      ...NAME_OPTIONS,
      ip: { type: 'string', multiple: true },
      days: { type: 'string', default: '365' },
    },
    allowPositionals: true,
  });
  if (positionals.length !== 1 || values.cn === undefined || values.cn === '')
    throw new UsageError(PKI_USAGE);
  const dir = resolve(io.cwd, positionals[0] as string);
  const ca = await readDevCertificateAuthority(dir);
  let dnsNames = list(values.dns);
  let ipAddresses = list(values.ip);
  const uris = list(values.uri);
  const emails = list(values.email);
  if (values.server && dnsNames.length + ipAddresses.length === 0) {
    // A server certificate without SANs is useless to TLS clients (RFC 6125 §6.4.4): name the CN.
    dnsNames = [values.cn];
    if (values.cn === 'localhost') ipAddresses = ['127.0.0.1', '::1'];
  }
  for (const ip of ipAddresses) {
    if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(ip) && ip !== '::1')
      throw new UsageError(`--ip ${ip}: only IPv4 addresses and ::1 are supported`);
  }
  const issued = await ca.issue({
    commonName: values.cn,
    profile: values.server ? 'server' : 'client',
    keyAlgorithm: values.rsa ? 'rsa' : 'ec',
    validityDays: positiveInteger('--days', values.days),
    dnsNames,
    ipAddresses,
    uris,
    emails,
    ...(values.org !== undefined ? { organization: values.org } : {}),
  });
  const prefix = resolve(io.cwd, values.out ?? join(dir, fileSafe(values.cn)));
  await ensureDirectory(dirname(prefix));
  const certificatePath = `${prefix}.pem`;
  const keyPath = `${prefix}-key.pem`;
  await writeNewFile(keyPath, issued.privateKeyPem, { mode: PRIVATE_KEY_MODE, overwrite: values.force });
  await writeNewFile(certificatePath, issued.pem, { overwrite: values.force });
  io.stdout(
    [
      `${values.server ? 'server' : 'client'} certificate for "${values.cn}" signed by ${basename(dir)}/${CA_CERTIFICATE_FILE}`,
      `certificate: ${certificatePath}`,
      `private key: ${keyPath}`,
      `x5t#S256:    ${issued.thumbprint}`,
      '',
    ].join('\n'),
  );
  return 0;
}

async function pkiCsr(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: NAME_OPTIONS,
    allowPositionals: true,
  });
  if (positionals.length !== 0 || values.cn === undefined || values.cn === '')
    throw new UsageError(PKI_USAGE);
  const csr = await createCertificateSigningRequest({
    commonName: values.cn,
    profile: values.server ? 'server' : 'client',
    keyAlgorithm: values.rsa ? 'rsa' : 'ec',
    dnsNames: list(values.dns),
    uris: list(values.uri),
    emails: list(values.email),
    ...(values.org !== undefined ? { organization: values.org } : {}),
  });
  const prefix = resolve(io.cwd, values.out ?? fileSafe(values.cn));
  await ensureDirectory(dirname(prefix));
  const csrPath = `${prefix}.csr`;
  const keyPath = `${prefix}-key.pem`;
  await writeNewFile(keyPath, csr.privateKeyPem, { mode: PRIVATE_KEY_MODE, overwrite: values.force });
  await writeNewFile(csrPath, csr.pem, { overwrite: values.force });
  io.stdout(
    [
      `certificate signing request (PKCS#10) for "${values.cn}"`,
      `request:     ${csrPath}   (send this to your CA)`,
      `private key: ${keyPath}   (mode 0600; stays with you)`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** Repeated flags and comma-separated values both work: `--dns a,b --dns c`. */
function list(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

function positiveInteger(flag: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 36_500)
    throw new UsageError(`${flag} must be a whole number of days between 1 and 36500`);
  return number;
}

/** A file name from a common name: `client a/b` → `client-a-b`. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+/, '') || 'certificate';
}
