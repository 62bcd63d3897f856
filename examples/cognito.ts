/**
 * A mobile app's users upload their own photos straight to S3 with temporary AWS
 * credentials from a Cognito identity pool:
 * - a user pool (MFA, strong passwords, threat protection) signs users in;
 * - the identity pool exchanges the user pool token for credentials of the authenticated
 *   role, which trusts only this pool and only authenticated identities;
 * - each identity reads and writes only `photos/<its identity id>/` in the photo bucket.
 * No guest role: guests get no AWS credentials at all.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, UserPoolAuthenticationProvider } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, IdentityPoolRoles } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'PhotoApp', { env: { account: '222222222222', region: 'eu-west-1' } });

const users = new cognito.UserPool(stack, 'Users', {
  signInAliases: { email: true },
  selfSignUpEnabled: true,
  mfa: cognito.Mfa.REQUIRED,
  mfaSecondFactor: { sms: false, otp: true },
  passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
  featurePlan: cognito.FeaturePlan.PLUS,
  standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
});
const client = users.addClient('MobileApp', { authFlows: { userSrp: true }, accessTokenValidity: Duration.minutes(60) });

const identityPool = new IdentityPool(stack, 'Identities', {
  authenticationProviders: { userPools: [new UserPoolAuthenticationProvider({ userPool: users, userPoolClient: client })] },
});
const roles = new IdentityPoolRoles(stack, 'IdentityRoles', {
  identityPool,
  authenticatedRoleProps: { description: 'Signed-in users of the photo app: their own photos only' },
});

// The photo bucket belongs to the storage stack (versioned, KMS-encrypted, logged).
const photos = s3.Bucket.fromBucketName(stack, 'Photos', 'acme-photo-app-uploads');
roles.grantPerIdentityPrefix(photos, 'photos');

app.synth();
