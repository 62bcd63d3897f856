/**
 * Workloads in other clouds read one S3 prefix without stored AWS keys:
 * - an Azure VM's user-assigned managed identity presents its Microsoft Entra ID access
 *   token (v1.0, requested for the app registration `api://aws-reports`) through the IAM
 *   OIDC provider of the tenant's issuer `https://sts.windows.net/<tenant>/`; the role
 *   pins the tenant (the issuer), the audience and the identity's object id;
 * - a Google Cloud Run service presents the Google-signed ID token of its service account
 *   (requested for the audience `aws-reports`) to the built-in Google provider: the role
 *   pins the service account's unique id (`accounts.google.com:aud` and `:sub`) and the
 *   audience (`accounts.google.com:oaud`).
 * Each calls sts:AssumeRoleWithWebIdentity with its token (the AWS SDKs read it from a file
 * named by AWS_WEB_IDENTITY_TOKEN_FILE, with AWS_ROLE_ARN).
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, AzureWorkloadRole, WebIdentityProvider, WebIdentityRole } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'OtherClouds', { env: { account: '222222222222', region: 'eu-west-1' } });

const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const audience = 'api://aws-reports';
// Once per account and tenant: IAM's OIDC provider for the tenant's v1.0 issuer.
const entra = new iam.OidcProviderNative(stack, 'EntraId', { url: `https://sts.windows.net/${tenantId}/`, clientIds: [audience] });

const fromAzure = new AzureWorkloadRole(stack, 'ReportsFromAzure', {
  provider: entra,
  tenantId,
  audience,
  objectIds: ['9d6f7c4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f'],
  description: 'The reporting VM in Azure (managed identity reports-vm): reads the reports',
});

const fromGcp = new WebIdentityRole(stack, 'ReportsFromGcp', {
  provider: WebIdentityProvider.googleServiceAccount({ uniqueIds: ['104729385610293847561'], audience: 'aws-reports' }),
  description: 'The reporting Cloud Run service (service account reports@acme-analytics): reads the reports',
});

// The reports bucket belongs to the data stack.
const reports = s3.Bucket.fromBucketName(stack, 'Reports', 'acme-reports');
for (const role of [fromAzure, fromGcp]) {
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [reports.arnForObjects('monthly/*')] }));
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-reports/monthly/*]',
    reason: 'The workload reads every monthly report; new reports are added each month.',
  });
}

app.synth();
