import { runSimulation } from '@cloud-copilot/iam-simulate';
import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AddonPolicy, PodIdentityRole } from '../../src';
import { TEST_ACCOUNT, TEST_ENV } from '../support/env';
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
 * A role trust policy that trusts the controller's account: the controller's identity
 * policy alone then decides whether it may assume the role (in any account).
 */
function delegatingTrustPolicy(): any {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
  };
}

/**
 * Evaluates a request by the controller's role against its identity policy with
 * `@cloud-copilot/iam-simulate`; a simulator error fails the test. KMS keys get their
 * default key policy, roles (`sts:`) a trust policy that delegates to the controller's account.
 */
export async function simulateIdentity(
  document: any, action: string, resource: string, context: Record<string, string | string[]> = {},
): Promise<Decision> {
  const resourcePolicy = action.startsWith('kms:') ? defaultKeyPolicy(resource)
    : action.startsWith('sts:') ? delegatingTrustPolicy() : undefined;
  const response = await runSimulation({
    identityPolicies: [{ name: 'addon', policy: document }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy,
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

/** The statements of every inline policy (`AWS::IAM::Policy`) attached to a role, with intrinsics evaluated. */
export function inlinePolicyDocument(stack: Stack, role: iam.IRole, overrides: Record<string, string> = {}): any {
  const template = templateOf(stack);
  const roleId = stack.resolve((role.node.defaultChild as iam.CfnRole).logicalId);
  const statements = Object.values(template.Resources)
    .filter(r => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles ?? []).some((x: any) => x.Ref === roleId))
    .flatMap(r => resolveIntrinsics(template, r.Properties.PolicyDocument, overrides).Statement);
  return { Version: '2012-10-17', Statement: statements };
}

/** A stack for one controller's policy. */
export function newStack(): Stack {
  return new Stack(new App(), 'Controllers', { env: TEST_ENV });
}

/** The controller's Pod Identity role. */
export function controllerRole(stack: Stack): iam.Role {
  return new PodIdentityRole(stack, 'Controller', { serviceAccounts: [{ serviceAccountNamespace: 'kube-system', serviceAccountName: 'controller' }] });
}

/** Attaches the policy built in `make` and returns the resolved statements of all its managed policies. */
export function documentOf(make: (stack: Stack) => AddonPolicy): any {
  const stack = newStack();
  const policies = make(stack).attachTo(controllerRole(stack));
  return { Version: '2012-10-17', Statement: policies.flatMap(p => managedPolicyDocument(stack, p).Statement) };
}

/** [action, intended resource, request context, another resource (or undefined when the action only takes "*")]. */
export type Need = [string, string, Record<string, string | string[]>, string | undefined];

/** Every need is Allowed on its resource, and Denied on the other one where given. */
export async function expectNeeds(document: any, needs: Need[]): Promise<void> {
  for (const [action, resource, context, other] of needs) {
    await expect(simulateIdentity(document, action, resource, context).then(d => `${action} ${d}`)).resolves.toBe(`${action} Allowed`);
    if (other !== undefined) {
      await expect(simulateIdentity(document, action, other, context).then(d => `${action} on ${other} ${d}`)).resolves.toBe(`${action} on ${other} Denied`);
    }
  }
}
