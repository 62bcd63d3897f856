import { Fn, Stack, Token } from 'aws-cdk-lib';
import { FactName } from 'aws-cdk-lib/region-info';
import { IConstruct } from 'constructs';
import { ErrorSite, fail } from '../core/errors';
import { isRegionCode, knownPartitionOf, partitionOfRegion, samlSignOnUrlOf } from '../core/regions';
import { quote } from '../core/validation';

/**
 * An accepted audience of the SAML assertions (`SAML:aud`): the AWS sign-in endpoint the
 * identity provider posts the assertion to (its `Recipient`).
 *
 * @example
 * SamlAudience.global()                // https://signin.aws.amazon.com/saml in the aws partition
 * SamlAudience.regional('eu-west-1')   // https://eu-west-1.signin.aws.amazon.com/saml
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_saml_relying-party.html
 * @see https://docs.aws.amazon.com/general/latest/gr/signin-service.html
 */
export abstract class SamlAudience {
  /**
   * The non-regional sign-in endpoint of the stack's partition:
   * `https://signin.aws.amazon.com/saml` (aws), `https://signin.amazonaws-us-gov.com/saml`
   * (aws-us-gov), `https://signin.amazonaws.cn/saml` (aws-cn).
   *
   * Read from aws-cdk-lib's region facts for the stack's region; in a stack without a
   * concrete region it becomes a CloudFormation mapping keyed by `AWS::Region`.
   */
  public static global(): SamlAudience {
    return new GlobalAudience();
  }

  /**
   * The regional sign-in endpoint of `region`, e.g. `https://eu-west-1.signin.aws.amazon.com/saml`,
   * for identity providers that post assertions to a regional endpoint. The region must
   * be in the stack's partition.
   */
  public static regional(region: string): SamlAudience {
    return new RegionalAudience(region);
  }

  /** Any other audience URL, exactly as the identity provider sets it in the assertion. */
  public static custom(url: string): SamlAudience {
    return new CustomAudience(url);
  }

  protected constructor() {}

  /**
   * The audience URL for a construct in `scope`.
   * @internal
   */
  public abstract _render(scope: IConstruct, site: ErrorSite): string;
}

/** The stack's non-regional sign-in URL, or undefined where aws-cdk-lib knows none. */
function globalUrl(scope: IConstruct): string | undefined {
  const stack = Stack.of(scope);
  if (Token.isUnresolved(stack.region)) return stack.regionalFact(FactName.SAML_SIGN_ON_URL);
  return samlSignOnUrlOf(stack.region);
}

class GlobalAudience extends SamlAudience {
  public _render(scope: IConstruct, site: ErrorSite): string {
    const url = globalUrl(scope);
    if (url === undefined) {
      fail(site, 'audiences', `aws-cdk-lib knows no SAML sign-in endpoint for region ${quote(Stack.of(scope).region)}`,
        'give the endpoint of the partition with SamlAudience.custom(\'https://signin.<partition domain>/saml\')');
    }
    return url;
  }
}

class RegionalAudience extends SamlAudience {
  constructor(private readonly region: string) {
    super();
  }

  public _render(scope: IConstruct, site: ErrorSite): string {
    const stack = Stack.of(scope);
    if (Token.isUnresolved(this.region)) {
      // Same partition as the stack: insert the region into the stack's endpoint.
      const url = new GlobalAudience()._render(scope, site);
      return Fn.join('', ['https://', this.region, '.', Fn.select(1, Fn.split('https://', url))]);
    }
    if (!isRegionCode(this.region)) {
      fail(site, 'audiences', `${quote(this.region)} is not an AWS region code`, 'pass a region code such as \'eu-west-1\'');
    }
    const url = samlSignOnUrlOf(this.region);
    if (url === undefined) {
      fail(site, 'audiences', `aws-cdk-lib knows no SAML sign-in endpoint for region ${quote(this.region)}`,
        'give the endpoint with SamlAudience.custom(url)');
    }
    const stackPartition = knownPartitionOf(stack);
    const regionPartition = partitionOfRegion(this.region);
    if (stackPartition !== undefined && regionPartition !== undefined && stackPartition !== regionPartition) {
      fail(site, 'audiences', `the region ${quote(this.region)} is in the ${regionPartition} partition, but the stack deploys to ${stackPartition}`,
        `use a region of the ${stackPartition} partition: a SAML provider only receives assertions from sign-in endpoints of its own partition`);
    }
    return url.replace(/^https:\/\//, `https://${this.region}.`);
  }
}

class CustomAudience extends SamlAudience {
  constructor(private readonly url: string) {
    super();
  }

  public _render(_scope: IConstruct, site: ErrorSite): string {
    if (!Token.isUnresolved(this.url)) {
      let parsed: URL | undefined;
      try {
        parsed = new URL(this.url);
      } catch {
        parsed = undefined;
      }
      if (!parsed || parsed.protocol !== 'https:' || /[*?]/.test(this.url)) {
        fail(site, 'audiences', `${quote(this.url)} is not an https URL`,
          'give the sign-in endpoint the identity provider posts the assertion to, e.g. \'https://signin.aws.amazon.com/saml\'');
      }
    }
    return this.url;
  }
}
