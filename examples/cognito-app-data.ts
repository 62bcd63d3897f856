/**
 * A notes app whose signed-in users read and write their own notes in DynamoDB straight
 * from the browser, and whose IoT devices (one Cognito identity each) talk MQTT to AWS IoT
 * Core under their own topics, with temporary credentials from a Cognito identity pool:
 * - a user pool signs users and devices in; the identity pool gives each an identity id;
 * - the authenticated role reads and writes only the items whose partition key is the
 *   caller's identity id (no Scan, no indexes, no other identity's items);
 * - it connects to AWS IoT only with its identity id as client id, and publishes and
 *   subscribes only under `devices/<identity id>/`; the AWS IoT policy with the same rules
 *   is attached to each identity by the sign-in backend (`iot:AttachPolicy`, target = the
 *   identity id), which AWS IoT requires for authenticated identities;
 * - a rules-based role mapping picks the role from the user pool groups: `members` get
 *   the role above, `readers` a read-only one; a user in neither group gets no credentials
 *   (ambiguous cases are denied, not given a default role).
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, CfnOutput, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, IdentityPoolProviderUrl, UserPoolAuthenticationProvider } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, IdentityPoolRoleMapping, IdentityPoolRoles, PerIdentityIotAccess, RoleMappingMatchType,
} from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'NotesApp', { env: { account: '222222222222', region: 'eu-west-1' } });

const users = new cognito.UserPool(stack, 'Users', {
  signInAliases: { email: true },
  selfSignUpEnabled: true,
  mfa: cognito.Mfa.REQUIRED,
  mfaSecondFactor: { sms: false, otp: true },
  passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
  featurePlan: cognito.FeaturePlan.PLUS,
  standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
});
const client = users.addClient('WebApp', { authFlows: { userSrp: true }, accessTokenValidity: Duration.minutes(60) });

const identityPool = new IdentityPool(stack, 'Identities', {
  authenticationProviders: { userPools: [new UserPoolAuthenticationProvider({ userPool: users, userPoolClient: client })] },
});
const roles = new IdentityPoolRoles(stack, 'IdentityRoles', {
  identityPool,
  authenticatedRoleProps: { description: 'Signed-in users and devices of the notes app: their own notes and topics only' },
});

// The notes table belongs to the data stack (partition key: the identity id).
const notes = dynamodb.Table.fromTableArn(stack, 'Notes', stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: 'notes' }));
roles.authenticatedRole.grantPerIdentityItems(notes);

const devices = new PerIdentityIotAccess(stack, 'Devices', { role: roles.authenticatedRole, topicPrefix: 'devices' });
new CfnOutput(stack, 'DeviceIotPolicy', { value: devices.iotPolicyName!, description: 'iot:AttachPolicy this policy to each identity id at sign-in' });

// Readers only read their own notes; the role is picked by the user pool group.
const readers = roles.addMappedRole('Readers', { description: 'Read-only users of the notes app: their own notes' });
readers.grantPerIdentityItems(notes, { readOnly: true });
roles.addRoleMapping(IdentityPoolRoleMapping.fromRules({
  providerName: IdentityPoolProviderUrl.userPool(users, client).value,
  rules: [
    { claim: 'cognito:groups', matchType: RoleMappingMatchType.CONTAINS, value: 'members', role: roles.authenticatedRole },
    { claim: 'cognito:groups', matchType: RoleMappingMatchType.CONTAINS, value: 'readers', role: readers },
  ],
}));

app.synth();
