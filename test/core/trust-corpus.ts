/**
 * The trust corpus: trust statements as they appear in templates, each labelled with what
 * the one definition of a narrow trust must say of it, and the requests that prove it
 * (the legitimate caller, and an attacker who controls their own GitHub owner, AWS
 * account, Terraform Cloud organization, certificate ...).
 */
import { App, CfnCondition, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import {
  AzureTokenVersion, AzureWorkloadRole, CrossAccountRole, GitHubActionsRole, GitHubSubject, GitLabCiRole, GitLabOidcProvider, GitLabSubject,
  OidcFederatedRole, PodIdentityRole, ThirdPartyRole, WebIdentityProvider, WebIdentityRole,
} from '../../src';
import { CALLER_ACCOUNT, OTHER_ACCOUNT, TEST_ACCOUNT, TEST_ENV, TEST_ORG } from '../support/env';
import { AssumeRequest, awsCaller, samlAssertion, serviceCaller, webIdentity } from '../support/simulate';
import { TemplateJson, templateOf } from '../support/template';

/** What a statement lets in, by the one definition of a narrow trust. */
export type Label = 'narrow' | 'owner-wide' | 'unresolved' | 'broad' | 'invalid';

/** One statement of the corpus. */
export interface CorpusRow {
  /** What the row is, and why it has its label. */
  readonly name: string;
  readonly label: Label;
  /** The statement, as in a template (intrinsics allowed: parameters are declared from `parameters`). */
  readonly statement: any;
  /** CloudFormation parameters the statement refers to. */
  readonly parameters?: string[];
  /** The caller the trust is written for: Allowed (not checked for invalid or unresolved rows). */
  readonly allowed?: AssumeRequest;
  /** A caller outside what the trust names: Denied when the row is narrow, Allowed when it is broad or owner-wide. */
  readonly attack?: AssumeRequest;
  /**
   * A construct of this library written to emit the statement, without any opt-in: it must
   * synthesize when the row is narrow and be refused (at construction or synthesis) when it
   * is owner-wide, broad or invalid.
   */
  readonly construct?: (scope: Stack) => void;
  /** The construct is the pattern's named opt-in for an owner-wide row: it must synthesize. */
  readonly optIn?: boolean;
}

const ROLE = (n: string) => `arn:aws:iam::${CALLER_ACCOUNT}:role/${n}`;
/** An IAM caller, with the global keys IAM sets for it. */
const caller = (arn: string, context: Record<string, string> = {}) => awsCaller(arn, {
  'aws:PrincipalArn': arn, 'aws:PrincipalAccount': /::(\d{12}):/.exec(arn)![1], ...context,
});
const STRANGER = 'arn:aws:iam::444444444444:role/evil';
const allow = (principal: any, action: string | string[], condition?: any) => ({
  Effect: 'Allow', Principal: principal, Action: action, ...(condition ? { Condition: condition } : {}),
});

// ---- GitHub Actions
const GH = 'token.actions.githubusercontent.com';
const GH_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${GH}`;
const gh = (condition: any) => allow({ Federated: GH_ARN }, 'sts:AssumeRoleWithWebIdentity', condition);
const ghSub = (operator: string, sub: string | string[], extra: any = {}) => gh({
  StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com', ...(operator === 'StringEquals' ? { [`${GH}:sub`]: sub } : {}), ...(extra.StringEquals ?? {}) },
  ...(operator !== 'StringEquals' ? { [operator]: { [`${GH}:sub`]: sub } } : {}),
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'StringEquals')),
});
const ghToken = (sub: string, claims: Record<string, string> = {}) => webIdentity(GH_ARN, { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: sub, ...claims });

// ---- GitLab
const GL = 'gitlab.com';
const GL_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${GL}`;
const gl = (operator: string, sub: string) => allow({ Federated: GL_ARN }, 'sts:AssumeRoleWithWebIdentity', {
  StringEquals: { [`${GL}:aud`]: 'https://gitlab.com', ...(operator === 'StringEquals' ? { [`${GL}:sub`]: sub } : {}) },
  ...(operator !== 'StringEquals' ? { [operator]: { [`${GL}:sub`]: sub } } : {}),
});
const glToken = (sub: string) => webIdentity(GL_ARN, { [`${GL}:aud`]: 'https://gitlab.com', [`${GL}:sub`]: sub });

// ---- EKS IRSA
const EKS = 'oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const EKS_ARN = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${EKS}`;
const eks = (operator: string, sub: string) => allow({ Federated: EKS_ARN }, 'sts:AssumeRoleWithWebIdentity', {
  StringEquals: { [`${EKS}:aud`]: 'sts.amazonaws.com', ...(operator === 'StringEquals' ? { [`${EKS}:sub`]: sub } : {}) },
  ...(operator !== 'StringEquals' ? { [operator]: { [`${EKS}:sub`]: sub } } : {}),
});
const eksToken = (sub: string) => webIdentity(EKS_ARN, { [`${EKS}:aud`]: 'sts.amazonaws.com', [`${EKS}:sub`]: sub });

// ---- Other issuers
const issuer = (host: string) => {
  const arn = `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${host}`;
  const audience = host === 'app.terraform.io' ? 'aws.workload.identity' : 'sts.amazonaws.com';
  return {
    statement: (operator: string, sub: string) => allow({ Federated: arn }, 'sts:AssumeRoleWithWebIdentity', {
      StringEquals: { [`${host}:aud`]: audience, ...(operator === 'StringEquals' ? { [`${host}:sub`]: sub } : {}) },
      ...(operator !== 'StringEquals' ? { [operator]: { [`${host}:sub`]: sub } } : {}),
    }),
    token: (sub: string) => webIdentity(arn, { [`${host}:aud`]: audience, [`${host}:sub`]: sub }),
  };
};
const TFC = issuer('app.terraform.io');
const BK = issuer('agent.buildkite.com');
const CIRCLE = issuer('oidc.circleci.com/org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c');
const BB = issuer('api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc');
const OTHER = issuer('id.example.com');

// ---- AWS principals
const root = (account: string) => `arn:aws:iam::${account}:root`;
const aws = (principal: string | string[], condition?: any) => allow({ AWS: principal }, 'sts:AssumeRole', condition);
const anyone = (condition?: any) => allow('*', 'sts:AssumeRole', condition);

// ---- Service principals
const anchor = (id: string) => `arn:aws:rolesanywhere:us-east-1:${TEST_ACCOUNT}:trust-anchor/${id}`;
const ANCHOR = anchor('5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c');
const ra = (condition?: any) => allow({ Service: 'rolesanywhere.amazonaws.com' }, ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'], condition);
const raCall = (anchorArn: string, tags: Record<string, string>) => serviceCaller('rolesanywhere.amazonaws.com', {
  'aws:SourceArn': anchorArn, ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:PrincipalTag/${k}`, v])),
});
const pods = (condition?: any) => allow({ Service: 'pods.eks.amazonaws.com' }, ['sts:AssumeRole', 'sts:TagSession'], condition);
const podCall = (account: string, ns: string, sa: string, cluster = `arn:aws:eks:us-east-1:${account}:cluster/prod`) => serviceCaller('pods.eks.amazonaws.com', {
  'aws:SourceAccount': account, 'aws:RequestTag/kubernetes-namespace': ns, 'aws:RequestTag/kubernetes-service-account': sa, 'aws:RequestTag/eks-cluster-arn': cluster,
});

// ---- Cognito, SAML, built-in providers
const POOL = 'us-east-1:5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c';
const cognito = (condition?: any) => allow({ Federated: 'cognito-identity.amazonaws.com' }, 'sts:AssumeRoleWithWebIdentity', condition);
const cognitoToken = (pool: string, amr: string[]) => webIdentity('cognito-identity.amazonaws.com', { 'cognito-identity.amazonaws.com:aud': pool, 'cognito-identity.amazonaws.com:amr': amr });
const SAML_ARN = `arn:aws:iam::${TEST_ACCOUNT}:saml-provider/CorporateIdP`;
const SIGN_IN = 'https://signin.aws.amazon.com/saml';
const saml = (condition?: any) => allow({ Federated: SAML_ARN }, 'sts:AssumeRoleWithSAML', condition);

const builtIn = (provider: string, condition?: any) => allow({ Federated: provider }, 'sts:AssumeRoleWithWebIdentity', condition);
/**
 * A token of a built-in provider. The simulator reads a principal that is neither an ARN nor a service (`www.amazon.com`)
 * as one of another account, which also needs an identity policy of its own; STS evaluates only the trust, so the request
 * carries an allow for the caller side and the trust policy alone decides.
 */
const builtInToken = (provider: string, claims: Record<string, string>): AssumeRequest => ({ ...webIdentity(provider, claims), callerPolicy: true });
const LWA_APP = 'amzn1.application-oa2-client.5a9b7c1e0d3f4e2a';
const FB_APP = '123456789012345';
const GOOGLE_CLIENT = '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com';
const GCP_SA = '100000000000000000001';

const AZ_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const AZ_V1 = `sts.windows.net/${AZ_TENANT}/`;
const AZ_V2 = `login.microsoftonline.com/${AZ_TENANT}/v2.0`;
const AZ_AUD = 'api://aws-reader';
const AZ_ID = '9d6f7c4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f';
const azure = (issuerPath: string, condition: any) => allow({ Federated: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${issuerPath}` }, 'sts:AssumeRoleWithWebIdentity', condition);
const azureToken = (issuerPath: string, sub: string, aud: string = AZ_AUD) => webIdentity(`arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${issuerPath}`, { [`${issuerPath}:aud`]: aud, [`${issuerPath}:sub`]: sub });

// ---- Constructs that emit a row's statement
const github = (...subjects: GitHubSubject[]) => (scope: Stack) => { new GitHubActionsRole(scope, 'Construct', { subjects }); };
const gitlab = (...subjects: GitLabSubject[]) => (scope: Stack) => {
  new GitLabCiRole(scope, 'Construct', { subjects, provider: GitLabOidcProvider.fromAccount(scope, 'GitLab') });
};
const oidcRole = (host: string, audience: string, ...subjects: string[]) => (scope: Stack) => {
  new OidcFederatedRole(scope, 'Construct', { providerArn: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${host}`, issuerUrl: `https://${host}`, audiences: [audience], subjects });
};
const webIdentityRole = (provider: () => WebIdentityProvider) => (scope: Stack) => { new WebIdentityRole(scope, 'Construct', { provider: provider() }); };
const crossAccount = (props: ConstructorParameters<typeof CrossAccountRole>[2]) => (scope: Stack) => { new CrossAccountRole(scope, 'Construct', props); };

/** The corpus. */
export const CORPUS: CorpusRow[] = [
  // ------------------------------------------------------------------ GitHub subjects
  { name: 'GitHub: one branch of one repository', label: 'narrow', statement: ghSub('StringEquals', 'repo:acme/api:ref:refs/heads/main'), allowed: ghToken('repo:acme/api:ref:refs/heads/main'), attack: ghToken('repo:evil/api:ref:refs/heads/main'), construct: github(GitHubSubject.branch('acme/api', 'main')) },
  { name: 'GitHub: one environment', label: 'narrow', statement: ghSub('StringEquals', 'repo:acme/api:environment:production'), allowed: ghToken('repo:acme/api:environment:production'), attack: ghToken('repo:acme/api:ref:refs/heads/main'), construct: github(GitHubSubject.environment('acme/api', 'production')) },
  { name: 'GitHub: every ref of one repository', label: 'narrow', statement: ghSub('StringLike', 'repo:acme/api:*'), allowed: ghToken('repo:acme/api:pull_request'), attack: ghToken('repo:acme/api-evil:pull_request'), construct: github(GitHubSubject.anyRef('acme/api')) },
  { name: 'GitHub: release branches by pattern', label: 'narrow', statement: ghSub('StringLike', 'repo:acme/api:ref:refs/heads/release/*'), allowed: ghToken('repo:acme/api:ref:refs/heads/release/1.2'), attack: ghToken('repo:acme/api:ref:refs/heads/main'), construct: github(GitHubSubject.branch('acme/api', 'release/*')) },
  { name: 'GitHub: tags by pattern', label: 'narrow', statement: ghSub('StringLike', 'repo:acme/api:ref:refs/tags/v*'), allowed: ghToken('repo:acme/api:ref:refs/tags/v1'), attack: ghToken('repo:other/api:ref:refs/tags/v1'), construct: github(GitHubSubject.tag('acme/api', 'v*')) },
  { name: 'GitHub: pull requests of one repository', label: 'narrow', statement: ghSub('StringEquals', 'repo:acme/api:pull_request'), allowed: ghToken('repo:acme/api:pull_request'), attack: ghToken('repo:acme/web:pull_request'), construct: github(GitHubSubject.pullRequest('acme/api')) },
  { name: 'GitHub: two repositories listed', label: 'narrow', statement: ghSub('StringEquals', ['repo:acme/api:ref:refs/heads/main', 'repo:acme/web:ref:refs/heads/main']), allowed: ghToken('repo:acme/web:ref:refs/heads/main'), attack: ghToken('repo:acme/ops:ref:refs/heads/main'), construct: github(GitHubSubject.branch('acme/api', 'main'), GitHubSubject.branch('acme/web', 'main')) },
  { name: 'GitHub: immutable repository form', label: 'narrow', statement: ghSub('StringLike', 'repo:acme@1234/api@5678:*'), allowed: ghToken('repo:acme@1234/api@5678:ref:refs/heads/main'), attack: ghToken('repo:acme@9999/api@5678:ref:refs/heads/main'), construct: github(GitHubSubject.anyRef(GitHubSubject.immutableRepository('acme', 1234, 'api', 5678))) },
  { name: 'GitHub: a * under StringEquals is a plain character', label: 'narrow', statement: ghSub('StringEquals', 'repo:acme/*'), attack: ghToken('repo:acme/api:ref:refs/heads/main') },
  { name: 'GitHub: custom subject starting with the repository', label: 'narrow', statement: ghSub('StringEquals', 'repo:acme/api:environment:prod:job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main'), attack: ghToken('environment:prod:job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main'), construct: github(GitHubSubject.custom('repo:acme/api:environment:prod:job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main')) },
  { name: 'GitHub: custom subject starting with repository_id', label: 'narrow', statement: ghSub('StringLike', 'repository_id:5678:*'), allowed: ghToken('repository_id:5678:environment:prod'), attack: ghToken('repository_id:9999:environment:prod'), construct: github(GitHubSubject.custom('repository_id:5678:*')) },
  { name: 'GitHub: a second sub block narrows a wide one (AND)', label: 'narrow', statement: ghSub('StringLike', 'repo:acme/*', { StringEquals: { [`${GH}:sub`]: 'repo:acme/api:ref:refs/heads/main' } }), allowed: ghToken('repo:acme/api:ref:refs/heads/main'), attack: ghToken('repo:acme/web:ref:refs/heads/main') },
  { name: 'GitHub: a custom subject pinned by the repository claim', label: 'narrow', statement: ghSub('StringEquals', 'environment:production', { StringEquals: { [`${GH}:repository`]: 'acme/api' } }), allowed: ghToken('environment:production', { [`${GH}:repository`]: 'acme/api' }), attack: ghToken('environment:production', { [`${GH}:repository`]: 'evil/api' }) },
  { name: 'GitHub: every repository of an owner', label: 'owner-wide', statement: ghSub('StringLike', 'repo:acme/*'), allowed: ghToken('repo:acme/api:ref:refs/heads/main'), attack: ghToken('repo:acme/new-repo:ref:refs/heads/main'), construct: github(GitHubSubject.custom('repo:acme/*')) },
  { name: 'GitHub: repository name prefix', label: 'owner-wide', statement: ghSub('StringLike', 'repo:acme/api*:*'), attack: ghToken('repo:acme/api-evil:ref:refs/heads/main'), construct: github(GitHubSubject.custom('repo:acme/api*:*')) },
  { name: 'GitHub: immutable owner-wide form with the owner id', label: 'owner-wide', statement: ghSub('StringLike', 'repo:acme@1234/*'), attack: ghToken('repo:acme@1234/new@1:ref:refs/heads/main'), construct: github(GitHubSubject.allRepositories('acme', 1234)), optIn: true },
  { name: 'GitHub: immutable form with a wildcard owner id (the owner name is pinned)', label: 'owner-wide', statement: ghSub('StringLike', 'repo:acme@*/*:*'), attack: ghToken('repo:acme@4321/api@1:ref:refs/heads/main') },
  { name: 'GitHub: repository_owner custom subject', label: 'owner-wide', statement: ghSub('StringLike', 'repository_owner:acme:*'), attack: ghToken('repository_owner:acme:environment:prod'), construct: github(GitHubSubject.custom('repository_owner:acme:*')) },
  { name: 'GitHub: repository_owner_id custom subject', label: 'owner-wide', statement: ghSub('StringEquals', 'repository_owner_id:1234'), attack: ghToken('repository_owner_id:1234'), construct: github(GitHubSubject.customAllRepositories('repository_owner_id:1234')), optIn: true },
  { name: 'GitHub: a custom subject pinned only by the owner claim', label: 'owner-wide', statement: ghSub('StringEquals', 'environment:production', { StringEquals: { [`${GH}:repository_owner`]: 'acme' } }), attack: ghToken('environment:production', { [`${GH}:repository_owner`]: 'acme' }) },
  { name: 'GitHub: any repository of any owner', label: 'broad', statement: ghSub('StringLike', 'repo:*'), attack: ghToken('repo:evil/tool:ref:refs/heads/main'), construct: github(GitHubSubject.custom('repo:*')) },
  { name: 'GitHub: owner prefix', label: 'broad', statement: ghSub('StringLike', 'repo:acme*/api:*'), attack: ghToken('repo:acme-evil/api:ref:refs/heads/main'), construct: github(GitHubSubject.custom('repo:acme*/api:*')) },
  { name: 'GitHub: any owner, one repository name', label: 'broad', statement: ghSub('StringLike', 'repo:*/api:*'), attack: ghToken('repo:evil/api:ref:refs/heads/main'), construct: github(GitHubSubject.custom('repo:*/api:*')) },
  { name: 'GitHub: a single-character owner wildcard', label: 'broad', statement: ghSub('StringLike', 'repo:acm?/api:*'), attack: ghToken('repo:acmx/api:ref:refs/heads/main') },
  { name: 'GitHub: custom subject starting with environment', label: 'broad', statement: ghSub('StringEquals', 'environment:production'), attack: ghToken('environment:production'), construct: github(GitHubSubject.custom('environment:production')) },
  { name: 'GitHub: custom subject starting with ref', label: 'broad', statement: ghSub('StringLike', 'ref:refs/heads/main:*'), attack: ghToken('ref:refs/heads/main:repo:evil/tool'), construct: github(GitHubSubject.custom('ref:refs/heads/main:*')) },
  { name: 'GitHub: custom subject starting with job_workflow_ref', label: 'broad', statement: ghSub('StringLike', 'job_workflow_ref:acme/wf/.github/workflows/d.yml@*'), attack: ghToken('job_workflow_ref:acme/wf/.github/workflows/d.yml@refs/heads/main'), construct: github(GitHubSubject.custom('job_workflow_ref:acme/wf/.github/workflows/d.yml@*')) },
  { name: 'GitHub: custom subject starting with workflow', label: 'broad', statement: ghSub('StringEquals', 'workflow:deploy'), attack: ghToken('workflow:deploy'), construct: github(GitHubSubject.custom('workflow:deploy')) },
  { name: 'GitHub: custom subject starting with actor', label: 'broad', statement: ghSub('StringEquals', 'actor:octocat'), attack: ghToken('actor:octocat'), construct: github(GitHubSubject.custom('actor:octocat')) },
  { name: 'GitHub: a wildcard first claim', label: 'broad', statement: ghSub('StringLike', '*:acme/api:*'), attack: ghToken('environment:acme/api:x') },
  { name: 'GitHub: owner claim pattern', label: 'broad', statement: ghSub('StringLike', 'repository_owner:acme*'), attack: ghToken('repository_owner:acme-evil') },
  { name: 'GitHub: audience *', label: 'broad', statement: gh({ StringEquals: { [`${GH}:aud`]: '*' }, StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } }), attack: webIdentity(GH_ARN, { [`${GH}:aud`]: '*', [`${GH}:sub`]: 'repo:acme/api:pull_request' }), construct: scope => { new GitHubActionsRole(scope, 'Construct', { subjects: [GitHubSubject.anyRef('acme/api')], audience: '*' }); } },
  { name: 'GitHub: audience pattern', label: 'broad', statement: gh({ StringLike: { [`${GH}:aud`]: 'sts.*', [`${GH}:sub`]: 'repo:acme/api:*' } }), attack: webIdentity(GH_ARN, { [`${GH}:aud`]: 'sts.evil.example', [`${GH}:sub`]: 'repo:acme/api:pull_request' }) },
  { name: 'GitHub: audience under StringLike without a wildcard is exact', label: 'narrow', statement: gh({ StringLike: { [`${GH}:aud`]: 'sts.amazonaws.com', [`${GH}:sub`]: 'repo:acme/api:*' } }), allowed: ghToken('repo:acme/api:pull_request'), attack: webIdentity(GH_ARN, { [`${GH}:aud`]: 'other', [`${GH}:sub`]: 'repo:acme/api:pull_request' }) },
  { name: 'GitHub: audience under StringEqualsIgnoreCase', label: 'narrow', statement: gh({ StringEqualsIgnoreCase: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } }), allowed: ghToken('repo:acme/api:pull_request'), attack: webIdentity(GH_ARN, { [`${GH}:aud`]: 'other', [`${GH}:sub`]: 'repo:acme/api:pull_request' }) },
  { name: 'GitHub: no audience, imported provider', label: 'broad', statement: gh({ StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } }), attack: webIdentity(GH_ARN, { [`${GH}:aud`]: 'some-other-client', [`${GH}:sub`]: 'repo:acme/api:pull_request' }) },
  { name: 'GitHub: no audience, a provider of the same app whose only client id is sts.amazonaws.com (STS checks it)', label: 'narrow', statement: allow({ Federated: { Ref: 'GitHubProvider' } }, 'sts:AssumeRoleWithWebIdentity', { StringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } }), allowed: ghToken('repo:acme/api:pull_request'), attack: ghToken('repo:acme/web:pull_request') },
  { name: 'GitHub: no subject (IAM refuses it)', label: 'invalid', statement: gh({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' } }) },
  { name: 'GitHub: subject * (IAM refuses it)', label: 'invalid', statement: ghSub('StringLike', '*'), construct: github(GitHubSubject.custom('*')) },
  { name: 'GitHub: ForAllValues on sub is true when the key is absent', label: 'invalid', statement: gh({ 'StringEquals': { [`${GH}:aud`]: 'sts.amazonaws.com' }, 'ForAllValues:StringLike': { [`${GH}:sub`]: 'repo:acme/api:*' } }) },
  { name: 'GitHub: operator without its colon', label: 'invalid', statement: gh({ StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, ForAllValuesStringLike: { [`${GH}:sub`]: 'repo:acme/api:*' } }) },
  { name: 'GitHub: key with the scheme', label: 'invalid', statement: gh({ StringEquals: { [`https://${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`https://${GH}:sub`]: 'repo:acme/api:*' } }) },
  { name: 'GitHub: enterprise issuer, one repository', label: 'narrow', statement: allow({ Federated: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${GH}/acme-corp` }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${GH}/acme-corp:aud`]: 'sts.amazonaws.com', [`${GH}/acme-corp:sub`]: 'repo:acme/api:ref:refs/heads/main' } }) },
  { name: 'GitHub: enterprise issuer, any repository', label: 'broad', statement: allow({ Federated: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/${GH}/acme-corp` }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${GH}/acme-corp:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}/acme-corp:sub`]: 'repo:*' } }) },
  { name: 'GitHub: owner chosen at deploy time in a pattern', label: 'unresolved', parameters: ['Owner'], statement: ghSub('StringLike', { 'Fn::Join': ['', ['repo:', { Ref: 'Owner' }, '/api:*']] } as any) },
  { name: 'GitHub: owner chosen at deploy time, exact value', label: 'narrow', parameters: ['Owner2'], statement: ghSub('StringEquals', { 'Fn::Join': ['', ['repo:', { Ref: 'Owner2' }, '/api:ref:refs/heads/main']] } as any) },
  { name: 'GitHub: a branch chosen at deploy time', label: 'narrow', parameters: ['Branch'], statement: ghSub('StringLike', { 'Fn::Join': ['', ['repo:acme/api:ref:refs/heads/', { Ref: 'Branch' }]] } as any) },
  { name: 'GitHub: a whole subject chosen at deploy time', label: 'unresolved', parameters: ['Subject'], statement: ghSub('StringLike', { Ref: 'Subject' } as any) },
  { name: 'GitHub: an action pattern still reads as web identity', label: 'broad', statement: allow({ Federated: GH_ARN }, 'sts:AssumeRoleWith*', { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: 'repo:*' } }), attack: ghToken('repo:evil/x:ref:refs/heads/main') },
  { name: 'GitHub: NotAction still reads as web identity', label: 'broad', statement: { Effect: 'Allow', Principal: { Federated: GH_ARN }, NotAction: 'sts:AssumeRole', Condition: { StringEquals: { [`${GH}:aud`]: 'sts.amazonaws.com' }, StringLike: { [`${GH}:sub`]: 'repo:*' } } }, attack: ghToken('repo:evil/x:ref:refs/heads/main') },

  // ------------------------------------------------------------------ GitLab
  { name: 'GitLab: one project, one branch', label: 'narrow', statement: gl('StringEquals', 'project_path:acme/api:ref_type:branch:ref:main'), allowed: glToken('project_path:acme/api:ref_type:branch:ref:main'), attack: glToken('project_path:evil/api:ref_type:branch:ref:main'), construct: gitlab(GitLabSubject.branch('acme/api', 'main')) },
  { name: 'GitLab: every ref of one project', label: 'narrow', statement: gl('StringLike', 'project_path:acme/api:*'), allowed: glToken('project_path:acme/api:ref_type:tag:ref:v1'), attack: glToken('project_path:acme/api-evil:ref_type:tag:ref:v1'), construct: gitlab(GitLabSubject.anyRef('acme/api')) },
  { name: 'GitLab: subgroup project', label: 'narrow', statement: gl('StringLike', 'project_path:acme/platform/api:ref_type:branch:ref:*'), attack: glToken('project_path:acme/platform/web:ref_type:branch:ref:main') },
  { name: 'GitLab: every project of a group', label: 'owner-wide', statement: gl('StringLike', 'project_path:acme/*'), attack: glToken('project_path:acme/new:ref_type:branch:ref:main'), construct: gitlab(GitLabSubject.group('acme')), optIn: true },
  { name: 'GitLab: every project of a subgroup', label: 'owner-wide', statement: gl('StringLike', 'project_path:acme/platform/*:*'), attack: glToken('project_path:acme/platform/new:ref_type:branch:ref:main') },
  { name: 'GitLab: any group', label: 'broad', statement: gl('StringLike', 'project_path:*'), attack: glToken('project_path:evil/x:ref_type:branch:ref:main'), construct: gitlab(GitLabSubject.custom('project_path:*')) },
  { name: 'GitLab: group prefix', label: 'broad', statement: gl('StringLike', 'project_path:acme*/api:*'), attack: glToken('project_path:acme-evil/api:ref_type:branch:ref:main') },
  { name: 'GitLab: subject starting with ref_type (components are permuted per project)', label: 'broad', statement: gl('StringLike', 'ref_type:branch:ref:main:*'), attack: glToken('ref_type:branch:ref:main:project_path:evil/x'), construct: gitlab(GitLabSubject.custom('ref_type:branch:ref:main:*')) },
  { name: 'GitLab: no subject', label: 'broad', statement: allow({ Federated: GL_ARN }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${GL}:aud`]: 'https://gitlab.com' } }), attack: glToken('project_path:evil/x:ref_type:branch:ref:main') },

  // ------------------------------------------------------------------ EKS IRSA
  { name: 'IRSA: one service account', label: 'narrow', statement: eks('StringEquals', 'system:serviceaccount:shop:cart'), allowed: eksToken('system:serviceaccount:shop:cart'), attack: eksToken('system:serviceaccount:shop:other') },
  { name: 'IRSA: every service account of a namespace', label: 'owner-wide', statement: eks('StringLike', 'system:serviceaccount:shop:*'), attack: eksToken('system:serviceaccount:shop:new') },
  { name: 'IRSA: service accounts of any namespace', label: 'broad', statement: eks('StringLike', 'system:serviceaccount:*:reader'), attack: eksToken('system:serviceaccount:attacker:reader') },
  { name: 'IRSA: namespace prefix', label: 'broad', statement: eks('StringLike', 'system:serviceaccount:team-*:reader'), attack: eksToken('system:serviceaccount:team-evil:reader') },
  { name: 'IRSA: any subject', label: 'broad', statement: eks('StringLike', '*'), attack: eksToken('system:serviceaccount:kube-system:default') },
  { name: 'IRSA: no subject', label: 'broad', statement: allow({ Federated: EKS_ARN }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${EKS}:aud`]: 'sts.amazonaws.com' } }), attack: eksToken('system:serviceaccount:attacker:x') },
  { name: 'IRSA: no audience', label: 'broad', statement: allow({ Federated: EKS_ARN }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { [`${EKS}:sub`]: 'system:serviceaccount:shop:cart' } }), attack: webIdentity(EKS_ARN, { [`${EKS}:aud`]: 'other', [`${EKS}:sub`]: 'system:serviceaccount:shop:cart' }) },

  // ------------------------------------------------------------------ Terraform Cloud, Buildkite, CircleCI, Bitbucket, others
  { name: 'TFC: one workspace, apply', label: 'narrow', statement: TFC.statement('StringEquals', 'organization:acme:project:platform:workspace:network:run_phase:apply'), allowed: TFC.token('organization:acme:project:platform:workspace:network:run_phase:apply'), attack: TFC.token('organization:evil:project:platform:workspace:network:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'organization:acme:project:platform:workspace:network:run_phase:apply') },
  { name: 'TFC: one workspace, any run phase', label: 'narrow', statement: TFC.statement('StringLike', 'organization:acme:project:platform:workspace:network:run_phase:*'), attack: TFC.token('organization:acme:project:platform:workspace:dns:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'organization:acme:project:platform:workspace:network:run_phase:*') },
  { name: 'TFC: every workspace of a project', label: 'owner-wide', statement: TFC.statement('StringLike', 'organization:acme:project:platform:workspace:*'), attack: TFC.token('organization:acme:project:platform:workspace:new:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'organization:acme:project:platform:workspace:*') },
  { name: 'TFC: every run of an organization', label: 'owner-wide', statement: TFC.statement('StringLike', 'organization:acme:*'), attack: TFC.token('organization:acme:project:x:workspace:y:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'organization:acme:*') },
  { name: 'TFC: any organization', label: 'broad', statement: TFC.statement('StringLike', 'organization:*'), attack: TFC.token('organization:evil:project:x:workspace:y:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'organization:*') },
  { name: 'TFC: organization prefix', label: 'broad', statement: TFC.statement('StringLike', 'organization:acme*:project:platform:workspace:network:run_phase:apply'), attack: TFC.token('organization:acme-evil:project:platform:workspace:network:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'organization:acme*:project:platform:workspace:network:run_phase:apply') },
  { name: 'TFC: subject starting with the workspace', label: 'broad', statement: TFC.statement('StringLike', 'workspace:network:*'), attack: TFC.token('workspace:network:organization:evil'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', 'workspace:network:*') },
  { name: 'TFC: any subject', label: 'broad', statement: TFC.statement('StringLike', '*'), attack: TFC.token('organization:evil:project:x:workspace:y:run_phase:apply'), construct: oidcRole('app.terraform.io', 'aws.workload.identity', '*') },
  { name: 'Buildkite: one pipeline, main, any commit', label: 'narrow', statement: BK.statement('StringLike', 'organization:acme:pipeline:deploy:ref:refs/heads/main:*'), allowed: BK.token('organization:acme:pipeline:deploy:ref:refs/heads/main:commit:abc:step:x'), attack: BK.token('organization:evil:pipeline:deploy:ref:refs/heads/main:commit:abc:step:x'), construct: oidcRole('agent.buildkite.com', 'sts.amazonaws.com', 'organization:acme:pipeline:deploy:ref:refs/heads/main:*') },
  { name: 'Buildkite: every pipeline of an organization', label: 'owner-wide', statement: BK.statement('StringLike', 'organization:acme:pipeline:*'), attack: BK.token('organization:acme:pipeline:new:ref:refs/heads/main:commit:a:step:b'), construct: oidcRole('agent.buildkite.com', 'sts.amazonaws.com', 'organization:acme:pipeline:*') },
  { name: 'Buildkite: any organization', label: 'broad', statement: BK.statement('StringLike', 'organization:*:pipeline:deploy:*'), attack: BK.token('organization:evil:pipeline:deploy:ref:refs/heads/main:commit:a:step:b'), construct: oidcRole('agent.buildkite.com', 'sts.amazonaws.com', 'organization:*:pipeline:deploy:*') },
  { name: 'CircleCI: one project, any user', label: 'narrow', statement: CIRCLE.statement('StringLike', 'org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/p1/user/*'), allowed: CIRCLE.token('org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/p1/user/u1'), attack: CIRCLE.token('org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/p2/user/u1'), construct: oidcRole('oidc.circleci.com/org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c', 'sts.amazonaws.com', 'org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/p1/user/*') },
  { name: 'CircleCI: every project of the organization', label: 'owner-wide', statement: CIRCLE.statement('StringLike', 'org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/*'), attack: CIRCLE.token('org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/p2/user/u1'), construct: oidcRole('oidc.circleci.com/org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c', 'sts.amazonaws.com', 'org/5a9b7c1e-0d3f-4e2a-9b8c-7d6e5f4a3b2c/project/*') },
  { name: 'Bitbucket: one repository, any step', label: 'narrow', statement: BB.statement('StringLike', '{1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d}:*'), allowed: BB.token('{1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d}:{step}'), attack: BB.token('{9f8e7d6c-5b4a-4c3d-2e1f-0a9b8c7d6e5f}:{step}'), construct: oidcRole('api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc', 'sts.amazonaws.com', '{1b2c3d4e-5f60-4a1b-9c2d-3e4f5a6b7c8d}:*') },
  { name: 'Bitbucket: every repository of the workspace', label: 'owner-wide', statement: BB.statement('StringLike', '{*'), attack: BB.token('{9f8e7d6c-5b4a-4c3d-2e1f-0a9b8c7d6e5f}:{step}'), construct: oidcRole('api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc', 'sts.amazonaws.com', '{*') },
  { name: 'Other issuer: exact subject', label: 'narrow', statement: OTHER.statement('StringEquals', 'service:billing'), allowed: OTHER.token('service:billing'), attack: OTHER.token('service:other'), construct: oidcRole('id.example.com', 'sts.amazonaws.com', 'service:billing') },
  { name: 'Other issuer: a pattern after a literal prefix', label: 'narrow', statement: OTHER.statement('StringLike', 'service:billing:*'), attack: OTHER.token('service:other:x') },
  { name: 'Other issuer: any subject', label: 'broad', statement: OTHER.statement('StringLike', '*'), attack: OTHER.token('anything'), construct: oidcRole('id.example.com', 'sts.amazonaws.com', '*') },
  { name: 'Other issuer: a leading wildcard', label: 'broad', statement: OTHER.statement('StringLike', '*:billing'), attack: OTHER.token('evil:billing'), construct: oidcRole('id.example.com', 'sts.amazonaws.com', '*:billing') },
  { name: 'Other issuer: audience *', label: 'broad', statement: allow({ Federated: `arn:aws:iam::${TEST_ACCOUNT}:oidc-provider/id.example.com` }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { 'id.example.com:aud': '*', 'id.example.com:sub': 'service:billing' } }), construct: oidcRole('id.example.com', '*', 'service:billing') },
  { name: 'Login with Amazon: app id pinned', label: 'narrow', statement: allow({ Federated: 'www.amazon.com' }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { 'www.amazon.com:app_id': 'amzn1.application-oa2-client.5a9b7c1e' } }) },
  { name: 'Google: client id pinned', label: 'narrow', statement: allow({ Federated: 'accounts.google.com' }, 'sts:AssumeRoleWithWebIdentity', { StringEquals: { 'accounts.google.com:aud': '123456789012-abc.apps.googleusercontent.com' } }) },
  { name: 'Facebook: no app id', label: 'broad', statement: allow({ Federated: 'graph.facebook.com' }, 'sts:AssumeRoleWithWebIdentity') },
  // Microsoft Entra ID (Azure workloads): the issuer names the tenant, the subject one identity's object id.
  { name: 'Azure: one managed identity (v1.0 issuer)', label: 'narrow', statement: azure(AZ_V1, { StringEquals: { [`${AZ_V1}:aud`]: AZ_AUD, [`${AZ_V1}:sub`]: AZ_ID } }), allowed: azureToken(AZ_V1, AZ_ID), attack: azureToken(AZ_V1, '1b2a9d6f-7c4e-4c3d-8e9f-5f0a1b2c3d4e'), construct: scope => { new AzureWorkloadRole(scope, 'Construct', { tenantId: AZ_TENANT, audience: AZ_AUD, objectIds: [AZ_ID] }); } },
  { name: 'Azure: one managed identity (v2.0 issuer)', label: 'narrow', statement: azure(AZ_V2, { StringEquals: { [`${AZ_V2}:aud`]: AZ_AUD, [`${AZ_V2}:sub`]: AZ_ID } }), allowed: azureToken(AZ_V2, AZ_ID), attack: azureToken(AZ_V2, '1b2a9d6f-7c4e-4c3d-8e9f-5f0a1b2c3d4e'), construct: scope => { new AzureWorkloadRole(scope, 'Construct', { tenantId: AZ_TENANT, audience: AZ_AUD, objectIds: [AZ_ID], tokenVersion: AzureTokenVersion.V2 }); } },
  { name: 'Azure: every identity of the tenant that gets a token for the audience', label: 'owner-wide', statement: azure(AZ_V1, { StringEquals: { [`${AZ_V1}:aud`]: AZ_AUD } }), attack: azureToken(AZ_V1, '1b2a9d6f-7c4e-4c3d-8e9f-5f0a1b2c3d4e') },
  { name: 'Azure: object id pattern', label: 'owner-wide', statement: azure(AZ_V1, { StringEquals: { [`${AZ_V1}:aud`]: AZ_AUD }, StringLike: { [`${AZ_V1}:sub`]: '*' } }), attack: azureToken(AZ_V1, '1b2a9d6f-7c4e-4c3d-8e9f-5f0a1b2c3d4e'), construct: scope => { new AzureWorkloadRole(scope, 'Construct', { tenantId: AZ_TENANT, audience: AZ_AUD, objectIds: ['*'] }); } },
  { name: 'Azure: no audience', label: 'broad', statement: azure(AZ_V1, { StringEquals: { [`${AZ_V1}:sub`]: AZ_ID } }), attack: azureToken(AZ_V1, AZ_ID, 'https://management.azure.com/') },
  { name: 'Azure: a tenant name instead of its id', label: 'broad', statement: azure('sts.windows.net/contoso.onmicrosoft.com/', { StringEquals: { 'sts.windows.net/contoso.onmicrosoft.com/:aud': AZ_AUD }, StringLike: { 'sts.windows.net/contoso.onmicrosoft.com/:sub': '*' } }), attack: azureToken('sts.windows.net/contoso.onmicrosoft.com/', 'x'), construct: scope => { new AzureWorkloadRole(scope, 'Construct', { tenantId: 'contoso.onmicrosoft.com', audience: AZ_AUD, objectIds: [AZ_ID] }); } },
  // Built-in providers: the app id pins the app; the user id is optional (IAM "Available keys for AWS web identity federation").
  { name: 'Login with Amazon: app id and user id pinned', label: 'narrow', statement: builtIn('www.amazon.com', { StringEquals: { 'www.amazon.com:app_id': LWA_APP, 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' } }), allowed: builtInToken('www.amazon.com', { 'www.amazon.com:app_id': LWA_APP, 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' }), attack: builtInToken('www.amazon.com', { 'www.amazon.com:app_id': 'amzn1.application-oa2-client.evil', 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' }), construct: webIdentityRole(() => WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP], userIds: ['amzn1.account.AF2EXAMPLE'] })) },
  { name: 'Login with Amazon: one app, any user', label: 'narrow', statement: builtIn('www.amazon.com', { StringEquals: { 'www.amazon.com:app_id': LWA_APP } }), allowed: builtInToken('www.amazon.com', { 'www.amazon.com:app_id': LWA_APP, 'www.amazon.com:user_id': 'amzn1.account.ANY' }), attack: builtInToken('www.amazon.com', { 'www.amazon.com:app_id': 'amzn1.application-oa2-client.evil', 'www.amazon.com:user_id': 'amzn1.account.ANY' }), construct: webIdentityRole(() => WebIdentityProvider.loginWithAmazon({ appIds: [LWA_APP] })) },
  { name: 'Login with Amazon: user id only (any app)', label: 'broad', statement: builtIn('www.amazon.com', { StringEquals: { 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' } }), attack: builtInToken('www.amazon.com', { 'www.amazon.com:app_id': 'amzn1.application-oa2-client.evil', 'www.amazon.com:user_id': 'amzn1.account.AF2EXAMPLE' }) },
  { name: 'Login with Amazon: app id pattern', label: 'broad', statement: builtIn('www.amazon.com', { StringLike: { 'www.amazon.com:app_id': 'amzn1.application-oa2-client.*' } }), attack: builtInToken('www.amazon.com', { 'www.amazon.com:app_id': 'amzn1.application-oa2-client.evil' }), construct: webIdentityRole(() => WebIdentityProvider.loginWithAmazon({ appIds: ['amzn1.application-oa2-client.*'] })) },
  { name: 'Facebook: app id pinned', label: 'narrow', statement: builtIn('graph.facebook.com', { StringEquals: { 'graph.facebook.com:app_id': FB_APP } }), allowed: builtInToken('graph.facebook.com', { 'graph.facebook.com:app_id': FB_APP, 'graph.facebook.com:id': '10158000000000001' }), attack: builtInToken('graph.facebook.com', { 'graph.facebook.com:app_id': '999999999999999', 'graph.facebook.com:id': '10158000000000001' }), construct: webIdentityRole(() => WebIdentityProvider.facebook({ appIds: [FB_APP] })) },
  { name: 'Facebook: app id and user id pinned', label: 'narrow', statement: builtIn('graph.facebook.com', { StringEquals: { 'graph.facebook.com:app_id': FB_APP, 'graph.facebook.com:id': '10158000000000001' } }), allowed: builtInToken('graph.facebook.com', { 'graph.facebook.com:app_id': FB_APP, 'graph.facebook.com:id': '10158000000000001' }), attack: builtInToken('graph.facebook.com', { 'graph.facebook.com:app_id': FB_APP, 'graph.facebook.com:id': '10158000000000002' }), construct: webIdentityRole(() => WebIdentityProvider.facebook({ appIds: [FB_APP], userIds: ['10158000000000001'] })) },
  { name: 'Facebook: app id *', label: 'broad', statement: builtIn('graph.facebook.com', { StringLike: { 'graph.facebook.com:app_id': '*' } }), attack: builtInToken('graph.facebook.com', { 'graph.facebook.com:app_id': '999999999999999' }), construct: webIdentityRole(() => WebIdentityProvider.facebook({ appIds: ['*'] })) },
  { name: 'Facebook: user id only (any app)', label: 'broad', statement: builtIn('graph.facebook.com', { StringEquals: { 'graph.facebook.com:id': '10158000000000001' } }), attack: builtInToken('graph.facebook.com', { 'graph.facebook.com:app_id': '999999999999999', 'graph.facebook.com:id': '10158000000000001' }) },
  { name: 'Google: client id and user pinned', label: 'narrow', statement: builtIn('accounts.google.com', { StringEquals: { 'accounts.google.com:aud': GOOGLE_CLIENT, 'accounts.google.com:sub': '110169484474386276334' } }), allowed: builtInToken('accounts.google.com', { 'accounts.google.com:aud': GOOGLE_CLIENT, 'accounts.google.com:oaud': GOOGLE_CLIENT, 'accounts.google.com:sub': '110169484474386276334' }), attack: builtInToken('accounts.google.com', { 'accounts.google.com:aud': '999999999999-evil.apps.googleusercontent.com', 'accounts.google.com:oaud': GOOGLE_CLIENT, 'accounts.google.com:sub': '110169484474386276334' }), construct: webIdentityRole(() => WebIdentityProvider.google({ clientIds: [GOOGLE_CLIENT], userIds: ['110169484474386276334'] })) },
  { name: 'Google: one app, any Google user', label: 'narrow', statement: builtIn('accounts.google.com', { StringEquals: { 'accounts.google.com:aud': GOOGLE_CLIENT } }), allowed: builtInToken('accounts.google.com', { 'accounts.google.com:aud': GOOGLE_CLIENT, 'accounts.google.com:sub': '110169484474386276334' }), attack: builtInToken('accounts.google.com', { 'accounts.google.com:aud': '999999999999-evil.apps.googleusercontent.com', 'accounts.google.com:sub': '110169484474386276334' }), construct: webIdentityRole(() => WebIdentityProvider.google({ clientIds: [GOOGLE_CLIENT] })) },
  { name: 'Google: a GCP service account (unique id as aud and sub, requested audience as oaud)', label: 'narrow', statement: builtIn('accounts.google.com', { StringEquals: { 'accounts.google.com:aud': GCP_SA, 'accounts.google.com:oaud': 'sts.amazonaws.com', 'accounts.google.com:sub': GCP_SA } }), allowed: builtInToken('accounts.google.com', { 'accounts.google.com:aud': GCP_SA, 'accounts.google.com:oaud': 'sts.amazonaws.com', 'accounts.google.com:sub': GCP_SA }), attack: builtInToken('accounts.google.com', { 'accounts.google.com:aud': '100000000000000000009', 'accounts.google.com:oaud': 'sts.amazonaws.com', 'accounts.google.com:sub': '100000000000000000009' }), construct: webIdentityRole(() => WebIdentityProvider.googleServiceAccount({ uniqueIds: [GCP_SA], audience: 'sts.amazonaws.com' })) },
  { name: 'Google: only the requested audience (oaud): any service account can mint it', label: 'broad', statement: builtIn('accounts.google.com', { StringEquals: { 'accounts.google.com:oaud': 'sts.amazonaws.com' } }), attack: builtInToken('accounts.google.com', { 'accounts.google.com:aud': '100000000000000000009', 'accounts.google.com:oaud': 'sts.amazonaws.com', 'accounts.google.com:sub': '100000000000000000009' }) },
  { name: 'Google: only the user (sub): a token of any app for that user', label: 'broad', statement: builtIn('accounts.google.com', { StringEquals: { 'accounts.google.com:sub': '110169484474386276334' } }), attack: builtInToken('accounts.google.com', { 'accounts.google.com:aud': '999999999999-evil.apps.googleusercontent.com', 'accounts.google.com:sub': '110169484474386276334' }) },
  { name: 'Google: client id pattern', label: 'broad', statement: builtIn('accounts.google.com', { StringLike: { 'accounts.google.com:aud': '*.apps.googleusercontent.com' } }), attack: builtInToken('accounts.google.com', { 'accounts.google.com:aud': '999999999999-evil.apps.googleusercontent.com' }), construct: webIdentityRole(() => WebIdentityProvider.google({ clientIds: ['*.apps.googleusercontent.com'] })) },
  { name: 'Google: client id chosen at deploy time', label: 'unresolved', parameters: ['GoogleClient'], statement: builtIn('accounts.google.com', { StringLike: { 'accounts.google.com:aud': { Ref: 'GoogleClient' } } }) },

  // ------------------------------------------------------------------ AWS accounts and principals
  { name: 'AWS: one role of another account', label: 'narrow', statement: aws(ROLE('ci')), allowed: caller(ROLE('ci')), attack: caller(ROLE('intern')), construct: crossAccount({ trustedRoleArns: [ROLE('ci')] }) },
  { name: 'AWS: a session of a role', label: 'narrow', statement: aws(`arn:aws:sts::${CALLER_ACCOUNT}:assumed-role/ci/build`) },
  { name: 'AWS: this account', label: 'narrow', statement: aws(root(TEST_ACCOUNT)) },
  { name: 'AWS: another account with ExternalId', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { StringEquals: { 'sts:ExternalId': 'vendor-1234' } }), allowed: caller(ROLE('any'), { 'sts:ExternalId': 'vendor-1234' }), attack: caller(ROLE('any'), { 'sts:ExternalId': 'guess' }), construct: scope => { new ThirdPartyRole(scope, 'Construct', { vendorAccountId: CALLER_ACCOUNT, externalId: 'vendor-1234' }); } },
  { name: 'AWS: another account with a role ARN', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { ArnEquals: { 'aws:PrincipalArn': ROLE('ci') } }), allowed: caller(ROLE('ci')), attack: caller(ROLE('intern')), construct: crossAccount({ trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [ROLE('ci')] }) },
  { name: 'AWS: another account with a role path', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { ArnLike: { 'aws:PrincipalArn': ROLE('deploy/*') } }), allowed: caller(ROLE('deploy/api')), attack: caller(ROLE('intern')), construct: crossAccount({ trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [ROLE('deploy/*')] }) },
  { name: 'AWS: another account, a role name under any account pattern (the root pins the account)', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deployer' } }), allowed: caller(ROLE('deployer')), attack: caller(ROLE('intern')) },
  { name: 'AWS: another account with MFA', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { Bool: { 'aws:MultiFactorAuthPresent': 'true' } }), allowed: caller(ROLE('human'), { 'aws:MultiFactorAuthPresent': 'true' }), attack: caller(ROLE('human'), { 'aws:MultiFactorAuthPresent': 'false' }), construct: crossAccount({ trustedAccounts: [CALLER_ACCOUNT], requireMfa: true }) },
  { name: 'AWS: another account with recent MFA', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } }) },
  { name: 'AWS: another account in the organization (the organization holds the whole account)', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { StringEquals: { 'aws:PrincipalOrgID': TEST_ORG } }), allowed: caller(ROLE('any'), { 'aws:PrincipalOrgID': TEST_ORG }), attack: caller(ROLE('intern'), { 'aws:PrincipalOrgID': TEST_ORG }) },
  { name: 'AWS: another account, nothing narrows', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT)), allowed: caller(ROLE('ci')), attack: caller(ROLE('intern')), construct: crossAccount({ trustedAccounts: [CALLER_ACCOUNT] }) },
  { name: 'AWS: a bare account id', label: 'owner-wide', statement: aws(CALLER_ACCOUNT), attack: caller(ROLE('intern')) },
  { name: 'AWS: another account, any-role pattern', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }), attack: caller(ROLE('intern')), construct: crossAccount({ trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/*'] }) },
  { name: 'AWS: another account, whole-account pattern', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:*` } }), attack: caller(ROLE('intern')), construct: crossAccount({ trustedAccounts: [CALLER_ACCOUNT], trustedPrincipalArnPatterns: [`arn:aws:iam::${CALLER_ACCOUNT}:*`] }) },
  { name: 'AWS: another account, MFA false narrows nothing', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }), attack: caller(ROLE('intern'), { 'aws:MultiFactorAuthPresent': 'false' }) },
  { name: 'AWS: another account, MFA true or false', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { Bool: { 'aws:MultiFactorAuthPresent': ['true', 'false'] } }) },
  { name: 'AWS: another account, ExternalId of only wildcards', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { StringLike: { 'sts:ExternalId': '?*' } }), attack: caller(ROLE('intern'), { 'sts:ExternalId': 'anything' }) },
  { name: 'AWS: another account, a session name is the caller\'s choice', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { StringEquals: { 'sts:RoleSessionName': 'deploy' } }), attack: caller(ROLE('intern'), { 'sts:RoleSessionName': 'deploy' }) },
  { name: 'AWS: another account, ExternalId only if present', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { StringEqualsIfExists: { 'sts:ExternalId': 'vendor-1234' } }), attack: caller(ROLE('intern')) },
  { name: 'AWS: another account, organization pattern', label: 'owner-wide', statement: aws(root(CALLER_ACCOUNT), { StringLike: { 'aws:PrincipalOrgID': 'o-*' } }), attack: caller(ROLE('intern'), { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }) },
  { name: 'AWS: an account chosen at deploy time', label: 'unresolved', parameters: ['TrustedAccount'], statement: aws({ 'Fn::Join': ['', ['arn:aws:iam::', { Ref: 'TrustedAccount' }, ':root']] } as any) },
  { name: 'AWS: a role chosen at deploy time', label: 'unresolved', parameters: ['TrustedRole'], statement: aws({ Ref: 'TrustedRole' } as any) },
  { name: 'AWS: a wildcard inside a principal ARN (IAM refuses it)', label: 'invalid', statement: aws(`arn:aws:iam::${CALLER_ACCOUNT}:role/deploy-*`), construct: crossAccount({ trustedRoleArns: [ROLE('deploy-*')] }) },
  { name: 'AWS: a wildcard in an Identity Center role path (IAM refuses it)', label: 'invalid', statement: aws(`arn:aws:iam::${CALLER_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*`) },
  { name: 'AWS: an Identity Center role path as a condition pattern', label: 'narrow', statement: aws(root(CALLER_ACCOUNT), { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${CALLER_ACCOUNT}:role/aws-reserved/sso.amazonaws.com/*` } }), allowed: caller(ROLE('aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_1')), attack: caller(ROLE('intern')) },
  { name: 'AWS: a principal of another partition', label: 'invalid', statement: aws(`arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci`), construct: crossAccount({ trustedRoleArns: [`arn:aws-cn:iam::${CALLER_ACCOUNT}:role/ci`] }) },
  { name: 'AWS: any principal', label: 'broad', statement: anyone(), attack: caller(STRANGER) },
  { name: 'AWS: any principal as {AWS: *}', label: 'broad', statement: aws('*'), attack: caller(STRANGER) },
  { name: 'AWS: any principal in the organization', label: 'owner-wide', statement: anyone({ StringEquals: { 'aws:PrincipalOrgID': TEST_ORG } }), allowed: caller(ROLE('any'), { 'aws:PrincipalOrgID': TEST_ORG }), attack: caller(ROLE('intern'), { 'aws:PrincipalOrgID': TEST_ORG }), construct: crossAccount({ trustedOrganizationIds: [TEST_ORG] }) },
  { name: 'AWS: the organization opted in to', label: 'owner-wide', statement: anyone({ StringEquals: { 'aws:PrincipalOrgID': 'o-b2c3d4e5f6' } }), construct: crossAccount({ trustedOrganizationIds: ['o-b2c3d4e5f6'], allowAccountWideTrust: true }), optIn: true },
  { name: 'AWS: a role path in the organization', label: 'narrow', statement: anyone({ StringEquals: { 'aws:PrincipalOrgID': TEST_ORG }, ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/deploy/*' } }), allowed: caller(ROLE('deploy/api'), { 'aws:PrincipalOrgID': TEST_ORG }), attack: caller(ROLE('intern'), { 'aws:PrincipalOrgID': TEST_ORG }), construct: crossAccount({ trustedOrganizationIds: [TEST_ORG], trustedPrincipalArnPatterns: ['arn:aws:iam::*:role/deploy/*'] }) },
  { name: 'AWS: any principal under an organization path', label: 'owner-wide', statement: anyone({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': `${TEST_ORG}/r-ab12/ou-ab12-11111111/*` } }) },
  { name: 'AWS: any principal of one role ARN', label: 'narrow', statement: anyone({ ArnEquals: { 'aws:PrincipalArn': ROLE('ci') } }), allowed: caller(ROLE('ci')), attack: caller(ROLE('intern')) },
  { name: 'AWS: any principal of this account', label: 'narrow', statement: anyone({ StringEquals: { 'aws:PrincipalAccount': TEST_ACCOUNT } }) },
  { name: 'AWS: any principal of another account', label: 'owner-wide', statement: anyone({ StringEquals: { 'aws:PrincipalAccount': CALLER_ACCOUNT } }), attack: caller(ROLE('intern'), { 'aws:PrincipalAccount': CALLER_ACCOUNT }) },
  { name: 'AWS: any principal, organization pattern o-*', label: 'broad', statement: anyone({ StringLike: { 'aws:PrincipalOrgID': 'o-*' } }), attack: caller(STRANGER, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }) },
  { name: 'AWS: any principal, account pattern ????????????', label: 'broad', statement: anyone({ StringLike: { 'aws:PrincipalAccount': '????????????' } }), attack: caller(STRANGER, { 'aws:PrincipalAccount': OTHER_ACCOUNT }) },
  { name: 'AWS: any principal, any-account role pattern', label: 'broad', statement: anyone({ ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/*' } }), attack: caller(STRANGER) },
  { name: 'AWS: any principal, organization paths *', label: 'broad', statement: anyone({ 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': '*' } }) },
  { name: 'AWS: any principal, organization only if present', label: 'broad', statement: anyone({ StringEqualsIfExists: { 'aws:PrincipalOrgID': TEST_ORG } }), attack: caller(STRANGER) },
  { name: 'AWS: any principal, a negated organization', label: 'broad', statement: anyone({ StringNotEquals: { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' } }), attack: caller(STRANGER, { 'aws:PrincipalOrgID': TEST_ORG }) },
  { name: 'AWS: any principal, a Null check', label: 'broad', statement: anyone({ Null: { 'aws:PrincipalOrgID': 'false' } }), attack: caller(STRANGER, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }) },
  { name: 'AWS: any principal, organization chosen at deploy time', label: 'unresolved', statement: anyone({ StringEquals: { 'aws:PrincipalOrgID': { 'Fn::If': ['IsProd', TEST_ORG, { Ref: 'AWS::NoValue' }] } } }) },
  { name: 'AWS: NotPrincipal', label: 'broad', statement: { Effect: 'Allow', NotPrincipal: { AWS: root(OTHER_ACCOUNT) }, Action: 'sts:AssumeRole' }, attack: caller(STRANGER) },
  { name: 'AWS: a principal chosen by a condition', label: 'unresolved', statement: { Effect: 'Allow', Principal: { 'Fn::If': ['IsProd', { AWS: root(CALLER_ACCOUNT) }, '*'] }, Action: 'sts:AssumeRole' } },
  { name: 'AWS: another account and a role of it in one statement', label: 'owner-wide', statement: aws([root(CALLER_ACCOUNT), ROLE('ci')]), attack: caller(ROLE('intern')) },
  { name: 'AWS: a Deny statement lets nobody in', label: 'narrow', statement: { Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRole' } },

  // ------------------------------------------------------------------ Services
  { name: 'Service: Lambda', label: 'narrow', statement: allow({ Service: 'lambda.amazonaws.com' }, 'sts:AssumeRole'), allowed: serviceCaller('lambda.amazonaws.com'), attack: serviceCaller('ec2.amazonaws.com') },
  { name: 'Service: EC2 written with the URL suffix', label: 'narrow', statement: allow({ Service: { 'Fn::Join': ['', ['ec2.', { Ref: 'AWS::URLSuffix' }]] } }, 'sts:AssumeRole') },
  { name: 'Roles Anywhere: one anchor, one certificate CN', label: 'narrow', statement: ra({ ArnEquals: { 'aws:SourceArn': ANCHOR }, StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'build01.acme.example' } }), allowed: raCall(ANCHOR, { 'x509Subject/CN': 'build01.acme.example' }), attack: raCall(ANCHOR, { 'x509Subject/CN': 'build02.acme.example' }) },
  { name: 'Roles Anywhere: one anchor, one SAN', label: 'narrow', statement: ra({ ArnEquals: { 'aws:SourceArn': ANCHOR }, StringEquals: { 'aws:PrincipalTag/x509SAN/DNS': 'build01.acme.example' } }) },
  { name: 'Roles Anywhere: one anchor, any certificate', label: 'owner-wide', statement: ra({ ArnEquals: { 'aws:SourceArn': ANCHOR } }), attack: raCall(ANCHOR, { 'x509Subject/CN': 'laptop.evil.example' }) },
  { name: 'Roles Anywhere: one anchor, organization unit only', label: 'owner-wide', statement: ra({ ArnEquals: { 'aws:SourceArn': ANCHOR }, StringEquals: { 'aws:PrincipalTag/x509Subject/OU': 'Build' } }), attack: raCall(ANCHOR, { 'x509Subject/OU': 'Build', 'x509Subject/CN': 'other' }) },
  { name: 'Roles Anywhere: one anchor, CN pattern *.*', label: 'owner-wide', statement: ra({ ArnEquals: { 'aws:SourceArn': ANCHOR }, StringLike: { 'aws:PrincipalTag/x509Subject/CN': '*.*' } }), attack: raCall(ANCHOR, { 'x509Subject/CN': 'laptop.evil' }) },
  { name: 'Roles Anywhere: no anchor', label: 'broad', statement: ra({ StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'build01.acme.example' } }), attack: raCall(anchor('00000000-0000-4000-8000-000000000000'), { 'x509Subject/CN': 'build01.acme.example' }) },
  { name: 'Roles Anywhere: any anchor of the account', label: 'broad', statement: ra({ ArnLike: { 'aws:SourceArn': anchor('*') }, StringEquals: { 'aws:PrincipalTag/x509Subject/CN': 'build01.acme.example' } }), attack: raCall(anchor('00000000-0000-4000-8000-000000000000'), { 'x509Subject/CN': 'build01.acme.example' }) },
  { name: 'Pod Identity: one service account of the account', label: 'narrow', statement: pods({ StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:RequestTag/kubernetes-namespace': 'shop', 'aws:RequestTag/kubernetes-service-account': 'cart' } }), allowed: podCall(TEST_ACCOUNT, 'shop', 'cart'), attack: podCall(TEST_ACCOUNT, 'shop', 'other'), construct: scope => { new PodIdentityRole(scope, 'Construct', { serviceAccounts: [{ serviceAccountNamespace: 'shop', serviceAccountName: 'cart' }] }); } },
  { name: 'Pod Identity: no service account (associations decide)', label: 'owner-wide', statement: pods({ StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT } }), attack: podCall(TEST_ACCOUNT, 'attacker', 'x'), construct: scope => { new PodIdentityRole(scope, 'Construct'); }, optIn: true },
  { name: 'Pod Identity: wildcard service account tags', label: 'owner-wide', statement: pods({ StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT }, StringLike: { 'aws:RequestTag/kubernetes-namespace': '*', 'aws:RequestTag/kubernetes-service-account': '*' } }), attack: podCall(TEST_ACCOUNT, 'attacker', 'x') },
  { name: 'Pod Identity: a cluster of another account than the source account', label: 'invalid', statement: pods({ StringEquals: { 'aws:SourceAccount': TEST_ACCOUNT, 'aws:RequestTag/eks-cluster-arn': `arn:aws:eks:us-east-1:${OTHER_ACCOUNT}:cluster/prod`, 'aws:RequestTag/kubernetes-namespace': 'shop', 'aws:RequestTag/kubernetes-service-account': 'cart' } }), construct: scope => { new PodIdentityRole(scope, 'Construct', { clusterArns: [`arn:aws:eks:us-east-1:${OTHER_ACCOUNT}:cluster/prod`], serviceAccounts: [{ serviceAccountNamespace: 'shop', serviceAccountName: 'cart' }] }); } },

  // ------------------------------------------------------------------ Cognito
  { name: 'Cognito: one pool, authenticated', label: 'narrow', statement: cognito({ 'StringEquals': { 'cognito-identity.amazonaws.com:aud': POOL }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }), allowed: cognitoToken(POOL, ['authenticated', 'cognito-idp']), attack: cognitoToken(POOL, ['unauthenticated']) },
  { name: 'Cognito: one pool, guests', label: 'owner-wide', statement: cognito({ 'StringEquals': { 'cognito-identity.amazonaws.com:aud': POOL }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'unauthenticated' } }), allowed: cognitoToken(POOL, ['unauthenticated']), attack: cognitoToken(POOL, ['unauthenticated']) },
  { name: 'Cognito: one pool, no amr', label: 'broad', statement: cognito({ StringEquals: { 'cognito-identity.amazonaws.com:aud': POOL } }), attack: cognitoToken(POOL, ['unauthenticated']) },
  { name: 'Cognito: one pool, amr *', label: 'broad', statement: cognito({ 'StringEquals': { 'cognito-identity.amazonaws.com:aud': POOL }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': '*' } }), attack: cognitoToken(POOL, ['unauthenticated']) },
  { name: 'Cognito: pool pattern', label: 'broad', statement: cognito({ 'StringLike': { 'cognito-identity.amazonaws.com:aud': 'us-east-1:*' }, 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }), attack: cognitoToken('us-east-1:00000000-0000-4000-8000-000000000000', ['authenticated']) },
  { name: 'Cognito: no pool (IAM refuses it)', label: 'invalid', statement: cognito({ 'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': 'authenticated' } }) },

  // ------------------------------------------------------------------ SAML
  { name: 'SAML: sign-in audience', label: 'narrow', statement: saml({ StringEquals: { 'SAML:aud': SIGN_IN } }), allowed: samlAssertion(SAML_ARN, { 'SAML:aud': SIGN_IN }), attack: samlAssertion(SAML_ARN, { 'SAML:aud': 'https://other.example/saml' }) },
  { name: 'SAML: no audience', label: 'broad', statement: saml(), attack: samlAssertion(SAML_ARN, { 'SAML:aud': 'https://other.example/saml' }) },
  { name: 'SAML: audience pattern', label: 'broad', statement: saml({ StringLike: { 'SAML:aud': 'https://*' } }), attack: samlAssertion(SAML_ARN, { 'SAML:aud': 'https://other.example/saml' }) },
];

/** Every row as a plain role (`AWS::IAM::Role` with the statement), in one stack: what any CDK app may hold. */
export function corpusApp(): { app: App; stack: Stack; template: TemplateJson } {
  const app = new App();
  const stack = new Stack(app, 'Corpus', { env: TEST_ENV });
  new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(stack.region, 'us-east-1') });
  // A provider defined next to the roles, with a known client id list (rows refer to it by Ref).
  new CfnResource(stack, 'GitHubProvider', {
    type: 'AWS::IAM::OIDCProvider',
    properties: { Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] },
  });
  CORPUS.forEach((row, i) => {
    row.parameters?.forEach(p => new CfnParameter(stack, p));
    new CfnResource(stack, `Row${i}`, {
      type: 'AWS::IAM::Role',
      properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [row.statement] } },
    });
  });
  return { app, stack, template: templateOf(stack) };
}
