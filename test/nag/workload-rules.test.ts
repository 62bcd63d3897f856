import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EcsTaskRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { packReport } from '../support/nag';


function newStack(): Stack {
  return new Stack(new App(), 'S', { env: TEST_ENV });
}

const report = packReport;

/** The findings of the rules whose id starts with `prefix`, sorted. */
function findings(stack: Stack, prefix: string): string[] {
  return report(stack).map(f => f.rule).filter(r => r.startsWith(prefix)).sort();
}

function severityOf(stack: Stack, prefix: string): string[] {
  return [...new Set(report(stack).filter(f => f.rule.startsWith(prefix)).map(f => f.severity))];
}

function vpcOf(stack: Stack): ec2.Vpc {
  return new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

const instanceProps = (vpc: ec2.IVpc): ec2.InstanceProps => ({
  vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
});

const IMDS = 'AccessPatterns-Ec2Imdsv2Required';
const DEPUTY = 'AccessPatterns-TrustServiceConfusedDeputy';
const ADMIN = 'AccessPatterns-WorkloadRoleAdministrator';

describe('Ec2Imdsv2Required [error]', () => {
  test('Noncompliance 1: aws-cdk-lib ec2.Instance and LaunchTemplate without requireImdsv2', () => {
    // GIVEN
    const stack = newStack();
    const vpc = vpcOf(stack);
    // WHEN
    new ec2.Instance(stack, 'Web', instanceProps(vpc));
    new ec2.LaunchTemplate(stack, 'Template', { instanceType: new ec2.InstanceType('t3.micro') });
    // THEN
    expect(findings(stack, IMDS)).toEqual([`${IMDS}[Missing::HttpTokens]`, `${IMDS}[Missing::HttpTokens]`]);
    expect(severityOf(stack, IMDS)).toEqual(['error']);
  });

  test('Noncompliance 2: tokens optional, on an instance, a launch template and a launch configuration', () => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    new ec2.Instance(stack, 'Web', { ...instanceProps(vpc), httpTokens: ec2.HttpTokens.OPTIONAL });
    new ec2.LaunchTemplate(stack, 'Template', { httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL });
    new autoscaling.CfnLaunchConfiguration(stack, 'Config', {
      imageId: 'ami-0123456789abcdef0', instanceType: 't3.micro', metadataOptions: { httpTokens: 'optional' },
    });
    expect(findings(stack, IMDS)).toEqual([`${IMDS}[HttpTokens::optional]`, `${IMDS}[HttpTokens::optional]`, `${IMDS}[HttpTokens::optional]`]);
  });

  test('Noncompliance 3: an instance whose own options leave tokens optional, whatever its launch template says', () => {
    const stack = newStack();
    const template = new ec2.CfnLaunchTemplate(stack, 'Template', { launchTemplateData: { metadataOptions: { httpTokens: 'required' } } });
    new ec2.CfnInstance(stack, 'Web', {
      imageId: 'ami-0123456789abcdef0',
      launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber },
      metadataOptions: { httpTokens: 'optional' },
    });
    expect(findings(stack, IMDS)).toEqual([`${IMDS}[HttpTokens::optional]`]);
  });

  test('Noncompliance 4: a value or launch template only known at deploy time', () => {
    const stack = newStack();
    new ec2.CfnLaunchTemplate(stack, 'Template', {
      launchTemplateData: { metadataOptions: { httpTokens: new CfnParameter(stack, 'Tokens').valueAsString } },
    });
    new ec2.CfnInstance(stack, 'Web', {
      imageId: 'ami-0123456789abcdef0',
      launchTemplate: { launchTemplateId: new CfnParameter(stack, 'TemplateId').valueAsString, version: '1' },
    });
    expect(findings(stack, IMDS)).toEqual([`${IMDS}[Unresolved::HttpTokens(Tokens)]`, `${IMDS}[Unresolved::LaunchTemplate(TemplateId)]`]);
  });

  test('Compliance: requireImdsv2 on ec2.Instance and LaunchTemplate, httpTokens REQUIRED, the endpoint off, a launch template of the stack', () => {
    const stack = newStack();
    const vpc = vpcOf(stack);
    new ec2.Instance(stack, 'Web', { ...instanceProps(vpc), requireImdsv2: true });
    new ec2.Instance(stack, 'Api', { ...instanceProps(vpc), httpTokens: ec2.HttpTokens.REQUIRED });
    new ec2.LaunchTemplate(stack, 'Template', { requireImdsv2: true });
    new ec2.LaunchTemplate(stack, 'NoImds', { httpEndpoint: false });
    const template = new ec2.CfnLaunchTemplate(stack, 'Shared', { launchTemplateData: { metadataOptions: { httpTokens: 'required' } } });
    new ec2.CfnInstance(stack, 'Worker', { imageId: 'ami-0123456789abcdef0', launchTemplate: { launchTemplateId: template.ref, version: template.attrLatestVersionNumber } });
    expect(findings(stack, IMDS)).toEqual([]);
  });
});

describe('TrustServiceConfusedDeputy [warning]', () => {
  test('Noncompliance: an ECS task role of aws-cdk-lib\'s TaskDefinition, and a plain role trusted by ecs-tasks', () => {
    // GIVEN
    const stack = newStack();
    // WHEN: the task definition creates its task role (no conditions); an execution role is only created with a container that needs it.
    new ecs.FargateTaskDefinition(stack, 'Orders');
    new iam.Role(stack, 'Plain', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    // THEN
    expect(findings(stack, DEPUTY)).toEqual([`${DEPUTY}[Missing::aws:SourceAccount]`, `${DEPUTY}[Missing::aws:SourceAccount]`]);
    expect(severityOf(stack, DEPUTY)).toEqual(['warning']);
  });

  test('Compliance: aws:SourceAccount or aws:SourceArn, EcsTaskRole, an execution role, and services that document no condition', () => {
    const stack = newStack();
    new iam.Role(stack, 'ByAccount', {
      assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), { StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } }),
    });
    new iam.Role(stack, 'ByArn', {
      assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), { ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${TEST_ACCOUNT}:*` } }),
    });
    const taskRole = new EcsTaskRole(stack, 'Task');
    const executionRole = new iam.Role(stack, 'Execution', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new ecs.FargateTaskDefinition(stack, 'Orders', { taskRole, executionRole });
    new iam.Role(stack, 'Instance', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
    new iam.Role(stack, 'Function', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    expect(findings(stack, DEPUTY)).toEqual([]);
  });

  test('a source ARN of another account than aws:SourceAccount never matches: TrustStatementWellFormed', () => {
    const stack = newStack();
    new iam.Role(stack, 'Task', {
      assumedBy: new iam.PrincipalWithConditions(new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), {
        StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT },
        ArnLike: { 'aws:SourceArn': `arn:aws:ecs:us-east-1:${OTHER_ACCOUNT}:*` },
      }),
    });
    expect(findings(stack, 'AccessPatterns-TrustStatementWellFormed')).toEqual([`AccessPatterns-TrustStatementWellFormed[SourceArn::arn:aws:ecs:us-east-1:${OTHER_ACCOUNT}:*]`]);
    expect(findings(stack, DEPUTY)).toEqual([]);
  });
});

describe('WorkloadRoleAdministrator [warning]', () => {
  test('Noncompliance: AdministratorAccess on an instance role, *:* inline on a task role, * in a policy attached to a function role', () => {
    // GIVEN
    const stack = newStack();
    new iam.Role(stack, 'Instance', {
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    const task = new iam.Role(stack, 'Task', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    // aws-cdk-lib refuses '*:*' in a PolicyStatement; IAM reads it as every action of every service.
    (task.node.defaultChild as iam.CfnRole).policies = [{
      policyName: 'everything', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*:*', Resource: '*' }] },
    }];
    const fn = new iam.Role(stack, 'Function', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    fn.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    const managed = new iam.ManagedPolicy(stack, 'Broad', { statements: [new iam.PolicyStatement({ actions: ['*'], resources: ['*'] })] });
    new iam.Role(stack, 'Worker', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'), managedPolicies: [managed] });
    // THEN
    const defaultPolicy = stack.resolve((fn.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy).logicalId);
    const broad = stack.resolve((managed.node.defaultChild as iam.CfnManagedPolicy).logicalId);
    expect(findings(stack, ADMIN)).toEqual([
      `${ADMIN}[InlinePolicy::everything]`,
      `${ADMIN}[ManagedPolicy::${broad}]`,
      `${ADMIN}[ManagedPolicy::AdministratorAccess]`,
      `${ADMIN}[Policy::${defaultPolicy}]`,
    ].sort());
    expect(severityOf(stack, ADMIN)).toEqual(['warning']);
  });

  test('Compliance: narrow workload roles, and AdministratorAccess on a role that is not a workload role', () => {
    const stack = newStack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['arn:aws:s3:::orders/*'] }));
    new iam.Role(stack, 'Admins', {
      assumedBy: new iam.ArnPrincipal(`arn:aws:iam::${TEST_ACCOUNT}:role/break-glass`),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess')],
    });
    expect(findings(stack, ADMIN)).toEqual([]);
  });
});
