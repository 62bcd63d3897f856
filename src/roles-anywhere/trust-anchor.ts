import { readFileSync } from 'node:fs';
import { Annotations, Arn, ArnFormat, Duration, IResource, Resource, Stack, Token } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { Construct } from 'constructs';
import { BoundSource, generatedName, validateRolesAnywhereName } from './private/names';
import { BundleCertificate, parseCertificateBundle } from './private/pki';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { quote, validateArn } from '../core/validation';
import { WARNING } from '../core/warnings';

/** A Roles Anywhere trust anchor: the CA whose certificates may get credentials. */
export interface ITrustAnchor extends IResource {
  /**
   * The ARN of the trust anchor (`arn:<partition>:rolesanywhere:<region>:<account>:trust-anchor/<id>`),
   * the value of `aws:SourceArn` in a role's trust policy.
   *
   * @attribute
   */
  readonly trustAnchorArn: string;

  /**
   * The id of the trust anchor.
   *
   * @attribute
   */
  readonly trustAnchorId: string;
}

/**
 * Where a trust anchor's CA comes from: an AWS Private CA, or a certificate bundle of
 * your own CA (PEM).
 *
 * @example
 * TrustAnchorSource.fromAcmPca(certificateAuthority)
 * TrustAnchorSource.fromCertificateBundle(fs.readFileSync('ca.pem', 'utf8'))
 */
export abstract class TrustAnchorSource {
  /**
   * An AWS Private CA (`AWS_ACM_PCA`); IAM Roles Anywhere trusts its CA certificate.
   *
   * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/getting-started.html
   */
  public static fromAcmPca(certificateAuthority: acmpca.ICertificateAuthority): TrustAnchorSource {
    return new PcaSource(certificateAuthority.certificateAuthorityArn, false, certificateAuthority.env);
  }

  /** An AWS Private CA by ARN (`arn:<partition>:acm-pca:<region>:<account>:certificate-authority/<id>`). */
  public static fromAcmPcaArn(certificateAuthorityArn: string): TrustAnchorSource {
    return new PcaSource(certificateAuthorityArn, true);
  }

  /**
   * The PEM certificate(s) of your own CA (`CERTIFICATE_BUNDLE`): a root CA or an
   * intermediate CA that issues the workloads' certificates.
   *
   * Checked at synthesis: every block is a certificate (never a private key), a CA
   * certificate (basicConstraints CA:TRUE, not an end-entity certificate) and not expired.
   */
  public static fromCertificateBundle(pem: string): TrustAnchorSource {
    return new BundleSource(() => pem);
  }

  /** Like {@link TrustAnchorSource.fromCertificateBundle}, reading the PEM from a file at synthesis. */
  public static fromCertificateBundleFile(path: string): TrustAnchorSource {
    return new BundleSource(() => readFileSync(path, 'utf8'), path);
  }

  /** The source type: `AWS_ACM_PCA` or `CERTIFICATE_BUNDLE`. */
  public abstract readonly sourceType: string;

  protected constructor() {}

  /** @internal */
  public abstract _bind(site: ErrorSite): BoundSource;
}

class PcaSource extends TrustAnchorSource {
  public readonly sourceType = 'AWS_ACM_PCA';

  constructor(
    private readonly arn: string,
    private readonly check: boolean = false,
    private readonly env?: { account: string; region: string },
  ) {
    super();
  }

  /** @internal */
  public _bind(site: ErrorSite): BoundSource {
    if (this.check) {
      validateArn(site, 'source', this.arn, {
        service: 'acm-pca',
        resource: /^certificate-authority\/[0-9a-fA-F-]+$/,
        example: 'arn:aws:acm-pca:eu-west-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555',
      });
    }
    return {
      source: { sourceType: this.sourceType, sourceData: { acmPcaArn: this.arn } },
      pca: { arn: this.arn, ...pcaPlacement(this.arn, this.env) },
    };
  }
}

class BundleSource extends TrustAnchorSource {
  public readonly sourceType = 'CERTIFICATE_BUNDLE';

  constructor(private readonly read: () => string, private readonly file?: string) {
    super();
  }

  /** @internal */
  public _bind(site: ErrorSite): BoundSource {
    let pem: string;
    try {
      pem = this.read();
    } catch (e) {
      return fail(site, 'source', `the certificate bundle file ${quote(this.file ?? '')} cannot be read (${(e as Error).message})`,
        'give the path of the CA certificate PEM file, relative to where cdk synth runs');
    }
    if (Token.isUnresolved(pem)) {
      return { source: { sourceType: this.sourceType, sourceData: { x509CertificateData: pem } } };
    }
    if (pem.length > MAX_CERTIFICATE_BUNDLE_LENGTH) {
      fail(site, 'source', `the certificate bundle is ${pem.length} characters, above the ${MAX_CERTIFICATE_BUNDLE_LENGTH} IAM Roles Anywhere accepts `
        + '(x509CertificateData of CreateTrustAnchor)',
      'give only the CA certificate that issues the workloads\' certificates (one trust anchor per CA), without comments or other text around the PEM blocks');
    }
    const certificates = parseCertificateBundle(site, 'source', pem, new Date());
    return { source: { sourceType: this.sourceType, sourceData: { x509CertificateData: pem } }, certificates };
  }
}

/** Properties for a {@link TrustAnchor}. */
export interface TrustAnchorProps {
  /** The CA: an AWS Private CA or a PEM certificate bundle. */
  readonly source: TrustAnchorSource;

  /**
   * The trust anchor's name: 1-255 letters, digits, spaces, `-` and `_`. Can be
   * changed without replacing the trust anchor.
   *
   * @default - a unique name derived from the construct path
   */
  readonly trustAnchorName?: string;

  /**
   * Whether certificates of this anchor can get credentials. Disabling it stops every
   * workload that uses it.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * How long before the CA certificate expires IAM Roles Anywhere notifies (CloudWatch
   * metrics, EventBridge and AWS Health), in whole days between 1 and 360.
   *
   * @default Duration.days(45)
   * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/notifications.html
   */
  readonly caCertificateExpiryNotice?: Duration;

  /**
   * How long before an end-entity certificate that authenticated through this anchor
   * expires IAM Roles Anywhere notifies, in whole days between 1 and 360.
   *
   * @default Duration.days(45)
   * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/notifications.html
   */
  readonly endEntityCertificateExpiryNotice?: Duration;
}

const DEFAULT_NOTICE = Duration.days(45);

/**
 * The longest certificate bundle IAM Roles Anywhere accepts: `x509CertificateData`, 1-8,000
 * characters ("SourceData" in the IAM Roles Anywhere API reference).
 */
const MAX_CERTIFICATE_BUNDLE_LENGTH = 8000;

/** The account and region of a Private CA: from its ARN when concrete, else from its construct's environment. */
function pcaPlacement(arn: string, env?: { account: string; region: string }): { account?: string; region?: string } {
  if (!Token.isUnresolved(arn)) {
    const fields = arn.split(':');
    return { region: fields[3] || undefined, account: fields[4] || undefined };
  }
  const concrete = (v: string | undefined) => (v === undefined || Token.isUnresolved(v) ? undefined : v);
  return { account: concrete(env?.account), region: concrete(env?.region) };
}

/**
 * IAM Roles Anywhere uses an AWS Private CA of the trust anchor's own account ("You will
 * have to use either a AWS Private CA resource in your account", Getting started) and of
 * its region (not stated in so many words: both services are regional, the anchor names
 * the CA by its regional ARN, CreateTrustAnchor treats Private CA as unavailable where it
 * is not in the anchor's region, and no cross-region form is documented). Checked where
 * synthesis knows both sides.
 */
function checkPcaPlacement(site: ErrorSite, scope: Construct, pca: { arn: string; account?: string; region?: string }): void {
  const stack = Stack.of(scope);
  const where = (account: string | undefined, region: string | undefined) => `account ${account ?? '(deploy time)'}, region ${region ?? '(deploy time)'}`;
  const differs = (a: string | undefined, b: string) => a !== undefined && !Token.isUnresolved(b) && a !== b;
  if (differs(pca.account, stack.account) || differs(pca.region, stack.region)) {
    const name = Token.isUnresolved(pca.arn) ? 'the AWS Private CA' : `the AWS Private CA ${quote(pca.arn)}`;
    fail(site, 'source', `${name} is in ${where(pca.account, pca.region)}, but the trust anchor is in ${where(stack.account, stack.region)}; `
      + 'IAM Roles Anywhere only uses a Private CA of the trust anchor\'s own account and region',
    'create the trust anchor in a stack of the CA\'s account and region, or trust the CA\'s certificate instead with '
      + 'TrustAnchorSource.fromCertificateBundle (aws acm-pca get-certificate-authority-certificate --certificate-authority-arn <arn>)');
  }
}

function noticeDays(site: ErrorSite, prop: string, notice: Duration | undefined): number {
  const value = notice ?? DEFAULT_NOTICE;
  if (Token.isUnresolved(value.toSeconds())) return value.toDays();
  const days = value.toSeconds() / 86400;
  if (!Number.isInteger(days) || days < 1 || days > 360) {
    fail(site, prop, `${value.toHumanString()} is not a whole number of days between 1 and 360`,
      'give whole days, e.g. Duration.days(45)');
  }
  return days;
}

class ImportedTrustAnchor extends Resource implements ITrustAnchor {
  public readonly trustAnchorArn: string;
  public readonly trustAnchorId: string;

  constructor(scope: Construct, id: string, arn: string) {
    super(scope, id, { environmentFromArn: arn });
    this.trustAnchorArn = arn;
    this.trustAnchorId = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).resourceName!;
  }
}

/**
 * An IAM Roles Anywhere trust anchor (`AWS::RolesAnywhere::TrustAnchor`): the CA whose
 * X.509 certificates workloads outside AWS present to get temporary credentials.
 *
 * A certificate bundle is checked at synthesis (at most 8,000 characters, CA certificates
 * only, not expired, no private key), and an AWS Private CA must be of the anchor's
 * account and region where synthesis knows both; a CA certificate that expires within the CA notice period leaves a warning. Both expiry notifications are on (45 days before, unless changed). The
 * logical id depends only on the construct path, so renaming, disabling or changing the
 * notifications updates the anchor in place and its ARN stays the same.
 *
 * @example
 * const anchor = new TrustAnchor(this, 'OnPremCa', {
 *   source: TrustAnchorSource.fromCertificateBundle(fs.readFileSync('ca.pem', 'utf8')),
 * });
 */
export class TrustAnchor extends Resource implements ITrustAnchor {
  /**
   * Imports an existing trust anchor by ARN
   * (`arn:<partition>:rolesanywhere:<region>:<account>:trust-anchor/<id>`).
   */
  public static fromTrustAnchorArn(scope: Construct, id: string, trustAnchorArn: string): ITrustAnchor {
    const site = siteOf('TrustAnchor.fromTrustAnchorArn', scope, id);
    validateArn(site, 'trustAnchorArn', trustAnchorArn, {
      service: 'rolesanywhere',
      resource: /^trust-anchor\/[0-9a-fA-F-]+$/,
      example: 'arn:aws:rolesanywhere:eu-west-1:111122223333:trust-anchor/11111111-2222-3333-4444-555555555555',
    });
    return new ImportedTrustAnchor(scope, id, trustAnchorArn);
  }

  /** The ARN of the trust anchor, the value of `aws:SourceArn` in a role's trust policy. */
  public readonly trustAnchorArn: string;

  /** The id of the trust anchor. */
  public readonly trustAnchorId: string;

  /** The source type: `AWS_ACM_PCA` or `CERTIFICATE_BUNDLE`. */
  public readonly sourceType: string;

  /**
   * The CA certificates of the bundle, when known at synthesis.
   * @internal
   */
  public readonly _certificates?: BundleCertificate[];

  constructor(scope: Construct, id: string, props: TrustAnchorProps) {
    const site = siteOf('TrustAnchor', scope, id);
    if (props.trustAnchorName !== undefined) validateRolesAnywhereName(site, 'trustAnchorName', props.trustAnchorName);
    const caDays = noticeDays(site, 'caCertificateExpiryNotice', props.caCertificateExpiryNotice);
    const endEntityDays = noticeDays(site, 'endEntityCertificateExpiryNotice', props.endEntityCertificateExpiryNotice);
    const bound = props.source._bind(site);
    if (bound.pca) checkPcaPlacement(site, scope, bound.pca);
    super(scope, id);

    this.sourceType = props.source.sourceType;
    this._certificates = bound.certificates;
    const resource = new rolesanywhere.CfnTrustAnchor(this, 'Resource', {
      name: props.trustAnchorName ?? generatedName(this),
      enabled: props.enabled ?? true,
      source: bound.source,
      notificationSettings: [
        { event: 'CA_CERTIFICATE_EXPIRY', enabled: true, threshold: caDays, channel: 'ALL' },
        { event: 'END_ENTITY_CERTIFICATE_EXPIRY', enabled: true, threshold: endEntityDays, channel: 'ALL' },
      ],
    });
    this.trustAnchorArn = resource.attrTrustAnchorArn;
    this.trustAnchorId = resource.attrTrustAnchorId;

    const soon = Date.now() + (Token.isUnresolved(caDays) ? 45 : caDays) * 86400000;
    for (const c of bound.certificates ?? []) {
      const validTo = new Date(c.certificate.validTo);
      if (validTo.getTime() < soon) {
        Annotations.of(this).addWarningV2(WARNING.caCertificateExpiresSoon,
          `The CA certificate '${c.certificate.subject.replace(/\n/g, ', ')}' expires on ${validTo.toISOString()}: renew it and update the bundle before then, or no workload can authenticate.`);
      }
    }
  }
}
