import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IntrinsicValues, testRoleArn, trustPolicyOf } from './template';

/** The outcome of a simulated assume-role request. */
export type Decision = 'Allowed' | 'Denied';

/** An assume-role request against a role's trust policy. */
export interface AssumeRequest {
  /** The STS action, e.g. `sts:AssumeRole`. */
  readonly action: string;
  /** The caller: an IAM role/user ARN, an OIDC/SAML provider ARN, or a service principal. */
  readonly principal: string;
  /** Request context keys and values (claims, tags, external id ...). */
  readonly context?: Record<string, string | string[]>;
  /**
   * Give an IAM caller an identity policy that allows the action on the role, as the
   * caller's account must for a cross-account request. Default: true for IAM ARNs.
   */
  readonly callerPolicy?: boolean;
}

/** An IAM role or user calling `action` (default `sts:AssumeRole`). */
export function awsCaller(
  principal: string,
  context: Record<string, string | string[]> = {},
  options: { action?: string; callerPolicy?: boolean } = {},
): AssumeRequest {
  return { action: options.action ?? 'sts:AssumeRole', principal, context, callerPolicy: options.callerPolicy };
}

/** A web identity token (OIDC or Cognito) presented to `sts:AssumeRoleWithWebIdentity`. */
export function webIdentity(providerArn: string, claims: Record<string, string | string[]>): AssumeRequest {
  return { action: 'sts:AssumeRoleWithWebIdentity', principal: providerArn, context: claims };
}

/** A SAML assertion presented to `sts:AssumeRoleWithSAML`. */
export function samlAssertion(providerArn: string, context: Record<string, string | string[]>): AssumeRequest {
  return { action: 'sts:AssumeRoleWithSAML', principal: providerArn, context };
}

/** An AWS service assuming the role on someone's behalf. */
export function serviceCaller(service: string, context: Record<string, string | string[]> = {}, action: string = 'sts:AssumeRole'): AssumeRequest {
  return { action, principal: service, context };
}

/**
 * Condition keys that the simulator does not know (OIDC claim keys such as
 * `token.actions.githubusercontent.com:sub`) are dropped by its validation, which denies
 * every request. Such keys are renamed to the global key `aws:PrincipalTag/<key>` in both
 * the policy and the request, which keeps the comparison and its semantics.
 */
export function mapConditionKey(key: string): string {
  return /^(aws|sts):/i.test(key) ? key : `aws:PrincipalTag/${key}`;
}

function mapPolicyKeys(policy: any): any {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return {
    ...policy,
    Statement: statements.map((s: any) => {
      if (!s.Condition) return s;
      const condition: Record<string, Record<string, unknown>> = {};
      for (const [operator, block] of Object.entries(s.Condition as Record<string, Record<string, unknown>>)) {
        condition[operator] = {};
        for (const [key, value] of Object.entries(block)) condition[operator][mapConditionKey(key)] = value;
      }
      return { ...s, Condition: condition };
    }),
  };
}

function accountOf(arn: string): string | undefined {
  return /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(arn)?.[1];
}

/**
 * Evaluates a request against a trust policy (a resource policy on `roleArn`) with
 * `@cloud-copilot/iam-simulate`. Throws when the simulator reports a validation error, so
 * a malformed policy never passes as "Denied".
 */
export async function simulatePolicy(trustPolicy: any, roleArn: string, request: AssumeRequest): Promise<Decision> {
  const isIamCaller = /^arn:[^:]+:iam::\d{12}:(role|user|assumed-role)\//.test(request.principal)
    || /^arn:[^:]+:sts::\d{12}:assumed-role\//.test(request.principal);
  const withCallerPolicy = request.callerPolicy ?? isIamCaller;
  const context: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.context ?? {})) context[mapConditionKey(key)] = value;

  const response = await runSimulation({
    identityPolicies: withCallerPolicy
      ? [{ name: 'caller', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: request.action, Resource: roleArn }] } }]
      : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: mapPolicyKeys(trustPolicy),
    request: {
      action: request.action,
      principal: request.principal,
      resource: { accountId: accountOf(roleArn)!, resource: roleArn },
      contextVariables: context,
    },
  } as any, {});
  if (response.resultType === 'error') {
    throw new Error(`simulation error: ${JSON.stringify(response.errors)}`);
  }
  return response.overallResult === 'Allowed' ? 'Allowed' : 'Denied';
}

/** Synthesizes `stack` and evaluates `request` against `role`'s trust policy. */
export async function simulate(stack: Stack, role: iam.Role, request: AssumeRequest, overrides: IntrinsicValues = {}): Promise<Decision> {
  return simulatePolicy(trustPolicyOf(stack, role, overrides), testRoleArn(stack, role), request);
}
