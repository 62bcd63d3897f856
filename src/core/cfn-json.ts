import { CfnJson, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * Whether a condition block has a key that is a token (an EKS issuer only known at deploy
 * time, a cluster name given as a parameter ...). CloudFormation resolves values, never
 * keys, so such a block must go through `CfnJson`.
 */
export function hasTokenKey(block: Record<string, unknown>): boolean {
  return Object.keys(block).some(k => Token.isUnresolved(k));
}

/**
 * A condition block as a policy can hold it: the block itself when no key is a token,
 * otherwise the `CfnJson` child `id` of `scope` that carries it, created on first use and
 * returned again for the same id. A caller whose block under an id can change removes the
 * child first (`scope.node.tryRemoveChild(id)`).
 */
export function tokenKeysJson(scope: Construct, id: string, block: Record<string, unknown>): Record<string, unknown> | CfnJson {
  if (!hasTokenKey(block)) return block;
  const existing = scope.node.tryFindChild(id);
  return existing instanceof CfnJson ? existing : new CfnJson(scope, id, { value: block });
}
