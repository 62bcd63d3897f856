import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../core/errors';
import { literalText } from '../core/token-text';
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

/**
 * Subject attributes that name one certificate holder rather than a group of them, in lower
 * case: IAM compares tag keys without regard to case, so `x509Subject/cn` is the common name too.
 */
const IDENTIFYING_SUBJECT_ATTRIBUTES: ReadonlySet<string> = new Set(['cn', 'uid', 'serialnumber']);

/** Issuer attributes whose values are exact names (lower case). */
const EXACT_ISSUER_ATTRIBUTES: ReadonlySet<string> = new Set(['cn']);

/** A DNS label of a pattern's literal suffix: letters, digits, '-' and '_'. */
const DNS_LABEL = /^[A-Za-z0-9_-]+$/;

/** A pattern needs this many literal labels after its last wildcard. */
const MIN_LITERAL_LABELS = 2;

/** A principal tag value may be at most 256 characters. */
const MAX_TAG_VALUE = 256;

/**
 * Which certificates a {@link RolesAnywhereRole} accepts, by the attributes IAM Roles
 * Anywhere copies from the authenticating certificate into principal tags
 * (`aws:PrincipalTag/x509Subject/CN` and so on).
 *
 * Several values of one condition are alternatives; different conditions must all hold.
 *
 * Common names (subject and issuer), UIDs, serial numbers and subject alternative names are
 * exact values (`StringEquals`): a value with `*` or `?` is refused, since `'*.*'` or
 * `'*.com'` would accept nearly every certificate. Host names are matched by pattern only
 * through `subjectAlternativeNameDnsPattern` or `subjectCommonNamePattern`, which keep at
 * least two literal DNS labels after the last wildcard (`StringLike`). Organization, unit
 * and locality values with `*` or `?` are wildcards (`StringLike`). A value may not hold an
 * IAM policy variable (`${...}`), which would compare the tag with itself.
 *
 * @example
 * CertificateCondition.subjectCommonName('backup01.corp.example.com')
 * CertificateCondition.subjectOrganizationalUnit('Backup')
 * CertificateCondition.subjectAlternativeNameDnsPattern('*.nodes.corp.example.com')
 *
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html
 */
export abstract class CertificateCondition {
  /**
   * The subject's common name (`aws:PrincipalTag/x509Subject/CN`), exactly one of the
   * values. `*` and `?` are refused: use `subjectCommonNamePattern` for host name patterns.
   */
  public static subjectCommonName(...commonNames: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SUBJECT, 'CN', commonNames);
  }

  /**
   * The subject's common name, a host name matching one of the DNS patterns
   * (`StringLike aws:PrincipalTag/x509Subject/CN`), e.g. `*.nodes.corp.example.com`.
   *
   * `*` matches any characters, dots included (`*.nodes.corp.example.com` also matches
   * `a.b.nodes.corp.example.com`), and `?` one character. At least two literal labels must
   * follow the label with the last wildcard, so that the pattern stays inside one domain:
   * `*`, `*.*`, `*.com` and `*example.com` are refused. Values without a wildcard are
   * refused too (use `subjectCommonName`).
   */
  public static subjectCommonNamePattern(...patterns: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SUBJECT, 'CN', patterns, true);
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
   * The issuer's common name (`aws:PrincipalTag/x509Issuer/CN`), exactly one of the values:
   * the CA that signed the certificate, e.g. one intermediate CA of a bundle. On its own it
   * accepts every certificate that CA issued, so it does not scope a role by itself.
   */
  public static issuerCommonName(...commonNames: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_ISSUER, 'CN', commonNames);
  }

  /**
   * The first DNS subject alternative name (`aws:PrincipalTag/x509SAN/DNS`), exactly one of
   * the values. `*` and `?` are refused: use `subjectAlternativeNameDnsPattern` for patterns.
   */
  public static subjectAlternativeNameDns(...dnsNames: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SAN, 'DNS', dnsNames);
  }

  /**
   * The first DNS subject alternative name, matching one of the DNS patterns
   * (`StringLike aws:PrincipalTag/x509SAN/DNS`), e.g. `*.nodes.corp.example.com` for every
   * node of a fleet.
   *
   * `*` matches any characters, dots included (`*.nodes.corp.example.com` also matches
   * `a.b.nodes.corp.example.com`), and `?` one character. At least two literal labels must
   * follow the label with the last wildcard, so that the pattern stays inside one domain:
   * `*`, `*.*`, `*.com` and `*example.com` are refused. Values without a wildcard are
   * refused too (use `subjectAlternativeNameDns`).
   */
  public static subjectAlternativeNameDnsPattern(...patterns: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SAN, 'DNS', patterns, true);
  }

  /**
   * The first URI subject alternative name (`aws:PrincipalTag/x509SAN/URI`), exactly one of
   * the values, e.g. a SPIFFE id `spiffe://corp.example.com/backup`.
   */
  public static subjectAlternativeNameUri(...uris: string[]): CertificateCondition {
    return new TagCondition(CertificateField.X509_SAN, 'URI', uris);
  }

  /**
   * Any other subject attribute (`aws:PrincipalTag/x509Subject/<specifier>`), e.g. `UID`,
   * `C`, `ST` or `L`, one of the values. Values of `CN`, `UID` and `serialNumber` are exact
   * (`*` and `?` are refused); others with `*` or `?` are wildcards.
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
   * Whether the values are DNS patterns (`StringLike`), as the `...Pattern` factories make
   * them. Other conditions on exact attributes (common names, UIDs, serial numbers, subject
   * alternative names) refuse `*` and `?`.
   */
  public get isPattern(): boolean {
    return false;
  }

  /**
   * Whether the attribute holds exact values: the subject's common name, UID or serial
   * number, the issuer's common name, or a subject alternative name. Only a pattern
   * condition (`isPattern`) may give them with `*` or `?`.
   */
  public get isExact(): boolean {
    if (Token.isUnresolved(this.specifier)) return true;
    const specifier = this.specifier.toLowerCase();
    switch (this.certificateField) {
      case CertificateField.X509_SAN: return true;
      case CertificateField.X509_SUBJECT: return IDENTIFYING_SUBJECT_ATTRIBUTES.has(specifier);
      case CertificateField.X509_ISSUER: return EXACT_ISSUER_ATTRIBUTES.has(specifier);
      default: return true;
    }
  }

  /**
   * Whether the condition names individual certificate holders: the subject's common
   * name, user id or serial number, or a subject alternative name. Issuer, organization,
   * unit, country or locality conditions are shared by every certificate a CA issues for
   * one organization, so they do not scope a role on their own.
   */
  public get identifiesSubject(): boolean {
    if (this.certificateField === CertificateField.X509_SAN) return true;
    return this.certificateField === CertificateField.X509_SUBJECT && !Token.isUnresolved(this.specifier)
      && IDENTIFYING_SUBJECT_ATTRIBUTES.has(this.specifier.toLowerCase());
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
      // The text the user wrote around any tokens: a token's own value is only known at deploy time.
      const literal = literalText(v, '');
      if (literal.includes('${')) {
        fail(site, prop, `${quote(v)} on ${this.tagKey} holds an IAM policy variable ('\${...}'), which IAM replaces before comparing (a tag compared with itself always matches)`,
          'give the literal value without \'${\'');
      }
      if (Token.isUnresolved(v)) {
        if (!this.isPattern && this.isExact && hasWildcard(literal)) this.failWildcard(site, prop, v);
        continue;
      }
      if (v.trim() === '' || /^[*?]+$/.test(v)) {
        fail(site, prop, `${quote(v)} on ${this.tagKey} accepts any value`,
          'name the accepted values, or set allowAnyCertificate: true to trust every certificate of the trust anchors');
      }
      if (v.length > MAX_TAG_VALUE) {
        fail(site, prop, `${quote(v)} on ${this.tagKey} is ${v.length} characters, but session tag values hold at most ${MAX_TAG_VALUE}`,
          this.isExact ? 'use the value the certificate holds' : 'use a shorter value, or a wildcard on its prefix');
      }
      if (this.isPattern) validateDnsPattern(site, prop, this.tagKey, v, this.exactFactory);
      else if (this.isExact && hasWildcard(v)) this.failWildcard(site, prop, v);
    }
  }

  /** @internal */
  public _toTrustCondition(): TrustCondition {
    // Validation leaves `*` and `?` only in pattern values, so exact values render as
    // StringEquals and patterns as StringLike (both may be given for one attribute).
    return TrustCondition.stringMatches(`aws:PrincipalTag/${this.tagKey}`, this.values);
  }

  /** The factory for exact values of this attribute, named in errors. */
  private get exactFactory(): string {
    const field = this.certificateField;
    const specifier = this.specifier.toLowerCase();
    if (field === CertificateField.X509_SAN && specifier === 'dns') return 'subjectAlternativeNameDns';
    if (field === CertificateField.X509_SUBJECT && specifier === 'cn') return 'subjectCommonName';
    return 'subjectAttribute';
  }

  private failWildcard(site: ErrorSite, prop: string, value: string): never {
    const field = this.certificateField;
    const specifier = Token.isUnresolved(this.specifier) ? '' : this.specifier.toLowerCase();
    const pattern = field === CertificateField.X509_SAN && specifier === 'dns' ? 'CertificateCondition.subjectAlternativeNameDnsPattern'
      : field === CertificateField.X509_SUBJECT && specifier === 'cn' ? 'CertificateCondition.subjectCommonNamePattern' : undefined;
    return fail(site, prop,
      `${quote(value)} on ${this.tagKey} contains '*' or '?', but ${this.tagKey} is an exact value and a wildcard there (e.g. '*.*' or '*.com') accepts nearly every certificate`,
      pattern
        ? `give the exact names, or opt in to a host name pattern with ${pattern}('*.nodes.example.com') (at least two literal DNS labels after the last wildcard)`
        : 'give the exact values the certificates hold');
  }
}

/** Whether the text has an IAM wildcard. */
function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}


/**
 * A DNS pattern must have a wildcard and keep at least two literal labels after the label
 * that holds its last wildcard, so that it stays inside one domain (`*.nodes.example.com`,
 * not `*`, `*.*`, `*.com` or `*example.com`).
 */
function validateDnsPattern(site: ErrorSite, prop: string, tagKey: string, value: string, exactFactory: string): void {
  if (!hasWildcard(value)) {
    fail(site, prop, `${quote(value)} on ${tagKey} has no '*' or '?', but was given as a pattern`,
      `give exact names with CertificateCondition.${exactFactory}(...)`);
  }
  const labels = value.split('.');
  if (labels.some(l => l === '')) {
    fail(site, prop, `${quote(value)} on ${tagKey} is not a DNS name pattern (it has an empty label)`,
      'write the pattern as dot-separated labels, e.g. \'*.nodes.example.com\'');
  }
  let last = -1;
  labels.forEach((l, i) => {
    if (hasWildcard(l)) last = i;
  });
  const suffix = labels.slice(last + 1);
  if (suffix.length < MIN_LITERAL_LABELS) {
    fail(site, prop,
      `${quote(value)} on ${tagKey} is followed by ${suffix.length === 0 ? 'no literal DNS label' : `only ${suffix.length} literal DNS label ('${suffix.join('.')}')`} after its last wildcard, so it matches names in any domain`,
      `keep at least ${MIN_LITERAL_LABELS} literal labels after the last wildcard, e.g. '*.nodes.example.com'`);
  }
  const bad = suffix.find(l => !DNS_LABEL.test(l));
  if (bad !== undefined) {
    fail(site, prop, `${quote(value)} on ${tagKey} has ${quote(bad)} after its wildcard, which is not a DNS label`,
      'use letters, digits, \'-\' and \'_\' in the labels after the wildcard');
  }
}

class TagCondition extends CertificateCondition {
  public readonly certificateField: CertificateField;
  public readonly specifier: string;
  public readonly values: string[];
  private readonly pattern: boolean;

  constructor(certificateField: CertificateField, specifier: string, values: string[], pattern: boolean = false) {
    super();
    this.certificateField = certificateField;
    this.specifier = specifier;
    this.values = [...values];
    this.pattern = pattern;
  }

  public get isPattern(): boolean {
    return this.pattern;
  }
}
