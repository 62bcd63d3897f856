import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { hasWildcard } from '../core/comparison';
import { ErrorSite, fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { quote, validateLength, validateNoDuplicates, validateNotEmpty } from '../core/validation';

/** Options of {@link WebIdentityProvider.google}. */
export interface GoogleSignInOptions {
  /**
   * The OAuth 2.0 client ids of your app (`NNNN-xxxx.apps.googleusercontent.com`),
   * compared with `accounts.google.com:aud`: the token's `azp` when Google sets it (hybrid
   * apps), its `aud` otherwise. At least one.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
   */
  readonly clientIds: string[];

  /**
   * Google user ids (the token's `sub`) allowed in (`accounts.google.com:sub`).
   *
   * @default - every Google user who signs in to your app
   */
  readonly userIds?: string[];
}

/** Options of {@link WebIdentityProvider.googleServiceAccount}. */
export interface GoogleServiceAccountOptions {
  /**
   * The unique ids of the Google Cloud service accounts (the 21-digit `uniqueId` of
   * `gcloud iam service-accounts describe`, not the email): compared with
   * `accounts.google.com:aud` (the ID token's `azp`) and `accounts.google.com:sub`.
   */
  readonly uniqueIds: string[];

  /**
   * The audience the workload requests for its ID token (the metadata server's
   * `audience` parameter), compared with `accounts.google.com:oaud`. It is chosen by the
   * caller, so it only pins which of your roles a token is for: the unique ids pin who.
   */
  readonly audience: string;
}

/** Options of {@link WebIdentityProvider.facebook}. */
export interface FacebookLoginOptions {
  /** The numeric Facebook app ids of your app (`graph.facebook.com:app_id`). At least one. */
  readonly appIds: string[];

  /**
   * Facebook user ids allowed in (`graph.facebook.com:id`).
   *
   * @default - every Facebook user who signs in to your app
   */
  readonly userIds?: string[];
}

/** Options of {@link WebIdentityProvider.loginWithAmazon}. */
export interface LoginWithAmazonOptions {
  /** The Login with Amazon app (client) ids of your app (`www.amazon.com:app_id`), `amzn1.application...`. At least one. */
  readonly appIds: string[];

  /**
   * Amazon user ids allowed in (`www.amazon.com:user_id`, `amzn1.account...`).
   *
   * @default - every Amazon customer who signs in to your app
   */
  readonly userIds?: string[];
}

/** What one app id value must look like, per provider. */
interface IdShape {
  readonly pattern: RegExp;
  readonly what: string;
  readonly example: string;
}

const GOOGLE_CLIENT: IdShape = {
  pattern: /^\d+-[0-9a-z]+\.apps\.googleusercontent\.com$/,
  what: 'a Google OAuth 2.0 client id',
  example: '123456789012-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com',
};
const GOOGLE_SERVICE_ACCOUNT: IdShape = {
  pattern: /^\d{21}$/,
  what: 'the unique id of a Google Cloud service account (21 digits)',
  example: '100000000000000000001 (gcloud iam service-accounts describe EMAIL --format=\'value(uniqueId)\')',
};
const FACEBOOK_APP: IdShape = { pattern: /^\d{1,32}$/, what: 'a numeric Facebook app id', example: '123456789012345' };
const AMAZON_APP: IdShape = {
  pattern: /^amzn1\.application(-oa2-client)?\.[0-9A-Za-z]+$/,
  what: 'a Login with Amazon app or client id',
  example: 'amzn1.application-oa2-client.5a9b7c1e0d3f4e2a',
};

/**
 * One of IAM's built-in web identity providers, with the app ids it trusts: Google,
 * Facebook and Login with Amazon need no IAM OIDC provider (the `Federated` principal is
 * the provider's name). The app id is always pinned, exactly; user ids optionally.
 *
 * Sign in with Apple is not built in: create an IAM OIDC provider for
 * `https://appleid.apple.com` and use `OidcFederatedRole`, or let a Cognito identity pool
 * federate Apple (`IdentityPoolRoles`).
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 */
export abstract class WebIdentityProvider {
  /** Google Sign-In users of your app: `accounts.google.com`, the client ids pinned with `accounts.google.com:aud`. */
  public static google(options: GoogleSignInOptions): WebIdentityProvider {
    return new BuiltInWebIdentityProvider('accounts.google.com', 'Google', 'clientIds', options.clientIds, GOOGLE_CLIENT,
      'accounts.google.com:aud', 'accounts.google.com:sub', options.userIds);
  }

  /**
   * Google Cloud workloads running as a service account (GCP to AWS): the Google-signed ID
   * token the metadata server issues for `audience`. The trust pins
   * `accounts.google.com:aud` (the token's `azp`) and `accounts.google.com:sub` to the
   * service account's unique id and `accounts.google.com:oaud` to the audience.
   *
   * @see https://cloud.google.com/docs/authentication/get-id-token
   */
  public static googleServiceAccount(options: GoogleServiceAccountOptions): WebIdentityProvider {
    return new BuiltInWebIdentityProvider('accounts.google.com', 'Google', 'uniqueIds', options.uniqueIds, GOOGLE_SERVICE_ACCOUNT,
      'accounts.google.com:aud', 'accounts.google.com:sub', options.uniqueIds, options.audience);
  }

  /** Facebook Login users of your app: `graph.facebook.com`, the app ids pinned with `graph.facebook.com:app_id`. */
  public static facebook(options: FacebookLoginOptions): WebIdentityProvider {
    return new BuiltInWebIdentityProvider('graph.facebook.com', 'Facebook', 'appIds', options.appIds, FACEBOOK_APP,
      'graph.facebook.com:app_id', 'graph.facebook.com:id', options.userIds);
  }

  /** Login with Amazon users of your app: `www.amazon.com`, the app ids pinned with `www.amazon.com:app_id`. */
  public static loginWithAmazon(options: LoginWithAmazonOptions): WebIdentityProvider {
    return new BuiltInWebIdentityProvider('www.amazon.com', 'Login with Amazon', 'appIds', options.appIds, AMAZON_APP,
      'www.amazon.com:app_id', 'www.amazon.com:user_id', options.userIds);
  }

  /** The `Federated` principal: `accounts.google.com`, `graph.facebook.com` or `www.amazon.com`. */
  public abstract readonly principal: string;

  /** The provider's name, e.g. `Google`. */
  public abstract readonly name: string;

  /** The key that carries the app id, e.g. `www.amazon.com:app_id`. */
  public abstract readonly appIdKey: string;

  /** The app ids (for a Google service account, its unique ids). */
  public abstract readonly appIds: string[];

  protected constructor() {}

  /**
   * Validates the ids at `site` and returns the trust conditions.
   *
   * @internal
   */
  public abstract _conditions(site: ErrorSite): TrustCondition[];
}

/** The one implementation behind the factories. */
class BuiltInWebIdentityProvider extends WebIdentityProvider {
  public readonly appIds: string[];
  private readonly userIds?: string[];

  constructor(
    public readonly principal: string,
    public readonly name: string,
    private readonly appIdProp: string,
    appIds: string[],
    private readonly shape: IdShape,
    public readonly appIdKey: string,
    private readonly userKey: string,
    userIds?: string[],
    private readonly originalAudience?: string,
  ) {
    super();
    this.appIds = [...(appIds ?? [])];
    this.userIds = userIds === undefined ? undefined : [...userIds];
  }

  public _conditions(site: ErrorSite): TrustCondition[] {
    const prop = `provider.${this.appIdProp}`;
    validateNotEmpty(site, prop, this.appIds, `give the ${this.shape.what} of your app, e.g. '${this.shape.example}'`);
    validateNoDuplicates(site, prop, this.appIds);
    for (const id of this.appIds) validateAppId(site, prop, id, this.shape);
    const conditions = [TrustCondition.stringEquals(this.appIdKey, this.appIds)];
    if (this.originalAudience !== undefined) {
      validateExact(site, 'provider.audience', this.originalAudience, 'the audience the workload requests for its ID token, e.g. \'sts.amazonaws.com\'');
      conditions.push(TrustCondition.stringEquals('accounts.google.com:oaud', [this.originalAudience]));
    }
    if (this.userIds !== undefined) {
      validateNotEmpty(site, 'provider.userIds', this.userIds, 'leave userIds out to let every user of the app in, or list the user ids');
      for (const id of this.userIds) validateExact(site, 'provider.userIds', id, 'list each user id exactly');
      conditions.push(TrustCondition.stringEquals(this.userKey, this.userIds));
    }
    return conditions;
  }
}

function validateAppId(site: ErrorSite, prop: string, value: string, shape: IdShape): void {
  if (Token.isUnresolved(value)) return;
  if (hasWildcard(value)) {
    fail(site, prop, `${quote(value)} is a pattern, and an app id pattern lets in tokens the provider mints for other apps`,
      `give ${shape.what} exactly, e.g. '${shape.example}'`);
  }
  if (!shape.pattern.test(value)) {
    fail(site, prop, `${quote(value)} is not ${shape.what}`, `give it in that form, e.g. '${shape.example}'`);
  }
}

function validateExact(site: ErrorSite, prop: string, value: string, what: string): void {
  if (Token.isUnresolved(value)) return;
  validateLength(site, prop, value, 1, 255);
  if (hasWildcard(value)) {
    fail(site, prop, `${quote(value)} contains a wildcard, but the value is compared exactly (StringEquals)`, `give ${what}`);
  }
}

/** Properties for a {@link WebIdentityRole}. */
export interface WebIdentityRoleProps extends PatternRoleProps {
  /**
   * The built-in provider and the app ids it trusts, e.g.
   * `WebIdentityProvider.google({ clientIds: ['...apps.googleusercontent.com'] })`.
   */
  readonly provider: WebIdentityProvider;

  /**
   * Further conditions, e.g. on `aws:SourceIdentity`.
   *
   * @default - none
   */
  readonly conditions?: TrustCondition[];
}

/**
 * A role that users (or Google Cloud service accounts) of IAM's built-in web identity
 * providers assume with their provider's token (`sts:AssumeRoleWithWebIdentity`): Google,
 * Facebook and Login with Amazon. The app id is always pinned exactly, so tokens the
 * provider mints for other apps are refused; user ids narrow further.
 *
 * Prefer a Cognito identity pool (`IdentityPoolRoles`) for app end-users: it federates
 * these providers and Sign in with Apple, and scopes access per identity.
 *
 * @example
 * new WebIdentityRole(this, 'GoogleUsers', {
 *   provider: WebIdentityProvider.google({ clientIds: ['123456789012-abc123.apps.googleusercontent.com'] }),
 * });
 */
export class WebIdentityRole extends PatternRole {
  /** The provider and app ids this role trusts. */
  public readonly provider: WebIdentityProvider;

  constructor(scope: Construct, id: string, props: WebIdentityRoleProps) {
    const site = patternRoleSite('WebIdentityRole', scope, id, props);
    const conditions = props.provider._conditions(site);
    super(scope, id, 'WebIdentityRole', props);
    this.provider = props.provider;
    this.trust.addStatement({
      principals: [new iam.FederatedPrincipal(props.provider.principal, {}, 'sts:AssumeRoleWithWebIdentity')],
      actions: ['sts:AssumeRoleWithWebIdentity'],
      conditions: [...conditions, ...(props.conditions ?? [])],
    });
  }
}
