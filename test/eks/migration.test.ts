import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { simulateIdentity } from './identity-simulation';
import { AddonPolicy, IrsaCluster, IrsaRole, PodIdentityRole } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { serviceCaller, simulate, webIdentity } from '../support/simulate';
import { resolveIntrinsics, templateOf } from '../support/template';

const ISSUER = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const SA = { serviceAccountNamespace: 'orders', serviceAccountName: 'reader' };

/** The identity policies of a role: its managed policy references and its inline statements, with the role's own name masked. */
function identityPoliciesOf(stack: Stack, role: iam.Role): any {
  const template = templateOf(stack);
  const roleId = stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId);
  const inline = Object.values(template.Resources)
    .filter(r => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(r => resolveIntrinsics(template, r.Properties.PolicyDocument.Statement));
  const managed = Object.values(template.Resources)
    .filter(r => r.Type === 'AWS::IAM::ManagedPolicy' && JSON.stringify(r.Properties.Roles ?? []).includes(roleId))
    .flatMap(r => resolveIntrinsics(template, r.Properties.PolicyDocument.Statement));
  return { attached: template.Resources[roleId].Properties.ManagedPolicyArns ?? [], inline, managed };
}

describe('migrating from IrsaRole to PodIdentityRole', () => {
  // GIVEN the workload's permissions, defined once
  function migrate() {
    const stack = new Stack(new App(), 'Workloads', { env: TEST_ENV });
    const bucket = s3.Bucket.fromBucketName(stack, 'Orders', 'orders-data');
    const shared = new iam.ManagedPolicy(stack, 'OrdersReader', {
      statements: [new iam.PolicyStatement({ actions: ['sqs:ReceiveMessage'], resources: [`arn:aws:sqs:us-east-1:${TEST_ACCOUNT}:orders`] })],
    });
    const permissions = (role: iam.Role) => {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:DeleteMessage'], resources: [`arn:aws:sqs:us-east-1:${TEST_ACCOUNT}:orders`] }));
      AddonPolicy.mountpointS3({ buckets: [bucket], readOnly: true }).attachTo(role);
    };
    // WHEN the old role and the new role carry the same permissions
    const irsa = new IrsaRole(stack, 'ReaderIrsa', { clusters: [IrsaCluster.fromIssuerUrl(`https://${ISSUER}`)], serviceAccounts: [SA], managedPolicies: [shared] });
    permissions(irsa);
    const pod = new PodIdentityRole(stack, 'Reader', { serviceAccounts: [SA], managedPolicies: [shared] });
    permissions(pod);
    pod.associate('ReaderAssociation', { clusterName: 'prod', ...SA });
    return { stack, irsa, pod };
  }

  test('both roles end up with identical identity policies; only the trust changes', async () => {
    const { stack, irsa, pod } = migrate();
    // THEN the permissions are the same
    const before = identityPoliciesOf(stack, irsa);
    const after = identityPoliciesOf(stack, pod);
    expect(after).toEqual(before);
    expect(before.attached).toHaveLength(1);
    expect(before.inline.length).toBeGreaterThan(0);
    expect(before.managed.length).toBeGreaterThan(0);
    const all = (p: any) => ({ Version: '2012-10-17', Statement: [...p.inline, ...p.managed] });
    for (const [action, resource] of [['s3:GetObject', 'arn:aws:s3:::orders-data/a.csv'], ['s3:ListBucket', 'arn:aws:s3:::orders-data'], ['s3:PutObject', 'arn:aws:s3:::orders-data/a.csv'],
      ['sqs:DeleteMessage', `arn:aws:sqs:us-east-1:${TEST_ACCOUNT}:orders`]]) {
      expect(await simulateIdentity(all(after), action, resource)).toBe(await simulateIdentity(all(before), action, resource));
    }
    // ... and the trust moves from the cluster's OIDC provider to EKS Pod Identity
    const token = webIdentity(`arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${ISSUER}`, {
      [`${ISSUER}:aud`]: 'sts.amazonaws.com', [`${ISSUER}:sub`]: 'system:serviceaccount:orders:reader',
    });
    const session = serviceCaller('pods.eks.amazonaws.com', {
      'aws:SourceAccount': TEST_ACCOUNT, 'aws:RequestTag/kubernetes-namespace': 'orders', 'aws:RequestTag/kubernetes-service-account': 'reader',
    });
    expect(await simulate(stack, irsa, token)).toBe('Allowed');
    expect(await simulate(stack, pod, token)).toBe('Denied');
    expect(await simulate(stack, pod, session)).toBe('Allowed');
    expect(await simulate(stack, irsa, session)).toBe('Denied');
  });

  test('the app in the middle of the migration is nag-clean and has the association', () => {
    const { stack } = migrate();
    Template.fromStack(stack).hasResourceProperties('AWS::EKS::PodIdentityAssociation', { ClusterName: 'prod', Namespace: 'orders', ServiceAccount: 'reader' });
    expect(nagFindings(stack)).toEqual([]);
  });
});
