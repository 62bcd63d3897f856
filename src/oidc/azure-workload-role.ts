import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { hasWildcard } from '../core/comparison';
import { ErrorSite, fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { quote, validateLength, validateNoDuplicates, validateNotEmpty } from '../core/validation';
import { addWebIdentityStatement, oidcProviderArn, validateProviderAccount } from '../core/web-identity';

/**
 * The version of the Microsoft Entra ID access tokens the workload presents, which sets
 * the issuer (`iss`) and so the IAM OIDC provider and the condition keys.
 *
 * @see https://learn.microsoft.com/en-us/azure/active-directory/develop/access-tokens
 */
export enum AzureTokenVersion {
  /**
   * v1.0 tokens, issuer `https://sts.windows.net/<tenant>/` (with the trailing slash): what
   * a managed identity gets for an app registration that keeps the default
   * `accessTokenAcceptedVersion` (null or 1).
   */
  V1 = 'v1',
  /**
   * v2.0 tokens, issuer `https://login.microsoftonline.com/<tenant>/v2.0`: an app
   * registration whose manifest sets `accessTokenAcceptedVersion: 2`.
   */
  V2 = 'v2',
}

/** Properties for an {@link AzureWorkloadRole}. */
export interface AzureWorkloadRoleProps extends PatternRoleProps {
  /** The Microsoft Entra ID tenant (directory) id, a GUID. The issuer names it, so it pins the tenant. */
  readonly tenantId: string;

  /**
   * The object (principal) ids of the managed identities or service principals that may
   * assume the role: the token's `sub` (`<issuer>:sub`, StringEquals). At least one GUID.
   */
  readonly objectIds: string[];

  /**
   * The audience the workload requests its token for (`<issuer>:aud`, StringEquals): the
   * Application ID URI (`api://...`) of an app registration of your tenant for AWS, or, for
   * v2.0 tokens, its client id. Prefer an app registration with "assignment required", so
   * that only the identities you assign to it get a token at all.
   */
  readonly audience: string;

  /**
   * The version of the tokens, which sets the issuer.
   *
   * @default AzureTokenVersion.V1
   */
  readonly tokenVersion?: AzureTokenVersion;

  /**
   * The IAM OIDC provider of the tenant's issuer in this role's account, e.g. an
   * `iam.OidcProviderNative` with url `https://sts.windows.net/<tenant>/` and the audience
   * as client id.
   *
   * @default - the provider `arn:<partition>:iam::<this account>:oidc-provider/<issuer>`, which must exist
   */
  readonly provider?: iam.IOidcProvider;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * A role that Azure workloads (a managed identity, or AKS workload identity) assume with
 * their Microsoft Entra ID access token, through the IAM OIDC provider of the tenant's
 * issuer: the issuer pins the tenant, the audience your app registration for AWS, the
 * subject one identity's object id.
 *
 * @example
 * new AzureWorkloadRole(this, 'FromAzure', {
 *   tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *   audience: 'api://aws-reader',
 *   objectIds: ['9d6f7c4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f'],
 * });
 *
 * @see https://aws.amazon.com/blogs/security/how-to-access-aws-resources-from-microsoft-entra-id-tenants-using-aws-security-token-service/
 */
export class AzureWorkloadRole extends PatternRole {
  /** The issuer (host and path, as in the condition keys), e.g. `sts.windows.net/<tenant>/`. */
  public readonly issuer: string;

  /** The ARN of the trusted OIDC provider. */
  public readonly providerArn: string;

  constructor(scope: Construct, id: string, props: AzureWorkloadRoleProps) {
    const site = patternRoleSite('AzureWorkloadRole', scope, id, props);
    validateGuid(site, 'tenantId', props.tenantId, 'the tenant (directory) id from az account show --query tenantId');
    validateNotEmpty(site, 'objectIds', props.objectIds ?? [], 'give the object (principal) id of each managed identity, e.g. from az identity show --query principalId');
    validateNoDuplicates(site, 'objectIds', props.objectIds);
    props.objectIds.forEach(o => validateGuid(site, 'objectIds', o, 'the object (principal) id of the managed identity, e.g. from az identity show --query principalId'));
    validateAudience(site, props.audience);
    super(scope, id, 'AzureWorkloadRole', props);

    const tenant = Token.isUnresolved(props.tenantId) ? props.tenantId : props.tenantId.toLowerCase();
    this.issuer = (props.tokenVersion ?? AzureTokenVersion.V1) === AzureTokenVersion.V2
      ? `login.microsoftonline.com/${tenant}/v2.0`
      : `sts.windows.net/${tenant}/`;
    this.providerArn = props.provider?.oidcProviderArn ?? oidcProviderArn(this, this.issuer);
    validateProviderAccount(site, 'provider', this, this.providerArn);
    addWebIdentityStatement(this.trust, {
      providerArn: this.providerArn,
      issuer: this.issuer,
      audiences: [props.audience],
      subjects: props.objectIds.map(o => (Token.isUnresolved(o) ? o : o.toLowerCase())),
    });
  }
}

function validateGuid(site: ErrorSite, prop: string, value: string, what: string): void {
  if (Token.isUnresolved(value)) return;
  if (!GUID.test(value)) {
    fail(site, prop, `${quote(value)} is not a GUID`, `give ${what}, e.g. '72f988bf-86f1-41af-91ab-2d7cd011db47'`);
  }
}

function validateAudience(site: ErrorSite, value: string): void {
  if (Token.isUnresolved(value)) return;
  validateLength(site, 'audience', value, 1, 255);
  if (hasWildcard(value)) {
    fail(site, 'audience', `${quote(value)} contains a wildcard, but audiences are compared exactly (StringEquals)`,
      'give the Application ID URI of your app registration for AWS, e.g. \'api://aws-reader\'');
  }
}

