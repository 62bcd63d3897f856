import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';

/** A trust policy statement in a normalized shape, as the nag rules read it. */
export interface NormalizedStatement {
  readonly effect: string;
  /** Principal values per type (`AWS`, `Service`, `Federated`, `CanonicalUser`), or `*`. */
  readonly principals: Record<string, string[]>;
  /** Whether the statement names `"Principal": "*"`. */
  readonly anyPrincipal: boolean;
  readonly actions: string[];
  /** operator -> key -> values; keys and values with intrinsics are rendered as `{token}`. */
  readonly conditions: Record<string, Record<string, string[]>>;
}

/** Stands in for a value only known at deploy time. */
export const TOKEN = '{token}';

/**
 * Reads the trust statements of an `AWS::IAM::Role`, with intrinsics flattened to
 * strings and condition blocks kept in `CfnJson` custom resources opened up. Returns an
 * empty list for any other resource.
 */
export function trustStatements(node: CfnResource): NormalizedStatement[] {
  if (!(node instanceof CfnRole)) return [];
  const stack = Stack.of(node);
  const doc = stack.resolve(node.assumeRolePolicyDocument);
  if (!doc || typeof doc !== 'object') return [];
  const raw = (doc as any).Statement;
  const list: any[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return list.map(s => normalize(node, s));
}

function normalize(node: CfnResource, s: any): NormalizedStatement {
  const principals: Record<string, string[]> = {};
  let anyPrincipal = false;
  if (s.Principal === '*') {
    anyPrincipal = true;
  } else if (s.Principal && typeof s.Principal === 'object') {
    for (const [type, value] of Object.entries(s.Principal)) {
      const values = toStrings(value);
      principals[type] = values;
      if (values.includes('*')) anyPrincipal = true;
    }
  }
  const conditions: Record<string, Record<string, string[]>> = {};
  const rawConditions = s.Condition && typeof s.Condition === 'object' ? s.Condition : {};
  for (const [operator, block] of Object.entries(rawConditions)) {
    const opened = openBlock(node, block);
    const out: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(opened)) out[key] = toStrings(value);
    conditions[operator] = out;
  }
  return {
    effect: String(s.Effect ?? 'Allow'),
    principals,
    anyPrincipal,
    actions: toStrings(s.Action),
    conditions,
  };
}

/** A condition block, or the object a CfnJson custom resource carries. */
function openBlock(node: CfnResource, block: unknown): Record<string, unknown> {
  if (block && typeof block === 'object' && 'Fn::GetAtt' in (block as any)) {
    const [logicalId] = (block as any)['Fn::GetAtt'] as [string, string];
    const json = findResource(node, logicalId);
    if (json) {
      const value = Stack.of(node).resolve((json as any)._cfnProperties?.Value);
      const text = flatten(value);
      try {
        return JSON.parse(text);
      } catch {
        return {};
      }
    }
    return {};
  }
  return (block && typeof block === 'object') ? block as Record<string, unknown> : {};
}

function findResource(node: CfnResource, logicalId: string): CfnResource | undefined {
  const stack = Stack.of(node);
  return stack.node.findAll().find((c): c is CfnResource =>
    CfnResource.isCfnResource(c) && stack.resolve(c.logicalId) === logicalId);
}

/** Joins intrinsic-bearing values into a string, with `{token}` for the unknown parts. */
export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const join = (value as any)['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join;
      return (Array.isArray(parts) ? parts : [parts]).map(flatten).join(delimiter);
    }
    const ref = (value as any).Ref;
    if (ref === 'AWS::Partition') return 'aws';
  }
  return TOKEN;
}

function toStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(flatten);
  return [flatten(value)];
}

/** All condition keys of a statement, lower-cased, with the operators they appear under. */
export function conditionKeys(s: NormalizedStatement): Array<{ operator: string; key: string; values: string[] }> {
  const out: Array<{ operator: string; key: string; values: string[] }> = [];
  for (const [operator, block] of Object.entries(s.conditions)) {
    for (const [key, values] of Object.entries(block)) out.push({ operator, key, values });
  }
  return out;
}

/** Whether the statement allows one of the actions (exactly or by `sts:*` / `*`). */
export function allowsAction(s: NormalizedStatement, action: string): boolean {
  if (s.effect !== 'Allow') return false;
  const a = action.toLowerCase();
  return s.actions.some(x => {
    const v = x.toLowerCase();
    return v === a || v === '*' || v === 'sts:*';
  });
}
