import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnParameter, Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import * as rolesanywhere from 'aws-cdk-lib/aws-rolesanywhere';
import { caCertificate, endEntityCertificate, maskPem, TestCertificate } from './test-pki';
import { TrustAnchor, TrustAnchorProps, TrustAnchorSource } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const PCA_ARN = `arn:aws:acm-pca:us-east-1:${TEST_ACCOUNT}:certificate-authority/11111111-2222-3333-4444-555555555555`;

function newStack(): Stack {
  return new Stack(new App(), 'OnPrem', { env: TEST_ENV });
}

function logicalIdOf(anchor: TrustAnchor): string {
  return Stack.of(anchor).resolve((anchor.node.defaultChild as rolesanywhere.CfnTrustAnchor).logicalId);
}

let root: TestCertificate;
let issuing: TestCertificate;
let expired: TestCertificate;
let notCa: TestCertificate;
let workload: TestCertificate;

beforeAll(async () => {
  root = await caCertificate('CN=Acme Root CA, O=Acme');
  issuing = await caCertificate('CN=Acme Issuing CA, O=Acme');
  expired = await caCertificate('CN=Acme Old CA, O=Acme', { validDays: -1 });
  notCa = await caCertificate('CN=Not A CA, O=Acme', { ca: false });
  workload = await endEntityCertificate('CN=backup01, OU=Backup, O=Acme', root);
});

describe('TrustAnchor', () => {
  test('a certificate bundle becomes a CERTIFICATE_BUNDLE anchor, enabled, with both expiry notifications', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new TrustAnchor(stack, 'OnPremCa', { source: TrustAnchorSource.fromCertificateBundle(root.pem + issuing.pem) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Name: Match.stringLikeRegexp('^OnPremOnPremCa[A-F0-9]{8}$'),
      Enabled: true,
      Source: { SourceType: 'CERTIFICATE_BUNDLE', SourceData: { X509CertificateData: root.pem + issuing.pem } },
      NotificationSettings: [
        { Event: 'CA_CERTIFICATE_EXPIRY', Enabled: true, Threshold: 45, Channel: 'ALL' },
        { Event: 'END_ENTITY_CERTIFICATE_EXPIRY', Enabled: true, Threshold: 45, Channel: 'ALL' },
      ],
    });
  });

  test('an AWS Private CA becomes an AWS_ACM_PCA anchor, from the construct or the ARN', () => {
    // GIVEN
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Pca', PCA_ARN);
    // WHEN
    new TrustAnchor(stack, 'FromCa', { source: TrustAnchorSource.fromAcmPca(ca), trustAnchorName: 'private ca', enabled: false });
    new TrustAnchor(stack, 'FromArn', { source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN) });
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 2);
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      Name: 'private ca', Enabled: false, Source: { SourceType: 'AWS_ACM_PCA', SourceData: { AcmPcaArn: PCA_ARN } },
    });
  });

  test('reads a bundle from a file', () => {
    // GIVEN
    const stack = newStack();
    const file = join(mkdtempSync(join(tmpdir(), 'ra-')), 'ca.pem');
    writeFileSync(file, root.pem);
    // WHEN
    new TrustAnchor(stack, 'OnPremCa', { source: TrustAnchorSource.fromCertificateBundleFile(file) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', { Source: { SourceData: { X509CertificateData: root.pem } } });
  });

  test('warns when a CA certificate expires within the CA notice period, and not otherwise', async () => {
    // GIVEN
    const stack = newStack();
    const expiring = await caCertificate('CN=Acme Expiring CA, O=Acme', { validDays: 20 });
    // WHEN
    new TrustAnchor(stack, 'Expiring', { source: TrustAnchorSource.fromCertificateBundle(root.pem + expiring.pem) });
    new TrustAnchor(stack, 'Current', { source: TrustAnchorSource.fromCertificateBundle(root.pem) });
    // THEN
    const annotations = Annotations.fromStack(stack);
    annotations.hasWarning('/OnPrem/Expiring', Match.stringLikeRegexp("The CA certificate 'CN=Acme Expiring CA, O=Acme' expires on"));
    expect(annotations.findWarning('/OnPrem/Current', Match.anyValue())).toEqual([]);
  });

  test('custom notification thresholds', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new TrustAnchor(stack, 'OnPremCa', {
      source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN),
      caCertificateExpiryNotice: Duration.days(90),
      endEntityCertificateExpiryNotice: Duration.days(7),
    });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', {
      NotificationSettings: [Match.objectLike({ Event: 'CA_CERTIFICATE_EXPIRY', Threshold: 90 }), Match.objectLike({ Event: 'END_ENTITY_CERTIFICATE_EXPIRY', Threshold: 7 })],
    });
  });

  test('keeps its logical id when its name, state or notifications change', () => {
    // GIVEN
    const build = (props: Partial<TrustAnchorProps>) => logicalIdOf(new TrustAnchor(newStack(), 'OnPremCa', { source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN), ...props }));
    const before = build({});
    // WHEN
    const after = build({ trustAnchorName: 'renamed', enabled: false, caCertificateExpiryNotice: Duration.days(10), endEntityCertificateExpiryNotice: Duration.days(20) });
    // THEN
    expect(after).toBe(before);
    expect(before).toBe('OnPremCa73509C64');
  });

  test('matches the snapshot (PEM masked) and passes the nag packs', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new TrustAnchor(stack, 'OnPremCa', { source: TrustAnchorSource.fromCertificateBundle(root.pem) });
    // THEN
    expect(maskPem(templateOf(stack))).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('fromTrustAnchorArn imports the ARN and derives the id', () => {
    // GIVEN
    const stack = newStack();
    const arn = `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/aaaaaaaa-1111-2222-3333-444444444444`;
    // WHEN
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Imported', arn);
    // THEN
    expect(anchor.trustAnchorArn).toBe(arn);
    expect(anchor.trustAnchorId).toBe('aaaaaaaa-1111-2222-3333-444444444444');
    expect(anchor.env.account).toBe(TEST_ACCOUNT);
  });

  describe('validation', () => {
    test.each([
      ['an end-entity certificate', () => TrustAnchorSource.fromCertificateBundle(workload.pem),
        /Invalid TrustAnchor 'OnPrem\/Anchor' prop 'source': the certificate \('CN=backup01, OU=Backup, O=Acme'\) is an end-entity certificate, not a CA certificate/],
      ['a certificate without CA:TRUE', () => TrustAnchorSource.fromCertificateBundle(root.pem + notCa.pem),
        /prop 'source': certificate 2 of the bundle \('CN=Not A CA, O=Acme'\) is an end-entity certificate/],
      ['an expired CA', () => TrustAnchorSource.fromCertificateBundle(expired.pem),
        /prop 'source': the certificate \('CN=Acme Old CA, O=Acme'\) expired on .*; renew the CA certificate/],
      ['a private key', () => TrustAnchorSource.fromCertificateBundle(`${root.pem}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n`),
        /prop 'source': the bundle holds a 'PRIVATE KEY' block; never put a private key in a template/],
      ['no PEM at all', () => TrustAnchorSource.fromCertificateBundle('not a certificate'),
        /prop 'source': the bundle holds no PEM certificate/],
      ['a corrupt certificate', () => TrustAnchorSource.fromCertificateBundle('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'),
        /prop 'source': the certificate is not a valid X.509 certificate/],
      ['a CSR instead of a certificate', () => TrustAnchorSource.fromCertificateBundle('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'),
        /prop 'source': the bundle holds a 'CERTIFICATE REQUEST' block, not a certificate/],
      ['a missing bundle file', () => TrustAnchorSource.fromCertificateBundleFile('/nonexistent/ca.pem'),
        /prop 'source': the certificate bundle file '\/nonexistent\/ca.pem' cannot be read/],
      ['a PCA ARN of another service', () => TrustAnchorSource.fromAcmPcaArn(`arn:aws:acm:us-east-1:${TEST_ACCOUNT}:certificate/1234`),
        /prop 'source': .* is not a valid acm-pca ARN/],
    ])('%s', (_name, source, message) => {
      expect(() => new TrustAnchor(newStack(), 'Anchor', { source: source() })).toThrow(message);
    });

    test.each([
      ['a name with a dot', { trustAnchorName: 'on.prem' }, /prop 'trustAnchorName': 'on.prem' contains characters outside letters, digits, spaces, - and _/],
      ['a name over 255 characters', { trustAnchorName: 'a'.repeat(256) }, /prop 'trustAnchorName': .* is 256 characters long, outside 1-255/],
      ['an empty name', { trustAnchorName: '' }, /prop 'trustAnchorName': '' is 0 characters long/],
      ['a notice of 0 days', { caCertificateExpiryNotice: Duration.days(0) }, /prop 'caCertificateExpiryNotice': 0 days is not a whole number of days between 1 and 360/],
      ['a notice of 361 days', { endEntityCertificateExpiryNotice: Duration.days(361) }, /prop 'endEntityCertificateExpiryNotice': 361 days is not/],
      ['a notice in hours', { caCertificateExpiryNotice: Duration.hours(36) }, /prop 'caCertificateExpiryNotice': 1 day 12 hours is not a whole number of days/],
    ])('%s', (_name, props, message) => {
      expect(() => new TrustAnchor(newStack(), 'Anchor', { source: TrustAnchorSource.fromAcmPcaArn(PCA_ARN), ...props })).toThrow(message);
    });

    test('fromTrustAnchorArn refuses an ARN of another resource', () => {
      expect(() => TrustAnchor.fromTrustAnchorArn(newStack(), 'Imported', `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:profile/aaaa`))
        .toThrow(/Invalid TrustAnchor.fromTrustAnchorArn 'OnPrem\/Imported' prop 'trustAnchorArn': .* is not a valid rolesanywhere ARN/);
    });
  });

  test('accepts tokens for the bundle, PCA ARN, name and imported ARN', () => {
    // GIVEN
    const stack = newStack();
    const pem = new CfnParameter(stack, 'CaPem').valueAsString;
    // WHEN
    new TrustAnchor(stack, 'FromPem', { source: TrustAnchorSource.fromCertificateBundle(pem), trustAnchorName: new CfnParameter(stack, 'Name').valueAsString });
    new TrustAnchor(stack, 'FromPca', { source: TrustAnchorSource.fromAcmPcaArn(new CfnParameter(stack, 'Pca').valueAsString) });
    const imported = TrustAnchor.fromTrustAnchorArn(stack, 'Imported', new CfnParameter(stack, 'AnchorArn').valueAsString);
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', { Name: { Ref: 'Name' }, Source: { SourceData: { X509CertificateData: { Ref: 'CaPem' } } } });
    template.hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', { Source: { SourceData: { AcmPcaArn: { Ref: 'Pca' } } } });
    expect(stack.resolve(imported.trustAnchorId)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: 'AnchorArn' }] }] }] }] });
  });
});
