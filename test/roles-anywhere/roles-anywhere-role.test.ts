import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { CertificateCondition, ITrustAnchor, RolesAnywhereRole, TrustAnchor, TrustAnchorSource } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { serviceCaller, simulate, simulatePolicy } from '../support/simulate';
import { templateOf } from '../support/template';

const PCA_ARN = `arn:aws:acm-pca:us-east-1:${TEST_ACCOUNT}:certificate-authority/11111111-2222-3333-4444-555555555555`;
const ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/aaaaaaaa-1111-2222-3333-444444444444`;
const OTHER_ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/bbbbbbbb-1111-2222-3333-444444444444`;

function newStack(): Stack {
  return new Stack(new App(), 'OnPrem', { env: TEST_ENV });
}

function pcaAnchor(stack: Stack, id: string = 'Anchor'): TrustAnchor {
  return new TrustAnchor(stack, id, { source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN) });
}

/** What IAM Roles Anywhere presents to STS: the anchor as aws:SourceArn, certificate attributes as principal tags. */
function certificateSession(anchorArn: string, tags: Record<string, string>, action: string = 'sts:AssumeRole') {
  const context: Record<string, string> = { 'aws:SourceArn': anchorArn };
  for (const [k, v] of Object.entries(tags)) context[`aws:PrincipalTag/${k}`] = v;
  return serviceCaller('rolesanywhere.amazonaws.com', context, action);
}

function anchorLogicalId(anchor: TrustAnchor): string {
  return Stack.of(anchor).resolve((anchor.node.defaultChild as rolesanywhere.CfnTrustAnchor).logicalId);
}

describe('RolesAnywhereRole', () => {
  test('trusts rolesanywhere.amazonaws.com with the three actions, pinned to the anchor and scoped by CN', () => {
    // GIVEN
    const stack = newStack();
    const anchor = pcaAnchor(stack);
    // WHEN
    new RolesAnywhereRole(stack, 'Backup', {
      trustAnchors: [anchor],
      certificateConditions: [CertificateCondition.subjectCommonName('backup01.corp.example.com')],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
          Condition: {
            ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [anchorLogicalId(anchor), 'TrustAnchorArn'] } },
            StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'backup01.corp.example.com' },
          },
        }],
      },
    });
  });

  test('combines subject, issuer and SAN conditions, with host name patterns as StringLike', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new RolesAnywhereRole(stack, 'Backup', {
      trustAnchors: [TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN)],
      certificateConditions: [
        CertificateCondition.subjectCommonNamePattern('backup-*.corp.example.com'),
        CertificateCondition.subjectOrganizationalUnit('Backup'),
        CertificateCondition.subjectOrganization('Acme'),
        CertificateCondition.issuerCommonName('Acme Issuing CA 1', 'Acme Issuing CA 2'),
        CertificateCondition.subjectAlternativeNameDns('backup01.corp.example.com'),
        CertificateCondition.subjectAlternativeNameUri('spiffe://corp.example.com/backup'),
        CertificateCondition.subjectAttribute('UID', ['svc-backup']),
      ],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            ArnEquals: { 'aws:SourceArn': ANCHOR_ARN },
            StringLike: { 'aws:PrincipalTag/x509Subject/CN': 'backup-*.corp.example.com' },
            StringEquals: {
              'aws:PrincipalTag/x509Subject/OU': 'Backup',
              'aws:PrincipalTag/x509Subject/O': 'Acme',
              'aws:PrincipalTag/x509Issuer/CN': ['Acme Issuing CA 1', 'Acme Issuing CA 2'],
              'aws:PrincipalTag/x509SAN/DNS': 'backup01.corp.example.com',
              'aws:PrincipalTag/x509SAN/URI': 'spiffe://corp.example.com/backup',
              'aws:PrincipalTag/x509Subject/UID': 'svc-backup',
            },
          },
        }],
      },
    });
  });

  test('allowAnyCertificate trusts every certificate of the anchor, still pinned to it, and warns', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new RolesAnywhereRole(stack, 'Fleet', { trustAnchors: [pcaAnchor(stack)], allowAnyCertificate: true });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { ArnEquals: Match.objectLike({ 'aws:SourceArn': Match.anyValue() }), StringEquals: Match.absent() } }] },
    });
    Annotations.fromStack(stack).hasWarning('/OnPrem/Fleet', Match.stringLikeRegexp('Every certificate the trust anchors accept'));
  });

  test('is an iam.Role: grants work on it', () => {
    // GIVEN
    const stack = newStack();
    const role = new RolesAnywhereRole(stack, 'Backup', { trustAnchors: [pcaAnchor(stack)], certificateConditions: [CertificateCondition.subjectCommonName('backup01')] });
    // WHEN
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: ['arn:aws:s3:::backups/host/*'] }));
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 's3:PutObject' })] },
    });
  });

  test('matches the snapshot and passes the nag packs', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new RolesAnywhereRole(stack, 'Backup', {
      trustAnchors: [pcaAnchor(stack)],
      certificateConditions: [CertificateCondition.subjectCommonName('backup01.corp.example.com'), CertificateCondition.subjectOrganizationalUnit('Backup')],
      description: 'On-prem backup server',
    });
    // THEN
    expect(templateOf(stack)).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('simulation', () => {
    let stack: Stack;
    let role: RolesAnywhereRole;
    let overrides: Record<string, string>;
    const tags = { 'x509Subject/CN': 'backup01', 'x509Subject/OU': 'Backup' };

    beforeAll(() => {
      stack = newStack();
      const anchor = pcaAnchor(stack);
      role = new RolesAnywhereRole(stack, 'Backup', {
        trustAnchors: [anchor],
        certificateConditions: [CertificateCondition.subjectCommonName('backup01'), CertificateCondition.subjectOrganizationalUnit('Backup')],
      });
      overrides = { [`${anchorLogicalId(anchor)}.TrustAnchorArn`]: ANCHOR_ARN };
    });

    test.each(['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'])('the right CN and OU through the right anchor is allowed (%s)', async (action) => {
      expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, tags, action), overrides)).toBe('Allowed');
    });

    test.each([
      ['the right CN through another trust anchor', OTHER_ANCHOR_ARN, tags],
      ['another CN', ANCHOR_ARN, { ...tags, 'x509Subject/CN': 'web01' }],
      ['another OU', ANCHOR_ARN, { ...tags, 'x509Subject/OU': 'Web' }],
      ['a missing CN tag', ANCHOR_ARN, { 'x509Subject/OU': 'Backup' }],
      ['a missing OU tag', ANCHOR_ARN, { 'x509Subject/CN': 'backup01' }],
    ])('%s is denied', async (_name, anchorArn, t) => {
      expect(await simulate(stack, role, certificateSession(anchorArn, t), overrides)).toBe('Denied');
    });

    test('a request without aws:SourceArn is denied', async () => {
      expect(await simulate(stack, role, serviceCaller('rolesanywhere.amazonaws.com', { 'aws:PrincipalTag/x509Subject/CN': 'backup01', 'aws:PrincipalTag/x509Subject/OU': 'Backup' }), overrides)).toBe('Denied');
    });

    test('another service principal is denied', async () => {
      expect(await simulate(stack, role, serviceCaller('ec2.amazonaws.com', { 'aws:SourceArn': ANCHOR_ARN, 'aws:PrincipalTag/x509Subject/CN': 'backup01', 'aws:PrincipalTag/x509Subject/OU': 'Backup' }), overrides)).toBe('Denied');
    });
  });

  test('two conditions on the same attribute are alternatives, AND-ed with the others', async () => {
    // GIVEN
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    // WHEN
    const role = new RolesAnywhereRole(stack, 'Backup', {
      trustAnchors: [anchor],
      certificateConditions: [
        CertificateCondition.subjectCommonName('backup01'),
        CertificateCondition.subjectOrganizationalUnit('Backup'),
        CertificateCondition.subjectCommonName('backup02'),
      ],
    });
    // THEN
    expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'backup02', 'x509Subject/OU': 'Backup' }))).toBe('Allowed');
    expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'backup02', 'x509Subject/OU': 'Web' }))).toBe('Denied');
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': ['backup01', 'backup02'], 'aws:PrincipalTag/x509Subject/OU': 'Backup' } } }] },
    });
  });

  test('a common name pattern allows matching host names and denies others', async () => {
    // GIVEN
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    // WHEN
    const role = new RolesAnywhereRole(stack, 'Backup', {
      trustAnchors: [anchor],
      certificateConditions: [CertificateCondition.subjectCommonNamePattern('backup-*.dc1.acme.internal')],
    });
    // THEN
    expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'backup-07.dc1.acme.internal' }))).toBe('Allowed');
    expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'web-07.dc1.acme.internal' }))).toBe('Denied');
    expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'backup-07' }))).toBe('Denied');
  });

  describe('certificate names are exact unless a pattern factory opts in', () => {
    const anchorIn = (stack: Stack): ITrustAnchor => TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);

    test('a DNS SAN pattern allows the fleet and denies names outside its domain', async () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const role = new RolesAnywhereRole(stack, 'Nodes', {
        trustAnchors: [anchorIn(stack)],
        certificateConditions: [CertificateCondition.subjectAlternativeNameDnsPattern('*.nodes.corp.example.com')],
      });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [{ Condition: { StringLike: { 'aws:PrincipalTag/x509SAN/DNS': '*.nodes.corp.example.com' }, StringEquals: Match.absent() } }],
        },
      });
      const san = (dns: string) => certificateSession(ANCHOR_ARN, { 'x509SAN/DNS': dns });
      expect(await simulate(stack, role, san('web01.nodes.corp.example.com'))).toBe('Allowed');
      expect(await simulate(stack, role, san('attacker.example.org'))).toBe('Denied');
      expect(await simulate(stack, role, san('web01.nodes.corp.example.com.attacker.org'))).toBe('Denied');
      expect(await simulate(stack, role, san('evilnodes.corp.example.com'))).toBe('Denied');
      expect(await simulate(stack, role, san('nodes.corp.example.com'))).toBe('Denied');
    });

    test('exact values and a pattern of one attribute are alternatives, exact ones under StringEquals', async () => {
      // GIVEN
      const stack = newStack();
      // WHEN
      const role = new RolesAnywhereRole(stack, 'Nodes', {
        trustAnchors: [anchorIn(stack)],
        certificateConditions: [
          CertificateCondition.subjectAlternativeNameDns('bastion.corp.example.com'),
          CertificateCondition.subjectAlternativeNameDnsPattern('*.nodes.corp.example.com'),
        ],
      });
      // THEN
      const san = (dns: string) => certificateSession(ANCHOR_ARN, { 'x509SAN/DNS': dns });
      expect(await simulate(stack, role, san('bastion.corp.example.com'))).toBe('Allowed');
      expect(await simulate(stack, role, san('web01.nodes.corp.example.com'))).toBe('Allowed');
      expect(await simulate(stack, role, san('bastion2.corp.example.com'))).toBe('Denied');
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Condition: { StringEquals: { 'aws:PrincipalTag/x509SAN/DNS': 'bastion.corp.example.com' }, StringLike: Match.absent() } },
            { Condition: { StringLike: { 'aws:PrincipalTag/x509SAN/DNS': '*.nodes.corp.example.com' }, StringEquals: Match.absent() } },
          ],
        },
      });
    });

    test('a common name chosen at deploy time is compared exactly: a certificate with another name is denied even if the value is *', async () => {
      // GIVEN
      const stack = newStack();
      const host = new CfnParameter(stack, 'Host').valueAsString;
      // WHEN
      const role = new RolesAnywhereRole(stack, 'Backup', { trustAnchors: [anchorIn(stack)], certificateConditions: [CertificateCondition.subjectCommonName(host)] });
      // THEN
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Condition: { StringEquals: { 'aws:PrincipalTag/x509Subject/CN': { Ref: 'Host' } }, StringLike: Match.absent() } }] },
      });
      const attacker = certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'attacker.example.org' });
      expect(await simulate(stack, role, attacker, { Host: '*' })).toBe('Denied');
      expect(await simulate(stack, role, certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'backup01' }), { Host: 'backup01' })).toBe('Allowed');
    });

    test('a policy variable is refused: with it the common name would be compared with itself and match every certificate', async () => {
      // GIVEN the trust such a value would render: every certificate of the anchor gets in
      const rendered = {
        Version: '2012-10-17',
        Statement: [{
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { ArnEquals: { 'aws:SourceArn': ANCHOR_ARN }, StringEquals: { 'aws:PrincipalTag/x509Subject/CN': '${aws:PrincipalTag/x509Subject/CN}' } },
        }],
      };
      const attacker = certificateSession(ANCHOR_ARN, { 'x509Subject/CN': 'attacker.example.org' });
      expect(await simulatePolicy(rendered, `arn:aws:iam::${TEST_ACCOUNT}:role/Backup`, attacker)).toBe('Allowed');
      // WHEN / THEN the factory refuses the value, so no role is built with it
      expect(() => new RolesAnywhereRole(newStack(), 'Role', {
        trustAnchors: [TrustAnchor.fromTrustAnchorArn(newStack(), 'Anchor', ANCHOR_ARN)],
        certificateConditions: [CertificateCondition.subjectCommonName('${aws:PrincipalTag/x509Subject/CN}')],
      })).toThrow(/prop 'certificateConditions': '\$\{aws:PrincipalTag\/x509Subject\/CN\}' on x509Subject\/CN holds an IAM policy variable/);
    });

    const exactCases: Array<[string, (s: Stack) => CertificateCondition, RegExp]> = [
      ['a CN of *.*', () => CertificateCondition.subjectCommonName('*.*'),
        /Invalid RolesAnywhereRole 'OnPrem\/Role' prop 'certificateConditions': '\*\.\*' on x509Subject\/CN contains '\*' or '\?', but x509Subject\/CN is an exact value.*; give the exact names, or opt in to a host name pattern with CertificateCondition\.subjectCommonNamePattern/],
      ['a CN of *.com', () => CertificateCondition.subjectCommonName('backup01', '*.com'), /'\*\.com' on x509Subject\/CN contains '\*' or '\?'/],
      ['a CN prefix wildcard', () => CertificateCondition.subjectCommonName('backup-*'), /'backup-\*' on x509Subject\/CN contains '\*' or '\?'/],
      ['a CN with ?', () => CertificateCondition.subjectCommonName('backup0?'), /'backup0\?' on x509Subject\/CN contains '\*' or '\?'/],
      ['a DNS SAN wildcard', () => CertificateCondition.subjectAlternativeNameDns('*.example.com'),
        /'\*\.example\.com' on x509SAN\/DNS contains .*CertificateCondition\.subjectAlternativeNameDnsPattern\('\*\.nodes\.example\.com'\)/],
      ['a URI SAN wildcard', () => CertificateCondition.subjectAlternativeNameUri('spiffe://corp.example.com/*'),
        /'spiffe:\/\/corp\.example\.com\/\*' on x509SAN\/URI contains '\*' or '\?', .*; give the exact values the certificates hold/],
      ['a UID wildcard', () => CertificateCondition.subjectAttribute('UID', ['svc-*']), /'svc-\*' on x509Subject\/UID contains '\*' or '\?'/],
      ['a serial number wildcard', () => CertificateCondition.subjectAttribute('serialNumber', ['12*']), /'12\*' on x509Subject\/serialNumber contains/],
      ['a lower-case cn (IAM compares tag keys without case)', () => CertificateCondition.subjectAttribute('cn', ['*.*']), /'\*\.\*' on x509Subject\/cn contains '\*' or '\?'/],
      ['an issuer CN wildcard', () => CertificateCondition.issuerCommonName('Acme Issuing CA *'), /'Acme Issuing CA \*' on x509Issuer\/CN contains/],
      ['a policy variable in an OU', () => CertificateCondition.subjectOrganizationalUnit('${aws:PrincipalTag/x509Subject/OU}'), /on x509Subject\/OU holds an IAM policy variable/],
      ['a wildcard around a deploy-time CN', (s) => CertificateCondition.subjectCommonName(`${new CfnParameter(s, 'Host').valueAsString}*`),
        /on x509Subject\/CN contains '\*' or '\?', but x509Subject\/CN is an exact value/],
      ['a wildcard before a deploy-time DNS name', (s) => CertificateCondition.subjectAlternativeNameDns(`*.${new CfnParameter(s, 'Zone').valueAsString}`),
        /on x509SAN\/DNS contains '\*' or '\?'/],
      ['a pattern of *', () => CertificateCondition.subjectAlternativeNameDnsPattern('*'), /'\*' on x509SAN\/DNS accepts any value/],
      ['a pattern of *.*', () => CertificateCondition.subjectAlternativeNameDnsPattern('*.*'),
        /'\*\.\*' on x509SAN\/DNS is followed by no literal DNS label after its last wildcard, so it matches names in any domain; keep at least 2 literal labels/],
      ['a pattern of *.com', () => CertificateCondition.subjectAlternativeNameDnsPattern('*.com'), /'\*\.com' on x509SAN\/DNS is followed by only 1 literal DNS label \('com'\)/],
      ['a pattern of *example.com', () => CertificateCondition.subjectCommonNamePattern('*example.com'), /'\*example\.com' on x509Subject\/CN is followed by only 1 literal DNS label/],
      ['a pattern ending in a wildcard', () => CertificateCondition.subjectAlternativeNameDnsPattern('nodes.example.*'), /is followed by no literal DNS label/],
      ['a pattern with an empty label', () => CertificateCondition.subjectAlternativeNameDnsPattern('*..example.com'), /has an empty label/],
      ['a pattern with a bad label', () => CertificateCondition.subjectAlternativeNameDnsPattern('*.exa mple.com'), /'exa mple' after its wildcard, which is not a DNS label/],
      ['a pattern without a wildcard', () => CertificateCondition.subjectAlternativeNameDnsPattern('web01.example.com'),
        /has no '\*' or '\?', but was given as a pattern; give exact names with CertificateCondition\.subjectAlternativeNameDns/],
    ];
    test.each(exactCases)('%s is refused', (_name, condition, message) => {
      const stack = newStack();
      expect(() => new RolesAnywhereRole(stack, 'Role', { trustAnchors: [anchorIn(stack)], certificateConditions: [condition(stack)] })).toThrow(message);
    });

    test('organization and unit values keep wildcards (they do not name certificate holders)', () => {
      const stack = newStack();
      new RolesAnywhereRole(stack, 'Role', {
        trustAnchors: [anchorIn(stack)],
        certificateConditions: [CertificateCondition.subjectCommonName('backup01'), CertificateCondition.subjectOrganizationalUnit('Backup-*')],
      });
      Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: { Statement: [{ Condition: { StringLike: { 'aws:PrincipalTag/x509Subject/OU': 'Backup-*' } } }] },
      });
    });

    test('isPattern and isExact describe the conditions', () => {
      expect(CertificateCondition.subjectAlternativeNameDnsPattern('*.nodes.example.com').isPattern).toBe(true);
      expect(CertificateCondition.subjectAlternativeNameDns('a.example.com').isPattern).toBe(false);
      expect(CertificateCondition.subjectAttribute('uid', ['x']).isExact).toBe(true);
      expect(CertificateCondition.subjectAttribute('uid', ['x']).identifiesSubject).toBe(true);
      expect(CertificateCondition.subjectOrganizationalUnit('x').isExact).toBe(false);
      expect(CertificateCondition.issuerCommonName('x').isExact).toBe(true);
    });
  });

  test('maxTrustPolicySize above IAM\'s documented maximum of 8,192 is refused', () => {
    const stack = newStack();
    const props = { trustAnchors: [TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN)], certificateConditions: [CertificateCondition.subjectCommonName('backup01')] };
    expect(() => new RolesAnywhereRole(stack, 'Role', { ...props, maxTrustPolicySize: 8193 }))
      .toThrow(/Invalid RolesAnywhereRole 'OnPrem\/Role' prop 'maxTrustPolicySize': 8193 is above 8192, the largest "Role trust policy length" quota IAM documents/);
    expect(() => new RolesAnywhereRole(stack, 'Max', { ...props, maxTrustPolicySize: 8192 })).not.toThrow();
  });

  test('two anchors are both trusted, and a third is not', async () => {
    // GIVEN
    const stack = newStack();
    const a = TrustAnchor.fromTrustAnchorArn(stack, 'A', ANCHOR_ARN);
    const b = TrustAnchor.fromTrustAnchorArn(stack, 'B', OTHER_ANCHOR_ARN);
    // WHEN
    const role = new RolesAnywhereRole(stack, 'Backup', { trustAnchors: [a, b], certificateConditions: [CertificateCondition.subjectCommonName('backup01')] });
    // THEN
    expect(await simulate(stack, role, certificateSession(OTHER_ANCHOR_ARN, { 'x509Subject/CN': 'backup01' }))).toBe('Allowed');
    expect(await simulate(stack, role, certificateSession(ANCHOR_ARN.replace('aaaaaaaa', 'cccccccc'), { 'x509Subject/CN': 'backup01' }))).toBe('Denied');
  });

  describe('validation', () => {
    const anchorIn = (stack: Stack): ITrustAnchor => TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    test.each([
      ['no trust anchor', () => ({ trustAnchors: [], certificateConditions: [CertificateCondition.subjectCommonName('a')] }),
        /Invalid RolesAnywhereRole 'OnPrem\/Role' prop 'trustAnchors': no trust anchor is given/],
      ['no certificate condition', (s: Stack) => ({ trustAnchors: [anchorIn(s)] }),
        /prop 'certificateConditions': no certificate condition is given, .*set allowAnyCertificate: true/],
      ['only an issuer condition', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.issuerCommonName('Acme CA')] }),
        /prop 'certificateConditions': no condition names a certificate holder \(x509Issuer\/CN are shared/],
      ['only organization conditions', (s: Stack) => ({
        trustAnchors: [anchorIn(s)],
        certificateConditions: [CertificateCondition.subjectOrganization('Acme'), CertificateCondition.subjectOrganizationalUnit('Backup')],
      }), /prop 'certificateConditions': no condition names a certificate holder \(x509Subject\/O, x509Subject\/OU are shared/],
      ['only a country condition', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.subjectAttribute('C', ['DE'])] }),
        /no condition names a certificate holder/],
      ['a bare wildcard', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.subjectCommonName('*')] }),
        /prop 'certificateConditions': '\*' on x509Subject\/CN accepts any value/],
      ['no values', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.subjectCommonName()] }),
        /the condition on x509Subject\/CN has no values/],
      ['a value over 256 characters', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.subjectCommonName('a'.repeat(257))] }),
        /is 257 characters, but session tag values hold at most 256/],
      ['a bad specifier', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.subjectAttribute('C N', ['x'])] }),
        /'C N' is not a certificate attribute specifier/],
      ['the same anchor twice', (s: Stack) => ({ trustAnchors: [anchorIn(s), TrustAnchor.fromTrustAnchorArn(s, 'Again', ANCHOR_ARN)], certificateConditions: [CertificateCondition.subjectCommonName('a')] }),
        /prop 'trustAnchors': .* is listed more than once/],
      ['a long session without opt-in', (s: Stack) => ({ trustAnchors: [anchorIn(s)], certificateConditions: [CertificateCondition.subjectCommonName('a')], maxSessionDuration: Duration.hours(4) }),
        /prop 'maxSessionDuration'/],
    ])('%s', (_name, props, message) => {
      const stack = newStack();
      expect(() => new RolesAnywhereRole(stack, 'Role', props(stack) as any)).toThrow(message);
    });
  });

  test('accepts tokens for the anchor ARN and condition values', () => {
    // GIVEN
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', new CfnParameter(stack, 'AnchorArn').valueAsString);
    // WHEN
    new RolesAnywhereRole(stack, 'Backup', {
      trustAnchors: [anchor],
      certificateConditions: [CertificateCondition.subjectCommonName(new CfnParameter(stack, 'Host').valueAsString)],
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Condition: {
            ArnEquals: { 'aws:SourceArn': { Ref: 'AnchorArn' } },
            StringEquals: { 'aws:PrincipalTag/x509Subject/CN': { Ref: 'Host' } },
          },
        }],
      },
    });
  });
});
