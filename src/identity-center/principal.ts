import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { stableHash } from './hash';
import { validateIdentityStoreId } from './validation';
import { ErrorSite, fail } from '../core/errors';
import { quote, validateLength } from '../core/validation';

/** Group and user ids of the identity store (`PrincipalId` of `AWS::SSO::Assignment`). */
const PRINCIPAL_ID = /^(?:[0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/;

/** Who an assignment is for. */
export enum IdentityCenterPrincipalType {
  /** A group of the identity store. */
  GROUP = 'GROUP',
  /** A user of the identity store. */
  USER = 'USER',
}

/**
 * A group or user of the Identity Center identity store, the principal of an assignment.
 *
 * Give ids where you have them (`group`, `user`): they are static and nothing is looked
 * up. `groupByName` / `userByName` resolve a display name or user name at deploy time
 * through a custom resource calling `identitystore:GetGroupId` / `GetUserId`: the only
 * lookup this library makes.
 */
export class IdentityCenterPrincipal {
  /**
   * A group by its id (`GroupId` in the identity store, e.g.
   * `906782d4b1-0c5a6f78-8a9b-4c2d-9e1f-123456789abc` or a plain UUID).
   */
  public static group(groupId: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.GROUP, groupId);
  }

  /** A user by its id (`UserId` in the identity store). */
  public static user(userId: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.USER, userId);
  }

  /**
   * A group by its display name, resolved at deploy time with `identitystore:GetGroupId`
   * (a custom resource with a Lambda function in the stack). The stack must be deployed in
   * the Identity Center instance's account and home region. Renaming the group in the
   * identity provider makes the next deployment fail (or, if another group takes the
   * name, re-targets the assignments): prefer `group(id)` for long-lived access.
   *
   * @param identityStoreId the identity store id, `d-<10 hex digits>`
   * @param displayName the group's `DisplayName`, 1-1,024 characters
   * @see https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupId.html
   */
  public static groupByName(identityStoreId: string, displayName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.GROUP, undefined, identityStoreId, displayName);
  }

  /**
   * A user by its user name, resolved at deploy time with `identitystore:GetUserId`
   * (see `groupByName`).
   *
   * @param identityStoreId the identity store id, `d-<10 hex digits>`
   * @param userName the user's `UserName`, 1-128 characters
   * @see https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetUserId.html
   */
  public static userByName(identityStoreId: string, userName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.USER, undefined, identityStoreId, userName);
  }

  /** Whether this is a group or a user. */
  public readonly principalType: IdentityCenterPrincipalType;

  /** The id, when given statically. */
  private readonly id?: string;

  /** The name to look up, when given by name. */
  private readonly lookup?: NameLookup;

  /**
   * @param principalType group or user
   * @param id the static id, or undefined for a lookup
   * @param identityStoreId the identity store to look the name up in
   * @param name the display name (groups) or user name (users) to look up
   */
  protected constructor(principalType: IdentityCenterPrincipalType, id?: string, identityStoreId?: string, name?: string) {
    this.principalType = principalType;
    this.id = id;
    this.lookup = id === undefined ? { identityStoreId: identityStoreId ?? '', attributeValue: name ?? '' } : undefined;
  }

  /** Validates the principal for the construct at `site`. @internal */
  public _validate(site: ErrorSite, prop: string): void {
    if (this.id !== undefined) {
      if (!Token.isUnresolved(this.id) && !PRINCIPAL_ID.test(this.id)) {
        fail(site, prop, `${quote(this.id)} is not an identity store ${this.principalType === IdentityCenterPrincipalType.GROUP ? 'group' : 'user'} id`,
          `pass the id from \`aws identitystore list-${this.principalType === IdentityCenterPrincipalType.GROUP ? 'groups' : 'users'}\`, or use ${this.principalType === IdentityCenterPrincipalType.GROUP ? 'groupByName' : 'userByName'}() to look it up at deploy time`);
      }
      return;
    }
    const lookup = this.lookup!;
    validateIdentityStoreId(site, `${prop}.identityStoreId`, lookup.identityStoreId);
    if (this.principalType === IdentityCenterPrincipalType.GROUP) {
      validateLength(site, `${prop}.displayName`, lookup.attributeValue, 1, 1024);
    } else {
      validateLength(site, `${prop}.userName`, lookup.attributeValue, 1, 128);
    }
  }

  /**
   * What identifies the principal in assignment logical ids: the type and the id, or the
   * store and the name for lookups. @internal
   */
  public _identity(scope: Construct): string {
    const stack = Stack.of(scope);
    if (this.id !== undefined) return `${this.principalType}|id|${JSON.stringify(stack.resolve(this.id))}`;
    const l = this.lookup!;
    return `${this.principalType}|name|${JSON.stringify(stack.resolve(l.identityStoreId))}|${JSON.stringify(stack.resolve(l.attributeValue))}`;
  }

  /**
   * The principal id to put in an assignment made in `scope`: the static id, or the
   * attribute of a lookup custom resource created once per scope. @internal
   */
  public _principalId(scope: Construct): string {
    if (this.id !== undefined) return this.id;
    const lookup = this.lookup!;
    const isGroup = this.principalType === IdentityCenterPrincipalType.GROUP;
    const id = `${isGroup ? 'GroupLookup' : 'UserLookup'}${stableHash(this._identity(scope), 8)}`;
    const existing = scope.node.tryFindChild(id) as cr.AwsCustomResource | undefined;
    const resource = existing ?? newLookup(scope, id, isGroup, lookup);
    return resource.getResponseField(isGroup ? 'GroupId' : 'UserId');
  }
}

/** A group or user given by name. */
interface NameLookup {
  readonly identityStoreId: string;
  readonly attributeValue: string;
}

function newLookup(scope: Construct, id: string, isGroup: boolean, lookup: NameLookup): cr.AwsCustomResource {
  const stack = Stack.of(scope);
  const action = isGroup ? 'GetGroupId' : 'GetUserId';
  const call: cr.AwsSdkCall = {
    service: 'IdentityStore',
    action,
    parameters: {
      IdentityStoreId: lookup.identityStoreId,
      AlternateIdentifier: {
        UniqueAttribute: { AttributePath: isGroup ? 'displayName' : 'userName', AttributeValue: lookup.attributeValue },
      },
    },
    physicalResourceId: cr.PhysicalResourceId.fromResponse(isGroup ? 'GroupId' : 'UserId'),
  };
  const storeArn = stack.formatArn({ service: 'identitystore', region: '', resource: 'identitystore', resourceName: lookup.identityStoreId });
  const principalsArn = stack.formatArn({ service: 'identitystore', region: '', account: '', resource: isGroup ? 'group' : 'user', resourceName: '*' });
  const resource = new cr.AwsCustomResource(scope, id, {
    onUpdate: call,
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: [`identitystore:${action}`],
      resources: [storeArn, principalsArn],
    })]),
    installLatestAwsSdk: false,
  });
  const principalsFinding = `Resource::arn:<AWS::Partition>:identitystore:::${isGroup ? 'group' : 'user'}/*`;
  Validations.of(resource).acknowledge({
    id: `AwsSolutions-IAM5[${principalsFinding}]`,
    reason: `identitystore:${action} authorizes on the identity store and on the ${isGroup ? 'group' : 'user'} it returns, whose id is what the lookup is for, so it cannot be named in advance; the action only maps a name to an id.`,
  });
  acknowledgeProviderFunction(stack);
  return resource;
}

/**
 * The Lambda function behind every AwsCustomResource of a stack is a singleton that
 * aws-cdk-lib creates and configures: acknowledge its findings once, on that function.
 */
function acknowledgeProviderFunction(stack: Stack): void {
  const fn = stack.node.tryFindChild(PROVIDER_FUNCTION_ID);
  if (!fn || ACKNOWLEDGED.has(fn)) return;
  ACKNOWLEDGED.add(fn);
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason: 'The aws-cdk-lib AwsCustomResource provider function (Identity Center name lookups) logs to CloudWatch with the AWS managed basic execution policy, which grants only log writing.',
  });
  Validations.of(fn).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason: 'The AwsCustomResource provider function only calls the public identitystore API at deployment to map a name to an id; '
      + 'it reaches no private resource, and a VPC would add a NAT gateway or endpoint for nothing.',
  });
}

/** The construct id aws-cdk-lib gives the AwsCustomResource singleton function. */
const PROVIDER_FUNCTION_ID = 'AWS679f53fac002430cb0da5b7982bd2287';
const ACKNOWLEDGED = new WeakSet<IConstruct>();
