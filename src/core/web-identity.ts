import { CfnResource, Fn, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct, IConstruct } from 'constructs';
import { ErrorSite, fail } from './errors';
import { TrustCondition } from './trust-condition';
import { TrustPolicy, TrustStatement } from './trust-policy';
import { quote } from './validation';

/** What a web identity (OIDC) trust statement is made of. */
export interface WebIdentityTrust {
  /** The IAM OIDC provider ARN (the `Federated` principal). */
  readonly providerArn: string;
  /** The issuer without `https://` (host and path): the prefix of the condition keys. May be a token. */
  readonly issuer: string;
  /** Accepted token audiences (`<issuer>:aud`, always StringEquals). */
  readonly audiences: string[];
  /** Accepted token subjects (`<issuer>:sub`, StringEquals or StringLike per value). */
  readonly subjects: string[];
  /** Further conditions, e.g. on other claims. */
  readonly conditions?: TrustCondition[];
}

/** Adds the `sts:AssumeRoleWithWebIdentity` statement for an OIDC provider. */
export function addWebIdentityStatement(trust: TrustPolicy, t: WebIdentityTrust): TrustStatement {
  return trust.addStatement({
    principals: [new iam.FederatedPrincipal(t.providerArn, {}, 'sts:AssumeRoleWithWebIdentity')],
    actions: ['sts:AssumeRoleWithWebIdentity'],
    conditions: [
      TrustCondition.stringEquals(`${t.issuer}:aud`, t.audiences),
      subjectCondition(t.issuer, t.subjects),
      ...(t.conditions ?? []),
    ],
  });
}

/**
 * The `<issuer>:sub` condition of a web identity statement: exact subjects compare with
 * StringEquals, patterns with StringLike. Added to a statement later, the subjects merge
 * into its existing `sub` condition.
 */
export function subjectCondition(issuer: string, subjects: string[]): TrustCondition {
  return TrustCondition.stringMatches(`${issuer}:sub`, subjects);
}

/**
 * STS accepts a web identity token only through an IAM OIDC provider in the role's own
 * account: a trust naming another account's provider can never be assumed. Checked when
 * both accounts are known at synthesis.
 */
export function validateProviderAccount(site: ErrorSite, prop: string, role: IConstruct, providerArn: string): void {
  const stack = Stack.of(role);
  if (Token.isUnresolved(stack.account)) return;
  const accounts = providerAccountsIn(stack, providerArn);
  if (accounts.length === 1 && accounts[0] !== stack.account) {
    fail(site, prop, `the OIDC provider is in account ${accounts[0]}, but the role is in ${stack.account}, and STS only accepts a provider of the role's own account`,
      `create (or import with fromAccount) the provider for the same issuer in account ${stack.account}`);
  }
}

/** The accounts named in provider ARNs, by stack and ARN: the roles of a stack mostly share one provider. */
const providerAccounts = new WeakMap<Stack, Map<string, string[]>>();

/**
 * The 12-digit accounts in the `:iam::<account>:oidc-provider/` parts of a provider ARN as
 * resolved in `stack`. Resolved once per stack and ARN (a token string resolves to the
 * same intrinsic within a stack), not once per role.
 */
function providerAccountsIn(stack: Stack, providerArn: string): string[] {
  let byArn = providerAccounts.get(stack);
  if (!byArn) {
    byArn = new Map();
    providerAccounts.set(stack, byArn);
  }
  let accounts = byArn.get(providerArn);
  if (!accounts) {
    accounts = [...new Set([...JSON.stringify(stack.resolve(providerArn)).matchAll(/:iam::(\d{12}):oidc-provider\//g)].map(m => m[1]))];
    byArn.set(providerArn, accounts);
  }
  return accounts;
}

/**
 * Validates an OIDC issuer URL (`https://host[/path]`, no port, query, fragment or trailing
 * slash) and returns it without the scheme, as IAM uses it in condition keys and ARNs.
 */
export function issuerOf(site: ErrorSite, prop: string, url: string): string {
  if (Token.isUnresolved(url)) {
    return Fn.select(1, Fn.split('https://', url));
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || parsed.protocol !== 'https:' || parsed.port || parsed.search || parsed.hash || parsed.username
    || url.endsWith('/') || !/^https:\/\/[a-z0-9.-]+(\/[\w.~%!$&'()*+,;=:@-]+)*$/i.test(url)) {
    fail(site, prop, `${quote(url)} is not an OIDC issuer URL`,
      'use the issuer exactly as it appears in the token\'s iss claim: https://host[/path], without a port, query, fragment or trailing slash');
  }
  return url.slice('https://'.length);
}

/** The ARN IAM gives the OIDC provider of `issuer` (host/path) in the scope's account and partition. */
export function oidcProviderArn(scope: IConstruct, issuer: string, account?: string): string {
  return Stack.of(scope).formatArn({ service: 'iam', region: '', account, resource: 'oidc-provider', resourceName: issuer });
}

/**
 * An IAM OIDC provider that already exists in an account, known by its issuer: its ARN is
 * derived (`arn:<partition>:iam::<account>:oidc-provider/<issuer>`), nothing is looked up.
 * The base of the pattern-specific imports.
 */
export class ImportedOidcProvider extends Resource implements iam.IOidcProvider {
  public readonly oidcProviderArn: string;
  public readonly oidcProviderIssuer: string;
  /** The issuer without `https://`: the prefix of the condition keys. */
  public readonly issuer: string;

  constructor(scope: Construct, id: string, issuer: string, account?: string) {
    super(scope, id, { account });
    this.issuer = issuer;
    this.oidcProviderIssuer = issuer;
    this.oidcProviderArn = oidcProviderArn(this, issuer, account);
  }

  public get openIdConnectProviderArn(): string {
    return this.oidcProviderArn;
  }

  public get openIdConnectProviderIssuer(): string {
    return this.oidcProviderIssuer;
  }

  public get oidcProviderRef(): iam.OIDCProviderReference {
    return { oidcProviderArn: this.oidcProviderArn };
  }
}

/** Validates client ids (audiences) of a provider: 1-100 values of 1-255 characters. */
export function validateClientIds(site: ErrorSite, prop: string, values: string[]): void {
  if (values.length === 0 || values.length > 100) {
    fail(site, prop, `${values.length} client ids given`, 'give 1-100 client ids (the audiences tokens are minted for)');
  }
  for (const v of values) {
    if (!Token.isUnresolved(v) && (v.length === 0 || v.length > 255)) {
      fail(site, prop, `the client id ${quote(v)} is ${v.length} characters long`, 'use 1-255 characters');
    }
  }
}

/** Validates thumbprints: at most 5 SHA-1 fingerprints of 40 hex characters. */
export function validateThumbprints(site: ErrorSite, prop: string, values: string[]): void {
  if (values.length > 5) {
    fail(site, prop, `${values.length} thumbprints given`, 'give at most 5 (IAM\'s limit)');
  }
  for (const v of values) {
    if (!Token.isUnresolved(v) && !/^[0-9a-fA-F]{40}$/.test(v)) {
      fail(site, prop, `${quote(v)} is not a certificate thumbprint`, 'give the SHA-1 fingerprint as 40 hex characters, without colons');
    }
  }
}

/** Reads the URL of any OIDC provider resource in the tree (native L1 or the custom-resource one). */
function providerUrl(node: IConstruct): string | undefined {
  if (node instanceof iam.CfnOIDCProvider) return node.url;
  if (CfnResource.isCfnResource(node) && node.cfnResourceType === 'Custom::AWSCDKOpenIdConnectProvider') {
    return (node as any)._cfnProperties?.Url;
  }
  return undefined;
}

/**
 * IAM allows one OIDC provider per URL per account: creating a second one fails at deploy.
 * Registers a validation on `provider` that finds another provider resource for the same URL
 * in the same account (same stack, or stacks with the same concrete account) in the app.
 */
export function guardOneProviderPerAccount(provider: IConstruct, kind: string, url: string, importHint: string): void {
  provider.node.addValidation({
    validate: () => {
      if (Token.isUnresolved(url)) return [];
      const mine = Stack.of(provider);
      const myAccount = mine.account;
      for (const node of provider.node.root.node.findAll()) {
        if (provider.node.findAll().includes(node)) continue;
        const other = providerUrl(node);
        if (other === undefined || Token.isUnresolved(other) || other !== url) continue;
        const theirs = Stack.of(node);
        const sameAccount = theirs === mine || (!Token.isUnresolved(myAccount) && theirs.account === myAccount);
        if (sameAccount) {
          return [`Invalid ${kind} '${provider.node.path}': ${node.node.path} defines another OIDC provider for ${url} in the same account; ` +
            `IAM allows one provider per URL per account, so the second one fails at deploy. Define the provider once and import it elsewhere with ${importHint}.`];
        }
      }
      return [];
    },
  });
}
