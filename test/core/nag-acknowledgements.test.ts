import { App, Stack, Validations } from 'aws-cdk-lib';
import { IdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  AccountAssignments, AddonPolicy, AssignmentTarget, IdentityCenterInstance, IdentityCenterPrincipal, IdentityPoolRoles,
  PermissionSet, PodIdentityRole,
} from '../../src';
import { acknowledgeWhenRendered, iam5ResourceFindingId } from '../../src/core/nag-ids';
import { TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';

/**
 * Every finding the library acknowledges on its own resources (the name-lookup role, policy
 * and provider function of Identity Center, the per-identity folder of Cognito roles, the
 * wildcards of the EKS add-on policies) is acknowledged whatever renders the ARNs in the
 * finding ids: `@aws-cdk/core:enablePartitionLiterals` with a region (`arn:aws:`) or not
 * (`arn:<AWS::Partition>:`), and a bucket of another stack (`Fn::ImportValue`).
 */
function libraryApp(partitionLiterals: boolean, withEnv: boolean): App {
  const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': partitionLiterals } });
  const env = withEnv ? TEST_ENV : undefined;

  const storage = new Stack(app, 'Storage', { env });
  const photos = new s3.Bucket(storage, 'Photos', { enforceSSL: true, serverAccessLogsPrefix: 'logs/' });

  const stack = new Stack(app, 'Library', { env });
  const instance = IdentityCenterInstance.fromInstanceAttributes(stack, 'IdentityCenter', {
    instanceArn: 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6',
    identityStoreId: 'd-93670a1b2c',
  });
  const readOnly = new PermissionSet(stack, 'ReadOnly', { instance });
  new AccountAssignments(stack, 'Access', {
    instance,
    assignments: [
      { principal: IdentityCenterPrincipal.groupByName('d-93670a1b2c', 'Developers'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(['400000000001'])] },
      { principal: IdentityCenterPrincipal.userNamed('jane.doe@acme.example'), permissionSets: [readOnly], targets: [AssignmentTarget.accounts(['400000000002'])] },
    ],
  });

  const roles = new IdentityPoolRoles(stack, 'IdentityRoles', {
    identityPool: IdentityPool.fromIdentityPoolId(stack, 'Pool', 'us-east-1:0123abcd-0123-4567-89ab-0123456789ab'),
  });
  roles.grantPerIdentityPrefix(photos, 'photos');
  roles.grantPerIdentityPrefix(s3.Bucket.fromBucketName(stack, 'Imported', 'acme-uploads'), 'uploads');

  const controller = new PodIdentityRole(stack, 'LoadBalancerController', {
    serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'aws-load-balancer-controller' }],
  });
  AddonPolicy.awsLoadBalancerController().attachTo(controller);
  const autoscaler = new PodIdentityRole(stack, 'ClusterAutoscaler', {
    serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'cluster-autoscaler' }],
  });
  AddonPolicy.clusterAutoscaler({ clusterNames: ['legacy'] }).attachTo(autoscaler);
  return app;
}

describe('the library acknowledges its own findings whatever renders their ids', () => {
  test.each([
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ])('enablePartitionLiterals %p, stacks with an environment %p: no finding', (partitionLiterals, withEnv) => {
    // GIVEN
    const app = libraryApp(partitionLiterals, withEnv);
    // THEN
    expect(nagFindings(app)).toEqual([]);
  });

  test('the ARNs really render differently: with partition literals and a region, arn:aws', () => {
    // GIVEN
    const app = new App({ context: { '@aws-cdk/core:enablePartitionLiterals': true } });
    const literal = new Stack(app, 'Literal', { env: TEST_ENV });
    const agnostic = new Stack(app, 'Agnostic');
    const arn = (stack: Stack) => stack.formatArn({ service: 'identitystore', region: '', account: '', resource: 'group', resourceName: '*' });
    // THEN
    expect(iam5ResourceFindingId(literal.resolve(arn(literal)))).toBe('AwsSolutions-IAM5[Resource::arn:aws:identitystore:::group/*]');
    expect(iam5ResourceFindingId(agnostic.resolve(arn(agnostic)))).toBe('AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:identitystore:::group/*]');
  });

  test('acknowledgeWhenRendered acknowledges the id of the cross-stack import, once however often the app synthesizes', () => {
    // GIVEN
    const app = new App();
    const storage = new Stack(app, 'Storage');
    const bucket = new s3.Bucket(storage, 'Bucket');
    const stack = new Stack(app, 'Consumer');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const objects = bucket.arnForObjects('*');
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [objects] }));
    const atConstruction = iam5ResourceFindingId(stack.resolve(objects));
    acknowledgeWhenRendered(role, s => [{ id: iam5ResourceFindingId(s.resolve(objects)), reason: 'test' }]);
    // WHEN
    app.synth();
    app.synth({ force: true });
    // THEN
    const acknowledged = role.node.metadata
      .filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap(m => Object.keys(m.data));
    expect(atConstruction).not.toMatch(/ImportValue|Export/);
    expect(acknowledged).toHaveLength(1);
    expect(acknowledged[0]).toMatch(/^(Annotation::)?AwsSolutions-IAM5\[Resource::Storage:ExportsOutput.*\/\*\]$/i);
    expect(nagFindings(app).filter(f => f.path.startsWith('Consumer/Role'))).toEqual([]);
  });

  test('AwsSolutions-L1 on the name-lookup function is acknowledged only while it keeps the runtime aws-cdk-lib gave it', () => {
    // GIVEN
    const lookups = (runtime?: string) => {
      const app = new App();
      const stack = new Stack(app, 'Lookups', { env: TEST_ENV });
      const instance = IdentityCenterInstance.fromInstanceAttributes(stack, 'IdentityCenter', {
        instanceArn: 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6',
        identityStoreId: 'd-93670a1b2c',
      });
      new AccountAssignments(stack, 'Access', {
        instance,
        assignments: [{
          principal: IdentityCenterPrincipal.groupByName('d-93670a1b2c', 'Developers'),
          permissionSets: [new PermissionSet(stack, 'ReadOnly', { instance })],
          targets: [AssignmentTarget.accounts(['400000000001'])],
        }],
      });
      const fn = stack.node.findChild('AWS679f53fac002430cb0da5b7982bd2287');
      if (runtime) (fn.node.findChild('Resource') as lambda.CfnFunction).runtime = runtime;
      const findings = nagFindings(app);
      const acknowledged = fn.node.metadata.filter(m => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY).flatMap(m => Object.keys(m.data));
      return { findings, acknowledged };
    };
    // THEN
    const given = lookups();
    expect(given.findings).toEqual([]);
    expect(given.acknowledged).toEqual(expect.arrayContaining([expect.stringMatching(/^(Annotation::)?AwsSolutions-L1$/i)]));
    const changed = lookups('nodejs18.x');
    expect(changed.acknowledged.filter(id => /AwsSolutions-L1/.test(id))).toEqual([]);
    expect(changed.findings).toEqual([{ rule: 'AwsSolutions-L1', path: 'Lookups/AWS679f53fac002430cb0da5b7982bd2287/Resource' }]);
  });
});
