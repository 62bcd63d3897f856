import { CfnResource, Stack, Token } from 'aws-cdk-lib';
import { findResource, onReset, resolvedProperty } from './stack-index';

/** A trust policy statement in a normalized shape, as the nag rules read it. */
export interface NormalizedStatement {
  readonly effect: string;
  /** Principal values per type (`AWS`, `Service`, `Federated`, `CanonicalUser`), or `*`. */
  readonly principals: Record<string, string[]>;
  /** Whether the statement names `"Principal": "*"`. */
  readonly anyPrincipal: boolean;
  readonly actions: string[];
  /** operator -> key -> values; unknown parts of keys and values are rendered as markers (see `hasToken`). */
  readonly conditions: Record<string, Record<string, string[]>>;
  /**
   * Condition blocks whose content is only known at deploy time: an operator whose block
   * is an intrinsic other than a readable `CfnJson`, or `Condition` when the whole
   * condition object is one. A rule that finds no satisfying condition in such a
   * statement reports `Unresolved::<block>` instead of guessing.
   */
  readonly unresolved: string[];
}

/** A role's trust policy: the resolved document and its normalized statements. */
export interface TrustPolicyView {
  /** The document after `Stack.resolve` (intrinsics kept). */
  readonly document: unknown;
  readonly statements: NormalizedStatement[];
}

/** Stands in for a value only known at deploy time. */
export const TOKEN = '{token}';

/** Whether a flattened value contains a part only known at deploy time. */
export function hasToken(value: string): boolean {
  return /\{(token|AWS::[A-Za-z]+)\}/.test(value);
}

let views = new WeakMap<CfnResource, TrustPolicyView | null>();
onReset(() => { views = new WeakMap(); });

/**
 * Reads the trust policy of an `AWS::IAM::Role` (an L1 or a plain `CfnResource`), with
 * intrinsics flattened to strings and condition blocks kept in `CfnJson` custom
 * resources opened up. Returns undefined for any other resource.
 */
export function trustPolicyOf(node: CfnResource): TrustPolicyView | undefined {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return undefined;
  let view = views.get(node);
  if (view === undefined) {
    const doc = resolvedProperty(node, 'AssumeRolePolicyDocument');
    if (!doc || typeof doc !== 'object') {
      view = null;
    } else {
      const raw = (doc as any).Statement;
      const list: any[] = Array.isArray(raw) ? raw : raw ? [raw] : [];
      view = { document: doc, statements: list.map(s => normalize(node, s)) };
    }
    views.set(node, view);
  }
  return view ?? undefined;
}

/** The normalized trust statements of a role; an empty list for any other resource. */
export function trustStatements(node: CfnResource): NormalizedStatement[] {
  return trustPolicyOf(node)?.statements ?? [];
}

function normalize(node: CfnResource, s: any): NormalizedStatement {
  const principals: Record<string, string[]> = {};
  let anyPrincipal = false;
  if (s.Principal === '*') {
    anyPrincipal = true;
  } else if (s.Principal && typeof s.Principal === 'object') {
    for (const [type, value] of Object.entries(s.Principal)) {
      const values = toStrings(node, value);
      principals[type] = values;
      if (values.includes('*')) anyPrincipal = true;
    }
  }
  const conditions: Record<string, Record<string, string[]>> = {};
  const unresolved: string[] = [];
  const rawConditions = s.Condition && typeof s.Condition === 'object' ? s.Condition : {};
  if (isIntrinsic(rawConditions)) {
    unresolved.push('Condition');
  } else {
    for (const [operator, block] of Object.entries(rawConditions)) {
      const opened = openBlock(node, block);
      if (!opened) {
        unresolved.push(operator);
        continue;
      }
      const out: Record<string, string[]> = {};
      for (const [key, value] of Object.entries(opened)) out[key] = toStrings(node, value);
      conditions[operator] = out;
    }
  }
  return {
    effect: String(s.Effect ?? 'Allow'),
    principals,
    anyPrincipal,
    actions: toStrings(node, s.Action),
    conditions,
    unresolved,
  };
}

function isIntrinsic(value: unknown): boolean {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'));
}

/** A condition block, or the object a CfnJson custom resource carries; undefined when unknowable. */
function openBlock(node: CfnResource, block: unknown): Record<string, unknown> | undefined {
  if (!block || typeof block !== 'object' || Array.isArray(block)) return undefined;
  if (!isIntrinsic(block)) return block as Record<string, unknown>;
  const value = cfnJsonValue(node, block);
  if (value === undefined) return undefined;
  try {
    const parsed = JSON.parse(flatten(node, value));
    return parsed && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The resolved `Value` (a JSON string, possibly with intrinsics) of the `CfnJson` custom
 * resource that `{ "Fn::GetAtt": [<id>, "Value"] }` points to, if it is one in the same stack.
 */
export function cfnJsonValue(node: CfnResource, getAtt: unknown): unknown {
  const arg = (getAtt as any)?.['Fn::GetAtt'];
  if (!Array.isArray(arg) || arg[1] !== 'Value') return undefined;
  return cfnJsonValueById(node, String(arg[0]));
}

/** The resolved `Value` of the `CfnJson` custom resource with this logical id in the stack of `node`. */
export function cfnJsonValueById(node: CfnResource, logicalId: string): unknown {
  const json = findResource(node, logicalId);
  if (!json || json.cfnResourceType !== 'Custom::AWSCDKCfnJson') return undefined;
  return resolvedProperty(json, 'Value');
}

/**
 * Joins intrinsic-bearing values into a string. `AWS::Partition` reads as `aws`, the
 * stack's own account as its id when known; other pseudo parameters become
 * `{AWS::<Name>}` and anything else `{token}`.
 */
export function flatten(node: CfnResource, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const join = (value as any)['Fn::Join'];
    if (Array.isArray(join)) {
      const [delimiter, parts] = join;
      return (Array.isArray(parts) ? parts : [parts]).map(p => flatten(node, p)).join(delimiter);
    }
    const ref = (value as any).Ref;
    if (ref === 'AWS::Partition') return 'aws';
    if (ref === 'AWS::AccountId') {
      const account = Stack.of(node).account;
      return Token.isUnresolved(account) ? '{AWS::AccountId}' : account;
    }
    if (typeof ref === 'string' && ref.startsWith('AWS::')) return `{${ref}}`;
  }
  return TOKEN;
}

function toStrings(node: CfnResource, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map(v => flatten(node, v));
  return [flatten(node, value)];
}

/** One condition: its operator, key and values. */
export interface ConditionEntry {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

/** All conditions of a statement, with the operators they appear under. */
export function conditionKeys(s: NormalizedStatement): ConditionEntry[] {
  const out: ConditionEntry[] = [];
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

/** Whether an Allow statement trusts this service principal. */
export function trustsService(s: NormalizedStatement, service: string): boolean {
  return s.effect === 'Allow' && (s.principals.Service ?? []).some(p => p === service || p === `${service}.cn`);
}

/** Whether the statement trusts a Cognito identity pool. */
export function isCognito(s: NormalizedStatement): boolean {
  return (s.principals.Federated ?? []).includes('cognito-identity.amazonaws.com');
}

/** Whether the statement trusts an OIDC provider (web identity, other than Cognito). */
export function isOidc(s: NormalizedStatement): boolean {
  return allowsAction(s, 'sts:AssumeRoleWithWebIdentity') && !isCognito(s);
}

/** The finding suffix for a statement whose deciding conditions are unknown at synth. */
export function unresolvedFindings(s: NormalizedStatement): string[] {
  return s.unresolved.map(block => `Unresolved::${block}`);
}

/** Distinct findings, in first-seen order; `compliant` when there are none. */
export function findingsOr<T>(findings: string[], compliant: T): string[] | T {
  return findings.length > 0 ? [...new Set(findings)] : compliant;
}

/**
 * Whether a condition under this operator can only narrow who matches: not a `Null`
 * check, not negated, not `...IfExists` (true when the key is absent) and not `ForAllValues:`.
 */
export function isNarrowingOperator(operator: string): boolean {
  return operator !== 'Null' && !/^ForAllValues:/i.test(operator) && !/IfExists$/i.test(operator) && !/Not/.test(operator);
}

/** Whether the statement has a narrowing condition on one of `keys` (lower-case) with a value other than `*`. */
export function hasNarrowingCondition(s: NormalizedStatement, keys: Set<string>): boolean {
  return conditionKeys(s).some(c => keys.has(c.key.toLowerCase()) && isNarrowingOperator(c.operator)
    && c.values.length > 0 && !c.values.includes('*'));
}

/**
 * A resolved value as a readable label for a finding id: like `flatten`, but a reference
 * to a resource reads as its logical id (`Ref X` -> `X`, `Fn::GetAtt [X, Arn]` -> `X.Arn`).
 */
export function describe(node: CfnResource, value: unknown): string {
  if (value && typeof value === 'object') {
    const v = value as any;
    if (typeof v.Ref === 'string' && !v.Ref.startsWith('AWS::')) return v.Ref;
    if (Array.isArray(v['Fn::GetAtt'])) return v['Fn::GetAtt'].join('.');
    if (Array.isArray(v['Fn::Join'])) {
      const [delimiter, parts] = v['Fn::Join'];
      return (Array.isArray(parts) ? parts : [parts]).map((p: unknown) => describe(node, p)).join(delimiter);
    }
  }
  return flatten(node, value);
}
