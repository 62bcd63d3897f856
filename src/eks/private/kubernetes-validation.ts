import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from '../../core/errors';
import { hasLiteralWildcard } from '../../core/token-text';
import { quote } from '../../core/validation';
import { ServiceAccount } from '../kubernetes';

/** Validation of Kubernetes names (internal). */

/** An EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit. */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** An EKS cluster name: 1-100 letters, digits, '-' or '_', starting with a letter or digit. */
export function validateClusterName(site: ErrorSite, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return refuseLiteralWildcard(site, prop, value, 'EKS cluster name');
  if (!CLUSTER_NAME.test(value)) {
    fail(site, prop, `${quote(value)} is not an EKS cluster name`, 'use 1-100 letters, digits, \'-\' or \'_\', starting with a letter or digit');
  }
}

/**
 * A value with tokens is only known at deploy time, but the text around the tokens is
 * not: a `*` or `?` there would make the exact trust condition a pattern once the
 * trust builder sends values with literal wildcards to `StringLike`.
 */
function refuseLiteralWildcard(site: ErrorSite, prop: string, value: string, what: string): void {
  if (hasLiteralWildcard(value)) {
    fail(site, prop, `${quote(value)} has '*' or '?' around a value chosen at deploy time, but a ${what} is an exact name`,
      `give the ${what} exactly (a token, or text without '*' and '?')`);
  }
}

/** A namespace name: an RFC 1123 label, 1-63 characters. */
export function validateNamespace(site: ErrorSite, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return refuseLiteralWildcard(site, prop, value, 'Kubernetes namespace');
  if (value.length > 63 || !LABEL.test(value)) {
    fail(site, prop, `${quote(value)} is not a Kubernetes namespace name`,
      'use 1-63 lower-case letters, digits or \'-\', starting and ending with a letter or digit (RFC 1123 label)');
  }
}

/** A service account name: an RFC 1123 subdomain, 1-253 characters. */
export function validateServiceAccountName(site: ErrorSite, prop: string, value: string): void {
  if (Token.isUnresolved(value)) return refuseLiteralWildcard(site, prop, value, 'Kubernetes service account name');
  if (value.length > 253 || !SUBDOMAIN.test(value)) {
    fail(site, prop, `${quote(value)} is not a Kubernetes service account name`,
      'use lower-case letters, digits, \'-\' and \'.\', starting and ending with a letter or digit, at most 253 characters (RFC 1123 subdomain)');
  }
}

/** Validates service accounts and refuses repeated pairs. */
export function validateServiceAccounts(site: ErrorSite, prop: string, accounts: ServiceAccount[]): void {
  const seen = new Set<string>();
  for (const sa of accounts) {
    validateNamespace(site, prop, sa.serviceAccountNamespace);
    validateServiceAccountName(site, prop, sa.serviceAccountName);
    const key = `${sa.serviceAccountNamespace}:${sa.serviceAccountName}`;
    if (!Token.isUnresolved(key) && seen.has(key)) {
      fail(site, prop, `the service account ${quote(key)} is listed more than once`, 'list each namespace and service account pair once');
    }
    seen.add(key);
  }
}
