import { App, CfnParameter, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { INSTANCE_ARN, newInstanceStack, simulateIdentityPolicy } from './fixtures';
import { IdentityCenterInstance, PermissionSet, PermissionSetBoundary } from '../../src';
import { TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { resolveIntrinsics, templateOf } from '../support/template';

const READ_ONLY = iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess');

function logsPolicy(): iam.PolicyDocument {
  return new iam.PolicyDocument({
    statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::audit-logs/*'] })],
  });
}

function logicalIdsOf(stack: Stack, type: string): string[] {
  return Object.keys(Template.fromStack(stack).findResources(type));
}

describe('PermissionSet', () => {
  test('renders every property, with the session as an ISO-8601 duration', () => {
    // GIVEN
    const { stack, instance } = newInstanceStack();
    // WHEN
    new PermissionSet(stack, 'Auditor', {
      instance,
      description: 'Reads configuration and audit logs',
      sessionDuration: Duration.hours(8),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit')],
      customerManagedPolicies: [{ name: 'audit-extras' }, { name: 'log-reader', path: '/audit/' }],
      inlinePolicy: logsPolicy(),
      permissionsBoundary: PermissionSetBoundary.fromCustomerManagedPolicy({ name: 'boundary', path: '/guardrails/' }),
      relayState: 'https://console.aws.amazon.com/cloudtrail/home',
      tags: { team: 'security' },
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      InstanceArn: INSTANCE_ARN,
      Name: 'Auditor',
      Description: 'Reads configuration and audit logs',
      SessionDuration: 'PT8H',
      ManagedPolicies: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/SecurityAudit']] }],
      CustomerManagedPolicyReferences: [{ Name: 'audit-extras' }, { Name: 'log-reader', Path: '/audit/' }],
      InlinePolicy: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::audit-logs/*' }],
      },
      PermissionsBoundary: { CustomerManagedPolicyReference: { Name: 'boundary', Path: '/guardrails/' } },
      RelayStateType: 'https://console.aws.amazon.com/cloudtrail/home',
      Tags: [{ Key: 'team', Value: 'security' }],
    });
  });

  test('defaults: the construct id as the name, one-hour sessions, nothing attached', () => {
    const { stack, instance } = newInstanceStack();
    new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [READ_ONLY] });
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      Name: 'ReadOnly',
      SessionDuration: 'PT1H',
      Description: Match.absent(),
      CustomerManagedPolicyReferences: Match.absent(),
      InlinePolicy: Match.absent(),
      PermissionsBoundary: Match.absent(),
    });
  });

  test('an AWS managed permissions boundary is rendered by ARN', () => {
    const { stack, instance } = newInstanceStack();
    new PermissionSet(stack, 'Developer', {
      instance,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')],
      permissionsBoundary: PermissionSetBoundary.fromManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      PermissionsBoundary: {
        ManagedPolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/PowerUserAccess']] },
        CustomerManagedPolicyReference: Match.absent(),
      },
    });
  });

  test('matches the snapshot', () => {
    const { stack, instance } = newInstanceStack();
    new PermissionSet(stack, 'Developer', {
      instance,
      description: 'Builds and operates the workloads',
      sessionDuration: Duration.hours(4),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')],
      inlinePolicy: logsPolicy(),
    });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const { stack, instance } = newInstanceStack();
    new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [READ_ONLY], inlinePolicy: logsPolicy() });
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('stable logical id', () => {
    test('is derived from the name, and unchanged when mutable props change', () => {
      // GIVEN
      const before = newInstanceStack();
      new PermissionSet(before.stack, 'ReadOnly', { instance: before.instance, managedPolicies: [READ_ONLY] });
      // WHEN
      const after = newInstanceStack();
      new PermissionSet(after.stack, 'ReadOnly', {
        instance: after.instance,
        managedPolicies: [READ_ONLY, iam.ManagedPolicy.fromAwsManagedPolicyName('AWSSupportAccess')],
        description: 'Read-only access to every service',
        sessionDuration: Duration.hours(12),
        inlinePolicy: logsPolicy(),
      });
      // THEN
      expect(logicalIdsOf(before.stack, 'AWS::SSO::PermissionSet')).toEqual(['PermissionSetReadOnly9D696BC7']);
      expect(logicalIdsOf(after.stack, 'AWS::SSO::PermissionSet')).toEqual(['PermissionSetReadOnly9D696BC7']);
    });

    test('survives moving the construct into another scope', () => {
      // GIVEN
      const atRoot = newInstanceStack();
      new PermissionSet(atRoot.stack, 'ReadOnly', { instance: atRoot.instance });
      // WHEN
      const nested = newInstanceStack();
      new PermissionSet(new Construct(nested.stack, 'Platform'), 'ReadOnly', { instance: nested.instance });
      // THEN
      expect(logicalIdsOf(nested.stack, 'AWS::SSO::PermissionSet')).toEqual(logicalIdsOf(atRoot.stack, 'AWS::SSO::PermissionSet'));
    });
  });

  describe('renames', () => {
    test('a name that differs from the construct id is refused', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'Developers', { instance, permissionSetName: 'Engineers' }))
        .toThrow(/Invalid PermissionSet 'Sso\/Developers' prop 'permissionSetName': 'Engineers' differs from the construct id 'Developers'.*every assignment.*set allowReplacement: true/);
    });

    test('allowReplacement renames with a warning, and the later id refactoring keeps the logical id', () => {
      // GIVEN the set was created as 'Developers'
      const created = newInstanceStack();
      new PermissionSet(created.stack, 'Developers', { instance: created.instance });
      // WHEN it is renamed with the opt-in
      const renamed = newInstanceStack();
      new PermissionSet(renamed.stack, 'Developers', { instance: renamed.instance, permissionSetName: 'Engineers', allowReplacement: true });
      // and, once deployed, the construct id follows the name
      const refactored = newInstanceStack();
      new PermissionSet(refactored.stack, 'Engineers', { instance: refactored.instance });
      // THEN
      Template.fromStack(renamed.stack).hasResourceProperties('AWS::SSO::PermissionSet', { Name: 'Engineers' });
      Annotations.fromStack(renamed.stack).hasWarning('/Sso/Developers', Match.stringLikeRegexp('replaces the permission set'));
      expect(logicalIdsOf(renamed.stack, 'AWS::SSO::PermissionSet')).not.toEqual(logicalIdsOf(created.stack, 'AWS::SSO::PermissionSet'));
      expect(logicalIdsOf(refactored.stack, 'AWS::SSO::PermissionSet')).toEqual(logicalIdsOf(renamed.stack, 'AWS::SSO::PermissionSet'));
      Annotations.fromStack(refactored.stack).hasNoWarning('*', Match.anyValue());
    });

    test('two sets with one name in a stack are refused', () => {
      const { stack, instance } = newInstanceStack();
      new PermissionSet(stack, 'ReadOnly', { instance });
      expect(() => new PermissionSet(stack, 'ReadOnly2', { instance, permissionSetName: 'ReadOnly', allowReplacement: true }))
        .toThrow(/prop 'permissionSetName': 'ReadOnly' is already the name of 'Sso\/ReadOnly' in the same Identity Center instance/);
    });

    test('two sets with one name in one instance are refused across the stacks of an app', () => {
      // GIVEN
      const { stack, instance } = newInstanceStack();
      new PermissionSet(stack, 'ReadOnly', { instance });
      const other = new Stack(stack.node.root, 'Other', { env: TEST_ENV });
      const sameInstance = IdentityCenterInstance.fromInstanceArn(other, 'Instance', INSTANCE_ARN);
      // WHEN / THEN
      expect(() => new PermissionSet(other, 'ReadOnly', { instance: sameInstance }))
        .toThrow(/Invalid PermissionSet 'Other\/ReadOnly' prop 'permissionSetName': 'ReadOnly' is already the name of 'Sso\/ReadOnly' in the same Identity Center instance/);
    });

    test('one name in two instances, or in two apps, is allowed', () => {
      const { stack, instance } = newInstanceStack();
      new PermissionSet(stack, 'ReadOnly', { instance });
      const otherInstance = IdentityCenterInstance.fromInstanceArn(stack, 'OtherInstance', 'arn:aws:sso:::instance/ssoins-fedcba0987654321');
      expect(() => new PermissionSet(stack, 'ReadOnly2', { instance: otherInstance, permissionSetName: 'ReadOnly', allowReplacement: true })).not.toThrow();
      const second = newInstanceStack();
      expect(() => new PermissionSet(second.stack, 'ReadOnly', { instance: second.instance })).not.toThrow();
    });
  });

  describe('simulation', () => {
    // Identity Center has no trust policy to write: the roles it provisions trust the
    // account's SAML provider, managed by AWS. What this construct writes is the inline
    // identity policy of those roles, so that is what is simulated.
    test('the inline policy allows exactly what it lists', async () => {
      const { stack, instance } = newInstanceStack();
      const set = new PermissionSet(stack, 'Auditor', { instance, inlinePolicy: logsPolicy() });
      const template = templateOf(stack);
      const logicalId = Stack.of(set).resolve((set.node.defaultChild as CfnResource).logicalId);
      const policy = resolveIntrinsics(template, template.Resources[logicalId].Properties.InlinePolicy);
      expect(await simulateIdentityPolicy(policy, 's3:GetObject', 'arn:aws:s3:::audit-logs/2026/11/23.json')).toBe('Allowed');
      expect(await simulateIdentityPolicy(policy, 's3:DeleteObject', 'arn:aws:s3:::audit-logs/2026/11/23.json')).toBe('Denied');
      expect(await simulateIdentityPolicy(policy, 's3:GetObject', 'arn:aws:s3:::payroll/2026.csv')).toBe('Denied');
    });
  });

  describe('validation', () => {
    test('name longer than 32 characters', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'A'.repeat(33), { instance }))
        .toThrow(/prop 'id': 'A{33}' is 33 characters long, outside 1-32/);
    });

    test('name with characters IAM does not allow', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'Read Only', { instance }))
        .toThrow(/prop 'id': 'Read Only' contains characters outside letters, digits and \+ = , \. @ _ -/);
    });

    test('description longer than 700 characters', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, description: 'x'.repeat(701) }))
        .toThrow(/prop 'description': .* is 701 characters long, outside 1-700/);
    });

    test('session shorter than one hour', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, sessionDuration: Duration.minutes(30) }))
        .toThrow(/prop 'sessionDuration': 30 minutes is outside 1 hour to 12 hours/);
    });

    test('session longer than twelve hours', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, sessionDuration: Duration.hours(13) }))
        .toThrow(/prop 'sessionDuration': 13 hours is outside 1 hour to 12 hours/);
    });

    test('session with seconds', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, sessionDuration: Duration.seconds(3601) }))
        .toThrow(/prop 'sessionDuration': .* is not a whole number of minutes/);
    });

    test('more than 20 policies', () => {
      const { stack, instance } = newInstanceStack();
      const customerManagedPolicies = Array.from({ length: 21 }, (_, i) => ({ name: `policy-${i}` }));
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, customerManagedPolicies }))
        .toThrow(/prop 'managedPolicies': 21 managed and customer managed policies are attached, above the limit of 20/);
    });

    test('more than 10 policies is allowed with a warning about the IAM quota', () => {
      const { stack, instance } = newInstanceStack();
      const customerManagedPolicies = Array.from({ length: 10 }, (_, i) => ({ name: `policy-${i}` }));
      new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [READ_ONLY], customerManagedPolicies });
      Annotations.fromStack(stack).hasWarning('/Sso/ReadOnly', Match.stringLikeRegexp('11 managed and customer managed policies.*default IAM quota of 10'));
    });

    test('inline policy above 10,240 characters', () => {
      const { stack, instance } = newInstanceStack();
      const inlinePolicy = new iam.PolicyDocument({
        statements: Array.from({ length: 200 }, (_, i) => new iam.PolicyStatement({
          actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-with-a-rather-long-name-${i}/*`],
        })),
      });
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, inlinePolicy }))
        .toThrow(/prop 'inlinePolicy': the policy is \d+ characters without whitespace, above IAM's quota of 10240 characters of inline policy per role: Identity Center accepts up to 32,768 but provisions the set as a role/);
    });

    test('inline policy grown above the limit after construction fails synthesis', () => {
      const { stack, instance } = newInstanceStack();
      const inlinePolicy = logsPolicy();
      new PermissionSet(stack, 'ReadOnly', { instance, inlinePolicy });
      inlinePolicy.addStatements(...Array.from({ length: 200 }, (_, i) => new iam.PolicyStatement({
        actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bucket-with-a-rather-long-name-${i}/*`],
      })));
      expect(() => templateOf(stack)).toThrow(/the inline policy is \d+ characters without whitespace, above IAM's quota of 10240 characters of inline policy per role/);
    });

    test('inline policy with a principal', () => {
      const { stack, instance } = newInstanceStack();
      const inlinePolicy = new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'], principals: [new iam.AnyPrincipal()] })],
      });
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, inlinePolicy })).toThrow(/prop 'inlinePolicy': .*Principal/);
    });

    test('customer managed policy passed as a managed policy ARN', () => {
      const { stack, instance } = newInstanceStack();
      const policy = iam.ManagedPolicy.fromManagedPolicyArn(stack, 'Mine', 'arn:aws:iam::222222222222:policy/mine');
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [policy] }))
        .toThrow(/prop 'managedPolicies\[0\]': 'arn:aws:iam::222222222222:policy\/mine' is not an AWS managed policy.*; reference customer managed policies by name/);
    });

    test('customer managed policy given by name as a managed policy', () => {
      const { stack, instance } = newInstanceStack();
      const policy = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Mine', 'mine');
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [policy] }))
        .toThrow(/prop 'managedPolicies\[0\]': 'arn:\$\{Token\}:iam::\d{12}:policy\/mine' is not an AWS managed policy \(Identity Center only accepts arn:<partition>:iam::aws:policy\/\.\.\. here\); reference customer managed policies by name in customerManagedPolicies: \[\{ name, path \}\]/);
    });

    test('customer managed boundary given as a managed policy', () => {
      const { stack, instance } = newInstanceStack();
      const policy = iam.ManagedPolicy.fromManagedPolicyName(stack, 'Mine', 'mine');
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, permissionsBoundary: PermissionSetBoundary.fromManagedPolicy(policy) }))
        .toThrow(/prop 'permissionsBoundary': .* is not an AWS managed policy/);
    });

    test('customer managed policy created in the app', () => {
      const { stack, instance } = newInstanceStack();
      const policy = new iam.ManagedPolicy(stack, 'Mine', { statements: [new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: ['*'] })] });
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, managedPolicies: [policy] }))
        .toThrow(/prop 'managedPolicies\[0\]': 'Sso\/Mine' is not an AWS managed policy/);
    });

    test('customer managed policy reference with a bad name', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, customerManagedPolicies: [{ name: 'bad name' }] }))
        .toThrow(/prop 'customerManagedPolicies\[0\].name': 'bad name' contains characters outside/);
    });

    test('customer managed policy reference with a bad path', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, customerManagedPolicies: [{ name: 'p', path: 'audit' }] }))
        .toThrow(/prop 'customerManagedPolicies\[0\].path': 'audit' is not an IAM path/);
    });

    test('boundary reference with a bad name', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, permissionsBoundary: PermissionSetBoundary.fromCustomerManagedPolicy({ name: '' }) }))
        .toThrow(/prop 'permissionsBoundary.name': '' is 0 characters long/);
    });

    test('relay state longer than 240 characters', () => {
      const { stack, instance } = newInstanceStack();
      expect(() => new PermissionSet(stack, 'ReadOnly', { instance, relayState: `https://example.com/${'x'.repeat(240)}` }))
        .toThrow(/prop 'relayState': .* outside 1-240/);
    });

    test('imported permission set ARN of the wrong shape', () => {
      const { stack } = newInstanceStack();
      expect(() => PermissionSet.fromPermissionSetArn(stack, 'Imported', 'arn:aws:sso:::instance/ssoins-1234567890abcdef'))
        .toThrow(/Invalid PermissionSet.fromPermissionSetArn 'Sso\/Imported' prop 'permissionSetArn': .* is not a permission set ARN/);
    });

    test('instance ARN of the wrong shape', () => {
      const { stack } = newInstanceStack();
      expect(() => IdentityCenterInstance.fromInstanceArn(stack, 'Bad', 'arn:aws:sso:::instance/1234'))
        .toThrow(/Invalid IdentityCenterInstance 'Sso\/Bad' prop 'instanceArn': .* is not an IAM Identity Center instance ARN.*aws sso-admin list-instances/);
    });

    test('identity store id of the wrong shape', () => {
      const { stack } = newInstanceStack();
      expect(() => IdentityCenterInstance.fromInstanceAttributes(stack, 'Bad', { instanceArn: INSTANCE_ARN, identityStoreId: 'store-1' }))
        .toThrow(/prop 'identityStoreId': 'store-1' is not an identity store id/);
    });
  });

  test('accepts tokens: name, description, instance ARN and imported ARNs are not checked at synthesis', () => {
    // GIVEN
    const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
    const instanceArn = new CfnParameter(stack, 'InstanceArn').valueAsString;
    const name = new CfnParameter(stack, 'Name').valueAsString;
    const description = new CfnParameter(stack, 'Description').valueAsString;
    const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Instance', instanceArn);
    // WHEN
    new PermissionSet(stack, 'ReadOnly', { instance, permissionSetName: name, description, managedPolicies: [READ_ONLY] });
    const imported = PermissionSet.fromPermissionSetArn(stack, 'Imported', Fn.importValue('ReadOnlySetArn'));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      InstanceArn: { Ref: 'InstanceArn' },
      Name: { Ref: 'Name' },
      Description: { Ref: 'Description' },
    });
    expect(stack.resolve(imported.permissionSetArn)).toEqual({ 'Fn::ImportValue': 'ReadOnlySetArn' });
  });
});
