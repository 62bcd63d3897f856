import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as config from 'aws-cdk-lib/aws-config';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { LegacyAccessKey } from './legacy-access-key';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { quote, validateDuration, validateNoDuplicates } from '../core/validation';

/**
 * The IAM calls that create or revive a long-lived credential. IAM is a global service:
 * CloudTrail records these calls in US East (N. Virginia), so EventBridge delivers them to
 * rules in us-east-1.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
 */
const WATCHED_EVENTS = ['CreateAccessKey', 'UpdateAccessKey', 'CreateUser', 'CreateLoginProfile'];

/** Who the unused access analyzer looks at. */
export enum AnalyzerScope {
  /** The IAM users and roles of this account (`ACCOUNT_UNUSED_ACCESS`). */
  ACCOUNT = 'ACCOUNT',
  /**
   * Every account of the organization (`ORGANIZATION_UNUSED_ACCESS`); deploy it in the
   * management account or a delegated administrator account of IAM Access Analyzer.
   */
  ORGANIZATION = 'ORGANIZATION',
}

/**
 * Where the AWS Config rules get their configuration recorder: the rules only evaluate
 * while a recorder is on in the region.
 */
export class ConfigRecorderSetup {
  /**
   * The account already records (AWS Control Tower, an organization-wide conformance setup
   * or the console's one-click setup do): create only the rules.
   */
  public static useExisting(): ConfigRecorderSetup {
    return new ConfigRecorderSetup();
  }

  /**
   * Create a recorder of the IAM resource types and its delivery channel to `deliveryBucket`.
   * The recorder uses AWS Config's service-linked role (`AWSServiceRoleForConfig`), which
   * must exist in the account; the bucket's policy is extended to let AWS Config write when
   * the bucket is defined in this app (an imported bucket must allow it already). One
   * recorder per region and account.
   *
   * @param deliveryBucket where AWS Config delivers configuration snapshots and history
   * @see https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
   */
  public static create(deliveryBucket: s3.IBucket): ConfigRecorderSetup {
    return new ConfigRecorderSetup(deliveryBucket);
  }

  /** The delivery bucket of a recorder to create; undefined to use an existing one. */
  public readonly deliveryBucket?: s3.IBucket;

  protected constructor(deliveryBucket?: s3.IBucket) {
    this.deliveryBucket = deliveryBucket;
  }
}

/** Properties for {@link AccessKeyGuardrails}. */
export interface AccessKeyGuardrailsProps {
  /**
   * The oldest an active access key may be before AWS Config's `access-keys-rotated` rule
   * reports its user (`maxAccessKeyAge`). Whole days, 1 to 365.
   *
   * @default Duration.days(90)
   * @see https://docs.aws.amazon.com/config/latest/developerguide/access-keys-rotated.html
   */
  readonly maxAccessKeyAge?: Duration;

  /**
   * How long a password or active key may go unused before AWS Config's
   * `iam-user-unused-credentials-check` reports its user (`maxCredentialUsageAge`). Whole
   * days, 1 to 365.
   *
   * @default Duration.days(90)
   * @see https://docs.aws.amazon.com/config/latest/developerguide/iam-user-unused-credentials-check.html
   */
  readonly maxCredentialUsageAge?: Duration;

  /**
   * The configuration recorder the rules need.
   *
   * @default ConfigRecorderSetup.useExisting()
   */
  readonly configRecorder?: ConfigRecorderSetup;

  /**
   * Create an IAM Access Analyzer unused access analyzer, which reports unused roles,
   * users' unused access keys and passwords, and unused permissions. It is a paid feature,
   * charged per IAM role and user analyzed per month.
   *
   * @default true
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-create-unused.html
   */
  readonly unusedAccessAnalyzer?: boolean;

  /**
   * The scope of the unused access analyzer.
   *
   * @default AnalyzerScope.ACCOUNT
   */
  readonly analyzerScope?: AnalyzerScope;

  /**
   * The tracking period of the unused access analyzer: access unused for this long is a
   * finding (`UnusedAccessAge`). Whole days, 1 to 365.
   *
   * @default Duration.days(90)
   * @see https://docs.aws.amazon.com/access-analyzer/latest/APIReference/API_UnusedAccessConfiguration.html
   */
  readonly unusedAccessAge?: Duration;

  /**
   * A topic to notify of each `CreateAccessKey`, `UpdateAccessKey`, `CreateUser` and
   * `CreateLoginProfile` call (EventBridge publishes the CloudTrail event).
   *
   * @default - no topic; give `targets`
   */
  readonly topic?: sns.ITopic;

  /**
   * Any other targets of the rule on those calls (a security account's event bus, a queue,
   * a function ...). At least one of `topic` and `targets`.
   *
   * @default - none
   */
  readonly targets?: events.IRuleTarget[];

  /**
   * The principals that may still create access keys once the service control policy is
   * applied: ARN patterns of break-glass roles, e.g.
   * `arn:aws:iam::*:role/break-glass/*`. Setting it emits `serviceControlPolicy`.
   *
   * @default - no service control policy
   */
  readonly breakGlassPrincipalArns?: string[];

  /**
   * Exempt the rotation functions of `LegacyAccessKey` (roles under
   * `LegacyAccessKey.ROTATION_ROLE_PATH`) from the service control policy, so that those
   * keys keep rotating.
   *
   * @default true
   */
  readonly allowLegacyKeyRotation?: boolean;
}

/**
 * The account-level guardrails for IAM user access keys: AWS Config managed rules for
 * key age (`ACCESS_KEYS_ROTATED`), unused credentials (`IAM_USER_UNUSED_CREDENTIALS_CHECK`)
 * and root keys (`IAM_ROOT_ACCESS_KEY_CHECK`); an IAM Access Analyzer unused access
 * analyzer; an EventBridge rule on the IAM calls that create keys, users and console
 * passwords; and, on request, a service control policy document that denies
 * `iam:CreateAccessKey` to everyone but named break-glass principals.
 *
 * Prerequisites: an AWS Config configuration recorder in the region (or
 * `ConfigRecorderSetup.create`), and a CloudTrail trail that records management events
 * (write events suffice) for the EventBridge rule, which receives IAM's events only in
 * us-east-1. Deploy it once per account (in us-east-1, or in one region for the rules and
 * us-east-1 for the events); for an organization, deploy it to every account with
 * CloudFormation StackSets or your account factory, and the analyzer once with
 * `AnalyzerScope.ORGANIZATION`.
 *
 * @example
 * const guardrails = new AccessKeyGuardrails(this, 'KeyGuardrails', {
 *   topic: securityAlerts,
 *   breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass/*'],
 * });
 * // guardrails.serviceControlPolicy!.toJSON() is the SCP to attach in AWS Organizations
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#rotate-credentials
 */
export class AccessKeyGuardrails extends Construct {
  /** The AWS Config rules: key age, unused credentials, root access key. */
  public readonly configRules: config.ManagedRule[];
  /** The unused access analyzer, unless `unusedAccessAnalyzer` is false. */
  public readonly analyzer?: accessanalyzer.CfnAnalyzer;
  /** The configuration recorder, when `ConfigRecorderSetup.create` was chosen. */
  public readonly recorder?: config.CfnConfigurationRecorder;
  /** The EventBridge rule on the IAM calls that create long-lived credentials. */
  public readonly rule: events.Rule;
  /** The event pattern of the rule. */
  public readonly eventPattern: events.EventPattern;
  /**
   * The service control policy to attach in AWS Organizations (not deployed by this
   * construct), when `breakGlassPrincipalArns` is set.
   */
  public readonly serviceControlPolicy?: iam.PolicyDocument;

  constructor(scope: Construct, id: string, props: AccessKeyGuardrailsProps) {
    const site = siteOf('AccessKeyGuardrails', scope, id);
    const maxKeyAge = wholeDays(site, 'maxAccessKeyAge', props.maxAccessKeyAge ?? Duration.days(90), 365);
    const maxUnused = wholeDays(site, 'maxCredentialUsageAge', props.maxCredentialUsageAge ?? Duration.days(90), 365);
    const unusedAccessAge = wholeDays(site, 'unusedAccessAge', props.unusedAccessAge ?? Duration.days(90), 365);
    if (props.topic === undefined && (props.targets ?? []).length === 0) {
      fail(site, 'targets', 'the rule has no target (neither topic nor targets is set)', 'give the topic to notify, or the targets of the events');
    }
    const breakGlass = props.breakGlassPrincipalArns;
    if (breakGlass !== undefined) validateBreakGlass(site, breakGlass);
    super(scope, id);

    const setup = props.configRecorder ?? ConfigRecorderSetup.useExisting();
    let channel: config.CfnDeliveryChannel | undefined;
    if (setup.deliveryBucket) {
      ({ recorder: this.recorder, channel } = this.createRecorder(setup.deliveryBucket));
    }
    this.configRules = [
      new config.ManagedRule(this, 'AccessKeysRotated', {
        identifier: config.ManagedRuleIdentifiers.ACCESS_KEYS_ROTATED,
        inputParameters: { maxAccessKeyAge: maxKeyAge },
        description: `Active IAM access keys are rotated within ${maxKeyAge} days`,
        maximumExecutionFrequency: config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
      }),
      new config.ManagedRule(this, 'UnusedCredentials', {
        identifier: config.ManagedRuleIdentifiers.IAM_USER_UNUSED_CREDENTIALS_CHECK,
        inputParameters: { maxCredentialUsageAge: maxUnused },
        description: `IAM user passwords and active access keys are used within ${maxUnused} days`,
        maximumExecutionFrequency: config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
      }),
      new config.ManagedRule(this, 'RootAccessKey', {
        identifier: config.ManagedRuleIdentifiers.IAM_ROOT_ACCESS_KEY_CHECK,
        description: 'The root user has no access key',
        maximumExecutionFrequency: config.MaximumExecutionFrequency.TWENTY_FOUR_HOURS,
      }),
    ];
    if (this.recorder) {
      for (const r of this.configRules) {
        r.node.addDependency(this.recorder);
        if (channel) r.node.addDependency(channel);
      }
    }

    if (props.unusedAccessAnalyzer ?? true) {
      const organization = props.analyzerScope === AnalyzerScope.ORGANIZATION;
      this.analyzer = new accessanalyzer.CfnAnalyzer(this, 'UnusedAccessAnalyzer', {
        type: organization ? 'ORGANIZATION_UNUSED_ACCESS' : 'ACCOUNT_UNUSED_ACCESS',
        analyzerConfiguration: { unusedAccessConfiguration: { unusedAccessAge } },
      });
    }

    this.eventPattern = {
      source: ['aws.iam'],
      detailType: ['AWS API Call via CloudTrail'],
      detail: { eventSource: ['iam.amazonaws.com'], eventName: WATCHED_EVENTS },
    };
    this.rule = new events.Rule(this, 'Rule', {
      description: 'Reports IAM CreateAccessKey, UpdateAccessKey, CreateUser and CreateLoginProfile calls',
      eventPattern: this.eventPattern,
    });
    if (props.topic) this.rule.addTarget(new targets.SnsTopic(props.topic));
    for (const t of props.targets ?? []) this.rule.addTarget(t);

    if (breakGlass !== undefined) {
      const exempt = [...breakGlass];
      if (props.allowLegacyKeyRotation ?? true) exempt.push(`arn:*:iam::*:role${LegacyAccessKey.ROTATION_ROLE_PATH}*`);
      this.serviceControlPolicy = new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({
          sid: 'DenyAccessKeysOutsideBreakGlass',
          effect: iam.Effect.DENY,
          actions: ['iam:CreateAccessKey'],
          resources: ['*'],
          conditions: { ArnNotLike: { 'aws:PrincipalArn': exempt } },
        })],
      });
    }
  }

  /** Sends the matching events to one more target. */
  public addTarget(target: events.IRuleTarget): void {
    this.rule.addTarget(target);
  }

  private createRecorder(bucket: s3.IBucket): { recorder: config.CfnConfigurationRecorder; channel: config.CfnDeliveryChannel } {
    const stack = Stack.of(this);
    const recorder = new config.CfnConfigurationRecorder(this, 'Recorder', {
      roleArn: stack.formatArn({
        service: 'iam', region: '', resource: 'role', resourceName: 'aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig',
      }),
      recordingGroup: {
        allSupported: false,
        includeGlobalResourceTypes: false,
        resourceTypes: ['AWS::IAM::User', 'AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::Policy'],
        recordingStrategy: { useOnly: 'INCLUSION_BY_RESOURCE_TYPES' },
      },
    });
    const service = new iam.ServicePrincipal('config.amazonaws.com');
    const sourceAccount = { StringEquals: { 'AWS:SourceAccount': stack.account } };
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSConfigBucketPermissionsCheck',
      principals: [service],
      actions: ['s3:GetBucketAcl', 's3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: sourceAccount,
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AWSConfigBucketDelivery',
      principals: [service],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/Config/*`)],
      conditions: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'AWS:SourceAccount': stack.account } },
    }));
    const channel = new config.CfnDeliveryChannel(this, 'DeliveryChannel', { s3BucketName: bucket.bucketName });
    channel.addResourceDependency(recorder);
    return { recorder, channel };
  }
}

/** A duration of whole days within 1..max; returns the days (a token when the duration is one). */
function wholeDays(site: ErrorSite, prop: string, value: Duration, max: number): number {
  validateDuration(site, prop, value, Duration.days(1), Duration.days(max));
  const seconds = value.toSeconds();
  if (!Token.isUnresolved(seconds) && seconds % 86_400 !== 0) {
    fail(site, prop, `${value.toHumanString()} is not a whole number of days`, 'use Duration.days(n)');
  }
  return value.toDays();
}

const BREAK_GLASS_ARN = /^arn:(\*|aws(-[a-z]+)*):iam::(\*|\d{12}):(role|user)\/.+$/;

function validateBreakGlass(site: ErrorSite, arns: readonly string[]): void {
  if (Token.isUnresolved(arns) || arns.some(a => Token.isUnresolved(a))) {
    fail(site, 'breakGlassPrincipalArns', 'the list holds values only known at deploy time, but the service control policy is a document this stack does not deploy',
      'write the ARN patterns out');
  }
  if (arns.length === 0) {
    fail(site, 'breakGlassPrincipalArns', 'the list is empty, so nobody could create an access key',
      'name the break-glass roles (e.g. \'arn:aws:iam::*:role/break-glass/*\'), or leave the prop out for no service control policy');
  }
  for (const arn of arns) {
    if (!BREAK_GLASS_ARN.test(arn)) {
      fail(site, 'breakGlassPrincipalArns', `${quote(arn)} is not an IAM role or user ARN pattern`, 'write e.g. \'arn:aws:iam::*:role/break-glass/*\'');
    }
    if (/:(role|user)\/\*$/.test(arn)) {
      fail(site, 'breakGlassPrincipalArns', `${quote(arn)} exempts every ${arn.includes(':role/') ? 'role' : 'user'}`, 'name the break-glass role or its path, e.g. \'arn:aws:iam::*:role/break-glass/*\'');
    }
  }
  validateNoDuplicates(site, 'breakGlassPrincipalArns', arns);
}
