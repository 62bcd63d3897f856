import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { KARPENTER_UPSTREAM } from './addon-policies/karpenter';
import { siteOf } from '../core/errors';
import { acknowledgeWhenRendered, iam4PolicyFindingId } from '../core/nag-ids';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { validateLength, validatePattern } from '../core/validation';

/** Properties for a {@link KarpenterNodeRole}. */
export interface KarpenterNodeRoleProps extends PatternRoleProps {
  /**
   * Attach `AmazonEKS_CNI_Policy` to the nodes. Leave it on the node role only when the VPC
   * CNI (`aws-node`) has no role of its own; better give it one with
   * `AddonPolicy.vpcCni()` on a `PodIdentityRole` or `IrsaRole` and set this to false, so that
   * every pod on the node does not inherit the CNI's permissions.
   *
   * @default true (as Karpenter's getting-started template)
   * @see https://docs.aws.amazon.com/eks/latest/userguide/cni-iam-role.html
   */
  readonly cniPolicy?: boolean;

  /**
   * Attach `AmazonSSMManagedInstanceCore`, so that nodes can be reached with Session Manager.
   *
   * @default true (as Karpenter's getting-started template)
   */
  readonly ssmManagedInstanceCore?: boolean;
}

/**
 * The role of the nodes Karpenter launches (the `role` of an EC2NodeClass): assumed by
 * `ec2.amazonaws.com`, with the AWS managed policies of Karpenter's getting-started template
 * (v1.14.1): `AmazonEKSWorkerNodePolicy`, `AmazonEC2ContainerRegistryPullOnly`, and unless
 * turned off `AmazonEKS_CNI_Policy` and `AmazonSSMManagedInstanceCore`. Give it to
 * `AddonPolicy.karpenter({ nodeRole })`, the only role the controller may pass to EC2. The
 * nodes join the cluster through an access entry of type `EC2_LINUX` for this role.
 *
 * @example
 * const nodeRole = new KarpenterNodeRole(this, 'KarpenterNodes', { cniPolicy: false });
 * AddonPolicy.karpenter({ clusterName: 'prod', nodeRole, interruptionQueue: queue.queue }).attachTo(controllerRole);
 *
 * @see https://github.com/aws/karpenter-provider-aws/blob/v1.14.1/website/content/en/v1.14/getting-started/getting-started-with-karpenter/cloudformation.yaml
 */
export class KarpenterNodeRole extends PatternRole {
  constructor(scope: Construct, id: string, props: KarpenterNodeRoleProps = {}) {
    patternRoleSite('KarpenterNodeRole', scope, id, props);
    super(scope, id, 'KarpenterNodeRole', props);
    this.trust.addStatement({ principals: [new iam.ServicePrincipal('ec2.amazonaws.com')], actions: ['sts:AssumeRole'] });
    const names = ['AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly',
      ...props.cniPolicy === false ? [] : ['AmazonEKS_CNI_Policy'],
      ...props.ssmManagedInstanceCore === false ? [] : ['AmazonSSMManagedInstanceCore']];
    const policies = names.map(n => iam.ManagedPolicy.fromAwsManagedPolicyName(n));
    policies.forEach(p => this.addManagedPolicy(p));
    acknowledgeWhenRendered(this, stack => policies.map(p => ({
      id: iam4PolicyFindingId(stack.resolve(p.managedPolicyArn)),
      reason: `An EKS node role needs the AWS managed node policies (Karpenter ${KARPENTER_UPSTREAM.split(' ')[1]} getting-started template); AWS keeps them current with EKS.`,
    })));
  }
}

/** Properties for a {@link KarpenterInterruptionQueue}. */
export interface KarpenterInterruptionQueueProps {
  /**
   * The queue name, given to Karpenter as `settings.interruptionQueue`: 1-80 letters, digits,
   * `-` or `_` (a standard queue).
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
   * @default - a name CloudFormation generates (read it from `queue.queueName`)
   */
  readonly queueName?: string;
}

/**
 * Karpenter's interruption queue: an SQS queue (SQS-managed encryption, 5-minute retention,
 * TLS only) that EventBridge fills with the events Karpenter drains nodes for: AWS Health
 * events, Spot interruption warnings, rebalance recommendations, instance state changes and
 * capacity reservation interruption warnings (Karpenter v1.14.1's getting-started template).
 * Each rule may send to the queue only as itself (`aws:SourceArn`), where the template trusts
 * the EventBridge and SQS services without a condition.
 *
 * @example
 * const interruption = new KarpenterInterruptionQueue(this, 'Interruption', { queueName: 'prod' });
 * AddonPolicy.karpenter({ clusterName: 'prod', nodeRole, interruptionQueue: interruption.queue }).attachTo(controllerRole);
 *
 * @see https://karpenter.sh/docs/concepts/disruption/#interruption
 */
export class KarpenterInterruptionQueue extends Construct {
  /** The queue. */
  public readonly queue: sqs.Queue;

  /** The EventBridge rules that fill it, in the template's order. */
  public readonly rules: events.Rule[];

  constructor(scope: Construct, id: string, props: KarpenterInterruptionQueueProps = {}) {
    const site = siteOf('KarpenterInterruptionQueue', scope, id);
    if (props.queueName !== undefined) {
      // A standard queue's name: 1-80 letters, digits, '-' or '_' (Karpenter reads no FIFO queue).
      validateLength(site, 'queueName', props.queueName, 1, 80);
      validatePattern(site, 'queueName', props.queueName, /^[A-Za-z0-9_-]+$/, 'letters, digits, \'-\' and \'_\'');
    }
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.queueName,
      retentionPeriod: Duration.minutes(5),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const patterns: Array<[string, events.EventPattern]> = [
      ['ScheduledChange', { source: ['aws.health'], detailType: ['AWS Health Event'] }],
      ['SpotInterruption', { source: ['aws.ec2'], detailType: ['EC2 Spot Instance Interruption Warning'] }],
      ['Rebalance', { source: ['aws.ec2'], detailType: ['EC2 Instance Rebalance Recommendation'] }],
      ['InstanceStateChange', { source: ['aws.ec2'], detailType: ['EC2 Instance State-change Notification'] }],
      ['CapacityReservationInterruption', { source: ['aws.ec2'], detailType: ['EC2 Capacity Reservation Instance Interruption Warning'] }],
    ];
    this.rules = patterns.map(([name, eventPattern]) => new events.Rule(this, `${name}Rule`, {
      eventPattern,
      targets: [new targets.SqsQueue(this.queue)],
    }));
    acknowledgeWhenRendered(this.queue, () => [{
      id: 'AwsSolutions-SQS3',
      reason: 'Interruption events are only useful for minutes (5-minute retention, as Karpenter\'s template); a dead-letter queue would keep stale events.',
    }]);
  }
}
