import { createPrivateKey, X509Certificate } from 'node:crypto';
import { constants } from 'node:fs';
import { mkdir, open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePemCertificates, toPem } from '../certificate/pem.js';
import { x5tS256 } from '../certificate/thumbprint.js';
import { type CertificateAuthority, certificateAuthorityFrom } from '../pki/certificate-authority.js';
import { importPrivateKeyPem } from '../pki/key-pair.js';
import { UsageError } from './cli-io.js';

/** File names of a dev CA folder written by `certbound pki init`. */
export const CA_CERTIFICATE_FILE = 'ca.pem';
export const CA_PRIVATE_KEY_FILE = 'ca-key.pem';

/** Read back the CA of a folder `certbound pki init` wrote. */
export async function readDevCertificateAuthority(dir: string): Promise<CertificateAuthority> {
  let certificatePem: string;
  let privateKeyPem: string;
  try {
    certificatePem = await readFile(join(dir, CA_CERTIFICATE_FILE), 'utf8');
    privateKeyPem = await readFile(join(dir, CA_PRIVATE_KEY_FILE), 'utf8');
  } catch (error) {
    throw new UsageError(
      `${dir} is not a certbound dev CA (run \`certbound pki init ${dir}\` first): ${(error as Error).message}`,
    );
  }
  const der = parsePemCertificates(certificatePem)?.[0];
  if (der === undefined) throw new UsageError(`${join(dir, CA_CERTIFICATE_FILE)} holds no certificate`);
  let keys: CryptoKeyPair;
  try {
    const imported = await importPrivateKeyPem(privateKeyPem);
    keys = { privateKey: imported.privateKey, publicKey: imported.publicKey };
  } catch (error) {
    throw new UsageError(`${join(dir, CA_PRIVATE_KEY_FILE)}: ${(error as Error).message}`);
  }
  const x509 = new X509Certificate(der);
  if (!x509.checkPrivateKey(createPrivateKey(privateKeyPem))) {
    throw new UsageError(`${join(dir, CA_PRIVATE_KEY_FILE)} is not the key of ${CA_CERTIFICATE_FILE}`);
  }
  return certificateAuthorityFrom({
    der,
    pem: toPem(der),
    privateKeyPem,
    keys,
    thumbprint: x5tS256(der),
    subjectCommonName: /CN=([^\n]*)/.exec(x509.subject)?.[1] ?? '',
  });
}

/**
 * Write a new file, never replacing one unless `overwrite`; private keys get mode 0600 from the
 * moment they exist (O_CREAT with the mode), not after a chmod.
 */
export async function writeNewFile(
  path: string,
  content: string,
  options: { mode?: number; overwrite?: boolean } = {},
): Promise<void> {
  const flags =
    constants.O_WRONLY | constants.O_CREAT | (options.overwrite ? constants.O_TRUNC : constants.O_EXCL);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, flags, options.mode ?? 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${path} exists; pass --force to replace it`);
    }
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`);
  }
  try {
    if (options.mode !== undefined) await handle.chmod(options.mode); // an existing file keeps its old mode otherwise
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

export async function ensureDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new UsageError(`cannot create ${dir}: ${(error as Error).message}`);
  }
}
