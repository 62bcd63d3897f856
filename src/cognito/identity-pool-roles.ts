import { Lazy, Stack, Token } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, IIdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { IdentityPoolIdentityType, IdentityPoolRole } from './identity-pool-role';
import { validateIdentityPoolId, validateTagKey } from './private';
import { IdentityPoolRoleMapping } from './role-mapping';
import { AccessPatternError, ErrorSite, fail, siteOf } from '../core/errors';
import { PatternRoleProps } from '../core/pattern-role-props.generated';

/**
 * Principal tags of one identity provider: session tags the identity pool sets from the
 * user's token claims (`AWS::Cognito::IdentityPoolPrincipalTag`), for attribute-based
 * access with {@link IdentityPoolRole.grantWhereTagMatches}.
 */
export interface PrincipalTagMapping {
  /**
   * The identity provider whose claims become tags, e.g. a user pool's
   * `cognito-idp.<region>.amazonaws.com/<user pool id>` or `accounts.google.com`.
   */
  readonly providerName: string;

  /**
   * Tag key to token claim, e.g. `{ team: 'custom:team' }`. Map only claims that users
   * cannot change themselves: a user pool attribute the app client may write is a tag the
   * user chooses.
   */
  readonly tags: { [tagKey: string]: string };
}

/** Properties for {@link IdentityPoolRoles}. */
export interface IdentityPoolRolesProps {
  /**
   * The identity pool: an `IdentityPool` of `aws-cdk-lib/aws-cognito-identitypool` in this
   * app, or one imported with `IdentityPool.fromIdentityPoolId`.
   *
   * An `IdentityPool` of this app already has a role attachment, with default roles that
   * aws-cdk-lib created: these roles take their place in that attachment, and the unused
   * default roles are removed, so grant permissions on `authenticatedRole` of this
   * construct, not on the pool's: a grant on the pool's removed default role fails
   * synthesis. A pool created with its own `authenticatedRole` or `unauthenticatedRole`
   * is refused unless `attachRoles` is false. For an imported pool, a role attachment is
   * created.
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

  /**
   * Role mappings for authenticated identities, by identity provider: the role comes from
   * the token or from rules on its claims (`RoleMappings` of the role attachment). Each
   * mapped role must be an authenticated `IdentityPoolRole` of the same pool (see
   * {@link IdentityPoolRoles.addMappedRole}); ambiguous cases are denied by default. More
   * can be added with {@link IdentityPoolRoles.addRoleMapping}.
   *
   * @default - every authenticated identity gets the authenticated role
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
   */
  readonly roleMappings?: IdentityPoolRoleMapping[];

  /**
   * Principal tags: session tags the pool sets from the users' claims, per identity
   * provider. The authenticated role then allows `sts:TagSession`.
   *
   * @default - no principal tags
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/attributes-for-access-control.html
   */
  readonly principalTags?: PrincipalTagMapping[];
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

  /** The identity pool. */
  public readonly identityPool: IIdentityPool;

  private readonly mappings: IdentityPoolRoleMapping[] = [];
  private readonly rendered: any[] = [];
  private readonly sessionTags: boolean;
  private readonly attached: boolean;

  constructor(scope: Construct, id: string, props: IdentityPoolRolesProps) {
    const site = siteOf('IdentityPoolRoles', scope, id);
    validateIdentityPoolId(site, props.identityPool.identityPoolId);
    if (props.unauthenticatedRoleProps !== undefined && !props.allowUnauthenticatedIdentities) {
      fail(site, 'unauthenticatedRoleProps', 'it only applies with allowUnauthenticatedIdentities',
        'set allowUnauthenticatedIdentities: true to create a guest role, or leave unauthenticatedRoleProps out');
    }
    const pool = props.identityPool;
    const attach = props.attachRoles ?? true;
    if (attach && pool instanceof IdentityPool) {
      assertNoExplicitRoles(site, pool);
      assertDefaultRolesUnused(site, pool);
    }
    if (!attach && (props.roleMappings ?? []).length > 0) {
      fail(site, 'roleMappings', 'role mappings are part of the role attachment, which attachRoles: false leaves out',
        'attach the roles here, or declare the mappings where the pool\'s roles are attached');
    }
    props.principalTags?.forEach(t => validatePrincipalTags(site, t));
    super(scope, id);
    this.identityPool = pool;
    this.attached = attach;
    this.sessionTags = (props.principalTags ?? []).length > 0;

    this.authenticatedRole = new IdentityPoolRole(this, 'AuthenticatedRole', {
      ...props.authenticatedRoleProps,
      identityPool: pool,
      identityType: IdentityPoolIdentityType.AUTHENTICATED,
      ...(this.sessionTags ? { allowSessionTags: true } : {}),
    });
    (props.principalTags ?? []).forEach((t, i) => new cognito.CfnIdentityPoolPrincipalTag(this, `PrincipalTags${i}`, {
      identityPoolId: pool.identityPoolId,
      identityProviderName: t.providerName,
      principalTags: { ...t.tags },
      useDefaults: false,
    }));
    if (props.allowUnauthenticatedIdentities) {
      this.unauthenticatedRole = new IdentityPoolRole(this, 'UnauthenticatedRole', {
        ...props.unauthenticatedRoleProps,
        identityPool: pool,
        identityType: IdentityPoolIdentityType.UNAUTHENTICATED,
      });
    }
    if (!attach) return;

    (props.roleMappings ?? []).forEach(m => this.addRoleMapping(m));
    const roles: Record<string, string> = { authenticated: this.authenticatedRole.roleArn };
    if (this.unauthenticatedRole) roles.unauthenticated = this.unauthenticatedRole.roleArn;
    if (pool instanceof IdentityPool) {
      // aws-cdk-lib's IdentityPool always attaches roles; point its attachment at these
      // roles instead of adding a second attachment, and drop its unused default roles.
      pool.roleAttachment.roles = roles;
      if (this.mappings.length > 0 && pool.roleAttachment.roleMappings !== undefined) {
        fail(site, 'roleMappings', `the identity pool ${pool.node.path} already has role mappings of its own`,
          'declare the mappings in one place: here, or in the IdentityPool props');
      }
      pool.roleAttachment.roleMappings = this.renderMappings();
      const detached: iam.Role[] = [];
      for (const name of DEFAULT_ROLE_IDS) {
        const role = pool.node.tryFindChild(name);
        if (role instanceof iam.Role) detached.push(role);
        pool.node.tryRemoveChild(name);
      }
      this.roleAttachment = pool.roleAttachment;
      // pool.authenticatedRole still points at the detached default role: anything
      // granted to it from now on would silently vanish from the template.
      this.node.addValidation({
        validate: () => detached.filter(r => hasPermissions(r)).map(r => AccessPatternError.invalidProp('IdentityPoolRoles', this.node.path, 'identityPool',
          `permissions were granted to the identity pool's default role ${r.node.path} after IdentityPoolRoles replaced it, so they would be lost`,
          'grant them on IdentityPoolRoles.authenticatedRole (or unauthenticatedRole), not on IdentityPool.authenticatedRole').message),
      });
    } else {
      this.roleAttachment = new cognito.CfnIdentityPoolRoleAttachment(this, 'RoleAttachment', {
        identityPoolId: pool.identityPoolId,
        roles,
        roleMappings: this.renderMappings(),
      });
    }
  }

  /**
   * Creates a role for authenticated identities of this pool to be picked by a role
   * mapping: it trusts the pool with the same `aud` and `amr` conditions as the
   * authenticated role (and session tags when the pool sets principal tags).
   *
   * @param id the construct id of the role
   * @param props the role's name, description, policies, boundary, session length
   */
  public addMappedRole(id: string, props: PatternRoleProps = {}): IdentityPoolRole {
    return new IdentityPoolRole(this, id, {
      ...props,
      identityPool: this.identityPool,
      identityType: IdentityPoolIdentityType.AUTHENTICATED,
      ...(this.sessionTags ? { allowSessionTags: true } : {}),
    });
  }

  /**
   * Adds a role mapping for one identity provider. Its roles must be authenticated
   * `IdentityPoolRole`s of this pool; a second mapping for the same provider is refused.
   */
  public addRoleMapping(mapping: IdentityPoolRoleMapping): void {
    const site = siteOf('IdentityPoolRoles', this);
    if (!this.attached) {
      fail(site, 'roleMappings', 'role mappings are part of the role attachment, which attachRoles: false leaves out',
        'attach the roles here, or declare the mappings where the pool\'s roles are attached');
    }
    const rendered = mapping._render(site, this.identityPool);
    if (!Token.isUnresolved(mapping.providerName) && this.mappings.some(m => m.providerName === mapping.providerName)) {
      fail(site, 'roleMappings', `${mapping.providerName} already has a role mapping`, 'give one mapping per identity provider');
    }
    this.mappings.push(mapping);
    this.rendered.push(rendered);
  }

  /** The `RoleMappings` map: keyed by provider name where it is literal, else by position. */
  private renderMappings(): any {
    return Lazy.any({
      produce: () => (this.rendered.length === 0 ? undefined : Object.fromEntries(this.rendered.map((m, i) => [
        Token.isUnresolved(m.identityProvider) ? `mapping${i + 1}` : m.identityProvider, m,
      ]))),
    });
  }

  /**
   * Grants each authenticated identity read, write and delete access to its own folder
   * of `bucket`, `<prefix>/<identity id>/`; see {@link IdentityPoolRole.grantPerIdentityPrefix}.
   */
  public grantPerIdentityPrefix(bucket: s3.IBucket, prefix: string): iam.Grant {
    return this.authenticatedRole.grantPerIdentityPrefix(bucket, prefix);
  }
}

function validatePrincipalTags(site: ErrorSite, t: PrincipalTagMapping): void {
  if (!Token.isUnresolved(t.providerName) && (t.providerName.length === 0 || t.providerName.length > 128)) {
    fail(site, 'principalTags', `the provider name '${t.providerName}' is not 1-128 characters long`, 'give the identity provider name, e.g. cognito-idp.<region>.amazonaws.com/<user pool id>');
  }
  const entries = Object.entries(t.tags ?? {});
  if (entries.length === 0 || entries.length > 50) {
    fail(site, 'principalTags', `${entries.length} tags given for ${t.providerName}`, 'map 1 to 50 tag keys to token claims');
  }
  for (const [key, claim] of entries) {
    validateTagKey(site, 'principalTags', key);
    if (!Token.isUnresolved(claim) && (claim.length === 0 || claim.length > 256)) {
      fail(site, 'principalTags', `the claim of tag ${key} is empty or too long`, 'name the token claim, e.g. custom:team');
    }
  }
}

/** The construct ids of the default roles aws-cdk-lib's `IdentityPool` creates. */
const DEFAULT_ROLE_IDS = ['AuthenticatedRole', 'UnauthenticatedRole'];

/**
 * An `IdentityPool` given `authenticatedRole`/`unauthenticatedRole` props attaches those
 * roles instead of creating default children: taking over its attachment would detach
 * roles the caller chose, so refuse.
 */
function assertNoExplicitRoles(site: ErrorSite, pool: IdentityPool): void {
  const explicit = [
    { prop: 'authenticatedRole', id: 'AuthenticatedRole', role: pool.authenticatedRole },
    { prop: 'unauthenticatedRole', id: 'UnauthenticatedRole', role: pool.unauthenticatedRole },
  ].filter(r => pool.node.tryFindChild(r.id) !== r.role);
  if (explicit.length > 0) {
    fail(site, 'identityPool', `the identity pool ${pool.node.path} was created with its own ${explicit.map(r => r.prop).join(' and ')}, which these roles would replace in its role attachment`,
      'leave authenticatedRole and unauthenticatedRole out of the IdentityPool props, or keep the pool\'s roles and pass attachRoles: false');
  }
}

/** Whether a default role holds permissions: policies, managed policies or inline policies. */
function hasPermissions(role: iam.Role): boolean {
  if (role.node.children.some(c => c.node.id !== 'Resource')) return true;
  const resource = role.node.defaultChild as iam.CfnRole;
  const stack = Stack.of(role);
  const listed = (value: unknown) => {
    const resolved = stack.resolve(value);
    return Array.isArray(resolved) ? resolved.length > 0 : resolved !== undefined;
  };
  return listed(resource.managedPolicyArns) || listed(resource.policies);
}

/**
 * aws-cdk-lib's default roles of an `IdentityPool` are removed when these roles replace
 * them; refuse if something was granted to them, which would be lost.
 */
function assertDefaultRolesUnused(site: ErrorSite, pool: IdentityPool): void {
  for (const name of DEFAULT_ROLE_IDS) {
    const role = pool.node.tryFindChild(name);
    if (role instanceof iam.Role && hasPermissions(role)) {
      fail(site, 'identityPool', `permissions were granted to the default role ${role.node.path} of the identity pool, which these roles replace`,
        'grant them on IdentityPoolRoles.authenticatedRole (or unauthenticatedRole) instead');
    }
  }
}
