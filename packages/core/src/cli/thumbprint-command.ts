import { parsePemCertificates } from '../certificate/pem.js';
import { x5tS256 } from '../certificate/thumbprint.js';
import { type CliIo, UsageError } from './cli-io.js';
import { readCertificateFile } from './read-certificate-file.js';

/** `certbound thumbprint <cert file|->`: the certificate's x5t#S256. */
export async function thumbprintCommand(args: readonly string[], io: CliIo): Promise<number> {
  if (args.length !== 1)
    throw new UsageError('usage: certbound thumbprint <certificate file (PEM or DER) | ->');
  const input = await readCertificateFile(args[0] as string, io);
  const der = 'der' in input ? input.der : 'pem' in input ? parsePemCertificates(input.pem)?.[0] : undefined;
  if (der === undefined) {
    io.stderr('no certificate found in the input\n');
    return 1;
  }
  io.stdout(`${x5tS256(der)}\n`);
  return 0;
}
