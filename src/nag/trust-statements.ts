import { CfnResource, Stack } from 'aws-cdk-lib';
import { findResource, onReset, resolvedProperty } from './stack-index';
import { joinOf } from '../core/intrinsics';
import { scopeContextOf } from '../core/regions';
import { ReadStatement, ResolvedValueReader, deployTime, readTrustPolicy } from '../core/trust-reader';
import { ScopeCheck, ScopeContext, ScopeReason, StatementScope, statementScope } from '../core/trust-scope';

/** A role's trust policy: the resolved document, its statements as read, and what each lets in. */
export interface TrustPolicyView {
  /** The document after `Stack.resolve` (intrinsics kept). */
  readonly document: unknown;
  readonly statements: ReadStatement[];
  readonly scopes: StatementScope[];
}

/** Stands in for a value only known at deploy time that the reader could not name. */
export const TOKEN = deployTime('token');

let views = new WeakMap<CfnResource, TrustPolicyView | null>();
onReset(() => { views = new WeakMap(); });

/**
 * Reads the trust policy of an `AWS::IAM::Role` (an L1 or a plain `CfnResource`) with the
 * shared trust reader (`core/trust-reader.ts`), and asks the one definition of a narrow
 * trust (`core/trust-scope/`) what each statement lets in. Returns undefined for any
 * other resource.
 */
export function trustPolicyOf(node: CfnResource): TrustPolicyView | undefined {
  if (node.cfnResourceType !== 'AWS::IAM::Role') return undefined;
  let view = views.get(node);
  if (view === undefined) {
    const doc = resolvedProperty(node, 'AssumeRolePolicyDocument');
    if (!doc || typeof doc !== 'object') {
      view = null;
    } else {
      const reader = readerOf(node);
      const statements = readTrustPolicy(reader, doc);
      const ctx = scopeContext(node);
      view = { document: doc, statements, scopes: statements.map(s => statementScope(s, ctx)) };
    }
    views.set(node, view);
  }
  return view ?? undefined;
}

let contexts = new WeakMap<Stack, ScopeContext>();
onReset(() => { contexts = new WeakMap(); });

/** The stack's account and partition, where synthesis knows them (read once per stack and run). */
export function scopeContext(node: CfnResource): ScopeContext {
  const stack = Stack.of(node);
  let ctx = contexts.get(stack);
  if (!ctx) {
    ctx = scopeContextOf(stack);
    contexts.set(stack, ctx);
  }
  return ctx;
}

/** The statements of a role's trust policy, as read; an empty list for any other resource. */
export function trustStatements(node: CfnResource): ReadStatement[] {
  return trustPolicyOf(node)?.statements ?? [];
}

/** What each statement of a role's trust policy lets in; an empty list for any other resource. */
export function trustScopes(node: CfnResource): StatementScope[] {
  return trustPolicyOf(node)?.scopes ?? [];
}

/**
 * The findings of one check over a role's trust: the reasons of `check` on the ways in
 * that assume the role (and on the statements), those that `select` keeps. Returns
 * undefined when the role has no way in that `applies`.
 */
export function checkFindings(
  node: CfnResource,
  check: ScopeCheck,
  select: (r: ScopeReason) => boolean,
  applies: (kind: string) => boolean = () => true,
): string[] | undefined {
  const scopes = trustScopes(node);
  let applicable = false;
  const findings: string[] = [];
  for (const scope of scopes) {
    for (const r of scope.problems) if (r.check === check && select(r)) findings.push(r.finding);
    for (const w of scope.ways) {
      if (!w.assumes || !applies(w.kind)) continue;
      applicable = true;
      for (const r of w.reasons) if (r.check === check && select(r)) findings.push(r.finding);
    }
  }
  if (!applicable && findings.length === 0) return undefined;
  return [...new Set(findings)];
}

/** The reader of a construct-tree value in the stack of `node`, with the nag run's look-ups. */
function readerOf(node: CfnResource): ResolvedValueReader {
  const ctx = scopeContext(node);
  return new ResolvedValueReader({
    ...ctx,
    isResource: id => findResource(node, id) !== undefined,
    cfnJson: id => cfnJsonValueById(node, id),
    providerClientIds: id => {
      const provider = findResource(node, id);
      return provider?.cfnResourceType === 'AWS::IAM::OIDCProvider' ? resolvedProperty(provider, 'ClientIdList')
        : provider?.cfnResourceType === 'Custom::AWSCDKOpenIdConnectProvider' ? resolvedProperty(provider, 'ClientIDList') : undefined;
    },
  });
}

/**
 * Joins intrinsic-bearing values into a string, as the trust reader does: the stack's
 * partition and account where known, `⟨...⟩` markers for what is only known at deploy time.
 */
export function flatten(node: CfnResource, value: unknown): string {
  return readerOf(node).flatten(value);
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

/** Distinct findings, in first-seen order; `compliant` when there are none. */
export function findingsOr<T>(findings: string[], compliant: T): string[] | T {
  return findings.length > 0 ? [...new Set(findings)] : compliant;
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
    const joined = joinOf(v, p => describe(node, p));
    if (joined !== undefined) return joined;
  }
  return flatten(node, value);
}
