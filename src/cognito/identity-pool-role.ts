import { Stack } from 'aws-cdk-lib';
import { IIdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { COGNITO_IDENTITY, COGNITO_IDENTITY_ID_VARIABLE, validateAttributeNames, validateIdentityPoolId, validatePrefix, validateTagKey } from './private';
import { fail, siteOf } from '../core/errors';
import { acknowledgeWhenRendered, iam5ResourceFindingId } from '../core/nag-ids';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { ScopeCheck } from '../core/trust-scope';
import { WARNING } from '../core/warnings';

/** Which identities of an identity pool a role serves (`cognito-identity.amazonaws.com:amr`). */
export enum IdentityPoolIdentityType {
  /** Identities that signed in with one of the pool's identity providers. */
  AUTHENTICATED = 'authenticated',
  /** Guest identities, which anyone who knows the pool id can obtain. */
  UNAUTHENTICATED = 'unauthenticated',
}

/** Options of {@link IdentityPoolRole.grantPerIdentityItems}. */
export interface PerIdentityItemsOptions {
  /**
   * Only read the identity's items (`GetItem`, `BatchGetItem`, `Query`), never write them.
   *
   * @default false
   */
  readonly readOnly?: boolean;

  /**
   * Restrict reads and writes to these attributes (`ForAllValues:StringEquals
   * dynamodb:Attributes`, with `dynamodb:Select` = `SPECIFIC_ATTRIBUTES` and
   * `dynamodb:ReturnValues` limited so that no other attribute comes back). List the key
   * attributes too: requests name them.
   *
   * @default - every attribute of the identity's items
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/specifying-conditions.html
   */
  readonly attributes?: string[];
}

/** Properties for an {@link IdentityPoolRole}. */
export interface IdentityPoolRoleProps extends PatternRoleProps {
  /**
   * The identity pool whose identities assume the role: an `IdentityPool` from
   * `aws-cdk-lib/aws-cognito-identitypool`, or one imported with
   * `IdentityPool.fromIdentityPoolId`.
   */
  readonly identityPool: IIdentityPool;

  /**
   * Which identities the role serves. Unauthenticated (guest) credentials are handed to
   * anyone who knows the pool id, so that choice leaves a warning.
   *
   * @default IdentityPoolIdentityType.AUTHENTICATED
   */
  readonly identityType?: IdentityPoolIdentityType;

  /**
   * Allow the pool to pass session tags (`sts:TagSession`), which its "attributes for
   * access control" need.
   *
   * @default false
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html
   */
  readonly allowSessionTags?: boolean;
}

/**
 * A role that the identities of one Cognito identity pool assume with
 * `sts:AssumeRoleWithWebIdentity` (enhanced flow: Cognito calls STS for them).
 *
 * The trust requires `StringEquals cognito-identity.amazonaws.com:aud` = the pool id (IAM
 * refuses the trust without it) and `ForAnyValue:StringLike cognito-identity.amazonaws.com:amr`
 * = `authenticated` (or, with an explicit choice, `unauthenticated`), so identities of
 * another pool, and guests, cannot assume an authenticated role.
 *
 * @example
 * const role = new IdentityPoolRole(this, 'Users', { identityPool: pool });
 * role.grantPerIdentityPrefix(bucket, 'private');
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html
 */
export class IdentityPoolRole extends PatternRole {
  /** The identity pool whose identities assume the role. */
  public readonly identityPool: IIdentityPool;

  /** Which identities the role serves. */
  public readonly identityType: IdentityPoolIdentityType;

  /** Whether the pool may pass session tags (principal tags) to the role's sessions. */
  public readonly allowsSessionTags: boolean;

  constructor(scope: Construct, id: string, props: IdentityPoolRoleProps) {
    const site = patternRoleSite('IdentityPoolRole', scope, id, props);
    validateIdentityPoolId(site, props.identityPool.identityPoolId);
    super(scope, id, 'IdentityPoolRole', props);

    this.identityPool = props.identityPool;
    this.identityType = props.identityType ?? IdentityPoolIdentityType.AUTHENTICATED;
    this.allowsSessionTags = props.allowSessionTags ?? false;
    const actions = ['sts:AssumeRoleWithWebIdentity'];
    if (props.allowSessionTags) actions.push('sts:TagSession');
    this.trust.addStatement({
      principals: [new iam.FederatedPrincipal(COGNITO_IDENTITY, {}, 'sts:AssumeRoleWithWebIdentity')],
      actions,
      conditions: [
        TrustCondition.stringEquals(`${COGNITO_IDENTITY}:aud`, [props.identityPool.identityPoolId]),
        TrustCondition.anyValueMatches(`${COGNITO_IDENTITY}:amr`, [this.identityType]),
      ],
    });
    if (this.identityType === IdentityPoolIdentityType.UNAUTHENTICATED) {
      this._warnOwnerWide(ScopeCheck.SUBJECT, WARNING.unauthenticatedIdentities,
        'This role serves unauthenticated (guest) identities: anyone who knows the identity pool id gets its credentials. Grant it only what the public may do.');
    }
  }

  /**
   * Grants each identity read, write and delete access to its own folder of `bucket`,
   * `<prefix>/<identity id>/`, and listing of that folder only: the object ARNs and the
   * `s3:prefix` condition use the policy variable `${cognito-identity.amazonaws.com:sub}`,
   * which IAM replaces with the caller's identity id.
   *
   * If the bucket has a KMS key, also grants `kms:Decrypt` and `kms:GenerateDataKey` on it,
   * but only through S3 (`kms:ViaService` = `s3.<bucket region>.amazonaws.com`) and only
   * with the encryption context S3 sets for the identity's own objects
   * (`kms:EncryptionContext:aws:s3:arn` = the object ARN under `<prefix>/<identity id>/`),
   * so an app user cannot call KMS directly or decrypt another identity's objects. With
   * S3 Bucket Keys, S3 uses the bucket ARN as the context instead: for a bucket of this
   * app with `bucketKeyEnabled`, the condition names the bucket ARN (the per-identity
   * limit then rests on the S3 statements alone); for an imported bucket, whose setting
   * is unknown, both contexts are allowed.
   *
   * @param bucket the bucket holding one folder per identity
   * @param prefix the folder holding the per-identity folders, e.g. `private`, without
   *   leading or trailing `/`
   */
  public grantPerIdentityPrefix(bucket: s3.IBucket, prefix: string): iam.Grant {
    const site = siteOf('IdentityPoolRole.grantPerIdentityPrefix', this);
    validatePrefix(site, prefix);
    const folder = `${prefix}/${COGNITO_IDENTITY_ID_VARIABLE}`;
    const objectsArn = bucket.arnForObjects(`${folder}/*`);
    const objects = iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resourceArns: [objectsArn],
    });
    // Computed when the template is rendered: the partition flag, the stack's region or a
    // bucket of another stack (an import) decide how the finding names the ARN.
    acknowledgeWhenRendered(this, stack => [{
      id: iam5ResourceFindingId(stack.resolve(objectsArn)),
      reason: 'Each identity needs every object under its own folder; the policy variable ${cognito-identity.amazonaws.com:sub} limits the wildcard to that folder.',
    }]);
    const listing = iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['s3:ListBucket'],
      resourceArns: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${folder}/`, `${folder}/*`] } },
    });
    const grant = objects.combine(listing);
    if (!bucket.encryptionKey) return grant;
    // Use of the key only through S3 (kms:ViaService), and only for the identity's own
    // objects: S3 passes the object ARN as encryption context (aws:s3:arn), or the bucket
    // ARN when the bucket uses S3 Bucket Keys.
    const contexts = encryptionContexts(bucket, objectsArn);
    const keyUse = iam.Grant.addToPrincipal({
      grantee: this,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [bucket.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `s3.${bucket.env.region}.amazonaws.com` },
        StringLike: { 'kms:EncryptionContext:aws:s3:arn': contexts },
      },
    });
    return grant.combine(keyUse);
  }

  /**
   * Grants each identity its own items of `table`: the items whose partition key is the
   * identity id. `ForAllValues:StringEquals dynamodb:LeadingKeys` =
   * `${cognito-identity.amazonaws.com:sub}` pins every partition key a request names, and
   * `Null dynamodb:LeadingKeys = false` refuses a request that names none (`ForAllValues`
   * alone is true when the key is absent). Only item actions that name their partition
   * keys are granted: no `Scan`, no PartiQL, no indexes (an index's partition key is
   * another attribute).
   *
   * The table's partition key must hold the identity id (a string such as
   * `us-east-1:0123abcd-...`).
   *
   * @param table the table whose partition key is the identity id
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_dynamodb_rows.html
   */
  public grantPerIdentityItems(table: dynamodb.ITable, options: PerIdentityItemsOptions = {}): iam.Grant {
    const site = siteOf('IdentityPoolRole.grantPerIdentityItems', this);
    if (options.attributes !== undefined) validateAttributeNames(site, options.attributes);
    const actions = options.readOnly ? ITEM_READ_ACTIONS : [...ITEM_READ_ACTIONS, ...ITEM_WRITE_ACTIONS];
    const forAll: Record<string, string[]> = { 'dynamodb:LeadingKeys': [COGNITO_IDENTITY_ID_VARIABLE] };
    const conditions: Record<string, Record<string, unknown>> = { Null: { 'dynamodb:LeadingKeys': 'false' } };
    if (options.attributes !== undefined) {
      forAll['dynamodb:Attributes'] = [...options.attributes];
      // A request without an attribute list would return (or overwrite) every attribute.
      conditions.StringEqualsIfExists = {
        'dynamodb:Select': 'SPECIFIC_ATTRIBUTES',
        'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'],
      };
    }
    conditions['ForAllValues:StringEquals'] = forAll;
    return iam.Grant.addToPrincipal({ grantee: this, actions, resourceArns: [table.tableArn], conditions });
  }

  /**
   * Grants `actions` on the resources whose tag `resourceTagKey` equals the session's tag
   * `principalTagKey`, the one the identity pool sets from the user's claims (principal
   * tags, see `IdentityPoolRoles` `principalTags`): `StringEquals aws:ResourceTag/<key>` =
   * `${aws:PrincipalTag/<tag>}`, and `Null aws:PrincipalTag/<tag> = false` so that a session
   * without the tag gets nothing.
   *
   * The role must allow session tags (`allowSessionTags`), or the tag never arrives.
   *
   * @param actions the actions, e.g. `['s3:GetObject']`; the service must support `aws:ResourceTag`
   * @param resourceArns the resources, e.g. a bucket's objects
   * @param resourceTagKey the resource tag, e.g. `team`
   * @param principalTagKey the session tag, e.g. `team`
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html
   */
  public grantWhereTagMatches(actions: string[], resourceArns: string[], resourceTagKey: string, principalTagKey: string): iam.Grant {
    const site = siteOf('IdentityPoolRole.grantWhereTagMatches', this);
    if (!this.allowsSessionTags) {
      fail(site, 'principalTagKey', `the role does not allow session tags, so the tag ${principalTagKey} never reaches its sessions`,
        'create the role with allowSessionTags: true (IdentityPoolRoles sets it with principalTags)');
    }
    if (actions.length === 0 || resourceArns.length === 0) {
      fail(site, actions.length === 0 ? 'actions' : 'resourceArns', 'the list is empty', 'name the actions and the resources');
    }
    validateTagKey(site, 'resourceTagKey', resourceTagKey);
    validateTagKey(site, 'principalTagKey', principalTagKey);
    return iam.Grant.addToPrincipal({
      grantee: this,
      actions,
      resourceArns,
      conditions: {
        StringEquals: { [`aws:ResourceTag/${resourceTagKey}`]: `\${aws:PrincipalTag/${principalTagKey}}` },
        Null: { [`aws:PrincipalTag/${principalTagKey}`]: 'false' },
      },
    });
  }
}

/** The item actions of the per-identity DynamoDB grant: each names its partition key values (`dynamodb:LeadingKeys`). */
const ITEM_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const ITEM_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/**
 * The `aws:s3:arn` encryption contexts S3 uses for the identity's objects: the object ARN,
 * or the bucket ARN when the bucket uses S3 Bucket Keys. For a bucket of this app the
 * setting is read from its template; for an imported bucket, whose setting is unknown,
 * both are allowed.
 *
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context
 * @see https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html
 */
function encryptionContexts(bucket: s3.IBucket, objectsArn: string): string[] {
  const resource = bucket.node.defaultChild;
  if (!(resource instanceof s3.CfnBucket)) return [objectsArn, bucket.bucketArn];
  const encryption = Stack.of(bucket).resolve(resource.bucketEncryption);
  const rules: any[] = encryption?.serverSideEncryptionConfiguration ?? [];
  return rules.some(r => r?.bucketKeyEnabled === true) ? [bucket.bucketArn] : [objectsArn];
}
