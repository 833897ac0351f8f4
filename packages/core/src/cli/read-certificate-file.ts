import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CertificateInput } from '../decision/decision-input.js';
import type { CliIo } from './cli-io.js';
import { UsageError } from './cli-io.js';

/** A certificate file (PEM or DER; `-` for stdin) as engine input: PEM text stays PEM, anything else is DER. */
export async function readCertificateFile(path: string, io: CliIo): Promise<CertificateInput> {
  let bytes: Buffer;
  try {
    bytes = path === '-' ? await io.stdin() : await readFile(resolve(io.cwd, path));
  } catch (error) {
    throw new UsageError(`cannot read certificate ${path}: ${(error as Error).message}`);
  }
  const text = bytes.toString('latin1');
  return text.includes('-----BEGIN')
    ? { pem: text, source: `file:${path}` }
    : { der: new Uint8Array(bytes), source: `file:${path}` };
}
