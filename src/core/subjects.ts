import { Token } from 'aws-cdk-lib';
import { hasWildcard } from './comparison';
import { ErrorSite, fail } from './errors';
import { quote } from './validation';

/**
 * Validation of the parts of CI/CD token subjects that every git-based issuer shares:
 * branch and tag names, and subjects that would match every workload.
 */

/** A branch or tag name as git allows it; `*` is accepted as a wildcard. */
export function validateGitRefName(site: ErrorSite, prop: string, name: string, what: string): void {
  const bad = name.length === 0 || name.length > 255 || /[\s~^:?[\\\x00-\x1f\x7f]/.test(name) || name.includes('..') || name.includes('@{')
    || name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock') || name.includes('//') || name === '@'
    || name.startsWith('refs/');
  if (bad) {
    fail(site, prop, `${quote(name)} is not a valid ${what} name`,
      `give the ${what} name as git allows it, without 'refs/${what === 'branch' ? 'heads' : 'tags'}/' (e.g. 'main'); use '*' as a wildcard`);
  }
}

/** A custom subject: not empty, not `*`, not starting with a wildcard. */
export function validateSubjectIsScoped(site: ErrorSite, prop: string, value: string, alternative: string): void {
  if (Token.isUnresolved(value)) return;
  if (value.trim() === '' || /^[*?]/.test(value)) {
    fail(site, prop, `the subject ${quote(value)} matches every workload of the issuer`,
      `scope it to a repository or project (see ${alternative})`);
  }
}

/** The first `claim:value` pair of a subject, which names the workload's owner or project. */
export interface LeadingClaim {
  /** The claim name, e.g. `repo` or `project_path`. */
  readonly claim: string;
  /** Its value, up to the next `:`, e.g. `acme/api`. */
  readonly value: string;
}

/** Splits off the first `claim:value` pair of a CI/CD subject, or undefined when it has none. */
export function leadingClaim(subject: string): LeadingClaim | undefined {
  const m = /^([A-Za-z_]+):([^:]*)/.exec(subject);
  return m ? { claim: m[1], value: m[2] } : undefined;
}

/**
 * A custom subject whose first claim names a repository or project path (`repo:owner/name`,
 * `project_path:group/project`): a wildcard there admits other owners' or groups'
 * workloads (`repo:acme*` matches `acme-evil`), so it is refused; a wildcard after the
 * owner or group admits every repository of it, which needs the pattern's explicit
 * opt-in (`ownerWide`).
 */
export function validateCustomSubjectPath(
  site: ErrorSite, prop: string, subject: string, pathClaim: string, ownerWide: (owner: string) => string,
): void {
  if (Token.isUnresolved(subject)) return;
  const lead = leadingClaim(subject);
  if (!lead) {
    fail(site, prop, `${quote(subject)} is not a subject of 'claim:value' pairs`, `start it with the ${pathClaim} claim, e.g. '${pathClaim}:...'`);
  }
  if (!hasWildcard(lead.value)) return;
  if (lead.claim !== pathClaim) {
    fail(site, prop, `the wildcard in the ${lead.claim} claim of ${quote(subject)} admits the workloads of other owners`, `name the ${lead.claim} exactly`);
  }
  const segments = lead.value.split('/');
  const first = segments.findIndex(hasWildcard);
  if (first === 0 || segments.length === 1) {
    fail(site, prop, `${quote(subject)} matches ${pathClaim} values of other owners (a wildcard before the first '/')`, 'name the owner or group exactly');
  }
  const owner = segments.slice(0, first).join('/');
  fail(site, prop, `${quote(subject)} matches more than one repository or project of ${quote(owner)} (a wildcard in the ${pathClaim})`,
    `name one; ${ownerWide(owner)} to opt in to all of them`);
}
