import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { fail, siteOf } from '../core/errors';
import { attachTrustPolicy, toRoleProps } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { validateSubjectIsScoped } from '../core/subjects';
import { TrustCondition } from '../core/trust-condition';
import { TrustPolicy, TrustStatement } from '../core/trust-policy';
import { quote, validateArn, validateLength, validateNotEmpty } from '../core/validation';
import { addWebIdentityStatement, issuerOf, validateProviderAccount } from '../core/web-identity';

/** Properties for an {@link OidcFederatedRole}. */
export interface OidcFederatedRoleProps extends PatternRoleProps {
  /**
   * The IAM OIDC provider of the issuer. Give either `provider`, or `providerArn` with
   * `issuerUrl`.
   *
   * @default - use `providerArn` and `issuerUrl`
   */
  readonly provider?: iam.IOidcProvider;

  /**
   * The ARN of the issuer's IAM OIDC provider, e.g. one created outside this app.
   *
   * @default - use `provider`
   */
  readonly providerArn?: string;

  /**
   * The issuer URL exactly as in the tokens' `iss` claim (e.g. `https://app.terraform.io`).
   * Required with `providerArn`. With `provider`, giving it keeps the condition keys plain
   * strings; otherwise they come from the provider and may need a `CfnJson` custom resource.
   *
   * @default - the provider's issuer
   */
  readonly issuerUrl?: string;

  /**
   * Accepted token audiences (`<issuer>:aud`, always StringEquals). At least one.
   */
  readonly audiences: string[];

  /**
   * Accepted token subjects (`<issuer>:sub`): exact values, or patterns with `*` / `?`
   * (StringLike). At least one; patterns that match every subject are refused.
   */
  readonly subjects: string[];

  /**
   * Further conditions, e.g. on other claims AWS supports for the issuer
   * (`TrustCondition.stringMatches('<issuer>:amr', [...])`).
   *
   * @default - none
   */
  readonly conditions?: TrustCondition[];
}

/**
 * A role that any OIDC issuer's workloads assume with their token
 * (`sts:AssumeRoleWithWebIdentity`): Terraform Cloud, CircleCI, Bitbucket Pipelines,
 * Buildkite and others. Audience and subject are always required.
 *
 * @example
 * new OidcFederatedRole(this, 'TerraformApply', {
 *   providerArn: 'arn:aws:iam::111122223333:oidc-provider/app.terraform.io',
 *   issuerUrl: 'https://app.terraform.io',
 *   audiences: ['aws.workload.identity'],
 *   subjects: ['organization:acme:project:platform:workspace:network:run_phase:apply'],
 * });
 */
export class OidcFederatedRole extends iam.Role {
  /** The ARN of the trusted OIDC provider. */
  public readonly providerArn: string;

  /** The issuer without `https://`, the prefix of the condition keys. */
  public readonly issuer: string;

  /** The trust policy builder of this role. */
  protected readonly trust: TrustPolicy;

  private readonly statement: TrustStatement;

  constructor(scope: Construct, id: string, props: OidcFederatedRoleProps) {
    const site = siteOf('OidcFederatedRole', scope, id);
    const roleProps = toRoleProps(site, props);
    if ((props.provider === undefined) === (props.providerArn === undefined)) {
      fail(site, 'provider', props.provider === undefined ? 'neither provider nor providerArn is set' : 'both provider and providerArn are set',
        'give the IAM OIDC provider, or its ARN with issuerUrl');
    }
    if (props.providerArn !== undefined && props.issuerUrl === undefined) {
      fail(site, 'issuerUrl', 'providerArn is set without issuerUrl', 'give the issuer URL exactly as in the tokens\' iss claim, e.g. \'https://app.terraform.io\'');
    }
    const issuer = props.issuerUrl !== undefined ? issuerOf(site, 'issuerUrl', props.issuerUrl) : undefined;
    if (props.providerArn !== undefined) {
      const parts = validateArn(site, 'providerArn', props.providerArn, {
        service: 'iam', resource: /^oidc-provider\/.+/, example: 'arn:aws:iam::111122223333:oidc-provider/app.terraform.io',
      });
      if (parts && issuer !== undefined && !Token.isUnresolved(issuer) && parts.resource !== `oidc-provider/${issuer}`) {
        fail(site, 'issuerUrl', `${quote(props.issuerUrl!)} is not the issuer of ${quote(props.providerArn)}`,
          `give the provider's URL, https://${parts.resource.slice('oidc-provider/'.length)}`);
      }
    }
    validateNotEmpty(site, 'audiences', props.audiences ?? [], 'give the audience the workloads request, e.g. \'sts.amazonaws.com\'');
    props.audiences.forEach(a => validateLength(site, 'audiences', a, 1, 255));
    validateNotEmpty(site, 'subjects', props.subjects ?? [], 'give the subjects of the workloads that may assume the role');
    props.subjects.forEach(s => validateSubjectIsScoped(site, 'subjects', s, 'the issuer\'s subject format in this library\'s OIDC recipes'));
    super(scope, id, roleProps);

    this.providerArn = props.providerArn ?? props.provider!.oidcProviderArn;
    validateProviderAccount(site, props.providerArn !== undefined ? 'providerArn' : 'provider', this, this.providerArn);
    this.issuer = issuer ?? props.provider!.oidcProviderIssuer;
    this.trust = attachTrustPolicy(this, 'OidcFederatedRole', props);
    this.statement = addWebIdentityStatement(this.trust, {
      providerArn: this.providerArn,
      issuer: this.issuer,
      audiences: props.audiences,
      subjects: props.subjects,
      conditions: props.conditions,
    });
  }

  /** Accepts more subjects; they merge into the existing `sub` condition. */
  public addSubjects(...subjects: string[]): void {
    const site = siteOf('OidcFederatedRole', this);
    subjects.forEach(s => validateSubjectIsScoped(site, 'subjects', s, 'the issuer\'s subject format'));
    this.statement.addConditions(TrustCondition.stringMatches(`${this.issuer}:sub`, subjects));
  }
}
