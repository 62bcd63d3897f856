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
const clusterAdmin = eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSClusterAdminPolicy', { accessScopeType: eksv2.AccessScopeType.CLUSTER });

describe('ClusterAccess', () => {
  test('an access entry for the role with namespace-scoped policies, and eks:DescribeCluster for update-kubeconfig', () => {
    // GIVEN
    const stack = newStack();
    const role = new CrossAccountRole(stack, 'OrdersReaders', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/developers`], requireMfa: true });
    // WHEN
    new ClusterAccess(stack, 'OrdersAccess', { cluster: eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), role, accessPolicies: [view(['orders', 'billing'])] });
    // THEN
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: 'prod',
      PrincipalArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OrdersReaders'), 'Arn'] },
      Type: 'STANDARD',
      AccessPolicies: [{
        AccessScope: { Type: 'namespace', Namespaces: ['orders', 'billing'] },
        PolicyArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':eks::aws:cluster-access-policy/AmazonEKSViewPolicy']] },
      }],
    });
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'eks:DescribeCluster', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:eks:us-east-1:${TEST_ACCOUNT}:cluster/prod`]] } }] },
      Roles: [{ Ref: Match.stringLikeRegexp('^OrdersReaders') }],
    });
  });

  test('seed: an administrator of account A manages the cluster of account B through a cross-account role', async () => {
    const stack = newStack();
    const admin = new CrossAccountRole(stack, 'ClusterAdmin', {
      trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/platform-admins`],
      requireMfa: true,
    });
    new ClusterAccess(stack, 'AdminAccess', {
      cluster: eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'),
      role: admin,
      accessPolicies: [clusterAdmin],
      allowClusterAdmin: true,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      AccessPolicies: [{ AccessScope: { Type: 'cluster' }, PolicyArn: Match.anyValue() }],
    });
    Annotations.fromStack(stack).hasWarning('/Workloads/AdminAccess', Match.stringLikeRegexp('gets full control of the cluster'));
    // The trust of the role the administrator assumes before update-kubeconfig:
    const caller = `arn:aws:iam::${CALLER_ACCOUNT}:role/platform-admins`;
    expect(await simulate(stack, admin, awsCaller(caller, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' }))).toBe('Allowed');
    expect(await simulate(stack, admin, awsCaller(caller, { 'aws:MultiFactorAuthPresent': 'false' }))).toBe('Denied');
    expect(await simulate(stack, admin, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/platform-admins`, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' }))).toBe('Denied');
  });

  test('a role of another account or an Identity Center role, by ARN; no policy is added to an imported role', () => {
    const stack = newStack();
    const sso = iam.Role.fromRoleArn(stack, 'Sso',
      `arn:aws:iam::${TEST_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_PlatformViewer_0123456789abcdef`, { mutable: false });
    const foreign = iam.Role.fromRoleArn(stack, 'Foreign', `arn:aws:iam::${OTHER_ACCOUNT}:role/auditors`);
    const cluster = eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod');
    new ClusterAccess(stack, 'Viewers', { cluster, role: sso, accessPolicies: [view(['orders'])] });
    new ClusterAccess(stack, 'Auditors', { cluster, role: foreign, accessPolicies: [view(['orders'])] });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: Match.stringLikeRegexp('role/aws-reserved/sso.amazonaws.com/us-east-1/AWSReservedSSO_PlatformViewer') });
    t.hasResourceProperties('AWS::EKS::AccessEntry', { PrincipalArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/auditors` });
    t.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('edit in kube-system with allowClusterAdmin is accepted with the cluster-admin warning; view in kube-system needs no opt-in', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/operators`);
    const cluster = eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod');
    new ClusterAccess(stack, 'Operators', {
      cluster,
      role,
      allowClusterAdmin: true,
      accessPolicies: [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['kube-system'] })],
    });
    new ClusterAccess(stack, 'Viewers', { cluster, role, accessPolicies: [view(['kube-system'])] });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Workloads/Operators', Match.stringLikeRegexp('gets full control of the cluster'));
    annotations.hasNoWarning('/Workloads/Viewers', Match.anyValue());
  });

  test('AmazonEKSAdminViewPolicy at cluster scope leaves a warning: it reads every Secret', () => {
    const stack = newStack();
    const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/auditors`);
    const cluster = eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod');
    new ClusterAccess(stack, 'Auditors', {
      cluster, role, accessPolicies: [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSAdminViewPolicy', { accessScopeType: eksv2.AccessScopeType.CLUSTER })],
    });
    new ClusterAccess(stack, 'OrdersAuditors', {
      cluster, role, accessPolicies: [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSAdminViewPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['orders'] })],
    });
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/Workloads/Auditors', Match.stringLikeRegexp('AmazonEKSAdminViewPolicy at cluster scope, which reads every Secret'));
    annotations.hasNoWarning('/Workloads/OrdersAuditors', Match.anyValue());
  });

  test('keeps the access entry logical id when the policies change', () => {
    const ids = [[view(['orders'])], [view(['orders', 'billing'])]].map(accessPolicies => {
      const stack = newStack();
      const role = iam.Role.fromRoleArn(stack, 'R', `arn:aws:iam::${TEST_ACCOUNT}:role/readers`);
      new ClusterAccess(stack, 'Access', { cluster: eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), role, accessPolicies });
      return Object.keys(Template.fromStack(stack).findResources('AWS::EKS::AccessEntry'));
    });
    expect(ids[0]).toEqual(ids[1]);
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    const role = new CrossAccountRole(stack, 'OrdersReaders', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/developers`], requireMfa: true });
    new ClusterAccess(stack, 'OrdersAccess', { cluster: eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), role, accessPolicies: [view(['orders'])] });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('validation', () => {
    const role = (stack: Stack, arn = `arn:aws:iam::${TEST_ACCOUNT}:role/readers`) => iam.Role.fromRoleArn(stack, 'R', arn);
    test.each([
      ['no policy', {}, [], /Invalid ClusterAccess 'Workloads\/Access' prop 'accessPolicies': no access policy is given/],
      ['cluster admin without opt-in', {}, [clusterAdmin], /prop 'accessPolicies': 'AmazonEKSClusterAdminPolicy' at cluster scope gives full control of the cluster; .*allowClusterAdmin: true/],
      ['admin at cluster scope without opt-in', {}, [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSAdminPolicy', { accessScopeType: eksv2.AccessScopeType.CLUSTER })], /'AmazonEKSAdminPolicy' at cluster scope/],
      ['admin in kube-system without opt-in', {}, [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSAdminPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['orders', 'kube-system'] })],
        /prop 'accessPolicies': 'AmazonEKSAdminPolicy' in the 'kube-system' namespace gives full control of the cluster.*allowClusterAdmin: true/],
      ['edit in kube-system without opt-in', {}, [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSEditPolicy', { accessScopeType: eksv2.AccessScopeType.NAMESPACE, namespaces: ['kube-system'] })],
        /prop 'accessPolicies': 'AmazonEKSEditPolicy' in the 'kube-system' namespace gives full control of the cluster/],
      ['namespace scope without namespaces', {}, [view([])], /'AmazonEKSViewPolicy' has namespace scope but no namespace/],
      ['bad namespace', {}, [view(['Orders'])], /prop 'accessPolicies': 'Orders' is not a Kubernetes namespace name/],
      ['duplicate namespace', {}, [view(['orders', 'orders'])], /'orders' is listed more than once/],
      ['duplicate policy', {}, [view(['orders']), view(['billing'])], /'AmazonEKSViewPolicy' is listed more than once/],
      ['cluster scope with namespaces', {}, [eksv2.AccessPolicy.fromAccessPolicyName('AmazonEKSViewPolicy', { accessScopeType: eksv2.AccessScopeType.CLUSTER, namespaces: ['orders'] })],
        /'AmazonEKSViewPolicy' has cluster scope and namespaces 'orders'/],
      ['an STS session', { arn: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/readers/alice` }, [view(['orders'])], /prop 'role': .* is an STS session, which an access entry cannot name/],
      ['not a role', { arn: `arn:aws:iam::${TEST_ACCOUNT}:user/alice` }, [view(['orders'])], /prop 'role': .* is not a valid iam ARN/],
    ])('%s', (_name, options: { arn?: string }, accessPolicies, message) => {
      const stack = newStack();
      expect(() => new ClusterAccess(stack, 'Access', { cluster: eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), role: role(stack, options.arn), accessPolicies }))
        .toThrow(message);
    });
  });

  test('accepts tokens for the cluster name, role and namespaces', () => {
    const stack = newStack();
    const ns = new CfnParameter(stack, 'Namespace').valueAsString;
    const role = iam.Role.fromRoleArn(stack, 'R', new CfnParameter(stack, 'RoleArn').valueAsString);
    const cluster = eks.CfnCluster.fromClusterName(stack, 'Cluster', new CfnParameter(stack, 'ClusterName').valueAsString);
    new ClusterAccess(stack, 'Access', { cluster, role, accessPolicies: [view([ns])] });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::AccessEntry', {
      ClusterName: { Ref: 'ClusterName' },
      PrincipalArn: { Ref: 'RoleArn' },
      AccessPolicies: [{ AccessScope: { Namespaces: [{ Ref: 'Namespace' }] } }],
    });
  });
});
