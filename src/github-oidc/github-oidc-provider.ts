import { RemovalPolicy, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { GITHUB_DEFAULT_AUDIENCE, GITHUB_ISSUER } from './private/validation';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { validateAccountId, quote } from '../core/validation';
import { guardOneProviderPerAccount, ImportedOidcProvider, validateClientIds, validateThumbprints } from '../core/web-identity';


/** A GitHub Actions OIDC provider in IAM. */
export interface IGitHubOidcProvider extends iam.IOidcProvider {
  /**
   * The issuer without `https://`: `token.actions.githubusercontent.com`, with
   * `/<enterprise>` for an enterprise's unique issuer, or `<host>/_services/token` for
   * GitHub Enterprise Server. The prefix of the trust policy condition keys.
   */
  readonly issuer: string;
}

/** Which GitHub issues the tokens. Shared by {@link GitHubOidcProviderProps} and imports. */
export interface GitHubIssuerOptions {
  /**
   * The enterprise slug, when the enterprise uses a unique issuer URL
   * (`https://token.actions.githubusercontent.com/<enterprise>`).
   *
   * @default - the standard GitHub.com issuer
   * @see https://docs.github.com/en/enterprise-cloud@latest/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#switching-to-a-unique-token-url
   */
  readonly enterpriseSlug?: string;

  /**
   * The host of a GitHub Enterprise Server instance; its issuer is
   * `https://<host>/_services/token`.
   *
   * @default - GitHub.com
   */
  readonly serverHost?: string;
}

/** Options for {@link GitHubOidcProvider.fromAccount}. */
export interface GitHubOidcProviderImportOptions extends GitHubIssuerOptions {
  /**
   * The account that holds the provider.
   *
   * @default - the account of the scope's stack
   */
  readonly account?: string;
}

/** Properties for a {@link GitHubOidcProvider}. */
export interface GitHubOidcProviderProps extends GitHubIssuerOptions {
  /**
   * The audiences (client ids) tokens may be minted for.
   *
   * @default ['sts.amazonaws.com'], what aws-actions/configure-aws-credentials requests
   */
  readonly clientIds?: string[];

  /**
   * Server certificate thumbprints (SHA-1, 40 hex characters), at most 5.
   *
   * IAM ignores them for GitHub.com, whose certificates it validates against trusted
   * root CAs; a GitHub Enterprise Server with a private CA needs one.
   *
   * @default - none
   */
  readonly thumbprints?: string[];

  /**
   * What happens to the provider when it leaves the stack. Every pipeline of the account
   * depends on it, so it is retained by default.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Validates the issuer options and returns the issuer (host/path). */
function githubIssuer(site: ErrorSite, options: GitHubIssuerOptions): string {
  const { enterpriseSlug, serverHost } = options;
  if (enterpriseSlug !== undefined && serverHost !== undefined) {
    fail(site, 'enterpriseSlug', 'both enterpriseSlug and serverHost are set',
      'set enterpriseSlug for a GitHub Enterprise Cloud unique issuer, or serverHost for GitHub Enterprise Server, not both');
  }
  if (enterpriseSlug !== undefined) {
    if (!Token.isUnresolved(enterpriseSlug) && !SLUG.test(enterpriseSlug)) {
      fail(site, 'enterpriseSlug', `${quote(enterpriseSlug)} is not an enterprise slug`, 'use the slug from the enterprise URL, e.g. \'acme\' for github.com/enterprises/acme');
    }
    return `${GITHUB_ISSUER}/${enterpriseSlug}`;
  }
  if (serverHost !== undefined) {
    if (!Token.isUnresolved(serverHost) && !HOST.test(serverHost)) {
      fail(site, 'serverHost', `${quote(serverHost)} is not a host name`, 'give the host only, e.g. \'github.acme.com\' (no https:// and no path)');
    }
    return `${serverHost}/_services/token`;
  }
  return GITHUB_ISSUER;
}

/**
 * The IAM OIDC provider for GitHub Actions: a native `AWS::IAM::OIDCProvider` (no
 * custom-resource Lambda) for GitHub.com, an enterprise's unique issuer, or a GitHub
 * Enterprise Server.
 *
 * IAM allows one provider per issuer per account: define it once (synthesis fails when
 * an app defines two for one account) and import it elsewhere with
 * {@link GitHubOidcProvider.fromAccount}.
 *
 * @example
 * const provider = new GitHubOidcProvider(this, 'GitHub');
 */
export class GitHubOidcProvider extends iam.OidcProviderNative implements IGitHubOidcProvider {
  /**
   * Imports the GitHub provider that already exists in an account. Its ARN is derived
   * from the issuer (`arn:<partition>:iam::<account>:oidc-provider/<issuer>`); nothing is
   * looked up.
   */
  public static fromAccount(scope: Construct, id: string, options: GitHubOidcProviderImportOptions = {}): IGitHubOidcProvider {
    const site = siteOf('GitHubOidcProvider.fromAccount', scope, id);
    if (options.account !== undefined) validateAccountId(site, 'account', options.account);
    return new ImportedOidcProvider(scope, id, githubIssuer(site, options), options.account);
  }

  /** The issuer without `https://`, the prefix of trust policy condition keys. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: GitHubOidcProviderProps = {}) {
    const site = siteOf('GitHubOidcProvider', scope, id);
    const issuer = githubIssuer(site, props);
    const clientIds = props.clientIds ?? [GITHUB_DEFAULT_AUDIENCE];
    validateClientIds(site, 'clientIds', clientIds);
    const thumbprints = props.thumbprints ?? [];
    validateThumbprints(site, 'thumbprints', thumbprints);
    super(scope, id, {
      url: `https://${issuer}`,
      clientIds,
      thumbprints: thumbprints.length > 0 ? thumbprints : undefined,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.issuer = issuer;
    guardOneProviderPerAccount(this, 'GitHubOidcProvider', `https://${issuer}`, 'GitHubOidcProvider.fromAccount(scope, id)');
  }
}
