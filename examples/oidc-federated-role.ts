/**
 * HCP Terraform runs of one workspace manage DNS records without stored AWS keys
 * (dynamic provider credentials):
 * - the account's IAM OIDC provider for https://app.terraform.io, with the audience
 *   HCP Terraform uses by default (`aws.workload.identity`);
 * - a plan role that only plan runs of workspace acme/platform/dns can assume, allowed to
 *   read one hosted zone;
 * - an apply role that only apply runs of that workspace can assume, allowed to change the
 *   records of that zone.
 * In the workspace, set TFC_AWS_PROVIDER_AUTH=true, TFC_AWS_PLAN_ROLE_ARN and
 * TFC_AWS_APPLY_ROLE_ARN to the two role ARNs.
 */
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AccessPatternsChecks, OidcFederatedRole } from 'cdk-access-patterns';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app), new CfnGuardValidator());

const stack = new Stack(app, 'TerraformDns', { env: { account: '222222222222', region: 'eu-west-1' } });

const issuerUrl = 'https://app.terraform.io';
const audience = 'aws.workload.identity';
const provider = new iam.OidcProviderNative(stack, 'HcpTerraform', { url: issuerUrl, clientIds: [audience] });
const workspace = 'organization:acme:project:platform:workspace:dns';

const zone = route53.HostedZone.fromHostedZoneId(stack, 'Zone', 'Z0123456789ABCDEFGHIJ');
/** What both phases need: Terraform refreshes the zone and its records before planning. */
const readZone = () => new iam.PolicyStatement({
  actions: ['route53:GetHostedZone', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'],
  resources: [zone.hostedZoneArn],
});

const plan = new OidcFederatedRole(stack, 'PlanRole', {
  provider,
  issuerUrl,
  audiences: [audience],
  subjects: [`${workspace}:run_phase:plan`],
  description: 'Plans of the HCP Terraform workspace acme/platform/dns: reads the hosted zone',
});
plan.addToPolicy(readZone());

const apply = new OidcFederatedRole(stack, 'ApplyRole', {
  provider,
  issuerUrl,
  audiences: [audience],
  subjects: [`${workspace}:run_phase:apply`],
  description: 'Applies of the HCP Terraform workspace acme/platform/dns: changes the records of the hosted zone',
});
apply.addToPolicy(readZone());
apply.addToPolicy(new iam.PolicyStatement({ actions: ['route53:ChangeResourceRecordSets'], resources: [zone.hostedZoneArn] }));
apply.addToPolicy(new iam.PolicyStatement({
  actions: ['route53:GetChange'],
  resources: [stack.formatArn({ service: 'route53', region: '', account: '', resource: 'change', resourceName: '*' })],
}));
Validations.of(apply).acknowledge({
  id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:route53:::change/*]',
  reason: 'Terraform waits for each record change with route53:GetChange; change ids are only known once the change is made.',
});

app.synth();
