import { Token } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { fail, siteOf } from '../core/errors';
import { validateAccountId, validateNoDuplicates, validateRoleArn } from '../core/validation';

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
  /** The EventBridge rule. */
  public readonly rule: events.Rule;

  /** The event pattern of the rule. */
  public readonly eventPattern: events.EventPattern;

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
    super(scope, id);

    const detail: Record<string, unknown> = {
      eventName: EVENT_NAMES,
      $or: [
        { requestParameters: { roleArn: roleArns } },
        { resources: { ARN: roleArns } },
      ],
    };
    if (props.failedOnly) detail.errorCode = events.Match.exists();
    if (known !== undefined) detail.userIdentity = { accountId: events.Match.anythingBut(...known) };
    this.eventPattern = {
      source: ['aws.sts', 'aws.rolesanywhere'],
      detailType: ['AWS API Call via CloudTrail'],
      detail,
    };
    this.rule = new events.Rule(this, 'Rule', {
      description: props.description ?? `Reports ${props.failedOnly ? 'failed attempts to assume' : 'use of'} ${roleArns.length} role(s): STS AssumeRole*, Roles Anywhere CreateSession`,
      eventPattern: this.eventPattern,
    });
    (this.rule.node.defaultChild as events.CfnRule).state = ALL_MANAGEMENT_EVENTS;
    if (props.topic) this.rule.addTarget(new targets.SnsTopic(props.topic));
    for (const t of props.targets ?? []) this.rule.addTarget(t);
  }

  /** Sends the matching events to one more target. */
  public addTarget(target: events.IRuleTarget): void {
    this.rule.addTarget(target);
  }
}
