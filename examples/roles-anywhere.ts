/**
 * An on-prem backup server writes its backups to one S3 prefix with an X.509 certificate
 * instead of stored access keys: IAM Roles Anywhere trusts the company's AWS Private CA,
 * the role accepts only the certificate issued to backup01 through that trust anchor,
 * and a profile hands out one-hour sessions bounded by a session policy.
 *
 * The stack output `BackupCredentialProcess` is the `credential_process` line for the
 * server's ~/.aws/config (see src/roles-anywhere/README.md).
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, CertificateCondition, RolesAnywhereProfile, RolesAnywhereRole, TrustAnchor, TrustAnchorSource,
} from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const env = { account: '222222222222', region: 'eu-west-1' };
const stack = new Stack(app, 'OnPremBackup', { env });

// The private CA that issues the data center's server certificates.
const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'DataCenterCa',
  'arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0');
const anchor = new TrustAnchor(stack, 'DataCenterAnchor', { source: TrustAnchorSource.fromAcmPca(ca) });

// The backup bucket already exists (versioned, Object Lock, lifecycle, access logs),
// owned by the storage team's stack.
const backups = s3.Bucket.fromBucketName(stack, 'Backups', 'acme-dc1-backups');

// Only the certificate of backup01 (OU Backup) through this anchor can assume the role.
const prefix = 'servers/backup01/*';
const role = new RolesAnywhereRole(stack, 'Backup01Role', {
  trustAnchors: [anchor],
  certificateConditions: [
    CertificateCondition.subjectCommonName('backup01.dc1.acme.internal'),
    CertificateCondition.subjectOrganizationalUnit('Backup'),
  ],
  description: 'Nightly backups of backup01 (on-prem) to its own S3 prefix',
});
const writeBackups = new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [backups.arnForObjects(prefix)] });
role.addToPolicy(writeBackups);
Validations.of(role).acknowledge({
  id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::acme-dc1-backups/${prefix}]`,
  reason: 'The server writes new objects (one per backup run) under its own prefix only; it cannot read, list or delete.',
});

// The profile: one-hour sessions, bounded again by a session policy.
const profile = new RolesAnywhereProfile(stack, 'BackupProfile', {
  roles: [role],
  sessionPolicy: new iam.PolicyDocument({ statements: [writeBackups] }),
});
profile.addCredentialProcessOutput('BackupCredentialProcess', role, anchor, {
  certificatePath: '/etc/pki/backup/backup01.crt',
  privateKeyPath: '/etc/pki/backup/backup01.key',
});

app.synth();
