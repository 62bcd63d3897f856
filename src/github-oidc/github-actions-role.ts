import { Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GitHubOidcProvider, IGitHubOidcProvider } from './github-oidc-provider';
import { GitHubSubject } from './github-subject';
import { GITHUB_DEFAULT_AUDIENCE, SubjectKind, validateExactClaim, validateNumericId } from './private/validation';
import { fail, siteOf } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { hasLiteralWildcard } from '../core/token-text';
import { TrustCondition } from '../core/trust-condition';
import { TrustStatement } from '../core/trust-policy';
import { ScopeCheck } from '../core/trust-scope';
import { quote, validateLength, validateNotEmpty } from '../core/validation';
import { WARNING } from '../core/warnings';
import { addWebIdentityStatement, subjectCondition, validateProviderAccount } from '../core/web-identity';

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
   * The audience the workflow requests (`<issuer>:aud`, always `StringEquals`). An exact
   * value: `*` and `?` are refused.
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
   * re-creation under the same name. Digits only; list each id (no wildcards).
   *
   * @default - any repository id
   */
  readonly repositoryIds?: string[];

  /**
   * GitHub environments the job must reference (`environment` claim). Exact names: `*`
   * and `?` are refused, since GitHub creates an environment a workflow references
   * without protection rules; list each environment.
   *
   * @default - any or no environment
   */
  readonly environments?: string[];

  /**
   * GitHub users who triggered the run (`actor` claim). Exact logins; list each one (no
   * wildcards).
   *
   * @default - any actor
   */
  readonly actors?: string[];

  /**
   * Numeric ids of the users who triggered the run (`actor_id` claim). Digits only; list
   * each id (no wildcards).
   *
   * @default - any actor id
   */
  readonly actorIds?: string[];

  /**
   * Workflow names (`workflow` claim). Exact names; list each one (no wildcards).
   *
   * @default - any workflow name
   */
  readonly workflows?: string[];

  /**
   * Git refs the job runs on (`ref` claim), e.g. `refs/heads/main`; `*` is a wildcard
   * (e.g. `refs/heads/release/*`).
   *
   * @default - any ref
   */
  readonly refs?: string[];

  /**
   * Numeric enterprise ids (`enterprise_id` claim). Digits only; list each id (no
   * wildcards).
   *
   * @default - any enterprise
   */
  readonly enterpriseIds?: string[];
}

/**
 * How the values of a claim prop compare: GitHub documents patterns only for refs and
 * `job_workflow_ref`; the other claims are exact, and ids are digits.
 */
enum ClaimValues { PATTERN, EXACT, ID }

/** GitHub token claims accepted as condition keys, by the prop that sets them. */
const CLAIM_PROPS: Array<[keyof GitHubActionsRoleProps, string, ClaimValues]> = [
  ['jobWorkflowRefs', 'job_workflow_ref', ClaimValues.PATTERN],
  ['repositoryIds', 'repository_id', ClaimValues.ID],
  ['environments', 'environment', ClaimValues.EXACT],
  ['actors', 'actor', ClaimValues.EXACT],
  ['actorIds', 'actor_id', ClaimValues.ID],
  ['workflows', 'workflow', ClaimValues.EXACT],
  ['refs', 'ref', ClaimValues.PATTERN],
  ['enterpriseIds', 'enterprise_id', ClaimValues.ID],
];

/**
 * A role that GitHub Actions jobs assume with their OIDC token
 * (`sts:AssumeRoleWithWebIdentity`), scoped to exact repositories and branches, tags or
 * environments.
 *
 * The trust always requires the audience and the subject: exact subjects use
 * `StringEquals`, only wildcard ones `StringLike`. Broad subjects need a named factory
 * (`GitHubSubject.anyRef`; `GitHubSubject.allRepositories` and
 * `GitHubSubject.customAllRepositories`, which warn). Wildcards are accepted only where
 * GitHub documents patterns (branches, tags, refs, `job_workflow_ref`); environments,
 * actors, workflow names, ids and the audience are exact.
 *
 * @example
 * const deploy = new GitHubActionsRole(this, 'Deploy', {
 *   provider: GitHubOidcProvider.fromAccount(this, 'GitHub'),
 *   subjects: [GitHubSubject.environment('acme/api', 'production')],
 * });
 */
export class GitHubActionsRole extends PatternRole {
  /** The OIDC provider the role trusts. */
  public readonly provider: IGitHubOidcProvider;

  private readonly statement: TrustStatement;

  constructor(scope: Construct, id: string, props: GitHubActionsRoleProps) {
    const site = patternRoleSite('GitHubActionsRole', scope, id, props);
    if (!props.subjects || (!Token.isUnresolved(props.subjects) && props.subjects.length === 0)) {
      fail(site, 'subjects', 'no subject is given, so no workflow could assume the role',
        'name the jobs, e.g. [GitHubSubject.branch(\'acme/api\', \'main\')]');
    }
    props.subjects.forEach(s => s._validate(site, 'subjects'));
    const audience = props.audience ?? GITHUB_DEFAULT_AUDIENCE;
    validateLength(site, 'audience', audience, 1, 255);
    if (hasLiteralWildcard(audience)) {
      fail(site, 'audience', `${quote(audience)} has a wildcard, but the audience is an exact value (StringEquals), never a pattern`,
        'give the exact audience the workflow requests, e.g. \'sts.amazonaws.com\'');
    }
    const claims: TrustCondition[] = [];
    for (const [prop, claim, kind] of CLAIM_PROPS) {
      const values = props[prop] as string[] | undefined;
      if (values === undefined) continue;
      validateNotEmpty(site, prop, values, `give at least one ${claim} value, or leave ${prop} out`);
      for (const v of values) {
        if (!Token.isUnresolved(v) && (v.trim() === '' || /^[*?]+$/.test(v))) {
          fail(site, prop, `${quote(v)} matches every ${claim}`, `give the exact ${claim}, or leave ${prop} out`);
        }
        if (kind === ClaimValues.EXACT) validateExactClaim(site, prop, v, claim);
        if (kind === ClaimValues.ID) validateNumericId(site, prop, v, claim);
      }
    }
    super(scope, id, 'GitHubActionsRole', props);

    this.provider = props.provider ?? GitHubOidcProvider.fromAccount(this, 'Provider');
    validateProviderAccount(site, 'provider', this, this.provider.oidcProviderArn);
    const issuer = this.provider.issuer;
    for (const [prop, claim, kind] of CLAIM_PROPS) {
      const values = props[prop] as string[] | undefined;
      if (values === undefined) continue;
      const key = `${issuer}:${claim}`;
      claims.push(kind === ClaimValues.PATTERN ? TrustCondition.stringMatches(key, values) : TrustCondition.stringEquals(key, values));
    }
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
    this.statement.addConditions(subjectCondition(this.provider.issuer, subjects.map(s => s.value)));
    this.warnBroad(subjects);
  }

  private warnBroad(subjects: GitHubSubject[]): void {
    const ownerWide = [SubjectKind.ALL_REPOSITORIES, SubjectKind.CUSTOM_ALL_REPOSITORIES];
    for (const s of subjects.filter(x => ownerWide.includes(x._kind))) {
      this._warnOwnerWide(ScopeCheck.SUBJECT, WARNING.allRepositories,
        `'${s.value}' trusts every repository of the owner, including ones created later by anyone who can create repositories there.`);
    }
  }
}
