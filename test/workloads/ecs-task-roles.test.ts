import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AccessMap, EcsTaskExecutionRole, EcsTaskRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { serviceCaller, simulate } from '../support/simulate';
import { logicalIdOf, templateOf } from '../support/template';

const TASK_ARN = `arn:aws:ecs:us-east-1:${TEST_ACCOUNT}:task/orders/0123456789abcdef0123456789abcdef`;

function newStack(): Stack {
  return new Stack(new App(), 'Orders', { env: TEST_ENV });
}

/** ECS assuming a role for a task: the source account and the task's ARN. */
function ecsFor(account: string, taskArn: string) {
  return serviceCaller('ecs-tasks.amazonaws.com', { 'aws:SourceAccount': account, 'aws:SourceArn': taskArn });
}

function withTaskDefinition(stack: Stack): { taskRole: EcsTaskRole; executionRole: EcsTaskExecutionRole } {
  const taskRole = new EcsTaskRole(stack, 'OrdersTask');
  const executionRole = new EcsTaskExecutionRole(stack, 'OrdersExecution');
  const definition = new ecs.FargateTaskDefinition(stack, 'OrdersDefinition', { taskRole, executionRole });
  definition.addContainer('app', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'orders' }),
  });
  return { taskRole, executionRole };
}

describe('EcsTaskRole', () => {
  test('is trusted by ecs-tasks.amazonaws.com with the confused-deputy conditions of the ECS guide', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new EcsTaskRole(stack, 'OrdersTask');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'ecs-tasks.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecs:us-east-1:${TEST_ACCOUNT}:*`]] } },
          },
        }],
      },
    });
  });

  test('lists one source ARN per task region', () => {
    const stack = newStack();
    new EcsTaskRole(stack, 'OrdersTask', { taskRegions: ['us-east-1', 'eu-west-1'] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Condition: Match.objectLike({
            ArnLike: {
              'aws:SourceArn': [
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecs:us-east-1:${TEST_ACCOUNT}:*`]] },
                { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ecs:eu-west-1:${TEST_ACCOUNT}:*`]] },
              ],
            },
          }),
        })],
      },
    });
  });

  test('plugs into an aws-cdk-lib TaskDefinition as its task role and execution role', () => {
    const stack = newStack();
    withTaskDefinition(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::ECS::TaskDefinition', {
      TaskRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersTask'), 'Arn'] },
      ExecutionRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersExecution'), 'Arn'] },
    });
  });

  test('snapshot', () => {
    const stack = newStack();
    withTaskDefinition(stack);
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('no nag finding', () => {
    const stack = newStack();
    withTaskDefinition(stack);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the access map reads the tasks of the account', () => {
    const stack = newStack();
    new EcsTaskRole(stack, 'OrdersTask');
    const ways = AccessMap.fromStack(stack).roles.flatMap(r => r.waysIn.map(w => w.who));
    expect(ways).toEqual([`AWS service ecs-tasks.amazonaws.com in account ${TEST_ACCOUNT} (this account), tasks of any cluster in us-east-1`]);
  });

  describe('simulation', () => {
    test('ECS assumes the role for a task of this account', async () => {
      const stack = newStack();
      const role = new EcsTaskRole(stack, 'OrdersTask');
      expect(await simulate(stack, role, ecsFor(TEST_ACCOUNT, TASK_ARN))).toBe('Allowed');
    });

    test('ECS acting for a task of another account is denied (confused deputy)', async () => {
      const stack = newStack();
      const role = new EcsTaskRole(stack, 'OrdersTask');
      const foreignTask = `arn:aws:ecs:us-east-1:${OTHER_ACCOUNT}:task/orders/0123`;
      expect(await simulate(stack, role, ecsFor(OTHER_ACCOUNT, foreignTask))).toBe('Denied');
      // The account alone or the ARN alone do not do.
      expect(await simulate(stack, role, ecsFor(TEST_ACCOUNT, foreignTask))).toBe('Denied');
      expect(await simulate(stack, role, ecsFor(OTHER_ACCOUNT, TASK_ARN))).toBe('Denied');
    });

    test('a task of another region or another service\'s source ARN is denied', async () => {
      const stack = newStack();
      const role = new EcsTaskRole(stack, 'OrdersTask');
      expect(await simulate(stack, role, ecsFor(TEST_ACCOUNT, `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/orders/0123`))).toBe('Denied');
      expect(await simulate(stack, role, ecsFor(TEST_ACCOUNT, `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:function:x`))).toBe('Denied');
      expect(await simulate(stack, role, serviceCaller('ecs-tasks.amazonaws.com'))).toBe('Denied');
    });

    test('another service with the right source is denied', async () => {
      const stack = newStack();
      const role = new EcsTaskRole(stack, 'OrdersTask');
      expect(await simulate(stack, role, serviceCaller('lambda.amazonaws.com', { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:SourceArn': TASK_ARN }))).toBe('Denied');
    });
  });

  describe('bad input', () => {
    test.each([
      [[], /prop 'taskRegions': the list is empty/],
      [['eu-*'], /prop 'taskRegions': 'eu-\*' is not a region code; give region codes such as 'eu-west-1'/],
      [['us-east-1', 'us-east-1'], /prop 'taskRegions': 'us-east-1' is listed more than once/],
    ])('taskRegions %p is refused', (taskRegions, message) => {
      expect(() => new EcsTaskRole(newStack(), 'OrdersTask', { taskRegions })).toThrow(message);
    });

    test('a session above one hour needs allowLongSessions', () => {
      expect(() => new EcsTaskRole(newStack(), 'OrdersTask', { maxSessionDuration: Duration.hours(2) }))
        .toThrow(/Invalid EcsTaskRole 'Orders\/OrdersTask' prop 'maxSessionDuration': 2 hours is longer than one hour/);
    });

    test('tokens are accepted as inputs (an environment-agnostic stack, a region parameter)', () => {
      const stack = new Stack(new App(), 'Agnostic');
      const region = new CfnParameter(stack, 'TaskRegion').valueAsString;
      new EcsTaskRole(stack, 'OrdersTask', { taskRegions: [region] });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ecs:', { Ref: 'TaskRegion' }, ':', { Ref: 'AWS::AccountId' }, ':*']] } },
            },
          })],
        },
      });
    });
  });
});

describe('EcsTaskExecutionRole', () => {
  test('is trusted by ecs-tasks.amazonaws.com without conditions (the ECS guide documents none for it)', () => {
    const stack = newStack();
    new EcsTaskExecutionRole(stack, 'OrdersExecution');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: Match.absent() }],
      },
    });
  });

  test('the task definition grants it the log streams of its containers', () => {
    const stack = newStack();
    const { executionRole } = withTaskDefinition(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'] })] },
      Roles: [{ Ref: logicalIdOf(executionRole) }],
    });
  });

  test('ECS may assume it; another service may not', async () => {
    const stack = newStack();
    const role = new EcsTaskExecutionRole(stack, 'OrdersExecution');
    expect(await simulate(stack, role, ecsFor(TEST_ACCOUNT, TASK_ARN))).toBe('Allowed');
    expect(await simulate(stack, role, serviceCaller('ec2.amazonaws.com'))).toBe('Denied');
  });
});

describe('the access map of ECS task roles written by hand', () => {
  test('a source ARN alone, a cluster pattern, and no condition', () => {
    // GIVEN
    const stack = newStack();
    const ecsTasks = new iam.ServicePrincipal('ecs-tasks.amazonaws.com');
    new iam.Role(stack, 'ByArn', { assumedBy: new iam.PrincipalWithConditions(ecsTasks, { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:*` } }) });
    new iam.Role(stack, 'ByCluster', {
      assumedBy: new iam.PrincipalWithConditions(ecsTasks, {
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, ArnLike: { 'aws:SourceArn': `arn:aws:ecs:eu-west-1:${TEST_ACCOUNT}:task/orders/*` },
      }),
    });
    new iam.Role(stack, 'Plain', { assumedBy: ecsTasks });
    // WHEN
    const ways = AccessMap.fromStack(stack).roles.flatMap(r => r.waysIn.map(w => w.who));
    // THEN
    expect(ways).toEqual([
      'AWS service ecs-tasks.amazonaws.com, tasks of any cluster in eu-west-1',
      `AWS service ecs-tasks.amazonaws.com in account ${TEST_ACCOUNT} (this account), tasks of cluster orders (eu-west-1)`,
      'AWS service ecs-tasks.amazonaws.com',
    ]);
  });
});
