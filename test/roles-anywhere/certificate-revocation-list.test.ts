import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { caCertificate, crl, maskPem, TestCertificate } from './test-pki';
import { CertificateRevocationList, CrlData, TrustAnchor, TrustAnchorSource } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { templateOf } from '../support/template';

const ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/aaaaaaaa-1111-2222-3333-444444444444`;

let root: TestCertificate;
let other: TestCertificate;
let impostor: TestCertificate;
let current: { pem: string; der: Buffer };

beforeAll(async () => {
  root = await caCertificate('CN=Acme Root CA, O=Acme');
  other = await caCertificate('CN=Other CA, O=Other');
  // Same name as the root, another key: its CRL names the right issuer but does not verify.
  impostor = await caCertificate('CN=Acme Root CA, O=Acme');
  current = await crl(root);
});

function setup() {
  const stack = new Stack(new App(), 'OnPrem', { env: TEST_ENV });
  const anchor = new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(root.pem) });
  return { stack, anchor };
}

describe('CertificateRevocationList', () => {
  test('imports a PEM CRL for the trust anchor, enabled', () => {
    // GIVEN
    const { stack, anchor } = setup();
    // WHEN
    new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(current.pem) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::CRL', {
      Name: Match.stringLikeRegexp('^OnPremCrl'),
      CrlData: current.pem,
      Enabled: true,
      TrustAnchorArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Anchor'), 'TrustAnchorArn'] },
    });
  });

  test('writes DER input (base64 or file) as PEM, since CloudFormation passes CrlData as text', () => {
    // GIVEN
    const { stack, anchor } = setup();
    const file = join(mkdtempSync(join(tmpdir(), 'ra-')), 'crl.der');
    writeFileSync(file, current.der);
    // WHEN
    new CertificateRevocationList(stack, 'FromBase64', { trustAnchor: anchor, crl: CrlData.fromDerBase64(current.der.toString('base64')), crlName: 'acme root', enabled: false });
    new CertificateRevocationList(stack, 'FromFile', { trustAnchor: anchor, crl: CrlData.fromFile(file) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', { Name: 'acme root', Enabled: false, CrlData: current.pem });
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', { Name: Match.stringLikeRegexp('^OnPremFromFile'), CrlData: current.pem });
  });

  test('accepts the "BEGIN CRL" label and a CRL for an imported anchor (no issuer check possible)', async () => {
    // GIVEN
    const stack = new Stack(new App(), 'OnPrem', { env: TEST_ENV });
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    const pem = (await crl(other)).pem.replace(/X509 CRL/g, 'CRL');
    // WHEN
    new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(pem) });
    // THEN
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::CRL', { TrustAnchorArn: ANCHOR_ARN, CrlData: Match.stringLikeRegexp('^-----BEGIN X509 CRL-----\n') });
  });

  test('a CRL past its nextUpdate is imported with a warning', async () => {
    // GIVEN
    const { stack, anchor } = setup();
    const stale = await crl(root, { nextUpdateDays: -3 });
    // WHEN
    new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(stale.pem) });
    // THEN
    Annotations.fromStack(stack).hasWarning('/OnPrem/Crl', Match.stringLikeRegexp('was due to be replaced on .* \\(nextUpdate\\)'));
  });

  test('a current CRL leaves no warning', () => {
    const { stack, anchor } = setup();
    new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(current.pem) });
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toEqual([]);
  });

  test('matches the snapshot (PEM masked) and passes the nag packs', () => {
    // GIVEN
    const { stack, anchor } = setup();
    // WHEN
    new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(current.pem) });
    // THEN
    expect(maskPem(templateOf(stack))).toMatchSnapshot();
    expect(nagFindings(stack)).toEqual([]);
  });

  describe('validation', () => {
    test.each([
      ['a CRL of another CA', async () => CrlData.fromPem((await crl(other)).pem),
        /Invalid CertificateRevocationList 'OnPrem\/Crl' prop 'crl': the CRL was issued by 'CN=Other CA, O=Other', which is not a CA of the trust anchor's bundle \('CN=Acme Root CA, O=Acme'\)/],
      ['a CRL whose signature does not verify', async () => CrlData.fromPem((await crl(impostor)).pem),
        /prop 'crl': the CRL names 'CN=Acme Root CA, O=Acme' as issuer, but its signature does not verify with that CA's public key/],
      ['a certificate instead of a CRL', async () => CrlData.fromPem(root.pem),
        /prop 'crl': the PEM text holds 'CERTIFICATE' instead of one X509 CRL block/],
      ['no PEM block', async () => CrlData.fromPem('revoked: 0a'),
        /prop 'crl': the PEM text holds no '-----BEGIN X509 CRL-----' block/],
      ['bytes that are not a CRL', async () => CrlData.fromDerBase64(Buffer.from('not a crl').toString('base64')),
        /prop 'crl': the data is not an X.509 certificate revocation list/],
      ['text that is not base64', async () => CrlData.fromDerBase64('-----not base64-----'),
        /prop 'crl': the DER data is not base64/],
      ['a missing file', async () => CrlData.fromFile('/nonexistent/crl.pem'),
        /prop 'crl': the CRL file '\/nonexistent\/crl.pem' cannot be read/],
    ])('%s', async (_name, data, message) => {
      const { stack, anchor } = setup();
      const crlData = await data();
      expect(() => new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: crlData })).toThrow(message);
    });

    test('a bad name', () => {
      const { stack, anchor } = setup();
      expect(() => new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(current.pem), crlName: 'crl:2026' }))
        .toThrow(/prop 'crlName': 'crl:2026' contains characters outside letters, digits, spaces, - and _/);
    });
  });

  test('accepts tokens for the CRL data (PEM and DER) and the name', () => {
    // GIVEN
    const { stack, anchor } = setup();
    // WHEN
    new CertificateRevocationList(stack, 'Pem', { trustAnchor: anchor, crl: CrlData.fromPem(new CfnParameter(stack, 'CrlPem').valueAsString), crlName: new CfnParameter(stack, 'Name').valueAsString });
    new CertificateRevocationList(stack, 'Der', { trustAnchor: anchor, crl: CrlData.fromDerBase64(new CfnParameter(stack, 'CrlDer').valueAsString) });
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', { Name: { Ref: 'Name' }, CrlData: { Ref: 'CrlPem' } });
    template.hasResourceProperties('AWS::RolesAnywhere::CRL', {
      CrlData: { 'Fn::Join': ['', ['-----BEGIN X509 CRL-----\n', { Ref: 'CrlDer' }, '\n-----END X509 CRL-----\n']] },
    });
  });
});
