import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as acmpca from 'aws-cdk-lib/aws-acmpca';
import { caCertificate, TestCertificate } from './test-pki';
import { CertificateRevocationList, CrlData, TrustAnchor, TrustAnchorSource } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';

/** What IAM Roles Anywhere refuses at deploy time, refused at synthesis (issue 20). */

const PCA_ID = 'certificate-authority/11111111-2222-3333-4444-555555555555';
const ANCHOR_ARN = `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/aaaaaaaa-1111-2222-3333-444444444444`;

function newStack(env: { account: string; region: string } = TEST_ENV): Stack {
  return new Stack(new App(), 'OnPrem', { env });
}

let root: TestCertificate;

beforeAll(async () => {
  root = await caCertificate('CN=Acme Root CA, O=Acme');
});

describe('TrustAnchor: the AWS Private CA is in the trust anchor\'s account and region', () => {
  test('a CA of the stack\'s account and region is accepted, by ARN or as a construct', () => {
    const stack = newStack();
    const arn = `arn:aws:acm-pca:us-east-1:${TEST_ACCOUNT}:${PCA_ID}`;
    new TrustAnchor(stack, 'ByArn', { source: TrustAnchorSource.fromAcmPcaArn(arn) });
    new TrustAnchor(stack, 'ByCa', { source: TrustAnchorSource.fromAcmPca(acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', arn)) });
    Template.fromStack(stack).resourceCountIs('AWS::RolesAnywhere::TrustAnchor', 2);
  });

  test('a CA of another region is refused', () => {
    const arn = `arn:aws:acm-pca:eu-west-1:${TEST_ACCOUNT}:${PCA_ID}`;
    expect(() => new TrustAnchor(newStack(), 'Anchor', { source: TrustAnchorSource.fromAcmPcaArn(arn) }))
      .toThrow(/Invalid TrustAnchor 'OnPrem\/Anchor' prop 'source': the AWS Private CA 'arn:aws:acm-pca:eu-west-1:222222222222:certificate-authority\/.*' is in account 222222222222, region eu-west-1, but the trust anchor is in account 222222222222, region us-east-1; .*own account and region; create the trust anchor in a stack of the CA's account and region, or trust the CA's certificate/);
  });

  test('a CA of another account is refused, also given as a construct', () => {
    const stack = newStack();
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(stack, 'Ca', `arn:aws:acm-pca:us-east-1:${OTHER_ACCOUNT}:${PCA_ID}`);
    expect(() => new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromAcmPca(ca) }))
      .toThrow(/prop 'source': the AWS Private CA .* is in account 333333333333, region us-east-1, but the trust anchor is in account 222222222222/);
  });

  test('a CA of another stack\'s environment is refused through the construct\'s environment', () => {
    const app = new App();
    const pcaStack = new Stack(app, 'Pki', { env: { account: TEST_ACCOUNT, region: 'eu-west-1' } });
    const cfn = new acmpca.CfnCertificateAuthority(pcaStack, 'Ca', {
      type: 'ROOT', keyAlgorithm: 'EC_prime256v1', signingAlgorithm: 'SHA256WITHECDSA', subject: { commonName: 'Acme' },
    });
    const ca = acmpca.CertificateAuthority.fromCertificateAuthorityArn(pcaStack, 'Imported', cfn.attrArn);
    const stack = new Stack(app, 'OnPrem', { env: TEST_ENV });
    expect(() => new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromAcmPca(ca) }))
      .toThrow(/prop 'source': the AWS Private CA is in account 222222222222, region eu-west-1, but the trust anchor is in account 222222222222, region us-east-1/);
  });

  test('an environment-agnostic stack or a token ARN is left to deploy time', () => {
    const stack = new Stack(new App(), 'Agnostic');
    expect(() => new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromAcmPcaArn(`arn:aws:acm-pca:eu-west-1:${OTHER_ACCOUNT}:${PCA_ID}`) })).not.toThrow();
  });
});

describe('TrustAnchor: the certificate bundle is at most 8,000 characters', () => {
  test('at the limit: a bundle of exactly 8,000 characters is accepted', () => {
    const bundle = root.pem + '\n'.repeat(8000 - root.pem.length);
    expect(bundle).toHaveLength(8000);
    const stack = newStack();
    new TrustAnchor(stack, 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(bundle) });
    Template.fromStack(stack).hasResourceProperties('AWS::RolesAnywhere::TrustAnchor', { Source: { SourceData: { X509CertificateData: bundle } } });
  });

  test('one past it: 8,001 characters are refused, naming the limit and the fix', () => {
    const bundle = root.pem + '\n'.repeat(8001 - root.pem.length);
    expect(() => new TrustAnchor(newStack(), 'Anchor', { source: TrustAnchorSource.fromCertificateBundle(bundle) }))
      .toThrow(/Invalid TrustAnchor 'OnPrem\/Anchor' prop 'source': the certificate bundle is 8001 characters, above the 8000 IAM Roles Anywhere accepts \(x509CertificateData of CreateTrustAnchor\); give only the CA certificate/);
  });
});

describe('CertificateRevocationList: at most 300,000 bytes of CRL data', () => {
  const LIMIT = 300000;
  /** The length of the PEM the construct writes for a DER CRL of `der` bytes (64-character lines). */
  const pemLength = (der: number): number => {
    const b64 = 4 * Math.ceil(der / 3);
    return '-----BEGIN X509 CRL-----\n'.length + b64 + Math.ceil(b64 / 64) - 1 + '\n-----END X509 CRL-----\n'.length;
  };
  /** The largest DER length whose PEM fits the limit. */
  let atLimit = 0;
  while (pemLength(atLimit + 1) <= LIMIT) atLimit++;

  /** One DER TLV. */
  const tlv = (tag: number, content: Buffer): Buffer => {
    const n = content.length;
    const bytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
    const length = n < 0x80 ? Buffer.from([n]) : Buffer.from([0x80 + bytes.length, ...bytes]);
    return Buffer.concat([Buffer.from([tag]), length, content]);
  };
  const utcTime = (d: Date) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));

  /**
   * A CRL (X.509 v2, issuer `CN=Acme`) whose DER is exactly `length` bytes: revoked
   * entries of 20-byte serials, the signature's length adjusted. The signature is not a
   * real one: a CRL of an imported trust anchor is not verified at synthesis, only
   * parsed and measured, which is what these tests are about (generating and signing
   * 5,000 entries with the test PKI takes minutes).
   */
  function crlOfDerLength(length: number): Buffer {
    const ecdsaSha256 = tlv(0x30, Buffer.from([0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02]));
    const issuer = tlv(0x30, tlv(0x31, tlv(0x30, Buffer.concat([Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]), tlv(0x0c, Buffer.from('Acme'))]))));
    const now = Date.now();
    const build = (entries: number, signatureBytes: number): Buffer => {
      const revoked = Array.from({ length: entries }, (_, i) => tlv(0x30, Buffer.concat([
        tlv(0x02, Buffer.from('01' + i.toString(16).padStart(38, '0'), 'hex')), utcTime(new Date(now - 86400000)),
      ])));
      const tbs = tlv(0x30, Buffer.concat([
        Buffer.from([0x02, 0x01, 0x01]), ecdsaSha256, issuer, utcTime(new Date(now - 86400000)), utcTime(new Date(now + 7 * 86400000)),
        tlv(0x30, Buffer.concat(revoked)),
      ]));
      return tlv(0x30, Buffer.concat([tbs, ecdsaSha256, tlv(0x03, Buffer.concat([Buffer.from([0]), Buffer.alloc(signatureBytes, 0x5a)]))]));
    };
    const entries = Math.floor((length - 300) / 39);
    let signatureBytes = 64;
    let der = build(entries, signatureBytes);
    // A length field may grow by a byte as the signature grows: adjust until exact.
    for (let i = 0; i < 4 && der.length !== length; i++) {
      signatureBytes += length - der.length;
      der = build(entries, signatureBytes);
    }
    expect(der.length).toBe(length);
    return der;
  }

  test('at the limit: the largest CRL whose PEM is within 300,000 bytes is imported', () => {
    const der = crlOfDerLength(atLimit);
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromDerBase64(der.toString('base64')) });
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::RolesAnywhere::CRL'));
    expect(resource.Properties.CrlData.length).toBe(pemLength(atLimit));
    expect(resource.Properties.CrlData.length).toBeLessThanOrEqual(LIMIT);
  }, 120000);

  test('one past it: a CRL one byte longer is refused, naming the limit and the fix', () => {
    const der = crlOfDerLength(atLimit + 1);
    const pem = `-----BEGIN X509 CRL-----\n${der.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END X509 CRL-----\n`;
    const stack = newStack();
    const anchor = TrustAnchor.fromTrustAnchorArn(stack, 'Anchor', ANCHOR_ARN);
    expect(() => new CertificateRevocationList(stack, 'Crl', { trustAnchor: anchor, crl: CrlData.fromPem(pem) }))
      .toThrow(/Invalid CertificateRevocationList 'OnPrem\/Crl' prop 'crl': the CRL is 30000\d bytes as PEM, over IAM Roles Anywhere's limit of 300000; publish a smaller CRL/);
  }, 120000);
});
