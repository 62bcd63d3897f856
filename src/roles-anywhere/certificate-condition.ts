import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../core/errors';
import { TrustCondition } from '../core/trust-condition';
import { quote } from '../core/validation';

/**
 * The fields of an X.509 certificate that IAM Roles Anywhere maps to session tags.
 *
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/attribute-mapping.html
 */
export enum CertificateField {
  /** The subject's relative distinguished names (`x509Subject/CN`, `/OU`, `/O`, ...). */
  X509_SUBJECT = 'x509Subject',
  /** The issuer's relative distinguished names (`x509Issuer/CN`, ...). */
  X509_ISSUER = 'x509Issuer',
  /** The first subject alternative name of each type (`x509SAN/DNS`, `/URI`, `/Name/CN`, ...). */
  X509_SAN = 'x509SAN',
}

/** Subject attributes that name one certificate holder rather than a group of them. */
const IDENTIFYING_SUBJECT_ATTRIBUTES: ReadonlySet<string> = new Set(['CN', 'UID', 'serialNumber']);

/** A principal tag value may be at most 256 characters. */
const MAX_TAG_VALUE = 256;

/**
 * Which certificates a {@link RolesAnywhereRole} accepts, by the attributes IAM Roles
 * Anywhere copies from the authenticating certificate into principal tags
 * (`aws:PrincipalTag/x509Subject/CN` and so on).
 *
 * Several values of one condition are alternatives; different conditions must all hold.
 * A value with `*` or `?` is a wildcard (`StringLike`); others are exact (`StringEquals`).
 *
 * @example
 * CertificateCondition.subjectCommonName('backup01.corp.example.com')
 * CertificateCondition.subjectOrganizationalUnit('Backup')
 *
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
 */
export abstract class CertificateCondition {
  /** The subject's common name (`aws:PrincipalTag/x509Subject/CN`), one of the values. */
  public static subjectCommonName(...commonNames: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SUBJECT, 'CN', commonNames);
  }

  /** The subject's organizational unit (`aws:PrincipalTag/x509Subject/OU`), one of the values. */
  public static subjectOrganizationalUnit(...units: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SUBJECT, 'OU', units);
  }

  /** The subject's organization (`aws:PrincipalTag/x509Subject/O`), one of the values. */
  public static subjectOrganization(...organizations: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SUBJECT, 'O', organizations);
  }

  /**
   * The issuer's common name (`aws:PrincipalTag/x509Issuer/CN`), one of the values: the
   * CA that signed the certificate, e.g. one intermediate CA of a bundle. On its own it
   * accepts every certificate that CA issued, so it does not scope a role by itself.
   */
  public static issuerCommonName(...commonNames: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_ISSUER, 'CN', commonNames);
  }

  /** The first DNS subject alternative name (`aws:PrincipalTag/x509SAN/DNS`), one of the values. */
  public static subjectAlternativeNameDns(...dnsNames: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SAN, 'DNS', dnsNames);
  }

  /**
   * The first URI subject alternative name (`aws:PrincipalTag/x509SAN/URI`), one of the
   * values, e.g. a SPIFFE id `spiffe://corp.example.com/backup`.
   */
  public static subjectAlternativeNameUri(...uris: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SAN, 'URI', uris);
  }

  /**
   * Any other subject attribute (`aws:PrincipalTag/x509Subject/<specifier>`), e.g. `UID`,
   * `C`, `ST` or `L`, one of the values.
   */
  public static subjectAttribute(specifier: string, values: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SUBJECT, specifier, values);
  }

  /** The certificate field the value comes from. */
  public abstract readonly certificateField: CertificateField;

  /** The attribute within the field, e.g. `CN` or `DNS`. */
  public abstract readonly specifier: string;

  /** The accepted values. */
  public abstract readonly values: string[];

  /** The principal tag key, e.g. `x509Subject/CN`. */
  public get tagKey(): string {
    return `${this.certificateField}/${this.specifier}`;
  }

  /**
   * Whether the condition names individual certificate holders: the subject's common
   * name, user id or serial number, or a subject alternative name. Issuer, organization,
   * unit, country or locality conditions are shared by every certificate a CA issues for
   * one organization, so they do not scope a role on their own.
   */
  public get identifiesSubject(): boolean {
    if (this.certificateField === CertificateField.X509_SAN) return true;
    return this.certificateField === CertificateField.X509_SUBJECT && IDENTIFYING_SUBJECT_ATTRIBUTES.has(this.specifier);
  }

  protected constructor() {}

  /** @internal */
  public _validate(site: ErrorSite, prop: string): void {
    if (!Token.isUnresolved(this.specifier) && !/^[A-Za-z][A-Za-z0-9/.]*$/.test(this.specifier)) {
      fail(site, prop, `${quote(this.specifier)} is not a certificate attribute specifier`, 'use a name such as CN, OU, O, UID, DNS or URI');
    }
    if (this.values.length === 0) {
      fail(site, prop, `the condition on ${this.tagKey} has no values`, 'give at least one value, e.g. CertificateCondition.subjectCommonName(\'backup01\')');
    }
    for (const v of this.values) {
      if (Token.isUnresolved(v)) continue;
      if (v.trim() === '' || /^[*?]+$/.test(v)) {
        fail(site, prop, `${quote(v)} on ${this.tagKey} accepts any value`,
          'name the accepted values, or set allowAnyCertificate: true to trust every certificate of the trust anchors');
      }
      if (v.length > MAX_TAG_VALUE) {
        fail(site, prop, `${quote(v)} on ${this.tagKey} is ${v.length} characters, but session tag values hold at most ${MAX_TAG_VALUE}`,
          'use a shorter value, or a wildcard on its prefix');
      }
    }
  }

  /** @internal */
  public _toTrustCondition(): TrustCondition {
    return TrustCondition.stringMatches(`aws:PrincipalTag/${this.tagKey}`, this.values);
  }
}

class TagCondition extends CertificateCondition {
  public readonly certificateField: CertificateField;
  public readonly specifier: string;
  public readonly values: string[];

  constructor(certificateField: CertificateField, specifier: string, values: string[]) {
    super();
    this.certificateField = certificateField;
    this.specifier = specifier;
    this.values = [...values];
  }
}
