import { Annotations, CfnElement, CfnJson, IResolvable, IResolveContext, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { hasTokenKey, tokenKeysJson } from './cfn-json';
import { Comparison, MULTI_VALUED_KEYS } from './comparison';
import { conditionAlternatives, operatorId } from './condition-render';
import { ErrorSite, fail } from './errors';
import { estimatePolicyLength, templateResourceLookup } from './policy-size';
import { DEFAULT_MAX_TRUST_POLICY_SIZE, DEFAULT_TRUST_POLICY_QUOTA, validateMaxTrustPolicySize } from './quotas';
import { knownPartitionOf } from './regions';
import { TrustCondition } from './trust-condition';
import { scopeGuardErrors } from './trust-scope-guard';
import { quote } from './validation';
import { WARNING } from './warnings';

/** Options for a {@link TrustPolicy}. */
export interface TrustPolicyProps {
  /**
   * The construct class name used in error messages, e.g. `GitHubActionsRole`.
   *
   * @default 'Role'
   */
  readonly kind?: string;

  /**
   * The largest trust policy, in characters without whitespace, that synthesis accepts.
   *
   * IAM's default quota is 2,048 characters; it can be raised per account (to 8,192 at
   * most). Above 2,048 synthesis leaves a warning; above this value it fails; a value
   * above 8,192 is refused.
   *
   * @default 4096
   * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html
   */
  readonly maxSize?: number;

  /**
   * Accept ways in that reach every workload of one pinned tenant: every repository of a
   * GitHub owner, every principal of another account, any certificate of a trust anchor,
   * any service account of a namespace.
   *
   * At synthesis every statement is read as IAM will evaluate it, and a way in wider than
   * one workload of one tenant is refused unless it is accepted here (a pattern's own
   * opt-in, such as `GitHubSubject.allRepositories`, accepts it for that pattern). A way in
   * that does not pin the tenant at all, or that IAM refuses, is always refused.
   *
   * @default false
   */
  readonly allowOwnerWide?: boolean;
}

/** One statement of a {@link TrustPolicy}. */
export interface TrustStatementOptions {
  /** The principals allowed to assume the role. Must not be empty. */
  readonly principals: iam.IPrincipal[];

  /** The STS actions, e.g. `sts:AssumeRole` and `sts:TagSession`. Must not be empty. */
  readonly actions: string[];

  /**
   * Conditions, merged per key: several conditions on one key and comparison become
   * one list of values.
   *
   * @default - no conditions
   */
  readonly conditions?: TrustCondition[];
}

/** What IAM accepts in a policy document: tab, line feed, carriage return and U+0020 to U+00FF. */
const POLICY_TEXT = /^[\t\n\r\u0020-\u00FF]*$/;
/** Comparisons that may render as `StringEquals` for the same key. */
const STRING_OPERATOR_KINDS: ReadonlySet<Comparison> = new Set([Comparison.STRING_MATCH, Comparison.STRING_EQUALS]);
/** Comparisons whose values would be alternatives, which makes a second value widen the trust. */
const SINGLE_VALUE_KINDS: ReadonlySet<Comparison> = new Set([Comparison.BOOL, Comparison.NUMERIC_AT_MOST, Comparison.PRESENT]);

/** No owner-wide checks accepted. */
const NO_CHECKS: ReadonlySet<string> = new Set();

/** The trust policies of each role's document, rendered in the order they were attached when it is first read. */
const TRUST_POLICIES = new WeakMap<iam.PolicyDocument, TrustPolicy[]>();

/**
 * Arrays that grow one item at a time are copied instead of pushed to: a pushed-to array
 * keeps room for 16 more items (a spread copy keeps some too; `concat` sizes it exactly),
 * which every role would hold until the app is gone.
 */
function append<T>(list: readonly T[], item: T): T[] {
  return list.length === 0 ? [item] : list.concat([item]);
}

/** Renders the trust policies of a document before its own method reads it. */
function renderTrust(document: iam.PolicyDocument): void {
  TRUST_POLICIES.get(document)?.forEach(p => p._render());
}

/**
 * The document's `resolve` and `toJSON`, rendering its trust policies first: one function
 * for every document (the class's own method is found through `this`), not two closures
 * per role.
 */
function resolveWithTrust(this: iam.PolicyDocument, context: IResolveContext): any {
  renderTrust(this);
  return Object.getPrototypeOf(this).resolve.call(this, context);
}
function toJsonWithTrust(this: iam.PolicyDocument): any {
  renderTrust(this);
  return Object.getPrototypeOf(this).toJSON.call(this);
}

/** Makes the document render its trust policies whenever it is read. */
function renderBeforeReading(document: iam.PolicyDocument): void {
  const own = (name: string) => Object.prototype.hasOwnProperty.call(document, name);
  if (!own('resolve') && !own('toJSON')) {
    Object.defineProperty(document, 'resolve', { value: resolveWithTrust });
    Object.defineProperty(document, 'toJSON', { value: toJsonWithTrust });
    return;
  }
  // The document's own methods were replaced (by other code): wrap those instead.
  const resolveDocument = document.resolve.bind(document);
  const documentJson = document.toJSON.bind(document);
  Object.defineProperty(document, 'resolve', {
    value: (context: IResolveContext) => {
      renderTrust(document);
      return resolveDocument(context);
    },
  });
  Object.defineProperty(document, 'toJSON', {
    value: () => {
      renderTrust(document);
      return documentJson();
    },
  });
}

/** A principal for `assumedBy` that leaves the trust policy to a {@link TrustPolicy}. */
class DeferredTrustPrincipal extends iam.PrincipalBase implements iam.IAssumeRolePrincipal {
  public readonly policyFragment = new iam.PrincipalPolicyFragment({});

  public addToAssumeRolePolicy(_document: iam.PolicyDocument): void {
    // The TrustPolicy attached to the role writes the statements at synthesis.
  }

  public toString(): string {
    return 'TrustPolicy.deferred()';
  }

  public dedupeString(): string | undefined {
    return undefined;
  }
}

/**
 * A handle on one statement of a {@link TrustPolicy}; conditions can be added until
 * synthesis.
 */
export class TrustStatement {
  /** @internal */
  public readonly _principals: iam.IPrincipal[];
  /** @internal */
  public readonly _actions: string[];
  /** @internal */
  public _conditions: TrustCondition[] = [];
  private readonly owner: TrustPolicy;

  /** @internal */
  constructor(owner: TrustPolicy, options: TrustStatementOptions) {
    this.owner = owner;
    this._principals = [...options.principals];
    this._actions = [...new Set(options.actions)];
  }

  /**
   * Adds conditions to this statement. Conditions on different keys must all hold (AND);
   * the values of several conditions of one kind on one key merge into one list, any of
   * which may match (OR).
   */
  public addConditions(...conditions: TrustCondition[]): void {
    this.owner._assertOpen('conditions');
    for (const c of conditions) {
      this.owner._validateCondition(c, this._conditions);
      this._conditions = append(this._conditions, c);
    }
  }
}

/**
 * A role's trust policy built from typed statements, the one mechanism every access
 * pattern in this library shares.
 *
 * - `StringEquals` for exact values, `StringLike` only for values with `*` or `?`
 *   (exact and wildcard values of one key go to separate statements, because IAM
 *   ANDs operators), one array of values per key;
 * - condition blocks whose keys contain tokens (an EKS issuer, a provider URL) go
 *   through `CfnJson`, since CloudFormation cannot resolve a key;
 * - never `ForAllValues:`/`ForAnyValue:` on single-valued keys;
 * - the minified policy is measured at synthesis: a warning above IAM's default quota
 *   (2,048 characters), an error above `maxSize`.
 *
 * Statements are written into `role.assumeRolePolicy` when the document is first read
 * (at synthesis, or earlier by an Aspect or `toJSON()`), so conditions can be added until
 * then. Pass `TrustPolicy.deferred()` as the role's `assumedBy`:
 *
 * @example
 * const role = new iam.Role(this, 'Role', { assumedBy: TrustPolicy.deferred() });
 * const trust = new TrustPolicy(role, { kind: 'Role' });
 * trust.addStatement({
 *   principals: [new iam.AccountPrincipal('111122223333')],
 *   actions: ['sts:AssumeRole'],
 *   conditions: [TrustCondition.stringEquals('sts:ExternalId', ['vendor-id-123'])],
 * });
 */
export class TrustPolicy {
  /**
   * A principal for a role's `assumedBy` that adds nothing to the trust policy, so
   * that a `TrustPolicy` attached to the role defines it entirely.
   */
  public static deferred(): iam.IPrincipal {
    return new DeferredTrustPrincipal();
  }

  /** The role whose trust policy this is. */
  public readonly role: iam.Role;

  /** The largest accepted size, in characters without whitespace. */
  public readonly maxSize: number;

  private readonly site: ErrorSite;
  private readonly allowOwnerWide: boolean;
  private ownerWideChecks?: Set<string>;
  private statements: TrustStatement[] = [];
  private conditionJson?: Map<string, { json: CfnJson; block: Record<string, unknown> }>;
  private rendered = false;
  private renderedDocument: iam.PolicyStatement[] = [];

  constructor(role: iam.Role, props: TrustPolicyProps = {}) {
    this.role = role;
    this.site = { kind: props.kind ?? 'Role', path: role.node.path };
    this.maxSize = props.maxSize ?? DEFAULT_MAX_TRUST_POLICY_SIZE;
    this.allowOwnerWide = props.allowOwnerWide ?? false;
    if (!Number.isInteger(this.maxSize) || this.maxSize < 1) {
      fail(this.site, 'maxTrustPolicySize', `${this.maxSize} is not a positive whole number`, 'give the trust policy quota of the target accounts, e.g. 4096');
    }
    validateMaxTrustPolicySize(this.site, this.maxSize);
    if (!role.assumeRolePolicy) {
      fail(this.site, 'assumedBy', 'the role has no assume-role policy', 'create the role with assumedBy: TrustPolicy.deferred()');
    }

    // The statements are written into the role's document when it is first read (by an
    // Aspect that resolves the role, by validation or by synthesis): until then conditions
    // can be added. This costs nothing per construct, where an Aspect per role would be
    // visited at every synthesis pass. The role's own validation may run before they are
    // written; what it checks of a trust statement (a principal and an action) addStatement
    // has refused already.
    const document = role.assumeRolePolicy;
    const policies = TRUST_POLICIES.get(document);
    if (policies) {
      TRUST_POLICIES.set(document, append(policies, this));
    } else {
      TRUST_POLICIES.set(document, [this]);
      renderBeforeReading(document);
    }
    role.node.addValidation({ validate: () => this.validate() });
  }

  /** Adds a statement and returns a handle to add conditions to it later. */
  public addStatement(options: TrustStatementOptions): TrustStatement {
    this._assertOpen('statements');
    if (options.principals.length === 0) {
      fail(this.site, 'principals', 'a trust statement needs at least one principal', 'pass the principal allowed to assume the role');
    }
    if (options.actions.length === 0) {
      fail(this.site, 'actions', 'a trust statement needs at least one action', 'pass the STS action, e.g. sts:AssumeRole');
    }
    const statement = new TrustStatement(this, options);
    this.statements = append(this.statements, statement);
    statement.addConditions(...(options.conditions ?? []));
    return statement;
  }

  /**
   * The trust policy statements as IAM will see them, with tokens left as CloudFormation
   * intrinsics. Rendered at synthesis; before that, renders the current state.
   */
  public toStatementsJson(): any[] {
    const stack = Stack.of(this.role);
    return this.renderStatements().map(s => stack.resolve(s.toStatementJson()));
  }

  /**
   * Accepts owner-wide ways in of one kind of check (a `ScopeCheck` value, e.g. `subject`),
   * because the pattern's props opted in to them.
   *
   * @internal
   */
  public _acceptOwnerWide(check: string): void {
    (this.ownerWideChecks ??= new Set()).add(check);
  }

  /** @internal */
  public _assertOpen(what: string): void {
    if (this.rendered) {
      fail(this.site, what, 'the trust policy was already synthesized', `add ${what} before the app is synthesized`);
    }
  }

  /** @internal */
  public _validateCondition(c: TrustCondition, existing: TrustCondition[] = []): void {
    const key = c.key;
    if (!Token.isUnresolved(key) && key.trim() === '') {
      fail(this.site, 'conditions', 'a condition has an empty key', 'name the condition key, e.g. sts:ExternalId');
    }
    if (c.values.length === 0) {
      fail(this.site, 'conditions', `the condition on '${key}' has no values`,
        'give at least one value; a condition with no values would match nothing (or everything, with ForAllValues)');
    }
    if (c._comparison === Comparison.ANY_VALUE_MATCH && !Token.isUnresolved(key) && !MULTI_VALUED_KEYS.has(key)) {
      fail(this.site, 'conditions', `'${key}' carries a single value, so ForAnyValue: on it is a mistake`,
        'use TrustCondition.stringMatches for single-valued keys such as sub and aud');
    }
    for (const text of [key, ...c.values]) {
      if (!Token.isUnresolved(text) && !POLICY_TEXT.test(text)) {
        fail(this.site, 'conditions', `${quote(text)} contains characters IAM does not accept in a policy`,
          'use printable characters of Latin-1 (U+0020 to U+00FF), tab and line breaks only');
      }
    }
    if (Token.isUnresolved(key)) return;
    for (const other of existing) {
      if (other.key !== key) continue;
      const mixed = other._comparison !== c._comparison && [other._comparison, c._comparison].every(k => STRING_OPERATOR_KINDS.has(k));
      if (mixed) {
        fail(this.site, 'conditions',
          `'${key}' has both an exact (stringEquals) and a pattern (stringMatches) condition, and both render as StringEquals, where one would replace the other`,
          'give all values of the key through one of the two');
      }
      const single = other._comparison === c._comparison && SINGLE_VALUE_KINDS.has(c._comparison);
      if (single && JSON.stringify(other.values) !== JSON.stringify(c.values)) {
        fail(this.site, 'conditions', `'${key}' has two different values (${other.values.join(', ')} and ${c.values.join(', ')}), and the trust would accept either`,
          'give the key one value');
      }
    }
  }

  /**
   * Writes the statements into the role's document, once.
   *
   * @internal
   */
  public _render(): void {
    if (this.rendered) return;
    this.role.assumeRolePolicy!.addStatements(...this.renderStatements());
    this.rendered = true;
  }

  /** Builds the PolicyStatements: one per combination of operator alternatives. */
  private renderStatements(): iam.PolicyStatement[] {
    if (this.rendered) return this.renderedDocument;
    // concat sizes the array exactly (see append).
    this.renderedDocument = new Array<iam.PolicyStatement>().concat(...this.statements.map((spec, index) =>
      conditionAlternatives(spec._conditions).map((condition, variant) => {
        const statement = new iam.PolicyStatement({
          principals: spec._principals,
          actions: spec._actions,
        });
        for (const operator of Object.keys(condition)) {
          const block = condition[operator];
          statement.addCondition(operator, hasTokenKey(block)
            ? this.wrapTokenKeys(`${index}${variant === 0 ? '' : `V${variant}`}${operatorId(operator)}`, block)
            : block);
        }
        return statement;
      })));
    return this.renderedDocument;
  }

  /** A condition block whose keys contain tokens must go through CfnJson. */
  private wrapTokenKeys(id: string, block: Record<string, unknown>): Record<string, unknown> | IResolvable {
    const entry = this.conditionJson?.get(id);
    if (entry && JSON.stringify(entry.block) !== JSON.stringify(block)) {
      // Rendered early (toStatementsJson) and changed since: replace it under the same id.
      this.role.node.tryRemoveChild(`TrustConditions${id}`);
    }
    const json = tokenKeysJson(this.role, `TrustConditions${id}`, block) as CfnJson;
    (this.conditionJson ??= new Map()).set(id, { json, block });
    return json;
  }


  private validate(): string[] {
    if (this.statements.length === 0) {
      return [`Invalid ${this.site.kind} '${this.site.path}': the trust policy has no statements; every access pattern must trust at least one principal.`];
    }
    const stack = Stack.of(this.role);
    const resolved = stack.resolve(this.role.assumeRolePolicy);
    const blocksByLogicalId = new Map<string, unknown>();
    for (const { json, block } of this.conditionJson?.values() ?? []) {
      const resource = json.node.findChild('Resource').node.defaultChild as CfnElement;
      blocksByLogicalId.set(stack.resolve(resource.logicalId), block);
    }
    const lookup = (logicalId: string): unknown => {
      const block = blocksByLogicalId.get(logicalId);
      return block === undefined ? undefined : stack.resolve(stack.toJsonString(block));
    };
    // Without a partition the estimate counts the longest one (aws-us-gov), so a policy
    // within both limits is within them in every partition. Only a longer one is measured
    // again with the stack's partition (for a region newer than this library's region
    // table, finding it loads aws-cdk-lib's, which costs more than synthesizing a hundred
    // roles).
    const resources = templateResourceLookup(stack);
    let size = estimatePolicyLength(resolved, lookup, undefined, resources);
    if (size.length > Math.min(this.maxSize, DEFAULT_TRUST_POLICY_QUOTA)) {
      size = estimatePolicyLength(resolved, lookup, knownPartitionOf(this.role), resources);
    }
    const scopeErrors = scopeGuardErrors(this.role, resolved, lookup, {
      kind: this.site.kind, allowOwnerWide: this.allowOwnerWide, ownerWideChecks: this.ownerWideChecks ?? NO_CHECKS,
    });
    if (scopeErrors.length > 0) return scopeErrors;
    const approx = size.estimated ? 'about ' : '';
    if (size.length > this.maxSize) {
      return [`Invalid ${this.site.kind} '${this.site.path}': the trust policy is ${approx}${size.length} characters, over the maximum of ${this.maxSize}; ` +
        `cut at least ${size.length - this.maxSize} characters (fewer subjects or principals, wildcards, or split the access over several roles), ` +
        'or raise maxTrustPolicySize if the accounts\' IAM quota allows more.'];
    }
    if (size.length > DEFAULT_TRUST_POLICY_QUOTA) {
      Annotations.of(this.role).addWarningV2(WARNING.trustPolicySize,
        `The trust policy is ${approx}${size.length} characters, over IAM's default quota of ${DEFAULT_TRUST_POLICY_QUOTA}: ` +
        'deployment fails unless the account\'s "Role trust policy length" quota was raised.');
    }
    // Synthesis would resolve the same document again for the template: hand the role's L1
    // the document resolved here (nothing can change it after validation).
    (this.role.node.defaultChild as iam.CfnRole).assumeRolePolicyDocument = resolved;
    return [];
  }
}
