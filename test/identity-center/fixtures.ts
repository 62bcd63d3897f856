import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import { IdentityCenterInstance, IIdentityCenterInstance } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';

/** Identity Center identifiers used across these tests. */
export const INSTANCE_ARN = 'arn:aws:sso:::instance/ssoins-1234567890abcdef';
export const IDENTITY_STORE_ID = 'd-1234567890';
export const OTHER_IDENTITY_STORE_ID = 'd-0987654321';
export const ADMINS = '11111111-2222-3333-4444-000000000001';
export const DEVELOPERS = '11111111-2222-3333-4444-000000000002';
export const AUDITORS = '11111111-2222-3333-4444-000000000003';
export const ALICE = '906782d4b1-0c5a6f78-8a9b-4c2d-9e1f-123456789abc';

/** The management account stack and an imported instance. */
export function newInstanceStack(): { stack: Stack; instance: IIdentityCenterInstance } {
  const stack = new Stack(new App(), 'Sso', { env: TEST_ENV });
  const instance = IdentityCenterInstance.fromInstanceAttributes(stack, 'Instance', {
    instanceArn: INSTANCE_ARN,
    identityStoreId: IDENTITY_STORE_ID,
  });
  return { stack, instance };
}

/** `n` distinct 12-digit account ids starting at 100000000000 + `from`. */
export function accounts(n: number, from: number = 0): string[] {
  return Array.from({ length: n }, (_, i) => String(100000000000 + from + i));
}

/**
 * Evaluates an identity policy (no resource policy, same account) with
 * `@cloud-copilot/iam-simulate`; throws on a simulator validation error.
 */
export async function simulateIdentityPolicy(policy: unknown, action: string, resource: string, principal: string = `arn:aws:iam::${TEST_ACCOUNT}:role/caller`): Promise<'Allowed' | 'Denied'> {
  const response = await runSimulation({
    identityPolicies: [{ name: 'policy', policy }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      action,
      principal,
      resource: { accountId: TEST_ACCOUNT, resource },
      contextVariables: {},
    },
  } as any, {});
  if (response.resultType === 'error') throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}
