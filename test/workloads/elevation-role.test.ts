import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AccessMap, ElevationCaller, ElevationRole, ElevationRoleProps } from '../../src';
import { CALLER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, simulate } from '../support/simulate';
import { logicalIdOf, templateOf } from '../support/template';

const OPERATORS = `arn:aws:iam::${TEST_ACCOUNT}:role/operators`;
const RUNBOOK = `arn:aws:iam::${TEST_ACCOUNT}:role/restore-runbook`;
const FOREIGN = `arn:aws:iam::${CALLER_ACCOUNT}:role/operators`;

function newStack(): Stack {
  return new Stack(new App(), 'Data', { env: TEST_ENV });
}

function newRole(stack: Stack, props: Partial<ElevationRoleProps> = {}): ElevationRole {
  const alerts = sns.Topic.fromTopicArn(stack, 'Alerts', `arn:aws:sns:us-east-1:${TEST_ACCOUNT}:security-alerts`);
  return new ElevationRole(stack, 'DatabaseRestore', {
    callers: [ElevationCaller.human(OPERATORS), ElevationCaller.machine(RUNBOOK)],
    topic: alerts,
    ...props,
  });
}

/** What STS puts in every request: the caller's account. */
function caller(arn: string, context: Record<string, string> = {}) {
  return awsCaller(arn, { 'aws:PrincipalAccount': /::(\d{12}):/.exec(arn)![1], ...context });
}
const MFA = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '600' };

describe('ElevationRole', () => {
  test('people with MFA, machines with a source identity, this account only', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    newRole(stack);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: OPERATORS },
            Action: 'sts:AssumeRole',
            Condition: {
              Bool: { 'aws:MultiFactorAuthPresent': 'true' },
              NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' },
              StringEquals: { 'aws:PrincipalAccount': TEST_ACCOUNT },
            },
          },
          {
            Effect: 'Allow',
            Principal: { AWS: RUNBOOK },
            Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'],
            Condition: { Null: { 'sts:SourceIdentity': 'false' }, StringEquals: { 'aws:PrincipalAccount': TEST_ACCOUNT } },
          },
        ],
      },
      MaxSessionDuration: Match.absent(),
    });
  });

  test('every assumption goes to its AssumeRoleMonitor', () => {
    const stack = newStack();
    const role = newRole(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: Match.objectLike({
        detail: Match.objectLike({ $or: [{ requestParameters: { roleArn: [{ 'Fn::GetAtt': [logicalIdOf(role), 'Arn'] }] } }, Match.anyValue()] }),
      }),
      Targets: [Match.objectLike({ Arn: `arn:aws:sns:us-east-1:${TEST_ACCOUNT}:security-alerts` })],
    });
    expect(role.monitor.rule).toBeDefined();
  });

  test('the monitor can send to other targets', () => {
    const stack = newStack();
    const queue = new sqs.Queue(stack, 'SecurityQueue', { enforceSSL: true });
    newRole(stack, { topic: undefined, monitorTargets: [new targets.SqsQueue(queue)] });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SecurityQueue'), 'Arn'] } })],
    });
  });

  test('callers given as role constructs of the stack', () => {
    const stack = newStack();
    const runbook = new iam.Role(stack, 'Runbook', { assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com') });
    newRole(stack, { callers: [ElevationCaller.machineRole(runbook)] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { 'Fn::GetAtt': [logicalIdOf(runbook), 'Arn'] } } })] },
    });
  });

  test('snapshot', () => {
    const stack = newStack();
    newRole(stack);
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('no nag finding', () => {
    const stack = newStack();
    newRole(stack);
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the access map says who and under which conditions', () => {
    const stack = newStack();
    newRole(stack);
    const ways = AccessMap.fromStack(stack).roles.flatMap(r => r.waysIn);
    expect(ways.map(w => w.who)).toEqual([`role operators in account ${TEST_ACCOUNT} (this account)`, `role restore-runbook in account ${TEST_ACCOUNT} (this account)`]);
    expect(ways[0].conditions).toEqual(expect.arrayContaining(['with MFA']));
    expect(ways[1].conditions).toEqual(expect.arrayContaining(['the caller must set a source identity']));
  });

  describe('simulation', () => {
    test('an operator with a recent MFA sign-in may elevate; without MFA, or with an old one, not', async () => {
      const stack = newStack();
      const role = newRole(stack);
      expect(await simulate(stack, role, caller(OPERATORS, MFA))).toBe('Allowed');
      expect(await simulate(stack, role, caller(OPERATORS))).toBe('Denied');
      expect(await simulate(stack, role, caller(OPERATORS, { 'aws:MultiFactorAuthPresent': 'false' }))).toBe('Denied');
      expect(await simulate(stack, role, caller(OPERATORS, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '7200' }))).toBe('Denied');
    });

    test('the runbook may elevate with a source identity; without one, not', async () => {
      const stack = newStack();
      const role = newRole(stack);
      expect(await simulate(stack, role, caller(RUNBOOK, { 'sts:SourceIdentity': 'restore-2026-12-06' }))).toBe('Allowed');
      expect(await simulate(stack, role, caller(RUNBOOK))).toBe('Denied');
      // MFA does not stand in for the source identity of a machine caller.
      expect(await simulate(stack, role, caller(RUNBOOK, MFA))).toBe('Denied');
    });

    test('a role of the same name in another account, and any other role of the account, are denied', async () => {
      const stack = newStack();
      const role = newRole(stack);
      expect(await simulate(stack, role, caller(FOREIGN, MFA))).toBe('Denied');
      expect(await simulate(stack, role, caller(`arn:aws:iam::${TEST_ACCOUNT}:role/developer`, MFA))).toBe('Denied');
    });
  });

  describe('opt-ins', () => {
    test('the account root with allowAccountRoot, with MFA and a warning', async () => {
      const stack = newStack();
      const role = newRole(stack, { callers: [ElevationCaller.human(`arn:aws:iam::${TEST_ACCOUNT}:root`)], allowAccountRoot: true });
      Annotations.fromStack(stack).hasWarning('/Data/DatabaseRestore', Match.stringLikeRegexp('trusts the account root \\(allowAccountRoot\\)'));
      expect(await simulate(stack, role, caller(`arn:aws:iam::${TEST_ACCOUNT}:role/developer`, MFA))).toBe('Allowed');
      expect(await simulate(stack, role, caller(`arn:aws:iam::${TEST_ACCOUNT}:role/developer`))).toBe('Denied');
    });

    test('sessions above one hour with allowLongSessions, with a warning', () => {
      const stack = newStack();
      newRole(stack, { maxSessionDuration: Duration.hours(2), allowLongSessions: true });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 7200 });
      Annotations.fromStack(stack).hasWarning('/Data/DatabaseRestore', Match.stringLikeRegexp('allowLongSessions'));
    });
  });

  describe('bad input', () => {
    test.each<[string, Partial<ElevationRoleProps>, RegExp]>([
      ['a role of another account', { callers: [ElevationCaller.human(FOREIGN)] },
        /Invalid ElevationRole 'Data\/DatabaseRestore' prop 'callers': 'arn:aws:iam::111111111111:role\/operators' is in account 111111111111, but an elevation role is assumed from its own account \(222222222222\) only; name roles of this account, or use CrossAccountRole/],
      ['the account root without allowAccountRoot', { callers: [ElevationCaller.human(`arn:aws:iam::${TEST_ACCOUNT}:root`)] },
        /prop 'callers': 'arn:aws:iam::222222222222:root' is the account root: every principal of the account whose own policies allow it could elevate; name the roles that perform the task, or set allowAccountRoot: true/],
      ['another account\'s root, even with allowAccountRoot', { callers: [ElevationCaller.human(`arn:aws:iam::${CALLER_ACCOUNT}:root`)], allowAccountRoot: true },
        /prop 'callers': 'arn:aws:iam::111111111111:root' is in account 111111111111/],
      ['no caller', { callers: [] }, /prop 'callers': no caller is named/],
      ['a session above one hour without allowLongSessions', { maxSessionDuration: Duration.hours(2) },
        /prop 'maxSessionDuration': 2 hours is longer than one hour, and leaked session credentials stay valid that long; keep the default of one hour, or set allowLongSessions: true/],
      ['no topic or target', { topic: undefined },
        /prop 'topic': no topic or monitor target is given, but every assumption of an elevation role must be reported/],
      ['mfaMaxAge without a human caller', { callers: [ElevationCaller.machine(RUNBOOK)], mfaMaxAge: Duration.minutes(15) },
        /prop 'mfaMaxAge': it only applies to human callers/],
      ['an MFA age above 12 hours', { mfaMaxAge: Duration.hours(13) }, /prop 'mfaMaxAge': 13 hours is outside 1 minute to 12 hours/],
      ['a caller twice', { callers: [ElevationCaller.human(OPERATORS), ElevationCaller.machine(OPERATORS)] }, /prop 'callers': 'arn:aws:iam::222222222222:role\/operators' is listed more than once/],
      ['a caller that is not a role ARN', { callers: [ElevationCaller.human('operators')] }, /prop 'callers': 'operators' is not a valid iam ARN/],
    ])('%s is refused', (_what, props, message) => {
      expect(() => newRole(newStack(), props)).toThrow(message);
    });

    test('a role construct of another account is refused', () => {
      const stack = newStack();
      const foreign = iam.Role.fromRoleArn(stack, 'Foreign', FOREIGN);
      expect(() => newRole(stack, { callers: [ElevationCaller.humanRole(foreign)] }))
        .toThrow(/prop 'callers': the role Data\/Foreign is in account 111111111111, but an elevation role is assumed from its own account \(222222222222\) only/);
    });

    test('an ARN whose account cannot be checked in an environment-agnostic stack is refused', () => {
      const stack = new Stack(new App(), 'Agnostic');
      expect(() => newRole(stack)).toThrow(/names account 222222222222, but the stack's account is only known at deploy time/);
    });

    test('tokens are accepted as inputs, and aws:PrincipalAccount still keeps other accounts out', async () => {
      const stack = newStack();
      const callerArn = new CfnParameter(stack, 'OperatorsRoleArn').valueAsString;
      const role = newRole(stack, { callers: [ElevationCaller.human(callerArn)] });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { AWS: { Ref: 'OperatorsRoleArn' } } })] },
      });
      expect(await simulate(stack, role, caller(FOREIGN, MFA), { OperatorsRoleArn: FOREIGN })).toBe('Denied');
      expect(await simulate(stack, role, caller(OPERATORS, MFA), { OperatorsRoleArn: OPERATORS })).toBe('Allowed');
    });
  });
});
