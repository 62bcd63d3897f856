import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  CertificateCondition, CertificateField, RolesAnywhereProfile, RolesAnywhereProfileProps, RolesAnywhereRole, TrustAnchor, TrustAnchorSource,
} from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const PCA_ARN = `arn:aws:acm-pca:us-east-1:${TEST_ACCOUNT}:certificate-authority/11111111-2222-3333-4444-555555555555`;
const FILES = { certificatePath: '/etc/pki/backup/cert.pem', privateKeyPath: '/etc/pki/backup/key.pem' };

function setup(props: Partial<RolesAnywhereProfileProps> = {}) {
  const stack = new Stack(new App(), 'OnPrem', { env: TEST_ENV });
  const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN) });
  const role = new RolesAnywhereRole(stack, 'Backup', {
    trustAnchors: [anchor],
    certificateConditions: [CertificateCondition.subjectCommonName('backup01')],
  });
  const profile = new RolesAnywhereProfile(stack, 'Profile', { roles: [role], ...props });
  return { stack, anchor, role, profile };
}

describe('RolesAnywhereProfile', () => {
  test('lists its roles, one-hour sessions, enabled', () => {
    // GIVEN / WHEN
    const { stack } = setup();
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', {
      Name: Match.stringLikeRegexp('^OnPremProfile'),
      Enabled: true,
      DurationSeconds: 3600,
      RoleArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Backup'), 'Arn'] }],
      SessionPolicy: Match.absent(),
      ManagedPolicyArns: Match.absent(),
      AttributeMappings: Match.absent(),
    });
  });

  test('session policy, managed policies, instance properties, session names and attribute mappings', () => {
    // GIVEN
    const sessionPolicy = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::backups/*'] })],
    });
    // WHEN
    const { stack } = setup({
      sessionPolicy,
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
      requireInstanceProperties: true,
      acceptRoleSessionName: true,
      attributeMappings: [{ certificateField: CertificateField.X509_SUBJECT, specifiers: ['CN', 'OU'] }],
      duration: Duration.minutes(15),
    });
    // THEN
    const profile = Object.values(templateOf(stack).Resources).find(r => r.Type === 'AWS::RolesAnywhere::Profile')!;
    expect(profile.Properties).toMatchObject({
      DurationSeconds: 900,
      RequireInstanceProperties: true,
      AcceptRoleSessionName: true,
      AttributeMappings: [{ CertificateField: 'x509Subject', MappingRules: [{ Specifier: 'CN' }, { Specifier: 'OU' }] }],
    });
    expect(JSON.parse(profile.Properties.SessionPolicy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::backups/*' }],
    });
    expect(JSON.stringify(profile.Properties.ManagedPolicyArns)).toContain(':iam::aws:policy/ReadOnlyAccess');
  });

  test('addRole adds a role once', () => {
    // GIVEN
    const { stack, profile } = setup();
    const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    // WHEN
    profile.addRole(other);
    profile.addRole(other);
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', {
      RoleArns: [{ 'Fn::GetAtt': [Match.stringLikeRegexp('^Backup'), 'Arn'] }, { 'Fn::GetAtt': [Match.stringLikeRegexp('^Other'), 'Arn'] }],
    });
  });

  test('a long session needs allowLongSessions and warns', () => {
    // GIVEN / WHEN
    const { stack } = setup({ duration: Duration.hours(8), allowLongSessions: true });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', { DurationSeconds: 28800 });
    Annotations.fromStack(stack).hasWarning('/OnPrem/Profile', Match.stringLikeRegexp('last up to 8 hours'));
  });

  test('matches the snapshot and passes the nag packs', () => {
    // GIVEN
    const { stack, profile, role, anchor } = setup({ requireInstanceProperties: true });
    // WHEN
    profile.addCredentialProcessOutput('BackupCredentials', role, anchor, FILES);
    // THEN
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('credential_process', () => {
    test('writes the aws_signing_helper line with the three ARNs as tokens', () => {
      // GIVEN
      const { stack, profile, role, anchor } = setup();
      // WHEN
      const line = profile.credentialProcess(role, anchor, FILES);
      // THEN
      const rendered = JSON.stringify(stack.resolve(line));
      expect(rendered).toMatch(/^\{"Fn::Join":\["",\["aws_signing_helper credential-process --certificate \/etc\/pki\/backup\/cert.pem --private-key \/etc\/pki\/backup\/key.pem --trust-anchor-arn ",\{"Fn::GetAtt":\["Anchor[0-9A-F]+","TrustAnchorArn"\]\}," --profile-arn ",\{"Fn::GetAtt":\["Profile[0-9A-F]+","ProfileArn"\]\}," --role-arn ",\{"Fn::GetAtt":\["Backup[0-9A-F]+","Arn"\]\}\]\]\}$/);
    });

    test('adds session name and duration when asked', () => {
      // GIVEN
      const { stack, profile, role, anchor } = setup({ acceptRoleSessionName: true });
      // WHEN
      const line = profile.credentialProcess(role, anchor, { ...FILES, roleSessionName: 'backup01', sessionDuration: Duration.minutes(30) });
      // THEN
      expect(JSON.stringify(stack.resolve(line))).toContain(' --role-session-name backup01 --session-duration 1800');
    });

    test('no output unless asked; the output when asked', () => {
      // GIVEN
      expect(templateOf(setup().stack).Outputs).toBeUndefined();
      const { stack, profile, role, anchor } = setup();
      // WHEN
      profile.addCredentialProcessOutput('BackupCredentials', role, anchor, FILES);
      // THEN
      Template.fromStack(stack).hasOutput('*', { Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('^aws_signing_helper credential-process')])] } });
    });

    test.each([
      ['a role outside the profile', (s: ReturnType<typeof setup>) => s.profile.credentialProcess(new iam.Role(s.stack, 'Stranger', { assumedBy: new iam.AccountPrincipal(TEST_ACCOUNT) }), s.anchor, FILES),
        /prop 'role': 'OnPrem\/Stranger' is not a role of this profile/],
      ['an anchor the role does not trust', (s: ReturnType<typeof setup>) => s.profile.credentialProcess(s.role, new TrustAnchor(s.stack, 'Other', { source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN) }), FILES),
        /prop 'trustAnchor': the role 'OnPrem\/Backup' does not trust 'OnPrem\/Other'/],
      ['a session name the profile does not accept', (s: ReturnType<typeof setup>) => s.profile.credentialProcess(s.role, s.anchor, { ...FILES, roleSessionName: 'x' }),
        /prop 'roleSessionName': the profile does not accept role session names/],
      ['a session longer than the profile', (s: ReturnType<typeof setup>) => s.profile.credentialProcess(s.role, s.anchor, { ...FILES, sessionDuration: Duration.hours(2) }),
        /prop 'sessionDuration': 2 hours is outside 15 minutes to 1 hour/],
      ['a path with a space', (s: ReturnType<typeof setup>) => s.profile.credentialProcess(s.role, s.anchor, { ...FILES, privateKeyPath: '/etc/my keys/key.pem' }),
        /prop 'privateKeyPath': '\/etc\/my keys\/key.pem' is empty or contains whitespace/],
    ])('refuses %s', (_name, call, message) => {
      const s = setup();
      expect(() => call(s)).toThrow(message);
    });
  });

  describe('validation', () => {
    test.each([
      ['no roles', { roles: [] }, /Invalid RolesAnywhereProfile 'OnPrem\/Profile' prop 'roles': no role is given/],
      ['a duration under 15 minutes', { duration: Duration.minutes(10) }, /prop 'duration': 10 minutes is outside 15 minutes to 12 hours/],
      ['a duration over 12 hours', { duration: Duration.hours(13), allowLongSessions: true }, /prop 'duration': 13 hours is outside/],
      ['a long duration without opt-in', { duration: Duration.hours(2) }, /prop 'duration': 2 hours is longer than one hour.*allowLongSessions: true/],
      ['a bad name', { profileName: 'backup/prod' }, /prop 'profileName': 'backup\/prod' contains characters outside/],
      ['a mapping without specifiers', { attributeMappings: [{ certificateField: CertificateField.X509_SAN, specifiers: [] }] }, /prop 'attributeMappings': the mapping of x509SAN has no specifiers/],
      ['a field mapped twice', { attributeMappings: [{ certificateField: CertificateField.X509_SAN, specifiers: ['DNS'] }, { certificateField: CertificateField.X509_SAN, specifiers: ['URI'] }] },
        /prop 'attributeMappings': 'x509SAN' is listed more than once/],
      ['a bad specifier', { attributeMappings: [{ certificateField: CertificateField.X509_SUBJECT, specifiers: ['C N'] }] }, /prop 'attributeMappings': 'C N' is not a specifier of x509Subject/],
    ])('%s', (_name, props, message) => {
      expect(() => setup(props as any)).toThrow(message);
    });

    test('a mapping that drops an attribute a role requires fails synthesis', () => {
      // GIVEN
      const { stack } = setup({ attributeMappings: [{ certificateField: CertificateField.X509_SUBJECT, specifiers: ['OU'] }] });
      // WHEN / THEN
      expect(() => templateOf(stack)).toThrow(/prop 'attributeMappings': the role 'OnPrem\/Backup' requires x509Subject\/CN, which the mapping of x509Subject \(OU\) drops/);
    });

    test('a mapping with * keeps every subject attribute', () => {
      const { stack } = setup({ attributeMappings: [{ certificateField: CertificateField.X509_SUBJECT, specifiers: ['*'] }] });
      expect(() => templateOf(stack)).not.toThrow();
    });

    test('a session policy with a principal fails synthesis', () => {
      // GIVEN
      const sessionPolicy = new iam.PolicyDocument({
        statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'], principals: [new iam.AnyPrincipal()] })],
      });
      const { stack } = setup({ sessionPolicy });
      // WHEN / THEN
      expect(() => templateOf(stack)).toThrow(/prop 'sessionPolicy': A PolicyStatement used in an identity-based policy cannot specify any IAM principals/);
    });
  });

  test('accepts tokens for the name and duration', () => {
    // GIVEN / WHEN
    const stack = new Stack(new App(), 'OnPrem', { env: TEST_ENV });
    const role = iam.Role.fromRoleArn(stack, 'Imported', new CfnParameter(stack, 'RoleArn').valueAsString);
    new RolesAnywhereProfile(stack, 'Profile', {
      roles: [role],
      profileName: new CfnParameter(stack, 'Name').valueAsString,
      duration: Duration.seconds(new CfnParameter(stack, 'Seconds', { type: 'Number' }).valueAsNumber),
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::Profile', { Name: { Ref: 'Name' }, DurationSeconds: { Ref: 'Seconds' }, RoleArns: [{ Ref: 'RoleArn' }] });
  });
});
