import { readFileSync } from 'fs';
import { CfnResource, PolicyValidationStack, Stack } from 'aws-cdk-lib';

/** What the rules look up in a stack: resources by logical id, and the policies attached to a role or user. */
interface StackIndex {
  readonly byLogicalId: Map<string, CfnResource>;
  /** Logical id of a role, user or group -> the `AWS::IAM::Policy` / `AWS::IAM::ManagedPolicy` resources that name it. */
  readonly attachedPolicies: Map<string, CfnResource[]>;
}

const ATTACHABLE_POLICY_TYPES = new Set(['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']);

let indexes = new WeakMap<Stack, StackIndex>();
let logicalIds = new WeakMap<CfnResource, string>();
/** Synthesized templates by stack construct path, when the pack runs as a validation plugin after synthesis. */
let templates = new Map<string, any>();

/**
 * Forgets every cached view of the construct tree. The pack calls it at the start of each
 * run, so that a tree changed between two runs is read afresh.
 */
export function resetCaches(): void {
  indexes = new WeakMap();
  logicalIds = new WeakMap();
  templates = new Map();
  for (const reset of resetters) reset();
}

/**
 * Reads properties from the templates just synthesized (the validation plugin's
 * `stackTemplates`) instead of resolving them again: faster on large apps, and the rules
 * then see exactly what deploys, escape-hatch overrides included. Until the next
 * `resetCaches`.
 */
export function useTemplates(stacks: PolicyValidationStack[]): void {
  for (const stack of stacks) {
    try {
      templates.set(stack.stackConstructPath, JSON.parse(readFileSync(stack.templatePath, 'utf8')));
    } catch {
      // An unreadable template: its resources are resolved from the construct tree instead.
    }
  }
}

const resetters: Array<() => void> = [];

/** Registers a cache of another module to be cleared by `resetCaches`. */
export function onReset(reset: () => void): void {
  resetters.push(reset);
}

/** The resolved logical id of a resource. */
export function logicalIdOf(node: CfnResource): string {
  let id = logicalIds.get(node);
  if (id === undefined) {
    id = String(Stack.of(node).resolve(node.logicalId));
    logicalIds.set(node, id);
  }
  return id;
}

/** The resource with this logical id in the stack of `node`, if any. */
export function findResource(node: CfnResource, logicalId: string): CfnResource | undefined {
  return indexOf(Stack.of(node)).byLogicalId.get(logicalId);
}

/** The `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources that attach to `node` by `Ref`. */
export function policiesAttachedTo(node: CfnResource): CfnResource[] {
  return indexOf(Stack.of(node)).attachedPolicies.get(logicalIdOf(node)) ?? [];
}

/**
 * A property of any CfnResource (an L1 or a plain `CfnResource`), resolved. `name` is the
 * CloudFormation name (`MaxSessionDuration`). Nested structs keep the key case of their
 * source: camelCase from an L1, PascalCase from a plain `CfnResource`.
 */
export function resolvedProperty(node: CfnResource, name: string): unknown {
  const synthesized = synthesizedResource(node);
  if (synthesized) return synthesized.Properties?.[name];
  const props = (node as any).cfnProperties as Record<string, unknown> | undefined;
  if (!props) return undefined;
  const lowerFirst = name.charAt(0).toLowerCase() + name.slice(1);
  const value = lowerFirst in props ? props[lowerFirst] : props[name];
  return value === undefined ? undefined : Stack.of(node).resolve(value);
}

/** The resource as synthesized, when its stack's template was handed over by `useTemplates`. */
function synthesizedResource(node: CfnResource): { Type?: string; Properties?: Record<string, unknown> } | undefined {
  if (templates.size === 0) return undefined;
  const template = templates.get(Stack.of(node).node.path);
  const resource = template?.Resources?.[logicalIdOf(node)];
  return resource?.Type === node.cfnResourceType ? resource : undefined;
}

function indexOf(stack: Stack): StackIndex {
  let index = indexes.get(stack);
  if (index) return index;
  const byLogicalId = new Map<string, CfnResource>();
  const attachedPolicies = new Map<string, CfnResource[]>();
  for (const c of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || Stack.of(c) !== stack) continue;
    byLogicalId.set(logicalIdOf(c), c);
    if (!ATTACHABLE_POLICY_TYPES.has(c.cfnResourceType)) continue;
    for (const prop of ['Roles', 'Users', 'Groups']) {
      const targets = resolvedProperty(c, prop);
      if (!Array.isArray(targets)) continue;
      for (const t of targets) {
        const ref = t && typeof t === 'object' ? (t as any).Ref : undefined;
        if (typeof ref !== 'string') continue;
        const list = attachedPolicies.get(ref) ?? [];
        list.push(c);
        attachedPolicies.set(ref, list);
      }
    }
  }
  index = { byLogicalId, attachedPolicies };
  indexes.set(stack, index);
  return index;
}

/** The AWS managed `AdministratorAccess` policy's ARN, in any partition. */
export const ADMINISTRATOR_ACCESS_ARN = /^arn:[a-z-]+:iam::aws:policy\/AdministratorAccess$/;
