/**
 * Compute inside AWS, whose credentials AWS hands out and rotates: the gold standard.
 * - an EC2 instance with its instance profile, IMDSv2 required (hop limit 1);
 * - an ECS (Fargate) task definition with a task role (confused-deputy conditions of the
 *   ECS guide) and a task execution role;
 * - a Lambda function with its execution role, which also reaches account B: service to
 *   service across accounts, through a CrossAccountRole there and the grant on the caller side;
 * - a within-account elevation role for one privileged task (restoring a database
 *   snapshot), assumed by the operators with MFA and by the task role with a source
 *   identity, for one hour at most, every assumption reported by its AssumeRoleMonitor.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, ArnFormat, Duration, PhysicalName, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  AccessPatternsChecks, CrossAccountRole, Ec2InstanceRole, EcsTaskExecutionRole, EcsTaskRole, ElevationCaller, ElevationRole,
  LambdaExecutionRole,
} from 'cdk-access-patterns';

const app = new App({
  // The account's zones, as `cdk.context.json` would hold them after a lookup: the VPC below
  // synthesizes without credentials.
  context: { 'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] },
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const servicesAccount = { account: '111111111111', region: 'eu-west-1' };
const reportingAccount = { account: '222222222222', region: 'eu-west-1' };

// Account A: the workloads.
const services = new Stack(app, 'Services', { env: servicesAccount });
/** A customer managed key whose grants only AWS services may create. */
function newKey(id: string, description: string): kms.Key {
  const key = new kms.Key(services, id, { enableKeyRotation: true, description });
  key.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}
const logKey = newKey('LogKey', 'Encrypts the workloads\' logs');
logKey.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${servicesAccount.region}.amazonaws.com`));

// --- EC2: the instance profile, only on instances that require IMDSv2 ---
const vpc = new ec2.Vpc(services, 'Vpc', {
  maxAzs: 2,
  natGateways: 0,
  subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  flowLogs: {
    rejected: {
      trafficType: ec2.FlowLogTrafficType.REJECT,
      destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(services, 'FlowLogs', {
        retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN,
      })),
    },
  },
});
const webServerRole = new Ec2InstanceRole(services, 'WebServerRole', { description: 'Web servers: read the site bucket' });
webServerRole.addToPolicy(new iam.PolicyStatement({
  actions: ['s3:GetObject'],
  resources: ['arn:aws:s3:::acme-web-site/*'],
}));
Validations.of(webServerRole).acknowledge({
  id: 'AwsSolutions-IAM5[Resource::arn:aws:s3:::acme-web-site/*]',
  reason: 'The web servers serve every object of the site bucket.',
});
webServerRole.createInstance(services, 'WebServer', {
  vpc,
  instanceType: new ec2.InstanceType('m6i.large'), // encrypts traffic between instances in transit
  machineImage: ec2.MachineImage.latestAmazonLinux2023(),
  associatePublicIpAddress: false,
  detailedMonitoring: true,
  disableApiTermination: true,
  blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(8, { encrypted: true }) }],
});

// --- ECS / Fargate: the task role (SourceAccount + SourceArn of this account's tasks) and the execution role ---
const ordersTaskRole = new EcsTaskRole(services, 'OrdersTaskRole', { description: 'Orders service tasks' });
const ordersExecutionRole = new EcsTaskExecutionRole(services, 'OrdersExecutionRole', { description: 'Pulls the orders image and writes its logs' });
const orders = new ecs.FargateTaskDefinition(services, 'Orders', { taskRole: ordersTaskRole, executionRole: ordersExecutionRole });
orders.addContainer('app', {
  image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
  user: '1000',
  readonlyRootFilesystem: true,
  memoryLimitMiB: 512,
  logging: ecs.LogDrivers.awsLogs({
    streamPrefix: 'orders',
    logGroup: new logs.LogGroup(services, 'OrdersLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN }),
  }),
});

// --- Lambda: the execution role, which reaches account B ---
const reportRole = new LambdaExecutionRole(services, 'ReportRole', {
  roleName: PhysicalName.GENERATE_IF_NEEDED, // named in account B's trust policy
  description: 'Nightly report function',
});
const reportLogs = new logs.LogGroup(services, 'ReportLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logKey, removalPolicy: RemovalPolicy.RETAIN });
reportLogs.grantWrite(reportRole);
new lambda.Function(services, 'Report', {
  runtime: lambda.Runtime.NODEJS_LATEST,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  role: reportRole,
  logGroup: reportLogs,
  vpc,
  reservedConcurrentExecutions: 1,
});

// --- Service to service across accounts: account B trusts exactly the function's role ---
const reporting = new Stack(app, 'Reporting', { env: reportingAccount });
reporting.addStackDependency(services); // the trusted role must exist before the trust that names it
const reportReader = new CrossAccountRole(reporting, 'ReportReaderRole', {
  roleName: PhysicalName.GENERATE_IF_NEEDED,
  trustedRoleArns: [reportRole.roleArn],
  description: 'Read by the nightly report function of the services account',
});
reportReader.addToPolicy(new iam.PolicyStatement({
  actions: ['cloudwatch:GetMetricData'],
  resources: ['*'],
}));
Validations.of(reportReader).acknowledge({
  id: 'AwsSolutions-IAM5[Resource::*]',
  reason: 'cloudwatch:GetMetricData supports no resource-level permissions.',
});
// Caller side: sts:AssumeRole on exactly that role.
CrossAccountRole.grantAssume(reportRole, reportReader.roleArn);

// --- Within-account elevation: restoring a database snapshot, now and then ---
const alertsKey = newKey('SecurityAlertsKey', 'Encrypts the security alerts topic');
const alerts = new sns.Topic(services, 'SecurityAlerts', { masterKey: alertsKey, enforceSSL: true });
const restore = new ElevationRole(services, 'DatabaseRestoreRole', {
  callers: [
    ElevationCaller.human(`arn:aws:iam::${servicesAccount.account}:role/operators`),
    ElevationCaller.machineRole(ordersTaskRole),
  ],
  mfaMaxAge: Duration.minutes(15),
  topic: alerts,
  description: 'Restores the orders database from a snapshot',
});
restore.addToPolicy(new iam.PolicyStatement({
  actions: ['rds:RestoreDBClusterFromSnapshot'],
  resources: [
    services.formatArn({ service: 'rds', resource: 'cluster', resourceName: 'orders', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    services.formatArn({ service: 'rds', resource: 'cluster-snapshot', resourceName: 'orders-*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
  ],
}));
Validations.of(restore).acknowledge({
  id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:rds:${servicesAccount.region}:${servicesAccount.account}:cluster-snapshot:orders-*]`,
  reason: 'The restore takes any of the orders cluster\'s snapshots, which are all named orders-<date>.',
});
// The task role's side: it may assume the elevation role, and must set a source identity.
CrossAccountRole.grantAssume(ordersTaskRole, restore.roleArn, { setSourceIdentity: true });

app.synth();
