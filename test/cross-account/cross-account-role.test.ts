import { App, Aws, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CrossAccountRole } from '../../src';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, OTHER_ORG, TEST_ACCOUNT, TEST_ENV, TEST_ORG } from '../support/env';
import { nagFindings } from '../support/nag';
import { awsCaller, simulate } from '../support/simulate';
import { logicalIdOf, templateOf } from '../support/template';

const CI_ROLE = `arn:aws:iam::${CALLER_ACCOUNT}:role/ci-deployer`;

function newStack(): Stack {
  return new Stack(new App(), 'Target', { env: TEST_ENV });
}

describe('CrossAccountRole', () => {
  test('trusts an exact caller role with sts:AssumeRole only', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [CI_ROLE] });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { AWS: CI_ROLE },
          Action: 'sts:AssumeRole',
          Condition: Match.absent(),
        }],
      },
      MaxSessionDuration: Match.absent(),
      RoleName: Match.absent(),
    });
  });

  test('renders account roots partition-aware and merges narrowing conditions into one statement', () => {
    const stack = newStack();
    new CrossAccountRole(stack, 'Deploy', {
      trustedAccounts: [CALLER_ACCOUNT],
      trustedRoleArns: [CI_ROLE],
      externalIds: ['pipeline-1', 'pipeline-2'],
      requireMfa: true,
      mfaMaxAge: Duration.minutes(30),
      roleSessionNamePattern: 'deploy-*',
      requireSourceIdentity: true,
      allowSessionTags: true,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: {
            AWS: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${CALLER_ACCOUNT}:root`]] },
              CI_ROLE,
            ],
          },
          Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
          Condition: {
            StringEquals: { 'sts:ExternalId': ['pipeline-1', 'pipeline-2'] },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '1800' },
            StringLike: { 'sts:RoleSessionName': 'deploy-*' },
            Null: { 'sts:SourceIdentity': 'false' },
          },
        }],
      },
    });
  });

  test('trusts an organization through aws:PrincipalOrgID with a "*" principal', () => {
    const stack = newStack();
    new CrossAccountRole(stack, 'Deploy', { trustedOrganizationIds: [TEST_ORG], requireMfa: true, roleSessionNamePattern: 'ops-*' });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { AWS: '*' },
          Condition: {
            StringEquals: { 'aws:PrincipalOrgID': TEST_ORG },
            StringLike: { 'sts:RoleSessionName': 'ops-*' },
            Bool: { 'aws:MultiFactorAuthPresent': 'true' },
            NumericLessThanEquals: { 'aws:MultiFactorAuthAge': '3600' },
          },
        }],
      },
    });
  });

  test('matches the snapshot', () => {
    const stack = newStack();
    new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [CI_ROLE], requireSourceIdentity: true });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const stack = newStack();
    new CrossAccountRole(stack, 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], externalIds: ['pipeline-1'] });
    new CrossAccountRole(stack, 'Ops', { trustedOrganizationIds: [TEST_ORG], requireMfa: true });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('an account-wide opt-in is flagged by the nag pack and warned about', () => {
    const stack = newStack();
    new CrossAccountRole(stack, 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], allowAccountWideTrust: true });
    Annotations.fromStack(stack).hasWarning('/Target/Deploy', Match.stringLikeRegexp('trusts whole accounts'));
    expect(nagFindings(stack).map(f => f.rule)).toEqual([
      `AccessPatterns-TrustAccountRootNarrowed[Principal::arn:aws:iam::${CALLER_ACCOUNT}:root]`,
    ]);
  });

  describe('simulation', () => {
    test('the named role is allowed, another role or account is denied', async () => {
      const stack = newStack();
      const role = new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [CI_ROLE] });
      expect(await simulate(stack, role, awsCaller(CI_ROLE))).toBe('Allowed');
      expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${CALLER_ACCOUNT}:role/intern`))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/ci-deployer`))).toBe('Denied');
      // The caller's own account must grant it too.
      expect(await simulate(stack, role, awsCaller(CI_ROLE, {}, { callerPolicy: false }))).toBe('Denied');
      // Only sts:AssumeRole is trusted by default.
      expect(await simulate(stack, role, awsCaller(CI_ROLE, {}, { action: 'sts:TagSession' }))).toBe('Denied');
    });

    test('an external id is required and must match', async () => {
      const stack = newStack();
      const role = new CrossAccountRole(stack, 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], externalIds: ['pipeline-1'] });
      const caller = `arn:aws:iam::${CALLER_ACCOUNT}:role/any`;
      expect(await simulate(stack, role, awsCaller(caller, { 'sts:ExternalId': 'pipeline-1' }))).toBe('Allowed');
      expect(await simulate(stack, role, awsCaller(caller, { 'sts:ExternalId': 'pipeline-2' }))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(caller))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(`arn:aws:iam::${OTHER_ACCOUNT}:role/any`, { 'sts:ExternalId': 'pipeline-1' }))).toBe('Denied');
    });

    test('MFA must be present and recent', async () => {
      const stack = newStack();
      const role = new CrossAccountRole(stack, 'Admin', { trustedAccounts: [CALLER_ACCOUNT], requireMfa: true });
      const human = `arn:aws:iam::${CALLER_ACCOUNT}:user/alice`;
      expect(await simulate(stack, role, awsCaller(human, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '300' }))).toBe('Allowed');
      expect(await simulate(stack, role, awsCaller(human, { 'aws:MultiFactorAuthPresent': 'true', 'aws:MultiFactorAuthAge': '7200' }))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(human, { 'aws:MultiFactorAuthPresent': 'false' }))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(human))).toBe('Denied');
    });

    test('an organization lets its members in and keeps others out', async () => {
      const stack = newStack();
      const role = new CrossAccountRole(stack, 'Ops', {
        trustedOrganizationIds: [TEST_ORG],
        trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/platform/ops'],
        roleSessionNamePattern: 'ops-*',
      });
      const member = `arn:aws:iam::${OTHER_ACCOUNT}:role/platform/ops`;
      const context = (org: string, session: string, arn: string = member) => ({ 'aws:PrincipalOrgID': org, 'sts:RoleSessionName': session, 'aws:PrincipalArn': arn });
      expect(await simulate(stack, role, awsCaller(member, context(TEST_ORG, 'ops-alice')))).toBe('Allowed');
      expect(await simulate(stack, role, awsCaller(member, context(OTHER_ORG, 'ops-alice')))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(member, context(TEST_ORG, 'alice')))).toBe('Denied');
      const intern = `arn:aws:iam::${OTHER_ACCOUNT}:role/intern`;
      expect(await simulate(stack, role, awsCaller(intern, context(TEST_ORG, 'ops-alice', intern)))).toBe('Denied');
    });

    test('principal ARN patterns narrow an account root to matching roles', async () => {
      // GIVEN an account root narrowed to its deploy-* roles
      const stack = newStack();
      const role = new CrossAccountRole(stack, 'Deploy', {
        trustedAccounts: [CALLER_ACCOUNT],
        trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*`],
      });
      // THEN the condition is ArnLike, and only matching roles get in
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*` } } }] },
      });
      const deployer = `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-api`;
      const intern = `arn:aws:iam::${CALLER_ACCOUNT}:role/intern`;
      expect(await simulate(stack, role, awsCaller(deployer, { 'aws:PrincipalArn': deployer }))).toBe('Allowed');
      expect(await simulate(stack, role, awsCaller(intern, { 'aws:PrincipalArn': intern }))).toBe('Denied');
      expect(nagFindings(stack)).toEqual([]);
    });

    test('a source identity must be set', async () => {
      const stack = newStack();
      const role = new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [CI_ROLE], requireSourceIdentity: true });
      expect(await simulate(stack, role, awsCaller(CI_ROLE, { 'sts:SourceIdentity': 'alice' }))).toBe('Allowed');
      expect(await simulate(stack, role, awsCaller(CI_ROLE))).toBe('Denied');
      expect(await simulate(stack, role, awsCaller(CI_ROLE, { 'sts:SourceIdentity': 'alice' }, { action: 'sts:SetSourceIdentity' }))).toBe('Allowed');
    });
  });

  describe('grantAssume', () => {
    test('grants sts:AssumeRole on exactly the target ARN', () => {
      const app = new App();
      const caller = new Stack(app, 'Caller', { env: { account: CALLER_ACCOUNT, region: 'us-east-1' } });
      const ci = new iam.Role(caller, 'Ci', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      const target = `arn:aws:iam::${TEST_ACCOUNT}:role/deploy`;
      const grant = CrossAccountRole.grantAssume(ci, target, { setSourceIdentity: true });
      expect(grant.success).toBe(true);
      Template.fromStack(caller).hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: { Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:SetSourceIdentity'], Resource: target }] },
      });
    });

    test('refuses a malformed role ARN', () => {
      const stack = newStack();
      const ci = new iam.Role(stack, 'Ci', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
      expect(() => CrossAccountRole.grantAssume(ci, 'arn:aws:iam::1234:role/deploy'))
        .toThrow(/Invalid CrossAccountRole.grantAssume 'Target\/Ci' prop 'roleArn': 'arn:aws:iam::1234:role\/deploy' is not a valid iam ARN/);
    });
  });

  describe('validation', () => {
    const cases: Array<[string, any, RegExp]> = [
      ['no principal', {}, /Invalid CrossAccountRole 'Target\/Deploy' prop 'trustedAccounts': no principal is trusted/],
      ['account root without narrowing', { trustedAccounts: [CALLER_ACCOUNT] },
        /prop 'trustedAccounts': trusting the account root of '111111111111' with no narrowing condition .* set allowAccountWideTrust: true to opt in/],
      ['organization without narrowing', { trustedOrganizationIds: [TEST_ORG] }, /prop 'trustedOrganizationIds': trusting the organization 'o-a1b2c3d4e5' with no narrowing/],
      ['account root narrowed by a session name only', { trustedAccounts: [CALLER_ACCOUNT], roleSessionNamePattern: 'ops-*' },
        /prop 'trustedAccounts': .* with no narrowing condition .*a session name or source identity is the caller's choice and does not/],
      ['organization narrowed by a source identity only', { trustedOrganizationIds: [TEST_ORG], requireSourceIdentity: true }, /prop 'trustedOrganizationIds': .* with no narrowing condition/],
      ['empty principal ARN patterns', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [] }, /prop 'trustedPrincipalArnPatterns': the list is empty/],
      ['principal ARN pattern of another service', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: ['arn:aws:s3:::bucket'] },
        /prop 'trustedPrincipalArnPatterns': 'arn:aws:s3:::bucket' is not an IAM role or user ARN \(pattern\)/],
      ['bare * principal ARN pattern', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: ['*'] }, /prop 'trustedPrincipalArnPatterns': '\*' is not an IAM role or user ARN/],
      ['short account id', { trustedAccounts: ['1234'], externalIds: ['ab'] }, /prop 'trustedAccounts': '1234' is not a 12-digit AWS account id/],
      ['duplicate account', { trustedAccounts: [CALLER_ACCOUNT, CALLER_ACCOUNT], externalIds: ['ab'] }, /prop 'trustedAccounts': '111111111111' is listed more than once/],
      ['malformed role ARN', { trustedRoleArns: ['arn:aws:iam::111111111111:user/bob'] }, /prop 'trustedRoleArns': 'arn:aws:iam::111111111111:user\/bob' is not a valid iam ARN/],
      ['role ARN with a region', { trustedRoleArns: ['arn:aws:iam:us-east-1:111111111111:role/x'] }, /prop 'trustedRoleArns': .* has a region/],
      ['organization id', { trustedOrganizationIds: ['org-1'], requireMfa: true }, /prop 'trustedOrganizationIds': 'org-1' is not an AWS Organizations id/],
      ['empty external ids', { trustedRoleArns: [CI_ROLE], externalIds: [] }, /prop 'externalIds': the list is empty/],
      ['short external id', { trustedRoleArns: [CI_ROLE], externalIds: ['x'] }, /prop 'externalIds': the external id 'x' is 1 characters long, outside 2-1,224/],
      ['external id characters', { trustedRoleArns: [CI_ROLE], externalIds: ['has space'] }, /prop 'externalIds': 'has space' contains characters outside/],
      ['mfa age without mfa', { trustedRoleArns: [CI_ROLE], mfaMaxAge: Duration.minutes(5) }, /prop 'mfaMaxAge': it only applies with requireMfa/],
      ['mfa age too long', { trustedRoleArns: [CI_ROLE], requireMfa: true, mfaMaxAge: Duration.days(2) }, /prop 'mfaMaxAge': 2 days is outside 1 minute to 12 hours/],
      ['session name pattern', { trustedRoleArns: [CI_ROLE], roleSessionNamePattern: 'bad name' }, /prop 'roleSessionNamePattern': 'bad name' contains characters outside/],
      ['session name too long', { trustedRoleArns: [CI_ROLE], roleSessionNamePattern: 'a'.repeat(65) }, /prop 'roleSessionNamePattern': .* is 65 characters long/],
      ['long session without opt-in', { trustedRoleArns: [CI_ROLE], maxSessionDuration: Duration.hours(4) }, /prop 'maxSessionDuration': 4 hours is longer than one hour.* set allowLongSessions: true/],
      ['session over 12 hours', { trustedRoleArns: [CI_ROLE], maxSessionDuration: Duration.hours(13), allowLongSessions: true }, /prop 'maxSessionDuration': 13 hours is outside 1 hour to 12 hours/],
      ['role name too long', { trustedRoleArns: [CI_ROLE], roleName: 'r'.repeat(65) }, /prop 'roleName': .* is 65 characters long, outside 1-64/],
      ['role name characters', { trustedRoleArns: [CI_ROLE], roleName: 'deploy role' }, /prop 'roleName': 'deploy role' contains characters outside/],
      ['role path', { trustedRoleArns: [CI_ROLE], path: 'deploy' }, /prop 'path': 'deploy' is not an IAM path/],
      ['trust size limit', { trustedRoleArns: [CI_ROLE], maxTrustPolicySize: 0 }, /prop 'maxTrustPolicySize': 0 is not a positive whole number/],
    ];
    test.each(cases)('%s', (_name, props, message) => {
      const stack = newStack();
      expect(() => new CrossAccountRole(stack, 'Deploy', props)).toThrow(message);
    });

    test('a trust policy over the configured maximum fails synthesis, naming how much to cut', () => {
      const stack = newStack();
      const roles = Array.from({ length: 80 }, (_, i) => `arn:aws:iam::${CALLER_ACCOUNT}:role/pipeline-deployer-${i}`);
      new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: roles });
      expect(() => Template.fromStack(stack)).toThrow(
        /Invalid CrossAccountRole 'Target\/Deploy': the trust policy is \d+ characters, over the maximum of 4096; cut at least \d+ characters/);
    });

    test('a trust policy over the default quota warns, and a raised maximum accepts it', () => {
      const stack = newStack();
      const roles = Array.from({ length: 40 }, (_, i) => `arn:aws:iam::${CALLER_ACCOUNT}:role/pipeline-deployer-${i}`);
      new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: roles, maxTrustPolicySize: 4096 });
      Annotations.fromStack(stack).hasWarning('/Target/Deploy', Match.stringLikeRegexp("over IAM's default quota of 2048"));
      const small = newStack();
      new CrossAccountRole(small, 'Deploy', { trustedRoleArns: roles.slice(0, 60), maxTrustPolicySize: 1000 });
      expect(() => Template.fromStack(small)).toThrow(/over the maximum of 1000; cut at least \d+ characters/);
    });

    test('a long session is accepted with the opt-in and warned about', () => {
      const stack = newStack();
      new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [CI_ROLE], maxSessionDuration: Duration.hours(4), allowLongSessions: true });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', { MaxSessionDuration: 14400 });
      Annotations.fromStack(stack).hasWarning('/Target/Deploy', Match.stringLikeRegexp('up to 4 hours'));
    });
  });

  describe('principal ARNs and patterns that do not narrow', () => {
    const ANY_ROLE_FIX = /; name the role, or a path prefix such as 'arn:aws:iam::111111111111:role\/deploy\/\*'; or leave the pattern out and set allowAccountWideTrust: true to opt in to trusting every principal there\./;
    const cases: Array<[string, any, RegExp]> = [
      ['every role of every account, with an account root', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/*'] },
        /Invalid CrossAccountRole 'Target\/Deploy' prop 'trustedPrincipalArnPatterns': 'arn:aws:iam::\*:role\/\*' matches every role and user of every account, so it narrows nothing of the trusted account root; name the role, or a path prefix such as 'arn:aws:iam::111122223333:role\/deploy\/\*'/],
      ['every principal of the account', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:*`] }, ANY_ROLE_FIX],
      ['every role of the account', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/*`] },
        /'arn:aws:iam::111111111111:role\/\*' matches every role and user of account 111111111111, so it narrows nothing of the trusted account root/],
      ['every user of the account', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:user/*`] }, ANY_ROLE_FIX],
      ['every role next to a narrow pattern', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*`, `arn:aws:iam::${CALLER_ACCOUNT}:role/*`] }, ANY_ROLE_FIX],
      ['every role next to an external id', { trustedAccounts: [CALLER_ACCOUNT], externalIds: ['pipeline-1'], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/*`] }, ANY_ROLE_FIX],
      ['every role of every member account', { trustedOrganizationIds: [TEST_ORG], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/*'] },
        /'arn:aws:iam::\*:role\/\*' matches every role and user of every account, so it narrows nothing of the trusted organization/],
      ['every role, with the account-wide opt-in', { trustedAccounts: [CALLER_ACCOUNT], allowAccountWideTrust: true, trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/*`] },
        /narrows nothing of the trusted account root; .*or leave the pattern out, since allowAccountWideTrust already trusts every principal there/],
      ['a wildcard account without an organization', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/deploy'] },
        /prop 'trustedPrincipalArnPatterns': 'arn:aws:iam::\*:role\/deploy' has a wildcard in the account, which only narrows an organization \(aws:PrincipalOrgID keeps other accounts out\); write the trusted account's id in the pattern/],
      ['a partly wildcard account', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: ['arn:aws:iam::11111111111?:role/deploy'] }, /has a wildcard in the account, which only narrows an organization/],
      ['a wildcard account with exact roles only', { trustedRoleArns: [CI_ROLE], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/ci-*'] }, /has a wildcard in the account/],
      ['a pattern for an account that is not trusted', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/deploy`] },
        /prop 'trustedPrincipalArnPatterns': 'arn:aws:iam::333333333333:role\/deploy' is for account 333333333333, but the trusted accounts are 111111111111, so it can never match; write the trusted account in the pattern, e.g. 'arn:aws:iam::111111111111:role\/deploy', or add 333333333333 to trustedAccounts/],
      ['a wildcard in a trusted role ARN', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*`] },
        /prop 'trustedRoleArns': 'arn:aws:iam::111111111111:role\/deploy-\*' contains a wildcard, but IAM refuses wildcards in a trust policy's Principal \(the deployment fails\); name the exact role; to trust every role that matches a pattern, trust its account with trustedAccounts and move the pattern into trustedPrincipalArnPatterns/],
      ['a wildcard account in a trusted role ARN', { trustedRoleArns: ['arn:aws:iam::*:role/deploy'] }, /prop 'trustedRoleArns': 'arn:aws:iam::\*:role\/deploy' contains a wildcard/],
      ['a wildcard path in a trusted role ARN', { trustedRoleArns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/ci/?/deployer`] }, /prop 'trustedRoleArns': .* contains a wildcard/],
      ['a role of another partition', { trustedRoleArns: [`arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci-deployer`] },
        /prop 'trustedRoleArns': 'arn:aws-cn:iam::111111111111:role\/ci-deployer' is in the partition 'aws-cn', but the stack is in us-east-1 \(partition 'aws'\), and principals of another partition can never assume the role; name principals of the partition 'aws'/],
      ['a pattern of another partition', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws-us-gov:iam::${CALLER_ACCOUNT}:role/deploy-*`] },
        /prop 'trustedPrincipalArnPatterns': 'arn:aws-us-gov:iam::111111111111:role\/deploy-\*' is in the partition 'aws-us-gov', but the stack is in us-east-1/],
    ];
    test.each(cases)('refuses %s', (_name, props, message) => {
      expect(() => new CrossAccountRole(newStack(), 'Deploy', props)).toThrow(message);
    });

    test('accepts patterns that name a role or a path, a wildcard account with an organization, any partition pattern, and exact roles of trusted accounts', () => {
      const stack = newStack();
      new CrossAccountRole(stack, 'Path', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy/*`] });
      new CrossAccountRole(stack, 'Org', { trustedOrganizationIds: [TEST_ORG], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/platform/*', 'arn:aws:iam::?????????????:role/ops'] });
      new CrossAccountRole(stack, 'OrgAccount', { trustedOrganizationIds: [TEST_ORG], trustedPrincipalArnPatterns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/ops`] });
      new CrossAccountRole(stack, 'AnyPartition', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:*:iam::${CALLER_ACCOUNT}:role/deploy`] });
      new CrossAccountRole(stack, 'RoleAccount', {
        trustedAccounts: [CALLER_ACCOUNT],
        trustedRoleArns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/ci`],
        trustedPrincipalArnPatterns: [`arn:aws:iam::${OTHER_ACCOUNT}:role/ci`, `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*`],
      });
      expect(Object.keys(templateOf(stack).Resources).filter(id => templateOf(stack).Resources[id].Type === 'AWS::IAM::Role')).toHaveLength(5);
    });

    test('checks the partition only when the stack\'s region is known', () => {
      const china = new Stack(new App(), 'China', { env: { account: TEST_ACCOUNT, region: 'cn-north-1' } });
      new CrossAccountRole(china, 'Deploy', { trustedRoleArns: [`arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci`] });
      expect(() => new CrossAccountRole(china, 'Global', { trustedRoleArns: [CI_ROLE] }))
        .toThrow(/'arn:aws:iam::111111111111:role\/ci-deployer' is in the partition 'aws', but the stack is in cn-north-1 \(partition 'aws-cn'\)/);
      const agnostic = new Stack(new App(), 'Agnostic');
      new CrossAccountRole(agnostic, 'Deploy', { trustedRoleArns: [`arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci`, CI_ROLE] });
      expect(Template.fromStack(agnostic).findResources('AWS::IAM::Role')).not.toEqual({});
    });

    describe('simulation: what the attacker\'s request does', () => {
      const deployer = `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy/api`;
      const intern = `arn:aws:iam::${CALLER_ACCOUNT}:role/intern`;

      test('an any-role pattern lets every role of the trusted account in; a path prefix keeps the others out', async () => {
        // GIVEN the trust written by hand with an any-role pattern
        const stack = newStack();
        const handWritten = new iam.Role(stack, 'HandWritten', {
          assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:role/*` } }),
        });
        // THEN any role the trusted account's administrators create gets in
        expect(await simulate(stack, handWritten, awsCaller(intern, { 'aws:PrincipalArn': intern }))).toBe('Allowed');
        // and the library refuses the pattern
        expect(() => new CrossAccountRole(newStack(), 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/*`] }))
          .toThrow(/narrows nothing/);
        // while a path prefix keeps the intern out
        const fixed = newStack();
        const role = new CrossAccountRole(fixed, 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy/*`] });
        expect(await simulate(fixed, role, awsCaller(deployer, { 'aws:PrincipalArn': deployer }))).toBe('Allowed');
        expect(await simulate(fixed, role, awsCaller(intern, { 'aws:PrincipalArn': intern }))).toBe('Denied');
      });

      test('an any-role pattern with an organization lets every role of every member account in', async () => {
        const stack = newStack();
        const handWritten = new iam.Role(stack, 'HandWritten', {
          assumedBy: new iam.AnyPrincipal().withConditions({
            StringEquals: { 'aws:PrincipalOrgID': TEST_ORG },
            ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' },
          }),
        });
        const member = `arn:aws:iam::${OTHER_ACCOUNT}:role/anything`;
        expect(await simulate(stack, handWritten, awsCaller(member, { 'aws:PrincipalOrgID': TEST_ORG, 'aws:PrincipalArn': member }))).toBe('Allowed');
        expect(() => new CrossAccountRole(newStack(), 'Ops', { trustedOrganizationIds: [TEST_ORG], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/*'] }))
          .toThrow(/narrows nothing of the trusted organization/);
      });

      test('a pattern for an account that is not trusted can never match: the intended caller is locked out', async () => {
        const stack = newStack();
        const handWritten = new iam.Role(stack, 'HandWritten', {
          assumedBy: new iam.AccountPrincipal(CALLER_ACCOUNT).withConditions({ ArnEquals: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER_ACCOUNT}:role/deploy` } }),
        });
        const ours = `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy`;
        const theirs = `arn:aws:iam::${OTHER_ACCOUNT}:role/deploy`;
        expect(await simulate(stack, handWritten, awsCaller(ours, { 'aws:PrincipalArn': ours }))).toBe('Denied');
        expect(await simulate(stack, handWritten, awsCaller(theirs, { 'aws:PrincipalArn': theirs }))).toBe('Denied');
        expect(() => new CrossAccountRole(newStack(), 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [theirs] }))
          .toThrow(/is for account 333333333333, but the trusted accounts are 111111111111, so it can never match/);
      });

      test('a role pattern moved from trustedRoleArns into trustedPrincipalArnPatterns lets matching roles in and keeps the others out', async () => {
        const stack = newStack();
        const role = new CrossAccountRole(stack, 'Deploy', { trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*`] });
        const matching = `arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-web`;
        expect(await simulate(stack, role, awsCaller(matching, { 'aws:PrincipalArn': matching }))).toBe('Allowed');
        expect(await simulate(stack, role, awsCaller(intern, { 'aws:PrincipalArn': intern }))).toBe('Denied');
      });
    });
  });

  test('skips the ARN checks for tokens', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const pattern = new CfnParameter(stack, 'CallerPattern').valueAsString;
    const account = new CfnParameter(stack, 'CallerAccount').valueAsString;
    const roleArn = new CfnParameter(stack, 'CallerRoleArn').valueAsString;
    new CrossAccountRole(stack, 'Deploy', {
      trustedAccounts: [account],
      trustedRoleArns: [roleArn, `arn:${Aws.PARTITION}:iam::${CALLER_ACCOUNT}:role/ci`],
      // with a token account, the accounts the patterns may name are only known at deployment
      trustedPrincipalArnPatterns: [pattern, `arn:aws:iam::${OTHER_ACCOUNT}:role/deploy-*`],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({ Condition: { ArnEquals: { 'aws:PrincipalArn': { Ref: 'CallerPattern' } } } }),
          Match.objectLike({ Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${OTHER_ACCOUNT}:role/deploy-*` } } }),
        ],
      },
    });
  });

  test('accepts tokens for accounts, role ARNs and external ids', () => {
    const stack = newStack();
    const account = new CfnParameter(stack, 'CallerAccount').valueAsString;
    const roleArn = new CfnParameter(stack, 'CallerRoleArn').valueAsString;
    const externalId = new CfnParameter(stack, 'ExternalId').valueAsString;
    new CrossAccountRole(stack, 'Deploy', { trustedAccounts: [account], trustedRoleArns: [roleArn], externalIds: [externalId] });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { AWS: Match.arrayWith([{ Ref: 'CallerRoleArn' }]) },
          Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
        }],
      },
    });
  });

  test('works with grants on the role like any iam.Role', () => {
    const stack = newStack();
    const role = new CrossAccountRole(stack, 'Deploy', { trustedRoleArns: [CI_ROLE] });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::artifacts/*'] }));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/*' }] },
      Roles: [{ Ref: logicalIdOf(role) }],
    });
  });
});
