import { Annotations, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GitHubOidcProvider, IGitHubOidcProvider } from './github-oidc-provider';
import { GitHubSubject } from './github-subject';
import { GITHUB_DEFAULT_AUDIENCE, SubjectKind } from './validation';
import { fail, siteOf } from '../core/errors';
import { attachTrustPolicy, toRoleProps } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { TrustPolicy, TrustStatement } from '../core/trust-policy';
import { quote, validateLength, validateNotEmpty } from '../core/validation';
import { addWebIdentityStatement, validateProviderAccount } from '../core/web-identity';

/** Properties for a {@link GitHubActionsRole}. */
export interface GitHubActionsRoleProps extends PatternRoleProps {
  /**
   * The jobs that may assume the role: repositories with a branch, tag, environment or
   * pull request. At least one.
   *
   * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
   */
  readonly subjects: GitHubSubject[];

  /**
   * The account's GitHub OIDC provider.
   *
   * @default - the GitHub.com provider of the role's account, imported by ARN
   *   (`GitHubOidcProvider.fromAccount`); it must exist when the role is deployed
   */
  readonly provider?: IGitHubOidcProvider;

  /**
   * The audience the workflow requests (`<issuer>:aud`, always `StringEquals`).
   *
   * @default 'sts.amazonaws.com', what aws-actions/configure-aws-credentials requests
   */
  readonly audience?: string;

  /**
   * Reusable workflows the job must run (`job_workflow_ref` claim), e.g.
   * `acme/workflows/.github/workflows/deploy.yml@refs/heads/main`; `*` is a wildcard.
   *
   * This and the other claim props rely on STS evaluating GitHub claims as condition keys.
   * Where it does not provide a key the condition fails closed: the role cannot be assumed.
   *
   * @default - any workflow
   */
  readonly jobWorkflowRefs?: string[];

  /**
   * Numeric repository ids (`repository_id` claim), which survive renames and
   * re-creation under the same name.
   *
   * @default - any repository id
   */
  readonly repositoryIds?: string[];

  /**
   * GitHub environments the job must reference (`environment` claim).
   *
   * @default - any or no environment
   */
  readonly environments?: string[];

  /**
   * GitHub users who triggered the run (`actor` claim).
   *
   * @default - any actor
   */
  readonly actors?: string[];

  /**
   * Numeric ids of the users who triggered the run (`actor_id` claim).
   *
   * @default - any actor id
   */
  readonly actorIds?: string[];

  /**
   * Workflow names (`workflow` claim).
   *
   * @default - any workflow name
   */
  readonly workflows?: string[];

  /**
   * Git refs the job runs on (`ref` claim), e.g. `refs/heads/main`.
   *
   * @default - any ref
   */
  readonly refs?: string[];

  /**
   * Numeric enterprise ids (`enterprise_id` claim).
   *
   * @default - any enterprise
   */
  readonly enterpriseIds?: string[];
}

/** GitHub token claims accepted as condition keys, by the prop that sets them. */
const CLAIM_PROPS: Array<[keyof GitHubActionsRoleProps, string]> = [
  ['jobWorkflowRefs', 'job_workflow_ref'],
  ['repositoryIds', 'repository_id'],
  ['environments', 'environment'],
  ['actors', 'actor'],
  ['actorIds', 'actor_id'],
  ['workflows', 'workflow'],
  ['refs', 'ref'],
  ['enterpriseIds', 'enterprise_id'],
];

/**
 * A role that GitHub Actions jobs assume with their OIDC token
 * (`sts:AssumeRoleWithWebIdentity`), scoped to exact repositories and branches, tags or
 * environments.
 *
 * The trust always requires the audience and the subject: exact subjects use
 * `StringEquals`, only wildcard ones `StringLike`. Broad subjects need a named factory
 * (`GitHubSubject.anyRef`, `GitHubSubject.allRepositories`, which warns).
 *
 * @example
 * const deploy = new GitHubActionsRole(this, 'Deploy', {
 *   provider: GitHubOidcProvider.fromAccount(this, 'GitHub'),
 *   subjects: [GitHubSubject.environment('acme/api', 'production')],
 * });
 */
export class GitHubActionsRole extends iam.Role {
  /** The OIDC provider the role trusts. */
  public readonly provider: IGitHubOidcProvider;

  /** The trust policy builder of this role. */
  protected readonly trust: TrustPolicy;

  private readonly statement: TrustStatement;

  constructor(scope: Construct, id: string, props: GitHubActionsRoleProps) {
    const site = siteOf('GitHubActionsRole', scope, id);
    const roleProps = toRoleProps(site, props);
    if (!props.subjects || (!Token.isUnresolved(props.subjects) && props.subjects.length === 0)) {
      fail(site, 'subjects', 'no subject is given, so no workflow could assume the role',
        'name the jobs, e.g. [GitHubSubject.branch(\'acme/api\', \'main\')]');
    }
    props.subjects.forEach(s => s._validate(site, 'subjects'));
    const audience = props.audience ?? GITHUB_DEFAULT_AUDIENCE;
    validateLength(site, 'audience', audience, 1, 255);
    const claims: TrustCondition[] = [];
    for (const [prop, claim] of CLAIM_PROPS) {
      const values = props[prop] as string[] | undefined;
      if (values === undefined) continue;
      validateNotEmpty(site, prop, values, `give at least one ${claim} value, or leave ${prop} out`);
      for (const v of values) {
        if (!Token.isUnresolved(v) && (v.trim() === '' || /^[*?]+$/.test(v))) {
          fail(site, prop, `${quote(v)} matches every ${claim}`, `give the exact ${claim}, or leave ${prop} out`);
        }
      }
    }
    super(scope, id, roleProps);

    this.provider = props.provider ?? GitHubOidcProvider.fromAccount(this, 'Provider');
    validateProviderAccount(site, 'provider', this, this.provider.oidcProviderArn);
    const issuer = this.provider.issuer;
    for (const [prop, claim] of CLAIM_PROPS) {
      const values = props[prop] as string[] | undefined;
      if (values !== undefined) claims.push(TrustCondition.stringMatches(`${issuer}:${claim}`, values));
    }
    this.trust = attachTrustPolicy(this, 'GitHubActionsRole', props);
    this.statement = addWebIdentityStatement(this.trust, {
      providerArn: this.provider.oidcProviderArn,
      issuer,
      audiences: [audience],
      subjects: props.subjects.map(s => s.value),
      conditions: claims,
    });
    this.warnBroad(props.subjects);
  }

  /**
   * Lets more jobs assume the role. Subjects merge into the existing `sub` condition
   * (exact ones under `StringEquals`, wildcard ones under `StringLike`).
   */
  public addSubjects(...subjects: GitHubSubject[]): void {
    const site = siteOf('GitHubActionsRole', this);
    subjects.forEach(s => s._validate(site, 'subjects'));
    this.statement.addConditions(TrustCondition.stringMatches(`${this.provider.issuer}:sub`, subjects.map(s => s.value)));
    this.warnBroad(subjects);
  }

  private warnBroad(subjects: GitHubSubject[]): void {
    for (const s of subjects.filter(x => x._kind === SubjectKind.ALL_REPOSITORIES)) {
      Annotations.of(this).addWarningV2('cdk-access-patterns:allRepositories',
        `'${s.value}' trusts every repository of the owner, including ones created later by anyone who can create repositories there.`);
    }
  }
}
