/** Validation of GitHub names, shared by the subjects and the role. Internal. */
import { Token } from 'aws-cdk-lib';
import { hasWildcard } from '../../core/comparison';
import { ErrorSite, fail } from '../../core/errors';
import { leadingClaim, validateSubjectIsScoped } from '../../core/subjects';
import { DEPLOY_TIME, hasLiteralWildcard, literalText } from '../../core/token-text';
import { quote } from '../../core/validation';

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
export enum SubjectKind { BRANCH, TAG, ENVIRONMENT, PULL_REQUEST, ANY_REF, ALL_REPOSITORIES, CUSTOM, CUSTOM_ALL_REPOSITORIES }

/** The fix for a wildcard in a value GitHub documents no patterns for. */
const EXACT_VALUES_FIX = 'these are exact values; list them';


/**
 * A value GitHub puts in its token as a whole and documents no pattern syntax for
 * (environment names, actors, workflow names, ids): a `*` or `?` in it would make IAM's
 * `StringLike` admit other values (`prod*` admits `prod-evil`).
 *
 * @param what the claim, for the message, e.g. `environment`
 * @param why what a pattern would let in, appended to the message
 */
export function validateExactClaim(site: ErrorSite, prop: string, value: string, what: string, why: string = ''): void {
  if (hasLiteralWildcard(value)) {
    fail(site, prop, `${quote(value)} has a wildcard, but GitHub documents no patterns for the ${what} claim, ` +
      `and as a StringLike pattern it would admit other values of it${why}`, EXACT_VALUES_FIX);
  }
}

/** A numeric GitHub id (`actor_id`, `repository_id`, `enterprise_id`): digits only. */
export function validateNumericId(site: ErrorSite, prop: string, value: string, what: string): void {
  validateExactClaim(site, prop, value, what);
  if (!Token.isUnresolved(value) && !/^\d+$/.test(value)) {
    fail(site, prop, `${quote(value)} is not a numeric ${what}`, `give the id as digits, e.g. '123456' (${EXACT_VALUES_FIX})`);
  }
}

/** A GitHub user or organization name; a deploy-time one must not sit next to a wildcard. */
export function validateOwner(site: ErrorSite, prop: string, owner: string): void {
  if (Token.isUnresolved(owner)) {
    if (hasLiteralWildcard(owner)) {
      fail(site, prop, `the owner ${quote(owner)} has a wildcard next to a value known at deploy time, so it would match other owners`, 'name the owner exactly');
    }
    return;
  }
  if (!OWNER.test(owner)) {
    fail(site, prop, `${quote(owner)} is not a GitHub user or organization name`,
      'use 1-39 letters, digits or hyphens, not starting or ending with a hyphen (e.g. \'acme\')');
  }
}

/** A repository as `owner/name` or `owner@<id>/name@<id>`. */
export function validateRepository(site: ErrorSite, prop: string, repository: string): void {
  if (Token.isUnresolved(repository)) {
    if (hasLiteralWildcard(repository)) {
      fail(site, prop, `the repository ${quote(repository)} has a wildcard next to a value known at deploy time, so it would match more than one repository`,
        'name one repository; use GitHubSubject.allRepositories(owner) to opt in to every repository of an owner');
    }
    return;
  }
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

/** First claims of a custom subject that pin one repository: nobody else's token can start with them. */
const REPOSITORY_CLAIMS: ReadonlySet<string> = new Set(['repo', 'repository', 'repository_id']);
/** First claims that pin only the owner: any repository of the owner can start its subject with them. */
const OWNER_CLAIMS: ReadonlySet<string> = new Set(['repository_owner', 'repository_owner_id']);

/** A literal text for messages: parts known at deploy time shown as `<token>`. */
function shown(text: string): string {
  return text.split(DEPLOY_TIME).join('<token>');
}

/**
 * A customized subject (`include_claim_keys`). Only its first claim is out of reach of
 * other repositories' admins, who can set any template for their own repository
 * (PUT /repos/{owner}/{repo}/actions/oidc/customization/sub): so the first claim must
 * pin the repository (`repo:`, `repository:`, `repository_id:`), or with `ownerWide` the
 * owner (`repository_owner:`, `repository_owner_id:`, `repo:OWNER/*`), without wildcards.
 *
 * A value holding tokens is checked on its literal parts: the first claim when it comes
 * before any token, and wildcards in the first claim's value.
 */
export function validateCustomSubject(site: ErrorSite, prop: string, value: string, ownerWide: boolean): void {
  const scoped = 'GitHubSubject.branch / environment / anyRef; IAM refuses GitHub trusts whose sub is \'*\'';
  validateSubjectIsScoped(site, prop, value, scoped);
  const text = literalText(value);
  if (/^[*?]/.test(text)) {
    fail(site, prop, `the subject ${quote(value)} matches every workload of the issuer`, `scope it to a repository or project (see ${scoped})`);
  }
  const lead = leadingClaim(text);
  if (!lead) {
    if (text.replace(/^[A-Za-z_]*/, '').startsWith(DEPLOY_TIME)) return; // the first claim is only known at deploy time
    fail(site, prop, `${quote(value)} is not a subject of 'claim:value' pairs`, 'start it with the repo claim, e.g. \'repo:acme/api:...\'');
  }
  const { claim } = lead;
  if (!REPOSITORY_CLAIMS.has(claim) && !OWNER_CLAIMS.has(claim)) {
    fail(site, prop, `the subject ${quote(value)} starts with the ${claim} claim, which does not name the repository: ` +
      `any repository admin can set a subject template (include_claim_keys) that starts with ${claim} and get a matching token`,
    ownerWide
      ? 'start the subject with the owner, e.g. \'repository_owner:acme:...\' or \'repo:acme/*\', and put that claim first in include_claim_keys'
      : 'start the subject with the repository, e.g. \'repo:acme/api:...\', \'repository:acme/api:...\' or \'repository_id:123456:...\', and put that claim first in include_claim_keys');
  }
  if (claim === 'repo') {
    validateRepoClaim(site, prop, value, lead.value, ownerWide);
    return;
  }
  if (hasWildcard(lead.value)) {
    fail(site, prop, `the wildcard in the ${claim} claim of ${quote(value)} admits the workloads of other ${OWNER_CLAIMS.has(claim) ? 'owners' : 'repositories'}`,
      OWNER_CLAIMS.has(claim) || !ownerWide
        ? `name the ${claim} exactly`
        : 'start an owner-wide subject with \'repository_owner:<owner>\' or \'repo:<owner>/*\'');
  }
  if (OWNER_CLAIMS.has(claim) && !ownerWide) {
    fail(site, prop, `the subject ${quote(value)} starts with the ${claim} claim, so every repository of that owner can get a matching token, ` +
      'including ones created later by anyone who can create repositories there',
    `name the repository first (e.g. 'repo:acme/api:...'), or use GitHubSubject.customAllRepositories(${quote(value)}) to opt in to every repository of the owner`);
  }
  if (REPOSITORY_CLAIMS.has(claim) && ownerWide) {
    fail(site, prop, `the subject ${quote(value)} starts with the ${claim} claim, so it names one repository and is not owner-wide`,
      `use GitHubSubject.custom(${quote(value)})`);
  }
  if (lead.value.includes(DEPLOY_TIME)) return;
  switch (claim) {
    case 'repository_owner':
      validateOwner(site, prop, lead.value);
      break;
    case 'repository':
      validateRepository(site, prop, lead.value);
      break;
    default: // repository_owner_id, repository_id
      if (!/^\d+$/.test(lead.value)) {
        fail(site, prop, `${quote(lead.value)} in ${quote(value)} is not a numeric ${claim === 'repository_id' ? 'repository' : 'owner'} id`,
          `give the id as digits, from ${claim === 'repository_id' ? 'https://api.github.com/repos/<owner>/<name>' : 'https://api.github.com/users/<owner>'} (field id)`);
      }
  }
}

/**
 * The `repo:` claim of a custom subject: `OWNER/REPO` or `OWNER@ID/REPO@ID`; owner-wide
 * subjects have a wildcard after the owner (`repo:acme/*`), never in it.
 */
function validateRepoClaim(site: ErrorSite, prop: string, value: string, repo: string, ownerWide: boolean): void {
  const slash = repo.indexOf('/');
  const owner = slash < 0 ? repo : repo.slice(0, slash);
  const name = slash < 0 ? '' : repo.slice(slash + 1);
  if (hasWildcard(owner)) {
    fail(site, prop, `${quote(value)} matches repo values of other owners (a wildcard before the first '/')`, 'name the owner exactly');
  }
  if (slash < 0 && !owner.includes(DEPLOY_TIME)) {
    fail(site, prop, `${quote(shown(repo))} in ${quote(value)} is not a repository 'owner/name'`, 'write the repo claim as \'repo:owner/name\', e.g. \'repo:acme/api\'');
  }
  if (!owner.includes(DEPLOY_TIME)) {
    const immutable = /^([^@]+)@(\d+)$/.exec(owner);
    validateOwner(site, prop, immutable ? immutable[1] : owner);
  }
  if (ownerWide) {
    if (!hasWildcard(name)) {
      fail(site, prop, `the subject ${quote(value)} names one repository, so it is not owner-wide`, `use GitHubSubject.custom(${quote(value)})`);
    }
    return;
  }
  if (hasWildcard(name)) {
    fail(site, prop, `${quote(value)} matches more than one repository of ${quote(shown(owner))} (a wildcard in the repo)`,
      `name one; use GitHubSubject.customAllRepositories(${quote(value)}) to opt in to every repository of the owner`);
  }
  if (!repo.includes(DEPLOY_TIME)) validateRepository(site, prop, repo);
}
