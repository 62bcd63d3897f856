import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, UserPoolAuthenticationProvider } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  AmbiguousRoleResolution, IdentityPoolIdentityType, IdentityPoolRole, IdentityPoolRoleMapping, IdentityPoolRoles,
  PerIdentityIotAccess, RoleMappingMatchType,
} from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { mapConditionKey, simulate, webIdentity } from '../support/simulate';
import { logicalIdOf, resolveIntrinsics, templateOf } from '../support/template';

const POOL_ID = 'us-east-1:0123abcd-0123-4567-89ab-0123456789ab';
const OTHER_POOL_ID = 'us-east-1:ffffffff-0123-4567-89ab-0123456789ab';
const COGNITO = 'cognito-identity.amazonaws.com';
const A = 'us-east-1:aaaaaaaa-0000-4000-8000-000000000000';
const B = 'us-east-1:bbbbbbbb-0000-4000-8000-000000000000';
const PROVIDER = 'cognito-idp.us-east-1.amazonaws.com/us-east-1_Example:0123456789abcdefghijklmnop';

function newStack(): Stack {
  return new Stack(new App(), 'App', { env: TEST_ENV });
}

function importedPool(stack: Stack, id: string = POOL_ID) {
  return IdentityPool.fromIdentityPoolId(stack, `Pool${stack.node.children.length}`, id);
}

/** The web identity token Cognito presents to STS for an identity of `pool`. */
function cognitoToken(pool: string, amr: string[], action = 'sts:AssumeRoleWithWebIdentity') {
  return { ...webIdentity(COGNITO, { [`${COGNITO}:aud`]: pool, [`${COGNITO}:amr`]: amr }), action };
}

/**
 * Evaluates an identity's request against the role's identity policies. The simulator drops
 * context keys it does not know, so `${cognito-identity.amazonaws.com:sub}` is renamed to
 * `${aws:PrincipalTag/cognito-identity.amazonaws.com:sub}` in the policies and the request,
 * as test/support/simulate.ts does for trust policies.
 */
async function access(
  stack: Stack, role: iam.Role, action: string, resource: string, identityId: string, context: Record<string, string | string[]> = {},
): Promise<string> {
  const template = templateOf(stack);
  const policies = Object.values(template.Resources)
    .filter(r => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(logicalIdOf(role)))
    .map((r, i) => ({
      name: `p${i}`,
      policy: JSON.parse(JSON.stringify(resolveIntrinsics(template, r.Properties.PolicyDocument))
        .split('${cognito-identity.amazonaws.com:sub}').join(`\${${mapConditionKey(`${COGNITO}:sub`)}}`)),
    }));
  const response: any = await runSimulation({
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${logicalIdOf(role)}/CognitoIdentityCredentials`,
      resource: { accountId: TEST_ACCOUNT, resource },
      contextVariables: { [mapConditionKey(`${COGNITO}:sub`)]: identityId, ...context },
    },
  } as any, {});
  if (response.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${TEST_ACCOUNT}:table/Notes`;

describe('IdentityPoolRole.grantPerIdentityItems', () => {
  test('grants the item actions on the identity\'s partition only, never Scan', () => {
    const stack = newStack();
    const role = new IdentityPoolRole(stack, 'Users', { identityPool: importedPool(stack) });
    role.grantPerIdentityItems(dynamodb.Table.fromTableArn(stack, 'Notes', TABLE_ARN));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
          Resource: TABLE_ARN,
          Condition: {
            'Null': { 'dynamodb:LeadingKeys': 'false' },
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'] },
          },
        }],
      },
    });
  });

  test('with attributes: only those, and no request that returns every attribute', () => {
    const stack = newStack();
    const role = new IdentityPoolRole(stack, 'Users', { identityPool: importedPool(stack) });
    role.grantPerIdentityItems(dynamodb.Table.fromTableArn(stack, 'Notes', TABLE_ARN), { readOnly: true, attributes: ['identityId', 'noteId', 'text'] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
          Condition: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['${cognito-identity.amazonaws.com:sub}'], 'dynamodb:Attributes': ['identityId', 'noteId', 'text'] },
            'StringEqualsIfExists': { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] },
          },
        }],
      },
    });
  });

  test('simulation: identity A reads and writes its items; B\'s items, a mixed batch, a request naming no key, a Scan are denied', async () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    roles.authenticatedRole.grantPerIdentityItems(dynamodb.Table.fromTableArn(stack, 'Notes', TABLE_ARN));
    const role = roles.authenticatedRole;
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { 'dynamodb:LeadingKeys': [A] })).toBe('Allowed');
    expect(await access(stack, role, 'dynamodb:PutItem', TABLE_ARN, A, { 'dynamodb:LeadingKeys': [A] })).toBe('Allowed');
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { 'dynamodb:LeadingKeys': [B] })).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:BatchGetItem', TABLE_ARN, A, { 'dynamodb:LeadingKeys': [A, B] })).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:Query', TABLE_ARN, A)).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:Scan', TABLE_ARN, A)).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:GetItem', `${TABLE_ARN}-other`, A, { 'dynamodb:LeadingKeys': [A] })).toBe('Denied');
  });

  test('simulation: with attributes, a request for another attribute or for all of them is denied', async () => {
    const stack = newStack();
    const role = new IdentityPoolRole(stack, 'Users', { identityPool: importedPool(stack) });
    role.grantPerIdentityItems(dynamodb.Table.fromTableArn(stack, 'Notes', TABLE_ARN), { attributes: ['identityId', 'noteId', 'text'] });
    const mine = { 'dynamodb:LeadingKeys': [A] };
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { ...mine, 'dynamodb:Attributes': ['noteId', 'text'], 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' })).toBe('Allowed');
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { ...mine, 'dynamodb:Attributes': ['text', 'isAdmin'], 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' })).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:Query', TABLE_ARN, A, { ...mine, 'dynamodb:Select': 'ALL_ATTRIBUTES' })).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:UpdateItem', TABLE_ARN, A, { ...mine, 'dynamodb:Attributes': ['text'], 'dynamodb:ReturnValues': 'ALL_NEW' })).toBe('Denied');
  });

  test('refuses an empty attribute list and wildcard attributes; accepts tokens', () => {
    const stack = newStack();
    const role = new IdentityPoolRole(stack, 'Users', { identityPool: importedPool(stack) });
    const table = dynamodb.Table.fromTableArn(stack, 'Notes', TABLE_ARN);
    expect(() => role.grantPerIdentityItems(table, { attributes: [] })).toThrow(/Invalid IdentityPoolRole.grantPerIdentityItems 'App\/Users' prop 'attributes': the list is empty/);
    expect(() => role.grantPerIdentityItems(table, { attributes: ['text*'] })).toThrow(/prop 'attributes': 'text\*' is not an attribute name/);
    const attribute = new CfnParameter(stack, 'Attribute').valueAsString;
    role.grantPerIdentityItems(table, { attributes: ['identityId', attribute] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Condition: { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['identityId', { Ref: 'Attribute' }] } } }] },
    });
  });
});

describe('PerIdentityIotAccess', () => {
  const iotArn = (resource: string) => `arn:aws:iot:us-east-1:${TEST_ACCOUNT}:${resource}`;

  test('the role and the IoT policy name the identity\'s client id and topics', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    const devices = new PerIdentityIotAccess(stack, 'Devices', { role: roles.authenticatedRole, topicPrefix: 'devices' });
    const t = Template.fromStack(stack);
    const statements = [
      { Effect: 'Allow', Action: 'iot:Connect', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iot:us-east-1:${TEST_ACCOUNT}:client/\${cognito-identity.amazonaws.com:sub}`]] } },
      Match.objectLike({ Action: ['iot:Publish', 'iot:Receive'] }),
      Match.objectLike({ Action: 'iot:Subscribe' }),
    ];
    t.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: statements } });
    t.hasResourceProperties('AWS::IoT::Policy', { PolicyDocument: { Statement: [Match.objectLike({ Action: ['iot:Connect'] }), Match.anyValue(), Match.anyValue()] } });
    expect(devices.iotPolicyName).toBeDefined();
  });

  test('a guest role gets the IAM policy only (AWS IoT authorizes guests by the role)', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), allowUnauthenticatedIdentities: true });
    const guests = new PerIdentityIotAccess(stack, 'Guests', { role: roles.unauthenticatedRole!, topicPrefix: 'public' });
    Template.fromStack(stack).resourceCountIs('AWS::IoT::Policy', 0);
    expect(guests.iotPolicy).toBeUndefined();
  });

  test('matches the snapshot and passes the nag packs', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    new PerIdentityIotAccess(stack, 'Devices', { role: roles.authenticatedRole, topicPrefix: 'acme/devices' });
    roles.authenticatedRole.grantPerIdentityItems(dynamodb.Table.fromTableArn(stack, 'Notes', TABLE_ARN));
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('simulation: identity A connects as itself and uses its own topics; B\'s client id and topics are denied', async () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    new PerIdentityIotAccess(stack, 'Devices', { role: roles.authenticatedRole, topicPrefix: 'devices' });
    const role = roles.authenticatedRole;
    expect(await access(stack, role, 'iot:Connect', iotArn(`client/${A}`), A)).toBe('Allowed');
    expect(await access(stack, role, 'iot:Publish', iotArn(`topic/devices/${A}/telemetry`), A)).toBe('Allowed');
    expect(await access(stack, role, 'iot:Subscribe', iotArn(`topicfilter/devices/${A}/commands`), A)).toBe('Allowed');
    expect(await access(stack, role, 'iot:Connect', iotArn(`client/${B}`), A)).toBe('Denied');
    expect(await access(stack, role, 'iot:Publish', iotArn(`topic/devices/${B}/telemetry`), A)).toBe('Denied');
    expect(await access(stack, role, 'iot:Subscribe', iotArn('topicfilter/devices/#'), A)).toBe('Denied');
    expect(await access(stack, role, 'iot:Receive', iotArn('topic/other/x'), A)).toBe('Denied');
  });

  test('refuses a topic prefix with wildcards, MQTT wildcards or slashes at the ends', () => {
    for (const prefix of ['devices/*', 'devices/+', '#', '/devices', 'devices/', '${iot:ClientId}', '']) {
      const stack = newStack();
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
      expect(() => new PerIdentityIotAccess(stack, 'Devices', { role: roles.authenticatedRole, topicPrefix: prefix }))
        .toThrow(/Invalid PerIdentityIotAccess 'App\/Devices' prop 'topicPrefix': .* is not a topic level/);
    }
  });
});

describe('IdentityPoolRoles role mappings', () => {
  test('rules-based: the rules name mapped roles, ambiguous cases are denied by default', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    const admins = roles.addMappedRole('Admins', { description: 'pool admins' });
    roles.addRoleMapping(IdentityPoolRoleMapping.fromRules({
      providerName: PROVIDER,
      rules: [{ claim: 'cognito:groups', matchType: RoleMappingMatchType.CONTAINS, value: 'admins', role: admins }],
    }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: {
        [PROVIDER]: {
          Type: 'Rules',
          AmbiguousRoleResolution: 'Deny',
          IdentityProvider: PROVIDER,
          RulesConfiguration: { Rules: [{ Claim: 'cognito:groups', MatchType: 'Contains', Value: 'admins', RoleARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RolesAdmins'), 'Arn'] } }] },
        },
      },
    });
    // The mapped role trusts the pool exactly like the authenticated role.
    t.hasResourceProperties('AWS::IAM::Role', {
      Description: 'pool admins',
      AssumeRolePolicyDocument: {
        Statement: [{ Condition: { 'StringEquals': { [`${COGNITO}:aud`]: POOL_ID }, 'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' } } }],
      },
    });
  });

  test('token-based, on an IdentityPool of the app: the pool\'s own attachment carries the mapping', () => {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Users');
    const client = userPool.addClient('App');
    const pool = new IdentityPool(stack, 'Identities', { authenticationProviders: { userPools: [new UserPoolAuthenticationProvider({ userPool, userPoolClient: client })] } });
    const editors = new IdentityPoolRole(stack, 'Editors', { identityPool: pool });
    const roles = new IdentityPoolRoles(stack, 'Roles', {
      identityPool: pool,
      roleMappings: [IdentityPoolRoleMapping.fromToken({ providerName: 'cognito-idp.us-east-1.amazonaws.com/x:y', roles: [editors], ambiguousRoleResolution: AmbiguousRoleResolution.AUTHENTICATED_ROLE })],
    });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Cognito::IdentityPoolRoleAttachment', 1);
    t.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: { 'cognito-idp.us-east-1.amazonaws.com/x:y': { Type: 'Token', AmbiguousRoleResolution: 'AuthenticatedRole', RulesConfiguration: Match.absent() } },
    });
    expect(roles.roleAttachment).toBe(pool.roleAttachment);
  });

  test('a provider name only known at deploy time is keyed by position', () => {
    const stack = newStack();
    const provider = new CfnParameter(stack, 'Provider').valueAsString;
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    roles.addRoleMapping(IdentityPoolRoleMapping.fromToken({ providerName: provider }));
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      RoleMappings: { mapping1: { Type: 'Token', AmbiguousRoleResolution: 'Deny', IdentityProvider: { Ref: 'Provider' } } },
    });
  });

  test('simulation: a mapped role lets in this pool\'s authenticated identities; another pool, guests and unauthenticated identities are denied', async () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    const admins = roles.addMappedRole('Admins');
    expect(await simulate(stack, admins, cognitoToken(POOL_ID, ['authenticated', PROVIDER]))).toBe('Allowed');
    expect(await simulate(stack, admins, cognitoToken(OTHER_POOL_ID, ['authenticated', PROVIDER]))).toBe('Denied');
    expect(await simulate(stack, admins, cognitoToken(POOL_ID, ['unauthenticated']))).toBe('Denied');
    expect(await simulate(stack, admins, { ...cognitoToken(POOL_ID, []), context: { [`${COGNITO}:aud`]: POOL_ID } })).toBe('Denied');
  });

  test('refuses a mapping to a role not trusted by the pool', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), allowUnauthenticatedIdentities: true });
    const plain = new iam.Role(stack, 'Plain', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const otherPoolRole = new IdentityPoolRole(stack, 'Other', { identityPool: importedPool(stack, OTHER_POOL_ID) });
    const rules = (role: iam.IRole) => IdentityPoolRoleMapping.fromRules({ providerName: PROVIDER, rules: [{ claim: 'cognito:groups', value: 'admins', role }] });
    expect(() => roles.addRoleMapping(rules(plain))).toThrow(/Invalid IdentityPoolRoles 'App\/Roles' prop 'roleMappings.role': the role 'App\/Plain' is not an IdentityPoolRole/);
    expect(() => roles.addRoleMapping(rules(iam.Role.fromRoleArn(stack, 'Imported', `arn:aws:iam::${TEST_ACCOUNT}:role/admins`))))
      .toThrow(/prop 'roleMappings.role': the role 'arn:aws:iam::222222222222:role\/admins' is not an IdentityPoolRole/);
    expect(() => roles.addRoleMapping(rules(otherPoolRole))).toThrow(/prop 'roleMappings.role': the role 'App\/Other' trusts another identity pool/);
    expect(() => roles.addRoleMapping(rules(roles.unauthenticatedRole!))).toThrow(/serves unauthenticated \(guest\) identities/);
    expect(() => roles.addRoleMapping(IdentityPoolRoleMapping.fromToken({ providerName: PROVIDER, roles: [plain] }))).toThrow(/is not an IdentityPoolRole/);
  });

  test('refuses NotEqual rules, empty rules, a second mapping of a provider, mappings without the attachment', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    const admins = roles.addMappedRole('Admins');
    expect(() => roles.addRoleMapping(IdentityPoolRoleMapping.fromRules({ providerName: PROVIDER, rules: [{ claim: 'custom:role', matchType: RoleMappingMatchType.NOT_EQUAL, value: 'guest', role: admins }] })))
      .toThrow(/prop 'roleMappings.rules.matchType': NotEqual on 'custom:role' also matches every user whose token lacks the claim/);
    expect(() => roles.addRoleMapping(IdentityPoolRoleMapping.fromRules({ providerName: PROVIDER, rules: [] }))).toThrow(/prop 'roleMappings.rules': 0 rules given/);
    roles.addRoleMapping(IdentityPoolRoleMapping.fromToken({ providerName: PROVIDER }));
    expect(() => roles.addRoleMapping(IdentityPoolRoleMapping.fromToken({ providerName: PROVIDER }))).toThrow(/already has a role mapping/);
    const detached = newStack();
    expect(() => new IdentityPoolRoles(detached, 'Roles', { identityPool: importedPool(detached), attachRoles: false, roleMappings: [IdentityPoolRoleMapping.fromToken({ providerName: PROVIDER })] }))
      .toThrow(/prop 'roleMappings': role mappings are part of the role attachment/);
  });
});

describe('IdentityPoolRoles principal tags', () => {
  test('maps claims to session tags, lets the roles accept them, and grants by matching tag', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), principalTags: [{ providerName: PROVIDER, tags: { team: 'custom:team' } }] });
    const projects = roles.addMappedRole('Projects');
    roles.authenticatedRole.grantWhereTagMatches(['s3:GetObject'], ['arn:aws:s3:::acme-projects/*'], 'team', 'team');
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::Cognito::IdentityPoolPrincipalTag', { IdentityPoolId: POOL_ID, IdentityProviderName: PROVIDER, PrincipalTags: { team: 'custom:team' }, UseDefaults: false });
    t.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [{ Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] }] } });
    expect(projects.allowsSessionTags).toBe(true);
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 's3:GetObject',
          Condition: { StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' }, Null: { 'aws:PrincipalTag/team': 'false' } },
        }],
      },
    });
    expect(nagFindings(stack).filter(f => !f.rule.startsWith('AwsSolutions-IAM5'))).toEqual([]);
  });

  test('simulation: a session tagged team=red reaches red resources only; an untagged session reaches none', async () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), principalTags: [{ providerName: PROVIDER, tags: { team: 'custom:team' } }] });
    roles.authenticatedRole.grantWhereTagMatches(['dynamodb:GetItem'], [TABLE_ARN], 'team', 'team');
    const role = roles.authenticatedRole;
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { 'aws:PrincipalTag/team': 'red', 'aws:ResourceTag/team': 'red' })).toBe('Allowed');
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { 'aws:PrincipalTag/team': 'red', 'aws:ResourceTag/team': 'blue' })).toBe('Denied');
    expect(await access(stack, role, 'dynamodb:GetItem', TABLE_ARN, A, { 'aws:ResourceTag/team': '' })).toBe('Denied');
    // The trust passes the tags: TagSession is allowed for this pool's identities only.
    expect(await simulate(stack, role, cognitoToken(POOL_ID, ['authenticated'], 'sts:TagSession'))).toBe('Allowed');
    expect(await simulate(stack, role, cognitoToken(OTHER_POOL_ID, ['authenticated'], 'sts:TagSession'))).toBe('Denied');
  });

  test('refuses a tag grant on a role without session tags, bad tag keys, empty tag maps', () => {
    const stack = newStack();
    const role = new IdentityPoolRole(stack, 'Users', { identityPool: importedPool(stack) });
    expect(() => role.grantWhereTagMatches(['s3:GetObject'], ['arn:aws:s3:::b/*'], 'team', 'team'))
      .toThrow(/Invalid IdentityPoolRole.grantWhereTagMatches 'App\/Users' prop 'principalTagKey': the role does not allow session tags/);
    const tagged = new IdentityPoolRole(stack, 'Tagged', { identityPool: importedPool(stack), allowSessionTags: true });
    expect(() => tagged.grantWhereTagMatches(['s3:GetObject'], ['arn:aws:s3:::b/*'], 'aws:team', 'team')).toThrow(/prop 'resourceTagKey': 'aws:team' is not a tag key/);
    expect(() => tagged.grantWhereTagMatches([], ['arn:aws:s3:::b/*'], 'team', 'team')).toThrow(/prop 'actions': the list is empty/);
    const other = newStack();
    expect(() => new IdentityPoolRoles(other, 'Roles', { identityPool: importedPool(other), principalTags: [{ providerName: PROVIDER, tags: {} }] }))
      .toThrow(/prop 'principalTags': 0 tags given/);
    expect(() => new IdentityPoolRoles(other, 'Roles2', { identityPool: importedPool(other), principalTags: [{ providerName: PROVIDER, tags: { 'a*b': 'x' } }] }))
      .toThrow(/prop 'principalTags': 'a\*b' is not a tag key/);
  });

  test('keeps the identity type of roles it does not create', () => {
    const stack = newStack();
    const guest = new IdentityPoolRole(stack, 'Guest', { identityPool: importedPool(stack), identityType: IdentityPoolIdentityType.UNAUTHENTICATED });
    expect(guest.allowsSessionTags).toBe(false);
  });
});
