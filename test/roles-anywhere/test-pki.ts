/**
 * Test PKI generated at test time: CA and end-entity certificates and CRLs, with keys
 * that live only in memory (no private key is ever committed).
 */

// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';

// eslint-disable-next-line @typescript-eslint/no-require-imports, import/order
const x509 = require('@peculiar/x509') as typeof import('@peculiar/x509');
// eslint-disable-next-line import/order
import { webcrypto } from 'node:crypto';
x509.cryptoProvider.set(webcrypto as any);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 86400000;

/** A certificate with its key pair (in memory only). */
export interface TestCertificate {
  readonly pem: string;
  readonly certificate: import('@peculiar/x509').X509Certificate;
  readonly keys: CryptoKeyPair;
}

async function keys(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

/** A self-signed CA certificate; `validDays` may be negative for an expired one. */
export async function caCertificate(name: string, options: { validDays?: number; ca?: boolean } = {}): Promise<TestCertificate> {
  const pair = await keys();
  const validDays = options.validDays ?? 365;
  const notAfter = new Date(Date.now() + validDays * DAY);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    notBefore: new Date(Math.min(Date.now(), notAfter.getTime()) - 30 * DAY),
    notAfter,
    keys: pair as any,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(options.ca ?? true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign + x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  return { pem: certificate.toString('pem'), certificate, keys: pair };
}

/** An end-entity certificate issued by `issuer`. */
export async function endEntityCertificate(name: string, issuer: TestCertificate): Promise<TestCertificate> {
  const pair = await keys();
  const certificate = await x509.X509CertificateGenerator.create({
    subject: name,
    issuer: issuer.certificate.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    publicKey: pair.publicKey as any,
    signingKey: issuer.keys.privateKey as any,
    signingAlgorithm: ALG,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return { pem: certificate.toString('pem'), certificate, keys: pair };
}

/** Options for {@link crl}. */
export interface TestCrlOptions {
  readonly nextUpdateDays?: number;
  readonly revoked?: string[];
}

/** A CRL signed by `issuer`; `nextUpdateDays` may be negative for a stale one. */
export async function crl(issuer: TestCertificate, options: TestCrlOptions = {}): Promise<{ pem: string; der: Buffer }> {
  const list = await x509.X509CrlGenerator.create({
    issuer: issuer.certificate.subject,
    thisUpdate: new Date(Date.now() - 2 * DAY + Math.min(0, options.nextUpdateDays ?? 0) * DAY),
    nextUpdate: new Date(Date.now() + (options.nextUpdateDays ?? 7) * DAY),
    entries: (options.revoked ?? ['0a']).map(serialNumber => ({ serialNumber, revocationDate: new Date(Date.now() - DAY) })),
    signingKey: issuer.keys.privateKey as any,
    signingAlgorithm: ALG,
  });
  const der = Buffer.from(list.rawData);
  const body = der.toString('base64').match(/.{1,64}/g)!.join('\n');
  return { pem: `-----BEGIN X509 CRL-----\n${body}\n-----END X509 CRL-----\n`, der };
}

/** A template with generated PEM data replaced by stable markers, for snapshots. */
export function maskPem<T>(template: T): T {
  const mask = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(/-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----\n?/g, '[PEM $1]');
    if (Array.isArray(v)) return v.map(mask);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mask(x)]));
    return v;
  };
  return mask(template) as T;
}
