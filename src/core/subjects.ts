import { Token } from 'aws-cdk-lib';
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
