import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { siteOf } from '../core/errors';
import { validateAccountId } from '../core/validation';
import { guardOneProviderPerAccount, ImportedOidcProvider, issuerOf, validateClientIds, validateThumbprints } from '../core/web-identity';

const GITLAB_COM = 'https://gitlab.com';

/** A GitLab OIDC provider in IAM. */
export interface IGitLabOidcProvider extends iam.IOidcProvider {
  /** The instance URL, e.g. `https://gitlab.com`: the `iss` claim and the default audience. */
  readonly url: string;
  /** The issuer without `https://`, the prefix of trust policy condition keys (e.g. `gitlab.com`). */
  readonly issuer: string;
}

/** Options for {@link GitLabOidcProvider.fromAccount}. */
export interface GitLabOidcProviderImportOptions {
  /**
   * The GitLab instance URL, exactly as in the tokens' `iss` claim.
   *
   * @default 'https://gitlab.com'
   */
  readonly url?: string;

  /**
   * The account that holds the provider.
   *
   * @default - the account of the scope's stack
   */
  readonly account?: string;
}

/** Properties for a {@link GitLabOidcProvider}. */
export interface GitLabOidcProviderProps {
  /**
   * The GitLab instance URL (`https://gitlab.com` or a self-managed instance), exactly as
   * in the tokens' `iss` claim: https, no trailing slash.
   *
   * @default 'https://gitlab.com'
   * @see https://docs.gitlab.com/ci/cloud_services/aws/
   */
  readonly url?: string;

  /**
   * The audiences (client ids) jobs request in `id_tokens.<name>.aud`.
   *
   * @default - the instance URL, as the AWS guide for GitLab uses
   */
  readonly clientIds?: string[];

  /**
   * Server certificate thumbprints (SHA-1, 40 hex characters), at most 5; needed only
   * for a self-managed instance whose certificate does not chain to a public root CA.
   *
   * @default - none
   */
  readonly thumbprints?: string[];

  /**
   * What happens to the provider when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A GitLab provider that already exists in an account. */
class ImportedGitLabOidcProvider extends ImportedOidcProvider implements IGitLabOidcProvider {
  public readonly url: string;

  constructor(scope: Construct, id: string, url: string, issuer: string, account?: string) {
    super(scope, id, issuer, account);
    this.url = url;
  }
}

/**
 * The IAM OIDC provider for GitLab CI/CD ID tokens: a native `AWS::IAM::OIDCProvider` for
 * gitlab.com or a self-managed instance. One per instance URL per account: define it once
 * and import it elsewhere with {@link GitLabOidcProvider.fromAccount}.
 *
 * @example
 * new GitLabOidcProvider(this, 'GitLab'); // https://gitlab.com, audience https://gitlab.com
 */
export class GitLabOidcProvider extends iam.OidcProviderNative implements IGitLabOidcProvider {
  /** Imports the GitLab provider that already exists in an account (nothing is looked up). */
  public static fromAccount(scope: Construct, id: string, options: GitLabOidcProviderImportOptions = {}): IGitLabOidcProvider {
    const site = siteOf('GitLabOidcProvider.fromAccount', scope, id);
    const url = options.url ?? GITLAB_COM;
    const issuer = issuerOf(site, 'url', url);
    if (options.account !== undefined) validateAccountId(site, 'account', options.account);
    return new ImportedGitLabOidcProvider(scope, id, url, issuer, options.account);
  }

  /** The instance URL. */
  public readonly url: string;

  /** The issuer without `https://`, the prefix of trust policy condition keys. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string, props: GitLabOidcProviderProps = {}) {
    const site = siteOf('GitLabOidcProvider', scope, id);
    const url = props.url ?? GITLAB_COM;
    const issuer = issuerOf(site, 'url', url);
    const clientIds = props.clientIds ?? [url];
    validateClientIds(site, 'clientIds', clientIds);
    const thumbprints = props.thumbprints ?? [];
    validateThumbprints(site, 'thumbprints', thumbprints);
    super(scope, id, {
      url,
      clientIds,
      thumbprints: thumbprints.length > 0 ? thumbprints : undefined,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.url = url;
    this.issuer = issuer;
    guardOneProviderPerAccount(this, 'GitLabOidcProvider', url, 'GitLabOidcProvider.fromAccount(scope, id, { url })');
  }
}
