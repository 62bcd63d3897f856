import { Stack, Validations } from 'aws-cdk-lib';
import { IIdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { COGNITO_IDENTITY, COGNITO_IDENTITY_ID_VARIABLE, validateIdentityPoolId, validatePrefix } from './private';
import { siteOf } from '../core/errors';
import { iam5ResourceFindingId } from '../core/nag-ids';
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

  constructor(scope: Construct, id: string, props: IdentityPoolRoleProps) {
    const site = patternRoleSite('IdentityPoolRole', scope, id, props);
    validateIdentityPoolId(site, props.identityPool.identityPoolId);
    super(scope, id, 'IdentityPoolRole', props);

    this.identityPool = props.identityPool;
    this.identityType = props.identityType ?? IdentityPoolIdentityType.AUTHENTICATED;
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
    Validations.of(this).acknowledge({
      id: iam5ResourceFindingId(Stack.of(this).resolve(objectsArn)),
      reason: 'Each identity needs every object under its own folder; the policy variable ${cognito-identity.amazonaws.com:sub} limits the wildcard to that folder.',
    });
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
}

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
