import { App, PhysicalName, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CrossAccountRole, EcsTaskRole, LambdaExecutionRole } from '../../src';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ACCOUNT } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, simulate } from '../support/simulate';

/**
 * Service to service across accounts: a Lambda function's or an ECS task's role in account
 * A (the caller) assumes a CrossAccountRole in account B, which trusts exactly that role;
 * the caller's side is granted sts:AssumeRole on exactly B's role.
 */
function twoAccounts() {
  const app = new App();
  const services = new Stack(app, 'Services', { env: { account: CALLER_ACCOUNT, region: 'us-east-1' } });
  const reporting = new Stack(app, 'Reporting', { env: { account: TEST_ACCOUNT, region: 'us-east-1' } });
  reporting.addStackDependency(services);
  const functionRole = new LambdaExecutionRole(services, 'ReportRole', { roleName: 'report-function' });
  const taskRole = new EcsTaskRole(services, 'ExportTaskRole', { roleName: PhysicalName.GENERATE_IF_NEEDED });
  const reader = new CrossAccountRole(reporting, 'ReportReader', {
    roleName: PhysicalName.GENERATE_IF_NEEDED, // named in account A's grants
    trustedRoleArns: [functionRole.roleArn, taskRole.roleArn],
  });
  CrossAccountRole.grantAssume(functionRole, reader.roleArn);
  CrossAccountRole.grantAssume(taskRole, reader.roleArn);
  return { services, reporting, functionRole, taskRole, reader };
}

describe('a workload role of account A assumes a CrossAccountRole of account B', () => {
  test('B trusts exactly the workload roles; A grants sts:AssumeRole on exactly B\'s role', () => {
    // GIVEN / WHEN
    const { services, reporting } = twoAccounts();
    // THEN
    Template.fromStack(reporting).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Principal: {
            AWS: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CALLER_ACCOUNT}:role/report-function`]] },
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(`^:iam::${CALLER_ACCOUNT}:role/services`)]] },
            ],
          },
          Condition: Match.absent(),
        }],
      },
    });
    Template.fromStack(services).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, Match.stringLikeRegexp(`^:iam::${TEST_ACCOUNT}:role/reporting`)]] } }],
      },
    });
  });

  test('no nag finding in either account', () => {
    const { services, reporting } = twoAccounts();
    expect(nagFindings(services)).toEqual([]);
    expect(nagFindings(reporting)).toEqual([]);
  });

  test('the function\'s role gets in; another role of A or the same name in another account does not', async () => {
    const { reporting, reader } = twoAccounts();
    expect(await simulate(reporting, reader, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/report-function`))).toBe('Allowed');
    expect(await simulate(reporting, reader, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/developer`))).toBe('Denied');
    expect(await simulate(reporting, reader, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/report-function`))).toBe('Denied');
    // Without the caller-side grant, account A does not let its role call.
    expect(await simulate(reporting, reader, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/report-function`, {}, { callerPolicy: false }))).toBe('Denied');
  });
});
