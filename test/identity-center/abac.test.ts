import { runSimulation } from '@cloud-copilot/iam-simulate';
import { CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { INSTANCE_ARN, newInstanceStack } from './fixtures';
import { AccessControlAttributes, IdentityCenterInstance, PermissionSet, PrincipalTagPolicy } from '../../src';
import { TEST_ACCOUNT } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const INSTANCE = `arn:aws:ec2:us-east-1:${TEST_ACCOUNT}:instance/i-0123456789abcdef0`;
/** The session of a user who signed in through the permission set (Identity Center role session). */
const SESSION = `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/AWSReservedSSO_Developers_0123456789abcdef/alice`;

/** Evaluates a request of the permission set's session against its inline policy, as synthesized. */
async function decide(stack: Stack, action: string, context: Record<string, string | string[]>, resource = INSTANCE): Promise<string> {
  const set = Object.values(Template.fromStack(stack).findResources('AWS::SSO::PermissionSet'))[0];
  const policy = set.Properties.InlinePolicy;
  const response = await runSimulation({
    identityPolicies: [{ name: 'inline', policy: typeof policy === 'string' ? JSON.parse(policy) : policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: { action, principal: SESSION, resource: { accountId: TEST_ACCOUNT, resource }, contextVariables: context },
  } as any, {});
  if (response.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

function developers(): Stack {
  const { stack, instance } = newInstanceStack();
  new AccessControlAttributes(stack, 'Abac', {
    instance,
    attributes: [
      { key: 'CostCenter', source: '${path:enterprise.costCenter}' },
      { key: 'Team', source: '${path:enterprise.department}' },
    ],
  });
  new PermissionSet(stack, 'Developers', {
    instance,
    permissionSetName: 'Developers',
    inlinePolicy: PrincipalTagPolicy.document({
      tagKey: 'CostCenter',
      actions: ['ec2:StartInstances', 'ec2:StopInstances', 'ec2:CreateTags'],
      createActions: ['ec2:RunInstances'],
      tagActions: ['ec2:CreateTags', 'ec2:DeleteTags'],
    }),
  });
  return stack;
}

describe('AccessControlAttributes', () => {
  test('one configuration of the instance with each attribute and its source', () => {
    const stack = developers();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SSO::InstanceAccessControlAttributeConfiguration', 1);
    t.hasResourceProperties('AWS::SSO::InstanceAccessControlAttributeConfiguration', {
      InstanceArn: INSTANCE_ARN,
      AccessControlAttributes: [
        { Key: 'CostCenter', Value: { Source: ['${path:enterprise.costCenter}'] } },
        { Key: 'Team', Value: { Source: ['${path:enterprise.department}'] } },
      ],
    });
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = developers();
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('a second configuration of the same instance in the app is refused (an instance has one)', () => {
    const { stack, instance } = newInstanceStack();
    new AccessControlAttributes(stack, 'Abac', { instance, attributes: [{ key: 'CostCenter', source: '${path:enterprise.costCenter}' }] });
    const other = new Stack(stack.node.root as any, 'Other', { env: stack.environment as any });
    const again = IdentityCenterInstance.fromInstanceArn(other, 'Instance', INSTANCE_ARN);
    expect(() => new AccessControlAttributes(other, 'Abac', { instance: again, attributes: [{ key: 'Team', source: '${path:enterprise.department}' }] }))
      .toThrow(/Invalid AccessControlAttributes 'Other\/Abac' prop 'instance': the instance already has its access control attributes in 'Sso\/Abac'/);
  });

  describe('validation', () => {
    const many = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, source: '${path:userName}' }));
    test.each([
      ['no attribute', [], /Invalid AccessControlAttributes 'Sso\/Abac' prop 'attributes': the list is empty/],
      ['more than 50', many, /prop 'attributes': 51 attributes are more than the 50 session tags STS accepts/],
      ['a bad key', [{ key: 'cost center!', source: '${path:enterprise.costCenter}' }], /prop 'attributes': 'cost center!' is not a session tag key/],
      ['a long key', [{ key: 'k'.repeat(129), source: '${path:userName}' }], /is not a session tag key/],
      ['an aws: key', [{ key: 'aws:team', source: '${path:userName}' }], /'aws:team' starts with 'aws:', which is reserved for AWS/],
      ['keys differing in case', [{ key: 'Team', source: '${path:userName}' }, { key: 'team', source: '${path:title}' }],
        /'team' is the same session tag key as 'Team' \(tag keys are not case-sensitive\)/],
      ['an empty source', [{ key: 'Team', source: ' ' }], /prop 'attributes': the source of 'Team' is empty/],
      ['a long source', [{ key: 'Team', source: 'x'.repeat(257) }], /the source of 'Team' is 257 characters long/],
    ])('%s', (_name, attributes, message) => {
      const { stack, instance } = newInstanceStack();
      expect(() => new AccessControlAttributes(stack, 'Abac', { instance, attributes })).toThrow(message);
    });
  });

  test('accepts tokens for the instance, keys and sources', () => {
    const { stack } = newInstanceStack();
    const instance = IdentityCenterInstance.fromInstanceArn(stack, 'Imported', new CfnParameter(stack, 'InstanceArn').valueAsString);
    const key = new CfnParameter(stack, 'Key').valueAsString;
    const source = new CfnParameter(stack, 'Source').valueAsString;
    new AccessControlAttributes(stack, 'Abac', { instance, attributes: [{ key, source }] });
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::InstanceAccessControlAttributeConfiguration', {
      InstanceArn: { Ref: 'InstanceArn' },
      AccessControlAttributes: [{ Key: { Ref: 'Key' }, Value: { Source: [{ Ref: 'Source' }] } }],
    });
  });
});

describe('PrincipalTagPolicy', () => {
  test('the statements compare the resource tag with the principal tag, and refuse sessions without the tag', () => {
    const stack = developers();
    Template.fromStack(stack).hasResourceProperties('AWS::SSO::PermissionSet', {
      InlinePolicy: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'MatchingResourceTag',
          Effect: 'Allow',
          Resource: '*',
          Condition: { Null: { 'aws:PrincipalTag/CostCenter': 'false' }, StringEquals: { 'aws:ResourceTag/CostCenter': '${aws:PrincipalTag/CostCenter}' } },
        })]),
      }),
    });
  });

  test('a user reaches the resources of their own cost center, and no other', async () => {
    const stack = developers();
    const own = { 'aws:PrincipalTag/CostCenter': 'cc-100', 'aws:ResourceTag/CostCenter': 'cc-100' };
    expect(await decide(stack, 'ec2:StartInstances', own)).toBe('Allowed');
    expect(await decide(stack, 'ec2:StopInstances', own)).toBe('Allowed');
    // another cost center's instance
    expect(await decide(stack, 'ec2:StartInstances', { 'aws:PrincipalTag/CostCenter': 'cc-100', 'aws:ResourceTag/CostCenter': 'cc-200' })).toBe('Denied');
    // an untagged instance
    expect(await decide(stack, 'ec2:StartInstances', { 'aws:PrincipalTag/CostCenter': 'cc-100' })).toBe('Denied');
    // a session without the attribute (the user has no cost center)
    expect(await decide(stack, 'ec2:StartInstances', { 'aws:ResourceTag/CostCenter': 'cc-100' })).toBe('Denied');
    // an action the set does not list
    expect(await decide(stack, 'ec2:TerminateInstances', own)).toBe('Denied');
  });

  test('new resources must carry the creator\'s own value', async () => {
    const stack = developers();
    expect(await decide(stack, 'ec2:RunInstances', { 'aws:PrincipalTag/CostCenter': 'cc-100', 'aws:RequestTag/CostCenter': 'cc-100' })).toBe('Allowed');
    expect(await decide(stack, 'ec2:RunInstances', { 'aws:PrincipalTag/CostCenter': 'cc-100', 'aws:RequestTag/CostCenter': 'cc-200' })).toBe('Denied');
    expect(await decide(stack, 'ec2:RunInstances', { 'aws:PrincipalTag/CostCenter': 'cc-100' })).toBe('Denied');
  });

  test('nobody moves a resource to another cost center or removes the tag', async () => {
    const stack = developers();
    const own = { 'aws:PrincipalTag/CostCenter': 'cc-100', 'aws:ResourceTag/CostCenter': 'cc-100' };
    expect(await decide(stack, 'ec2:CreateTags', { ...own, 'aws:TagKeys': ['Name'], 'aws:RequestTag/Name': 'web' })).toBe('Allowed');
    expect(await decide(stack, 'ec2:CreateTags', { ...own, 'aws:TagKeys': ['CostCenter'], 'aws:RequestTag/CostCenter': 'cc-200' })).toBe('Denied');
    expect(await decide(stack, 'ec2:DeleteTags', { ...own, 'aws:TagKeys': ['CostCenter'] })).toBe('Denied');
    // retagging another cost center's resource to one's own value
    expect(await decide(stack, 'ec2:CreateTags', {
      'aws:PrincipalTag/CostCenter': 'cc-100', 'aws:ResourceTag/CostCenter': 'cc-200', 'aws:TagKeys': ['CostCenter'], 'aws:RequestTag/CostCenter': 'cc-100',
    })).toBe('Denied');
  });

  test('without tagActions or createActions, one statement', () => {
    expect(PrincipalTagPolicy.statements({ tagKey: 'Team', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'] })).toHaveLength(1);
  });

  describe('validation', () => {
    test.each([
      ['no action', { tagKey: 'Team', actions: [] }, /Invalid PrincipalTagPolicy 'statements' prop 'actions': the list is empty/],
      ['empty resources', { tagKey: 'Team', actions: ['ec2:StartInstances'], resources: [] }, /prop 'resources': the list is empty/],
      ['a bad tag key', { tagKey: 'cost center!', actions: ['ec2:StartInstances'] }, /prop 'tagKey': 'cost center!' is not a tag key/],
      ['every action', { tagKey: 'Team', actions: ['*'] }, /prop 'actions': '\*' names every action of every service/],
      ['every action of a service', { tagKey: 'Team', actions: ['ec2:StartInstances'], createActions: ['ec2:*'] }, /prop 'actions': 'ec2:\*' names every action of a service/],
    ])('%s', (_name, options, message) => {
      expect(() => PrincipalTagPolicy.statements(options as any)).toThrow(message);
    });
  });

  test('a token tag key is refused (it names condition keys); token actions and resources are accepted', () => {
    const { stack } = newInstanceStack();
    const key = new CfnParameter(stack, 'TagKey').valueAsString;
    expect(() => PrincipalTagPolicy.statements({ tagKey: key, actions: ['ec2:StartInstances'] }))
      .toThrow(/prop 'tagKey': the tag key is only known at deploy time/);
    const action = new CfnParameter(stack, 'Action').valueAsString;
    const resource = new CfnParameter(stack, 'Resource').valueAsString;
    const doc = stack.resolve(PrincipalTagPolicy.document({ tagKey: 'Team', actions: [action], resources: [resource] }).toJSON());
    expect(doc.Statement[0]).toMatchObject({ Action: { Ref: 'Action' }, Resource: { Ref: 'Resource' } });
  });
});
