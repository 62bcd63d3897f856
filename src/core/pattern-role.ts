import { Annotations, Duration, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { ErrorSite, fail } from './errors';
import { PatternRoleProps } from './pattern-role-props.generated';
import { validateMaxTrustPolicySize } from './quotas';
import { TrustPolicy } from './trust-policy';
import { validateDuration, validateIamName, validateIamPath, validateLength } from './validation';

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
    Annotations.of(scope).addWarningV2('cdk-access-patterns:longSession',
      `${what} last up to ${duration.toHumanString()} (allowLongSessions); leaked credentials stay valid as long.`);
  }
}

/**
 * Validates the shared role props and returns `iam.RoleProps` whose trust policy is left
 * to a {@link TrustPolicy}. Call before `super()`.
 */
export function toRoleProps(site: ErrorSite, props: PatternRoleProps): iam.RoleProps {
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
  // Every RoleProps field goes to iam.Role, including fields that future aws-cdk-lib
  // versions add (PatternRoleProps is generated from RoleProps); the fields PatternRoleProps
  // omits are stripped, since pattern props may reuse their names (CrossAccountRole's
  // externalIds), and the trust is the TrustPolicy's alone.
  const all = props as iam.RoleProps & PatternRoleProps;
  const { allowLongSessions: _long, maxTrustPolicySize: _size, externalIds: _ids, assumedBy: _by, ...roleProps } = all;
  return { ...roleProps, assumedBy: TrustPolicy.deferred() };
}

/** Attaches the trust policy and leaves the warnings the shared props call for. Call after `super()`. */
export function attachTrustPolicy(role: iam.Role, kind: string, props: PatternRoleProps): TrustPolicy {
  warnLongSession(role, props.maxSessionDuration, props.allowLongSessions, 'Sessions of this role');
  return new TrustPolicy(role, { kind, maxSize: props.maxTrustPolicySize });
}
