import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ErrorSite, fail, siteOf } from './errors';
import { PatternRoleProps } from './pattern-role-props.generated';
import { validateMaxTrustPolicySize } from './quotas';
import { watchStackLimits } from './stack-limits';
import { TrustPolicy } from './trust-policy';
import { ScopeCheck } from './trust-scope';
import { validateDuration, validateIamName, validateIamPath, validateLength } from './validation';
import { WARNING } from './warnings';

/** Sessions above this length need `allowLongSessions`. */
export const LONG_SESSION = Duration.hours(1);

/** Whether a session of this length needs the `allowLongSessions` opt-in. */
function isLong(duration: Duration): boolean {
  return !Token.isUnresolved(duration.toSeconds()) && duration.toSeconds() > LONG_SESSION.toSeconds();
}

/** Refuses sessions longer than one hour unless `allowLongSessions` is set. */
export function validateSessionLength(site: ErrorSite, prop: string, duration: Duration, allowLongSessions: boolean | undefined): void {
  if (isLong(duration) && !allowLongSessions) {
    fail(site, prop, `${duration.toHumanString()} is longer than one hour, and leaked session credentials stay valid that long`,
      'keep the default of one hour, or set allowLongSessions: true to opt in');
  }
}

/** Leaves the `longSession` warning on `scope` when a session longer than one hour was opted in to. */
export function warnLongSession(scope: IConstruct, duration: Duration | undefined, allowLongSessions: boolean | undefined, what: string): void {
  if (allowLongSessions && duration !== undefined && isLong(duration)) {
    Annotations.of(scope).addWarningV2(WARNING.longSession,
      `${what} last up to ${duration.toHumanString()} (allowLongSessions); leaked credentials stay valid as long.`);
  }
}

/**
 * The error site of a pattern role about to be created, after validating the shared role
 * props. Call it first in a {@link PatternRole} subclass's constructor, before the
 * pattern's own validation, so that errors in the shared props are reported first.
 */
export function patternRoleSite(kind: string, scope: IConstruct, id: string, props: PatternRoleProps): ErrorSite {
  const site = siteOf(kind, scope, id);
  validateRoleProps(site, props);
  return site;
}

/** Validates the props every pattern role shares. */
function validateRoleProps(site: ErrorSite, props: PatternRoleProps): void {
  if (props.roleName !== undefined) validateIamName(site, 'roleName', props.roleName, 64);
  if (props.path !== undefined) validateIamPath(site, 'path', props.path);
  if (props.description !== undefined) validateLength(site, 'description', props.description, 0, 1000);
  const max = props.maxSessionDuration;
  if (max !== undefined && !Token.isUnresolved(max.toSeconds())) {
    validateDuration(site, 'maxSessionDuration', max, Duration.hours(1), Duration.hours(12));
    validateSessionLength(site, 'maxSessionDuration', max, props.allowLongSessions);
  }
  if (props.maxTrustPolicySize !== undefined && (!Number.isInteger(props.maxTrustPolicySize) || props.maxTrustPolicySize < 1)) {
    fail(site, 'maxTrustPolicySize', `${props.maxTrustPolicySize} is not a positive whole number`,
      'give the trust policy quota of the target accounts in characters, e.g. 4096');
  }
  validateMaxTrustPolicySize(site, props.maxTrustPolicySize);
}

/**
 * Validates the shared role props and returns `iam.RoleProps` whose trust policy is left
 * to a {@link TrustPolicy}.
 */
function toRoleProps(site: ErrorSite, props: PatternRoleProps): iam.RoleProps {
  validateRoleProps(site, props);
  // Every RoleProps field goes to iam.Role, including fields that future aws-cdk-lib
  // versions add (PatternRoleProps is generated from RoleProps); the fields PatternRoleProps
  // omits are stripped, since pattern props may reuse their names (CrossAccountRole's
  // externalIds), and the trust is the TrustPolicy's alone.
  const all = props as iam.RoleProps & PatternRoleProps;
  const { allowLongSessions: _long, maxTrustPolicySize: _size, externalIds: _ids, assumedBy: _by, ...roleProps } = all;
  return { ...roleProps, assumedBy: TrustPolicy.deferred() };
}

/**
 * The base of this library's roles: an `iam.Role` whose whole trust policy is a
 * {@link TrustPolicy} built from the pattern's props.
 *
 * It validates the props every pattern role shares (`roleName`, `path`, `description`,
 * `maxSessionDuration` with `allowLongSessions`, `maxTrustPolicySize`), creates the role
 * with `assumedBy: TrustPolicy.deferred()`, and attaches the trust policy, to which the
 * subclass's constructor then adds the statements its props describe. At synthesis the
 * trust policy is rendered, measured and read back by the scope guard.
 *
 * Use one of its subclasses, e.g. `GitHubActionsRole`, `CrossAccountRole` or
 * `PodIdentityRole`.
 */
export abstract class PatternRole extends iam.Role {
  /** The trust policy builder of this role. */
  protected readonly trust: TrustPolicy;

  /**
   * @param scope the scope of the role
   * @param id the construct id of the role
   * @param kind the construct's class name for error messages, e.g. `GitHubActionsRole`
   * @param props the shared role props
   */
  protected constructor(scope: Construct, id: string, kind: string, props: PatternRoleProps) {
    // The shared props are validated here even when the subclass did so first
    // (patternRoleSite): the checks are pure, and no subclass can skip them.
    super(scope, id, toRoleProps(siteOf(kind, scope, id), props));
    warnLongSession(this, props.maxSessionDuration, props.allowLongSessions, 'Sessions of this role');
    this.trust = new TrustPolicy(this, { kind, maxSize: props.maxTrustPolicySize });
    watchStackLimits(this);
  }

  /**
   * The trust policy builder of this role, for the other constructs of this library
   * (e.g. a Pod Identity association adding the statement its target role needs).
   *
   * @internal
   */
  public get _trust(): TrustPolicy {
    return this.trust;
  }

  /**
   * Accepts the owner-wide ways in of one kind of check, which the props opted in to, and
   * leaves the warning that says what they admit.
   *
   * @internal
   */
  protected _warnOwnerWide(check: ScopeCheck, warning: string, message: string): void {
    this.trust._acceptOwnerWide(check);
    Annotations.of(this).addWarningV2(warning, message);
  }
}
