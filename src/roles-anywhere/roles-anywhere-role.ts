import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CertificateCondition } from './certificate-condition';
import { ROLES_ANYWHERE_SERVICE } from './private/names';
import { ITrustAnchor } from './trust-anchor';
import { fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { ScopeCheck } from '../core/trust-scope';
import { validateNoDuplicates } from '../core/validation';
import { WARNING } from '../core/warnings';

/** Properties for a {@link RolesAnywhereRole}. */
export interface RolesAnywhereRoleProps extends PatternRoleProps {
  /**
   * The trust anchors whose certificates may assume the role (`ArnEquals aws:SourceArn`).
   *
   * Without this condition a certificate of any trust anchor in the account reaches the
   * role, so the role always names its anchors.
   *
   * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/trust-model.html#trust-policy
   */
  readonly trustAnchors: ITrustAnchor[];

  /**
   * Which certificates may assume the role, by the attributes IAM Roles Anywhere copies
   * into principal tags (`aws:PrincipalTag/x509Subject/CN` ...). Values of one
   * condition are alternatives; conditions on different attributes must all hold, and
   * conditions on the same attribute merge into one list of alternatives (a certificate
   * has one value per attribute).
   *
   * At least one condition must name certificate holders (the subject's common name, UID
   * or serial number, or a subject alternative name): issuer, organization or unit
   * conditions alone accept every certificate a CA issues to an organization, so they
   * need `allowAnyCertificate`. Common names, UIDs, serial numbers and subject alternative
   * names are exact; host name patterns need `CertificateCondition.subjectAlternativeNameDnsPattern`
   * or `subjectCommonNamePattern`.
   *
   * @default - none; then `allowAnyCertificate` must be set
   */
  readonly certificateConditions?: CertificateCondition[];

  /**
   * Trust every certificate the trust anchors accept (optionally narrowed by issuer).
   * Any workload with any certificate of those CAs can then assume the role. Leaves a
   * warning.
   *
   * @default false
   */
  readonly allowAnyCertificate?: boolean;
}

/**
 * A role that workloads outside AWS assume with an X.509 certificate through IAM Roles
 * Anywhere.
 *
 * The trust policy trusts `rolesanywhere.amazonaws.com` with `sts:AssumeRole`,
 * `sts:TagSession` and `sts:SetSourceIdentity` (all three are required), always pinned to
 * its trust anchors (`ArnEquals aws:SourceArn`) and scoped by certificate attributes
 * (`StringEquals aws:PrincipalTag/x509Subject/CN` ...; `StringLike` only for the DNS
 * patterns of the `...Pattern` factories). Trusting every certificate of an
 * anchor takes `allowAnyCertificate: true` and warns. List the role in a
 * {@link RolesAnywhereProfile} so that workloads can get its credentials.
 *
 * @example
 * const role = new RolesAnywhereRole(this, 'Backup', {
 *   trustAnchors: [anchor],
 *   certificateConditions: [CertificateCondition.subjectCommonName('backup01.corp.example.com')],
 * });
 */
export class RolesAnywhereRole extends PatternRole {
  /** The trust anchors the role is pinned to. */
  public readonly trustAnchors: ITrustAnchor[];

  /** The certificate conditions of the trust policy. */
  public readonly certificateConditions: CertificateCondition[];

  constructor(scope: Construct, id: string, props: RolesAnywhereRoleProps) {
    const site = patternRoleSite('RolesAnywhereRole', scope, id, props);
    const anchors = props.trustAnchors ?? [];
    if (anchors.length === 0) {
      fail(site, 'trustAnchors', 'no trust anchor is given', 'name the trust anchor(s) whose certificates may assume the role');
    }
    validateNoDuplicates(site, 'trustAnchors', anchors.map(a => a.trustAnchorArn));
    const conditions = props.certificateConditions ?? [];
    conditions.forEach(c => c._validate(site, 'certificateConditions'));
    const scoped = conditions.some(c => c.identifiesSubject);
    if (!scoped && !props.allowAnyCertificate) {
      fail(site, 'certificateConditions',
        conditions.length === 0 ? 'no certificate condition is given, so every certificate of the trust anchors could assume the role'
          : `no condition names a certificate holder (${conditions.map(c => c.tagKey).join(', ')} are shared by every certificate a CA issues to an organization), `
            + 'so all of those certificates could assume the role',
        'add a subject common name, UID, serial number or subject alternative name, e.g. CertificateCondition.subjectCommonName(\'backup01\'), '
          + 'or set allowAnyCertificate: true to opt in');
    }
    super(scope, id, 'RolesAnywhereRole', props);

    this.trustAnchors = [...anchors];
    this.certificateConditions = [...conditions];
    this.trust.addStatement({
      principals: [new iam.ServicePrincipal(ROLES_ANYWHERE_SERVICE)],
      actions: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
      conditions: [
        TrustCondition.arnMatches('aws:SourceArn', anchors.map(a => a.trustAnchorArn)),
        ...conditions.map(c => c._toTrustCondition()),
      ],
    });
    // A host name pattern (CertificateCondition.subjectAlternativeNameDnsPattern or
    // subjectCommonNamePattern) is its own named opt-in to the certificates it matches.
    if (conditions.some(c => c.isPattern)) this.trust._acceptOwnerWide(ScopeCheck.CERTIFICATE);
    if (props.allowAnyCertificate && !scoped) {
      this._warnOwnerWide(ScopeCheck.CERTIFICATE, WARNING.anyCertificate,
        'Every certificate the trust anchors accept can assume this role (allowAnyCertificate); scope it with certificateConditions, e.g. CertificateCondition.subjectCommonName(...).');
    }
  }
}
