import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ADMINISTRATOR_ACCESS_ARN, resolvedProperty } from '../stack-index';
import { flatten } from '../trust-statements';


/**
 * An IAM Identity Center permission set (`AWS::SSO::PermissionSet`) that attaches the
 * AWS managed `AdministratorAccess` policy also sets a `PermissionsBoundary`, so that the
 * administrators it creates cannot, for example, remove the guardrails of the account.
 * A managed policy ARN only known at deploy time is not read as `AdministratorAccess`.
 *
 * Findings: `ManagedPolicy::AdministratorAccess`.
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleResult => {
  if (node.cfnResourceType !== 'AWS::SSO::PermissionSet') return NagRuleCompliance.NOT_APPLICABLE;
  const managed = resolvedProperty(node, 'ManagedPolicies');
  const admin = Array.isArray(managed) && managed.some(arn => ADMINISTRATOR_ACCESS_ARN.test(flatten(node, arn)));
  if (!admin) return NagRuleCompliance.COMPLIANT;
  return resolvedProperty(node, 'PermissionsBoundary') === undefined ? ['ManagedPolicy::AdministratorAccess'] : NagRuleCompliance.COMPLIANT;
}, 'name', { value: parse(__filename).name });
