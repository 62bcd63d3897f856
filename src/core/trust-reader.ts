/**
 * Reads trust policy statements into one shape, whatever they were read from: a
 * synthesized template (the access map), a construct tree (the nag pack) or a trust
 * policy this library renders (construct validation). What is only known at deploy time
 * is marked one way, `⟨...⟩`, by the {@link ValueReader} that evaluates the intrinsics.
 */

import { joinIntrinsic, selectOfSplit } from './intrinsics';

/** A value only known at deploy time, in plain words: `⟨parameter ProviderArn⟩`. */
export function deployTime(what: string): string {
  return `⟨${what}⟩`;
}

/** Whether a value read from a policy contains a part only known at deploy time. */
export function isDeployTime(value: string): boolean {
  return value.includes('⟨');
}

/**
 * Markers of values that deploy time may choose freely: a parameter, a condition's
 * choice, an import, a mapping, or an intrinsic the reader could not follow. Markers of a
 * resource of the same template (`⟨trust anchor X⟩`, `⟨generated name of role X⟩`) name
 * one thing, and pin as well as a literal does.
 */
const FREE = /⟨(value chosen by condition|parameter |import |value from mapping|Fn::|token|this region|URL suffix|partition|list)/;

/** Whether a value contains a part that deploy time may choose freely (see {@link deployTime}). */
export function isFreeDeployTime(value: string): boolean {
  return FREE.test(value);
}

/** One condition of a statement: its operator, key and values. */
export interface ReadCondition {
  readonly operator: string;
  readonly key: string;
  readonly values: string[];
}

/** A trust policy statement, read. */
export interface ReadStatement {
  /** `Allow` or `Deny`. */
  readonly effect: string;
  /** Principal values by type (`AWS`, `Service`, `Federated`, `CanonicalUser`); `"Principal": "*"` reads `AWS: ['*']`. */
  readonly principals: Record<string, string[]>;
  /** `NotPrincipal`: everyone but these. */
  readonly notPrincipals?: Record<string, string[]>;
  /** A `Principal` only known at deploy time (an `Fn::If`, a parameter), as read. */
  readonly unresolvedPrincipal?: string;
  readonly actions: string[];
  readonly notActions: string[];
  readonly conditions: ReadCondition[];
  /** Condition blocks whose content is only known at deploy time: the operator, or `Condition` for the whole object. */
  readonly opaque: string[];
  /** The same blocks in words, with what was read of them: `StringEquals conditions only known at deploy time (⟨...⟩)`. */
  readonly opaqueText: string[];
  /**
   * The client ids (audiences) of the OIDC providers that the `Federated` principals name,
   * where the provider is defined next to the role, by principal value.
   */
  readonly clientIds: Record<string, string[]>;
}

/** Evaluates the intrinsics of a policy as far as the source allows. */
export interface ValueReader {
  /**
   * The value with every intrinsic read, deeply; what is only known at deploy time becomes
   * a `⟨...⟩` marker. A `CfnJson` block reads as the JSON text it carries.
   */
  value(node: unknown): unknown;
  /** The client id list of the OIDC provider `node` refers to, when it is defined next to the role. */
  clientIdsOf?(node: unknown): string[] | undefined;
}

/** Reads every statement of a trust policy document. A statement chosen at deploy time reads as an unresolved principal. */
export function readTrustPolicy(reader: ValueReader, document: unknown): ReadStatement[] {
  let doc = reader.value(document) as any;
  // CloudFormation also takes the document as JSON text.
  if (typeof doc === 'string') doc = parseJson(doc) ?? doc;
  const rawDoc = document && typeof document === 'object' ? (document as any) : {};
  const list = doc && typeof doc === 'object' ? asList(doc.Statement) : [doc];
  const rawList = asList(rawDoc.Statement);
  return list.map((entry: unknown, i: number) => {
    if (!entry || typeof entry !== 'object') {
      return {
        effect: 'Allow',
        principals: {},
        unresolvedPrincipal: `trust statement ${entry === undefined ? '⟨missing⟩' : String(entry)}`,
        actions: [],
        notActions: [],
        conditions: [],
        opaque: [],
        opaqueText: [],
        clientIds: {},
      };
    }
    return readStatement(reader, entry, rawList.length === list.length ? rawList[i] : undefined);
  });
}

/**
 * Reads one statement. `evaluated` has its intrinsics read already (by `reader.value`);
 * `raw`, when given, is the same statement before reading, for provider look-ups.
 */
export function readStatement(reader: ValueReader, evaluated: any, raw?: any): ReadStatement {
  const strings = (v: unknown): string[] => asList(v).filter(x => x !== undefined && x !== null)
    .map(x => (typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x)));
  const principals: Record<string, string[]> = {};
  const clientIds: Record<string, string[]> = {};
  let unresolvedPrincipal: string | undefined;
  const principal = evaluated.Principal;
  if (principal === '*') {
    principals.AWS = ['*'];
  } else if (typeof principal === 'string') {
    unresolvedPrincipal = `principal ${principal}`;
  } else if (principal && typeof principal === 'object') {
    for (const [type, value] of Object.entries(principal)) {
      principals[type] = strings(value);
      if (type !== 'Federated' || !reader.clientIdsOf) continue;
      const rawValues = asList(raw?.Principal?.Federated);
      principals[type].forEach((v, i) => {
        const ids = rawValues.length === principals[type].length ? reader.clientIdsOf!(rawValues[i]) : undefined;
        if (ids) clientIds[v] = ids;
      });
    }
  }
  let notPrincipals: Record<string, string[]> | undefined;
  if (evaluated.NotPrincipal !== undefined) {
    notPrincipals = {};
    const np = evaluated.NotPrincipal;
    if (np && typeof np === 'object') {
      for (const [type, value] of Object.entries(np)) notPrincipals[type] = strings(value);
    } else {
      notPrincipals.AWS = [String(np)];
    }
  }
  const conditions: ReadCondition[] = [];
  const opaque: string[] = [];
  const opaqueText: string[] = [];
  let block = evaluated.Condition;
  if (typeof block === 'string') {
    const parsed = parseJson(block);
    if (!parsed || typeof parsed !== 'object') {
      opaque.push('Condition');
      opaqueText.push(`conditions only known at deploy time (${block})`);
    }
    block = parsed;
  }
  for (const [operator, rawBlock] of Object.entries<any>(block && typeof block === 'object' ? block : {})) {
    // A CfnJson block reads as the JSON text its custom resource returns.
    const keys = typeof rawBlock === 'string' ? parseJson(rawBlock) : rawBlock;
    if (!keys || typeof keys !== 'object' || Array.isArray(keys)) {
      opaque.push(operator);
      opaqueText.push(`${operator} conditions only known at deploy time${typeof rawBlock === 'string' ? ` (${rawBlock})` : ''}`);
      continue;
    }
    for (const [key, value] of Object.entries(keys)) conditions.push({ operator, key, values: strings(value) });
  }
  return {
    effect: String(evaluated.Effect ?? 'Allow'),
    principals,
    ...(notPrincipals ? { notPrincipals } : {}),
    ...(unresolvedPrincipal ? { unresolvedPrincipal } : {}),
    actions: strings(evaluated.Action),
    notActions: strings(evaluated.NotAction),
    conditions,
    opaque,
    opaqueText,
    clientIds,
  };
}

/** A value or a list of values as a list. */
export function asList(value: unknown): any[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** JSON text parsed, or undefined. */
export function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** What a {@link ResolvedValueReader} may look up in the stack. */
export interface ResolvedValueContext {
  /** The stack's account, when known. */
  readonly account?: string;
  /** The stack's partition, when known. */
  readonly partition?: string;
  /** Whether a logical id names a resource of the stack (not a parameter); without it every reference reads as chosen at deploy time. */
  readonly isResource?: (logicalId: string) => boolean;
  /** The resolved `Value` of the `CfnJson` custom resource with this logical id, if it is one. */
  readonly cfnJson?: (logicalId: string) => unknown;
  /** The client id list of the OIDC provider with this logical id, if it is one of the stack. */
  readonly providerClientIds?: (logicalId: string) => unknown;
}

/**
 * Reads the intrinsics of a value resolved from a construct tree (`Stack.resolve`):
 * `AWS::Partition` and the stack's account as their values when known, a `CfnJson` block
 * as the JSON it carries, a reference to a resource of the stack as a marker naming it,
 * and anything else as a marker of a value chosen at deploy time.
 */
export class ResolvedValueReader implements ValueReader {
  constructor(private readonly ctx: ResolvedValueContext) {}

  public value(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(x => this.value(x));
    if (!v || typeof v !== 'object') return v;
    const keys = Object.keys(v);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const arg = (v as any)[keys[0]];
      if (keys[0] === 'Fn::GetAtt' && Array.isArray(arg) && arg[1] === 'Value' && this.ctx.cfnJson) {
        const json = this.ctx.cfnJson(String(arg[0]));
        if (json !== undefined) return this.flatten(json);
      }
      return this.flatten(v);
    }
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = this.value(x);
    return out;
  }

  public clientIdsOf(v: unknown): string[] | undefined {
    const n = v as any;
    const id = typeof n?.Ref === 'string' ? n.Ref : Array.isArray(n?.['Fn::GetAtt']) ? String(n['Fn::GetAtt'][0]) : undefined;
    const list = id !== undefined ? this.ctx.providerClientIds?.(id) : undefined;
    return Array.isArray(list) ? list.map(x => this.flatten(x)) : undefined;
  }

  /** Joins intrinsic-bearing values into a string, with markers for what is only known at deploy time. */
  public flatten(value: unknown): string {
    return joinIntrinsic(value, node => this.flattenLeaf(node));
  }

  /** What `flatten` reads a node that is neither a scalar nor an `Fn::Join` as. */
  private flattenLeaf(value: unknown): string {
    if (value && typeof value === 'object') {
      const v = value as any;
      const ref = v.Ref;
      if (ref === 'AWS::Partition') return this.ctx.partition ?? 'aws';
      if (ref === 'AWS::AccountId') return this.ctx.account ?? deployTime('this account');
      if (ref === 'AWS::URLSuffix') return this.ctx.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
      if (ref === 'AWS::Region') return deployTime('this region');
      if (typeof ref === 'string' && ref.startsWith('AWS::')) return deployTime(ref);
      if (typeof ref === 'string') return this.ctx.isResource?.(ref) ? deployTime(`Ref ${ref}`) : deployTime(`parameter ${ref}`);
      const getAtt = v['Fn::GetAtt'];
      if (Array.isArray(getAtt)) return this.ctx.isResource?.(String(getAtt[0])) ? deployTime(`${getAtt[0]}.${getAtt[1]}`) : deployTime('token');
      if (v['Fn::If'] !== undefined) return deployTime(`value chosen by condition ${Array.isArray(v['Fn::If']) ? v['Fn::If'][0] : ''}`);
      if (v['Fn::ImportValue'] !== undefined) return deployTime('import');
      const select = selectOfSplit(v);
      // A part of a value only known at deploy time (the issuer of a cluster) is as bound as the value.
      if (select) {
        const source = this.flatten(select.source);
        if (/^⟨[^⟩]*⟩$/.test(source)) return source;
      }
    }
    return deployTime('token');
  }
}
