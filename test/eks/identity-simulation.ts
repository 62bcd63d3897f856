import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { TEST_ACCOUNT } from '../support/env';
import { Decision } from '../support/simulate';
import { resolveIntrinsics, templateOf } from '../support/template';

/** The caller in the identity simulations: the controller's role. */
export const CONTROLLER = `arn:aws:iam::${TEST_ACCOUNT}:role/controller`;

/** The synthesized document of a managed policy, with intrinsics evaluated. */
export function managedPolicyDocument(stack: Stack, policy: iam.ManagedPolicy, overrides: Record<string, string> = {}): any {
  const template = templateOf(stack);
  const logicalId = stack.resolve((policy.node.defaultChild as iam.CfnManagedPolicy).logicalId);
  return resolveIntrinsics(template, template.Resources[logicalId].Properties.PolicyDocument, overrides);
}

function accountOf(arn: string): string {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12})?:/.exec(arn)?.[1] ?? TEST_ACCOUNT;
}

/**
 * The default key policy of a KMS key (what `kms.Key` creates): it delegates to the
 * account's IAM policies. KMS needs a key policy that allows the caller, so the identity
 * policy alone would be denied.
 */
function defaultKeyPolicy(keyArn: string): any {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountOf(keyArn)}:root` }, Action: 'kms:*', Resource: '*' }],
  };
}

/**
 * Evaluates a request by the controller's role against its identity policy with
 * `@cloud-copilot/iam-simulate`; a simulator error fails the test. KMS keys get their
 * default key policy.
 */
export async function simulateIdentity(
  document: any, action: string, resource: string, context: Record<string, string | string[]> = {},
): Promise<Decision> {
  const response = await runSimulation({
    identityPolicies: [{ name: 'addon', policy: document }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: action.startsWith('kms:') ? defaultKeyPolicy(resource) : undefined,
    request: {
      action,
      principal: CONTROLLER,
      resource: { accountId: accountOf(resource), resource },
      contextVariables: context,
    },
  } as any, {});
  if (response.resultType === 'error') {
    throw new Error(`simulation error for ${action} on ${resource}: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}
