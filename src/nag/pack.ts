import { CfnResource, IPolicyValidationContext, PolicyValidationPluginReport, PolicyValidationStack } from 'aws-cdk-lib';
// cdk-nag's index loads every pack and rule it ships (about 270 modules, 0.3 s): the base class
// and the rule types come from their own modules, so that importing this library stays cheap.
import { NagPack, NagPackProps } from 'cdk-nag/lib/nag-pack';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { IConstruct } from 'constructs';
import * as rules from './rules';
import { resetCaches, useTemplates } from './stack-index';

/** One rule of the pack: what it reports, why, and at which level. */
interface RuleSpec {
  readonly rule: (node: CfnResource) => NagRuleResult;
  readonly level: NagMessageLevel;
  readonly info: string;
  readonly explanation: string;
}

const ERROR = NagMessageLevel.ERROR;
const WARN = NagMessageLevel.WARN;

/** Every rule of the pack, in report order. */
const RULES: RuleSpec[] = [
  {
    rule: rules.TrustWebIdentityAudience,
    level: ERROR,
    info: 'The role trusts web identities (OIDC, a built-in provider or Cognito) without an exact token audience (<issuer>:aud, the app id, or the identity pool id).',
    explanation: 'Without an exact audience any token of the issuer, minted for any client, is accepted. Require the audience the caller requests, '
      + 'e.g. sts.amazonaws.com for GitHub Actions and EKS, the identity pool id for Cognito. "*" and patterns do not count; StringLike without a wildcard does.',
  },
  {
    rule: rules.TrustWebIdentityAudienceByProvider,
    level: WARN,
    info: 'The role trusts an OIDC provider of the same stack without an audience condition: only the provider\'s client id list checks the audience.',
    explanation: 'STS accepts a token whose audience is any of the provider\'s client ids. The role is as narrow as that list today, '
      + 'but a client id added to the provider later widens it too. Add StringEquals <issuer>:aud.',
  },
  {
    rule: rules.TrustWebIdentitySubject,
    level: ERROR,
    info: 'The role trusts web identities without pinning the tenant: no subject, "*", a wildcard in the owner, group, organization or namespace, a subject whose first claim others can reproduce, or a Cognito trust without amr.',
    explanation: 'A trust is narrow only when the claim that names the tenant (GitHub owner and repository, GitLab group, Terraform Cloud or Buildkite organization, EKS namespace) '
      + 'is pinned without wildcards as the first claim of the subject. A custom GitHub subject that starts with environment:, ref: or job_workflow_ref: can be reproduced by any repository admin '
      + '(OIDC subject customization). An Unresolved finding means a part only known at deploy time decides the scope: check the deployed value, then acknowledge the finding.',
  },
  {
    rule: rules.TrustWebIdentitySubjectOwnerWide,
    level: WARN,
    info: 'The role trusts every workload of one tenant: every repository of an owner, project of a group, service account of a namespace, workspace of an organization, or Cognito guests.',
    explanation: 'repo:acme/*, repository_owner:acme, repo:acme@*/*, project_path:acme/* or system:serviceaccount:team-a:* hand the role to anything created there later; '
      + 'repo:acme@*/* also matches whoever holds the name acme after a rename. List the workloads, or acknowledge the finding when the whole tenant is meant.',
  },
  {
    rule: rules.TrustNoSetOperatorOnSingleValuedKey,
    level: ERROR,
    info: 'The trust policy uses ForAnyValue:/ForAllValues: on a single-valued condition key.',
    explanation: 'ForAllValues: is true when the key is absent from the request, so such a condition does not restrict anything. '
      + 'Use StringEquals/StringLike on single-valued keys such as sub and aud.',
  },
  {
    rule: rules.TrustAnyPrincipalScoped,
    level: ERROR,
    info: 'The role trusts any principal ("*" or NotPrincipal) without an exact organization, account or ARN condition, or a principal only known at deploy time.',
    explanation: 'A "*" principal in a trust policy is only safe together with aws:PrincipalOrgID, aws:PrincipalAccount, aws:PrincipalArn, aws:SourceAccount or aws:SourceArn.',
  },
  {
    rule: rules.TrustAccountRootNarrowed,
    level: WARN,
    info: 'The role trusts another AWS account root without a condition that narrows the callers.',
    explanation: 'Trusting arn:aws:iam::<account>:root lets every principal of that account whose own policies allow it assume the role. '
      + 'Trust the exact role ARN, or add sts:ExternalId (vendors), aws:PrincipalArn or MFA conditions (an organization holds whole accounts, so it does not narrow); a session name or source identity is the caller\'s choice and does not narrow.',
  },
  {
    rule: rules.TrustRolesAnywhereSourceArn,
    level: ERROR,
    info: 'The role trusts IAM Roles Anywhere without pinning its trust anchors with exact aws:SourceArn values.',
    explanation: 'Without aws:SourceArn a certificate issued by any trust anchor in the account can reach the role. Add ArnEquals aws:SourceArn with the trust anchor ARNs.',
  },
  {
    rule: rules.TrustPodIdentitySourceAccount,
    level: WARN,
    info: 'The role trusts EKS Pod Identity (pods.eks.amazonaws.com) without aws:SourceAccount.',
    explanation: 'Pin the service principal to your account with StringEquals aws:SourceAccount, and scope it further with the kubernetes-namespace and '
      + 'kubernetes-service-account session tags (aws:RequestTag/...).',
  },
  {
    rule: rules.TrustServiceConfusedDeputy,
    level: WARN,
    info: 'The role trusts an AWS service that documents confused-deputy conditions for the roles it assumes (e.g. ecs-tasks.amazonaws.com for ECS task roles), without aws:SourceAccount or aws:SourceArn.',
    explanation: 'Add StringEquals aws:SourceAccount with your account and ArnLike aws:SourceArn with the service\'s resources, e.g. arn:<partition>:ecs:<region>:<account>:* for ECS task roles (EcsTaskRole). '
      + 'Only services that document these keys are asked: a condition on a key the service does not send makes the role unusable.',
  },
  {
    rule: rules.TrustSamlAudience,
    level: ERROR,
    info: 'The role trusts a SAML provider without a StringEquals condition on SAML:aud.',
    explanation: 'Require the AWS sign-in endpoint of the partition (e.g. https://signin.aws.amazon.com/saml) as the SAML assertion audience.',
  },
  {
    rule: rules.TrustStatementWellFormed,
    level: ERROR,
    info: 'The trust statement has a condition or principal IAM refuses or never evaluates as meant.',
    explanation: 'An operator without its colon (ForAllValuesStringEquals), a condition key with a scheme (https://...:sub), a wildcard inside a principal ARN, '
      + 'a principal of another partition, or a condition that can never hold (a principal ARN of another account than the trusted one, a cluster of another account than aws:SourceAccount) '
      + 'makes the trust undeployable or never true. The finding names the fix.',
  },
  {
    rule: rules.TrustActionsNamed,
    level: WARN,
    info: 'The trust statement allows STS actions by pattern or NotAction.',
    explanation: 'Name the STS actions the principal needs (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:TagSession ...): a pattern or NotAction also allows session tags and source identities nobody reviewed.',
  },
  {
    rule: rules.NoIamUserAccessKeys,
    level: ERROR,
    info: 'The app creates an IAM user access key.',
    explanation: 'Long-lived access keys leak and are rarely rotated. Use temporary credentials: a role, OIDC federation (CI/CD), '
      + 'IAM Roles Anywhere (servers) or IAM Identity Center (people).',
  },
  {
    rule: rules.NoIamUserLoginOrPolicies,
    level: WARN,
    info: 'The IAM user has a console password or permissions (policies or groups).',
    explanation: 'People sign in through IAM Identity Center (permission sets and account assignments) and workloads use roles; '
      + 'an IAM user with a password or policies is a long-lived identity to secure, rotate and offboard by hand.',
  },
  {
    rule: rules.WebIdentityMaxSessionDuration,
    level: WARN,
    info: 'The role is assumed through OIDC federation and allows sessions longer than one hour (MaxSessionDuration).',
    explanation: 'CI jobs and pods re-federate cheaply; a leaked session should not outlive the job by hours. Keep MaxSessionDuration at 3600 seconds or less.',
  },
  {
    rule: rules.PermissionSetSessionDuration,
    level: WARN,
    info: 'The permission set allows sessions longer than eight hours (SessionDuration).',
    explanation: 'A working day is enough; longer sessions keep access alive after a person leaves or a laptop is lost. Set SessionDuration to PT8H or less.',
  },
  {
    rule: rules.PermissionSetAdministratorBoundary,
    level: WARN,
    info: 'The permission set attaches AdministratorAccess without a permissions boundary.',
    explanation: 'Set a PermissionsBoundary that keeps the account guardrails (logging, security tooling, the boundary itself) out of reach, '
      + 'or give administrators a narrower policy.',
  },
  {
    rule: rules.TrustPolicySize,
    level: WARN,
    info: 'The trust policy is longer than IAM\'s default quota of 2,048 characters.',
    explanation: 'The deployment fails unless the account\'s "Role trust policy length" quota was raised. Trust fewer subjects or principals per role, '
      + 'use wildcards within one repository or namespace, or split the access over several roles.',
  },
  {
    rule: rules.EksNodeRoleBaseline,
    level: WARN,
    info: 'The EKS node role carries permissions beyond the node baseline.',
    explanation: 'Every pod on the node can use the node role. Keep it to AmazonEKSWorkerNodePolicy, AmazonEC2ContainerRegistryReadOnly (or PullOnly), '
      + 'AmazonEKS_CNI_Policy and AmazonSSMManagedInstanceCore, and give pods their own role (EKS Pod Identity or IRSA).',
  },
  {
    rule: rules.Ec2Imdsv2Required,
    level: ERROR,
    info: 'The EC2 instance, launch template or launch configuration may serve IMDSv1 credentials: its metadata options do not require session tokens (HttpTokens: required).',
    explanation: 'IMDSv1 answers any request that reaches 169.254.169.254, so a server-side request forgery hands out the instance role\'s credentials. '
      + 'Set httpTokens: REQUIRED (or requireImdsv2: true) on the instance or launch template, or create it with Ec2InstanceRole.createInstance / createLaunchTemplate.',
  },
  {
    rule: rules.WorkloadRoleAdministrator,
    level: WARN,
    info: 'The workload role (trusted by EC2, ECS tasks or Lambda) carries AdministratorAccess or allows "*" on "*".',
    explanation: 'Whoever runs code on the instance, in the task or in the function holds these credentials. Grant the actions and resources the workload uses; '
      + 'for a privileged task now and then, let the workload assume an ElevationRole.',
  },
];

/**
 * cdk-nag rules for the ways into an AWS account: role trust policies, long-lived IAM
 * users and keys, session lengths, and EKS node roles. The rules read any `CfnResource`
 * (L1, L2 or this library's constructs), so the pack works on apps that never used the
 * constructs.
 *
 * Register it as a validation plugin. Errors make synthesis fail; warnings are reported
 * without failing it. Findings are acknowledged one by one, with the id the report shows:
 *
 * @example
 * const app = new App();
 * Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new AccessPatternsChecks(app));
 * // ...
 * Validations.of(role).acknowledge({
 *   id: 'AccessPatterns-TrustWebIdentitySubjectOwnerWide[Subject::repo:acme/*]',
 *   reason: 'Every repository of acme publishes its docs with this role.',
 * });
 */
export class AccessPatternsChecks extends NagPack {
  /** The plugin name shown in the validation report. */
  public readonly name = 'AccessPatterns';

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = 'AccessPatterns';
  }

  /**
   * Entry point of the CDK validation framework, after synthesis: the rules read the
   * synthesized templates (`context.stackTemplates`) rather than resolving the tree again.
   */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    if (!context.appConstruct) return super.validate(context);
    return this.run(context.appConstruct, context.stackTemplates ?? []);
  }

  /**
   * Validates a construct tree, resolving its resources. The report fails only on
   * error-level findings: warnings are listed but do not fail synthesis.
   */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.run(scope, []);
  }

  private run(scope: IConstruct, stackTemplates: PolicyValidationStack[]): PolicyValidationPluginReport {
    resetCaches();
    try {
      useTemplates(stackTemplates);
      const report = super.validateScope(scope);
      return { ...report, success: report.violations.every(v => v.severity !== 'error') };
    } finally {
      resetCaches();
    }
  }

  protected checkResource(node: CfnResource): void {
    for (const spec of RULES) {
      this.applyRule({ ...spec, node });
    }
  }
}
