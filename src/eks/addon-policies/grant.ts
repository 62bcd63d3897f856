import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct, IConstruct } from 'constructs';
import { ErrorSite } from '../../core/errors';
import { validateNotEmpty } from '../../core/validation';

/** One statement of a catalog policy (internal). */
export interface Grant {
  readonly actions: string[];
  readonly resources: string[];
  readonly conditions?: Record<string, unknown>;
  /** Why a resource ends in a wildcard; becomes the reason of the AwsSolutions-IAM5 acknowledgement. */
  readonly why?: string;
}

/** A controller's statements, with ARNs in the partition, account and region of `scope`'s stack. */
export type GrantBuilder = (scope: Construct) => Grant[];

/** A controller of the catalog: who the policy is for, and its statements. */
export interface CatalogEntry {
  /** The controller, e.g. `aws-ebs-csi-driver`. */
  readonly controller: string;
  /** The construct id of its managed policies, without the `Policy` suffix. */
  readonly id: string;
  readonly grants: GrantBuilder;
}

export const NO_RESOURCE_LEVEL = 'these actions have no resource-level permissions, so IAM only accepts Resource "*"';

export function toStatement(grant: Grant): iam.PolicyStatement {
  return new iam.PolicyStatement({ actions: grant.actions, resources: grant.resources, conditions: grant.conditions as any });
}

/** An ARN of the scope's stack: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export function arn(scope: IConstruct, service: string, resource: string, options: { account?: string } = {}): string {
  return Stack.of(scope).formatArn({ service, resource, account: options.account, arnFormat: ArnFormat.NO_RESOURCE_NAME });
}

/** One statement per tag, as the published policies do (any one tag qualifies). */
export function tagConditions(actions: string[], resource: string, prefix: string, tags: Record<string, string>, why: string): Grant[] {
  return Object.entries(tags).map(([tag, value]) => ({
    actions,
    resources: [resource],
    conditions: { [value.includes('*') ? 'StringLike' : 'StringEquals']: { [`${prefix}/${tag}`]: value } },
    why,
  }));
}

/** The error site of a catalog factory: `AddonPolicy '<factory>'`. */
export function siteFor(factory: string): ErrorSite {
  return { kind: 'AddonPolicy', path: factory };
}

export function validateZones(site: ErrorSite, options: { readonly hostedZones: route53.IHostedZone[] }): void {
  validateNotEmpty(site, 'hostedZones', options.hostedZones ?? [], 'give the hosted zones whose records the controller manages');
}
