import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { hasWildcard } from '../../core/comparison';
import { ErrorSite, fail } from '../../core/errors';
import { partitionFromRegionCode } from '../../core/regions';
import { principalArnPatternNarrows } from '../../core/trust-scope';
import { quote } from '../../core/validation';

/**
 * Checks of the principal ARNs and ARN patterns that cross-account trusts name. Values that
 * are unresolved tokens are skipped: they are only known at deployment.
 */

/** An IAM role or user ARN pattern: partition, account and resource (`role/...`, `user/...`). */
const ARN_PATTERN_SHAPE = /^arn:([^:]*):iam::([^:]*):(.+)$/;
/** An IAM role or user ARN, or a pattern of one (wildcards in the partition, account and name). */
const PRINCIPAL_ARN_PATTERN = /^arn:(aws(?:-[a-z]+)*|\*):iam::(\d{12}|[\d*?]*[*?][\d*?]*):(role|user)\/[\w+=,.@/*?-]+$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The partition of an ARN, or undefined when it has none. */
function partitionOf(arn: string): string | undefined {
  return /^arn:([^:]+):/.exec(arn)?.[1];
}

/**
 * Principals of another partition can never assume a role: partitions do not trust each
 * other. Checked when the stack's region, hence its partition, is known at synthesis.
 */
export function validatePartition(site: ErrorSite, prop: string, scope: IConstruct, arn: string): void {
  if (Token.isUnresolved(arn)) return;
  const partition = partitionOf(arn);
  const stackPartition = partitionFromRegionCode(scope);
  if (partition === undefined || hasWildcard(partition) || stackPartition === undefined || partition === stackPartition) return;
  fail(site, prop, `${quote(arn)} is in the partition '${partition}', but the stack is in ${Stack.of(scope).region} (partition '${stackPartition}'), `
    + 'and principals of another partition can never assume the role',
  `name principals of the partition '${stackPartition}' (arn:${stackPartition}:iam::...)`);
}

/**
 * An exact principal ARN (a Principal element): IAM refuses wildcards there when the policy
 * is deployed, so they are refused at synthesis.
 */
export function validateNoWildcardPrincipal(site: ErrorSite, prop: string, arn: string, fix: string): void {
  if (Token.isUnresolved(arn) || !hasWildcard(arn)) return;
  fail(site, prop, `${quote(arn)} contains a wildcard, but IAM refuses wildcards in a trust policy's Principal (the deployment fails)`, fix);
}

/** What a set of `aws:PrincipalArn` patterns narrows. */
export interface PrincipalArnPatternContext {
  /** The accounts trusted through their root. */
  readonly accounts: readonly string[];
  /** The exact roles trusted. */
  readonly roleArns: readonly string[];
  /** The organizations trusted. */
  readonly organizationIds: readonly string[];
  /** Whether account-wide trust was opted in to. */
  readonly allowAccountWideTrust: boolean;
}

/**
 * Validates `aws:PrincipalArn` patterns against the trust they narrow:
 * - the shape of an IAM role or user ARN (pattern);
 * - with account roots or organizations, a pattern that matches every role or user (of an
 *   account, or of every account) narrows nothing;
 * - a wildcard account only with an organization (`aws:PrincipalOrgID` keeps other accounts out);
 * - with account roots and no organization, a pattern for an account that is not trusted
 *   can never match;
 * - the partition of the stack.
 */
export function validatePrincipalArnPatterns(
  site: ErrorSite, prop: string, scope: IConstruct, patterns: readonly string[], trust: PrincipalArnPatternContext,
): void {
  const widens = trust.accounts.length > 0 || trust.organizationIds.length > 0;
  for (const pattern of patterns) {
    if (Token.isUnresolved(pattern)) continue;
    const shape = ARN_PATTERN_SHAPE.exec(pattern);
    if (shape && widens && !principalArnPatternNarrows(pattern)) {
      const account = shape[2];
      const whose = hasWildcard(account) || account === '' ? 'of every account' : `of account ${account}`;
      const example = `arn:aws:iam::${ACCOUNT_ID.test(account) ? account : '111122223333'}:role/deploy/*`;
      fail(site, prop, `${quote(pattern)} matches every role and user ${whose}, so it narrows nothing of the trusted ${trust.organizationIds.length > 0 ? 'organization' : 'account root'}`,
        trust.allowAccountWideTrust
          ? `name the role, or a path prefix such as '${example}'; or leave the pattern out, since allowAccountWideTrust already trusts every principal there`
          : `name the role, or a path prefix such as '${example}'; or leave the pattern out and set allowAccountWideTrust: true to opt in to trusting every principal there`);
    }
    const m = PRINCIPAL_ARN_PATTERN.exec(pattern);
    if (!m) {
      fail(site, prop, `${quote(pattern)} is not an IAM role or user ARN (pattern)`,
        'pass e.g. \'arn:aws:iam::111122223333:role/deploy-*\'; the account may be \'*\' with trustedOrganizationIds, the role or user name may use * and ?');
    }
    const account = m[2];
    if (hasWildcard(account) && trust.organizationIds.length === 0) {
      fail(site, prop, `${quote(pattern)} has a wildcard in the account, which only narrows an organization (aws:PrincipalOrgID keeps other accounts out)`,
        'write the trusted account\'s id in the pattern (one pattern per account), or trust the organization with trustedOrganizationIds');
    }
    validatePartition(site, prop, scope, pattern);
    if (ACCOUNT_ID.test(account) && trust.accounts.length > 0 && trust.organizationIds.length === 0) {
      const trusted = trustedAccountsOf(trust);
      if (trusted !== undefined && !trusted.includes(account)) {
        fail(site, prop, `${quote(pattern)} is for account ${account}, but the trusted accounts are ${trusted.join(', ')}, so it can never match`,
          `write the trusted account in the pattern, e.g. '${pattern.replace(`:iam::${account}:`, `:iam::${trusted[0]}:`)}', or add ${account} to trustedAccounts`);
      }
    }
  }
}

/** The accounts trusted through their root or an exact role, or undefined when one is a token. */
function trustedAccountsOf(trust: PrincipalArnPatternContext): string[] | undefined {
  const accounts: string[] = [];
  for (const a of trust.accounts) {
    if (Token.isUnresolved(a)) return undefined;
    accounts.push(a);
  }
  for (const arn of trust.roleArns) {
    if (Token.isUnresolved(arn)) return undefined;
    const account = /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
    if (account !== undefined) accounts.push(account);
  }
  return [...new Set(accounts)];
}
