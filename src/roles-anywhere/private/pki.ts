import { verify, X509Certificate } from 'node:crypto';
import type * as asn1Schema from '@peculiar/asn1-schema';
import type * as asn1X509 from '@peculiar/asn1-x509';
import { ErrorSite, fail } from '../../core/errors';

/**
 * The ASN.1 parsers, loaded on first use: they take longer to load than synthesizing a
 * hundred roles, and only certificate bundles and revocation lists need them.
 */
function asn1(): {
  AsnConvert: typeof asn1Schema.AsnConvert;
  Certificate: typeof asn1X509.Certificate;
  CertificateList: typeof asn1X509.CertificateList;
} {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { AsnConvert } = require('@peculiar/asn1-schema') as typeof asn1Schema;
  const { Certificate, CertificateList } = require('@peculiar/asn1-x509') as typeof asn1X509;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { AsnConvert, Certificate, CertificateList };
}

/**
 * Synth-time PKI checks for Roles Anywhere: certificate bundles (trust anchors) and
 * certificate revocation lists. Internal to the roles-anywhere folder.
 */

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** One PEM block: its label and DER bytes. */
export interface PemBlock {
  readonly label: string;
  readonly der: Buffer;
}

/** Splits PEM text into its blocks. */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    blocks.push({ label: m[1], der: Buffer.from(m[2].replace(/\s+/g, ''), 'base64') });
  }
  return blocks;
}

/** DER bytes as PEM with 64-character lines (RFC 7468). */
export function toPem(label: string, der: Buffer): string {
  const body = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`;
}

/** A CA certificate of a trust anchor bundle, parsed. */
export interface BundleCertificate {
  readonly certificate: X509Certificate;
  /** The DER encoding of the subject name, for exact issuer comparison. */
  readonly subjectDer: Buffer;
}

function shortSubject(cert: X509Certificate): string {
  return cert.subject.replace(/\n/g, ', ');
}

/**
 * Parses and validates a PEM certificate bundle for a trust anchor: only CERTIFICATE
 * blocks (a private key is refused loudly), each a CA certificate that has not expired.
 */
export function parseCertificateBundle(site: ErrorSite, prop: string, pem: string, now: Date): BundleCertificate[] {
  const blocks = pemBlocks(pem);
  if (blocks.length === 0) {
    fail(site, prop, 'the bundle holds no PEM certificate (no \'-----BEGIN CERTIFICATE-----\' block)',
      'pass the PEM text of the CA certificate(s) that issue your end-entity certificates');
  }
  const result: BundleCertificate[] = [];
  blocks.forEach((block, index) => {
    const which = blocks.length === 1 ? 'the certificate' : `certificate ${index + 1} of the bundle`;
    if (/PRIVATE KEY/.test(block.label)) {
      fail(site, prop, `the bundle holds a '${block.label}' block`,
        'never put a private key in a template: pass only the CA certificate(s), and rotate the key that was exposed');
    }
    if (block.label !== 'CERTIFICATE') {
      fail(site, prop, `the bundle holds a '${block.label}' block, not a certificate`, 'pass only \'-----BEGIN CERTIFICATE-----\' blocks');
    }
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(block.der);
    } catch (e) {
      return fail(site, prop, `${which} is not a valid X.509 certificate (${(e as Error).message})`,
        'pass the PEM exactly as your CA exported it');
    }
    if (!cert.ca) {
      fail(site, prop, `${which} ('${shortSubject(cert)}') is an end-entity certificate, not a CA certificate`,
        'a trust anchor needs the certificate of the CA that issues your workloads\' certificates (basicConstraints CA:TRUE), not a workload certificate');
    }
    const validTo = new Date(cert.validTo);
    if (validTo.getTime() <= now.getTime()) {
      fail(site, prop, `${which} ('${shortSubject(cert)}') expired on ${validTo.toISOString()}`,
        'renew the CA certificate and pass the new one; no certificate it issued can authenticate any more');
    }
    const { AsnConvert, Certificate } = asn1();
    const subject = AsnConvert.parse(block.der, Certificate).tbsCertificate.subject;
    result.push({ certificate: cert, subjectDer: Buffer.from(AsnConvert.serialize(subject)) });
  });
  return result;
}

/** A parsed certificate revocation list. */
export interface ParsedCrl {
  /** The DER encoding. */
  readonly der: Buffer;
  /** The DER encoding of the issuer name. */
  readonly issuerDer: Buffer;
  /** The issuer name, readable. */
  readonly issuer: string;
  /** When the CRL was issued. */
  readonly thisUpdate: Date;
  /** When the next CRL is due, when given. */
  readonly nextUpdate?: Date;
  /** The signature algorithm OID. */
  readonly signatureAlgorithm: string;
  /** The raw `tbsCertList` bytes the signature covers. */
  readonly signedBytes: Buffer;
  /** The signature. */
  readonly signature: Buffer;
}

/** Reads one DER TLV header at `offset`; returns where the content starts and its length. */
function readTlv(der: Buffer, offset: number): { contentStart: number; length: number } {
  if (offset + 2 > der.length) throw new Error('truncated DER');
  const first = der[offset + 1];
  if (first < 0x80) return { contentStart: offset + 2, length: first };
  const count = first - 0x80;
  if (count === 0 || count > 4 || offset + 2 + count > der.length) throw new Error('unsupported DER length');
  let length = 0;
  for (let i = 0; i < count; i++) length = length * 256 + der[offset + 2 + i];
  return { contentStart: offset + 2 + count, length };
}

/** The raw first element of the outer SEQUENCE (the signed part of a CRL). */
function firstElement(der: Buffer): Buffer {
  const outer = readTlv(der, 0);
  const inner = readTlv(der, outer.contentStart);
  return der.subarray(outer.contentStart, inner.contentStart + inner.length);
}

function nameToString(name: asn1X509.Name): string {
  const short: Record<string, string> = {
    '2.5.4.3': 'CN', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST',
  };
  return name.map(rdn => rdn.map(a => `${short[a.type] ?? a.type}=${a.value.toString()}`).join('+')).join(', ');
}

/** A DER length field. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from([0x80 + bytes.length, ...bytes]);
}

/**
 * The CRL without its list of revoked certificates (the third SEQUENCE of `tbsCertList`,
 * after the signature algorithm and the issuer), or the DER unchanged when it has none or
 * is not shaped as a CRL (the parser reports that). Nothing read at synthesis is in the
 * list, and the ASN.1 parser stops at 10,000 nodes, about 3,300 revoked certificates,
 * far below the 300,000 bytes IAM Roles Anywhere accepts.
 */
function withoutRevokedList(der: Buffer): Buffer {
  try {
    const outer = readTlv(der, 0);
    const tbs = readTlv(der, outer.contentStart);
    const tbsEnd = tbs.contentStart + tbs.length;
    let offset = tbs.contentStart;
    let sequences = 0;
    while (offset < tbsEnd) {
      const child = readTlv(der, offset);
      const end = child.contentStart + child.length;
      if (der[offset] === 0x30 && ++sequences === 3) {
        const tbsContent = Buffer.concat([der.subarray(tbs.contentStart, offset), der.subarray(end, tbsEnd)]);
        const newTbs = Buffer.concat([Buffer.from([der[outer.contentStart]]), derLength(tbsContent.length), tbsContent]);
        const outerContent = Buffer.concat([newTbs, der.subarray(tbsEnd, outer.contentStart + outer.length)]);
        return Buffer.concat([Buffer.from([der[0]]), derLength(outerContent.length), outerContent]);
      }
      offset = end;
    }
  } catch {
    // Not shaped as a CRL: the parser says why.
  }
  return der;
}

/** Parses DER bytes as a CRL, or returns an error message. */
export function parseCrl(der: Buffer): ParsedCrl | string {
  const { AsnConvert, CertificateList } = asn1();
  let list: asn1X509.CertificateList;
  try {
    list = AsnConvert.parse(withoutRevokedList(der), CertificateList);
  } catch (e) {
    return (e as Error).message;
  }
  const tbs = list.tbsCertList;
  return {
    der,
    issuerDer: Buffer.from(AsnConvert.serialize(tbs.issuer)),
    issuer: nameToString(tbs.issuer),
    thisUpdate: tbs.thisUpdate.getTime(),
    nextUpdate: tbs.nextUpdate?.getTime(),
    signatureAlgorithm: list.signatureAlgorithm.algorithm,
    signedBytes: firstElement(der),
    signature: Buffer.from(list.signature),
  };
}

/** Digest names for the signature algorithms node:crypto verifies directly. */
const SIGNATURE_DIGESTS: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/**
 * Whether the CRL's signature verifies with the CA certificate's public key; undefined
 * when the algorithm is not one node:crypto verifies without parameters (e.g. RSA-PSS).
 */
export function crlSignatureVerifies(crl: ParsedCrl, ca: X509Certificate): boolean | undefined {
  const digest = SIGNATURE_DIGESTS[crl.signatureAlgorithm];
  if (!digest) return undefined;
  try {
    return verify(digest, crl.signedBytes, ca.publicKey, crl.signature);
  } catch {
    return false;
  }
}
