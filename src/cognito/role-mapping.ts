import { Stack, Token } from 'aws-cdk-lib';
import { IIdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IdentityPoolIdentityType, IdentityPoolRole } from './identity-pool-role';
import { ErrorSite, fail } from '../core/errors';
import { quote, validateLength } from '../core/validation';

/**
 * What Cognito does when no rule matches, or the token names several roles and none is
 * preferred (`AmbiguousRoleResolution`).
 */
export enum AmbiguousRoleResolution {
  /** Refuse credentials (`Deny`): the secure default. */
  DENY = 'Deny',
  /** Fall back to the pool's authenticated role (`AuthenticatedRole`). */
  AUTHENTICATED_ROLE = 'AuthenticatedRole',
}

/** How a rule compares the claim with its value (`MatchType`). */
export enum RoleMappingMatchType {
  /** The claim equals the value. */
  EQUALS = 'Equals',
  /** The claim contains the value (for multi-valued claims such as `cognito:groups`). */
  CONTAINS = 'Contains',
  /** The claim starts with the value. */
  STARTS_WITH = 'StartsWith',
  /** The claim differs from the value: it also matches every user without the claim, so it is refused. */
  NOT_EQUAL = 'NotEqual',
}

/** One rule of a rules-based role mapping: the first rule that matches picks the role. */
export interface RoleMappingRule {
  /** The token claim, e.g. `cognito:groups` or `custom:department`. */
  readonly claim: string;

  /**
   * How the claim is compared.
   *
   * @default RoleMappingMatchType.EQUALS
   */
  readonly matchType?: RoleMappingMatchType;

  /** The value compared with the claim. */
  readonly value: string;

  /**
   * The role the rule gives: an authenticated `IdentityPoolRole` of the same pool, so it
   * trusts the pool with the same `aud` and `amr` scoping. Any other role is refused.
   */
  readonly role: iam.IRole;
}

/** Options of {@link IdentityPoolRoleMapping.fromToken}. */
export interface TokenRoleMappingOptions {
  /**
   * The identity provider whose tokens carry the roles, e.g. a user pool's
   * `cognito-idp.<region>.amazonaws.com/<user pool id>:<app client id>`
   * (`IdentityPoolProviderUrl.userPool(pool, client).value`).
   */
  readonly providerName: string;

  /**
   * The roles the tokens may name (`cognito:preferred_role`, `cognito:roles`: the roles of
   * the user pool's groups). Each must be an authenticated `IdentityPoolRole` of the same
   * pool; a group role that does not trust the pool would fail at sign-in.
   *
   * @default - no check of the group roles
   */
  readonly roles?: iam.IRole[];

  /**
   * What Cognito does when the token names no role, or several without a preferred one.
   *
   * @default AmbiguousRoleResolution.DENY
   */
  readonly ambiguousRoleResolution?: AmbiguousRoleResolution;
}

/** Options of {@link IdentityPoolRoleMapping.fromRules}. */
export interface RulesRoleMappingOptions {
  /** The identity provider whose token claims the rules read (see {@link TokenRoleMappingOptions.providerName}). */
  readonly providerName: string;

  /** The rules, in order: 1 to 25. */
  readonly rules: RoleMappingRule[];

  /**
   * What Cognito does when no rule matches.
   *
   * @default AmbiguousRoleResolution.DENY
   */
  readonly ambiguousRoleResolution?: AmbiguousRoleResolution;
}

/**
 * How an identity pool picks the role of an authenticated identity of one identity
 * provider (`AWS::Cognito::IdentityPoolRoleAttachment` `RoleMappings`): from the token
 * (the user pool group's role) or from rules on its claims. Ambiguous cases are denied
 * unless you choose the authenticated role as fallback.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
 */
export abstract class IdentityPoolRoleMapping {
  /** The role comes from the token: `cognito:preferred_role`, or the only one of `cognito:roles`. */
  public static fromToken(options: TokenRoleMappingOptions): IdentityPoolRoleMapping {
    return new Mapping('Token', options.providerName, options.ambiguousRoleResolution, [], options.roles ?? []);
  }

  /** The role comes from the first rule whose claim matches. */
  public static fromRules(options: RulesRoleMappingOptions): IdentityPoolRoleMapping {
    return new Mapping('Rules', options.providerName, options.ambiguousRoleResolution, options.rules ?? [], []);
  }

  /** `Token` or `Rules`. */
  public abstract readonly mappingType: string;

  /** The identity provider the mapping applies to. */
  public abstract readonly providerName: string;

  /** What happens in ambiguous cases. */
  public abstract readonly ambiguousRoleResolution: AmbiguousRoleResolution;

  protected constructor() {}

  /**
   * Validates the mapping for `pool` and returns its `RoleMapping` (L1 shape).
   *
   * @internal
   */
  public abstract _render(site: ErrorSite, pool: IIdentityPool): any;
}

/** The one implementation behind the factories. */
class Mapping extends IdentityPoolRoleMapping {
  public readonly ambiguousRoleResolution: AmbiguousRoleResolution;
  private readonly rules: RoleMappingRule[];
  private readonly tokenRoles: iam.IRole[];

  constructor(
    public readonly mappingType: string, public readonly providerName: string, ambiguous: AmbiguousRoleResolution | undefined,
    rules: RoleMappingRule[], tokenRoles: iam.IRole[],
  ) {
    super();
    this.ambiguousRoleResolution = ambiguous ?? AmbiguousRoleResolution.DENY;
    this.rules = [...rules];
    this.tokenRoles = [...tokenRoles];
  }

  public _render(site: ErrorSite, pool: IIdentityPool): any {
    const prop = 'roleMappings';
    if (!Token.isUnresolved(this.providerName)) validateLength(site, `${prop}.providerName`, this.providerName, 1, 128);
    if (this.mappingType === 'Rules' && (this.rules.length === 0 || this.rules.length > 25)) {
      fail(site, `${prop}.rules`, `${this.rules.length} rules given`, 'give 1 to 25 rules (Cognito\'s limit)');
    }
    for (const role of [...this.tokenRoles, ...this.rules.map(r => r.role)]) assertTrustedByPool(site, `${prop}.role`, role, pool);
    for (const rule of this.rules) {
      if (!Token.isUnresolved(rule.claim)) validateLength(site, `${prop}.rules.claim`, rule.claim, 1, 64);
      if (!Token.isUnresolved(rule.value)) validateLength(site, `${prop}.rules.value`, rule.value, 1, 128);
      if (rule.matchType === RoleMappingMatchType.NOT_EQUAL) {
        fail(site, `${prop}.rules.matchType`, `NotEqual on ${quote(rule.claim)} also matches every user whose token lacks the claim, or whose value a user can change`,
          'match the users a role is for with Equals, Contains or StartsWith');
      }
    }
    return {
      type: this.mappingType,
      ambiguousRoleResolution: this.ambiguousRoleResolution,
      identityProvider: this.providerName,
      ...(this.mappingType === 'Rules' ? {
        rulesConfiguration: {
          rules: this.rules.map(r => ({
            claim: r.claim, matchType: r.matchType ?? RoleMappingMatchType.EQUALS, value: r.value, roleArn: r.role.roleArn,
          })),
        },
      } : {}),
    };
  }
}

/**
 * A mapped role must trust this pool exactly like the pool's authenticated role: an
 * authenticated `IdentityPoolRole` of the same pool. A role that does not trust the pool
 * fails at sign-in; a guest role would hand guest permissions to signed-in users (or the
 * reverse); a role whose trust cannot be read is refused rather than assumed right.
 */
export function assertTrustedByPool(site: ErrorSite, prop: string, role: iam.IRole, pool: IIdentityPool): void {
  const name = Token.isUnresolved(role.roleArn) ? role.node.path : role.roleArn;
  if (!(role instanceof IdentityPoolRole)) {
    fail(site, prop, `the role ${quote(name)} is not an IdentityPoolRole, so nothing shows that it trusts the identity pool with its aud and amr conditions`,
      'create the mapped role as new IdentityPoolRole(scope, id, { identityPool }) (or IdentityPoolRoles.addMappedRole)');
  }
  if (role.identityType !== IdentityPoolIdentityType.AUTHENTICATED) {
    fail(site, prop, `the role ${quote(name)} serves unauthenticated (guest) identities, and mappings pick roles for authenticated ones`,
      'map an IdentityPoolRole with identityType AUTHENTICATED');
  }
  const stack = Stack.of(role);
  const same = role.identityPool === pool
    || JSON.stringify(stack.resolve(role.identityPool.identityPoolId)) === JSON.stringify(stack.resolve(pool.identityPoolId));
  if (!same) {
    fail(site, prop, `the role ${quote(name)} trusts another identity pool (${String(role.identityPool.identityPoolId)})`,
      'map roles created for this identity pool');
  }
}
