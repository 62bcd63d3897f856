import { Token } from 'aws-cdk-lib';
import { hasWildcard } from '../core/comparison';
import { ErrorSite, fail } from '../core/errors';
import { leadingClaim, validateCustomSubjectPath, validateGitRefName, validateSubjectIsScoped } from '../core/subjects';
import { DEPLOY_TIME, hasLiteralWildcard, literalText } from '../core/token-text';
import { quote } from '../core/validation';

/** One GitLab path segment: letters, digits, `_`, `-`, `.`; not starting with `-` or `.`, not ending in `.git`/`.atom`. */
const SEGMENT = /^(?![-.])[A-Za-z0-9_.-]{1,255}$/;

/** How a GitLab subject was built. */
enum Kind { BRANCH, TAG, ANY_REF, GROUP, CUSTOM }

/**
 * Which GitLab CI/CD jobs may assume a role: the `sub` claim of their ID token,
 * `project_path:<group>/<project>:ref_type:<branch|tag>:ref:<name>`.
 *
 * Project paths may have subgroups (`acme/platform/api`).
 *
 * @example
 * GitLabSubject.branch('acme/platform/api', 'main')
 *
 * @see https://docs.gitlab.com/ci/secrets/id_token_authentication/#token-payload
 */
export abstract class GitLabSubject {
  /** Jobs running on a branch; `*` in the branch is a wildcard (e.g. `release/*`). */
  public static branch(projectPath: string, branch: string): GitLabSubject {
    return new RenderedGitLabSubject(Kind.BRANCH, `project_path:${projectPath}:ref_type:branch:ref:${branch}`, projectPath, branch);
  }

  /** Jobs running for a tag; `*` is a wildcard (e.g. `v*`). */
  public static tag(projectPath: string, tag: string): GitLabSubject {
    return new RenderedGitLabSubject(Kind.TAG, `project_path:${projectPath}:ref_type:tag:ref:${tag}`, projectPath, tag);
  }

  /** Every job of one project: every branch and tag (`project_path:<project>:*`). */
  public static anyRef(projectPath: string): GitLabSubject {
    return new RenderedGitLabSubject(Kind.ANY_REF, `project_path:${projectPath}:*`, projectPath);
  }

  /**
   * Every job of every project in a group and its subgroups (`project_path:<group>/*`).
   * Broad: any project anyone creates in the group can then assume the role; leaves a
   * warning.
   */
  public static group(groupPath: string): GitLabSubject {
    return new RenderedGitLabSubject(Kind.GROUP, `project_path:${groupPath}/*`, groupPath);
  }

  /**
   * A raw `sub` value, for projects whose subject components were reordered or reduced
   * (`ci_id_token_sub_claim_components`: `project_path,ref`, `project_path,ref_type` ...).
   * It must start with `project_path:<group>/<project>` with no wildcard in the path;
   * `*` and `?` are wildcards after it; a bare `*` is refused.
   */
  public static custom(value: string): GitLabSubject {
    return new RenderedGitLabSubject(Kind.CUSTOM, value);
  }

  /** The `sub` claim value or pattern. */
  public abstract readonly value: string;

  /** @internal */
  public abstract readonly _broad: boolean;

  protected constructor() {}

  /** @internal */
  public abstract _validate(site: ErrorSite, prop: string): void;
}

class RenderedGitLabSubject extends GitLabSubject {
  public readonly value: string;
  /** @internal */
  public readonly _broad: boolean;

  constructor(private readonly kind: Kind, value: string, private readonly path?: string, private readonly ref?: string) {
    super();
    this.value = value;
    this._broad = kind === Kind.GROUP;
  }

  /** @internal */
  public _validate(site: ErrorSite, prop: string): void {
    if (this.kind === Kind.CUSTOM) {
      validateSubjectIsScoped(site, prop, this.value, 'GitLabSubject.branch / tag / anyRef');
      // A value with tokens is checked on its literal parts, unless a token is part of the first claim's name.
      const text = literalText(this.value);
      const known = !text.replace(/^[A-Za-z_]*/, '').startsWith(DEPLOY_TIME);
      if (known && !text.startsWith('project_path:')) {
        fail(site, prop, `${quote(this.value)} does not start with project_path:`,
          'GitLab always puts project_path first in sub (ci_id_token_sub_claim_components must start with it); write \'project_path:<group>/<project>:...\'');
      }
      validateCustomSubjectPath(site, prop, this.value, 'project_path', group => `use GitLabSubject.group('${group}')`);
      if (Token.isUnresolved(this.value) && known && hasWildcard(leadingClaim(text)!.value)) {
        fail(site, prop, `the project path of ${quote(this.value)} has a wildcard next to a value known at deploy time, so it would match more than one project`,
          'name one project; use GitLabSubject.group(group) to opt in to every project of a group');
      }
      return;
    }
    validatePath(site, prop, this.path!, this.kind === Kind.GROUP ? 1 : 2);
    if (this.ref !== undefined && !Token.isUnresolved(this.ref)) {
      validateGitRefName(site, prop, this.ref, this.kind === Kind.TAG ? 'tag' : 'branch');
    }
  }
}

/** A GitLab namespace path: at least `minSegments` segments, no wildcards. */
function validatePath(site: ErrorSite, prop: string, path: string, minSegments: number): void {
  if (Token.isUnresolved(path)) {
    if (hasLiteralWildcard(path)) {
      fail(site, prop, `${quote(path)} has a wildcard next to a value known at deploy time, so it would match more than one ${minSegments === 1 ? 'group' : 'project'}`,
        `name one ${minSegments === 1 ? 'group' : 'project'}; use GitLabSubject.group(group) to opt in to every project of a group`);
    }
    return;
  }
  const segments = path.split('/');
  const what = minSegments === 1 ? 'group path' : 'project path \'group/project\'';
  if (hasWildcard(path)) {
    fail(site, prop, `${quote(path)} contains a wildcard`,
      `name one ${minSegments === 1 ? 'group' : 'project'}; use GitLabSubject.group('${segments[0]}') to opt in to every project of a group`);
  }
  if (segments.length < minSegments || segments.some(s => !SEGMENT.test(s) || /\.(git|atom)$/.test(s))) {
    fail(site, prop, `${quote(path)} is not a GitLab ${what}`,
      'use the full path as in the project URL, e.g. \'acme/platform/api\' (letters, digits, _ - . per segment)');
  }
}
