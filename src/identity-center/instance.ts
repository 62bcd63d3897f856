import { Resource } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { validateIdentityStoreId, validateInstanceArn } from './private/validation';
import { siteOf } from '../core/errors';
import { validateAccountId } from '../core/validation';

/** An IAM Identity Center instance (organization or account instance). */
export interface IIdentityCenterInstance extends IConstruct {
  /** The instance ARN, `arn:<partition>:sso:::instance/ssoins-<16 characters>`. */
  readonly instanceArn: string;

  /**
   * The id of the instance's identity store, `d-<10 hex digits>`; needed only to look up
   * groups and users by name.
   */
  readonly identityStoreId?: string;

  /**
   * The account that owns the instance and its identity store (the organization's
   * management account for an organization instance); undefined means the account of
   * the stack that uses the instance.
   */
  readonly ownerAccount?: string;
}

/** The identifiers of an existing Identity Center instance. */
export interface IdentityCenterInstanceAttributes {
  /**
   * The instance ARN, `arn:<partition>:sso:::instance/ssoins-<16 characters>`.
   *
   * Find it with `aws sso-admin list-instances` (field `InstanceArn`) in the
   * instance's home region, or in the console under IAM Identity Center > Settings.
   *
   * @see https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_ListInstances.html
   */
  readonly instanceArn: string;

  /**
   * The id of the instance's identity store, `d-<10 hex digits>` (field
   * `IdentityStoreId` of `aws sso-admin list-instances`).
   *
   * @default - none: groups and users can only be given by id, or by name with the
   *   identity store id given to `groupByName` / `userByName`
   */
  readonly identityStoreId?: string;

  /**
   * The account that owns the instance and its identity store: for an organization
   * instance, the organization's management account, also when a delegated
   * administrator account deploys the stack. Name lookups (`groupByName`,
   * `userByName`) are granted on `arn:<partition>:identitystore::<ownerAccount>:identitystore/<id>`.
   *
   * @default - the account of the stack that uses the instance (right when the stack is
   *   deployed in the management account, or for an account instance)
   * @see https://docs.aws.amazon.com/singlesignon/latest/IdentityStoreAPIReference/API_IdentityStore.html
   */
  readonly ownerAccount?: string;
}

class ImportedIdentityCenterInstance extends Resource implements IIdentityCenterInstance {
  public readonly instanceArn: string;
  public readonly identityStoreId?: string;
  public readonly ownerAccount?: string;

  constructor(scope: Construct, id: string, attrs: IdentityCenterInstanceAttributes) {
    super(scope, id);
    this.instanceArn = attrs.instanceArn;
    this.identityStoreId = attrs.identityStoreId;
    this.ownerAccount = attrs.ownerAccount;
  }
}

/**
 * An existing IAM Identity Center instance.
 *
 * CloudFormation has no lookup for the instance: import it with its ARN (and identity
 * store id) from `aws sso-admin list-instances`. Nothing is looked up at synthesis.
 */
export class IdentityCenterInstance {
  /**
   * Imports an instance by its ARN and, optionally, its identity store id.
   *
   * @example
   * const instance = IdentityCenterInstance.fromInstanceAttributes(this, 'Sso', {
   *   instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
   *   identityStoreId: 'd-1234567890',
   *   ownerAccount: '111122223333', // the management account, when a delegated administrator deploys
   * });
   */
  public static fromInstanceAttributes(scope: Construct, id: string, attrs: IdentityCenterInstanceAttributes): IIdentityCenterInstance {
    const site = siteOf('IdentityCenterInstance', scope, id);
    validateInstanceArn(site, 'instanceArn', attrs.instanceArn);
    if (attrs.identityStoreId !== undefined) validateIdentityStoreId(site, 'identityStoreId', attrs.identityStoreId);
    if (attrs.ownerAccount !== undefined) validateAccountId(site, 'ownerAccount', attrs.ownerAccount);
    return new ImportedIdentityCenterInstance(scope, id, attrs);
  }

  /** Imports an instance by its ARN alone (groups and users are then given by id). */
  public static fromInstanceArn(scope: Construct, id: string, instanceArn: string): IIdentityCenterInstance {
    return IdentityCenterInstance.fromInstanceAttributes(scope, id, { instanceArn });
  }

  private constructor() {}
}
