import { Annotations, Duration, Resource, Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { ErrorSite, fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { quote, validateDuration, validateNoDuplicates, validateRoleArn } from '../core/validation';
import { WARNING } from '../core/warnings';
import { AssumeRoleMonitor } from '../monitoring';

/** How a caller of an {@link ElevationRole} proves the elevation is meant. */
export enum ElevationAuthentication {
  /** A person: the caller's session must carry MFA (`aws:MultiFactorAuthPresent` true, recent `aws:MultiFactorAuthAge`). */
  MFA = 'mfa',
  /** A machine: the caller must set a source identity (`sts:SourceIdentity`), which CloudTrail records through every later role. */
  SOURCE_IDENTITY = 'source-identity',
}

/**
 * A role of the same account that may assume an {@link ElevationRole}, and how it proves
 * that the elevation is meant.
 */
export class ElevationCaller {
  /** A role people use (e.g. an operator role): MFA is required. */
  public static human(roleArn: string): ElevationCaller {
    return new ElevationCaller(roleArn, ElevationAuthentication.MFA);
  }

  /** A role a machine uses (e.g. a pipeline or a workload role): a source identity is required. */
  public static machine(roleArn: string): ElevationCaller {
    return new ElevationCaller(roleArn, ElevationAuthentication.SOURCE_IDENTITY);
  }

  /** A role people use, given as a construct: MFA is required. */
  public static humanRole(role: iam.IRole): ElevationCaller {
    return new ElevationCaller(role.roleArn, ElevationAuthentication.MFA, role);
  }

  /** A role a machine uses, given as a construct: a source identity is required. */
  public static machineRole(role: iam.IRole): ElevationCaller {
    return new ElevationCaller(role.roleArn, ElevationAuthentication.SOURCE_IDENTITY, role);
  }

  /** The caller's role ARN. */
  public readonly roleArn: string;

  /** What the caller must prove. */
  public readonly authentication: ElevationAuthentication;

  /** @internal */
  public readonly _role?: iam.IRole;

  protected constructor(roleArn: string, authentication: ElevationAuthentication, role?: iam.IRole) {
    this.roleArn = roleArn;
    this.authentication = authentication;
    this._role = role;
  }
}

/** Properties for an {@link ElevationRole}. */
export interface ElevationRoleProps extends PatternRoleProps {
  /**
   * The roles of this account that may assume the role, each with what it must prove:
   * `ElevationCaller.human(arn)` (MFA) or `ElevationCaller.machine(arn)` (a source
   * identity). Roles of other accounts are refused (use `CrossAccountRole`); the account
   * root (every principal of the account whose policies allow it) only with
   * `allowAccountRoot`.
   *
   * The trust also requires `aws:PrincipalAccount` to be this account, so a caller ARN only
   * known at deploy time cannot name another account either.
   */
  readonly callers: ElevationCaller[];

  /**
   * How long ago a human caller's MFA sign-in may be (`aws:MultiFactorAuthAge`).
   *
   * @default Duration.hours(1)
   */
  readonly mfaMaxAge?: Duration;

  /**
   * Accept the account root (`arn:<partition>:iam::<account>:root`) as a caller: every
   * principal of this account whose own policies allow `sts:AssumeRole` on this role can
   * then assume it (with MFA or a source identity). Leaves a warning.
   *
   * @default false
   */
  readonly allowAccountRoot?: boolean;

  /**
   * The topic the role's `AssumeRoleMonitor` notifies of each assumption (and each failed
   * attempt). Give `topic`, `monitorTargets` or both.
   *
   * @default - no topic; give monitorTargets
   */
  readonly topic?: sns.ITopic;

  /**
   * More targets of the role's `AssumeRoleMonitor` (a security account's event bus, a
   * queue, a function ...).
   *
   * @default - none
   */
  readonly monitorTargets?: events.IRuleTarget[];
}

const ROOT = /^arn:[^:]+:iam::([^:]*):root$/;

/**
 * A role for one privileged task in an account (e.g. break-glass administration, a
 * database restore), which named roles of the same account assume when the task is due:
 * people with MFA, machines with a source identity.
 *
 * Secure by default: only the named roles of the stack's account (`aws:PrincipalAccount`
 * pinned too), the account root only with `allowAccountRoot`; MFA no older than
 * `mfaMaxAge` (one hour) for people, `sts:SourceIdentity` for machines; one-hour sessions
 * (`allowLongSessions` to go beyond); and an `AssumeRoleMonitor` that reports every
 * assumption and every failed attempt to the topic or targets.
 *
 * The caller's side: `CrossAccountRole.grantAssume(callerRole, elevation.roleArn, { setSourceIdentity: true })`
 * (the grant works within one account too).
 *
 * @example
 * const restore = new ElevationRole(this, 'DatabaseRestore', {
 *   callers: [ElevationCaller.human(operatorsRoleArn), ElevationCaller.machineRole(runbookRole)],
 *   topic: securityAlerts,
 * });
 */
export class ElevationRole extends PatternRole {
  /** The monitor that reports every assumption of this role. */
  public readonly monitor: AssumeRoleMonitor;

  constructor(scope: Construct, id: string, props: ElevationRoleProps) {
    const site = patternRoleSite('ElevationRole', scope, id, props);
    validateElevationProps(site, scope, props);
    super(scope, id, 'ElevationRole', props);

    const account = TrustCondition.stringEquals('aws:PrincipalAccount', [Stack.of(this).account]);
    const humans = props.callers.filter(c => c.authentication === ElevationAuthentication.MFA);
    const machines = props.callers.filter(c => c.authentication === ElevationAuthentication.SOURCE_IDENTITY);
    if (humans.length > 0) {
      this.trust.addStatement({
        principals: humans.map(c => new iam.ArnPrincipal(c.roleArn)),
        actions: ['sts:AssumeRole'],
        conditions: [
          TrustCondition.bool('aws:MultiFactorAuthPresent', true),
          TrustCondition.numericAtMost('aws:MultiFactorAuthAge', (props.mfaMaxAge ?? Duration.hours(1)).toSeconds()),
          account,
        ],
      });
    }
    if (machines.length > 0) {
      this.trust.addStatement({
        principals: machines.map(c => new iam.ArnPrincipal(c.roleArn)),
        actions: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
        conditions: [TrustCondition.isPresent('sts:SourceIdentity'), account],
      });
    }
    if (props.allowAccountRoot && props.callers.some(c => !Token.isUnresolved(c.roleArn) && ROOT.test(c.roleArn))) {
      Annotations.of(this).addWarningV2(WARNING.accountWideTrust,
        'This elevation role trusts the account root (allowAccountRoot): any principal of the account whose own policies allow sts:AssumeRole on it can assume it.');
    }
    this.monitor = new AssumeRoleMonitor(this, 'Monitor', {
      roles: [this],
      topic: props.topic,
      targets: props.monitorTargets,
      description: `Reports every assumption of the elevation role ${this.node.path}`,
    });
  }
}

function validateElevationProps(site: ErrorSite, scope: IConstruct, props: ElevationRoleProps): void {
  const callers = props.callers ?? [];
  if (callers.length === 0) {
    fail(site, 'callers', 'no caller is named', 'name the roles of this account that perform the task, e.g. ElevationCaller.human(operatorsRoleArn)');
  }
  const stackAccount = Stack.of(scope).account;
  for (const c of callers) {
    validateCaller(site, stackAccount, c, props.allowAccountRoot ?? false);
  }
  validateNoDuplicates(site, 'callers', callers.map(c => c.roleArn));
  if (props.mfaMaxAge !== undefined) {
    if (!callers.some(c => c.authentication === ElevationAuthentication.MFA)) {
      fail(site, 'mfaMaxAge', 'it only applies to human callers (ElevationCaller.human)', 'leave mfaMaxAge out, or name a human caller');
    }
    validateDuration(site, 'mfaMaxAge', props.mfaMaxAge, Duration.minutes(1), Duration.hours(12));
  }
  if (props.topic === undefined && (props.monitorTargets ?? []).length === 0) {
    fail(site, 'topic', 'no topic or monitor target is given, but every assumption of an elevation role must be reported',
      'give the topic (or monitorTargets) that the security team watches');
  }
}

function validateCaller(site: ErrorSite, stackAccount: string, caller: ElevationCaller, allowAccountRoot: boolean): void {
  const arn = caller.roleArn;
  const role = caller._role;
  if (role !== undefined) {
    const account = (role as Partial<Resource>).env?.account ?? Stack.of(role).account;
    if (!Token.isUnresolved(account) && !Token.isUnresolved(stackAccount) && account !== stackAccount) {
      fail(site, 'callers', `the role ${role.node.path} is in account ${account}, but an elevation role is assumed from its own account (${stackAccount}) only`,
        'name roles of this account, or use CrossAccountRole for callers of other accounts');
    }
    return;
  }
  if (Token.isUnresolved(arn)) return;
  const root = ROOT.exec(arn);
  const account = root ? root[1] : validateRoleArn(site, 'callers', arn)?.account;
  if (account === undefined) return;
  if (Token.isUnresolved(stackAccount)) {
    fail(site, 'callers', `${quote(arn)} names account ${account}, but the stack's account is only known at deploy time, so it cannot be checked to be the same`,
      'give the stack an env with its account, or build the ARN from the stack (Stack.of(this).formatArn) or from the role construct (ElevationCaller.humanRole)');
  }
  if (account !== stackAccount) {
    fail(site, 'callers', `${quote(arn)} is in account ${account}, but an elevation role is assumed from its own account (${stackAccount}) only`,
      'name roles of this account, or use CrossAccountRole for callers of other accounts');
  }
  if (root && !allowAccountRoot) {
    fail(site, 'callers', `${quote(arn)} is the account root: every principal of the account whose own policies allow it could elevate`,
      'name the roles that perform the task, or set allowAccountRoot: true to opt in');
  }
}
