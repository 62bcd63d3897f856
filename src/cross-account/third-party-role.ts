import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { validateNoWildcardPrincipal, validatePartition } from './private/principal-arns';
import { fail } from '../core/errors';
import { PatternRole, patternRoleSite } from '../core/pattern-role';
import { PatternRoleProps } from '../core/pattern-role-props.generated';
import { TrustCondition } from '../core/trust-condition';
import { validateAccountId, validateExternalId, validateRoleArn } from '../core/validation';

/** Properties for a {@link ThirdPartyRole}. */
export interface ThirdPartyRoleProps extends PatternRoleProps {
  /**
   * The vendor's AWS account id, from the vendor's integration guide.
   *
   * Give either `vendorAccountId` or `vendorRoleArn`.
   *
   * @default - use `vendorRoleArn`
   */
  readonly vendorAccountId?: string;

  /**
   * The exact role the vendor assumes from, when the vendor publishes one (narrower
   * than its whole account). No wildcards: IAM refuses them in a Principal.
   *
   * @default - use `vendorAccountId`
   */
  readonly vendorRoleArn?: string;

  /**
   * The external id the vendor generated for your account (`sts:ExternalId`).
   *
   * It prevents the confused-deputy problem: another customer of the vendor cannot make
   * the vendor assume your role. It is unique per customer but not a secret. 2-1,224
   * characters of `[\w+=,.@:/-]`.
   *
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
   */
  readonly externalId: string;
}

/**
 * A role a SaaS vendor (Datadog, JFrog, Snowflake ...) assumes into your account, always
 * with the external id the vendor generated for you.
 *
 * @example
 * const datadog = new ThirdPartyRole(this, 'Datadog', {
 *   vendorAccountId: '464622532012',
 *   externalId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
 *   managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('SecurityAudit')],
 * });
 */
export class ThirdPartyRole extends PatternRole {
  constructor(scope: Construct, id: string, props: ThirdPartyRoleProps) {
    const site = patternRoleSite('ThirdPartyRole', scope, id, props);
    if ((props.vendorAccountId === undefined) === (props.vendorRoleArn === undefined)) {
      fail(site, 'vendorAccountId', props.vendorAccountId === undefined
        ? 'neither vendorAccountId nor vendorRoleArn is set'
        : 'both vendorAccountId and vendorRoleArn are set',
      'give exactly one: the vendor role ARN when the vendor publishes one, otherwise its account id');
    }
    if (props.vendorAccountId !== undefined) validateAccountId(site, 'vendorAccountId', props.vendorAccountId);
    if (props.vendorRoleArn !== undefined) {
      validateNoWildcardPrincipal(site, 'vendorRoleArn', props.vendorRoleArn,
        'give the exact role ARN from the vendor\'s integration guide, or the vendor\'s account with vendorAccountId');
      validateRoleArn(site, 'vendorRoleArn', props.vendorRoleArn);
      validatePartition(site, 'vendorRoleArn', scope, props.vendorRoleArn);
    }
    if (props.externalId === undefined || props.externalId === null) {
      fail(site, 'externalId', 'no external id is set', 'pass the external id from the vendor\'s integration page');
    }
    validateExternalId(site, 'externalId', props.externalId);
    super(scope, id, 'ThirdPartyRole', props);

    const principal = props.vendorRoleArn !== undefined
      ? new iam.ArnPrincipal(props.vendorRoleArn)
      : new iam.AccountPrincipal(props.vendorAccountId);
    this.trust.addStatement({
      principals: [principal],
      actions: ['sts:AssumeRole'],
      conditions: [TrustCondition.stringEquals('sts:ExternalId', [props.externalId])],
    });
  }
}
