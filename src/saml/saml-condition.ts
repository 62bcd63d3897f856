import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../core/errors';
import { TrustCondition } from '../core/trust-condition';
import { quote } from '../core/validation';

/** The `SAML:sub_type` of an assertion: the format of its `NameID`. */
export enum SamlSubjectType {
  /** A stable, opaque identifier of the user (`urn:oasis:names:tc:SAML:2.0:nameid-format:persistent`). */
  PERSISTENT = 'persistent',
  /** An identifier valid for one session only (`urn:oasis:names:tc:SAML:2.0:nameid-format:transient`). */
  TRANSIENT = 'transient',
}

/**
 * A condition on an attribute of the SAML assertion, in addition to the audience.
 *
 * Values with `*` or `?` become `StringLike` patterns; others `StringEquals`.
 *
 * @example
 * SamlCondition.subjectType(SamlSubjectType.PERSISTENT)
 * SamlCondition.subject(['alice@example.com', 'bob@example.com'])
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
 */
export abstract class SamlCondition {
  /** The assertion's subject (`SAML:sub`, the `NameID`). */
  public static subject(values: string[]): SamlCondition {
    return new KeyedCondition('SAML:sub', values);
  }

  /**
   * The format of the assertion's subject (`SAML:sub_type`). For other `NameID` formats,
   * whose `sub_type` is the full format URI, use `SamlCondition.attribute('SAML:sub_type', [uri])`.
   */
  public static subjectType(subjectType: SamlSubjectType): SamlCondition {
    return new KeyedCondition('SAML:sub_type', [subjectType]);
  }

  /**
   * The issuer's name qualifier (`SAML:namequalifier`): a hash of the issuer, the
   * account id and the SAML provider's name, which with `SAML:sub` identifies one user.
   */
  public static nameQualifier(values: string[]): SamlCondition {
    return new KeyedCondition('SAML:namequalifier', values);
  }

  /** The assertion's issuer (`SAML:iss`), the identity provider's entity id. */
  public static issuer(values: string[]): SamlCondition {
    return new KeyedCondition('SAML:iss', values);
  }

  /**
   * Any other single-valued SAML condition key that IAM supports, e.g. `SAML:uid`,
   * `SAML:edupersonprincipalname` or `SAML:edupersonorgdn`. The key must start with `SAML:`.
   *
   * Keys that IAM documents as possibly list-valued are refused: `SAML:cn`,
   * `SAML:edupersonaffiliation`, `SAML:edupersonassurance`, `SAML:edupersonentitlement`,
   * `SAML:edupersonnickname`, `SAML:edupersonorgunitdn`, `SAML:edupersonscopedaffiliation`,
   * `SAML:edupersontargetedid` and the `SAML:eduorg*` keys. They need a set operator
   * (`ForAnyValue:`/`ForAllValues:`), which this class does not render.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-saml
   */
  public static attribute(key: string, values: string[]): SamlCondition {
    return new KeyedCondition(key, values);
  }

  protected constructor() {}

  /**
   * The trust condition, validated.
   * @internal
   */
  public abstract _toTrustCondition(site: ErrorSite): TrustCondition;
}

/**
 * The SAML keys IAM marks as possibly list-valued ("Items marked with [] can have a value
 * that is a list") in "Available keys for SAML-based AWS STS federation", lower-cased.
 */
const MULTI_VALUED_KEYS = new Set([
  'saml:cn',
  'saml:edupersonaffiliation',
  'saml:edupersonassurance',
  'saml:edupersonentitlement',
  'saml:edupersonnickname',
  'saml:edupersonorgunitdn',
  'saml:edupersonscopedaffiliation',
  'saml:edupersontargetedid',
  'saml:eduorghomepageuri',
  'saml:eduorgidentityauthnpolicyuri',
  'saml:eduorglegalname',
  'saml:eduorgsuperioruri',
  'saml:eduorgwhitepagesuri',
]);

class KeyedCondition extends SamlCondition {
  constructor(private readonly key: string, private readonly values: string[]) {
    super();
  }

  public _toTrustCondition(site: ErrorSite): TrustCondition {
    if (!Token.isUnresolved(this.key)) {
      if (!/^SAML:[A-Za-z0-9_]+$/.test(this.key)) {
        fail(site, 'conditions', `${quote(this.key)} is not a SAML condition key`, 'use a key of the form SAML:<attribute>, e.g. SAML:sub');
      }
      if (this.key.toLowerCase() === 'saml:aud') {
        fail(site, 'conditions', 'SAML:aud is set by the audiences prop', 'pass the sign-in endpoints with audiences: [SamlAudience.global(), ...]');
      }
      if (MULTI_VALUED_KEYS.has(this.key.toLowerCase())) {
        fail(site, 'conditions', `${quote(this.key)} can hold a list of values, which StringEquals/StringLike do not compare`,
          'a list-valued SAML key needs a ForAnyValue:/ForAllValues: condition, which SamlCondition does not build; add it to the trust policy yourself, or use a single-valued key such as SAML:sub or SAML:edupersonprincipalname');
      }
    }
    if (this.values.length === 0) {
      fail(site, 'conditions', `the condition on ${quote(this.key)} has no values`, 'give at least one value');
    }
    for (const v of this.values) {
      if (!Token.isUnresolved(v) && (v.trim() === '' || /^[*?]+$/.test(v))) {
        fail(site, 'conditions', `the value ${quote(v)} of ${quote(this.key)} matches every assertion`, 'give the exact values, or leave the condition out');
      }
    }
    return TrustCondition.stringMatches(this.key, this.values);
  }
}
