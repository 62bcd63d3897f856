import { CfnElement, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { AccessPatternError } from './errors';
import { CLOUDFORMATION_MAX_PARAMETERS, CLOUDFORMATION_MAX_RESOURCES } from './quotas';

/**
 * CloudFormation's per-template limits (500 resources, 200 parameters), checked at
 * synthesis for every stack that holds a construct of this library, before CloudFormation
 * refuses the template at deploy time.
 *
 * Each construct calls {@link watchStackLimits} on its scope; the check is registered once
 * per stack (one `node.addValidation` on the stack), so a stack is counted once however many
 * constructs it holds, and it counts what is really in the template: every `CfnResource` and
 * `CfnParameter` of that stack (those of its nested stacks count in their own template;
 * nested stack parameters exist by then, validation runs after references are resolved).
 */

/** Stacks whose limits are checked, with what their constructs add to the fix. */
const WATCHED = new WeakMap<Stack, Set<string>>();

/**
 * Checks the limits of the stack of `scope` at synthesis (once per stack).
 *
 * @param scope a construct of the stack (or the stack)
 * @param hint what the construct adds to the fix, e.g. how to place fewer resources in it
 */
export function watchStackLimits(scope: IConstruct, hint?: string): void {
  const stack = Stack.of(scope);
  let hints = WATCHED.get(stack);
  if (!hints) {
    hints = new Set();
    WATCHED.set(stack, hints);
    const own = hints;
    stack.node.addValidation({ validate: () => stackLimitErrors(stack, own) });
  }
  if (hint !== undefined) hints.add(hint);
}

/** What a stack's template holds, counted by resource type, and its parameters. */
export interface StackCount {
  /** Resources by CloudFormation type. */
  readonly resources: Map<string, number>;
  /** The number of resources. */
  readonly resourceTotal: number;
  /** The number of parameters. */
  readonly parameters: number;
}

/** Counts the resources and parameters of `stack`'s own template (not its nested stacks'). */
export function countStack(stack: Stack): StackCount {
  const resources = new Map<string, number>();
  let resourceTotal = 0;
  let parameters = 0;
  const visit = (node: IConstruct): void => {
    for (const child of node.node.children) {
      // A nested stack's elements are in its own template; its AWS::CloudFormation::Stack
      // resource is a sibling construct of this stack, counted here.
      if (Stack.isStack(child)) continue;
      if (CfnElement.isCfnElement(child)) {
        if (CfnResource.isCfnResource(child)) {
          resourceTotal++;
          resources.set(child.cfnResourceType, (resources.get(child.cfnResourceType) ?? 0) + 1);
        } else if (child instanceof CfnParameter) {
          parameters++;
        }
      }
      visit(child);
    }
  };
  visit(stack);
  return { resources, resourceTotal, parameters };
}

function stackLimitErrors(stack: Stack, hints: Set<string>): string[] {
  const count = countStack(stack);
  const errors: string[] = [];
  const extra = hints.size > 0 ? `; ${[...hints].join('; ')}` : '';
  if (count.resourceTotal > CLOUDFORMATION_MAX_RESOURCES) {
    const byType = [...count.resources.entries()].sort(([ta, a], [tb, b]) => b - a || (ta < tb ? -1 : 1)).slice(0, 4)
      .map(([type, n]) => `${n} ${type}`).join(', ');
    errors.push(AccessPatternError.invalidProp('Stack', stack.node.path, 'resources',
      `the template would hold ${count.resourceTotal} resources (most: ${byType}), above CloudFormation's limit of `
        + `${CLOUDFORMATION_MAX_RESOURCES} resources per stack ("Understand CloudFormation quotas"), so the deployment would fail`,
      `move some of its constructs to another stack (a second Stack in the app, or a NestedStack), so that each holds at most ${CLOUDFORMATION_MAX_RESOURCES}; `
        + `the limit cannot be raised${extra}`).message);
  }
  if (count.parameters > CLOUDFORMATION_MAX_PARAMETERS) {
    errors.push(AccessPatternError.invalidProp('Stack', stack.node.path, 'parameters',
      `the template would declare ${count.parameters} parameters, above CloudFormation's limit of ${CLOUDFORMATION_MAX_PARAMETERS} `
        + 'parameters per template ("Understand CloudFormation quotas"; a nested stack gets one parameter per value of its parent it uses), '
        + 'so the deployment would fail',
      `pass fewer values from the parent stack into it, or spread its constructs over more stacks${extra}`).message);
  }
  return errors;
}
