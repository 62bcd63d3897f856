import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountRole } from '../../src';
import { CALLER_ACCOUNT, TEST_ENV } from '../support/env';

/**
 * CloudFormation's 500 resources per stack (issue 20): every stack holding a construct of
 * this library is counted once at synthesis, with all its resources (the library's and
 * any others).
 */

const CALLER = `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy`;

/** A stack of `roles` pattern roles and `others` plain aws-cdk-lib resources (one resource each). */
function stackWith(roles: number, others: number = 0): { app: App; stack: Stack } {
  const app = new App({ analyticsReporting: false });
  const stack = new Stack(app, 'Platform', { env: TEST_ENV });
  for (let i = 0; i < roles; i++) new CrossAccountRole(stack, `Deploy${i}`, { trustedRoleArns: [CALLER] });
  for (let i = 0; i < others; i++) new iam.CfnGroup(stack, `Group${i}`, {});
  return { app, stack };
}

describe('the resources of a stack', () => {
  test('at the limit: 500 resources (400 pattern roles and 100 others) synthesize', () => {
    const { app } = stackWith(400, 100);
    const template = app.synth().getStackByName('Platform').template;
    expect(Object.keys(template.Resources)).toHaveLength(500);
  });

  test('one past it: 501 resources fail synthesis once, naming the stack, the count, the limit and the way out', () => {
    const { app, stack } = stackWith(400, 101);
    // THEN one error (the stack is counted once however many constructs it holds)
    const errors = stack.node.validate();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^Invalid Stack 'Platform' prop 'resources': the template would hold 501 resources \(most: 400 AWS::IAM::Role, 101 AWS::IAM::Group\), above CloudFormation's limit of 500 resources per stack \("Understand CloudFormation quotas"\), so the deployment would fail; move some of its constructs to another stack \(a second Stack in the app, or a NestedStack\)/);
    expect(() => app.synth()).toThrow(/Invalid Stack 'Platform' prop 'resources': the template would hold 501 resources/);
  });

  test('a stack without any construct of this library is not checked', () => {
    const app = new App({ analyticsReporting: false });
    const stack = new Stack(app, 'Plain', { env: TEST_ENV });
    for (let i = 0; i < 501; i++) new iam.CfnGroup(stack, `Group${i}`, {});
    expect(stack.node.validate()).toEqual([]);
  });

  test('roles spread over two stacks are counted per stack', () => {
    const app = new App({ analyticsReporting: false });
    for (const name of ['A', 'B']) {
      const stack = new Stack(app, name, { env: TEST_ENV });
      for (let i = 0; i < 300; i++) new CrossAccountRole(stack, `Deploy${i}`, { trustedRoleArns: [CALLER] });
    }
    expect(() => app.synth()).not.toThrow();
  });
});
