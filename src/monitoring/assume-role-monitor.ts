import { Stack, Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { estimatePolicyLength } from '../core/policy-size';
import { ACCOUNT_ID_LENGTH, IAM_NAME_LENGTH, IAM_PATH_LENGTH, LONGEST_PARTITION } from '../core/policy-size-kinds';
import { DEFAULT_EVENT_PATTERN_SIZE } from '../core/quotas';
import { knownPartitionOf } from '../core/regions';
import { watchStackLimits } from '../core/stack-limits';
import { quote, validateAccountId, validateNoDuplicates, validateRoleArn } from '../core/validation';

/**
 * The CloudTrail events that hand out a role's credentials: the three STS `AssumeRole*`
 * calls and IAM Roles Anywhere's `CreateSession`. The role ARN the caller passed is in
 * `requestParameters.roleArn`; STS also lists the role it resolved in `resources[].ARN`
 * (type `AWS::IAM::Role`), so the rule matches either field.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html#cloudtrail-integration_examples-sts-api
 */
const EVENT_NAMES = ['AssumeRole', 'AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML', 'CreateSession'];

/**
 * EventBridge only matches read-only management events (STS `AssumeRole*` among them)
 * for rules in this state.
 */
const ALL_MANAGEMENT_EVENTS = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';

/** Properties for an {@link AssumeRoleMonitor}. */
export interface AssumeRoleMonitorProps {
  /**
   * The roles to watch. Give `roles`, `roleArns` or both; at least one role in all.
   *
   * @default - none
   */
  readonly roles?: iam.IRole[];

  /**
   * ARNs of more roles to watch, e.g. roles of other stacks. CloudTrail records the ARN
   * the caller passed, which includes the role's path.
   *
   * @default - none
   */
  readonly roleArns?: string[];

  /**
   * A topic to notify of each matching event (EventBridge publishes the CloudTrail event).
   * The topic policy, and the policy of the topic's KMS key when the key is defined in
   * this app, let `events.amazonaws.com` publish; an imported key must allow it already.
   *
   * @default - no topic; give `targets`
   */
  readonly topic?: sns.ITopic;

  /**
   * Any other targets of the rule (a Lambda function, a queue, a log group, a bus of a
   * security account ...). At least one of `topic` and `targets`.
   *
   * @default - none
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * Report only failed attempts (events with an `errorCode`, such as `AccessDenied`):
   * someone tried to assume a role that does not trust them.
   *
   * @default false - every successful and failed attempt
   */
  readonly failedOnly?: boolean;

  /**
   * Report only calls by principals of accounts other than these, e.g. every account of
   * your organization, so that a caller from an unknown account stands out.
   *
   * CloudTrail records the caller's account (`userIdentity.accountId`), not its
   * organization, so list the accounts. Web identity, SAML and AWS service callers
   * carry no caller account, so with this filter only `AssumeRole` calls by IAM
   * principals are reported.
   *
   * @default - calls from every account
   */
  readonly knownAccounts?: string[];

  /**
   * A description of the rule.
   *
   * @default - one naming the watched events
   */
  readonly description?: string;

  /**
   * The longest event pattern of one rule, in characters: EventBridge's quota "Event
   * pattern size" of the account and region (2,048 by default, adjustable in Service
   * Quotas).
   *
   * Each watched role ARN appears twice in a pattern (`requestParameters.roleArn` and
   * `resources[].ARN`), so about a dozen roles with generated names reach the default.
   * The monitor measures the pattern at synthesis, counting ARNs only known at deploy time
   * at their longest (a generated role name at 64 characters, a path or an imported ARN at
   * IAM's longest), and splits the roles into as many rules as needed; the first rule keeps
   * its logical id.
   *
   * @default 2048
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
   */
  readonly maxEventPatternSize?: number;
}

/**
 * Watches who assumes a set of roles: an EventBridge rule on CloudTrail's
 * `AssumeRole`, `AssumeRoleWithWebIdentity`, `AssumeRoleWithSAML` (STS) and
 * `CreateSession` (IAM Roles Anywhere) events for those roles, sent to an SNS topic or any
 * EventBridge target.
 *
 * Prerequisites: EventBridge receives "AWS API Call via CloudTrail" events only while a
 * CloudTrail trail with logging enabled records management events (read events
 * included) in the region. Events arrive in the region where STS served the call (calls
 * to the global STS endpoint and SAML console sign-ins through the global sign-in
 * endpoint are recorded in us-east-1), so deploy the monitor in us-east-1 and in each
 * region your callers use, in the account that owns the roles. The rule matches the role
 * in `requestParameters.roleArn` or in `resources[].ARN`. The STS events are
 * read-only management events, which EventBridge matches only for rules in the
 * `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS` state: this rule uses it.
 *
 * When the roles' ARNs (counted at their longest where only known at deploy time) would
 * pass EventBridge's event pattern size (`maxEventPatternSize`, 2,048 characters by
 * default), the roles are split into several rules (`rules`); the first keeps its logical id.
 *
 * @example
 * new AssumeRoleMonitor(this, 'DeployRoleUse', {
 *   roles: [deployRole],
 *   topic: securityAlerts,
 *   knownAccounts: ['111111111111', '222222222222'],
 * });
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 */
export class AssumeRoleMonitor extends Construct {
  /** The EventBridge rule (the first, when the roles need several). */
  public readonly rule: events.Rule;

  /** The event pattern of the rule (the first, when the roles need several). */
  public readonly eventPattern: events.EventPattern;

  /**
   * Every rule of the monitor: one, unless the watched roles' ARNs pass the event pattern
   * size (`maxEventPatternSize`); each rule watches some of the roles, with the same
   * filters and targets.
   */
  public readonly rules: events.Rule[];

  /** The event pattern of each rule, in the order of `rules`. */
  public readonly eventPatterns: events.EventPattern[];

  constructor(scope: Construct, id: string, props: AssumeRoleMonitorProps) {
    const site = siteOf('AssumeRoleMonitor', scope, id);
    const roleArns = [...(props.roles ?? []).map(r => r.roleArn), ...(props.roleArns ?? [])];
    if (roleArns.length === 0) {
      fail(site, 'roles', 'no role to watch (roles and roleArns are empty)', 'pass the roles whose use should be reported');
    }
    (props.roleArns ?? []).forEach(a => validateRoleArn(site, 'roleArns', a));
    validateNoDuplicates(site, 'roleArns', roleArns);
    if (props.topic === undefined && (props.targets ?? []).length === 0) {
      fail(site, 'targets', 'the rule has no target (neither topic nor targets is set)', 'give the topic to notify, or the targets of the events');
    }
    const known = props.knownAccounts;
    if (known !== undefined) {
      if (!Token.isUnresolved(known) && known.length === 0) {
        fail(site, 'knownAccounts', 'the list is empty', 'list the accounts whose calls are expected, or leave knownAccounts out');
      }
      known.forEach(a => validateAccountId(site, 'knownAccounts', a));
      validateNoDuplicates(site, 'knownAccounts', known);
    }
    const maxSize = props.maxEventPatternSize ?? DEFAULT_EVENT_PATTERN_SIZE;
    if (!Token.isUnresolved(maxSize) && (!Number.isInteger(maxSize) || maxSize < 1)) {
      fail(site, 'maxEventPatternSize', `${maxSize} is not a positive whole number`,
        `keep the default of ${DEFAULT_EVENT_PATTERN_SIZE} (EventBridge's default "Event pattern size"), or give the quota of the account`);
    }
    super(scope, id);
    watchStackLimits(this);

    const groups = splitRoleArns(this, site, props, roleArns, maxSize);
    const rules: events.Rule[] = [];
    const patterns: events.EventPattern[] = [];
    groups.forEach((arns, i) => {
      const pattern = eventPatternOf(arns, props.failedOnly, known);
      const part = groups.length > 1 ? ` (rule ${i + 1} of ${groups.length})` : '';
      const rule = new events.Rule(this, i === 0 ? 'Rule' : `Rule${i + 1}`, {
        description: props.description ?? `Reports ${props.failedOnly ? 'failed attempts to assume' : 'use of'} ${arns.length} role(s): STS AssumeRole*, Roles Anywhere CreateSession${part}`,
        eventPattern: pattern,
      });
      (rule.node.defaultChild as events.CfnRule).state = ALL_MANAGEMENT_EVENTS;
      if (props.topic) rule.addTarget(new targets.SnsTopic(props.topic));
      for (const t of props.targets ?? []) rule.addTarget(t);
      rules.push(rule);
      patterns.push(pattern);
    });
    this.rules = rules;
    this.eventPatterns = patterns;
    this.rule = rules[0];
    this.eventPattern = patterns[0];
  }

  /** Sends the matching events to one more target. */
  public addTarget(target: events.IRuleTarget): void {
    for (const rule of this.rules) rule.addTarget(target);
  }
}

/** The pattern of one rule watching `roleArns`. */
function eventPatternOf(roleArns: string[], failedOnly: boolean | undefined, known: string[] | undefined): events.EventPattern {
  const detail: Record<string, unknown> = {
    eventName: EVENT_NAMES,
    $or: [
      { requestParameters: { roleArn: roleArns } },
      { resources: { ARN: roleArns } },
    ],
  };
  if (failedOnly) detail.errorCode = events.Match.exists();
  if (known !== undefined) detail.userIdentity = { accountId: events.Match.anythingBut(...known) };
  return {
    source: ['aws.sts', 'aws.rolesanywhere'],
    detailType: ['AWS API Call via CloudTrail'],
    detail,
  };
}

/**
 * The roles split into groups whose rule's pattern stays within `maxSize` characters,
 * in the order given (so that adding roles at the end never moves the first ones).
 */
function splitRoleArns(scope: Construct, site: ErrorSite, props: AssumeRoleMonitorProps, roleArns: string[], maxSize: number): string[][] {
  if (Token.isUnresolved(maxSize)) return [roleArns];
  const lengths = roleArnLengths(scope, props, roleArns);
  const known = props.knownAccounts === undefined ? undefined
    : props.knownAccounts.map(a => (Token.isUnresolved(a) ? 'x'.repeat(ACCOUNT_ID_LENGTH) : a));
  const size = (group: number[]): number => estimateEventPatternSize(scope, eventPatternOf(group.map(i => 'x'.repeat(lengths[i])), props.failedOnly, known));
  const groups: number[][] = [];
  let current: number[] = [];
  roleArns.forEach((arn, i) => {
    const candidate = [...current, i];
    if (size(candidate) <= maxSize) {
      current = candidate;
      return;
    }
    if (current.length === 0 || size([i]) > maxSize) {
      fail(site, 'maxEventPatternSize', `the pattern for the role ${Token.isUnresolved(arn) ? `#${i + 1}` : quote(arn)} alone would be ${size([i])} characters `
        + `(its ARN counted at ${lengths[i]}), above ${maxSize}`,
      'give the "Event pattern size" quota of the account (Service Quotas, Amazon EventBridge), or fewer filters');
    }
    groups.push(current);
    current = [i];
  });
  if (current.length > 0) groups.push(current);
  return groups.map(g => g.map(i => roleArns[i]));
}

/**
 * The length of each role ARN as EventBridge will see it: the ARN itself when concrete;
 * for a role of this app (given in `roles`), `arn:<partition>:iam::<account>:role<path><name>`
 * with what its `AWS::IAM::Role` fixes counted exactly and the rest at the longest IAM
 * allows (a generated or token name at 64 characters, a token path at 512, an unknown
 * partition at the longest), the lengths of `core/policy-size-kinds.ts`; for any other
 * token (an imported ARN, a parameter, `role.roleArn` passed in `roleArns`), the longest
 * role ARN.
 *
 * The role's L1 properties are read, not its rendered template: a pattern role's trust
 * policy is only rendered at synthesis.
 */
function roleArnLengths(scope: Construct, props: AssumeRoleMonitorProps, roleArns: string[]): number[] {
  const roles = props.roles ?? [];
  const arnPrefix = (partition: string | undefined) => `arn:${partition ?? LONGEST_PARTITION}:iam::${'x'.repeat(ACCOUNT_ID_LENGTH)}:role`.length;
  const longest = arnPrefix(knownPartitionOf(scope)) + IAM_PATH_LENGTH + IAM_NAME_LENGTH;
  const known = (value: string | undefined, absent: number, longestValue: number): number =>
    (value === undefined ? absent : Token.isUnresolved(value) ? longestValue : value.length);
  return roleArns.map((arn, i) => {
    if (!Token.isUnresolved(arn)) return arn.length;
    const cfn = i < roles.length ? roles[i].node.defaultChild : undefined;
    if (cfn instanceof iam.CfnRole) {
      return arnPrefix(knownPartitionOf(cfn)) + known(cfn.path, 1, IAM_PATH_LENGTH) + known(cfn.roleName, IAM_NAME_LENGTH, IAM_NAME_LENGTH);
    }
    // An ARN built of literals and pseudo parameters (`iam.Role.fromRoleName`:
    // arn:${AWS::Partition}:iam::<account>:role/<name>): the policy size estimate counts
    // each pseudo parameter at its longest.
    const resolved = Stack.of(scope).resolve(arn);
    if (onlyPseudoParameters(resolved)) return estimatePolicyLength(resolved, undefined, knownPartitionOf(scope)).length - 2;
    return longest;
  });
}

/** Whether a resolved value holds no intrinsic but joins of literals and pseudo parameters. */
function onlyPseudoParameters(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(onlyPseudoParameters);
  if (value === null || typeof value !== 'object') return true;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [key, arg] = entries[0];
    if (key === 'Ref') return typeof arg === 'string' && PSEUDO_PARAMETERS.has(arg);
    if (key === 'Fn::Join') return onlyPseudoParameters(arg);
    if (key.startsWith('Fn::')) return false;
  }
  return entries.every(([, v]) => onlyPseudoParameters(v));
}

/** The pseudo parameters whose longest value the policy size estimate knows. */
const PSEUDO_PARAMETERS = new Set(['AWS::Partition', 'AWS::AccountId', 'AWS::Region', 'AWS::URLSuffix']);

/**
 * The size of an event pattern as EventBridge counts it: the characters of its JSON,
 * rendered as the rule renders it (`detailType` as `detail-type`, `Match` operators resolved).
 */
function estimateEventPatternSize(scope: Construct, pattern: events.EventPattern): number {
  const { detailType, ...rest } = pattern;
  const rendered = { ...rest, ...(detailType ? { 'detail-type': detailType } : {}) };
  return JSON.stringify(Stack.of(scope).resolve(rendered)).length;
}
