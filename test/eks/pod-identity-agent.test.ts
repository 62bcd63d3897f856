import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import { PodIdentityAgent } from '../../src';
import { TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

function newStack(): Stack {
  return new Stack(new App(), 'Platform', { env: TEST_ENV });
}

describe('PodIdentityAgent', () => {
  test('is the eks-pod-identity-agent add-on of the cluster', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const agent = PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), { addonVersion: 'v1.3.4-eksbuild.1' });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', {
      AddonName: 'eks-pod-identity-agent',
      ClusterName: 'prod',
      AddonVersion: 'v1.3.4-eksbuild.1',
      PreserveOnDelete: false,
    });
    expect(stack.resolve(agent.addonArn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^PodIdentityAgentprod/), 'Arn'] });
  });

  test('is idempotent per cluster, by construct and by name', () => {
    const stack = newStack();
    const first = PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'));
    const again = PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'ProdAgain', 'prod'));
    PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Dev', 'dev'));
    expect(again).toBe(first);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Addon', 2);
  });

  test('clusters whose names differ only by \'-\' or \'_\' get an agent each; a name of letters and digits keeps its id', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    const plain = PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Plain', 'mycluster'));
    const dashed = PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Dashed', 'my-cluster'));
    const underscored = PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Underscored', 'my_cluster'));
    // THEN
    expect(new Set([plain, dashed, underscored]).size).toBe(3);
    expect([plain, dashed, underscored].map(a => a.clusterName)).toEqual(['mycluster', 'my-cluster', 'my_cluster']);
    expect(plain.node.id).toBe('PodIdentityAgentmycluster');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::EKS::Addon', 3);
    for (const name of ['mycluster', 'my-cluster', 'my_cluster']) t.hasResourceProperties('AWS::EKS::Addon', { ClusterName: name });
    expect(PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'DashedAgain', 'my-cluster'))).toBe(dashed);
  });

  test('keeps its logical id when a mutable prop changes', () => {
    const ids = ['v1.3.4-eksbuild.1', 'v1.3.5-eksbuild.2'].map(version => {
      const stack = newStack();
      PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), { addonVersion: version });
      return Object.keys(Template.fromStack(stack).findResources('AWS::EKS::Addon'));
    });
    expect(ids[0]).toEqual(ids[1]);
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), { preserveOnDelete: true });
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('validation', () => {
    test('refuses a Fargate cluster', () => {
      const stack = newStack();
      const fargate = Object.create(eks.FargateCluster.prototype);
      Object.defineProperty(fargate, 'node', { value: { path: 'Platform/Serverless' } });
      Object.defineProperty(fargate, 'clusterRef', { value: { clusterName: 'serverless' } });
      // A real FargateCluster needs kubectl assets; a bare instance is enough for the type check.
      jest.spyOn(Stack, 'of').mockReturnValueOnce(stack);
      expect(() => PodIdentityAgent.of(fargate))
        .toThrow(/Invalid PodIdentityAgent 'Platform\/PodIdentityAgentserverless' prop 'cluster': Platform\/Serverless is a Fargate cluster, and the EKS Pod Identity agent does not run on Fargate/);
    });

    test('refuses a second, different version for the same cluster', () => {
      const stack = newStack();
      PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'), { addonVersion: 'v1.3.4-eksbuild.1' });
      expect(() => PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod2', 'prod'), { addonVersion: 'v1.3.5-eksbuild.2' }))
        .toThrow(/prop 'addonVersion': the cluster's agent already has version 'v1.3.4-eksbuild.1', not 'v1.3.5-eksbuild.2'/);
    });
  });

  test('refuses a second, different preserveOnDelete for the same cluster', () => {
    const stack = newStack();
    PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod', 'prod'));
    expect(PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod2', 'prod'), { preserveOnDelete: false })).toBeDefined();
    expect(() => PodIdentityAgent.of(eks.CfnCluster.fromClusterName(stack, 'Prod3', 'prod'), { preserveOnDelete: true }))
      .toThrow(/Invalid PodIdentityAgent 'Platform\/PodIdentityAgentprod' prop 'preserveOnDelete': the cluster's agent already has preserveOnDelete false, not true/);
  });

  test('accepts a token cluster name', () => {
    const stack = newStack();
    const name = new CfnParameter(stack, 'ClusterName').valueAsString;
    const cluster = eks.CfnCluster.fromClusterName(stack, 'Imported', name);
    expect(PodIdentityAgent.of(cluster)).toBe(PodIdentityAgent.of(cluster));
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::Addon', { ClusterName: { Ref: 'ClusterName' } });
  });
});

describe('PodIdentityAgent for a cluster defined in the app', () => {
  test('uses the cluster\'s own eksPodIdentityAgent add-on instead of a second one', () => {
    const stack = newStack();
    const cluster = new eksv2.Cluster(stack, 'Cluster', { version: eksv2.KubernetesVersion.V1_33 });
    const agent = PodIdentityAgent.of(cluster);
    expect(PodIdentityAgent.of(cluster)).toBe(agent);
    Template.fromStack(stack).resourceCountIs('AWS::EKS::Addon', 1);
    expect(stack.resolve(agent.addonArn)).toEqual(stack.resolve(cluster.eksPodIdentityAgent!.addonArn));
    expect(() => PodIdentityAgent.of(cluster, { addonVersion: 'v1.3.4-eksbuild.1' })).toThrow(/creates its own eks-pod-identity-agent add-on/);
  });
});
