import { readFileSync } from 'node:fs';
import { Annotations, Resource, Token } from 'aws-cdk-lib';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { Construct } from 'constructs';
import { BoundCrl, generatedName, validateRolesAnywhereName } from './private/names';
import { crlSignatureVerifies, ParsedCrl, parseCrl, pemBlocks, toPem } from './private/pki';
import { ITrustAnchor, TrustAnchor } from './trust-anchor';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { quote } from '../core/validation';
import { WARNING } from '../core/warnings';

/**
 * The largest CRL IAM Roles Anywhere imports, in bytes: `crlData` of ImportCrl, 1-300,000
 * ("ImportCrl" in the IAM Roles Anywhere API reference). The handler sends the template's
 * text, so the PEM's bytes count.
 */
const MAX_CRL_BYTES = 300000;

/**
 * The data of a certificate revocation list (CRL), PEM or DER.
 *
 * CloudFormation hands `CrlData` to IAM Roles Anywhere as text, so the construct always
 * writes PEM (`-----BEGIN X509 CRL-----`); DER input is converted.
 *
 * @example
 * CrlData.fromPem(fs.readFileSync('crl.pem', 'utf8'))
 * CrlData.fromFile('crl.der')
 */
export abstract class CrlData {
  /** A PEM CRL (`-----BEGIN X509 CRL-----`). */
  public static fromPem(pem: string): CrlData {
    return new CrlSource(() => ({ text: pem }));
  }

  /** A DER CRL, base64-encoded. */
  public static fromDerBase64(derBase64: string): CrlData {
    return new CrlSource(() => ({ derBase64 }));
  }

  /** A CRL file, PEM or DER, read at synthesis. */
  public static fromFile(path: string): CrlData {
    return new CrlSource(() => {
      const bytes = readFileSync(path);
      const text = bytes.toString('latin1');
      return text.includes('-----BEGIN') ? { text } : { derBase64: bytes.toString('base64') };
    }, path);
  }

  protected constructor() {}

  /** @internal */
  public abstract _bind(site: ErrorSite): BoundCrl;
}

class CrlSource extends CrlData {
  constructor(private readonly read: () => { text?: string; derBase64?: string }, private readonly file?: string) {
    super();
  }

  /** @internal */
  public _bind(site: ErrorSite): BoundCrl {
    let input: { text?: string; derBase64?: string };
    try {
      input = this.read();
    } catch (e) {
      return fail(site, 'crl', `the CRL file ${quote(this.file ?? '')} cannot be read (${(e as Error).message})`,
        'give the path of the CRL file, relative to where cdk synth runs');
    }
    if (input.text !== undefined && Token.isUnresolved(input.text)) return { pem: input.text };
    if (input.derBase64 !== undefined && Token.isUnresolved(input.derBase64)) {
      return { pem: `-----BEGIN X509 CRL-----\n${input.derBase64}\n-----END X509 CRL-----\n` };
    }
    let der: Buffer;
    if (input.text !== undefined) {
      const blocks = pemBlocks(input.text);
      if (blocks.length !== 1 || !/^(X509 )?CRL$/.test(blocks[0].label)) {
        fail(site, 'crl', blocks.length === 0 ? 'the PEM text holds no \'-----BEGIN X509 CRL-----\' block'
          : `the PEM text holds ${blocks.map(b => `'${b.label}'`).join(', ')} instead of one X509 CRL block`,
        'pass exactly one CRL as your CA published it');
      }
      der = blocks[0].der;
    } else {
      const b64 = (input.derBase64 ?? '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
        fail(site, 'crl', 'the DER data is not base64', 'pass the DER bytes base64-encoded, or use CrlData.fromFile');
      }
      der = Buffer.from(b64, 'base64');
    }
    // The size first: a CRL over the limit is refused whatever it holds.
    const pem = toPem('X509 CRL', der);
    if (pem.length > MAX_CRL_BYTES) {
      fail(site, 'crl', `the CRL is ${pem.length} bytes as PEM, over IAM Roles Anywhere's limit of ${MAX_CRL_BYTES}`, 'publish a smaller CRL (e.g. a delta or a partitioned CRL)');
    }
    const parsed = parseCrl(der);
    if (typeof parsed === 'string') {
      return fail(site, 'crl', `the data is not an X.509 certificate revocation list (${parsed})`, 'pass the CRL your CA published, PEM or DER');
    }
    return { pem, parsed };
  }
}

/** Properties for a {@link CertificateRevocationList}. */
export interface CertificateRevocationListProps {
  /** The trust anchor whose certificates the CRL revokes. */
  readonly trustAnchor: ITrustAnchor;

  /** The CRL data, PEM or DER. */
  readonly crl: CrlData;

  /**
   * The CRL's name: 1-255 letters, digits, spaces, `-` and `_`.
   *
   * @default - a unique name derived from the construct path
   */
  readonly crlName?: string;

  /**
   * Whether IAM Roles Anywhere checks certificates against this CRL.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/**
 * A certificate revocation list for a trust anchor (`AWS::RolesAnywhere::CRL`):
 * certificates it lists can no longer get credentials.
 *
 * Checked at synthesis: the data is one X.509 CRL (PEM or DER, written as PEM) of at
 * most 300,000 bytes; when the trust anchor's certificate bundle is known, the CRL's
 * issuer must be one of its CAs and its signature must verify with that CA's key
 * (RSA and ECDSA with SHA-2). A CRL past its `nextUpdate` is accepted with a warning:
 * IAM Roles Anywhere still applies the revocations it holds, but certificates revoked
 * since are missing, so import the CA's current CRL.
 *
 * IAM Roles Anywhere does not fetch CRLs itself: update this data whenever the CA
 * publishes a new CRL.
 *
 * @example
 * new CertificateRevocationList(this, 'Crl', {
 *   trustAnchor: anchor,
 *   crl: CrlData.fromFile('pki/crl.pem'),
 * });
 *
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html#revocation
 */
export class CertificateRevocationList extends Resource {
  /** The CRL's id. */
  public readonly crlId: string;

  constructor(scope: Construct, id: string, props: CertificateRevocationListProps) {
    const site = siteOf('CertificateRevocationList', scope, id);
    if (props.crlName !== undefined) validateRolesAnywhereName(site, 'crlName', props.crlName);
    const bound = props.crl._bind(site);
    if (bound.parsed) checkIssuer(site, props.trustAnchor, bound.parsed);
    super(scope, id);

    const resource = new rolesanywhere.CfnCRL(this, 'Resource', {
      name: props.crlName ?? generatedName(this),
      crlData: bound.pem,
      trustAnchorArn: props.trustAnchor.trustAnchorArn,
      enabled: props.enabled ?? true,
    });
    this.crlId = resource.attrCrlId;

    const next = bound.parsed?.nextUpdate;
    if (next && next.getTime() < Date.now()) {
      Annotations.of(this).addWarningV2(WARNING.staleCrl,
        `The CRL was due to be replaced on ${next.toISOString()} (nextUpdate): certificates revoked since then are not in it; import the CA's current CRL.`);
    }
  }
}

/** The CRL's issuer is a CA of the anchor's bundle, and that CA signed it. */
function checkIssuer(site: ErrorSite, anchor: ITrustAnchor, crl: ParsedCrl): void {
  const certificates = anchor instanceof TrustAnchor ? anchor._certificates : undefined;
  if (!certificates) return;
  const issuers = certificates.filter(c => c.subjectDer.equals(crl.issuerDer));
  if (issuers.length === 0) {
    fail(site, 'crl', `the CRL was issued by '${crl.issuer}', which is not a CA of the trust anchor's bundle ` +
      `(${certificates.map(c => `'${c.certificate.subject.replace(/\n/g, ', ')}'`).join(', ')})`,
    'import the CRL of a CA in this trust anchor, or attach it to the trust anchor of its CA');
  }
  const verdicts = issuers.map(c => crlSignatureVerifies(crl, c.certificate));
  if (verdicts.every(v => v === false)) {
    fail(site, 'crl', `the CRL names '${crl.issuer}' as issuer, but its signature does not verify with that CA's public key`,
      'import the CRL exactly as the CA published it (it may be corrupted, or from another CA with the same name)');
  }
}
