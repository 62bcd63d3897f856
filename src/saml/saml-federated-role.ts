import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { SamlAudience } from './saml-audience';
import { SamlCondition } from './saml-condition';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { TrustStatement } from '../core/trust-policy';
import { duplicatesOf, quote, validateArn } from '../core/validation';

/** Properties for a {@link SamlFederatedRole}. */
export interface SamlFederatedRoleProps extends PatternRoleProps {
  /**
   * The IAM SAML provider of the identity provider, e.g. an `iam.SamlProvider` or one
   * imported with `iam.SamlProvider.fromSamlProviderArn`. Give either `provider` or
   * `metadataDocument`.
   *
   * @default - a provider is created from `metadataDocument`
   */
  readonly provider?: iam.ISamlProvider;

  /**
   * The identity provider's SAML metadata document; the role then creates its own
   * `iam.SamlProvider` (exposed as `provider`). To share one provider between several
   * roles, create an `iam.SamlProvider` yourself and pass it as `provider`.
   *
   * @default - use `provider`
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml.html
   */
  readonly metadataDocument?: iam.SamlMetadataDocument;

  /**
   * The accepted assertion audiences (`SAML:aud`, always `StringEquals`): the sign-in
   * endpoints the identity provider posts assertions to. Add
   * `SamlAudience.regional(region)` for identity providers configured with a regional
   * sign-in endpoint.
   *
   * @default [SamlAudience.global()] - the sign-in endpoint of the stack's partition
   * @see https://docs.aws.amazon.com/general/latest/gr/signin-service.html
   */
  readonly audiences?: SamlAudience[];

  /**
   * Conditions on other attributes of the assertion (subject, subject type, issuer ...).
   *
   * @default - only the audience is required
   */
  readonly conditions?: SamlCondition[];

  /**
   * Allow the identity provider to pass session tags (`sts:TagSession`), from
   * `https://aws.amazon.com/SAML/Attributes/PrincipalTag:*` attributes.
   *
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html#id_session-tags_adding-assume-role-saml
   */
  readonly allowSessionTags?: boolean;

  /**
   * Allow the identity provider to set a source identity (`sts:SetSourceIdentity`), from
   * the `https://aws.amazon.com/SAML/Attributes/SourceIdentity` attribute; it then follows
   * the session through role chaining and appears in CloudTrail.
   *
   * @default false
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_control-access_monitor.html
   */
  readonly allowSourceIdentity?: boolean;
}

/**
 * A role that users of an enterprise SAML 2.0 identity provider (Entra ID, Okta, ADFS,
 * Ping ...) assume with `sts:AssumeRoleWithSAML`, in the console or through the API.
 *
 * The trust always requires the assertion's audience (`SAML:aud`): by default the
 * sign-in endpoint of the stack's partition, and any regional endpoints the identity
 * provider uses. The same audience serves the console (the sign-in endpoint calls STS
 * with the assertion) and the API (CLI tools pass the same assertion to
 * `AssumeRoleWithSAML`).
 *
 * @example
 * new SamlFederatedRole(this, 'Admins', {
 *   metadataDocument: iam.SamlMetadataDocument.fromFile('idp-metadata.xml'),
 *   conditions: [SamlCondition.subjectType(SamlSubjectType.PERSISTENT)],
 * });
 */
export class SamlFederatedRole extends PatternRole {
  /** The trusted SAML provider. */
  public readonly provider: iam.ISamlProvider;

  private readonly statement: TrustStatement;
  private readonly audiences: string[] = [];

  constructor(scope: Construct, id: string, props: SamlFederatedRoleProps) {
    const site = patternRoleSite('SamlFederatedRole', scope, id, props);
    if ((props.provider === undefined) === (props.metadataDocument === undefined)) {
      fail(site, 'provider', props.provider === undefined ? 'neither provider nor metadataDocument is set' : 'both provider and metadataDocument are set',
        'give the IAM SAML provider, or the identity provider\'s metadata document to create one');
    }
    if (props.provider !== undefined) {
      validateArn(site, 'provider', props.provider.samlProviderArn, {
        service: 'iam', resource: /^saml-provider\/[\w.-]{1,128}$/, example: 'arn:aws:iam::111122223333:saml-provider/Okta',
      });
    }
    if (props.audiences !== undefined && props.audiences.length === 0) {
      fail(site, 'audiences', 'the list is empty', 'leave audiences out for the sign-in endpoint of the stack\'s partition, or list the endpoints the identity provider uses');
    }
    const conditions = (props.conditions ?? []).map(c => c._toTrustCondition(site));
    super(scope, id, 'SamlFederatedRole', props);

    this.provider = props.provider ?? new iam.SamlProvider(this, 'Provider', { metadataDocument: props.metadataDocument! });
    const actions = ['sts:AssumeRoleWithSAML'];
    if (props.allowSessionTags) actions.push('sts:TagSession');
    if (props.allowSourceIdentity) actions.push('sts:SetSourceIdentity');
    const audiences = this.renderAudiences(site, props.audiences ?? [SamlAudience.global()]);
    this.statement = this.trust.addStatement({
      principals: [new iam.SamlPrincipal(this.provider, {})],
      actions,
      conditions: [TrustCondition.stringEquals('SAML:aud', audiences), ...conditions],
    });
  }

  /** Accepts assertions for more sign-in endpoints, e.g. `SamlAudience.regional('eu-west-1')`. */
  public addAudiences(...audiences: SamlAudience[]): void {
    const site = siteOf('SamlFederatedRole', this);
    this.statement.addConditions(TrustCondition.stringEquals('SAML:aud', this.renderAudiences(site, audiences)));
  }

  /** Requires more attributes of the assertion. */
  public addConditions(...conditions: SamlCondition[]): void {
    const site = siteOf('SamlFederatedRole', this);
    this.statement.addConditions(...conditions.map(c => c._toTrustCondition(site)));
  }

  private renderAudiences(site: ErrorSite, audiences: SamlAudience[]): string[] {
    const urls = audiences.map(a => a._render(this, site));
    const dup = duplicatesOf([...this.audiences, ...urls]);
    if (dup.length > 0) {
      fail(site, 'audiences', `${dup.map(quote).join(', ')} ${dup.length === 1 ? 'is' : 'are'} listed more than once`, 'list each sign-in endpoint once');
    }
    this.audiences.push(...urls);
    return urls;
  }
}
