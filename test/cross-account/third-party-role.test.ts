import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ThirdPartyRole } from '../../src';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, simulate } from '../support/simulate';
import { templateOf } from '../support/template';

const VENDOR = '464622532012';
const EXTERNAL_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

function newStack(): Stack {
  return new Stack(new App(), 'Target', { env: TEST_ENV });
}

describe('ThirdPartyRole', () => {
  test('trusts the vendor account only with the external id', () => {
    const stack = newStack();
    new ThirdPartyRole(stack, 'Datadog', { vendorAccountId: VENDOR, externalId: EXTERNAL_ID });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${VENDOR}:root`]] } },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
        }],
      },
    });
  });

  test('trusts an exact vendor role when given one', () => {
    const stack = newStack();
    const vendorRole = `arn:aws:iam::${VENDOR}:role/DatadogIntegration`;
    new ThirdPartyRole(stack, 'Datadog', { vendorRoleArn: vendorRole, externalId: EXTERNAL_ID });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { AWS: vendorRole } }] },
    });
  });

  test('matches the snapshot', () => {
    const stack = newStack();
    new ThirdPartyRole(stack, 'Datadog', {
      vendorAccountId: VENDOR,
      externalId: EXTERNAL_ID,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit')],
    });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const stack = newStack();
    new ThirdPartyRole(stack, 'Vendor', { vendorAccountId: VENDOR, externalId: EXTERNAL_ID });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('simulation: the vendor with the right external id is allowed; a wrong id, no id, or another account is denied', async () => {
    const stack = newStack();
    const role = new ThirdPartyRole(stack, 'Vendor', { vendorAccountId: VENDOR, externalId: EXTERNAL_ID });
    const vendor = `arn:aws:iam::${VENDOR}:role/integration`;
    expect(await simulate(stack, role, awsCaller(vendor, { 'sts:ExternalId': EXTERNAL_ID }))).toBe('Allowed');
    expect(await simulate(stack, role, awsCaller(vendor, { 'sts:ExternalId': 'another-customer-id' }))).toBe('Denied');
    expect(await simulate(stack, role, awsCaller(vendor))).toBe('Denied');
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/integration`, { 'sts:ExternalId': EXTERNAL_ID }))).toBe('Denied');
  });

  describe('validation', () => {
    const cases: Array<[string, any, RegExp]> = [
      ['no vendor', { externalId: EXTERNAL_ID }, /Invalid ThirdPartyRole 'Target\/Vendor' prop 'vendorAccountId': neither vendorAccountId nor vendorRoleArn is set/],
      ['both vendor forms', { vendorAccountId: VENDOR, vendorRoleArn: `arn:aws:iam::${VENDOR}:role/x`, externalId: EXTERNAL_ID }, /both vendorAccountId and vendorRoleArn are set/],
      ['no external id', { vendorAccountId: VENDOR }, /prop 'externalId': no external id is set/],
      ['external id too short', { vendorAccountId: VENDOR, externalId: 'a' }, /prop 'externalId': the external id 'a' is 1 characters long/],
      ['external id too long', { vendorAccountId: VENDOR, externalId: 'a'.repeat(1225) }, /prop 'externalId': the external id .* is 1225 characters long, outside 2-1,224/],
      ['external id characters', { vendorAccountId: VENDOR, externalId: 'id#1' }, /prop 'externalId': 'id#1' contains characters outside/],
      ['vendor account', { vendorAccountId: '46462253201', externalId: EXTERNAL_ID }, /prop 'vendorAccountId': '46462253201' is not a 12-digit AWS account id/],
      ['vendor role ARN', { vendorRoleArn: 'arn:aws:iam::464622532012:group/x', externalId: EXTERNAL_ID }, /prop 'vendorRoleArn': .* is not a valid iam ARN/],
      ['wildcard vendor role', { vendorRoleArn: `arn:aws:iam::${VENDOR}:role/*`, externalId: EXTERNAL_ID },
        /prop 'vendorRoleArn': 'arn:aws:iam::464622532012:role\/\*' contains a wildcard, but IAM refuses wildcards in a trust policy's Principal \(the deployment fails\); give the exact role ARN from the vendor's integration guide, or the vendor's account with vendorAccountId/],
      ['vendor role of another partition', { vendorRoleArn: `arn:aws-cn:iam::${VENDOR}:role/integration`, externalId: EXTERNAL_ID },
        /prop 'vendorRoleArn': 'arn:aws-cn:iam::464622532012:role\/integration' is in the partition 'aws-cn', but the stack is in us-east-1 \(partition 'aws'\)/],
    ];
    test.each(cases)('%s', (_name, props, message) => {
      const stack = newStack();
      expect(() => new ThirdPartyRole(stack, 'Vendor', props)).toThrow(message);
    });
  });

  test('accepts a token vendor role ARN', () => {
    const stack = newStack();
    new ThirdPartyRole(stack, 'Vendor', { vendorRoleArn: new CfnParameter(stack, 'VendorRole').valueAsString, externalId: EXTERNAL_ID });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { AWS: { Ref: 'VendorRole' } } }] },
    });
  });

  test('accepts tokens for the vendor account and external id', () => {
    const stack = newStack();
    new ThirdPartyRole(stack, 'Vendor', {
      vendorAccountId: new CfnParameter(stack, 'VendorAccount').valueAsString,
      externalId: new CfnParameter(stack, 'ExternalId').valueAsString,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } }, Principal: { AWS: Match.anyValue() } }],
      },
    });
  });

  test('does not trust the caller account by mistake', async () => {
    const stack = newStack();
    const role = new ThirdPartyRole(stack, 'Vendor', { vendorAccountId: VENDOR, externalId: EXTERNAL_ID });
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/x`, { 'sts:ExternalId': EXTERNAL_ID }))).toBe('Denied');
  });
});
