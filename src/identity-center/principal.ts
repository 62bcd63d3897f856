import { Stack, Token } from 'aws-cdk-lib';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { IIdentityCenterInstance } from './instance';
import { NameLookupProvider } from './name-lookup-provider';
import { validateIdentityStoreId } from './private/validation';
import { ErrorSite, fail } from '../core/errors';
import { stableHash } from '../core/hash';
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
 * up. `groupNamed` / `userNamed` (identity store of the instance) and `groupByName` /
 * `userByName` (identity store given) resolve a display name or user name at deploy time
 * through a custom resource calling `identitystore:GetGroupId` / `GetUserId`: the only
 * lookup this library makes.
 *
 * The assignments' logical ids include how the principal is given: a group by id and the
 * same group by name are different combinations. Switching between `group(id)` and a
 * by-name form of a deployed assignment is a replacement, and CloudFormation creates the
 * replacement before deleting the old one, which fails with AlreadyExists and rolls the
 * deployment back. `groupNamed(name)` and `groupByName(storeId, name)` of the instance's
 * store are the same combination (same logical ids).
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
   * A group by its display name in the identity store of the assignments' instance
   * (`identityStoreId` of `IdentityCenterInstance.fromInstanceAttributes`), resolved at
   * deploy time with `identitystore:GetGroupId` (see `groupByName`).
   *
   * @param displayName the group's `DisplayName`, 1-1,024 characters
   * @see https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupId.html
   */
  public static groupNamed(displayName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.GROUP, undefined, undefined, displayName);
  }

  /**
   * A user by its user name in the identity store of the assignments' instance, resolved
   * at deploy time with `identitystore:GetUserId` (see `groupByName`).
   *
   * @param userName the user's `UserName`, 1-128 characters
   * @see https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetUserId.html
   */
  public static userNamed(userName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.USER, undefined, undefined, userName);
  }

  /**
   * A group by its display name in the given identity store, resolved at deploy time with
   * `identitystore:GetGroupId` (a custom resource with a Lambda function in the stack;
   * one IAM role and policy per stack serve every lookup). The stack must be deployed in
   * the Identity Center home region, by the instance's account or its delegated
   * administrator (then set the instance's `ownerAccount`). Renaming the group in the
   * identity provider makes the next deployment fail (or, if another group takes the
   * name, re-targets the assignments): prefer `group(id)` for long-lived access.
   *
   * When the instance has an `identityStoreId`, `identityStoreId` must equal it (a
   * different store is refused at synthesis); `groupNamed(displayName)` takes it from the
   * instance and gives the same logical ids.
   *
   * @param identityStoreId the identity store id, `d-<10 hex digits>`
   * @param displayName the group's `DisplayName`, 1-1,024 characters
   * @see https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_GetGroupId.html
   */
  public static groupByName(identityStoreId: string, displayName: string): IdentityCenterPrincipal {
    return new IdentityCenterPrincipal(IdentityCenterPrincipalType.GROUP, undefined, identityStoreId, displayName);
  }

  /**
   * A user by its user name in the given identity store, resolved at deploy time with
   * `identitystore:GetUserId` (see `groupByName`).
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
   * @param identityStoreId the identity store to look the name up in, or undefined for the instance's
   * @param name the display name (groups) or user name (users) to look up
   */
  protected constructor(principalType: IdentityCenterPrincipalType, id?: string, identityStoreId?: string, name?: string) {
    this.principalType = principalType;
    this.id = id;
    this.lookup = id === undefined ? { identityStoreId, attributeValue: name ?? '' } : undefined;
  }

  /** Validates the principal for assignments of `instance` at `site`. @internal */
  public _validate(site: ErrorSite, prop: string, instance: IIdentityCenterInstance): void {
    const isGroup = this.principalType === IdentityCenterPrincipalType.GROUP;
    if (this.id !== undefined) {
      if (!Token.isUnresolved(this.id) && !PRINCIPAL_ID.test(this.id)) {
        fail(site, prop, `${quote(this.id)} is not an identity store ${isGroup ? 'group' : 'user'} id`,
          `pass the id from \`aws identitystore list-${isGroup ? 'groups' : 'users'}\`, or use ${isGroup ? 'groupNamed' : 'userNamed'}() to look it up at deploy time`);
      }
      return;
    }
    const lookup = this.lookup!;
    const given = lookup.identityStoreId;
    const ofInstance = instance.identityStoreId;
    if (given === undefined && ofInstance === undefined) {
      fail(site, prop, `${isGroup ? 'groupNamed' : 'userNamed'}(${quote(lookup.attributeValue)}) looks the name up in the instance's identity store, but the instance has no identityStoreId`,
        `import the instance with IdentityCenterInstance.fromInstanceAttributes({ instanceArn, identityStoreId }), or use ${isGroup ? 'groupByName' : 'userByName'}(identityStoreId, name)`);
    }
    if (given !== undefined) validateIdentityStoreId(site, `${prop}.identityStoreId`, given);
    if (given !== undefined && ofInstance !== undefined && !Token.isUnresolved(given) && !Token.isUnresolved(ofInstance) && given !== ofInstance) {
      fail(site, `${prop}.identityStoreId`, `${quote(given)} is not the identity store of the instance (${quote(ofInstance)}); an assignment only reaches principals of its instance's store`,
        `use ${isGroup ? 'groupNamed' : 'userNamed'}(name) to look the name up in the instance's store, or import the instance with its real identityStoreId`);
    }
    if (isGroup) {
      validateLength(site, `${prop}.displayName`, lookup.attributeValue, 1, 1024);
    } else {
      validateLength(site, `${prop}.userName`, lookup.attributeValue, 1, 128);
    }
  }

  /**
   * What identifies the principal in assignment logical ids: the type and the id, or the
   * store and the name for lookups (the same whether the store is given or taken from
   * the instance). @internal
   */
  public _identity(scope: Construct, instance: IIdentityCenterInstance): string {
    const stack = Stack.of(scope);
    if (this.id !== undefined) return `${this.principalType}|id|${JSON.stringify(stack.resolve(this.id))}`;
    const l = this.lookup!;
    const store = l.identityStoreId ?? instance.identityStoreId!;
    return `${this.principalType}|name|${JSON.stringify(stack.resolve(store))}|${JSON.stringify(stack.resolve(l.attributeValue))}`;
  }

  /**
   * The principal id to put in an assignment made in `scope`: the static id, or the
   * attribute of a lookup custom resource created once per scope. @internal
   */
  public _principalId(scope: Construct, instance: IIdentityCenterInstance): string {
    if (this.id !== undefined) return this.id;
    const lookup = this.lookup!;
    const isGroup = this.principalType === IdentityCenterPrincipalType.GROUP;
    const id = `${isGroup ? 'GroupLookup' : 'UserLookup'}${stableHash(this._identity(scope, instance), 8)}`;
    const existing = scope.node.tryFindChild(id) as cr.AwsCustomResource | undefined;
    const resource = existing ?? NameLookupProvider.of(Stack.of(scope)).lookup(scope, id, {
      isGroup,
      identityStoreId: lookup.identityStoreId ?? instance.identityStoreId!,
      ownerAccount: instance.ownerAccount,
      attributeValue: lookup.attributeValue,
    });
    return resource.getResponseField(isGroup ? 'GroupId' : 'UserId');
  }
}

/** A group or user given by name. */
interface NameLookup {
  /** The store, or undefined for the instance's. */
  readonly identityStoreId?: string;
  readonly attributeValue: string;
}
