import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ClusterAccess, CrossAccountRole } from '../../src';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, simulate } from '../support/simulate';
import { templateOf } from '../support/template';

function newStack(): Stack {
  return new Stack(new App(), 'Workloads', { env: TEST_ENV });
}

const view = (namespaces: string[]) => eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces });
const cluster = (stack: Stack) => eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod');

describe('ClusterAccess with Kubernetes groups and a username', () => {
  test('groups and a username go on the access entry; no access policy is needed with groups', () => {
    // GIVEN
    const stack = newStack();
    const role = new CrossAccountRole(stack, 'Operators', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/operators`], requireMfa: true });
    // WHEN
    new ClusterAccess(stack, 'OperatorsAccess', {
      cluster: cluster(stack),
      role,
      kubernetesGroups: ['platform-operators', 'orders-deployers'],
      username: 'operator:{{SessionName}}',
    });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod',
      Type: 'STANDARD',
      KubernetesGroups: ['platform-operators', 'orders-deployers'],
      Username: 'operator:{{SessionName}}',
      AccessPolicies: Match.absent(),
    });
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Action: 'eks:DescribeCluster' })] } });
    Annotations.fromStack(stack).hasNoWarning('/Workloads/OperatorsAccess', Match.anyValue());
  });

  test('groups next to access policies; without a username EKS generates one', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/readers`);
    new ClusterAccess(stack, 'Readers', { cluster: cluster(stack), role, accessPolicies: [view(['orders'])], kubernetesGroups: ['orders-readers'] });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      KubernetesGroups: ['orders-readers'],
      Username: Match.absent(),
      AccessPolicies: [Match.objectLike({ AccessScope: { Type: 'namespace', Namespaces: ['orders'] } })],
    });
  });

  test('a username without {{SessionName}} leaves a warning: every session would be one user', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/readers`);
    const prod = cluster(stack);
    new ClusterAccess(stack, 'Readers', { cluster: prod, role, kubernetesGroups: ['orders-readers'], username: 'orders-reader' });
    new ClusterAccess(stack, 'RawReaders', { cluster: prod, role, kubernetesGroups: ['orders-readers'], username: 'reader-{{SessionNameRaw}}' });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Workloads/Readers', Match.stringLikeRegexp("username 'orders-reader' has no \\{\\{SessionName\\}\\}.*cdk-access-patterns:accessEntryUsername"));
    annotations.hasNoWarning('/Workloads/RawReaders', Match.anyValue());
  });

  test('the role behind the entry: its trust lets the named operators in and nobody else', async () => {
    const stack = newStack();
    const role = new CrossAccountRole(stack, 'Operators', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/operators`], requireMfa: true });
    new ClusterAccess(stack, 'OperatorsAccess', { cluster: cluster(stack), role, kubernetesGroups: ['platform-operators'] });
    const mfa = { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' };
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/operators`, mfa))).toBe('Allowed');
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/developers`, mfa))).toBe('Denied');
    expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/operators`, mfa))).toBe('Denied');
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    const role = new CrossAccountRole(stack, 'Operators', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/operators`], requireMfa: true });
    new ClusterAccess(stack, 'OperatorsAccess', {
      cluster: cluster(stack), role, accessPolicies: [view(['orders'])], kubernetesGroups: ['orders-deployers'], username: 'operator:{{SessionName}}',
    });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('validation', () => {
    test.each([
      ['neither policies nor groups', {}, /Invalid ClusterAccess 'Workloads\/Access' prop 'accessPolicies': no access policy is given \(nor any Kubernetes group\)/],
      ['empty groups', { kubernetesGroups: [] }, /prop 'accessPolicies': no access policy is given \(nor any Kubernetes group\)/],
      ['system:masters', { kubernetesGroups: ['system:masters'] }, /prop 'kubernetesGroups': 'system:masters' is a Kubernetes system group .*no RBAC change can take back\); bind a group of your own/],
      ['another system group', { kubernetesGroups: ['ops', 'system:nodes'] }, /prop 'kubernetesGroups': 'system:nodes' is a Kubernetes system group/],
      ['an empty group name', { kubernetesGroups: [' '] }, /prop 'kubernetesGroups': a group name is empty/],
      ['a repeated group', { kubernetesGroups: ['ops', 'ops'] }, /prop 'kubernetesGroups': 'ops' is listed more than once/],
      ['username system:', { kubernetesGroups: ['ops'], username: 'system:admin' }, /prop 'username': 'system:admin' starts with 'system:', which EKS refuses/],
      ['username eks:', { kubernetesGroups: ['ops'], username: 'eks:{{SessionName}}' }, /prop 'username': 'eks:\{\{SessionName\}\}' starts with 'eks:'/],
      ['username aws:', { kubernetesGroups: ['ops'], username: 'aws:ops' }, /starts with 'aws:'/],
      ['username amazon:', { kubernetesGroups: ['ops'], username: 'amazon:ops' }, /starts with 'amazon:'/],
      ['username iam:', { kubernetesGroups: ['ops'], username: 'iam:ops' }, /starts with 'iam:'/],
      ['an empty username', { kubernetesGroups: ['ops'], username: '' }, /prop 'username': the username is empty/],
    ])('%s', (_name, props: { kubernetesGroups?: string[]; username?: string }, message) => {
      const stack = newStack();
      const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/ops`);
      expect(() => new ClusterAccess(stack, 'Access', { cluster: cluster(stack), role, ...props })).toThrow(message);
    });
  });

  test('accepts tokens for the groups and the username', () => {
    const stack = newStack();
    const group = new CfnParameter(stack, 'Group').valueAsString;
    const username = new CfnParameter(stack, 'Username').valueAsString;
    const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/ops`);
    new ClusterAccess(stack, 'Access', { cluster: cluster(stack), role, kubernetesGroups: [group], username });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', { KubernetesGroups: [{ Ref: 'Group' }], Username: { Ref: 'Username' } });
    Annotations.fromStack(stack).hasNoWarning('/Workloads/Access', Match.anyValue());
  });
});
