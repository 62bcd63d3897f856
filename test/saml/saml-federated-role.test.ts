import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SamlAudience, SamlCondition, SamlFederatedRole, SamlSubjectType } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { samlAssertion, simulate } from '../support/simulate';
import { templateOf } from '../support/template';

const PROVIDER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:saml-provider/Okta`;
const SIGNIN = 'https://signin.aws.amazon.com/saml';
const METADATA = '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1"></md:EntityDescriptor>';

function newStack(env = TEST_ENV): Stack {
  return new Stack(new App(), 'Sso', { env });
}

function importedProvider(stack: Stack): iam.ISamlProvider {
  return iam.SamlProvider.fromSamlProviderArn(stack, 'Okta', PROVIDER_ARN);
}

function trustStatements(stack: Stack): any[] {
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  return Object.values(roles).flatMap((r: any) => r.Properties.AssumeRolePolicyDocument.Statement);
}

describe('SamlFederatedRole', () => {
  test('trusts the SAML provider with sts:AssumeRoleWithSAML and the partition\'s sign-in endpoint as SAML:aud', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new SamlFederatedRole(stack, 'Admins', { provider: importedProvider(stack) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Federated: PROVIDER_ARN },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': SIGNIN }, StringLike: Match.absent() },
        }],
      },
      RoleName: Match.absent(),
    });
  });

  test('creates a SAML provider from a metadata document', () => {
    const stack = newStack();
    const role = new SamlFederatedRole(stack, 'Admins', { metadataDocument: iam.SamlMetadataDocument.fromXml(METADATA) });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::SAMLProvider', { SamlMetadataDocument: METADATA, Name: Match.absent() });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Principal: { Federated: { Ref: Match.stringLikeRegexp('^AdminsProvider') } } }] },
    });
    expect(role.provider.samlProviderArn).toBeDefined();
  });

  test('uses the sign-in endpoint of the GovCloud and China partitions', () => {
    const gov = newStack({ account: TEST_ACCOUNT, region: 'us-gov-west-1' });
    new SamlFederatedRole(gov, 'Admins', { provider: iam.SamlProvider.fromSamlProviderArn(gov, 'P', `arn:aws-us-gov:iam::${TEST_ACCOUNT}:saml-provider/Okta`) });
    expect(trustStatements(gov)[0].Condition.StringEquals['SAML:aud']).toBe('https://signin.amazonaws-us-gov.com/saml');

    const cn = newStack({ account: TEST_ACCOUNT, region: 'cn-north-1' });
    new SamlFederatedRole(cn, 'Admins', { provider: iam.SamlProvider.fromSamlProviderArn(cn, 'P', `arn:aws-cn:iam::${TEST_ACCOUNT}:saml-provider/Okta`) });
    expect(trustStatements(cn)[0].Condition.StringEquals['SAML:aud']).toBe('https://signin.amazonaws.cn/saml');
  });

  test('in an environment-agnostic stack the audience comes from a mapping keyed by region', () => {
    const stack = new Stack(new App(), 'Agnostic');
    new SamlFederatedRole(stack, 'Admins', { provider: importedProvider(stack) });
    const template = templateOf(stack);
    expect(trustStatements(stack)[0].Condition.StringEquals['SAML:aud']).toEqual({ 'Fn::FindInMap': ['SamlSignOnUrlMap', { Ref: 'AWS::Region' }, 'value'] });
    expect(template.Mappings.SamlSignOnUrlMap['us-east-1']).toEqual({ value: SIGNIN });
    expect(template.Mappings.SamlSignOnUrlMap['us-gov-west-1']).toEqual({ value: 'https://signin.amazonaws-us-gov.com/saml' });
    expect(template.Mappings.SamlSignOnUrlMap['cn-northwest-1']).toEqual({ value: 'https://signin.amazonaws.cn/saml' });
  });

  test('accepts regional sign-in endpoints next to the global one, and more added later', () => {
    const stack = newStack();
    const role = new SamlFederatedRole(stack, 'Admins', {
      provider: importedProvider(stack),
      audiences: [SamlAudience.global(), SamlAudience.regional('eu-west-1')],
    });
    role.addAudiences(SamlAudience.regional('us-east-2'));
    expect(trustStatements(stack)[0].Condition.StringEquals['SAML:aud']).toEqual([
      SIGNIN, 'https://eu-west-1.signin.aws.amazon.com/saml', 'https://us-east-2.signin.aws.amazon.com/saml',
    ]);
  });

  test('attribute() renders single-valued eduPerson keys with StringEquals', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new SamlFederatedRole(stack, 'Admins', {
      provider: importedProvider(stack),
      conditions: [SamlCondition.attribute('SAML:edupersonprincipalname', ['alice@example.edu']), SamlCondition.attribute('SAML:edupersonorgdn', ['o=Acme'])],
    });
    // THEN
    expect(trustStatements(stack)[0].Condition.StringEquals).toEqual({
      'SAML:aud': SIGNIN, 'SAML:edupersonprincipalname': 'alice@example.edu', 'SAML:edupersonorgdn': 'o=Acme',
    });
  });

  test('adds conditions on SAML attributes, session tags and source identity', () => {
    const stack = newStack();
    const role = new SamlFederatedRole(stack, 'Admins', {
      provider: importedProvider(stack),
      conditions: [SamlCondition.subjectType(SamlSubjectType.PERSISTENT), SamlCondition.subject(['*@example.com'])],
      allowSessionTags: true,
      allowSourceIdentity: true,
    });
    role.addConditions(SamlCondition.nameQualifier(['Ab1Cd2Ef3Gh4=']), SamlCondition.issuer(['http://www.okta.com/exk1']));
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession', 'sts:SetSourceIdentity'],
          Condition: {
            StringEquals: {
              'SAML:aud': SIGNIN,
              'SAML:sub_type': 'persistent',
              'SAML:namequalifier': 'Ab1Cd2Ef3Gh4=',
              'SAML:iss': 'http://www.okta.com/exk1',
            },
            StringLike: { 'SAML:sub': '*@example.com' },
          },
        }],
      },
    });
  });

  test('matches the snapshot', () => {
    const stack = newStack();
    new SamlFederatedRole(stack, 'Admins', {
      metadataDocument: iam.SamlMetadataDocument.fromXml(METADATA),
      conditions: [SamlCondition.subjectType(SamlSubjectType.PERSISTENT)],
    });
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('passes AwsSolutions and AccessPatterns checks', () => {
    const stack = newStack();
    new SamlFederatedRole(stack, 'Admins', { metadataDocument: iam.SamlMetadataDocument.fromXml(METADATA) });
    new SamlFederatedRole(stack, 'Readers', { provider: importedProvider(stack), audiences: [SamlAudience.regional('eu-west-1')] });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('the SAML provider keeps its logical id when the role\'s mutable props change', () => {
    const logicalIdOf = (description: string) => {
      const stack = newStack();
      new SamlFederatedRole(stack, 'Admins', {
        metadataDocument: iam.SamlMetadataDocument.fromXml(METADATA),
        description,
        audiences: description === 'a' ? undefined : [SamlAudience.global(), SamlAudience.regional('eu-west-1')],
      });
      return Object.keys(Template.fromStack(stack).findResources('AWS::IAM::SAMLProvider'));
    };
    const before = logicalIdOf('a');
    expect(before).toEqual([expect.stringMatching(/^AdminsProvider[0-9A-F]{8}$/)]);
    expect(logicalIdOf('b')).toEqual(before);
  });

  describe('simulation', () => {
    test('an assertion for the sign-in endpoint is allowed; the wrong SAML:aud or another provider is denied', async () => {
      const stack = newStack();
      const role = new SamlFederatedRole(stack, 'Admins', { provider: importedProvider(stack) });
      expect(await simulate(stack, role, samlAssertion(PROVIDER_ARN, { 'SAML:aud': SIGNIN }))).toBe('Allowed');
      expect(await simulate(stack, role, samlAssertion(PROVIDER_ARN, { 'SAML:aud': 'https://evil.example.com/saml' }))).toBe('Denied');
      expect(await simulate(stack, role, samlAssertion(PROVIDER_ARN, { 'SAML:aud': 'https://eu-west-1.signin.aws.amazon.com/saml' }))).toBe('Denied');
      expect(await simulate(stack, role, samlAssertion(PROVIDER_ARN, {}))).toBe('Denied');
      expect(await simulate(stack, role, samlAssertion(`arn:aws:iam::${TEST_ACCOUNT}:saml-provider/Other`, { 'SAML:aud': SIGNIN }))).toBe('Denied');
    });

    test('a regional endpoint is allowed once added', async () => {
      const stack = newStack();
      const role = new SamlFederatedRole(stack, 'Admins', {
        provider: importedProvider(stack),
        audiences: [SamlAudience.global(), SamlAudience.regional('eu-west-1')],
      });
      expect(await simulate(stack, role, samlAssertion(PROVIDER_ARN, { 'SAML:aud': 'https://eu-west-1.signin.aws.amazon.com/saml' }))).toBe('Allowed');
      expect(await simulate(stack, role, samlAssertion(PROVIDER_ARN, { 'SAML:aud': 'https://eu-west-2.signin.aws.amazon.com/saml' }))).toBe('Denied');
    });

    test('attribute conditions must all hold', async () => {
      const stack = newStack();
      const role = new SamlFederatedRole(stack, 'Admins', {
        provider: importedProvider(stack),
        conditions: [SamlCondition.subjectType(SamlSubjectType.PERSISTENT), SamlCondition.subject(['*@example.com'])],
      });
      const assertion = (sub: string, subType: string) => samlAssertion(PROVIDER_ARN, { 'SAML:aud': SIGNIN, 'SAML:sub': sub, 'SAML:sub_type': subType });
      expect(await simulate(stack, role, assertion('alice@example.com', 'persistent'))).toBe('Allowed');
      expect(await simulate(stack, role, assertion('alice@example.com', 'transient'))).toBe('Denied');
      expect(await simulate(stack, role, assertion('mallory@evil.example', 'persistent'))).toBe('Denied');
    });

    test('session tags are refused unless allowed', async () => {
      const stack = newStack();
      const role = new SamlFederatedRole(stack, 'Admins', { provider: importedProvider(stack) });
      const tagged = { ...samlAssertion(PROVIDER_ARN, { 'SAML:aud': SIGNIN }), action: 'sts:TagSession' };
      expect(await simulate(stack, role, tagged)).toBe('Denied');
      const other = newStack();
      const withTags = new SamlFederatedRole(other, 'Admins', { provider: importedProvider(other), allowSessionTags: true });
      expect(await simulate(other, withTags, tagged)).toBe('Allowed');
    });
  });

  describe('validation', () => {
    const cases: Array<[string, (stack: Stack) => any, RegExp]> = [
      ['no provider', () => ({}), /Invalid SamlFederatedRole 'Sso\/Admins' prop 'provider': neither provider nor metadataDocument is set/],
      ['both provider and metadata', (s) => ({ provider: importedProvider(s), metadataDocument: iam.SamlMetadataDocument.fromXml(METADATA) }),
        /prop 'provider': both provider and metadataDocument are set/],
      ['provider ARN of another kind', (s) => ({ provider: iam.SamlProvider.fromSamlProviderArn(s, 'X', `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/x`) }),
        /prop 'provider': 'arn:aws:iam::222222222222:oidc-provider\/x' is not a valid iam ARN/],
      ['empty audiences', (s) => ({ provider: importedProvider(s), audiences: [] }), /prop 'audiences': the list is empty/],
      ['duplicate audience', (s) => ({ provider: importedProvider(s), audiences: [SamlAudience.global(), SamlAudience.custom(SIGNIN)] }),
        /prop 'audiences': 'https:\/\/signin.aws.amazon.com\/saml' is listed more than once/],
      ['region code', (s) => ({ provider: importedProvider(s), audiences: [SamlAudience.regional('Europe')] }), /prop 'audiences': 'Europe' is not an AWS region code/],
      ['region of another partition', (s) => ({ provider: importedProvider(s), audiences: [SamlAudience.regional('cn-north-1')] }),
        /prop 'audiences': the region 'cn-north-1' is in the aws-cn partition, but the stack deploys to aws/],
      ['custom audience not https', (s) => ({ provider: importedProvider(s), audiences: [SamlAudience.custom('http://signin.example.com/saml')] }),
        /prop 'audiences': 'http:\/\/signin.example.com\/saml' is not an https URL/],
      ['custom audience wildcard', (s) => ({ provider: importedProvider(s), audiences: [SamlAudience.custom('https://*.signin.aws.amazon.com/saml')] }),
        /prop 'audiences': .* is not an https URL/],
      ['condition key', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.attribute('aws:PrincipalTag/x', ['y'])] }),
        /prop 'conditions': 'aws:PrincipalTag\/x' is not a SAML condition key/],
      ['audience as a condition', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.attribute('SAML:aud', ['https://x'])] }),
        /prop 'conditions': SAML:aud is set by the audiences prop/],
      ['list-valued eduPerson key', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.attribute('SAML:edupersonaffiliation', ['staff'])] }),
        /Invalid SamlFederatedRole 'Sso\/Admins' prop 'conditions': 'SAML:edupersonaffiliation' can hold a list of values, which StringEquals\/StringLike do not compare; a list-valued SAML key needs a ForAnyValue:\/ForAllValues: condition/],
      ['list-valued eduOrg key, any case', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.attribute('SAML:eduOrgLegalName', ['Acme'])] }),
        /prop 'conditions': 'SAML:eduOrgLegalName' can hold a list of values/],
      ['list-valued cn', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.attribute('SAML:cn', ['Alice'])] }),
        /prop 'conditions': 'SAML:cn' can hold a list of values/],
      ['condition without values', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.subject([])] }),
        /prop 'conditions': the condition on 'SAML:sub' has no values/],
      ['condition matching everything', (s) => ({ provider: importedProvider(s), conditions: [SamlCondition.subject(['*'])] }),
        /prop 'conditions': the value '\*' of 'SAML:sub' matches every assertion/],
      ['long session without opt-in', (s) => ({ provider: importedProvider(s), maxSessionDuration: Duration.hours(8) }),
        /prop 'maxSessionDuration': 8 hours is longer than one hour/],
    ];
    test.each(cases)('%s', (_name, props, message) => {
      const stack = newStack();
      expect(() => new SamlFederatedRole(stack, 'Admins', props(stack))).toThrow(message);
    });

    test('a region without a known sign-in endpoint asks for a custom audience', () => {
      const stack = newStack({ account: TEST_ACCOUNT, region: 'eusc-de-east-1' });
      expect(() => new SamlFederatedRole(stack, 'Admins', { metadataDocument: iam.SamlMetadataDocument.fromXml(METADATA) }))
        .toThrow(/prop 'audiences': aws-cdk-lib knows no SAML sign-in endpoint for region 'eusc-de-east-1'; give the endpoint of the partition with SamlAudience.custom/);
    });

    test('long sessions are accepted with the opt-in and warned about', () => {
      const stack = newStack();
      new SamlFederatedRole(stack, 'Admins', {
        provider: importedProvider(stack), maxSessionDuration: Duration.hours(8), allowLongSessions: true,
      });
      Annotations.fromStack(stack).hasWarning('/Sso/Admins', Match.stringLikeRegexp('up to 8 hours'));
    });
  });

  test('accepts tokens for the provider ARN, regions, custom audiences and attribute values', () => {
    const stack = newStack();
    const arn = new CfnParameter(stack, 'ProviderArn').valueAsString;
    const region = new CfnParameter(stack, 'Region').valueAsString;
    const url = new CfnParameter(stack, 'Audience').valueAsString;
    const sub = new CfnParameter(stack, 'Subject').valueAsString;
    new SamlFederatedRole(stack, 'Admins', {
      provider: iam.SamlProvider.fromSamlProviderArn(stack, 'P', arn),
      audiences: [SamlAudience.regional(region), SamlAudience.custom(url)],
      conditions: [SamlCondition.subject([sub])],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Principal: { Federated: { Ref: 'ProviderArn' } },
          Condition: {
            StringEquals: {
              'SAML:aud': [
                { 'Fn::Join': ['', ['https://', { Ref: 'Region' }, '.signin.aws.amazon.com/saml']] },
                { Ref: 'Audience' },
              ],
              'SAML:sub': { Ref: 'Subject' },
            },
          },
        }],
      },
    });
  });
});
