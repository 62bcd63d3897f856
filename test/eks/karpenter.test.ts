import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AddonPolicy, KarpenterInterruptionQueue, KarpenterNodeRole, PodIdentityRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, serviceCaller, simulate } from '../support/simulate';
import { resolveIntrinsics, templateOf } from '../support/template';

function newStack(): Stack {
  return new Stack(new App(), 'Karpenter', { env: TEST_ENV });
}

/** The whole Karpenter setup: node role, interruption queue, controller role with the catalog policy. */
function karpenterStack(): { stack: Stack; nodeRole: KarpenterNodeRole; interruption: KarpenterInterruptionQueue } {
  const stack = newStack();
  const nodeRole = new KarpenterNodeRole(stack, 'Nodes', { roleName: 'KarpenterNodeRole-prod', cniPolicy: false });
  const interruption = new KarpenterInterruptionQueue(stack, 'Interruption', { queueName: 'prod' });
  const controller = new PodIdentityRole(stack, 'Controller', { serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'karpenter' }] });
  AddonPolicy.karpenter({ clusterName: 'prod', nodeRole, interruptionQueue: interruption.queue }).attachTo(controller);
  return { stack, nodeRole, interruption };
}

/** Evaluates a request against the queue's resource policy (no identity policy: a service principal). */
async function queueDecision(stack: Stack, principal: string, context: Record<string, string>, action = 'sqs:SendMessage'): Promise<string> {
  const template = templateOf(stack);
  const policy = Object.values(template.Resources).find((r: any) => r.Type === 'AWS::SQS::QueuePolicy') as any;
  // Each rule's ARN is rule/<logical id>; the queue's, its name.
  const overrides: Record<string, string> = {};
  for (const [id, r] of Object.entries<any>(template.Resources)) {
    if (r.Type === 'AWS::Events::Rule') overrides[`${id}.Arn`] = `arn:aws:events:us-east-1:${TEST_ACCOUNT}:rule/${id}`;
    if (r.Type === 'AWS::SQS::Queue') overrides[`${id}.Arn`] = `arn:aws:sqs:us-east-1:${TEST_ACCOUNT}:prod`;
  }
  const document = resolveIntrinsics(template, policy.Properties.PolicyDocument, overrides);
  const response = await runSimulation({
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: document,
    request: { action, principal, resource: { accountId: TEST_ACCOUNT, resource: `arn:aws:sqs:us-east-1:${TEST_ACCOUNT}:prod` }, contextVariables: context },
  } as any, {});
  if (response.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

describe('KarpenterNodeRole', () => {
  test('assumed by EC2 with the node policies of the template; the CNI policy can be left to the CNI\'s own role', () => {
    const { stack } = karpenterStack();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'KarpenterNodeRole-prod',
      AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      ManagedPolicyArns: [
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKSWorkerNodePolicy']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEC2ContainerRegistryPullOnly']] },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] },
      ],
    });
    const all = newStack();
    new KarpenterNodeRole(all, 'Nodes');
    Template.fromStack(all).hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonEKS_CNI_Policy']] }]),
    });
    const bare = newStack();
    new KarpenterNodeRole(bare, 'Nodes', { cniPolicy: false, ssmManagedInstanceCore: false });
    const [role] = Object.values(Template.fromStack(bare).findResources('AWS::IAM::Role'));
    expect(role.Properties.ManagedPolicyArns).toHaveLength(2);
  });

  test('only EC2 may assume it', async () => {
    const { stack, nodeRole } = karpenterStack();
    expect(await simulate(stack, nodeRole, serviceCaller('ec2.amazonaws.com'))).toBe('Allowed');
    expect(await simulate(stack, nodeRole, serviceCaller('lambda.amazonaws.com'))).toBe('Denied');
    expect(await simulate(stack, nodeRole, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/admin`))).toBe('Denied');
    expect(await simulate(stack, nodeRole, awsCaller(`arn:aws:iam::${TEST_ACCOUNT}:role/admin`))).toBe('Denied');
  });

  test('validation: the shared role props are checked', () => {
    expect(() => new KarpenterNodeRole(newStack(), 'Nodes', { roleName: 'bad name!' })).toThrow(/Invalid KarpenterNodeRole 'Karpenter\/Nodes' prop 'roleName'/);
  });
});

describe('KarpenterInterruptionQueue', () => {
  test('an encrypted, short-lived queue filled by the five rules of the template', () => {
    const { stack } = karpenterStack();
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'prod', MessageRetentionPeriod: 300, SqsManagedSseEnabled: true });
    t.resourceCountIs('AWS::Events::Rule', 5);
    for (const detailType of ['AWS Health Event', 'EC2 Spot Instance Interruption Warning', 'EC2 Instance Rebalance Recommendation',
      'EC2 Instance State-change Notification', 'EC2 Capacity Reservation Instance Interruption Warning']) {
      t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'detail-type': [detailType] }, Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('InterruptionQueue'), 'Arn'] } })] });
    }
  });

  test('only the rules may send, each as itself, and only over TLS', async () => {
    const { stack, interruption } = karpenterStack();
    const rule = (i: number) => `arn:aws:events:us-east-1:${TEST_ACCOUNT}:rule/${stack.resolve((interruption.rules[i].node.defaultChild as any).logicalId)}`;
    const allowed = { 'aws:SourceArn': rule(1), 'aws:SecureTransport': 'true' };
    expect(await queueDecision(stack, 'events.amazonaws.com', allowed)).toBe('Allowed');
    expect(await queueDecision(stack, 'events.amazonaws.com', { ...allowed, 'aws:SourceArn': `arn:aws:events:us-east-1:${OTHER_ACCOUNT}:rule/attacker` })).toBe('Denied');
    expect(await queueDecision(stack, 'events.amazonaws.com', { 'aws:SecureTransport': 'true' })).toBe('Denied');
    expect(await queueDecision(stack, 'events.amazonaws.com', { ...allowed, 'aws:SecureTransport': 'false' })).toBe('Denied');
    expect(await queueDecision(stack, 'sqs.amazonaws.com', { 'aws:SecureTransport': 'true' })).toBe('Denied');
    expect(await queueDecision(stack, `arn:aws:iam::${OTHER_ACCOUNT}:role/attacker`, { 'aws:SecureTransport': 'true' })).toBe('Denied');
  });

  test.each([
    ['a FIFO name', 'prod.fifo', /Invalid KarpenterInterruptionQueue 'Karpenter\/Interruption' prop 'queueName': 'prod.fifo' contains characters outside letters, digits/],
    ['a long name', 'q'.repeat(81), /prop 'queueName': .* is 81 characters long, outside 1-80/],
    ['an empty name', '', /prop 'queueName': '' is 0 characters long/],
  ])('validation: %s', (_name, queueName, message) => {
    expect(() => new KarpenterInterruptionQueue(newStack(), 'Interruption', { queueName })).toThrow(message);
  });

  test('accepts a token queue name', () => {
    const stack = newStack();
    new KarpenterInterruptionQueue(stack, 'Interruption', { queueName: new CfnParameter(stack, 'QueueName').valueAsString });
    Template.fromStack(stack).hasResourceProperties('AWS::SQS::Queue', { QueueName: { Ref: 'QueueName' } });
  });
});

test('the Karpenter setup matches the snapshot and passes the nag packs', () => {
  const { stack } = karpenterStack();
  expect(templateOf(stack)).toMatchSnapshot();
  expect(nagFindings(stack)).toEqual([]);
});
