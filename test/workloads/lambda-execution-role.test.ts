import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LambdaExecutionRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, serviceCaller, simulate } from '../support/simulate';
import { logicalIdOf, templateOf } from '../support/template';

function newStack(): Stack {
  return new Stack(new App(), 'Images', { env: TEST_ENV });
}

function withFunction(stack: Stack): LambdaExecutionRole {
  const role = new LambdaExecutionRole(stack, 'ResizeRole');
  new lambda.Function(stack, 'Resize', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    role,
  });
  return role;
}

describe('LambdaExecutionRole', () => {
  test('is trusted by lambda.amazonaws.com alone, without conditions', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new LambdaExecutionRole(stack, 'ResizeRole');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: Match.absent() }],
      },
      ManagedPolicyArns: Match.absent(),
    });
  });

  test('is the role of an aws-cdk-lib Function', () => {
    const stack = newStack();
    const role = withFunction(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Role: { 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] },
    });
  });

  test('snapshot', () => {
    const stack = newStack();
    withFunction(stack);
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('no AccessPatterns finding', () => {
    const stack = newStack();
    withFunction(stack);
    // AwsSolutions-L1 asks for the latest runtime, which is about the function.
    expect(nagFindings(stack).filter(f => f.rule !== 'AwsSolutions-L1')).toEqual([]);
  });

  test('AdministratorAccess on it is a WorkloadRoleAdministrator finding', () => {
    const stack = newStack();
    const role = withFunction(stack);
    role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
    expect(nagFindings(stack).map(f => f.rule)).toContain('AccessPatterns-WorkloadRoleAdministrator[ManagedPolicy::AdministratorAccess]');
  });

  describe('simulation', () => {
    test('Lambda may assume the role; another service or a principal may not', async () => {
      const stack = newStack();
      const role = new LambdaExecutionRole(stack, 'ResizeRole');
      expect(await simulate(stack, role, serviceCaller('lambda.amazonaws.com'))).toBe('Allowed');
      expect(await simulate(stack, role, serviceCaller('ecs-tasks.amazonaws.com'))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${TEST_ACCOUNT}:role/developer`))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/developer`))).toBe('Denied');
    });
  });

  describe('bad input', () => {
    test('the shared role props are validated', () => {
      expect(() => new LambdaExecutionRole(newStack(), 'ResizeRole', { roleName: 'resize role' }))
        .toThrow(/Invalid LambdaExecutionRole 'Images\/ResizeRole' prop 'roleName': 'resize role' contains characters outside/);
    });

    test('tokens are accepted as inputs', () => {
      const stack = newStack();
      new LambdaExecutionRole(stack, 'ResizeRole', { roleName: new CfnParameter(stack, 'RoleName').valueAsString });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { RoleName: { Ref: 'RoleName' } });
    });
  });
});
