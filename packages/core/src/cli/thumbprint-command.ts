import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { readCertificateDetails } from '../certificate/certificate-details.js';
import { looksLikeCertificateDer } from '../certificate/der-shape.js';
import { digestsEqual, certificateDigest as sha256, x5tS256 } from '../certificate/thumbprint.js';
import { type CliIo, UsageError } from './cli-io.js';
import {
  certificateDigestCandidates,
  certificatesInFile,
  readThumbprintValue,
  type ThumbprintReading,
} from './thumbprint-diagnosis.js';

export const THUMBPRINT_USAGE = `usage:
  certbound thumbprint <certificate file (PEM or DER) | ->
  certbound thumbprint --check <value> [<certificate file | ->]`;

/**
 * `certbound thumbprint <cert|->` prints the leaf's x5t#S256 and hex SHA-256;
 * `--check <value> [cert]` says what a pasted value is and whether it matches the certificate.
 * Exit: 0 ok (for --check: value is a correct x5t#S256 and, with a certificate, matches it),
 * 1 no certificate in the input / wrong form / no match, 2 usage.
 */
export async function thumbprintCommand(args: readonly string[], io: CliIo): Promise<number> {
  // A base64url thumbprint may start with '-', which parseArgs would take for an option: bind the
  // value to --check explicitly.
  const bound = args.flatMap((arg, i) =>
    arg === '--check' && i + 1 < args.length
      ? [`--check=${args[i + 1]}`]
      : args[i - 1] === '--check'
        ? []
        : [arg],
  );
  const { values, positionals } = parseArgs({
    args: bound,
    options: { check: { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length > 1) throw new UsageError(THUMBPRINT_USAGE);
  const file = positionals[0];
  if (values.check === undefined) {
    if (file === undefined) throw new UsageError(THUMBPRINT_USAGE);
    const input = await readCertificates(file, io);
    if (input === undefined) return 1;
    const [leaf, ...chain] = input.certificates as [Uint8Array, ...Uint8Array[]];
    io.stdout(`x5t#S256: ${x5tS256(leaf)}\nsha256 (hex): ${sha256(leaf).toString('hex')}\n`);
    if (chain.length > 0) {
      io.stderr(
        `note: ${file} holds ${chain.length + 1} certificates; only the first (the leaf) is hashed (RFC 8705 §3.1)\n`,
      );
    }
    return 0;
  }
  return checkThumbprint(values.check, file, io);
}

async function checkThumbprint(value: string, file: string | undefined, io: CliIo): Promise<number> {
  const reading = readThumbprintValue(value);
  const out: string[] = [`value:        ${value.trim()}`, `form:         ${describeForm(reading)}`];
  out.push(`              ${reading.explanation}`);
  if (reading.x5tS256 !== undefined && reading.form !== 'x5t#S256')
    out.push(`as x5t#S256:  ${reading.x5tS256}`);
  let ok = reading.form === 'x5t#S256';
  if (file !== undefined) {
    const input = await readCertificates(file, io);
    if (input === undefined) return 1;
    const leaf = input.certificates[0] as Uint8Array;
    const details = readCertificateDetails(leaf);
    out.push(
      '',
      `certificate:  ${file}${details ? ` (subject ${details.subject})` : ''}`,
      `  x5t#S256:     ${x5tS256(leaf)}`,
      `  sha256 (hex): ${sha256(leaf).toString('hex')}`,
      '',
    );
    const match =
      reading.digest === undefined
        ? undefined
        : certificateDigestCandidates(input.bytes, input.certificates).find((candidate) =>
            digestsEqual(candidate.digest, reading.digest as Buffer),
          );
    if (match?.correct === true) {
      out.push(
        reading.form === 'x5t#S256'
          ? "verdict:      MATCH — this is the certificate's x5t#S256"
          : `verdict:      same certificate, wrong encoding — use ${reading.x5tS256 ?? x5tS256(leaf)} as cnf.x5t#S256`,
      );
    } else if (match !== undefined) {
      ok = false;
      out.push(`verdict:      NO MATCH — the value is the ${match.what}`);
      out.push(`              the token's cnf.x5t#S256 must be ${x5tS256(leaf)}`);
    } else {
      ok = false;
      out.push(
        'verdict:      NO MATCH — the value is no hash of this certificate certbound knows;',
        '              the token was bound to another certificate (a rotated or different client key?)',
      );
    }
  }
  io.stdout(`${out.join('\n')}\n`);
  return ok ? 0 : 1;
}

function describeForm(reading: ThumbprintReading): string {
  switch (reading.form) {
    case 'x5t#S256':
      return 'x5t#S256 (correct form)';
    case 'hex-sha256':
      return 'hex SHA-256 (wrong encoding, convertible)';
    case 'base64-sha256':
      return 'base64 SHA-256 (wrong encoding, convertible)';
    case 'hex-sha1':
      return 'hex SHA-1 (wrong hash)';
    case 'base64-sha1':
      return 'base64url SHA-1, i.e. x5t (wrong hash)';
    case 'malformed-x5t#S256':
      return 'malformed x5t#S256';
    case 'unknown':
      return 'unknown';
  }
}

async function readCertificates(
  file: string,
  io: CliIo,
): Promise<{ bytes: Uint8Array; certificates: Uint8Array[] } | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(file === '-' ? await io.stdin() : await readFile(resolve(io.cwd, file)));
  } catch (error) {
    throw new UsageError(`cannot read certificate ${file}: ${(error as Error).message}`);
  }
  const certificates = certificatesInFile(bytes);
  if (certificates.length === 0 || !looksLikeCertificateDer(certificates[0] as Uint8Array)) {
    io.stderr(`${file}: no certificate found (expected PEM "-----BEGIN CERTIFICATE-----" or DER)\n`);
    return undefined;
  }
  return { bytes, certificates };
}
