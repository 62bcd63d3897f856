/**
 * The consumer test's app (scripts/consumer-test.sh): every pattern the README shows, written
 * as a user writes it, against the package installed from its tarball in a fresh
 * `cdk init app --language typescript` app, with that app's cdk.json feature flags.
 * AwsSolutions and AccessPatternsChecks are registered, so any unacknowledged finding fails
 * `cdk synth`. The app acknowledges nothing: its own resources are imported or built so that
 * they have no findings, and every finding on what the library creates is the library's to
 * acknowledge.
 *
 * Stacks with an account and region render ARNs with a literal partition
 * (`@aws-cdk/core:enablePartitionLiterals`, set by `cdk init`); the environment-agnostic stack
 * keeps `${AWS::Partition}`. The library's acknowledgements must match both renderings.
 */
import { App, Duration, PhysicalName, Stack, Validations } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { IdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as eksv2 from 'aws-cdk-lib/aws-eks-v2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, AccountAssignments, AddonPolicy, AssignmentTarget, AssumeRoleMonitor, CertificateCondition,
  CrossAccountRole, GitHubActionsRole, GitHubOidcProvider, GitHubSubject, GitLabCiRole, GitLabOidcProvider, GitLabSubject,
  IdentityCenterInstance, IdentityCenterPrincipal, IdentityPoolRoles, IrsaCluster, IrsaRole, OidcFederatedRole,
  PermissionSet, PermissionSetBoundary, PodIdentityAgent, PodIdentityRole, RolesAnywhereProfile, RolesAnywhereRole,
  SamlAudience, SamlCondition, SamlFederatedRole, SamlSubjectType, ThirdPartyRole, TrustAnchor, TrustAnchorSource, TrustCondition,
  TrustPolicy,
} from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app));

// ---- Cross-account and third party --------------------------------------------------------
const tooling = new Stack(app, 'Tooling', { env: { account: '111111111111', region: 'eu-west-1' } });
const pipelineRole = new iam.Role(tooling, 'PipelineRole', {
  roleName: PhysicalName.GENERATE_IF_NEEDED,
  assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com'),
});

const stack = new Stack(app, 'Production', { env: { account: '222222222222', region: 'eu-west-1' } });
stack.addStackDependency(tooling);
const deployRole = new CrossAccountRole(stack, 'DeployRole', {
  roleName: PhysicalName.GENERATE_IF_NEEDED,
  trustedRoleArns: [pipelineRole.roleArn],
  requireSourceIdentity: true,
});
CrossAccountRole.grantAssume(pipelineRole, deployRole.roleArn, { setSourceIdentity: true });
new ThirdPartyRole(stack, 'DatadogIntegration', {
  vendorAccountId: '464622532012',
  externalId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
});

// ---- CI/CD: GitHub Actions, GitLab CI, any OIDC issuer --------------------------------------
const github = new GitHubOidcProvider(stack, 'GitHub');
const webDeploy = new GitHubActionsRole(stack, 'WebDeployRole', {
  provider: github,
  subjects: [GitHubSubject.environment('acme/web', 'production')],
});
const gitlab = new GitLabOidcProvider(stack, 'GitLab');
new GitLabCiRole(stack, 'ImagePushRole', {
  provider: gitlab,
  subjects: [GitLabSubject.branch('acme/platform/api', 'main')],
});
new OidcFederatedRole(stack, 'TerraformApply', {
  providerArn: 'arn:aws:iam::222222222222:oidc-provider/app.terraform.io',
  issuerUrl: 'https://app.terraform.io',
  audiences: ['aws.workload.identity'],
  subjects: ['organization:acme:project:platform:workspace:network:run_phase:apply'],
});

// ---- EKS: Pod Identity and IRSA -------------------------------------------------------------
const cluster = eksv2.Cluster.fromClusterAttributes(stack, 'Orders', {
  clusterName: 'orders',
  openIdConnectProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(stack, 'OrdersOidc',
    'arn:aws:iam::222222222222:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF'),
});
const volumesKey = kms.Key.fromKeyArn(stack, 'VolumesKey', 'arn:aws:kms:eu-west-1:222222222222:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'orders.example.com' });
PodIdentityAgent.of(cluster);
const ebsCsi = new PodIdentityRole(stack, 'EbsCsiDriver', {
  clusterArns: [cluster.clusterArn],
  serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' }],
});
AddonPolicy.ebsCsiDriver({ kmsKeys: [volumesKey] }).attachTo(ebsCsi);
ebsCsi.associate('EbsCsiAssociation', { cluster, serviceAccountNamespace: 'kube-system', serviceAccountName: 'ebs-csi-controller-sa' });
const externalDns = new IrsaRole(stack, 'ExternalDns', {
  clusters: [IrsaCluster.fromOpenIdConnectProvider(cluster.openIdConnectProvider)],
  serviceAccounts: [{ serviceAccountNamespace: 'external-dns', serviceAccountName: 'external-dns' }],
});
AddonPolicy.externalDns({ hostedZones: [zone] }).attachTo(externalDns);

// ---- IAM Roles Anywhere ---------------------------------------------------------------------
const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'DataCenterCa',
  'arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
const anchor = new TrustAnchor(stack, 'DataCenterAnchor', { source: TrustAnchorSource.fromAcmPca(ca) });
const backupRole = new RolesAnywhereRole(stack, 'Backup01Role', {
  trustAnchors: [anchor],
  certificateConditions: [
    CertificateCondition.subjectCommonName('backup01.dc1.acme.internal'),
    CertificateCondition.subjectOrganizationalUnit('Backup'),
  ],
});
const profile = new RolesAnywhereProfile(stack, 'BackupProfile', { roles: [backupRole] });
profile.addCredentialProcessOutput('BackupCredentialProcess', backupRole, anchor, {
  certificatePath: '/etc/pki/backup/backup01.crt',
  privateKeyPath: '/etc/pki/backup/backup01.key',
});

// ---- SAML and Cognito -----------------------------------------------------------------------
const okta = iam.SamlProvider.fromSamlProviderArn(stack, 'Okta', 'arn:aws:iam::222222222222:saml-provider/okta');
const operators = new SamlFederatedRole(stack, 'Operator', {
  provider: okta,
  audiences: [SamlAudience.global(), SamlAudience.regional('eu-central-1')],
  conditions: [SamlCondition.subjectType(SamlSubjectType.PERSISTENT)],
});
/** An identity pool and a bucket of photos, one folder per identity (the grant's wildcard is acknowledged by the library). */
function photoApp(scope: Stack): void {
  const identityPool = IdentityPool.fromIdentityPoolId(scope, 'Identities', 'eu-west-1:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
  const photos = s3.Bucket.fromBucketName(scope, 'Photos', 'acme-photo-app-uploads');
  const roles = new IdentityPoolRoles(scope, 'IdentityRoles', { identityPool });
  roles.grantPerIdentityPrefix(photos, 'photos');
}
photoApp(stack);

// ---- Your own trust policy -------------------------------------------------------------------
const buildRole = new iam.Role(stack, 'BuildRole', { assumedBy: TrustPolicy.deferred() });
new TrustPolicy(buildRole, { kind: 'BuildRole' }).addStatement({
  principals: [new iam.FederatedPrincipal(github.oidcProviderArn)],
  actions: ['sts:AssumeRoleWithWebIdentity'],
  conditions: [
    TrustCondition.stringEquals('token.actions.githubusercontent.com:aud', ['sts.amazonaws.com']),
    TrustCondition.stringMatches('token.actions.githubusercontent.com:sub', ['repo:acme/api:ref:refs/heads/main']),
  ],
});

// ---- Monitoring -----------------------------------------------------------------------------
const alerts = sns.Topic.fromTopicArn(stack, 'Alerts', 'arn:aws:sns:eu-west-1:222222222222:security-alerts');
new AssumeRoleMonitor(stack, 'ProductionAccessUse', {
  roles: [deployRole, webDeploy, operators],
  topic: alerts,
});

// ---- IAM Identity Center, with name lookups at deploy time ----------------------------------
/** Permission sets and assignments with principals by id and by name (the library's name-lookup function and policy). */
function workforce(scope: Stack, instanceArn: string): void {
  const instance = IdentityCenterInstance.fromInstanceAttributes(scope, 'IdentityCenter', {
    instanceArn,
    identityStoreId: 'd-93670a1b2c',
  });
  const developer = new PermissionSet(scope, 'Developer', {
    instance,
    sessionDuration: Duration.hours(8),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess')],
    permissionsBoundary: PermissionSetBoundary.fromCustomerManagedPolicy({ name: 'developer-boundary', path: '/platform/' }),
  });
  const readOnly = new PermissionSet(scope, 'ReadOnly', {
    instance,
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
  });
  new AccountAssignments(scope, 'Access', {
    instance,
    assignments: [
      {
        principal: IdentityCenterPrincipal.groupByName('d-93670a1b2c', 'Developers'),
        permissionSets: [developer],
        targets: [AssignmentTarget.organizationalUnit('ou-a1b2-devwork1', ['400000000001', '400000000002'])],
      },
      {
        principal: IdentityCenterPrincipal.userNamed('jane.doe@acme.example'),
        permissionSets: [readOnly],
        targets: [AssignmentTarget.accounts(['400000000001'])],
      },
      {
        principal: IdentityCenterPrincipal.group('9067a1b2c3-4d5e6f70-8192-4a3b-9c8d-000000000001'),
        permissionSets: [readOnly],
        targets: [AssignmentTarget.accounts(['400000000002'])],
      },
    ],
  });
}
workforce(new Stack(app, 'WorkforceAccess', { env: { account: '111111111111', region: 'eu-west-1' } }), 'arn:aws:sso:::instance/ssoins-6804a1b2c3d4e5f6');

// ---- Environment-agnostic: ARNs keep ${AWS::Partition} ---------------------------------------
const agnostic = new Stack(app, 'WorkforceAccessAgnostic');
// Another organization's instance: permission set names are unique per instance across the app.
workforce(agnostic, 'arn:aws:sso:::instance/ssoins-7907b2c3d4e5f607');
photoApp(agnostic);

app.synth();
