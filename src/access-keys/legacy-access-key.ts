import { Annotations, Aspects, CfnResource, Duration, IAspect, SecretValue, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct, IConstruct } from 'constructs';
import { fail, siteOf } from '../core/errors';
import { validateDuration } from '../core/validation';
import { WARNING } from '../core/warnings';
import { networkDenyStatement, validateNetworks } from './private/network';
import { latestNodeRuntime, rotationFunctionCode } from './private/rotation-code';

/** Properties for a {@link LegacyAccessKey}. */
export interface LegacyAccessKeyProps {
  /**
   * The public IPv4 or IPv6 addresses or CIDR ranges the application calls AWS from. A
   * request signed with the key from any other address is denied (`NotIpAddress
   * aws:SourceIp`). Give `allowedSourceIps`, `allowedVpcEndpointIds` or both; with both, a
   * request from a listed address or through a listed endpoint is allowed.
   *
   * @default - none; then `allowedVpcEndpointIds` or `networkConditionWaiver` is required
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceip
   */
  readonly allowedSourceIps?: string[];

  /**
   * The VPC endpoints the application calls AWS through (`vpce-...`). A request signed with
   * the key through any other path is denied (`StringNotEquals aws:SourceVpce`).
   *
   * @default - none; then `allowedSourceIps` or `networkConditionWaiver` is required
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourcevpce
   */
  readonly allowedVpcEndpointIds?: string[];

  /**
   * Why the key may be used from any network: the explicit, named waiver of the network
   * conditions (e.g. `'vendor appliance on changing addresses, risk accepted in SEC-1234'`).
   * The reason is written into the construct's metadata and a warning is left.
   *
   * @default - no waiver: `allowedSourceIps` or `allowedVpcEndpointIds` is required
   */
  readonly networkConditionWaiver?: string;

  /**
   * The permissions boundary of the user: the most the key can ever do, whatever policies
   * are added to the user later. With your own boundary, the network conditions are added
   * to the user's own policy instead.
   *
   * @default - a managed policy that allows every action except those of IAM, AWS
   * Organizations and AWS Account Management, and denies every request from outside the
   * allowed networks
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * How often the key is replaced: Secrets Manager invokes the rotation function on this
   * schedule, which creates a new key, stores it, verifies it, then deactivates and deletes
   * the old one. Whole days, 1 to 90 (the age AWS Config's `access-keys-rotated` allows by
   * default).
   *
   * @default Duration.days(30)
   * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html
   */
  readonly rotationInterval?: Duration;

  /**
   * The KMS key that encrypts the secret holding the access key.
   *
   * @default - the AWS managed key `aws/secretsmanager`
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * The IAM path of the user, e.g. `/legacy/`, so that policies and reports can single out
   * these users.
   *
   * @default '/legacy/'
   */
  readonly userPath?: string;
}

/**
 * The last resort for an application that can only sign requests with an IAM user's access
 * key and cannot change: an IAM user without console access, bounded by a permissions
 * boundary, usable only from named networks, whose key exists only in Secrets Manager and
 * is replaced on a schedule by a rotation function this library ships.
 *
 * The key is never in the template or an output: the rotation function creates it with
 * `iam:CreateAccessKey` at the first rotation (right after deployment) and stores it in the
 * secret as JSON (`UserName`, `AccessKeyId`, `SecretAccessKey`). The application (or the
 * process that configures it) reads the secret's `AWSCURRENT` version; `grantReadKey` gives
 * that permission. Grant the user what the application needs with `bucket.grantRead(key)`
 * and the like: the construct is the grantee.
 *
 * The user carries the acknowledgement of `AccessPatterns-NoIamUserAccessKeys`, so that a
 * reviewer sees the one place where a long-lived key exists and why.
 *
 * @example
 * const key = new LegacyAccessKey(this, 'ReportingAppKey', {
 *   allowedSourceIps: ['203.0.113.0/24'],
 * });
 * reportsBucket.grantRead(key);
 * key.grantReadKey(deployRole);
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html
 */
export class LegacyAccessKey extends Construct implements iam.IGrantable {
  /**
   * The IAM path of the rotation functions' roles: the one path a service control policy
   * that denies `iam:CreateAccessKey` must exempt for these keys to rotate.
   */
  public static readonly ROTATION_ROLE_PATH = '/cdk-access-patterns/access-key-rotation/';

  /** The IAM user whose key this is. */
  public readonly user: iam.User;
  /** The secret holding the current key. */
  public readonly secret: secretsmanager.Secret;
  /** The function that rotates the key. */
  public readonly rotationFunction: lambda.Function;
  /** The user's permissions boundary. */
  public readonly permissionsBoundary: iam.IManagedPolicy;
  /** The user: grants to the construct go to the user. */
  public readonly grantPrincipal: iam.IPrincipal;

  constructor(scope: Construct, id: string, props: LegacyAccessKeyProps) {
    const site = siteOf('LegacyAccessKey', scope, id);
    const ips = props.allowedSourceIps ?? [];
    const endpoints = props.allowedVpcEndpointIds ?? [];
    const waiver = props.networkConditionWaiver;
    const restricted = ips.length > 0 || endpoints.length > 0;
    if (waiver !== undefined) {
      if (!Token.isUnresolved(waiver) && waiver.trim() === '') {
        fail(site, 'networkConditionWaiver', 'the reason is empty', 'say why the key may be used from any network, or name the networks in allowedSourceIps / allowedVpcEndpointIds');
      }
      if (restricted) {
        fail(site, 'networkConditionWaiver', 'a waiver is given together with allowed networks', 'drop the waiver: the networks are enforced');
      }
    } else if (!restricted) {
      fail(site, 'allowedSourceIps', 'no network is named (allowedSourceIps and allowedVpcEndpointIds are empty)',
        'list the addresses or VPC endpoints the application calls from, or waive the condition with networkConditionWaiver and the reason');
    }
    validateNetworks(site, ips, endpoints);
    const interval = props.rotationInterval ?? Duration.days(30);
    validateDuration(site, 'rotationInterval', interval, Duration.days(1), Duration.days(90));
    if (!Token.isUnresolved(interval.toSeconds()) && interval.toSeconds() % 86_400 !== 0) {
      fail(site, 'rotationInterval', `${interval.toHumanString()} is not a whole number of days`, 'use Duration.days(n)');
    }
    super(scope, id);

    const network = restricted ? networkDenyStatement(ips, endpoints) : undefined;
    this.permissionsBoundary = props.permissionsBoundary ?? this.defaultBoundary(network);
    this.user = new iam.User(this, 'User', {
      path: props.userPath ?? '/legacy/',
      permissionsBoundary: this.permissionsBoundary,
    });
    this.grantPrincipal = this.user;
    if (network && props.permissionsBoundary) this.user.addToPrincipalPolicy(network);
    if (waiver !== undefined) {
      this.node.addMetadata('cdk-access-patterns:networkConditionWaiver', waiver);
      Annotations.of(this).addWarningV2(WARNING.legacyKeyNetworkWaiver,
        `The access key of ${this.node.path} may be used from any network (networkConditionWaiver: ${waiver}).`);
    }

    this.secret = new secretsmanager.Secret(this, 'Secret', {
      description: `Access key of the legacy IAM user of ${this.node.path}, rotated by its rotation function`,
      encryptionKey: props.encryptionKey,
      // Only the user name: the key itself is created and stored by the rotation function.
      secretObjectValue: { UserName: SecretValue.unsafePlainText(this.user.userName) },
    });

    const logGroup = new logs.LogGroup(this, 'RotationLogs', { retention: logs.RetentionDays.ONE_YEAR });
    const role = new iam.Role(this, 'RotationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      path: LegacyAccessKey.ROTATION_ROLE_PATH,
      description: 'Rotates the access key of one legacy IAM user (create, store, verify, retire)',
    });
    logGroup.grantWrite(role);
    this.rotationFunction = new lambda.Function(this, 'RotationFunction', {
      runtime: latestNodeRuntime(),
      handler: 'index.handler',
      code: rotationFunctionCode(),
      role,
      logGroup,
      timeout: Duration.minutes(2),
      memorySize: 256,
      description: 'cdk-access-patterns: rotates a legacy IAM user access key stored in Secrets Manager',
    });
    role.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['iam:CreateAccessKey', 'iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:DeleteAccessKey'],
      resources: [this.user.userArn],
    }));
    this.secret.addRotationSchedule('Rotation', {
      rotationLambda: this.rotationFunction,
      automaticallyAfter: interval,
    });
    // Secrets Manager's invocations only from this account (confused deputy), as its
    // documentation recommends for the rotation function's resource policy.
    for (const child of this.rotationFunction.node.children) {
      if (child instanceof lambda.CfnPermission && child.principal === 'secretsmanager.amazonaws.com') {
        child.sourceAccount = Stack.of(this).account;
      }
    }
    this.acknowledge(role, logGroup);
  }

  /** Lets `grantee` read the current key from the secret (and decrypt it). */
  public grantReadKey(grantee: iam.IGrantable): iam.Grant {
    return this.secret.grantRead(grantee);
  }

  private defaultBoundary(network: iam.PolicyStatement | undefined): iam.ManagedPolicy {
    const boundary = new iam.ManagedPolicy(this, 'Boundary', {
      description: 'Permissions boundary of a legacy IAM user with an access key: no IAM, Organizations or Account Management, only from the allowed networks',
      statements: [
        new iam.PolicyStatement({
          sid: 'NoIdentityAdministration',
          notActions: ['iam:*', 'organizations:*', 'account:*'],
          resources: ['*'],
        }),
        ...(network ? [network] : []),
      ],
    });
    for (const id of ['cdk-validator-cfnguard::iam_managed_policy_no_statements_with_full_access_check', 'CloudFormation-Validate::W2512']) {
      Validations.of(boundary).acknowledge({
        id,
        reason: 'A permissions boundary is the ceiling of the legacy user\'s own policies: NotAction keeps identity administration (iam, organizations, account) out of reach whatever they grant.',
      });
    }
    Validations.of(boundary).acknowledge({
      id: 'AwsSolutions-IAM5',
      reason: 'A permissions boundary grants nothing by itself: it caps what the legacy user\'s own policies can grant, '
        + 'at every resource except identity administration (NotAction iam, organizations, account), and denies requests from outside the allowed networks.',
    });
    return boundary;
  }

  private acknowledge(role: iam.Role, logGroup: logs.LogGroup): void {
    Validations.of(this.user).acknowledge({
      id: 'AccessPatterns-NoIamUserAccessKeys',
      reason: 'LegacyAccessKey: the one long-lived key of an application that cannot change, kept only in Secrets Manager (never in the template), '
        + 'rotated on a schedule, bounded by a permissions boundary and restricted to named networks unless explicitly waived.',
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'aws-cdk-lib\'s rotation schedule grants secretsmanager:GetRandomPassword, which has no resource to name; the function does not call it '
        + '(IAM generates the key). Every other permission names the one user and the one secret.',
    });
    Validations.of(this.rotationFunction).acknowledge({
      id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
      reason: 'The rotation function only calls the public IAM, STS and Secrets Manager APIs; it reaches no private resource.',
    });
    Validations.of(logGroup).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: 'The rotation function logs step names, user names and access key ids, never a secret access key; the secret itself is encrypted by Secrets Manager.',
    });
    Validations.of(this.user).acknowledge({
      id: 'cdk-validator-cfnguard::iam_user_no_policies_check',
      reason: 'The legacy application\'s permissions, granted to its LegacyAccessKey; the permissions boundary caps them and the key works only from the allowed networks.',
    });
    // The user's own policies (grants to the construct) are the application's permissions:
    // named here, so that NoIamUserLoginOrPolicies still reports any policy added elsewhere.
    const user = this.user;
    Aspects.of(this).add(new AcknowledgeUserPolicies(user));
  }
}

/** Acknowledges the `NoIamUserLoginOrPolicies` finding of the user's own default policy. */
class AcknowledgeUserPolicies implements IAspect {
  private done = false;
  constructor(private readonly user: iam.User) {}

  public visit(node: IConstruct): void {
    if (this.done || node !== this.user) return;
    this.done = true;
    const policy = this.user.node.tryFindChild('DefaultPolicy')?.node.defaultChild as CfnResource | undefined;
    if (!policy) return;
    const logicalId = Stack.of(policy).resolve(policy.logicalId);
    Validations.of(this.user).acknowledge({
      id: `AccessPatterns-NoIamUserLoginOrPolicies[Policy::${logicalId}]`,
      reason: 'The legacy application\'s permissions, granted to its LegacyAccessKey; the permissions boundary caps them and the key works only from the allowed networks.',
    });
  }
}
