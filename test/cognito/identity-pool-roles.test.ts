import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { IdentityPool, UserPoolAuthenticationProvider } from 'aws-cdk-lib/aws-cognito-identitypool';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IdentityPoolIdentityType, IdentityPoolRole, IdentityPoolRoles } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { mapConditionKey, simulate, webIdentity } from '../support/simulate';
import { logicalIdOf, resolveIntrinsics, templateOf } from '../support/template';

const POOL_ID = 'us-east-1:0123abcd-0123-4567-89ab-0123456789ab';
const OTHER_POOL_ID = 'us-east-1:ffffffff-0123-4567-89ab-0123456789ab';
const COGNITO = 'cognito-identity.amazonaws.com';
const S3_CONTEXT = 'kms:EncryptionContext:aws:s3:arn';

function newStack(): Stack {
  return new Stack(new App(), 'App', { env: TEST_ENV });
}

function importedPool(stack: Stack, id: string = POOL_ID) {
  return IdentityPool.fromIdentityPoolId(stack, 'Pool', id);
}

/** The web identity token Cognito presents to STS for an identity of `pool`. */
function cognitoToken(pool: string, amr: string[], action = 'sts:AssumeRoleWithWebIdentity') {
  return { ...webIdentity(COGNITO, { [`${COGNITO}:aud`]: pool, [`${COGNITO}:amr`]: amr }), action };
}

describe('IdentityPoolRoles', () => {
  test('creates an authenticated role trusting exactly the pool and attaches it', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: COGNITO },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            'StringEquals': { [`${COGNITO}:aud`]: POOL_ID },
            'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      IdentityPoolId: POOL_ID,
      Roles: { authenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RolesAuthenticatedRole'), 'Arn'] }, unauthenticated: Match.absent() },
    });
  });

  test('creates a guest role only with the explicit opt-in, and warns', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', {
      identityPool: importedPool(stack),
      allowUnauthenticatedIdentities: true,
      unauthenticatedRoleProps: { description: 'guests' },
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'guests',
      AssumeRolePolicyDocument: { Statement: [{ Condition: { 'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'unauthenticated' } } }] },
    });
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      Roles: { authenticated: Match.anyValue(), unauthenticated: { 'Fn::GetAtt': [Match.stringLikeRegexp('^RolesUnauthenticatedRole'), 'Arn'] } },
    });
    expect(roles.unauthenticatedRole?.identityType).toBe(IdentityPoolIdentityType.UNAUTHENTICATED);
    Annotations.fromStack(stack).hasWarning('/App/Roles/UnauthenticatedRole', Match.stringLikeRegexp('unauthenticated \\(guest\\) identities'));
  });

  test('takes over the role attachment of an aws-cdk-lib IdentityPool instead of adding a second one', () => {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Users');
    const pool = new IdentityPool(stack, 'Pool', {
      authenticationProviders: { userPools: [new UserPoolAuthenticationProvider({ userPool })] },
    });
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: pool });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Cognito::IdentityPoolRoleAttachment', 1);
    // aws-cdk-lib's unused default roles are gone: only the authenticated role remains.
    template.resourceCountIs('AWS::IAM::Role', 1);
    template.hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', {
      IdentityPoolId: { Ref: Match.stringLikeRegexp('^Pool') },
      Roles: { authenticated: { 'Fn::GetAtt': [logicalIdOf(roles.authenticatedRole), 'Arn'] }, unauthenticated: Match.absent() },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { [`${COGNITO}:aud`]: { Ref: Match.stringLikeRegexp('^Pool') } } } }] },
    });
    expect(roles.roleAttachment).toBe(pool.roleAttachment);
  });

  test('the role attachment keeps its logical id when the roles\' mutable props change', () => {
    const attachmentIds = (description: string) => {
      const stack = newStack();
      new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), authenticatedRoleProps: { description } });
      return Object.keys(Template.fromStack(stack).findResources('AWS::Cognito::IdentityPoolRoleAttachment'));
    };
    const before = attachmentIds('app users');
    expect(before).toEqual([expect.stringMatching(/^RolesRoleAttachment[0-9A-F]{8}$/)]);
    expect(attachmentIds('signed-in users of the app')).toEqual(before);
  });

  test('leaves the attachment to others with attachRoles: false', () => {
    const stack = newStack();
    new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), attachRoles: false });
    Template.fromStack(stack).resourceCountIs('AWS::Cognito::IdentityPoolRoleAttachment', 0);
  });

  test('grantPerIdentityPrefix scopes objects and listing to the identity\'s folder, and the bucket key', () => {
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Uploads', { encryptionKey: key, encryption: s3.BucketEncryption.KMS });
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    roles.grantPerIdentityPrefix(bucket, 'private');
    const folder = 'private/${cognito-identity.amazonaws.com:sub}';
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Uploads'), 'Arn'] }, `/${folder}/*`]] },
          },
          {
            Effect: 'Allow',
            Action: 's3:ListBucket',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Uploads'), 'Arn'] },
            Condition: { StringLike: { 's3:prefix': [`${folder}/`, `${folder}/*`] } },
          },
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Key'), 'Arn'] },
            Condition: {
              StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
              StringLike: { 'kms:EncryptionContext:aws:s3:arn': [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Uploads'), 'Arn'] }, `/${folder}/*`]] }] },
            },
          },
        ],
      },
    });
  });

  test('with S3 Bucket Keys the key condition names the bucket ARN, the context S3 then uses', () => {
    // GIVEN
    const stack = newStack();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bucket = new s3.Bucket(stack, 'Uploads', { encryptionKey: key, encryption: s3.BucketEncryption.KMS, bucketKeyEnabled: true });
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    // WHEN
    roles.grantPerIdentityPrefix(bucket, 'private');
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          Condition: {
            StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' },
            StringLike: { 'kms:EncryptionContext:aws:s3:arn': [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Uploads'), 'Arn'] }] },
          },
        })]),
      },
    });
  });

  test('for an imported bucket, whose Bucket Key setting is unknown, both contexts are allowed', () => {
    const stack = newStack();
    const key = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ab`);
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Uploads', { bucketName: 'acme-uploads', encryptionKey: key });
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
    roles.grantPerIdentityPrefix(bucket, 'private');
    const policy = Object.values(templateOf(stack).Resources).find(r => r.Type === 'AWS::IAM::Policy')!;
    const kmsStatement = resolveIntrinsics(templateOf(stack), policy.Properties.PolicyDocument).Statement
      .find((st: any) => JSON.stringify(st.Action).includes('kms:'));
    expect(kmsStatement.Condition.StringLike['kms:EncryptionContext:aws:s3:arn']).toEqual([
      'arn:aws:s3:::acme-uploads/private/${cognito-identity.amazonaws.com:sub}/*',
      'arn:aws:s3:::acme-uploads',
    ]);
  });

  test('matches the snapshot', () => {
    const stack = newStack();
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), authenticatedRoleProps: { description: 'app users' } });
    roles.grantPerIdentityPrefix(s3.Bucket.fromBucketName(stack, 'Uploads', 'acme-uploads'), 'private');
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const stack = newStack();
    const userPool = new cognito.UserPool(stack, 'Users', {
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: { minLength: 12, requireDigits: true, requireLowercase: true, requireUppercase: true, requireSymbols: true },
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    });
    const pool = new IdentityPool(stack, 'Pool', { authenticationProviders: { userPools: [new UserPoolAuthenticationProvider({ userPool })] } });
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: pool, allowUnauthenticatedIdentities: true });
    const logs = new s3.Bucket(stack, 'Logs', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    const bucket = new s3.Bucket(stack, 'Uploads', {
      enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, serverAccessLogsBucket: logs,
    });
    roles.grantPerIdentityPrefix(bucket, 'private');
    Validations.of(logs).acknowledge({ id: 'AwsSolutions-S1', reason: 'This is the access log bucket itself.' });
    // The guest role is owner-wide by the one definition of a narrow trust: anyone who reaches the pool gets it.
    expect(nagFindings(stack)).toEqual([{
      path: 'App/Roles/UnauthenticatedRole/Resource',
      rule: 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::amr:unauthenticated]',
    }]);
  });

  describe('simulation', () => {
    test('an authenticated identity of the pool is allowed; another pool\'s aud and guests are denied', async () => {
      const stack = newStack();
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
      const role = roles.authenticatedRole;
      expect(await simulate(stack, role, cognitoToken(POOL_ID, ['authenticated', 'cognito-idp.us-east-1.amazonaws.com/us-east-1_abc']))).toBe('Allowed');
      expect(await simulate(stack, role, cognitoToken(OTHER_POOL_ID, ['authenticated']))).toBe('Denied');
      expect(await simulate(stack, role, cognitoToken(POOL_ID, ['unauthenticated']))).toBe('Denied');
      // No amr at all (iam-simulate cannot take an empty list, so the key is left out).
      expect(await simulate(stack, role, webIdentity(COGNITO, { [`${COGNITO}:aud`]: POOL_ID }))).toBe('Denied');
      // An OIDC provider of the account is not Cognito.
      expect(await simulate(stack, role, webIdentity(`arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${COGNITO}`,
        { [`${COGNITO}:aud`]: POOL_ID, [`${COGNITO}:amr`]: ['authenticated'] }))).toBe('Denied');
    });

    test('the guest role takes guests of the pool only, and session tags need the opt-in', async () => {
      const stack = newStack();
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack), allowUnauthenticatedIdentities: true });
      const guest = roles.unauthenticatedRole!;
      expect(await simulate(stack, guest, cognitoToken(POOL_ID, ['unauthenticated']))).toBe('Allowed');
      expect(await simulate(stack, guest, cognitoToken(OTHER_POOL_ID, ['unauthenticated']))).toBe('Denied');
      expect(await simulate(stack, roles.authenticatedRole, cognitoToken(POOL_ID, ['authenticated'], 'sts:TagSession'))).toBe('Denied');

      const other = newStack();
      const tagged = new IdentityPoolRole(other, 'Users', { identityPool: importedPool(other), allowSessionTags: true });
      expect(await simulate(other, tagged, cognitoToken(POOL_ID, ['authenticated'], 'sts:TagSession'))).toBe('Allowed');
    });

    /**
     * The per-identity grant is an identity policy, evaluated with the policy variable
     * `${cognito-identity.amazonaws.com:sub}`. iam-simulate drops context keys it does
     * not know, so, as test/support/simulate.ts does for trust policies, the key is
     * renamed to `aws:PrincipalTag/cognito-identity.amazonaws.com:sub` in both the policy
     * variable and the request context; the simulator substitutes that variable. It also
     * drops `kms:EncryptionContext:aws:s3:arn` (an encryption context key with colons), so
     * that key is renamed the same way in the policy and the request.
     */
    async function s3Access(
      stack: Stack, role: iam.Role, action: string, resource: string, identityId: string, context: Record<string, string> = {},
    ): Promise<string> {
      const template = templateOf(stack);
      const policies = Object.values(template.Resources)
        .filter(r => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles).includes(logicalIdOf(role)))
        .map((r, i) => {
          const policy = resolveIntrinsics(template, r.Properties.PolicyDocument);
          const mapped = JSON.parse(JSON.stringify(policy)
            .split('${cognito-identity.amazonaws.com:sub}').join(`\${${mapConditionKey(`${COGNITO}:sub`)}}`)
            .split(`"${S3_CONTEXT}"`).join(`"${mapConditionKey(S3_CONTEXT)}"`));
          return { name: `p${i}`, policy: mapped };
        });
      expect(policies.length).toBeGreaterThan(0);
      const response: any = await runSimulation({
        identityPolicies: policies,
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        // A KMS key is reachable only through its key policy: the default one, which
        // delegates to the account's IAM policies (what kms.Key and imported keys rely on).
        ...(action.startsWith('kms:') ? {
          resourcePolicy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
          },
        } : {}),
        request: {
          action,
          principal: `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/${logicalIdOf(role)}/CognitoIdentityCredentials`,
          resource: { accountId: TEST_ACCOUNT, resource },
          contextVariables: {
            [mapConditionKey(`${COGNITO}:sub`)]: identityId,
            ...Object.fromEntries(Object.entries(context).map(([k, v]) => [k === S3_CONTEXT ? mapConditionKey(k) : k, v])),
          },
        },
      } as any, {});
      if (response.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
      return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
    }

    test('the bucket key serves identity A through S3 for its own objects only, never directly', async () => {
      // GIVEN
      const stack = newStack();
      const key = kms.Key.fromKeyArn(stack, 'Key', `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/0123abcd-0123-4567-89ab-0123456789ab`);
      const bucket = s3.Bucket.fromBucketAttributes(stack, 'Uploads', { bucketName: 'acme-uploads', encryptionKey: key });
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
      // WHEN
      roles.grantPerIdentityPrefix(bucket, 'private');
      // THEN
      const role = roles.authenticatedRole;
      const A = 'us-east-1:aaaaaaaa-0000-0000-0000-000000000000';
      const B = 'us-east-1:bbbbbbbb-0000-0000-0000-000000000000';
      const keyArn = key.keyArn;
      const viaS3 = { 'kms:ViaService': 's3.us-east-1.amazonaws.com' };
      const context = (id: string) => ({ 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::acme-uploads/private/${id}/photo.jpg` });
      expect(await s3Access(stack, role, 'kms:Decrypt', keyArn, A, { ...viaS3, ...context(A) })).toBe('Allowed');
      expect(await s3Access(stack, role, 'kms:GenerateDataKey', keyArn, A, { ...viaS3, ...context(A) })).toBe('Allowed');
      // Directly against KMS (no kms:ViaService), even with a context of its own folder.
      expect(await s3Access(stack, role, 'kms:Decrypt', keyArn, A, context(A))).toBe('Denied');
      // Through another service.
      expect(await s3Access(stack, role, 'kms:Decrypt', keyArn, A, { 'kms:ViaService': 'ec2.us-east-1.amazonaws.com', ...context(A) })).toBe('Denied');
      // Through S3, for another identity's object.
      expect(await s3Access(stack, role, 'kms:Decrypt', keyArn, A, { ...viaS3, ...context(B) })).toBe('Denied');
      // Through S3, for an object of another bucket encrypted with the same key.
      expect(await s3Access(stack, role, 'kms:Decrypt', keyArn, A, { ...viaS3, 'kms:EncryptionContext:aws:s3:arn': `arn:aws:s3:::other/private/${A}/x` })).toBe('Denied');
    });

    test('identity A reaches its own folder and cannot reach identity B\'s', async () => {
      const stack = newStack();
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
      roles.grantPerIdentityPrefix(s3.Bucket.fromBucketName(stack, 'Uploads', 'acme-uploads'), 'private');
      const role = roles.authenticatedRole;
      const A = 'us-east-1:aaaaaaaa-0000-0000-0000-000000000000';
      const B = 'us-east-1:bbbbbbbb-0000-0000-0000-000000000000';
      const object = (id: string) => `arn:aws:s3:::acme-uploads/private/${id}/photo.jpg`;
      expect(await s3Access(stack, role, 's3:GetObject', object(A), A)).toBe('Allowed');
      expect(await s3Access(stack, role, 's3:PutObject', object(A), A)).toBe('Allowed');
      expect(await s3Access(stack, role, 's3:GetObject', object(B), A)).toBe('Denied');
      expect(await s3Access(stack, role, 's3:DeleteObject', object(B), A)).toBe('Denied');
      expect(await s3Access(stack, role, 's3:GetObject', 'arn:aws:s3:::acme-uploads/public/index.html', A)).toBe('Denied');
      expect(await s3Access(stack, role, 's3:ListBucket', 'arn:aws:s3:::acme-uploads', A, { 's3:prefix': `private/${A}/` })).toBe('Allowed');
      expect(await s3Access(stack, role, 's3:ListBucket', 'arn:aws:s3:::acme-uploads', A, { 's3:prefix': `private/${B}/` })).toBe('Denied');
      expect(await s3Access(stack, role, 's3:ListBucket', 'arn:aws:s3:::acme-uploads', A, { 's3:prefix': 'private/' })).toBe('Denied');
    });
  });

  describe('validation', () => {
    test.each([
      ['malformed pool id', { identityPool: 'us-east-1:abc' }, /Invalid IdentityPoolRoles 'App\/Roles' prop 'identityPool': 'us-east-1:abc' is not a Cognito identity pool id/],
      ['guest role props without opt-in', { unauthenticatedRoleProps: { description: 'x' } }, /prop 'unauthenticatedRoleProps': it only applies with allowUnauthenticatedIdentities/],
      ['role props', { authenticatedRoleProps: { roleName: 'has space' } }, /Invalid IdentityPoolRole 'App\/Roles\/AuthenticatedRole' prop 'roleName': 'has space' contains characters outside/],
    ])('%s', (_name, props: any, message) => {
      const stack = newStack();
      const identityPool = importedPool(stack, props.identityPool ?? POOL_ID);
      expect(() => new IdentityPoolRoles(stack, 'Roles', { ...props, identityPool })).toThrow(message);
    });

    test.each([
      ['empty', ''], ['leading slash', '/private'], ['trailing slash', 'private/'], ['wildcard', 'priv*'], ['policy variable', 'p/${aws:username}'],
    ])('grantPerIdentityPrefix refuses a prefix: %s', (_name, prefix) => {
      const stack = newStack();
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: importedPool(stack) });
      expect(() => roles.grantPerIdentityPrefix(s3.Bucket.fromBucketName(stack, 'B', 'acme-uploads'), prefix))
        .toThrow(/Invalid IdentityPoolRole.grantPerIdentityPrefix 'App\/Roles\/AuthenticatedRole' prop 'prefix': .* is not a folder name/);
    });

    test('fails synthesis when the detached default role is granted permissions after construction', () => {
      // GIVEN
      const stack = newStack();
      const pool = new IdentityPool(stack, 'Pool');
      new IdentityPoolRoles(stack, 'Roles', { identityPool: pool });
      // WHEN
      s3.Bucket.fromBucketName(stack, 'Uploads', 'acme-uploads').grantRead(pool.authenticatedRole);
      // THEN
      expect(() => Template.fromStack(stack)).toThrow(
        /Invalid IdentityPoolRoles 'App\/Roles' prop 'identityPool': permissions were granted to the identity pool's default role App\/Pool\/AuthenticatedRole after IdentityPoolRoles replaced it, so they would be lost; grant them on IdentityPoolRoles.authenticatedRole/);
    });

    test('fails synthesis when a managed policy is added to the detached guest role', () => {
      const stack = newStack();
      const pool = new IdentityPool(stack, 'Pool');
      new IdentityPoolRoles(stack, 'Roles', { identityPool: pool });
      pool.unauthenticatedRole.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess'));
      expect(() => Template.fromStack(stack)).toThrow(/default role App\/Pool\/UnauthenticatedRole after IdentityPoolRoles replaced it/);
    });

    test('grants on IdentityPoolRoles.authenticatedRole after construction synthesize', () => {
      const stack = newStack();
      const pool = new IdentityPool(stack, 'Pool');
      const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: pool });
      s3.Bucket.fromBucketName(stack, 'Uploads', 'acme-uploads').grantRead(roles.authenticatedRole);
      Template.fromStack(stack).resourceCountIs('AWS::IAM::Policy', 1);
    });

    test.each(['authenticatedRole', 'unauthenticatedRole'])('refuses an IdentityPool created with an explicit %s', (prop) => {
      const stack = newStack();
      const own = new iam.Role(stack, 'Own', { assumedBy: new iam.AccountPrincipal(TEST_ACCOUNT) });
      const pool = new IdentityPool(stack, 'Pool', { [prop]: own });
      expect(() => new IdentityPoolRoles(stack, 'Roles', { identityPool: pool }))
        .toThrow(new RegExp(`prop 'identityPool': the identity pool App/Pool was created with its own ${prop}, which these roles would replace`));
      // With attachRoles: false the pool keeps its roles.
      expect(() => new IdentityPoolRoles(stack, 'Roles2', { identityPool: pool, attachRoles: false })).not.toThrow();
    });

    test('refuses to drop a default IdentityPool role that was granted permissions', () => {
      const stack = newStack();
      const pool = new IdentityPool(stack, 'Pool');
      pool.authenticatedRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }));
      expect(() => new IdentityPoolRoles(stack, 'Roles', { identityPool: pool }))
        .toThrow(/prop 'identityPool': permissions were granted to the default role App\/Pool\/AuthenticatedRole .* grant them on IdentityPoolRoles.authenticatedRole/);
    });
  });

  test('accepts tokens for the pool id and the prefix', () => {
    const stack = newStack();
    const poolId = new CfnParameter(stack, 'PoolId').valueAsString;
    const prefix = new CfnParameter(stack, 'Prefix').valueAsString;
    const roles = new IdentityPoolRoles(stack, 'Roles', { identityPool: IdentityPool.fromIdentityPoolId(stack, 'Pool', poolId) });
    roles.grantPerIdentityPrefix(s3.Bucket.fromBucketName(stack, 'B', 'acme-uploads'), prefix);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { [`${COGNITO}:aud`]: { Ref: 'PoolId' } } } }] },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Cognito::IdentityPoolRoleAttachment', { IdentityPoolId: { Ref: 'PoolId' } });
  });
});
