/**
 * Employees sign in to the console and the CLI through the company's Okta (SAML 2.0):
 * - one IAM SAML provider from Okta's metadata document, shared by the roles;
 * - a read-only role for every engineer, for the console and for CLI tools such as
 *   saml2aws that pass the same assertion to sts:AssumeRoleWithSAML;
 * - an operator role that also accepts assertions posted to the Frankfurt regional
 *   sign-in endpoint, requires a persistent subject of the company's domain, and carries
 *   the user's identity to CloudTrail as the source identity.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, SamlAudience, SamlCondition, SamlFederatedRole, SamlSubjectType } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'WorkforceSso', { env: { account: '222222222222', region: 'eu-central-1' } });

// Okta > Applications > AWS Account Federation > Sign On > Identity Provider metadata
// (in a real app: iam.SamlMetadataDocument.fromFile('okta-metadata.xml')).
const signingCertificate = [
  'MIIDNzCCAh+gAwIBAgIUdr1LD4qSJ/n5K0arl/LkgmqLhgswDQYJKoZIhvcNAQELBQAwKzEaMBgGA1UEAwwRYWNtZS5va3RhLmV4',
  'YW1wbGUxDTALBgNVBAoMBEFjbWUwHhcNMjYxMTIzMjA0MjU1WhcNMzYxMTIwMjA0MjU1WjArMRowGAYDVQQDDBFhY21lLm9rdGEu',
  'ZXhhbXBsZTENMAsGA1UECgwEQWNtZTCCASIwDQYJKoZIhvcNAQEBBQADggEPADCCAQoCggEBANC1wTO5FJvvC1XGFbaWpfk7oPmU',
  'UatN1JHH1FGq5vV7Rsm8i2qeKMQEnv6RYke64VKdTdsmEchMM1NsBHXhn1r6///Pyq09MQqkCTZ+Xii6Kvu0sasLOOW5Ok9vFmsX',
  'WWN9LFsiRuAcFKpoSRzWZuK2ETMj13sGvf61Cb3Qof/xMgAHtDOcqM8jZrR9LWtUjULsuQ8D30mhAUCnNRWNz/eBbV3VqYZH+tuP',
  'vQEhU1hx4X0K2KuxEG33OI5LN+D4KVqeyM9fq+cWVhKpwxASwYo+R8e/rUcXAnCrFLgU0C70hFAXzyUby8+dZ+oXdVnVcNg/exps',
  'yVG9KrQ8Q5R+zI8CAwEAAaNTMFEwHQYDVR0OBBYEFFtQ1rCq/cTrPCp6s81P0rl/IfEdMB8GA1UdIwQYMBaAFFtQ1rCq/cTrPCp6',
  's81P0rl/IfEdMA8GA1UdEwEB/wQFMAMBAf8wDQYJKoZIhvcNAQELBQADggEBAEERR6V6UsAyqCkpHXVdMn7dTT9nKrI58WkrC2xB',
  'kY5ctTRfgjqiBoiq8Xfcs9KrZFUe81/38nyNzYhEypUUnhpcc7bofvf8JeQasW0q96Yl+PF6zyrCAn08lttaBE+iwYTmhHiU18cw',
  '5kX1lRtZcZhDfFSICsc3xSdO/s04XWBhXZUsvF9nKfSunIEwlstPeERz8DLzO4B2EX4+9Ea6MTPIz5G08CyWAcyF+CuWzD/cfvAQ',
  'XWrI1/t1yBzf64+wQFMHdpGV1FYcgY3LUtMlyAnYLFMJ36wr1I0aeujITaUftb+WUUfiBHn7V3PUyfCOQfYGyBafZXUEgf4K0frK',
  'yxw=',
].join('');
const okta = new iam.SamlProvider(stack, 'Okta', {
  metadataDocument: iam.SamlMetadataDocument.fromXml([
    '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="http://www.okta.com/exk1a2b3c4d5e6f7g8h9">',
    '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">',
    '<md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data>',
    `<ds:X509Certificate>${signingCertificate}</ds:X509Certificate>`,
    '</ds:X509Data></ds:KeyInfo></md:KeyDescriptor>',
    '<md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>',
    '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.okta.com/app/amazon_aws/exk1a2b3c4d5e6f7g8h9/sso/saml"/>',
    '</md:IDPSSODescriptor>',
    '</md:EntityDescriptor>',
  ].join('')),
});

const readOnly = new SamlFederatedRole(stack, 'EngineerReadOnly', {
  provider: okta,
  description: 'Read-only access for every engineer, through Okta',
  managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('ReadOnlyAccess')],
});
Validations.of(readOnly).acknowledge({
  id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess]',
  reason: 'Engineers may read every service; AWS keeps the ReadOnlyAccess policy current as services are added.',
});

const operator = new SamlFederatedRole(stack, 'Operator', {
  provider: okta,
  audiences: [SamlAudience.global(), SamlAudience.regional('eu-central-1')],
  conditions: [
    SamlCondition.subjectType(SamlSubjectType.PERSISTENT),
    SamlCondition.subject(['*@acme.example']),
  ],
  allowSourceIdentity: true,
  description: 'Restarts the web service; assumed through Okta by the on-call operators',
});
operator.addToPolicy(new iam.PolicyStatement({
  actions: ['ecs:UpdateService', 'ecs:DescribeServices'],
  resources: [stack.formatArn({ service: 'ecs', resource: 'service', resourceName: 'web/api' })],
}));

app.synth();
