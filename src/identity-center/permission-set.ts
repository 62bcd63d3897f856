import { Annotations, Duration, IResource, Resource, Tags, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct } from 'constructs';
import { IIdentityCenterInstance } from './instance';
import { registerPermissionSetName } from './private/name-registry';
import { inlinePolicyErrors, validateAwsManaged, validateInlinePolicy } from './private/policy-checks';
import { checkRename, warnAllowedRename } from './private/rename-guard';
import { validatePermissionSetDescription, validateRelayState } from './private/text-checks';
import { DEFAULT_ROLE_POLICY_QUOTA, MAX_PERMISSION_SET_POLICIES, permissionSetLogicalId } from './private/validation';
import { ErrorSite, fail, siteOf } from '../core/errors';
import {
  quote, validateDuration, validateIamName, validateIamPath, validateLength,
} from '../core/validation';
import { WARNING } from '../core/warnings';

/** `arn:<partition>:sso:::permissionSet/ssoins-<16>/ps-<16>`. */
const PERMISSION_SET_ARN = /^arn:aws(?:-[a-z]+)*:sso:::permissionSet\/(?:sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}$/;

/** A permission set of IAM Identity Center. */
export interface IPermissionSet extends IResource {
  /** The permission set ARN, `arn:<partition>:sso:::permissionSet/ssoins-<16>/ps-<16>`. */
  readonly permissionSetArn: string;
}

/**
 * A customer managed policy a permission set attaches by name. A policy of that name (and
 * path) must exist in every account the permission set is assigned to, or the
 * assignment fails to provision there.
 */
export interface CustomerManagedPolicyReference {
  /** The policy name, 1-128 characters of `[\w+=,.@-]`. */
  readonly name: string;

  /**
   * The policy path, `/` or `/a/b/`.
   *
   * @default '/'
   */
  readonly path?: string;
}

/**
 * The permissions boundary of the IAM roles a permission set provisions: an AWS managed
 * policy, or a customer managed policy referenced by name (which must exist in every
 * target account).
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/permissionsetsboundaries.html
 */
export class PermissionSetBoundary {
  /** An AWS managed policy, e.g. `iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')`. */
  public static fromManagedPolicy(policy: iam.IManagedPolicy): PermissionSetBoundary {
    return new PermissionSetBoundary(policy, undefined);
  }

  /** A customer managed policy that exists under this name (and path) in every target account. */
  public static fromCustomerManagedPolicy(reference: CustomerManagedPolicyReference): PermissionSetBoundary {
    return new PermissionSetBoundary(undefined, reference);
  }

  /** The AWS managed policy, if the boundary is one. */
  public readonly managedPolicy?: iam.IManagedPolicy;
  /** The customer managed policy reference, if the boundary is one. */
  public readonly customerManagedPolicy?: CustomerManagedPolicyReference;

  protected constructor(managedPolicy?: iam.IManagedPolicy, customerManagedPolicy?: CustomerManagedPolicyReference) {
    this.managedPolicy = managedPolicy;
    this.customerManagedPolicy = customerManagedPolicy;
  }
}

/** Properties for a {@link PermissionSet}. */
export interface PermissionSetProps {
  /** The Identity Center instance the permission set belongs to. */
  readonly instance: IIdentityCenterInstance;

  /**
   * The permission set name, 1-32 characters of `[\w+=,.@-]`, unique in the instance.
   * Users see it on the AWS access portal, and the provisioned roles are named
   * `AWSReservedSSO_<name>_<suffix>`.
   *
   * The name cannot change in place: a new name replaces the permission set and every
   * assignment of it, and users lose access while the deployment runs. The construct id
   * records the name the set was created with: a name that differs from the construct id
   * is a rename and needs `allowReplacement`.
   *
   * Without this prop, **renaming the construct id renames the permission set**, with the
   * same replacement, and nothing can detect it (it looks exactly like removing one set
   * and adding another). Review `cdk diff` for replaced `AWS::SSO::PermissionSet`s.
   *
   * @default - the construct id
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-sso-permissionset.html#cfn-sso-permissionset-name
   */
  readonly permissionSetName?: string;

  /**
   * Allow the name to differ from the construct id, i.e. replace the permission set.
   *
   * CloudFormation then creates a new permission set, re-creates every assignment of it
   * and deletes the old set: users lose the access it gives during the deployment and
   * must sign in to the new set. Leaves a warning. Once deployed, give the construct the
   * new name as its id and remove `permissionSetName` and this flag: the logical id is
   * derived from the name, so that refactoring changes nothing.
   *
   * @default false
   */
  readonly allowReplacement?: boolean;

  /**
   * What the permission set is for, 1-700 characters, shown on the access portal.
   *
   * @default - no description
   */
  readonly description?: string;

  /**
   * How long a session started from the access portal lasts, 1-12 hours. Rendered as an
   * ISO-8601 duration (`PT8H`).
   *
   * @default Duration.hours(1)
   */
  readonly sessionDuration?: Duration;

  /**
   * AWS managed policies to attach, e.g.
   * `iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')`. Identity Center only
   * accepts ARNs of the form `arn:<partition>:iam::aws:policy/...` here: customer managed
   * policies (`fromManagedPolicyName`, `fromManagedPolicyArn` of an account, or a
   * `ManagedPolicy` of the app) are refused; list them in `customerManagedPolicies`.
   *
   * Together with `customerManagedPolicies` at most 20; above 10 each target account
   * needs a raised "managed policies per role" IAM quota (a warning says so).
   *
   * @default - none
   */
  readonly managedPolicies?: iam.IManagedPolicy[];

  /**
   * Customer managed policies to attach by name; each must exist (same name and path) in
   * every account the permission set is assigned to.
   *
   * @default - none
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/howtocmp.html
   */
  readonly customerManagedPolicies?: CustomerManagedPolicyReference[];

  /**
   * An inline policy, at most 10,240 characters without whitespace.
   *
   * The Identity Center API accepts up to 32,768 characters, but Identity Center
   * provisions the permission set as an IAM role in every target account, and IAM allows
   * a role 10,240 characters of inline policy (whitespace not counted): a larger policy
   * is accepted and then fails to provision. This limit is checked at synthesis.
   *
   * @see https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_PutInlinePolicyToPermissionSet.html
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   * @default - none
   */
  readonly inlinePolicy?: iam.PolicyDocument;

  /**
   * The permissions boundary of the provisioned roles.
   *
   * @default - no boundary
   */
  readonly permissionsBoundary?: PermissionSetBoundary;

  /**
   * The URL users land on in the console after signing in through this permission set,
   * 1-240 characters.
   *
   * @default - the console home page
   */
  readonly relayState?: string;

  /**
   * Tags of the permission set.
   *
   * @default - none
   */
  readonly tags?: { [key: string]: string };
}

/** A permission set that exists already. */
class ImportedPermissionSet extends Resource implements IPermissionSet {
  public readonly permissionSetArn: string;

  constructor(scope: Construct, id: string, arn: string) {
    super(scope, id);
    this.permissionSetArn = arn;
  }
}

/**
 * A permission set of IAM Identity Center: the policies and session length of the roles
 * that Identity Center provisions in every account it is assigned to.
 *
 * Renames are refused unless `allowReplacement` is set (a rename replaces the set and
 * every assignment); the logical id is derived from the name, not the construct path.
 * **Renaming the construct id of a set without `permissionSetName` renames the set
 * silently** (the id is the name): that replacement cannot be told apart from removing
 * one set and adding another. Two sets with one name in one instance are refused across
 * the whole app.
 *
 * @example
 * const readOnly = new PermissionSet(this, 'ReadOnly', {
 *   instance,
 *   managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
 *   sessionDuration: Duration.hours(8),
 * });
 */
export class PermissionSet extends Resource implements IPermissionSet {
  /** Imports a permission set by its ARN. */
  public static fromPermissionSetArn(scope: Construct, id: string, permissionSetArn: string): IPermissionSet {
    const site = siteOf('PermissionSet.fromPermissionSetArn', scope, id);
    if (!Token.isUnresolved(permissionSetArn) && !PERMISSION_SET_ARN.test(permissionSetArn)) {
      fail(site, 'permissionSetArn', `${quote(permissionSetArn)} is not a permission set ARN`,
        'pass an ARN such as \'arn:aws:sso:::permissionSet/ssoins-1234567890abcdef/ps-1234567890abcdef\' (aws sso-admin list-permission-sets)');
    }
    return new ImportedPermissionSet(scope, id, permissionSetArn);
  }

  /** The permission set ARN. @attribute */
  public readonly permissionSetArn: string;
  /** The permission set name. */
  public readonly permissionSetName: string;

  /** What identifies this set in assignment logical ids: its name. @internal */
  public readonly _identity: string;

  /** The instance the set belongs to. @internal */
  public readonly _instanceArn: string;

  private readonly resource: sso.CfnPermissionSet;

  constructor(scope: Construct, id: string, props: PermissionSetProps) {
    const site = siteOf('PermissionSet', scope, id);
    const { name, session, managed, customer, policyCount } = validatePermissionSetProps(site, id, props);
    super(scope, id);
    this.permissionSetName = name;
    this._instanceArn = props.instance.instanceArn;
    validatePermissionSetPolicies(site, this, props);
    if (props.inlinePolicy) {
      const doc = props.inlinePolicy;
      this.node.addValidation({ validate: () => inlinePolicyErrors(this, doc) });
    }

    const boundary = props.permissionsBoundary;
    this.resource = new sso.CfnPermissionSet(this, 'Resource', {
      instanceArn: props.instance.instanceArn,
      name,
      description: props.description,
      sessionDuration: session.toIsoString(),
      managedPolicies: managed.length > 0 ? managed.map(p => p.managedPolicyArn) : undefined,
      customerManagedPolicyReferences: customer.length > 0 ? customer.map(r => ({ name: r.name, path: r.path })) : undefined,
      inlinePolicy: props.inlinePolicy,
      permissionsBoundary: boundary && {
        managedPolicyArn: boundary.managedPolicy?.managedPolicyArn,
        customerManagedPolicyReference: boundary.customerManagedPolicy && {
          name: boundary.customerManagedPolicy.name,
          path: boundary.customerManagedPolicy.path,
        },
      },
      relayStateType: props.relayState,
    });
    this.permissionSetArn = this.resource.attrPermissionSetArn;

    if (Token.isUnresolved(name)) {
      this._identity = `path|${this.node.path}`;
    } else {
      this._identity = `name|${name}`;
      this.resource.overrideLogicalId(permissionSetLogicalId(name));
      registerPermissionSetName(site, this, props.instance.instanceArn, name);
    }

    for (const [key, value] of Object.entries(props.tags ?? {})) Tags.of(this).add(key, value);

    if (policyCount > DEFAULT_ROLE_POLICY_QUOTA) {
      Annotations.of(this).addWarningV2(WARNING.permissionSetPolicyQuota,
        `${policyCount} managed and customer managed policies are attached: above the default IAM quota of ${DEFAULT_ROLE_POLICY_QUOTA} managed policies per role, so provisioning fails in every target account that has not raised it.`);
    }
    warnAllowedRename(this, id, name, props.allowReplacement ?? false);
  }
}

/** What {@link validatePermissionSetProps} derives from the props. */
interface ValidatedPermissionSetProps {
  /** The permission set name: `permissionSetName`, or the construct id. */
  readonly name: string;
  /** The session duration, one hour by default. */
  readonly session: Duration;
  readonly managed: iam.IManagedPolicy[];
  readonly customer: CustomerManagedPolicyReference[];
  /** Managed and customer managed policies together. */
  readonly policyCount: number;
}

/** Validates the props that can be checked before the construct exists (tokens are skipped). */
function validatePermissionSetProps(site: ErrorSite, id: string, props: PermissionSetProps): ValidatedPermissionSetProps {
  const name = props.permissionSetName ?? id;
  validateIamName(site, props.permissionSetName === undefined ? 'id' : 'permissionSetName', name, 32);
  checkRename(site, id, name, props.allowReplacement ?? false);
  if (props.description !== undefined) {
    validateLength(site, 'description', props.description, 1, 700);
    validatePermissionSetDescription(site, props.description);
  }
  const session = props.sessionDuration ?? Duration.hours(1);
  validateDuration(site, 'sessionDuration', session, Duration.hours(1), Duration.hours(12));
  if (!Token.isUnresolved(session.toSeconds()) && session.toSeconds() % 60 !== 0) {
    fail(site, 'sessionDuration', `${session.toHumanString()} is not a whole number of minutes`, 'use hours and minutes, e.g. Duration.minutes(90)');
  }
  const customer = props.customerManagedPolicies ?? [];
  customer.forEach((ref, i) => validateReference(site, `customerManagedPolicies[${i}]`, ref));
  const managed = props.managedPolicies ?? [];
  const policyCount = managed.length + customer.length;
  if (policyCount > MAX_PERMISSION_SET_POLICIES) {
    fail(site, 'managedPolicies', `${policyCount} managed and customer managed policies are attached, above the limit of ${MAX_PERMISSION_SET_POLICIES}`,
      'merge policies, or move statements into inlinePolicy');
  }
  if (props.relayState !== undefined) {
    validateLength(site, 'relayState', props.relayState, 1, 240);
    validateRelayState(site, props.relayState);
  }
  const customerBoundary = props.permissionsBoundary?.customerManagedPolicy;
  if (customerBoundary) validateReference(site, 'permissionsBoundary', customerBoundary);
  return { name, session, managed, customer, policyCount };
}

/**
 * Validates the policies that need the construct's stack to resolve: the AWS managed
 * policies, the managed boundary and the inline policy.
 */
function validatePermissionSetPolicies(site: ErrorSite, scope: Construct, props: PermissionSetProps): void {
  (props.managedPolicies ?? []).forEach((p, i) => validateAwsManaged(site, `managedPolicies[${i}]`, scope, p));
  const managedBoundary = props.permissionsBoundary?.managedPolicy;
  if (managedBoundary) validateAwsManaged(site, 'permissionsBoundary', scope, managedBoundary);
  if (props.inlinePolicy) validateInlinePolicy(site, scope, props.inlinePolicy);
}

function validateReference(site: ErrorSite, prop: string, ref: CustomerManagedPolicyReference): void {
  validateIamName(site, `${prop}.name`, ref.name, 128);
  if (ref.path !== undefined) validateIamPath(site, `${prop}.path`, ref.path);
}
