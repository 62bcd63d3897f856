import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import * as rules from './rules';

/**
 * cdk-nag rules for the ways into an AWS account: role trust policies and long-lived
 * keys. The rules read any `CfnResource` (L1, L2 or this library's constructs), so the
 * pack works on apps that never used the constructs.
 *
 * Register it as a validation plugin; findings make synthesis fail, and are
 * acknowledged per finding with `Validations.of(scope).acknowledge(...)`:
 *
 * @example
 * const app = new App();
 * Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app));
 */
export class AccessPatternsChecks extends NagPack {
  /** The plugin name shown in the validation report. */
  public readonly name = 'AccessPatterns';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'AccessPatterns';
  }

  protected checkResource(node: CfnResource): void {
    this.applyRule({
      info: 'The role trusts an AWS account root without a condition that narrows the callers.',
      explanation: 'Trusting arn:aws:iam::<account>:root lets every principal of that account whose own policies allow it assume the role. '
        + 'Trust the exact role ARN, or add sts:ExternalId (vendors), MFA, aws:PrincipalOrgID, sts:RoleSessionName or sts:SourceIdentity conditions.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustAccountRootNarrowed,
      node,
    });
    this.applyRule({
      info: 'The role trusts any principal ("*") without an organization, account or ARN condition.',
      explanation: 'A "*" principal in a trust policy is only safe together with aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount or aws:SourceArn.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustAnyPrincipalScoped,
      node,
    });
    this.applyRule({
      info: 'The role trusts web identities (OIDC or Cognito) without a StringEquals condition on the token audience (<issuer>:aud).',
      explanation: 'Without the audience any token of the issuer, minted for any client, is accepted. Require the audience the caller requests, e.g. sts.amazonaws.com for GitHub Actions.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustWebIdentityAudience,
      node,
    });
    this.applyRule({
      info: 'The role trusts an OIDC provider without a token subject (<issuer>:sub) condition, or with one that matches every subject.',
      explanation: 'Scope OIDC trust to exact subjects: a repository and branch or environment (GitHub, GitLab), a namespace and service account (EKS). '
        + 'A missing or "*" subject lets every workload the issuer serves assume the role.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustWebIdentitySubject,
      node,
    });
    this.applyRule({
      info: 'The trust policy uses ForAnyValue:/ForAllValues: on a single-valued condition key.',
      explanation: 'ForAllValues: is true when the key is absent from the request, so such a condition does not restrict anything. Use StringEquals/StringLike on single-valued keys such as sub and aud.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustNoSetOperatorOnSingleValuedKey,
      node,
    });
    this.applyRule({
      info: 'The role trusts a SAML provider without a StringEquals condition on SAML:aud.',
      explanation: 'Require the AWS sign-in endpoint of the partition (e.g. https://signin.aws.amazon.com/saml) as the SAML assertion audience.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustSamlAudience,
      node,
    });
    this.applyRule({
      info: 'The role trusts IAM Roles Anywhere without pinning its trust anchors with aws:SourceArn.',
      explanation: 'Without aws:SourceArn a certificate issued by any trust anchor in the account can reach the role. Add ArnEquals aws:SourceArn with the trust anchor ARNs.',
      level: NagMessageLevel.ERROR,
      rule: rules.TrustRolesAnywhereSourceArn,
      node,
    });
    this.applyRule({
      info: 'The app creates an IAM user access key.',
      explanation: 'Long-lived access keys leak and are rarely rotated. Use temporary credentials: a role, OIDC federation (CI/CD), IAM Roles Anywhere (servers) or IAM Identity Center (people).',
      level: NagMessageLevel.ERROR,
      rule: rules.NoIamUserAccessKeys,
      node,
    });
  }
}
