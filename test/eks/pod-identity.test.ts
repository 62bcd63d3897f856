import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { inlinePolicyDocument, simulateIdentity } from './identity-simulation';
import { CrossAccountRole, PodIdentityAssociation, PodIdentityRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, serviceCaller, simulate } from '../support/simulate';
import { templateOf } from '../support/template';

const CLUSTER_ARN = `arn:aws:eks:us-east-1:${TEST_ACCOUNT}:cluster/prod`;

function newStack(): Stack {
  return new Stack(new App(), 'Workloads', { env: TEST_ENV });
}

function eksSession(tags: Record<string, string>, options: { account?: string; action?: string } = {}) {
  const context: Record<string, string> = { 'aws:SourceAccount': options.account ?? TEST_ACCOUNT };
  for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
  return serviceCaller('pods.eks.amazonaws.com', context, options.action ?? 'sts:AssumeRole');
}

describe('PodIdentityRole', () => {
  test('trusts pods.eks.amazonaws.com for the source account with AssumeRole and TagSession', () => {
    const stack = newStack();
    new PodIdentityRole(stack, 'Reader');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Service: 'pods.eks.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } },
        }],
      },
    });
  });

  test('scopes by cluster and one statement per service account pair', () => {
    const stack = newStack();
    new PodIdentityRole(stack, 'Reader', {
      clusterArns: [CLUSTER_ARN],
      serviceAccounts: [
        { serviceAccountNamespace: 'orders', serviceAccountName: 'reader' },
        { serviceAccountNamespace: 'billing', serviceAccountName: 'writer' },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Condition: {
              StringEquals: {
                'aws:SourceAccount': TEST_ACCOUNT,
                'aws:RequestTag/eks-cluster-arn': CLUSTER_ARN,
                'aws:RequestTag/kubernetes-namespace': 'orders',
                'aws:RequestTag/kubernetes-service-account': 'reader',
              },
            },
          },
          { Condition: { StringEquals: Match.objectLike({ 'aws:RequestTag/kubernetes-namespace': 'billing', 'aws:RequestTag/kubernetes-service-account': 'writer' }) } },
        ],
      },
    });
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Reader', { serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }] });
    role.associate('ReaderAssociation', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader' });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('simulation', () => {
    let stack: Stack;
    let role: PodIdentityRole;
    const tags = { 'eks-cluster-arn': CLUSTER_ARN, 'kubernetes-namespace': 'orders', 'kubernetes-service-account': 'reader' };
    beforeAll(() => {
      stack = newStack();
      role = new PodIdentityRole(stack, 'Reader', {
        clusterArns: [CLUSTER_ARN],
        serviceAccounts: [
          { serviceAccountNamespace: 'orders', serviceAccountName: 'reader' },
          { serviceAccountNamespace: 'billing', serviceAccountName: 'writer' },
        ],
      });
    });

    test('the named service account is allowed, for AssumeRole and TagSession', async () => {
      expect(await simulate(stack, role, eksSession(tags))).toBe('Allowed');
      expect(await simulate(stack, role, eksSession(tags, { action: 'sts:TagSession' }))).toBe('Allowed');
    });

    test.each([
      ['another service account', { ...tags, 'kubernetes-service-account': 'writer' }],
      ['another namespace', { ...tags, 'kubernetes-namespace': 'payments' }],
      ['another cluster', { ...tags, 'eks-cluster-arn': `arn:aws:eks:us-east-1:${TEST_ACCOUNT}:cluster/dev` }],
      ['a missing session tag (kubernetes-service-account)', { 'eks-cluster-arn': CLUSTER_ARN, 'kubernetes-namespace': 'orders' }],
      ['a missing session tag (eks-cluster-arn)', { 'kubernetes-namespace': 'orders', 'kubernetes-service-account': 'reader' }],
      ['a missing session tag (kubernetes-namespace)', { 'eks-cluster-arn': CLUSTER_ARN, 'kubernetes-service-account': 'reader' }],
    ])('%s is denied', async (_name, t) => {
      expect(await simulate(stack, role, eksSession(t))).toBe('Denied');
    });

    test('another account (aws:SourceAccount) is denied', async () => {
      expect(await simulate(stack, role, eksSession(tags, { account: OTHER_ACCOUNT }))).toBe('Denied');
    });

    test('the second pair is allowed too', async () => {
      expect(await simulate(stack, role, eksSession({ ...tags, 'kubernetes-namespace': 'billing', 'kubernetes-service-account': 'writer' }))).toBe('Allowed');
    });
  });

  describe('validation', () => {
    test.each([
      ['source account', { sourceAccount: '1' }, /Invalid PodIdentityRole 'Workloads\/Role' prop 'sourceAccount': '1' is not a 12-digit AWS account id/],
      ['empty cluster list', { clusterArns: [] }, /prop 'clusterArns': the list is empty/],
      ['cluster ARN', { clusterArns: ['arn:aws:eks:us-east-1:222222222222:nodegroup/prod/x'] }, /prop 'clusterArns': .* is not a valid eks ARN/],
      ['empty service accounts', { serviceAccounts: [] }, /prop 'serviceAccounts': the list is empty/],
      ['bad service account', { serviceAccounts: [{ serviceAccountNamespace: 'kube_system', serviceAccountName: 'x' }] }, /'kube_system' is not a Kubernetes namespace name/],
      ['a cluster of another account than the role\'s', { clusterArns: [`arn:aws:eks:us-east-1:${OTHER_ACCOUNT}:cluster/prod`] },
        new RegExp(`Invalid PodIdentityRole 'Workloads/Role' prop 'clusterArns': the cluster 'arn:aws:eks:us-east-1:${OTHER_ACCOUNT}:cluster/prod' is in account ${OTHER_ACCOUNT}, `
          + `but the trust requires aws:SourceAccount ${TEST_ACCOUNT} \\(the role's account\\), and EKS sets aws:SourceAccount to the cluster's account, so the trust could never match; list clusters of account ${TEST_ACCOUNT}`)],
      ['a cluster of another account than sourceAccount', { sourceAccount: OTHER_ACCOUNT, clusterArns: [CLUSTER_ARN] },
        new RegExp(`prop 'clusterArns': the cluster .* is in account ${TEST_ACCOUNT}, but the trust requires aws:SourceAccount ${OTHER_ACCOUNT} \\(sourceAccount\\)`)],
      ['maxTrustPolicySize above IAM\'s documented maximum', { maxTrustPolicySize: 8193 }, /prop 'maxTrustPolicySize': 8193 is above 8192/],
    ])('%s', (_name, props, message) => {
      expect(() => new PodIdentityRole(newStack(), 'Role', props as any)).toThrow(message);
    });

    test('a cluster ARN with tokens: its written-out account is compared, and no wildcard may surround the tokens', () => {
      const stack = newStack();
      const otherAccount = stack.formatArn({ service: 'eks', account: OTHER_ACCOUNT, resource: 'cluster', resourceName: 'prod' });
      expect(() => new PodIdentityRole(stack, 'Other', { clusterArns: [otherAccount] }))
        .toThrow(new RegExp(`prop 'clusterArns': the cluster .* is in account ${OTHER_ACCOUNT}, but the trust requires aws:SourceAccount ${TEST_ACCOUNT}`));
      const anyCluster = stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: '*' });
      expect(() => new PodIdentityRole(stack, 'Any', { clusterArns: [anyCluster] }))
        .toThrow(/prop 'clusterArns': .* has '\*' or '\?' around a value chosen at deploy time, but the eks-cluster-arn tag is compared exactly/);
      // Tokens in the account field or for the whole ARN are not compared.
      new PodIdentityRole(stack, 'Same', { clusterArns: [stack.formatArn({ service: 'eks', resource: 'cluster', resourceName: 'prod' })] });
      new PodIdentityRole(stack, 'Deferred', { clusterArns: [stack.formatArn({ service: 'eks', account: new CfnParameter(stack, 'Account').valueAsString, resource: 'cluster', resourceName: 'prod' })] });
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 2);
    });
  });

  test('accepts tokens for account, cluster ARN and service account', () => {
    const stack = newStack();
    new PodIdentityRole(stack, 'Role', {
      sourceAccount: new CfnParameter(stack, 'Account').valueAsString,
      clusterArns: [new CfnParameter(stack, 'ClusterArn').valueAsString],
      serviceAccounts: [{ serviceAccountNamespace: new CfnParameter(stack, 'Ns').valueAsString, serviceAccountName: 'reader' }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: Match.objectLike({ 'aws:SourceAccount': { Ref: 'Account' } }) } }] },
    });
  });
});

describe('PodIdentityAssociation', () => {
  test('is an AWS::EKS::PodIdentityAssociation for a cluster name and service account', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Reader');
    const association = new PodIdentityAssociation(stack, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      ClusterName: 'prod',
      Namespace: 'orders',
      ServiceAccount: 'reader',
      RoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Reader'), 'Arn'] },
      TargetRoleArn: Match.absent(),
    });
    expect(stack.resolve(association.externalId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Assoc/), 'ExternalId'] });
    expect(stack.resolve(association.associationArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Assoc/), 'AssociationArn'] });
  });

  test('cross-account: the target role of the same environment must require the association\'s external id', async () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Source');
    const target = new CrossAccountRole(stack, 'Target', { roleName: 'orders-data', trustedRoleArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/ops`], requireMfa: true });
    new PodIdentityAssociation(stack, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: target });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      TargetRoleArn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:role/orders-data`]] },
    });
    const assocId = Object.keys(t.findResources('AWS::EKS::PodIdentityAssociation'))[0];
    const sourceId = Object.keys(t.findResources('AWS::IAM::Role')).find(k => k.startsWith('Source'))!;
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([{
          Effect: 'Allow',
          Principal: { AWS: { 'Fn::GetAtt': [sourceId, 'Arn'] } },
          Action: ['sts:AssumeRole', 'sts:TagSession'],
          Condition: { StringEquals: { 'sts:ExternalId': { 'Fn::GetAtt': [assocId, 'ExternalId'] } } },
        }]),
      },
    });
    // Through the pattern role's trust builder, which validates and measures the policy:
    expect(JSON.stringify((target as any).trust.toStatementsJson())).toContain('sts:ExternalId');
    const overrides = { [`${assocId}.ExternalId`]: 'ext-1234' };
    // No cycle: the association names the role by its built ARN.
    const targetId = Object.keys(t.findResources('AWS::IAM::Role')).find(k => k.startsWith('Target'))!;
    expect(JSON.stringify(t.toJSON().Resources[assocId])).not.toContain(targetId);
    const session = `arn:aws:iam::${TEST_ACCOUNT}:role/${sourceId}`;
    expect(await simulate(stack, target, awsCaller(session, { 'sts:ExternalId': 'ext-1234' }), overrides)).toBe('Allowed');
    expect(await simulate(stack, target, awsCaller(session, { 'sts:ExternalId': 'ext-9999' }), overrides)).toBe('Denied');
    expect(await simulate(stack, target, awsCaller(session), overrides)).toBe('Denied');
  });

  describe('role chaining: the association\'s role may assume the target role', () => {
    const reader = `arn:aws:iam::${OTHER_ACCOUNT}:role/data-reader`;
    test('a target role of another account: sts:AssumeRole and sts:TagSession on exactly that role', async () => {
      // GIVEN
      const stack = newStack();
      const role = new PodIdentityRole(stack, 'Source');
      // WHEN
      new PodIdentityAssociation(stack, 'Assoc', {
        clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: iam.Role.fromRoleArn(stack, 'Target', reader),
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: reader }] },
        Roles: [{ Ref: Match.stringLikeRegexp('^Source') }],
      });
      const document = inlinePolicyDocument(stack, role);
      expect(await simulateIdentity(document, 'sts:AssumeRole', reader)).toBe('Allowed');
      expect(await simulateIdentity(document, 'sts:TagSession', reader)).toBe('Allowed');
      expect(await simulateIdentity(document, 'sts:AssumeRole', `arn:aws:iam::${OTHER_ACCOUNT}:role/data-admin`)).toBe('Denied');
    });

    test('without session tags, sts:AssumeRole only', async () => {
      const stack = newStack();
      const role = new PodIdentityRole(stack, 'Source');
      new PodIdentityAssociation(stack, 'Assoc', {
        clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: iam.Role.fromRoleArn(stack, 'Target', reader), disableSessionTags: true,
      });
      const document = inlinePolicyDocument(stack, role);
      expect(await simulateIdentity(document, 'sts:AssumeRole', reader)).toBe('Allowed');
      expect(await simulateIdentity(document, 'sts:TagSession', reader)).toBe('Denied');
    });

    test('a target role of this app: on its built ARN, and a plain iam.Role gets the trust statement too', async () => {
      const stack = newStack();
      const role = new PodIdentityRole(stack, 'Source');
      const target = new iam.Role(stack, 'Target', { roleName: 'orders-data', assumedBy: new iam.AccountPrincipal(OTHER_ACCOUNT) });
      new PodIdentityAssociation(stack, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: target });
      const t = Template.fromStack(stack);
      const assocId = Object.keys(t.findResources('AWS::EKS::PodIdentityAssociation'))[0];
      t.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'orders-data',
        AssumeRolePolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: ['sts:AssumeRole', 'sts:TagSession'],
            Condition: { StringEquals: { 'sts:ExternalId': { 'Fn::GetAtt': [assocId, 'ExternalId'] } } },
          })]),
        },
      });
      const document = inlinePolicyDocument(stack, role);
      expect(await simulateIdentity(document, 'sts:AssumeRole', `arn:aws:iam::${TEST_ACCOUNT}:role/orders-data`)).toBe('Allowed');
      expect(await simulateIdentity(document, 'sts:AssumeRole', `arn:aws:iam::${TEST_ACCOUNT}:role/orders-admin`)).toBe('Denied');
    });
  });

  test('a target role of this app without a fixed name is refused, naming the cycle', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Source');
    const target = new CrossAccountRole(stack, 'Target', { trustedRoleArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/ops`], requireMfa: true });
    expect(() => new PodIdentityAssociation(stack, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: target }))
      .toThrow(/Invalid PodIdentityAssociation 'Workloads\/Assoc' prop 'targetRole': Workloads\/Target has no fixed roleName.*give the target role a roleName/);
  });

  test('a target role out of reach gets a warning instead of a silent gap', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Source');
    const target = iam.Role.fromRoleArn(stack, 'Target', `arn:aws:iam::${OTHER_ACCOUNT}:role/data-reader`);
    new PodIdentityAssociation(stack, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role, targetRole: target, disableSessionTags: true });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', {
      TargetRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/data-reader`,
      DisableSessionTags: true,
    });
    Annotations.fromStack(stack).hasWarning('/Workloads/Assoc', Match.stringLikeRegexp('must trust the association\'s role with sts:AssumeRole and sts:TagSession, requiring sts:ExternalId'));
  });

  test('takes an aws-eks cluster and refuses a Fargate cluster', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Source');
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'prod' });
    new PodIdentityAssociation(stack, 'Assoc', { cluster, serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'prod' });

    const fargate = Object.create(eks.FargateCluster.prototype);
    Object.defineProperty(fargate, 'node', { value: { path: 'Workloads/Serverless' } });
    expect(() => new PodIdentityAssociation(newStack(), 'Assoc', { cluster: fargate, serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role }))
      .toThrow(/Invalid PodIdentityAssociation 'Workloads\/Assoc' prop 'cluster': Workloads\/Serverless is a Fargate cluster, and EKS Pod Identity does not run on Fargate/);
  });

  describe('validation', () => {
    const base = { serviceAccountNamespace: 'orders', serviceAccountName: 'reader' };
    test.each([
      ['no cluster', { ...base }, /prop 'cluster': neither cluster nor clusterName is set/],
      ['bad cluster name', { ...base, clusterName: '-prod' }, /prop 'clusterName': '-prod' is not an EKS cluster name/],
      ['bad namespace', { ...base, clusterName: 'prod', serviceAccountNamespace: 'Orders' }, /prop 'serviceAccountNamespace': 'Orders' is not a Kubernetes namespace name/],
      ['bad service account', { ...base, clusterName: 'prod', serviceAccountName: 'a/b' }, /prop 'serviceAccountName': 'a\/b' is not a Kubernetes service account name/],
    ])('%s', (_name, props, message) => {
      const stack = newStack();
      const role = new PodIdentityRole(stack, 'Source');
      expect(() => new PodIdentityAssociation(stack, 'Assoc', { ...props, role } as any)).toThrow(message);
    });
  });

  describe('an association the PodIdentityRole\'s trust would refuse fails at synth', () => {
    const scoped = (stack: Stack) => new PodIdentityRole(stack, 'Source', {
      clusterArns: [CLUSTER_ARN],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
    });
    const base = { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader' };
    test.each([
      ['no session tags for a role scoped by clusters', { ...base, disableSessionTags: true },
        /Invalid PodIdentityAssociation 'Workloads\/Source\/Assoc' prop 'disableSessionTags': Workloads\/Source admits only sessions tagged with its clusterArns/],
      ['a service account the role does not list', { ...base, serviceAccountName: 'writer' },
        /prop 'serviceAccountName': 'orders:writer' is not among the serviceAccounts of Workloads\/Source \('orders:reader'\)/],
      ['a namespace the role does not list', { ...base, serviceAccountNamespace: 'billing' }, /prop 'serviceAccountName': 'billing:reader' is not among the serviceAccounts/],
      ['a cluster the role does not list', { ...base, clusterName: 'dev' },
        /prop 'clusterName': the cluster 'dev' \(us-east-1, \d{12}\) is not among the clusterArns of Workloads\/Source/],
    ])('%s', (_name, options, message) => {
      const stack = newStack();
      expect(() => scoped(stack).associate('Assoc', options)).toThrow(message);
    });

    test('no session tags for a role scoped by service accounts only', () => {
      const stack = newStack();
      const role = new PodIdentityRole(stack, 'Source', { serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }] });
      expect(() => role.associate('Assoc', { ...base, disableSessionTags: true })).toThrow(/prop 'disableSessionTags': .* tagged with its serviceAccounts/);
    });

    test('a cluster of another account than the role\'s aws:SourceAccount, by name (the association\'s account) or by ARN', () => {
      // GIVEN a role whose trust admits sessions of account TEST_ACCOUNT only
      const app = new App();
      const roles = new Stack(app, 'Roles', { env: TEST_ENV });
      const role = new PodIdentityRole(roles, 'Source');
      // WHEN the association lives in another account
      const other = new Stack(app, 'Other', { env: { account: OTHER_ACCOUNT, region: 'us-east-1' } });
      // THEN
      expect(() => new PodIdentityAssociation(other, 'Assoc', { clusterName: 'prod', serviceAccountNamespace: 'orders', serviceAccountName: 'reader', role }))
        .toThrow(new RegExp(`Invalid PodIdentityAssociation 'Other/Assoc' prop 'clusterName': the cluster 'prod' is in account ${OTHER_ACCOUNT} \\(the association's account\\), `
          + `but the trust of Roles/Source requires aws:SourceAccount ${TEST_ACCOUNT}, and EKS sets aws:SourceAccount to the cluster's account, so EKS could never assume the role`));
      // ... or the cluster is given with an ARN of another account
      const stack = newStack();
      const unscoped = new PodIdentityRole(stack, 'Source');
      const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'prod' });
      Object.defineProperty(cluster, 'clusterRef', { value: { clusterName: 'prod', clusterArn: `arn:aws:eks:us-east-1:${OTHER_ACCOUNT}:cluster/prod` } });
      expect(() => unscoped.associate('Assoc', { cluster, serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }))
        .toThrow(new RegExp(`prop 'cluster': the cluster 'prod' is in account ${OTHER_ACCOUNT} \\(its ARN '.*'\\), but the trust of Workloads/Source requires aws:SourceAccount ${TEST_ACCOUNT}`));
    });

    test('accounts that are tokens are not compared', () => {
      // (checked when the association is created; these cross-environment apps are not synthesized)
      const app = new App();
      const roles = new Stack(app, 'Roles', { env: TEST_ENV });
      const anywhere = new Stack(app, 'Anywhere');
      const elsewhere = new Stack(app, 'Elsewhere', { env: { account: OTHER_ACCOUNT, region: 'us-east-1' } });
      expect(() => new PodIdentityAssociation(anywhere, 'Assoc', { ...base, role: new PodIdentityRole(roles, 'Source') })).not.toThrow();
      expect(() => new PodIdentityAssociation(elsewhere, 'Assoc', { ...base, role: new PodIdentityRole(anywhere, 'Deferred') })).not.toThrow();
    });

    test('a cluster of another account, by construct', () => {
      const stack = newStack();
      const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Cluster', { clusterName: 'prod' });
      Object.defineProperty(cluster, 'clusterRef', { value: { clusterName: 'prod', clusterArn: `arn:aws:eks:us-east-1:${OTHER_ACCOUNT}:cluster/prod` } });
      expect(() => scoped(stack).associate('Assoc', { cluster, serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }))
        .toThrow(new RegExp(`prop 'cluster': the cluster 'prod' \\(us-east-1, ${OTHER_ACCOUNT}\\) is not among the clusterArns`));
    });

    test('the listed cluster and service account, and any association for an unscoped role or a plain iam.Role, pass', () => {
      const stack = newStack();
      scoped(stack).associate('Assoc', base);
      new PodIdentityRole(stack, 'Open').associate('Assoc', { ...base, serviceAccountName: 'writer', clusterName: 'dev', disableSessionTags: true });
      const plain = new iam.Role(stack, 'Plain', { assumedBy: new iam.ServicePrincipal('pods.eks.amazonaws.com') });
      new PodIdentityAssociation(stack, 'PlainAssoc', { ...base, serviceAccountName: 'writer', role: plain, disableSessionTags: true });
      Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 3);
    });

    test('tokens are not compared', () => {
      const stack = newStack();
      const role = new PodIdentityRole(stack, 'Source', {
        clusterArns: [new CfnParameter(stack, 'ClusterArn').valueAsString],
        serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: new CfnParameter(stack, 'Sa').valueAsString }],
      });
      role.associate('Assoc', { ...base, serviceAccountName: 'writer', clusterName: 'dev' });
      const other = newStack();
      scoped(other).associate('Assoc', { ...base, clusterName: new CfnParameter(other, 'Cluster').valueAsString, serviceAccountName: new CfnParameter(other, 'Name').valueAsString });
      Template.fromStack(stack).resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
      Template.fromStack(other).resourceCountIs('AWS::EKS::PodIdentityAssociation', 1);
    });
  });

  test('accepts tokens for the cluster name and service account', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Source');
    new PodIdentityAssociation(stack, 'Assoc', {
      clusterName: new CfnParameter(stack, 'Cluster').valueAsString,
      serviceAccountNamespace: new CfnParameter(stack, 'Ns').valueAsString,
      serviceAccountName: new CfnParameter(stack, 'Sa').valueAsString,
      role,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: { Ref: 'Cluster' }, Namespace: { Ref: 'Ns' } });
  });
});

describe('PodIdentityAssociation with an aws-eks-v2 cluster', () => {
  test('takes the cluster of this app and refuses an aws-eks-v2 Fargate cluster', () => {
    const stack = newStack();
    const role = new PodIdentityRole(stack, 'Source');
    const cluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33 });
    role.associate('Assoc', { cluster, serviceAccountNamespace: 'orders', serviceAccountName: 'reader' });
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: { Ref: Match.stringLikeRegexp('^Cluster') } });

    const fargate = Object.create(eksv2.FargateCluster.prototype);
    Object.defineProperty(fargate, 'node', { value: { path: 'Workloads/Serverless' } });
    expect(() => role.associate('Assoc2', { cluster: fargate, serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }))
      .toThrow(/prop 'cluster': Workloads\/Serverless is a Fargate cluster/);
  });
});
