import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { issuerOfProvider, validateIssuerSubject } from './private/issuers';
import { Comparison, hasWildcard } from '../core/comparison';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { TrustStatement } from '../core/trust-policy';
import { ScopeCheck } from '../core/trust-scope';
import { quote, validateArn, validateLength, validateNotEmpty } from '../core/validation';
import { WARNING } from '../core/warnings';
import { addWebIdentityStatement, issuerOf, subjectCondition, validateProviderAccount } from '../core/web-identity';

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
   * Accepted token audiences (`<issuer>:aud`, always StringEquals). At least one; each is
   * compared exactly, so values with `*` or `?` are refused.
   */
  readonly audiences: string[];

  /**
   * Accepted token subjects (`<issuer>:sub`): exact values, or patterns with `*` / `?`
   * (StringLike). At least one; patterns that match every subject are refused.
   *
   * For the issuers in this library's OIDC recipes (HCP Terraform, GitHub, GitLab,
   * Buildkite, CircleCI, Bitbucket Pipelines) the claim that names the tenant comes first
   * and is written out (`organization:acme:...`), since anyone can have their own tenant of
   * these issuers; a pattern that matches every workload of the tenant needs
   * `allowOwnerWideSubjects`.
   */
  readonly subjects: string[];

  /**
   * Opt in to subjects that match every workload of one tenant of the issuer, such as
   * `organization:acme:project:*` (HCP Terraform) or `repo:acme/*` (GitHub).
   *
   * Any workload created later in that organization, group or workspace can then assume
   * the role. Leaves the warning `cdk-access-patterns:ownerWideSubject`.
   *
   * @default false
   */
  readonly allowOwnerWideSubjects?: boolean;

  /**
   * Further conditions, e.g. on other claims AWS supports for the issuer
   * (`TrustCondition.stringMatches('<issuer>:amr', [...])`).
   *
   * Conditions on `<issuer>:sub` are checked like `subjects`, and conditions on
   * `<issuer>:aud` like `audiences`: their values are alternatives to those.
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
export class OidcFederatedRole extends PatternRole {
  /** The ARN of the trusted OIDC provider. */
  public readonly providerArn: string;

  /** The issuer without `https://`, the prefix of the condition keys. */
  public readonly issuer: string;

  private readonly statement: TrustStatement;
  /** The issuer (host and path) when known at synthesis, for the subject rules of `issuers.ts`. */
  private readonly issuerAtSynth: string | undefined;
  private readonly allowOwnerWideSubjects: boolean;

  constructor(scope: Construct, id: string, props: OidcFederatedRoleProps) {
    const site = patternRoleSite('OidcFederatedRole', scope, id, props);
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
    props.audiences.forEach(a => validateAudience(site, 'audiences', a));
    validateNotEmpty(site, 'subjects', props.subjects ?? [], 'give the subjects of the workloads that may assume the role');
    const issuerAtSynth = issuer ?? issuerOfProvider(props.provider!);
    const allowOwnerWide = props.allowOwnerWideSubjects ?? false;
    const ownerWide = [
      ...validateSubjects(site, 'subjects', issuerAtSynth, props.subjects, allowOwnerWide),
      ...validateClaimConditions(site, issuerAtSynth, props.conditions ?? [], allowOwnerWide),
    ];
    super(scope, id, 'OidcFederatedRole', props);

    this.providerArn = props.providerArn ?? props.provider!.oidcProviderArn;
    validateProviderAccount(site, props.providerArn !== undefined ? 'providerArn' : 'provider', this, this.providerArn);
    this.issuer = issuer ?? props.provider!.oidcProviderIssuer;
    this.issuerAtSynth = issuerAtSynth;
    this.allowOwnerWideSubjects = allowOwnerWide;
    this.statement = addWebIdentityStatement(this.trust, {
      providerArn: this.providerArn,
      issuer: this.issuer,
      audiences: props.audiences,
      subjects: props.subjects,
      conditions: props.conditions,
    });
    this.warnOwnerWide(ownerWide);
  }

  /**
   * Accepts more subjects; they merge into the existing `sub` condition. They are checked
   * like the `subjects` prop.
   */
  public addSubjects(...subjects: string[]): void {
    const site = siteOf('OidcFederatedRole', this);
    const ownerWide = validateSubjects(site, 'subjects', this.issuerAtSynth, subjects, this.allowOwnerWideSubjects);
    this.statement.addConditions(subjectCondition(this.issuer, subjects));
    this.warnOwnerWide(ownerWide);
  }

  private warnOwnerWide(subjects: OwnerWideSubject[]): void {
    for (const s of subjects) {
      this._warnOwnerWide(ScopeCheck.SUBJECT, WARNING.ownerWideSubject,
        `The subject ${quote(s.subject)} matches ${s.reach} (allowOwnerWideSubjects): workloads created there later can assume this role too.`);
    }
  }
}

/** A subject accepted with `allowOwnerWideSubjects`, and what it reaches. */
interface OwnerWideSubject {
  readonly subject: string;
  readonly reach: string;
}

/** Validates subjects for the issuer (undefined when only known at deployment) and returns the owner-wide ones. */
function validateSubjects(
  site: ErrorSite, prop: string, issuer: string | undefined, subjects: readonly string[], allowOwnerWide: boolean,
): OwnerWideSubject[] {
  const ownerWide: OwnerWideSubject[] = [];
  for (const subject of subjects) {
    const reach = validateIssuerSubject(site, prop, issuer, subject, allowOwnerWide);
    if (reach !== undefined) ownerWide.push({ subject, reach });
  }
  return ownerWide;
}

/** An audience: 1-255 characters, compared exactly (StringEquals), so without wildcards. */
function validateAudience(site: ErrorSite, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  validateLength(site, prop, value, 1, 255);
  if (hasWildcard(value)) {
    fail(site, prop, `the audience ${quote(value)} contains a wildcard, but audiences are compared exactly (StringEquals), so it would only match that literal text`,
      'give the exact audience the workloads request, e.g. \'sts.amazonaws.com\'');
  }
}

/** Comparisons whose values are claim values (the others test presence, booleans or numbers). */
const VALUE_COMPARISONS: ReadonlySet<Comparison> = new Set([
  Comparison.STRING_MATCH, Comparison.STRING_EQUALS, Comparison.ARN_MATCH, Comparison.ANY_VALUE_MATCH,
]);

/**
 * Conditions on the `sub` or `aud` claim add alternatives to `subjects` and `audiences`
 * (their values merge into the same condition, or render as another statement), so they are
 * checked the same way. The claim is recognised by the key's suffix, which also holds for keys
 * built from a provider's deploy-time issuer (IAM compares condition keys case-insensitively).
 */
function validateClaimConditions(
  site: ErrorSite, issuer: string | undefined, conditions: readonly TrustCondition[], allowOwnerWide: boolean,
): OwnerWideSubject[] {
  const ownerWide: OwnerWideSubject[] = [];
  for (const c of conditions) {
    if (!VALUE_COMPARISONS.has(c._comparison)) continue;
    const key = c.key.toLowerCase();
    if (/^(aws|sts):/.test(key)) continue;
    if (key.endsWith(':sub')) {
      ownerWide.push(...validateSubjects(site, 'conditions', issuer, c.values, allowOwnerWide));
    } else if (key.endsWith(':aud')) {
      c.values.forEach(v => validateAudience(site, 'conditions', v));
    }
  }
  return ownerWide;
}
