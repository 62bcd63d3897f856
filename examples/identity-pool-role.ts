/**
 * Field technicians upload inspection photos from a mobile app to their own folder of a
 * bucket, with temporary AWS credentials from the company's existing Cognito identity pool:
 * - the identity pool belongs to the identity team's stack and is imported by its id;
 * - a role for its authenticated identities only (guests get nothing), which the identity
 *   team's role mapping hands to technicians;
 * - each identity reads and writes only `inspections/<its identity id>/` in the bucket,
 *   and uses the bucket's KMS key only through S3, for its own objects.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { IdentityPool } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, IdentityPoolIdentityType, IdentityPoolRole } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'FieldInspections', { env: { account: '222222222222', region: 'eu-west-1' } });

// Cognito console > Identity pools > the pool > Identity pool ID.
const identityPool = IdentityPool.fromIdentityPoolId(stack, 'Technicians', 'eu-west-1:0123abcd-0123-4567-89ab-0123456789ab');
const role = new IdentityPoolRole(stack, 'TechnicianRole', {
  identityPool,
  identityType: IdentityPoolIdentityType.AUTHENTICATED,
  description: 'Signed-in field technicians: their own inspection photos only',
});

// The bucket belongs to the storage stack (versioned, KMS-encrypted, logged).
const photos = s3.Bucket.fromBucketAttributes(stack, 'Photos', {
  bucketName: 'acme-field-inspections',
  encryptionKey: kms.Key.fromKeyArn(stack, 'PhotosKey', stack.formatArn({ service: 'kms', resource: 'key', resourceName: '1234abcd-12ab-34cd-56ef-1234567890ab' })),
});
role.grantPerIdentityPrefix(photos, 'inspections');

app.synth();
