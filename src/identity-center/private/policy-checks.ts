import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { MAX_INLINE_POLICY_SIZE } from './validation';
import { ErrorSite, fail } from '../../core/errors';
import { estimatePolicyLength } from '../../core/policy-size';
import { deployTime, ResolvedValueReader } from '../../core/trust-reader';
import { quote } from '../../core/validation';

/**
 * The policy checks of a permission set: AWS managed policies by ARN only, and an inline
 * policy that is an identity policy within IAM's inline policy quota per role.
 */

/**
 * Reads the literal parts of a policy ARN; every part known only at deploy time (the
 * partition included) reads as a `⟨...⟩` marker.
 */
const ARN_READER = new ResolvedValueReader({ partition: deployTime('partition') });

/** A `⟨...⟩` marker of a part known only at deploy time. */
const DEPLOY_TIME_PART = /⟨[^⟩]*⟩/g;

/** A value that is one marker: wholly known only at deploy time. */
const WHOLLY_DEPLOY_TIME = /^⟨[^⟩]*⟩$/;

/**
 * Permission sets attach AWS managed policies by ARN (`arn:<partition>:iam::aws:policy/...`);
 * customer managed ones only by name. The ARN is checked on its literal parts, so
 * `fromManagedPolicyName` (`arn:<partition>:iam::<account>:policy/x`) is refused too;
 * an ARN that is entirely a token (a parameter) cannot be checked.
 */
export function validateAwsManaged(site: ErrorSite, prop: string, scope: Construct, policy: iam.IManagedPolicy): void {
  const resolved = Stack.of(scope).resolve(policy.managedPolicyArn);
  const shape = ARN_READER.flatten(resolved);
  const opaque = WHOLLY_DEPLOY_TIME.test(shape);
  if (policy instanceof iam.ManagedPolicy || (!opaque && !shape.includes(':iam::aws:policy/'))) {
    const shown = typeof resolved === 'string' ? quote(resolved) : policy instanceof iam.ManagedPolicy ? `'${policy.node.path}'` : quote(shape.replace(DEPLOY_TIME_PART, '${Token}'));
    fail(site, prop, `${shown} is not an AWS managed policy (Identity Center only accepts arn:<partition>:iam::aws:policy/... here)`,
      'reference customer managed policies by name in customerManagedPolicies: [{ name, path }]; a policy of that name must exist in every target account');
  }
}

/** The inline policy's problems, for `node.addValidation`: statements added later are checked too. */
export function inlinePolicyErrors(scope: Construct, doc: iam.PolicyDocument): string[] {
  const errors = doc.validateForIdentityPolicy();
  const size = inlinePolicySize(scope, doc);
  if (size > MAX_INLINE_POLICY_SIZE) {
    errors.push(`the inline policy is ${size} characters without whitespace, above ${INLINE_POLICY_LIMIT}`);
  }
  return errors;
}

/** Refuses an inline policy that is not an identity policy, or above the size limit. */
export function validateInlinePolicy(site: ErrorSite, scope: Construct, doc: iam.PolicyDocument): void {
  const identityErrors = doc.validateForIdentityPolicy();
  if (identityErrors.length > 0) {
    fail(site, 'inlinePolicy', identityErrors.join('; '), 'write identity policy statements: no Principal, and at least one Resource');
  }
  const size = inlinePolicySize(scope, doc);
  if (size > MAX_INLINE_POLICY_SIZE) {
    fail(site, 'inlinePolicy', `the policy is ${size} characters without whitespace, above ${INLINE_POLICY_LIMIT}`,
      'move statements into customer managed policies, or merge statements and use wildcards in action names');
  }
}

/** Which limit the inline policy size check enforces, and why. */
const INLINE_POLICY_LIMIT = `IAM's quota of ${MAX_INLINE_POLICY_SIZE} characters of inline policy per role: `
  + 'Identity Center accepts up to 32,768 but provisions the set as a role in each target account, where IAM refuses it';

/** Characters without whitespace; values behind intrinsics are estimated. */
function inlinePolicySize(scope: Construct, doc: iam.PolicyDocument): number {
  const resolved = Stack.of(scope).resolve(doc);
  const { length, estimated } = estimatePolicyLength(resolved);
  return estimated ? length : JSON.stringify(resolved).replace(/\s/g, '').length;
}
