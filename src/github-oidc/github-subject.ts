import { Token } from 'aws-cdk-lib';
import { SubjectKind, validateCustomSubject, validateExactClaim, validateOwner, validateRepository } from './private/validation';
import { ErrorSite, fail } from '../core/errors';
import { validateGitRefName } from '../core/subjects';
import { quote } from '../core/validation';

/**
 * Which GitHub Actions jobs may assume a role: the `sub` claim of their OIDC token.
 *
 * Each factory produces one `sub` pattern for one repository. Repositories are
 * `owner/name`, or the immutable `owner@<owner id>/name@<repository id>` form (see
 * {@link GitHubSubject.immutableRepository}) that keeps matching after a rename.
 *
 * @example
 * GitHubSubject.branch('acme/api', 'main')            // repo:acme/api:ref:refs/heads/main
 * GitHubSubject.environment('acme/api', 'production') // repo:acme/api:environment:production
 *
 * @see https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#example-subject-claims
 */
export abstract class GitHubSubject {
  /**
   * Jobs running on a branch (`repo:<repo>:ref:refs/heads/<branch>`). The branch may use
   * `*` as a wildcard (e.g. `release/*`), which makes the subject a `StringLike` pattern.
   *
   * A job that uses a GitHub environment has the environment in its `sub` instead of the
   * branch: use {@link GitHubSubject.environment} for those.
   */
  public static branch(repository: string, branch: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.BRANCH, `repo:${repository}:ref:refs/heads/${branch}`, repository, branch);
  }

  /** Jobs running for a tag (`repo:<repo>:ref:refs/tags/<tag>`); `*` is a wildcard (e.g. `v*`). */
  public static tag(repository: string, tag: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.TAG, `repo:${repository}:ref:refs/tags/${tag}`, repository, tag);
  }

  /**
   * Jobs that reference a GitHub environment (`repo:<repo>:environment:<name>`). Protect
   * the environment in GitHub (required reviewers, deployment branches) for this to mean
   * "approved deployments only".
   *
   * The name is exact: `*` and `?` are refused, since GitHub creates an environment that a
   * workflow references, without protection rules, so `prod*` would admit `prod-evil`.
   * List each environment instead.
   */
  public static environment(repository: string, environment: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.ENVIRONMENT, `repo:${repository}:environment:${environment}`, repository, environment);
  }

  /** Jobs triggered by a pull request (`repo:<repo>:pull_request`). Treat as untrusted code. */
  public static pullRequest(repository: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.PULL_REQUEST, `repo:${repository}:pull_request`, repository);
  }

  /** Every job of one repository: every branch, tag, environment and pull request (`repo:<repo>:*`). */
  public static anyRef(repository: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.ANY_REF, `repo:${repository}:*`, repository);
  }

  /**
   * Every job of every repository of an owner (`repo:<owner>/*`). Broad: any repository
   * anyone creates in the organization can then assume the role; leaves a warning.
   *
   * Repositories whose tokens carry the immutable form (`repo:<owner>@<owner id>/...`) do
   * not match `repo:<owner>/*`: give the owner's numeric id for those
   * (`repo:<owner>@<owner id>/*`).
   *
   * @param owner the user or organization
   * @param ownerId the owner's numeric id, for the immutable subject form
   */
  public static allRepositories(owner: string, ownerId?: number): GitHubSubject {
    const value = ownerId === undefined ? `repo:${owner}/*` : `repo:${owner}@${ownerId}/*`;
    return new RenderedSubject(SubjectKind.ALL_REPOSITORIES, value, owner, undefined, ownerId);
  }

  /**
   * A `sub` value for a customized subject template (`include_claim_keys`), e.g.
   * `repo:acme/api:environment:prod:job_workflow_ref:acme/workflows/.github/workflows/deploy.yml@refs/heads/main`.
   * `*` and `?` are wildcards after the first claim.
   *
   * The first claim must pin one repository: `repo:OWNER/REPO` (or the immutable
   * `repo:OWNER@ID/REPO@ID`), `repository:OWNER/REPO` or `repository_id:<digits>`, with no
   * wildcard. Any repository admin can give their own repository a subject template
   * (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub) and so reproduce a
   * subject that starts with another claim (`environment:production`, `ref:...`,
   * `job_workflow_ref:...`, `workflow:...`, `actor:...`): those are refused, and so are
   * owner-only first claims (`repository_owner:`, `repository_owner_id:`), which need
   * {@link GitHubSubject.customAllRepositories}. A bare `*` is refused.
   *
   * @see https://docs.github.com/en/rest/actions/oidc
   */
  public static custom(value: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.CUSTOM, value);
  }

  /**
   * A `sub` value for a customized subject template that admits every repository of one
   * owner, e.g. `repository_owner:acme` or `repository_owner_id:1234:environment:production`
   * (with those claims first in `include_claim_keys`), or `repo:acme/*:environment:production`.
   *
   * Owner-wide like {@link GitHubSubject.allRepositories}, and leaves the same warning:
   * every repository of the owner, including ones created later by anyone who can create
   * repositories there, can set a template that yields a matching token, whatever the
   * claims after the first one. The first claim must be `repository_owner:` or
   * `repository_owner_id:` with an exact value, or `repo:OWNER/` (or `repo:OWNER@ID/`)
   * followed by a wildcard; a wildcard in the owner is refused.
   *
   * @see https://docs.github.com/en/rest/actions/oidc
   */
  public static customAllRepositories(value: string): GitHubSubject {
    return new RenderedSubject(SubjectKind.CUSTOM_ALL_REPOSITORIES, value);
  }

  /**
   * The immutable repository form `owner@<owner id>/name@<repository id>`, for subjects
   * of repositories that GitHub issues immutable `sub` claims for.
   */
  public static immutableRepository(owner: string, ownerId: number, name: string, repositoryId: number): string {
    return `${owner}@${ownerId}/${name}@${repositoryId}`;
  }

  /** The `sub` claim value or pattern. */
  public abstract readonly value: string;

  /** @internal */
  public abstract readonly _kind: SubjectKind;

  protected constructor() {}

  /** @internal */
  public abstract _validate(site: ErrorSite, prop: string): void;
}

class RenderedSubject extends GitHubSubject {
  public readonly value: string;
  /** @internal */
  public readonly _kind: SubjectKind;

  constructor(
    kind: SubjectKind, value: string,
    private readonly repository?: string, private readonly name?: string, private readonly ownerId?: number,
  ) {
    super();
    this._kind = kind;
    this.value = value;
  }

  /** @internal */
  public _validate(site: ErrorSite, prop: string): void {
    if (this._kind === SubjectKind.CUSTOM || this._kind === SubjectKind.CUSTOM_ALL_REPOSITORIES) {
      validateCustomSubject(site, prop, this.value, this._kind === SubjectKind.CUSTOM_ALL_REPOSITORIES);
      return;
    }
    if (this._kind === SubjectKind.ALL_REPOSITORIES) {
      validateOwner(site, prop, this.repository!);
      if (this.ownerId !== undefined && !Token.isUnresolved(this.ownerId) && !(Number.isInteger(this.ownerId) && this.ownerId > 0)) {
        fail(site, prop, `${this.ownerId} is not a GitHub owner id`, 'give the numeric id of the user or organization (https://api.github.com/users/<owner>, field id)');
      }
    } else {
      validateRepository(site, prop, this.repository!);
    }
    if (this.name === undefined) return;
    if (this._kind === SubjectKind.ENVIRONMENT) {
      validateExactClaim(site, prop, this.name, 'environment',
        ': GitHub creates an environment that a workflow references, without protection rules, so anyone who can push a workflow gets a matching one');
    }
    if (Token.isUnresolved(this.name)) return;
    switch (this._kind) {
      case SubjectKind.BRANCH:
      case SubjectKind.TAG:
        validateGitRefName(site, prop, this.name, this._kind === SubjectKind.BRANCH ? 'branch' : 'tag');
        break;
      case SubjectKind.ENVIRONMENT:
        if (this.name.length < 1 || this.name.length > 255 || /[:\r\n]/.test(this.name) || this.name.trim() !== this.name) {
          fail(site, prop, `${quote(this.name)} is not a GitHub environment name`,
            'use the environment name as shown in the repository settings: 1-255 characters, no colon or line break, no leading or trailing space');
        }
        break;
      default:
        break;
    }
  }
}

