import { Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { validateNoWildcardPrincipal, validatePartition, validatePrincipalArnPatterns } from './private/principal-arns';
import { ErrorSite, fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { ScopeCheck } from '../core/trust-scope';
import {
  quote, validateAccountId, validateDuration, validateExternalId, validateNoDuplicates, validateNotEmpty,
  validatePattern, validateRoleArn,
} from '../core/validation';
import { WARNING } from '../core/warnings';

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
const SESSION_NAME = /^[\w+=,.@*?${}:-]+$/;

/** Properties for a {@link CrossAccountRole}. */
export interface CrossAccountRoleProps extends PatternRoleProps {
  /**
   * Accounts whose principals may assume the role, trusted through the account root
   * (`arn:<partition>:iam::<account>:root`).
   *
   * Trusting an account root delegates the decision to that account's administrators:
   * any principal there whose own policies allow `sts:AssumeRole` on this role gets in.
   * It therefore needs a condition that narrows who may call (`trustedPrincipalArnPatterns`,
   * `externalIds` or `requireMfa`), or the explicit `allowAccountWideTrust` opt-in; the
   * session name and source identity are chosen by the caller, so they do not narrow it. Prefer `trustedRoleArns` where you know the caller.
   *
   * @default - no account is trusted through its root
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_common-scenarios_aws-accounts.html
   */
  readonly trustedAccounts?: string[];

  /**
   * Exact roles (in any account) that may assume this role. IAM refuses wildcards in a
   * Principal: give patterns in `trustedPrincipalArnPatterns`.
   *
   * The roles must exist when this role is deployed: IAM resolves role ARNs in a trust
   * policy to unique ids and rejects unknown ones.
   *
   * @default - no role is trusted by ARN
   */
  readonly trustedRoleArns?: string[];

  /**
   * AWS Organizations whose principals may assume the role (`aws:PrincipalOrgID`).
   *
   * Like an account root, an organization trusts every principal that its own
   * policies allow, so it needs `trustedPrincipalArnPatterns`, `externalIds` or
   * `requireMfa`, or `allowAccountWideTrust`.
   *
   * @default - no organization is trusted
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
   */
  readonly trustedOrganizationIds?: string[];

  /**
   * ARN patterns the calling principal must match (`aws:PrincipalArn` with `ArnEquals`, or
   * `ArnLike` for patterns with `*` / `?`), e.g. `arn:aws:iam::111122223333:role/deploy-*`
   * or, with `trustedOrganizationIds`, `arn:aws:iam::*:role/platform/deployer`. Narrows
   * account-root and organization trust to those roles or users.
   *
   * Patterns that narrow nothing are refused: one that matches every role or user
   * (`arn:aws:iam::111122223333:role/*`), a wildcard account without
   * `trustedOrganizationIds`, an account that is not trusted, or another partition than
   * the stack's.
   *
   * @default - any principal of the trusted accounts or organizations
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
   */
  readonly trustedPrincipalArnPatterns?: string[];

  /**
   * External ids the caller must pass (`sts:ExternalId`), for callers that act on
   * behalf of several customers. Each is 2-1,224 characters of `[\w+=,.@:/-]`.
   *
   * @default - no external id is required
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_create_for-user_externalid.html
   */
  readonly externalIds?: string[];

  /**
   * Require the caller to have signed in with MFA (`aws:MultiFactorAuthPresent`) no
   * longer ago than `mfaMaxAge` (`aws:MultiFactorAuthAge`). For roles humans assume.
   *
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_configure-api-require.html
   */
  readonly requireMfa?: boolean;

  /**
   * How long ago the caller's MFA sign-in may be, with `requireMfa`.
   *
   * @default Duration.hours(1)
   */
  readonly mfaMaxAge?: Duration;

  /**
   * The role session name the caller must use (`sts:RoleSessionName`), exact or with
   * `*` / `?` wildcards; policy variables such as `${aws:username}` are allowed.
   *
   * @default - any session name
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_rolesessionname
   */
  readonly roleSessionNamePattern?: string;

  /**
   * Require the caller to set a source identity (`sts:SourceIdentity`), which then
   * follows the session through role chaining and appears in CloudTrail. Adds
   * `sts:SetSourceIdentity` to the trusted actions.
   *
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
   */
  readonly requireSourceIdentity?: boolean;

  /**
   * Allow the caller to pass session tags (`sts:TagSession`).
   *
   * @default false
   */
  readonly allowSessionTags?: boolean;

  /**
   * Trust account roots or organizations with no narrowing condition.
   *
   * Every principal of those accounts or organizations whose own policies allow it can
   * then assume the role. Leaves a warning.
   *
   * @default false
   */
  readonly allowAccountWideTrust?: boolean;
}

/** Options for {@link CrossAccountRole.grantAssume}. */
export interface GrantAssumeOptions {
  /**
   * Also allow `sts:TagSession`, for roles that accept session tags.
   *
   * @default false
   */
  readonly tagSession?: boolean;

  /**
   * Also allow `sts:SetSourceIdentity`, for roles that require a source identity.
   *
   * @default false
   */
  readonly setSourceIdentity?: boolean;
}

/**
 * A role that principals of other AWS accounts (or an organization) assume with
 * `sts:AssumeRole`.
 *
 * Secure by default: at least one trusted principal; account roots and organizations
 * only with a condition that narrows the callers (principal ARN patterns, external id,
 * MFA) or the explicit `allowAccountWideTrust`; sessions of one hour unless `allowLongSessions`.
 * The caller's side is granted with {@link CrossAccountRole.grantAssume}.
 *
 * @example
 * const deploy = new CrossAccountRole(this, 'Deploy', {
 *   trustedRoleArns: ['arn:aws:iam::111122223333:role/ci-deployer'],
 *   requireSourceIdentity: true,
 * });
 */
export class CrossAccountRole extends PatternRole {
  /**
   * Grants `grantee` (in the caller's account) `sts:AssumeRole` on exactly `roleArn`.
   *
   * The target role's trust policy must also trust the grantee's account or role.
   */
  public static grantAssume(grantee: iam.IGrantable, roleArn: string, options: GrantAssumeOptions = {}): iam.Grant {
    const site: ErrorSite = {
      kind: 'CrossAccountRole.grantAssume',
      path: isConstruct(grantee) ? grantee.node.path : String(grantee),
    };
    validateRoleArn(site, 'roleArn', roleArn);
    const actions = ['sts:AssumeRole'];
    if (options.tagSession) actions.push('sts:TagSession');
    if (options.setSourceIdentity) actions.push('sts:SetSourceIdentity');
    return iam.Grant.addToPrincipal({ grantee, actions, resourceArns: [roleArn] });
  }

  constructor(scope: Construct, id: string, props: CrossAccountRoleProps) {
    const site = patternRoleSite('CrossAccountRole', scope, id, props);
    const narrowing = validateCrossAccountProps(site, scope, props);
    super(scope, id, 'CrossAccountRole', props);

    const actions = ['sts:AssumeRole'];
    if (props.allowSessionTags) actions.push('sts:TagSession');
    if (props.requireSourceIdentity) actions.push('sts:SetSourceIdentity');

    const accountPrincipals = (props.trustedAccounts ?? []).map(a => new iam.AccountPrincipal(a));
    const rolePrincipals = (props.trustedRoleArns ?? []).map(a => new iam.ArnPrincipal(a));
    const callers = [...accountPrincipals, ...rolePrincipals];
    if (callers.length > 0) {
      this.trust.addStatement({ principals: callers, actions, conditions: narrowing });
    }
    const orgs = props.trustedOrganizationIds ?? [];
    if (orgs.length > 0) {
      this.trust.addStatement({
        principals: [new iam.AnyPrincipal()],
        actions,
        conditions: [TrustCondition.stringEquals('aws:PrincipalOrgID', orgs), ...narrowing],
      });
    }
    if (props.allowAccountWideTrust && (accountPrincipals.length > 0 || orgs.length > 0)) {
      this._warnOwnerWide(ScopeCheck.ACCOUNT, WARNING.accountWideTrust,
        'This role trusts whole accounts or organizations (allowAccountWideTrust): any principal there whose own policies allow sts:AssumeRole on it can assume it.');
    }
  }
}

/** Validates the trust props and returns the narrowing conditions shared by every statement. */
function validateCrossAccountProps(site: ErrorSite, scope: IConstruct, props: CrossAccountRoleProps): TrustCondition[] {
  const accounts = props.trustedAccounts ?? [];
  const roleArns = props.trustedRoleArns ?? [];
  const orgs = props.trustedOrganizationIds ?? [];
  if (accounts.length + roleArns.length + orgs.length === 0) {
    fail(site, 'trustedAccounts', 'no principal is trusted (trustedAccounts, trustedRoleArns and trustedOrganizationIds are all empty)',
      'name the exact caller with trustedRoleArns, or trustedAccounts / trustedOrganizationIds with a narrowing condition');
  }
  accounts.forEach(a => validateAccountId(site, 'trustedAccounts', a));
  validateNoDuplicates(site, 'trustedAccounts', accounts);
  for (const arn of roleArns) {
    validateNoWildcardPrincipal(site, 'trustedRoleArns', arn,
      'name the exact role; to trust every role that matches a pattern, trust its account with trustedAccounts and move the pattern into trustedPrincipalArnPatterns');
    validateRoleArn(site, 'trustedRoleArns', arn);
    validatePartition(site, 'trustedRoleArns', scope, arn);
  }
  validateNoDuplicates(site, 'trustedRoleArns', roleArns);
  for (const o of orgs) {
    if (!Token.isUnresolved(o) && !ORGANIZATION_ID.test(o)) {
      fail(site, 'trustedOrganizationIds', `${quote(o)} is not an AWS Organizations id`, 'pass the organization id, e.g. \'o-a1b2c3d4e5\'');
    }
  }
  validateNoDuplicates(site, 'trustedOrganizationIds', orgs);

  const conditions: TrustCondition[] = [];
  if (props.trustedPrincipalArnPatterns !== undefined) {
    validateNotEmpty(site, 'trustedPrincipalArnPatterns', props.trustedPrincipalArnPatterns, 'pass at least one ARN pattern, or leave trustedPrincipalArnPatterns out');
    validatePrincipalArnPatterns(site, 'trustedPrincipalArnPatterns', scope, props.trustedPrincipalArnPatterns, {
      accounts, roleArns, organizationIds: orgs, allowAccountWideTrust: props.allowAccountWideTrust ?? false,
    });
    validateNoDuplicates(site, 'trustedPrincipalArnPatterns', props.trustedPrincipalArnPatterns);
    conditions.push(TrustCondition.arnMatches('aws:PrincipalArn', props.trustedPrincipalArnPatterns));
  }
  if (props.externalIds !== undefined) {
    validateNotEmpty(site, 'externalIds', props.externalIds, 'pass at least one external id, or leave externalIds out');
    props.externalIds.forEach(e => validateExternalId(site, 'externalIds', e));
    conditions.push(TrustCondition.stringEquals('sts:ExternalId', props.externalIds));
  }
  if (props.mfaMaxAge !== undefined && !props.requireMfa) {
    fail(site, 'mfaMaxAge', 'it only applies with requireMfa', 'set requireMfa: true, or leave mfaMaxAge out');
  }
  if (props.requireMfa) {
    const age = props.mfaMaxAge ?? Duration.hours(1);
    validateDuration(site, 'mfaMaxAge', age, Duration.minutes(1), Duration.hours(12));
    conditions.push(TrustCondition.bool('aws:MultiFactorAuthPresent', true));
    conditions.push(TrustCondition.numericAtMost('aws:MultiFactorAuthAge', age.toSeconds()));
  }
  // Only the conditions above limit who may call; the session name and source identity
  // below are the caller's own choice.
  const narrowsCallers = conditions.length > 0;
  if (props.roleSessionNamePattern !== undefined) {
    const p = props.roleSessionNamePattern;
    if (!Token.isUnresolved(p)) {
      if (p.length < 2 || (p.length > 64 && !p.includes('${'))) {
        fail(site, 'roleSessionNamePattern', `${quote(p)} is ${p.length} characters long, but session names are 2-64 characters`,
          'use a pattern that a 2-64 character session name can match');
      }
      validatePattern(site, 'roleSessionNamePattern', p, SESSION_NAME, 'letters, digits, + = , . @ _ - and the wildcards * ?');
    }
    conditions.push(TrustCondition.stringMatches('sts:RoleSessionName', [p]));
  }
  if (props.requireSourceIdentity) {
    conditions.push(TrustCondition.isPresent('sts:SourceIdentity'));
  }
  if ((accounts.length > 0 || orgs.length > 0) && !narrowsCallers && !props.allowAccountWideTrust) {
    const what = accounts.length > 0
      ? `trusting the account root of ${accounts.map(quote).join(', ')}`
      : `trusting the organization ${orgs.map(quote).join(', ')}`;
    fail(site, accounts.length > 0 ? 'trustedAccounts' : 'trustedOrganizationIds',
      `${what} with no narrowing condition lets every principal there whose own policies allow it assume the role`,
      'name the caller with trustedRoleArns, narrow it with trustedPrincipalArnPatterns / externalIds / requireMfa (a session name or source identity is the caller\'s choice and does not), '
      + 'or set allowAccountWideTrust: true to opt in');
  }
  return conditions;
}

function isConstruct(x: unknown): x is IConstruct {
  return typeof x === 'object' && x !== null && 'node' in x && typeof (x as IConstruct).node?.path === 'string';
}

