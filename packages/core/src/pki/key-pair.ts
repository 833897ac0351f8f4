import { webcrypto } from 'node:crypto';
import { toPem } from '../certificate/pem.js';

export type KeyAlgorithm = 'ec' | 'rsa';

const EC: EcKeyGenParams & EcKeyImportParams = { name: 'ECDSA', namedCurve: 'P-256' };
const RSA: RsaHashedKeyGenParams & RsaHashedImportParams = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
};

/** A new signing key pair: EC P-256 (default) or RSA 2048, extractable so it can be written as PKCS#8 PEM. */
export async function generateKeyPair(algorithm: KeyAlgorithm = 'ec'): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(algorithm === 'rsa' ? RSA : EC, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  return toPem(new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', key)), 'PRIVATE KEY');
}

/** Import a PKCS#8 private key (EC P-256 or RSA) written by privateKeyToPem, with its public half. */
export async function importPrivateKeyPem(
  pem: string,
): Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; algorithm: KeyAlgorithm }> {
  const { createPrivateKey, createPublicKey } = await import('node:crypto');
  const keyObject = createPrivateKey(pem);
  const algorithm: KeyAlgorithm = keyObject.asymmetricKeyType === 'rsa' ? 'rsa' : 'ec';
  if (keyObject.asymmetricKeyType !== 'rsa' && keyObject.asymmetricKeyType !== 'ec') {
    throw new Error(`unsupported key type ${keyObject.asymmetricKeyType}`);
  }
  const params = algorithm === 'rsa' ? RSA : EC;
  const pkcs8 = keyObject.export({ format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(keyObject).export({ format: 'der', type: 'spki' });
  const privateKey = await webcrypto.subtle.importKey('pkcs8', pkcs8, params, true, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', spki, params, true, ['verify']);
  return { privateKey: privateKey as CryptoKey, publicKey: publicKey as CryptoKey, algorithm };
}
