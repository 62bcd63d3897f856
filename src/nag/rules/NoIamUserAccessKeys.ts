import { parse } from 'path';
import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag/lib/nag-rules';

/**
 * The app creates no IAM user access keys (`AWS::IAM::AccessKey`). Long-lived keys leak;
 * every caller this library serves can use temporary credentials instead (a role, OIDC
 * federation, IAM Roles Anywhere or Identity Center).
 * @param node the CfnResource to check
 */
export default Object.defineProperty((node: CfnResource): NagRuleCompliance => {
  return node.cfnResourceType === 'AWS::IAM::AccessKey' ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.NOT_APPLICABLE;
}, 'name', { value: parse(__filename).name });
