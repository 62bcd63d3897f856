import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, IIdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IdentityPoolIdentityType, IdentityPoolRole } from './identity-pool-role';
import { validateIdentityPoolId } from './private';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { PatternRoleProps } from '../core/pattern-role-props.generated';

/** Properties for {@link IdentityPoolRoles}. */
export interface IdentityPoolRolesProps {
  /**
   * The identity pool: an `IdentityPool` of `aws-cdk-lib/aws-cognito-identitypool` in this
   * app, or one imported with `IdentityPool.fromIdentityPoolId`.
   *
   * An `IdentityPool` of this app already has a role attachment, with default roles that
   * aws-cdk-lib created: these roles take their place in that attachment, and the unused
   * default roles are removed, so grant permissions on `authenticatedRole` of this
   * construct, not on the pool's. For an imported pool, a role attachment is created.
   */
  readonly identityPool: IIdentityPool;

  /**
   * Properties of the role for authenticated identities (name, description, policies,
   * boundary, session length).
   *
   * @default - no name, no policies: grant them on `authenticatedRole`
   */
  readonly authenticatedRoleProps?: PatternRoleProps;

  /**
   * Create a role for unauthenticated (guest) identities too. Anyone who knows the pool id
   * gets guest credentials, so this is an explicit choice that leaves a warning; the pool
   * must also allow unauthenticated identities.
   *
   * @default false
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/identity-pools.html#authenticated-and-unauthenticated-identities
   */
  readonly allowUnauthenticatedIdentities?: boolean;

  /**
   * Properties of the role for unauthenticated identities, with `allowUnauthenticatedIdentities`.
   *
   * @default - no name, no policies
   */
  readonly unauthenticatedRoleProps?: PatternRoleProps;

  /**
   * Attach the roles to the pool (`AWS::Cognito::IdentityPoolRoleAttachment`). Set it to
   * false when the pool's roles are attached elsewhere, e.g. by the stack that owns the
   * pool: a pool has one role attachment, and a second one overwrites the first.
   *
   * @default true
   */
  readonly attachRoles?: boolean;
}

/**
 * The roles of a Cognito identity pool: one for authenticated identities and, only when
 * asked for explicitly, one for unauthenticated (guest) identities, attached to the pool.
 *
 * Each role trusts exactly this pool (`cognito-identity.amazonaws.com:aud`) and its kind of
 * identity (`cognito-identity.amazonaws.com:amr`). `grantPerIdentityPrefix` scopes S3 access
 * to one folder per identity.
 *
 * @example
 * const pool = new IdentityPool(this, 'Pool', {
 *   authenticationProviders: { userPools: [new UserPoolAuthenticationProvider({ userPool })] },
 * });
 * const roles = new IdentityPoolRoles(this, 'Roles', { identityPool: pool });
 * roles.grantPerIdentityPrefix(bucket, 'private');
 */
export class IdentityPoolRoles extends Construct {
  /** The role of authenticated identities. */
  public readonly authenticatedRole: IdentityPoolRole;

  /** The role of unauthenticated identities, with `allowUnauthenticatedIdentities`. */
  public readonly unauthenticatedRole?: IdentityPoolRole;

  /** The role attachment that gives the pool its roles, unless `attachRoles` is false. */
  public readonly roleAttachment?: cognito.CfnIdentityPoolRoleAttachment;

  constructor(scope: Construct, id: string, props: IdentityPoolRolesProps) {
    const site = siteOf('IdentityPoolRoles', scope, id);
    validateIdentityPoolId(site, props.identityPool.identityPoolId);
    if (props.unauthenticatedRoleProps !== undefined && !props.allowUnauthenticatedIdentities) {
      fail(site, 'unauthenticatedRoleProps', 'it only applies with allowUnauthenticatedIdentities',
        'set allowUnauthenticatedIdentities: true to create a guest role, or leave unauthenticatedRoleProps out');
    }
    const pool = props.identityPool;
    const attach = props.attachRoles ?? true;
    if (attach && pool instanceof IdentityPool) assertDefaultRolesUnused(site, pool);
    super(scope, id);

    this.authenticatedRole = new IdentityPoolRole(this, 'AuthenticatedRole', {
      ...props.authenticatedRoleProps,
      identityPool: pool,
      identityType: IdentityPoolIdentityType.AUTHENTICATED,
    });
    if (props.allowUnauthenticatedIdentities) {
      this.unauthenticatedRole = new IdentityPoolRole(this, 'UnauthenticatedRole', {
        ...props.unauthenticatedRoleProps,
        identityPool: pool,
        identityType: IdentityPoolIdentityType.UNAUTHENTICATED,
      });
    }
    if (!attach) return;

    const roles: Record<string, string> = { authenticated: this.authenticatedRole.roleArn };
    if (this.unauthenticatedRole) roles.unauthenticated = this.unauthenticatedRole.roleArn;
    if (pool instanceof IdentityPool) {
      // aws-cdk-lib's IdentityPool always attaches roles; point its attachment at these
      // roles instead of adding a second attachment, and drop its unused default roles.
      pool.roleAttachment.roles = roles;
      for (const child of ['AuthenticatedRole', 'UnauthenticatedRole']) pool.node.tryRemoveChild(child);
      this.roleAttachment = pool.roleAttachment;
    } else {
      this.roleAttachment = new cognito.CfnIdentityPoolRoleAttachment(this, 'RoleAttachment', {
        identityPoolId: pool.identityPoolId,
        roles,
      });
    }
  }

  /**
   * Grants each authenticated identity read, write and delete access to its own folder
   * of `bucket`, `<prefix>/<identity id>/`; see {@link IdentityPoolRole.grantPerIdentityPrefix}.
   */
  public grantPerIdentityPrefix(bucket: s3.IBucket, prefix: string): iam.Grant {
    return this.authenticatedRole.grantPerIdentityPrefix(bucket, prefix);
  }
}

/**
 * aws-cdk-lib's default roles of an `IdentityPool` are removed when these roles replace
 * them; refuse if something was granted to them, which would be lost.
 */
function assertDefaultRolesUnused(site: ErrorSite, pool: IdentityPool): void {
  for (const name of ['AuthenticatedRole', 'UnauthenticatedRole']) {
    const role = pool.node.tryFindChild(name);
    if (role && role.node.children.some(c => c.node.id !== 'Resource')) {
      fail(site, 'identityPool', `permissions were granted to the default role ${role.node.path} of the identity pool, which these roles replace`,
        'grant them on IdentityPoolRoles.authenticatedRole (or unauthenticatedRole) instead');
    }
  }
}
