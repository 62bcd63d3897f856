import { Token } from 'aws-cdk-lib';
import { ErrorSite, fail } from './errors';

/**
 * IAM's quotas on role trust policies, from "IAM and AWS STS quotas, name requirements, and
 * character limits", table "IAM object quotas" (quota "Role trust policy length", Service
 * Quotas code L-C07B4B0D): https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
 *
 * IAM counts the policy without whitespace.
 */

/** The default IAM quota for a role trust policy, in characters without whitespace. */
export const DEFAULT_TRUST_POLICY_QUOTA = 2048;

/**
 * The largest trust policy synthesis accepts when `maxTrustPolicySize` is not set: twice
 * the default quota, so that a policy above the default leaves a warning first.
 */
export const DEFAULT_MAX_TRUST_POLICY_SIZE = 4096;

/**
 * The maximum IAM documents for the adjustable quota "Role trust policy length": 8,192
 * characters (requests up to it are approved automatically). Earlier versions of the page
 * gave 4,096. No account's trust policy can be longer, so `maxTrustPolicySize` may not be.
 *
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html#reference_iam-quotas-entities
 */
export const MAX_TRUST_POLICY_QUOTA = 8192;

/**
 * Refuses a `maxTrustPolicySize` above {@link MAX_TRUST_POLICY_QUOTA}: no account's quota
 * reaches it, so a policy that long would pass synthesis and fail at deploy. Tokens and
 * values that are not positive whole numbers are left to the caller's own check.
 */
export function validateMaxTrustPolicySize(site: ErrorSite, value: number | undefined): void {
  if (value === undefined || Token.isUnresolved(value) || !Number.isInteger(value)) return;
  if (value > MAX_TRUST_POLICY_QUOTA) {
    fail(site, 'maxTrustPolicySize',
      `${value} is above ${MAX_TRUST_POLICY_QUOTA}, the largest "Role trust policy length" quota IAM documents (IAM and AWS STS quotas), so no account accepts a trust policy that long`,
      `give the quota of the target accounts, at most ${MAX_TRUST_POLICY_QUOTA} (Service Quotas, IAM, "Role trust policy length")`);
  }
}

/**
 * CloudFormation's limits per template, from "Understand CloudFormation quotas"
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html):
 * "Resources", 500 resources per template, and "Parameters", 200 parameters per template
 * (also in "CloudFormation template Parameters syntax"). Neither can be raised; a nested
 * stack is a template of its own.
 */
export const CLOUDFORMATION_MAX_RESOURCES = 500;

/** CloudFormation's limit of parameters per template (see {@link CLOUDFORMATION_MAX_RESOURCES}). */
export const CLOUDFORMATION_MAX_PARAMETERS = 200;

/**
 * EventBridge's default quota "Event pattern size", in characters, adjustable, from
 * "Amazon EventBridge quotas": https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html
 */
export const DEFAULT_EVENT_PATTERN_SIZE = 2048;
