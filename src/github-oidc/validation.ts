/** Validation of GitHub names, shared by the subjects and the role. Internal. */
import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../core/errors';
import { quote } from '../core/validation';

/** The issuer of GitHub.com (and GitHub Enterprise Cloud without a unique issuer). */
export const GITHUB_ISSUER = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests. */
export const GITHUB_DEFAULT_AUDIENCE = 'sts.amazonaws.com';

/** GitHub user / organization: 1-39 letters, digits, hyphens (not leading/trailing), `_` for managed users. */
export const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9_]|-(?=[A-Za-z0-9_])){0,38}$/;
/** Repository name: 1-100 letters, digits, `.`, `_`, `-`. */
export const REPO = /^[A-Za-z0-9._-]{1,100}$/;
/** The immutable form `owner@<owner id>/name@<repository id>`. */
export const IMMUTABLE = /^([^/@]+)@(\d+)\/([^/@]+)@(\d+)$/;

/** How a subject was built, for validation and warnings. */
export enum SubjectKind { BRANCH, TAG, ENVIRONMENT, PULL_REQUEST, ANY_REF, ALL_REPOSITORIES, CUSTOM }


export function validateOwner(site: ErrorSite, prop: string, owner: string): void {
  if (Token.isUnresolved(owner)) return;
  if (!OWNER.test(owner)) {
    fail(site, prop, `${quote(owner)} is not a GitHub user or organization name`,
      'use 1-39 letters, digits or hyphens, not starting or ending with a hyphen (e.g. \'acme\')');
  }
}

/** A repository as `owner/name` or `owner@<id>/name@<id>`. */
export function validateRepository(site: ErrorSite, prop: string, repository: string): void {
  if (Token.isUnresolved(repository)) return;
  const immutable = IMMUTABLE.exec(repository);
  const [owner, name] = immutable ? [immutable[1], immutable[3]] : repository.split('/');
  if (repository.includes('*') || repository.split('/').length !== 2 || !owner || !name) {
    fail(site, prop, `${quote(repository)} is not a repository 'owner/name'`,
      repository.includes('*')
        ? `name one repository; use GitHubSubject.allRepositories('${repository.split('/')[0]}') to opt in to every repository of an owner`
        : 'write it as \'owner/name\', e.g. \'acme/api\'');
  }
  validateOwner(site, prop, owner);
  if (!REPO.test(name) || name === '.' || name === '..') {
    fail(site, prop, `${quote(name)} in ${quote(repository)} is not a GitHub repository name`, 'use 1-100 letters, digits, \'.\', \'_\' or \'-\'');
  }
}
