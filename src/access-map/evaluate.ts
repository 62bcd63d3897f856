import { LoadedTemplate, pathBelow } from './templates';
import { ValueReader } from '../core/trust-reader';

/**
 * Reads CloudFormation intrinsics as far as a template alone allows. What is only known at
 * deploy time is never guessed: it becomes a marker `⟨...⟩` that says what it stands for
 * (`⟨this account⟩`, `⟨name of role Deploy⟩`, `⟨parameter ProviderArn⟩`).
 */
export function unresolved(what: string): string {
  return `⟨${what}⟩`;
}

/** Whether a value read from a template contains a part only known at deploy time. */
export function isUnresolved(value: string): boolean {
  return value.includes('⟨');
}

const INTRINSIC = /^(Ref|Fn::[A-Za-z0-9]+|Condition)$/;

/** How deep the reading of one value may go through nested stacks (parameters up, outputs down). */
const MAX_DEPTH = 16;

/** How an {@link Evaluator} reads. */
export interface EvaluatorOptions {
  /**
   * Whether markers name resources by their construct path below the top-level stack
   * (`⟨generated name of role Providers/Handler/ServiceRole⟩`): for values read from
   * another template of the same stack (a parent's parameter, a nested stack's output).
   */
  readonly qualified?: boolean;
  /** How many templates the reading has crossed so far. */
  readonly depth?: number;
}

/** Evaluates the intrinsics of one template (and of its parent and nested stacks, for the values they pass). */
export class Evaluator implements ValueReader {
  private readonly resources: Record<string, any>;

  constructor(readonly loaded: LoadedTemplate, private readonly options: EvaluatorOptions = {}) {
    this.resources = loaded.template.Resources ?? {};
  }

  /** The partition, from the stack's region; a marker when the region is unknown. */
  get partition(): string {
    const region = this.loaded.region;
    if (!region) return unresolved('partition');
    if (region.startsWith('cn-')) return 'aws-cn';
    if (region.startsWith('us-gov-')) return 'aws-us-gov';
    return 'aws';
  }

  /** The stack's account; a marker when the stack is environment-agnostic. */
  get account(): string {
    return this.loaded.account ?? unresolved('this account');
  }

  /** The stack's region; a marker when the stack is environment-agnostic. */
  get region(): string {
    return this.loaded.region ?? unresolved('this region');
  }

  /** The value with every intrinsic read; objects and arrays are read deeply. */
  value(node: unknown): unknown {
    if (Array.isArray(node)) return node.map(n => this.value(n));
    if (!node || typeof node !== 'object') return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && INTRINSIC.test(keys[0]) && keys[0] !== 'Condition') return this.intrinsic(keys[0], (node as any)[keys[0]]);
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) out[k] = this.value(v);
    return out;
  }

  /** The client id list of the OIDC provider of this template that `node` (`Ref` or `Fn::GetAtt`) refers to. */
  clientIdsOf(node: unknown): string[] | undefined {
    const n = node as any;
    const id = typeof n?.Ref === 'string' ? n.Ref : Array.isArray(n?.['Fn::GetAtt']) ? n['Fn::GetAtt'][0] : undefined;
    const r = id !== undefined ? this.resources[id] : undefined;
    const list = r?.Type === 'AWS::IAM::OIDCProvider' ? r.Properties?.ClientIdList
      : r?.Type === 'Custom::AWSCDKOpenIdConnectProvider' ? r.Properties?.ClientIDList : undefined;
    return list === undefined ? undefined : this.strings(list);
  }

  /** The value as a string; a list reads as its items joined by `, `. */
  str(node: unknown): string {
    const v = this.value(node);
    if (v === undefined || v === null) return '';
    if (Array.isArray(v)) return v.map(x => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
    return typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }

  /** The value as a list of strings (a single value is a list of one). */
  strings(node: unknown): string[] {
    if (node === undefined || node === null) return [];
    const v = this.value(node);
    const list = Array.isArray(v) ? v : [v];
    return list.filter(x => x !== undefined && x !== null).map(x => (typeof x === 'string' ? x : typeof x === 'object' ? JSON.stringify(x) : String(x)));
  }

  /** A resource's readable name: its construct path below the stack, without `/Resource`. */
  label(logicalId: string): string {
    const parts = pathBelow(this.loaded, logicalId, this.resources[logicalId])?.split('/');
    if (!parts) return logicalId;
    while (parts.length > 1 && /^(Resource|Default)$/.test(parts[parts.length - 1])) parts.pop();
    return parts.join('/') || logicalId;
  }

  /**
   * How a marker names a resource of this template: its construct path below the stack, or
   * below the top-level stack when the value is read for another template.
   */
  private markerLabel(logicalId: string): string {
    const label = this.label(logicalId);
    return this.options.qualified && this.loaded.pathInRoot ? `${this.loaded.pathInRoot}/${label}` : label;
  }

  /** The same template read for another one: markers name resources by their path below the top-level stack. */
  private crossing(loaded: LoadedTemplate): Evaluator | undefined {
    const depth = (this.options.depth ?? 0) + 1;
    return depth > MAX_DEPTH ? undefined : new Evaluator(loaded, { qualified: true, depth });
  }

  /** The resource with this logical id, if the template has one. */
  resource(logicalId: string): any {
    return this.resources[logicalId];
  }

  private intrinsic(name: string, arg: any): unknown {
    switch (name) {
      case 'Ref': return this.ref(String(arg));
      case 'Fn::GetAtt': {
        const [id, ...attr] = Array.isArray(arg) ? arg : String(arg).split('.');
        return this.getAtt(String(id), attr.map(String).join('.'));
      }
      case 'Fn::Join': {
        const [delimiter, parts] = Array.isArray(arg) ? arg : ['', []];
        const list = this.value(parts);
        return Array.isArray(list) ? list.map(p => this.asString(p)).join(String(delimiter)) : this.asString(list);
      }
      case 'Fn::Split': {
        const [delimiter, source] = Array.isArray(arg) ? arg : ['', ''];
        return splitOutsideMarkers(this.str(source), String(this.value(delimiter)));
      }
      case 'Fn::Select': {
        const [index, list] = Array.isArray(arg) ? arg : [0, []];
        const items = this.value(list);
        const i = Number(this.value(index));
        if (Array.isArray(items) && Number.isInteger(i) && i >= 0 && i < items.length) return items[i];
        // A part of a value only known at deploy time (an ARN passed as a parameter) is as
        // free, or as bound, as the value: it stays that value's marker.
        const whole = Array.isArray(items) && items.length === 1 ? items[0] : items;
        return typeof whole === 'string' && /^⟨[^⟩]*⟩$/.test(whole) ? whole : unresolved('Fn::Select');
      }
      case 'Fn::Sub': return this.sub(arg);
      case 'Fn::ImportValue': return unresolved(`import ${this.str(arg)}`);
      case 'Fn::FindInMap': {
        const [map, top, second] = (Array.isArray(arg) ? arg : []).map((a: unknown) => this.str(a));
        const found = this.loaded.template.Mappings?.[map]?.[top]?.[second];
        return found !== undefined && !isUnresolved(`${map}${top}${second}`) ? found : unresolved(`value from mapping ${map}`);
      }
      case 'Fn::If': return unresolved(`value chosen by condition ${Array.isArray(arg) ? arg[0] : '?'}`);
      default: return unresolved(name);
    }
  }

  private asString(v: unknown): string {
    if (typeof v === 'string') return v;
    if (v === undefined || v === null) return '';
    return typeof v === 'object' ? unresolved('list') : String(v);
  }

  private sub(arg: any): string {
    const [text, vars] = Array.isArray(arg) ? arg : [arg, {}];
    return String(text).replace(/\$\{(!?)([^}]+)\}/g, (_m, bang: string, expr: string) => {
      if (bang) return `\${${expr}}`;
      if (vars && expr in vars) return this.str(vars[expr]);
      const dot = expr.indexOf('.');
      return dot > 0 && !expr.startsWith('AWS::') ? this.str(this.getAtt(expr.slice(0, dot), expr.slice(dot + 1))) : this.str(this.ref(expr));
    });
  }

  private ref(name: string): unknown {
    switch (name) {
      case 'AWS::Partition': return this.partition;
      case 'AWS::AccountId': return this.account;
      case 'AWS::Region': return this.region;
      case 'AWS::URLSuffix': return this.partition === 'aws-cn' ? 'amazonaws.com.cn' : this.loaded.region ? 'amazonaws.com' : unresolved('URL suffix');
      case 'AWS::NoValue': return undefined;
      default:
    }
    if (name.startsWith('AWS::')) return unresolved(name);
    const parent = this.loaded.parent;
    if (parent && name in parent.parameters) {
      const reader = this.crossing(parent.template);
      if (reader) return reader.value(parent.parameters[name]);
    }
    if (this.loaded.template.Parameters?.[name]) return unresolved(`parameter ${name}`);
    const r = this.resources[name];
    if (!r) return unresolved(`Ref ${name}`);
    const p = r.Properties ?? {};
    const label = this.markerLabel(name);
    switch (r.Type) {
      case 'AWS::IAM::OIDCProvider':
      case 'Custom::AWSCDKOpenIdConnectProvider':
        return `arn:${this.partition}:iam::${this.account}:oidc-provider/${this.str(p.Url).replace(/^https:\/\//, '')}`;
      case 'AWS::IAM::SAMLProvider':
        return `arn:${this.partition}:iam::${this.account}:saml-provider/${p.Name !== undefined ? this.str(p.Name) : unresolved(`name of SAML provider ${label}`)}`;
      case 'AWS::IAM::Role':
        return this.roleName(name);
      case 'AWS::IAM::ManagedPolicy':
        return `arn:${this.partition}:iam::${this.account}:policy${p.Path !== undefined ? this.str(p.Path) : '/'}${p.ManagedPolicyName !== undefined ? this.str(p.ManagedPolicyName) : unresolved(`name of policy ${label}`)}`;
      case 'AWS::EKS::Cluster':
        return this.clusterName(name);
      case 'AWS::Cognito::IdentityPool':
        return unresolved(`identity pool ${p.IdentityPoolName !== undefined ? this.str(p.IdentityPoolName) : label}`);
      default:
        return unresolved(`Ref ${label}`);
    }
  }

  /** A role's name: literal, or a marker for the generated one. */
  roleName(logicalId: string): string {
    const p = this.resources[logicalId]?.Properties ?? {};
    return p.RoleName !== undefined ? this.str(p.RoleName) : unresolved(`generated name of role ${this.markerLabel(logicalId)}`);
  }

  /** An EKS cluster's name: literal, or the construct's name marked as chosen at deploy time. */
  clusterName(logicalId: string): string {
    const p = this.resources[logicalId]?.Properties ?? {};
    return p.Name !== undefined ? this.str(p.Name) : unresolved(`${this.markerLabel(logicalId)}, named at deploy`);
  }

  private getAtt(id: string, attr: string): unknown {
    const r = this.resources[id];
    if (!r) return unresolved(`${id}.${attr}`);
    const p = r.Properties ?? {};
    const label = this.markerLabel(id);
    if (r.Type === NESTED_STACK && attr.startsWith('Outputs.')) return this.nestedOutput(id, attr.slice('Outputs.'.length));
    switch (`${r.Type}.${attr}`) {
      case 'AWS::IAM::Role.Arn':
        return `arn:${this.partition}:iam::${this.account}:role${p.Path !== undefined ? this.str(p.Path) : '/'}${this.roleName(id)}`;
      case 'Custom::AWSCDKCfnJson.Value':
        return this.str(p.Value);
      case 'AWS::EKS::Cluster.Arn':
        return `arn:${this.partition}:eks:${this.region}:${this.account}:cluster/${this.clusterName(id)}`;
      case 'AWS::EKS::Cluster.OpenIdConnectIssuerUrl':
        return unresolved(`issuer of EKS cluster ${this.clusterName(id).replace(/^⟨(.*)⟩$/, '$1')}`);
      case 'AWS::RolesAnywhere::TrustAnchor.TrustAnchorArn':
        return unresolved(`trust anchor ${p.Name !== undefined ? this.str(p.Name) : label}`);
      case 'AWS::SSO::PermissionSet.PermissionSetArn':
        return unresolved(`permission set ${p.Name !== undefined ? this.str(p.Name) : label}`);
      case 'AWS::Cognito::IdentityPool.Id':
        return unresolved(`identity pool ${p.IdentityPoolName !== undefined ? this.str(p.IdentityPoolName) : label}`);
      default:
    }
    if (r.Type === 'Custom::AWS') {
      const lookup = identityStoreLookup(p.Create);
      if (lookup) return unresolved(lookup);
    }
    return unresolved(`${label}.${attr}`);
  }

  /**
   * An output of a nested stack of this template: its `Value` in the nested template, read
   * there; when that template or output is not at hand, a marker that names both.
   */
  private nestedOutput(stackId: string, output: string): unknown {
    const child = this.loaded.nested?.get(stackId);
    const definition = child?.template.Outputs?.[output];
    const reader = child && definition && typeof definition === 'object' && 'Value' in definition ? this.crossing(child) : undefined;
    if (child && reader) return reader.value(definition.Value);
    return unresolved(`output ${output} of nested stack ${nestedStackName(this.markerLabel(stackId))}`);
  }
}

const NESTED_STACK = 'AWS::CloudFormation::Stack';

/** `Providers.NestedStack/Providers.NestedStackResource` (the path of a nested stack's resource) reads `Providers`. */
function nestedStackName(label: string): string {
  return /^(.+)\.NestedStack\/[^/]+\.NestedStackResource$/.exec(label)?.[1] ?? label;
}

/** Splits on `separator` outside `⟨...⟩` markers: a marker may hold a construct path (`⟨generated name of role Team/Deploy⟩`). */
export function splitOutsideMarkers(text: string, separator: string): string[] {
  if (separator === '') return text.split(separator);
  const markers: string[] = [];
  const masked = text.replace(/⟨[^⟩]*⟩/g, m => `\u0000${markers.push(m) - 1}\u0000`);
  return masked.split(separator).map(part => part.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => markers[Number(i)]));
}

/** `group "Admins"` for an AwsCustomResource that looks up an identity store principal by name. */
function identityStoreLookup(create: unknown): string | undefined {
  if (typeof create !== 'string') return undefined;
  try {
    const call = JSON.parse(create);
    if (call.service !== 'IdentityStore' && call.service !== '@aws-sdk/client-identitystore') return undefined;
    const kind = /GetGroupId/i.test(call.action) ? 'group' : /GetUserId/i.test(call.action) ? 'user' : undefined;
    const name = call.parameters?.AlternateIdentifier?.UniqueAttribute?.AttributeValue;
    return kind && typeof name === 'string' ? `${kind} "${name}", id looked up at deploy` : undefined;
  } catch {
    return undefined;
  }
}
