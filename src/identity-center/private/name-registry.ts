import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ErrorSite, fail } from '../../core/errors';
import { quote } from '../../core/validation';

/**
 * Permission set names already used per app (keyed by the construct tree's root), by
 * instance: names are unique per instance, across every stack of the app.
 */
const NAMES = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Records the literal `name` of the permission set `set` in `instanceArn`, and refuses a
 * name that another permission set of the same instance in the same app already has. An
 * instance ARN that is a token is keyed by its stack and its resolved form.
 */
export function registerPermissionSetName(site: ErrorSite, set: IConstruct, instanceArn: string, name: string): void {
  const root = set.node.root;
  const names = NAMES.get(root) ?? new Map<string, string>();
  NAMES.set(root, names);
  const stack = Stack.of(set);
  const instanceKey = Token.isUnresolved(instanceArn)
    ? `${stack.node.path}|${JSON.stringify(stack.resolve(instanceArn))}`
    : instanceArn;
  const key = `${instanceKey}|${name}`;
  const other = names.get(key);
  if (other !== undefined) {
    fail(site, 'permissionSetName', `${quote(name)} is already the name of '${other}' in the same Identity Center instance`,
      'give each permission set of an instance its own name (names are unique per instance, across every stack of the app)');
  }
  names.set(key, set.node.path);
}
