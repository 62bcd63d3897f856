import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AssumeRoleMonitor, CrossAccountRole, GitHubActionsRole, GitHubOidcProvider, GitHubSubject } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

/** EventBridge's event pattern size (issue 20): the monitor splits its roles into as many rules as needed. */

type Json = Record<string, any>;

function newStack(): Stack {
  return new Stack(new App(), 'Security', { env: TEST_ENV });
}

/** The rules of a template, by logical id. */
function rulesOf(stack: Stack): Record<string, Json> {
  return Object.fromEntries(Object.entries<Json>(templateOf(stack).Resources).filter(([, r]) => r.Type === 'AWS::Events::Rule'));
}

/** The longest ARN a role with a generated name (path `/`) can have in the `aws` partition. */
const LONGEST_GENERATED = `arn:aws:iam::${TEST_ACCOUNT}:role/${'x'.repeat(64)}`;

/** The pattern's JSON with every `Fn::GetAtt` of a role ARN replaced by `arn`. */
function patternAtLongest(rule: Json, arn: string): string {
  return JSON.stringify(rule.Properties.EventPattern, (_key, value) =>
    (value && typeof value === 'object' && Array.isArray(value['Fn::GetAtt']) ? arn : value));
}

function concreteArns(n: number, nameLength: number = 20): string[] {
  return Array.from({ length: n }, (_, i) => `arn:aws:iam::${TEST_ACCOUNT}:role/${String(i).padStart(nameLength, 'r')}`);
}

describe('AssumeRoleMonitor: event pattern size', () => {
  test('at the limit the roles stay in one rule; one character past it they are split', () => {
    // GIVEN the size of the one-rule pattern of 8 concrete ARNs
    const probe = newStack();
    new AssumeRoleMonitor(probe, 'Use', { roleArns: concreteArns(8), topic: new sns.Topic(probe, 'Alerts') });
    const [rule] = Object.values(rulesOf(probe));
    const size = JSON.stringify(rule.Properties.EventPattern).length;

    // WHEN the quota is exactly that size
    const atLimit = newStack();
    const one = new AssumeRoleMonitor(atLimit, 'Use', { roleArns: concreteArns(8), topic: new sns.Topic(atLimit, 'Alerts'), maxEventPatternSize: size });
    // THEN one rule
    expect(one.rules).toHaveLength(1);
    expect(Object.keys(rulesOf(atLimit))).toHaveLength(1);

    // WHEN one character less
    const past = newStack();
    const two = new AssumeRoleMonitor(past, 'Use', { roleArns: concreteArns(8), topic: new sns.Topic(past, 'Alerts'), maxEventPatternSize: size - 1 });
    // THEN two rules, each within the quota, the roles split between them in order
    expect(two.rules).toHaveLength(2);
    const rules = Object.values(rulesOf(past));
    for (const r of rules) expect(JSON.stringify(r.Properties.EventPattern).length).toBeLessThanOrEqual(size - 1);
    const watched = rules.flatMap(r => r.Properties.EventPattern.detail.$or[0].requestParameters.roleArn);
    expect(watched).toEqual(concreteArns(8));
  });

  test('with the default 2,048 characters, 12 roles with generated names are split, each rule within the quota at their longest names', () => {
    // GIVEN
    const stack = newStack();
    const roles = Array.from({ length: 12 }, (_, i) => new iam.Role(stack, `Role${i}`, { assumedBy: new iam.AccountRootPrincipal() }));
    // WHEN
    const monitor = new AssumeRoleMonitor(stack, 'Use', { roles, topic: new sns.Topic(stack, 'Alerts'), failedOnly: true });
    // THEN
    expect(monitor.rules.length).toBeGreaterThan(1);
    const rules = rulesOf(stack);
    expect(Object.keys(rules)).toHaveLength(monitor.rules.length);
    for (const rule of Object.values(rules)) {
      expect(patternAtLongest(rule, LONGEST_GENERATED).length).toBeLessThanOrEqual(2048);
      expect(rule.Properties.State).toBe('ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS');
      expect(rule.Properties.Targets).toHaveLength(1);
      expect(rule.Properties.EventPattern.detail.errorCode).toEqual([{ exists: true }]);
    }
    // every role is watched once, in one rule
    const watched = Object.values(rules).flatMap(r => r.Properties.EventPattern.detail.$or[1].resources.ARN);
    expect(watched).toHaveLength(12);
  });

  test('the first rule keeps its logical id when the roles grow past one rule', () => {
    // GIVEN a monitor of one role, and the same monitor grown to 30 roles
    const small = newStack();
    new AssumeRoleMonitor(small, 'Use', { roleArns: concreteArns(1), topic: new sns.Topic(small, 'Alerts') });
    const grown = newStack();
    const monitor = new AssumeRoleMonitor(grown, 'Use', { roleArns: concreteArns(30, 60), topic: new sns.Topic(grown, 'Alerts') });
    // THEN
    expect(monitor.rules.length).toBeGreaterThan(1);
    const [first] = Object.keys(rulesOf(small));
    expect(Object.keys(rulesOf(grown))).toContain(first);
    expect(grown.resolve((monitor.rule.node.defaultChild as any).logicalId)).toBe(first);
  });

  test('ARNs only known at deploy time from outside the stack count at the longest role ARN', () => {
    // GIVEN three role ARNs given as parameters (imported)
    const stack = newStack();
    const arns = [0, 1, 2].map(i => new CfnParameter(stack, `RoleArn${i}`).valueAsString);
    // WHEN
    const monitor = new AssumeRoleMonitor(stack, 'Use', { roleArns: arns, topic: new sns.Topic(stack, 'Alerts') });
    // THEN two such ARNs (606 characters each, path and name at IAM's longest) do not fit one pattern
    expect(monitor.rules).toHaveLength(3);
  });

  test('roles imported by name (ARN of literals and the partition) count at their real length', () => {
    // GIVEN 10 roles of fixed names, whose ARNs hold only the partition token
    const stack = newStack();
    const roles = Array.from({ length: 10 }, (_, i) => iam.Role.fromRoleName(stack, `Imported${i}`, `deploy-${i}`));
    // WHEN
    const monitor = new AssumeRoleMonitor(stack, 'Use', { roles, topic: new sns.Topic(stack, 'Alerts') });
    // THEN one rule: counted at the longest role ARN they would need four
    expect(monitor.rules).toHaveLength(1);
  });

  test('watches this library\'s roles, whose trust policies are only rendered at synthesis', () => {
    // GIVEN pattern roles (deferred trust) and a monitor created right after them
    const stack = newStack();
    const provider = GitHubOidcProvider.fromAccount(stack, 'GitHub');
    const roles = [
      new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/pipeline`] }),
      new GitHubActionsRole(stack, 'Ci', { provider, subjects: [GitHubSubject.branch('acme/api', 'main')] }),
    ];
    // WHEN
    new AssumeRoleMonitor(stack, 'Monitor', { roles, topic: sns.Topic.fromTopicArn(stack, 'T', `arn:aws:sns:${TEST_ENV.region}:${TEST_ACCOUNT}:alerts`) });
    // THEN it synthesizes, each role with its trust policy, in one rule that names both
    const template = templateOf(stack);
    const trusts = Object.values<Json>(template.Resources).filter(r => r.Type === 'AWS::IAM::Role').map(r => r.Properties.AssumeRolePolicyDocument);
    expect(trusts).toHaveLength(2);
    for (const trust of trusts) expect(trust.Statement.length).toBeGreaterThan(0);
    expect(Object.keys(rulesOf(stack))).toHaveLength(1);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('addTarget and targets reach every rule', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
    const monitor = new AssumeRoleMonitor(stack, 'Use', { roleArns: concreteArns(30, 60), targets: [new targets.SqsQueue(queue)] });
    monitor.addTarget(new targets.SnsTopic(new sns.Topic(stack, 'Alerts')));
    for (const rule of Object.values(rulesOf(stack))) expect(rule.Properties.Targets).toHaveLength(2);
  });

  test('passes AwsSolutions and AccessPatterns checks when split', () => {
    const stack = newStack();
    new AssumeRoleMonitor(stack, 'Use', { roleArns: concreteArns(30, 60), topic: new sns.Topic(stack, 'Alerts', { enforceSSL: true }) });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('refuses a maxEventPatternSize that is not a positive whole number, or too small for one role', () => {
    const stack = newStack();
    expect(() => new AssumeRoleMonitor(stack, 'Zero', { roleArns: concreteArns(1), topic: new sns.Topic(stack, 'A'), maxEventPatternSize: 0 }))
      .toThrow(/Invalid AssumeRoleMonitor 'Security\/Zero' prop 'maxEventPatternSize': 0 is not a positive whole number; keep the default of 2048/);
    expect(() => new AssumeRoleMonitor(stack, 'Small', { roleArns: concreteArns(1), topic: new sns.Topic(stack, 'B'), maxEventPatternSize: 100 }))
      .toThrow(/Invalid AssumeRoleMonitor 'Security\/Small' prop 'maxEventPatternSize': the pattern for the role 'arn:aws:iam::222222222222:role\/rrrrrrrrrrrrrrrrrrr0' alone would be \d+ characters .*above 100/);
  });
});
