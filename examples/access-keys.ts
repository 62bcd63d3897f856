/**
 * Long-lived IAM user access keys, from discovery to the last resort:
 * - discover: `npx cdk-access-patterns keys credential-report.csv` lists every active key of
 *   an account with its verdict and its replacement (run it before and after this app);
 * - guard (security account's stack, us-east-1, where IAM's CloudTrail events arrive): AWS
 *   Config rules for key age, unused credentials and root keys, an unused access analyzer,
 *   an alert on every new key, user and console password, and the service control policy
 *   that denies new keys outside the break-glass path (printed for AWS Organizations);
 * - last resort (workload account): a reporting application that can only sign with an
 *   access key gets one, held only in Secrets Manager, rotated every 30 days, bounded, and
 *   usable only from the office range and the data center's VPC endpoint.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessKeyGuardrails, AccessPatternsChecks, LegacyAccessKey } from 'cdk-access-patterns';

/** A customer managed key whose grants can only be created for AWS resources. */
function key(scope: Stack, id: string, description: string): kms.Key {
  const k = new kms.Key(scope, id, { enableKeyRotation: true, description });
  k.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return k;
}

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

// Guard: one per account, in us-east-1.
const guard = new Stack(app, 'AccessKeyGuardrails', { env: { account: '222222222222', region: 'us-east-1' } });
const alertsKey = key(guard, 'AlertsKey', 'Encrypts the security alerts topic');
const alerts = new sns.Topic(guard, 'SecurityAlerts', { masterKey: alertsKey, enforceSSL: true });
const guardrails = new AccessKeyGuardrails(guard, 'KeyGuardrails', {
  topic: alerts,
  breakGlassPrincipalArns: ['arn:aws:iam::*:role/break-glass/*'],
});
// The SCP is a document for AWS Organizations, not a resource of this stack.
if (process.env.PRINT_SCP === '1') process.stdout.write(`${JSON.stringify(guard.resolve(guardrails.serviceControlPolicy!.toJSON()), undefined, 2)}\n`);

// The last resort: a reporting application that cannot change.
const workload = new Stack(app, 'ReportingLegacyKey', { env: { account: '333333333333', region: 'eu-west-1' } });
const reports = s3.Bucket.fromBucketName(workload, 'Reports', 'acme-finance-reports');
const secretsKey = key(workload, 'ReportingKeyEncryption', 'Encrypts the secret holding the reporting application\'s access key');
const reportingKey = new LegacyAccessKey(workload, 'ReportingApp', {
  allowedSourceIps: ['203.0.113.0/24'],
  allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f60718'],
  encryptionKey: secretsKey,
});
reportingKey.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({
  actions: ['s3:GetObject'],
  resources: [reports.arnForObjects('daily/finance.csv')],
}));
// The host's configuration management reads the current key after each rotation.
const configManagement = new iam.Role(workload, 'ConfigManagement', {
  assumedBy: new iam.ServicePrincipal('ssm.amazonaws.com'),
  description: 'Systems Manager automation that installs the reporting application key on its host',
});
reportingKey.grantReadKey(configManagement);
