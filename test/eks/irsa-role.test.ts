import { App, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { IrsaCluster, IrsaRole } from '../../src';
import { withoutDeprecationFailures } from '../support/deprecations';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { AssumeRequest, simulate, webIdentity } from '../support/simulate';
import { templateOf } from '../support/template';

const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const OTHER_ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/0000000000000000000000000000BEEF';
const PROVIDER = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${ISSUER}`;

function newStack(): Stack {
  return new Stack(new App(), 'Workloads', { env: TEST_ENV });
}

function podToken(sub: string, options: { issuer?: string; provider?: string; aud?: string } = {}): AssumeRequest {
  const issuer = options.issuer ?? ISSUER;
  return webIdentity(options.provider ?? `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${issuer}`, {
    [`${issuer}:aud`]: options.aud ?? 'sts.amazonaws.com',
    [`${issuer}:sub`]: sub,
  });
}

describe('IrsaRole', () => {
  test('trusts one cluster issuer for exact service accounts, audience sts.amazonaws.com', () => {
    const stack = newStack();
    new IrsaRole(stack, 'Reader', {
      clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)],
      serviceAccounts: [
        { serviceAccountNamespace: 'orders', serviceAccountName: 'reader' },
        { serviceAccountNamespace: 'billing', serviceAccountName: 'reader' },
      ],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRoleWithWebIdentity',
          Principal: { Federated: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${TEST_ACCOUNT}:oidc-provider/${ISSUER}`]] } },
          Condition: {
            StringEquals: {
              [`${ISSUER}:aud`]: 'sts.amazonaws.com',
              [`${ISSUER}:sub`]: ['system:serviceaccount:orders:reader', 'system:serviceaccount:billing:reader'],
            },
            StringLike: Match.absent(),
          },
        }],
      },
    });
  });

  describe('a cluster defined in the app: its issuer is only known at deploy time, so the condition keys go through CfnJson', () => {
    async function expectOnlyTheServiceAccount(stack: Stack, role: IrsaRole, provider: iam.IOpenIdConnectProvider): Promise<void> {
      const t = Template.fromStack(stack);
      t.resourceCountIs('Custom::AWSCDKCfnJson', 1);
      const clusters = { ...t.findResources('AWS::EKS::Cluster'), ...t.findResources('Custom::AWSCDK-EKS-Cluster') };
      expect(Object.keys(clusters)).toHaveLength(1);
      const providerId = stack.resolve(((provider as unknown as Construct).node.defaultChild as CfnResource).logicalId);
      const overrides = {
        [`${Object.keys(clusters)[0]}.OpenIdConnectIssuerUrl`]: `https://${ISSUER}`,
        [providerId]: PROVIDER,
        [`${providerId}.Arn`]: PROVIDER,
      };
      expect(await simulate(stack, role, podToken('system:serviceaccount:orders:reader'), overrides)).toBe('Allowed');
      expect(await simulate(stack, role, podToken('system:serviceaccount:orders:writer'), overrides)).toBe('Denied');
      expect(await simulate(stack, role, podToken('system:serviceaccount:orders:reader', { issuer: OTHER_ISSUER }), overrides)).toBe('Denied');
    }

    test('IrsaCluster.fromCluster on an aws-eks Cluster', async () => {
      // GIVEN
      const stack = newStack();
      const cluster = new eks.Cluster(stack, 'Cluster', {
        version: eks.KubernetesVersion.V1_32,
        kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', `arn:aws:lambda:us-east-1:${TEST_ACCOUNT}:layer:kubectl:1`),
      });
      // WHEN
      const role = new IrsaRole(stack, 'Reader', {
        clusters: [IrsaCluster.fromCluster(cluster)],
        serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
      });
      // THEN
      await expectOnlyTheServiceAccount(stack, role, cluster.openIdConnectProvider);
    });

    test('IrsaCluster.fromClusterV2 on an aws-eks-v2 Cluster', async () => {
      // GIVEN
      const stack = newStack();
      const cluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33 });
      // WHEN (aws-eks-v2's Cluster creates its provider with its own deprecated OpenIdConnectProvider)
      const role = await withoutDeprecationFailures(() => new IrsaRole(stack, 'Reader', {
        clusters: [IrsaCluster.fromClusterV2(cluster)],
        serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
      }));
      // THEN
      await expectOnlyTheServiceAccount(stack, role, cluster.openIdConnectProvider);
    });

    test('IrsaCluster.fromOpenIdConnectProvider on an aws-eks-v2 Cluster', async () => {
      const stack = newStack();
      const cluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33 });
      const role = await withoutDeprecationFailures(() => new IrsaRole(stack, 'Reader', {
        clusters: [IrsaCluster.fromOpenIdConnectProvider(cluster.openIdConnectProvider)],
        serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
      }));
      await expectOnlyTheServiceAccount(stack, role, cluster.openIdConnectProvider);
    });
  });

  test('an imported aws-eks cluster with its provider: token keys go through CfnJson', () => {
    const stack = newStack();
    const cluster = eks.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'prod',
      openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Provider', PROVIDER),
    });
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    new IrsaRole(stack, 'Reader', {
      clusters: [IrsaCluster.fromCluster(cluster), IrsaCluster.fromIssuerUrl(issuer, `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/other`)],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::AWSCDKCfnJson', 1);
    t.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Principal: { Federated: PROVIDER }, Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' } } },
          {
            Principal: { Federated: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/other` },
            Condition: { StringEquals: { 'Fn::GetAtt': [Match.stringLikeRegexp('TrustConditions1StringEquals'), 'Value'] } },
          },
        ],
      },
    });
  });

  test('an imported aws-eks-v2 cluster with its provider trusts that provider\'s issuer', () => {
    const stack = newStack();
    const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Cluster', {
      clusterName: 'prod',
      openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'Provider', PROVIDER),
    });
    new IrsaRole(stack, 'Reader', {
      clusters: [IrsaCluster.fromClusterV2(cluster)],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Federated: PROVIDER },
          Condition: { StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: 'system:serviceaccount:orders:reader' } },
        }],
      },
    });
  });

  test.each([
    ['aws-eks', 'fromCluster', (s: Stack) => IrsaCluster.fromCluster(eks.Cluster.fromClusterAttributes(s, 'Cluster', { clusterName: 'prod' }))],
    ['aws-eks-v2', 'fromClusterV2', (s: Stack) => IrsaCluster.fromClusterV2(eksv2.Cluster.fromClusterAttributes(s, 'Cluster', { clusterName: 'prod' }))],
  ])('an imported %s cluster without its provider fails with the house error naming the fix', (_kind, method, cluster) => {
    const stack = newStack();
    expect(() => new IrsaRole(stack, 'Reader', {
      clusters: [cluster(stack)],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
    })).toThrow(new RegExp(`^Invalid IrsaRole 'Workloads/Reader' prop 'clusters': the cluster 'Workloads/Cluster' given to IrsaCluster.${method} has no OpenID Connect provider .*; `
      + 'import it with openIdConnectProvider .*or give its issuer with IrsaCluster.fromIssuerUrl\\(url\\)'));
  });

  test('all service accounts of a namespace only by opt-in: StringLike on sub, aud stays StringEquals, with a warning', () => {
    const stack = newStack();
    new IrsaRole(stack, 'Team', { clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)], allServiceAccountsInNamespaces: ['team-a'] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
            StringLike: { [`${ISSUER}:sub`]: 'system:serviceaccount:team-a:*' },
          },
        }],
      },
    });
    Annotations.fromStack(stack).hasWarning('/Workloads/Team', Match.stringLikeRegexp('Every service account of the namespaces team-a'));
  });

  describe('a namespace chosen at deploy time (a token) keeps its subject a pattern', () => {
    let stack: Stack;
    let role: IrsaRole;
    beforeAll(() => {
      stack = newStack();
      const namespace = new CfnParameter(stack, 'Namespace').valueAsString;
      role = new IrsaRole(stack, 'Team', { clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)], allServiceAccountsInNamespaces: [namespace] });
    });

    test('StringLike on sub with the token and a literal *, aud stays StringEquals, and the warning names no token', () => {
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{
            Condition: {
              StringEquals: { [`${ISSUER}:aud`]: 'sts.amazonaws.com' },
              StringLike: { [`${ISSUER}:sub`]: { 'Fn::Join': ['', ['system:serviceaccount:', { Ref: 'Namespace' }, ':*']] } },
            },
          }],
        },
      });
      Annotations.fromStack(stack).hasWarning('/Workloads/Team', Match.stringLikeRegexp('^Every service account of the namespaces \\(one chosen at deploy time\\) can assume this role'));
    });

    test('every service account of the namespace is allowed, and those of other namespaces are denied', async () => {
      const overrides = { Namespace: 'team-a' };
      expect(await simulate(stack, role, podToken('system:serviceaccount:team-a:controller'), overrides)).toBe('Allowed');
      expect(await simulate(stack, role, podToken('system:serviceaccount:team-b:controller'), overrides)).toBe('Denied');
      expect(await simulate(stack, role, podToken('system:serviceaccount:team-ab:controller'), overrides)).toBe('Denied');
    });
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    new IrsaRole(stack, 'Reader', {
      clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)],
      serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
    });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('simulation', () => {
    let stack: Stack;
    let role: IrsaRole;
    beforeAll(() => {
      stack = newStack();
      role = new IrsaRole(stack, 'Reader', {
        clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)],
        serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }],
      });
    });

    test('the named service account is allowed', async () => {
      expect(await simulate(stack, role, podToken('system:serviceaccount:orders:reader'))).toBe('Allowed');
    });

    test.each([
      ['another service account', 'system:serviceaccount:orders:writer'],
      ['another namespace', 'system:serviceaccount:billing:reader'],
      ['a prefix trick', 'system:serviceaccount:orders:reader-admin'],
    ])('%s is denied', async (_name, sub) => {
      expect(await simulate(stack, role, podToken(sub))).toBe('Denied');
    });

    test('another cluster\'s issuer and another audience are denied', async () => {
      expect(await simulate(stack, role, podToken('system:serviceaccount:orders:reader', { issuer: OTHER_ISSUER }))).toBe('Denied');
      expect(await simulate(stack, role, podToken('system:serviceaccount:orders:reader', { aud: 'https://kubernetes.default.svc' }))).toBe('Denied');
    });
  });

  describe('validation', () => {
    const ok = [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)];
    const sa = [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader' }];
    test.each([
      ['no clusters', { clusters: [], serviceAccounts: sa },
        /Invalid IrsaRole 'Workloads\/Role' prop 'clusters': no cluster is given; pass IrsaCluster.fromCluster\(cluster\) \(aws-eks\), IrsaCluster.fromClusterV2\(cluster\) \(aws-eks-v2\), IrsaCluster.fromOpenIdConnectProvider\(provider\) or IrsaCluster.fromIssuerUrl\(url\)\./],
      ['no service accounts', { clusters: ok }, /prop 'serviceAccounts': no service account is given/],
      ['bad issuer', { clusters: [IrsaCluster.fromIssuerUrl('https://example.com/id/1')], serviceAccounts: sa }, /prop 'clusters': 'https:\/\/example.com\/id\/1' is not an EKS OIDC issuer URL/],
      ['provider of another issuer', { clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`, `arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${OTHER_ISSUER}`)], serviceAccounts: sa },
        /prop 'clusters': .* is not the provider of/],
      ['provider in another account than the role', { clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`, `arn:aws:iam::${OTHER_ACCOUNT}:oidc-provider/${ISSUER}`)], serviceAccounts: sa },
        /prop 'clusters': the OIDC provider is in account 333333333333, but the role is in 222222222222, and STS only accepts a provider of the role's own account; create \(or import with fromAccount\) the provider for the same issuer in account 222222222222/],
      ['same cluster twice', { clusters: [...ok, ...ok], serviceAccounts: sa }, /prop 'clusters': the same cluster is listed more than once/],
      ['bad namespace', { clusters: ok, serviceAccounts: [{ serviceAccountNamespace: 'Orders', serviceAccountName: 'reader' }] }, /prop 'serviceAccounts': 'Orders' is not a Kubernetes namespace name/],
      ['namespace too long', { clusters: ok, serviceAccounts: [{ serviceAccountNamespace: 'a'.repeat(64), serviceAccountName: 'r' }] }, /is not a Kubernetes namespace name/],
      ['bad service account', { clusters: ok, serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: 'reader_1' }] }, /'reader_1' is not a Kubernetes service account name/],
      ['duplicate pair', { clusters: ok, serviceAccounts: [...sa, ...sa] }, /the service account 'orders:reader' is listed more than once/],
      ['bad wildcard namespace', { clusters: ok, allServiceAccountsInNamespaces: ['*'] }, /prop 'allServiceAccountsInNamespaces': '\*' is not a Kubernetes namespace name/],
      ['maxTrustPolicySize above IAM\'s documented maximum', { clusters: ok, serviceAccounts: sa, maxTrustPolicySize: 10000 },
        /prop 'maxTrustPolicySize': 10000 is above 8192, the largest "Role trust policy length" quota IAM documents/],
    ])('%s', (_name, props, message) => {
      expect(() => new IrsaRole(newStack(), 'Role', props as any)).toThrow(message);
    });

    test.each([
      ['a wildcard after a deploy-time service account name', (s: Stack) => ({ serviceAccounts: [{ serviceAccountNamespace: 'orders', serviceAccountName: `${new CfnParameter(s, 'Sa').valueAsString}*` }] }),
        /prop 'serviceAccounts': '.*\*' has '\*' or '\?' around a value chosen at deploy time, but a Kubernetes service account name is an exact name/],
      ['a wildcard around a deploy-time namespace', (s: Stack) => ({ serviceAccounts: [{ serviceAccountNamespace: `team-?${new CfnParameter(s, 'Ns').valueAsString}`, serviceAccountName: 'reader' }] }),
        /prop 'serviceAccounts': 'team-\?.*' has '\*' or '\?' around a value chosen at deploy time, but a Kubernetes namespace is an exact name/],
      ['a wildcard in a deploy-time namespace of allServiceAccountsInNamespaces', (s: Stack) => ({ allServiceAccountsInNamespaces: [`team-${new CfnParameter(s, 'Ns').valueAsString}*`] }),
        /prop 'allServiceAccountsInNamespaces': .* has '\*' or '\?' around a value chosen at deploy time/],
    ])('%s is refused', (_name, props, message) => {
      const stack = newStack();
      expect(() => new IrsaRole(stack, 'Role', { clusters: ok, ...props(stack) })).toThrow(message);
    });

    test('many clusters times service accounts exceed the trust policy size', () => {
      const stack = newStack();
      const clusters = Array.from({ length: 12 }, (_, i) => IrsaCluster.fromIssuerUrl(`https://oidc.eks.us-east-1.amazonaws.com/id/${String(i).padStart(32, 'A')}`));
      const serviceAccounts = Array.from({ length: 6 }, (_, i) => ({ serviceAccountNamespace: `team-${i}`, serviceAccountName: 'controller' }));
      new IrsaRole(stack, 'Role', { clusters, serviceAccounts });
      expect(() => Template.fromStack(stack)).toThrow(/Invalid IrsaRole 'Workloads\/Role': the trust policy is about \d+ characters, over the maximum of 4096/);
    });
  });

  test('accepts tokens for the issuer, namespace and service account', () => {
    const stack = newStack();
    const ns = new CfnParameter(stack, 'Namespace').valueAsString;
    const name = new CfnParameter(stack, 'ServiceAccount').valueAsString;
    const issuer = new CfnParameter(stack, 'Issuer').valueAsString;
    new IrsaRole(stack, 'Role', { clusters: [IrsaCluster.fromIssuerUrl(issuer)], serviceAccounts: [{ serviceAccountNamespace: ns, serviceAccountName: name }] });
    Template.fromStack(stack).resourceCountIs('Custom::AWSCDKCfnJson', 1);
  });
});
