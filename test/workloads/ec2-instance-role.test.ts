import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Ec2InstanceRole } from '../../src';
import { OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV } from '../support/env';
import { nagFindings } from '../support/nag';
import { serviceCaller, simulate } from '../support/simulate';
import { templateOf } from '../support/template';

function newStack(): Stack {
  return new Stack(new App(), 'Web', { env: TEST_ENV });
}

function network(stack: Stack): { vpc: ec2.Vpc; instanceType: ec2.InstanceType; machineImage: ec2.IMachineImage } {
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  return { vpc, instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023() };
}

describe('Ec2InstanceRole', () => {
  test('is trusted by ec2.amazonaws.com alone, without conditions, and has its instance profile', () => {
    // GIVEN
    const stack = newStack();
    // WHEN
    new Ec2InstanceRole(stack, 'WebServer');
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: Match.absent() }],
      },
    });
    template.hasResourceProperties('AWS::IAM::InstanceProfile', { Roles: [{ Ref: Match.stringLikeRegexp('^WebServer') }] });
  });

  test('an instance it creates requires IMDSv2 tokens with a hop limit of 1', () => {
    const stack = newStack();
    const role = new Ec2InstanceRole(stack, 'WebServer');
    role.createInstance(stack, 'Web', network(stack));
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::Instance', {
      IamInstanceProfile: { Ref: Match.stringLikeRegexp('^WebServerInstanceProfile') },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1 },
    });
  });

  test('a launch template it creates requires IMDSv2, with the hop limit of 2 given for containers', () => {
    const stack = newStack();
    const role = new Ec2InstanceRole(stack, 'EcsHost', { metadataHopLimit: 2 });
    role.createLaunchTemplate(stack, 'Hosts', { instanceType: new ec2.InstanceType('t3.micro') });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: {
        IamInstanceProfile: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EcsHostInstanceProfile'), 'Arn'] } },
        MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 2 },
      },
    });
  });

  test('the launch template serves an Auto Scaling group', () => {
    const stack = newStack();
    const { vpc } = network(stack);
    const role = new Ec2InstanceRole(stack, 'Workers');
    const launchTemplate = role.createLaunchTemplate(stack, 'WorkerTemplate', {
      instanceType: new ec2.InstanceType('t3.micro'), machineImage: ec2.MachineImage.latestAmazonLinux2023(),
    });
    new autoscaling.AutoScalingGroup(stack, 'WorkerGroup', { vpc, launchTemplate, maxCapacity: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: { LaunchTemplateId: { Ref: Match.stringLikeRegexp('^WorkerTemplate') } },
    });
  });

  test('snapshot', () => {
    const stack = newStack();
    const role = new Ec2InstanceRole(stack, 'WebServer');
    role.createInstance(stack, 'Web', network(stack));
    expect(templateOf(stack)).toMatchSnapshot();
  });

  test('no AccessPatterns finding on the role, its instance and its launch template', () => {
    const stack = newStack();
    const role = new Ec2InstanceRole(stack, 'WebServer');
    role.createInstance(stack, 'Web', network(stack));
    role.createLaunchTemplate(stack, 'Template');
    // AwsSolutions' instance rules (detailed monitoring, termination protection, ASG) are about the instance, not the role.
    expect(nagFindings(stack).filter(f => !/^AwsSolutions-(EC2[689]|VPC7)$/.test(f.rule))).toEqual([]);
  });

  describe('simulation', () => {
    test('EC2 may assume the role; another service may not', async () => {
      const stack = newStack();
      const role = new Ec2InstanceRole(stack, 'WebServer');
      expect(await simulate(stack, role, serviceCaller('ec2.amazonaws.com'))).toBe('Allowed');
      expect(await simulate(stack, role, serviceCaller('lambda.amazonaws.com'))).toBe('Denied');
      // No confused-deputy condition is written (EC2 does not document one), so EC2 acting for any account is not refused by the trust: iam:PassRole is the guard.
      expect(await simulate(stack, role, serviceCaller('ec2.amazonaws.com', { 'aws:SourceAccount': OTHER_ACCOUNT }))).toBe('Allowed');
    });

    test('an IAM principal of the account cannot assume an instance role', async () => {
      const stack = newStack();
      const role = new Ec2InstanceRole(stack, 'WebServer');
      expect(await simulate(stack, role, { action: 'sts:AssumeRole', principal: `arn:aws:iam::${TEST_ACCOUNT}:role/admin` })).toBe('Denied');
    });
  });

  describe('bad input', () => {
    test.each([0, 65, 1.5, -1])('a hop limit of %p is refused', (hops) => {
      expect(() => new Ec2InstanceRole(newStack(), 'WebServer', { metadataHopLimit: hops }))
        .toThrow(new RegExp(`Invalid Ec2InstanceRole 'Web/WebServer' prop 'metadataHopLimit': ${String(hops).replace('.', '\\.')} is not a hop limit EC2 accepts \\(whole numbers 1-64\\)`));
    });

    test('an instance that would serve IMDSv1 credentials is refused', () => {
      const stack = newStack();
      const role = new Ec2InstanceRole(stack, 'WebServer');
      const net = network(stack);
      expect(() => role.createInstance(stack, 'Web', { ...net, httpTokens: ec2.HttpTokens.OPTIONAL }))
        .toThrow(/Invalid Ec2InstanceRole.createInstance 'Web\/Web' prop 'httpTokens': 'optional' would let the instance serve IMDSv1 credentials/);
      expect(() => role.createInstance(stack, 'Web2', { ...net, requireImdsv2: false }))
        .toThrow(/prop 'requireImdsv2': false would let the instance serve IMDSv1 credentials/);
    });

    test('a launch template that would serve IMDSv1 credentials, or has no metadata endpoint, is refused', () => {
      const stack = newStack();
      const role = new Ec2InstanceRole(stack, 'WebServer');
      expect(() => role.createLaunchTemplate(stack, 'T1', { httpTokens: ec2.LaunchTemplateHttpTokens.OPTIONAL }))
        .toThrow(/Invalid Ec2InstanceRole.createLaunchTemplate 'Web\/T1' prop 'httpTokens': 'optional' would let the instance serve IMDSv1 credentials/);
      expect(() => role.createLaunchTemplate(stack, 'T2', { httpEndpoint: false }))
        .toThrow(/prop 'httpEndpoint': false turns the instance metadata service off/);
    });

    test('another hop limit, role or instance profile is refused', () => {
      const stack = newStack();
      const role = new Ec2InstanceRole(stack, 'WebServer');
      expect(() => role.createLaunchTemplate(stack, 'T1', { httpPutResponseHopLimit: 3 }))
        .toThrow(/prop 'httpPutResponseHopLimit': 3 differs from the role's metadataHopLimit of 1/);
      const other = new iam.Role(stack, 'Other', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') });
      expect(() => role.createLaunchTemplate(stack, 'T2', { role: other }))
        .toThrow(/prop 'role': the instance profile is the workload role's own/);
    });

    test('tokens are accepted as inputs', () => {
      const stack = newStack();
      const hops = new CfnParameter(stack, 'Hops', { type: 'Number' }).valueAsNumber;
      const role = new Ec2InstanceRole(stack, 'WebServer', { metadataHopLimit: hops, roleName: new CfnParameter(stack, 'Name').valueAsString });
      role.createLaunchTemplate(stack, 'Template');
      Template.fromStack(stack).hasResourceProperties('AWS::EC2::LaunchTemplate', {
        LaunchTemplateData: { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: { Ref: 'Hops' } } },
      });
    });
  });
});
