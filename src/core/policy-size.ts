import { splitOf } from './intrinsics';
import {
  ACCOUNT_ID_LENGTH, arnFieldLength, EKS_CLUSTER_NAME_LENGTH, EKS_OIDC_ID_LENGTH, IAM_NAME_LENGTH, IAM_PATH_LENGTH, IAM_UNIQUE_ID_LENGTH,
  LONGEST_PARTITION, LONGEST_URL_SUFFIX_LENGTH, longestRegionLength, OIDC_ISSUER_LENGTH, ORGANIZATION_ID_LENGTH, PolicyPath,
  SAML_PROVIDER_NAME_LENGTH, Slot, slotAt, STACK_NAME_LENGTH, TemplateResourceLookup, UNKNOWN_ARN_LENGTH, UNKNOWN_REF_LENGTH, UUID_LENGTH,
} from './policy-size-kinds';

// The per-kind lengths and the template lookup live in policy-size-kinds.ts; importable from here too.
export { LONGEST_PARTITION, LONGEST_URL_SUFFIX_LENGTH, longestRegionLength, templateResourceLookup } from './policy-size-kinds';
export type { TemplateResource, TemplateResourceLookup } from './policy-size-kinds';

/**
 * Measures a policy document the way IAM counts it: minified JSON, no whitespace.
 *
 * At synthesis parts of a policy are CloudFormation intrinsics (the partition, an account
 * id, the ARN of a provider created in the same stack). Each one counts at the longest
 * length a value of its kind may have, so that a policy IAM would refuse does not pass as
 * short enough:
 *
 * - pseudo parameters: the longest partition, region (from aws-cdk-lib's region table) and
 *   URL suffix, a 12-digit account id;
 * - a resource of the same template, whose type the caller's resource lookup tells: a
 *   role ARN with its known path and name (a path up to 512 and a name up to 64 characters
 *   where they are chosen at deploy time), an OIDC or SAML provider ARN, a trust anchor
 *   ARN, an EKS cluster ARN or issuer URL, a Cognito identity pool id, the JSON a `CfnJson`
 *   carries;
 * - an attribute only one resource type has (`TrustAnchorArn`, `OpenIdConnectIssuerUrl`);
 * - a part of an ARN (`arn:${Partition}:iam::${Account}:role/${Name}`) by its field: the
 *   account, the region, a role or OIDC provider name ...;
 * - a whole value by where it stands: an AWS principal is a role or user ARN, a federated
 *   principal a provider ARN, `aws:SourceAccount` an account id, the Cognito `aud` an
 *   identity pool id, the Pod Identity `eks-cluster-arn` tag a cluster ARN, the
 *   `aws:SourceArn` of a Roles Anywhere trust a trust anchor ARN.
 *
 * A value of unknown kind keeps a typical length (24 characters, 72 for an attribute named
 * `...Arn`). The result is marked estimated whenever an intrinsic was present.
 */

/** The measured length of a policy. */
export interface PolicyLength {
  /** Characters of the minified policy. */
  readonly length: number;
  /** Whether some values were estimated because they are only known at deploy time. */
  readonly estimated: boolean;
}

/**
 * Estimates the minified length of a resolved policy.
 *
 * @param resolved the policy after `Stack.resolve`
 * @param lookupGetAtt returns the concrete value behind a `Fn::GetAtt` when the caller
 *   knows it (e.g. a CfnJson condition block), or undefined
 * @param partition the stack's partition when known (its region is concrete); otherwise the
 *   longest, `aws-us-gov`, is counted, so that the estimate does not fall short
 * @param lookupResource tells the type and properties of a resource of the same template
 *   (see {@link templateResourceLookup}), so that a `Ref` or `Fn::GetAtt` counts at the
 *   longest length of its kind, with what the template fixes (a role's path and name)
 *   counted exactly; without it only attributes and positions tell a value's kind
 */
export function estimatePolicyLength(
  resolved: unknown,
  lookupGetAtt: (logicalId: string, attribute: string) => unknown = () => undefined,
  partition?: string,
  lookupResource: TemplateResourceLookup = () => undefined,
): PolicyLength {
  let estimated = false;
  /** How many values of unknown kind were counted at a typical length so far. */
  let unknowns = 0;
  /** Resources whose estimate is under way (a guard against references in a circle). */
  const visiting = new Set<string>();

  const fill = (n: number): string => 'x'.repeat(n);
  const unknownValue = (n: number): string => {
    unknowns++;
    return fill(n);
  };
  const part = (): string => partition ?? LONGEST_PARTITION;
  const region = (): string => fill(longestRegionLength());
  const account = (): string => fill(ACCOUNT_ID_LENGTH);
  const arn = (service: string, regional: boolean, resource: string): string =>
    `arn:${part()}:${service}:${regional ? region() : ''}:${account()}:${resource}`;

  /** Counts `compute()`, or `max` characters if it holds a value of unknown kind. */
  const atMost = (max: number | (() => number), compute: () => string): string => {
    const before = unknowns;
    const text = compute();
    if (unknowns === before) return text;
    unknowns = before;
    return fill(typeof max === 'number' ? max : max());
  };
  /** A template property of known kind: absent, literal, or estimated up to `max`. */
  const property = (value: unknown, max: number, absent: string = fill(max)): string => {
    if (value === undefined) return absent;
    return atMost(max, () => scalar(value));
  };

  const slotValue = (slot: Slot): string => {
    switch (slot) {
      case 'awsPrincipal': return arn('iam', false, `role${fill(IAM_PATH_LENGTH)}${fill(IAM_NAME_LENGTH)}`);
      case 'federatedPrincipal': return arn('iam', false, `oidc-provider/${fill(OIDC_ISSUER_LENGTH)}`);
      case 'account': return account();
      case 'organization': return fill(ORGANIZATION_ID_LENGTH);
      case 'identityPool': return `${region()}:${fill(UUID_LENGTH)}`;
      case 'clusterArn': return arn('eks', true, `cluster/${fill(EKS_CLUSTER_NAME_LENGTH)}`);
      case 'trustAnchorArn': return arn('rolesanywhere', true, `trust-anchor/${fill(UUID_LENGTH)}`);
    }
  };

  const eksIssuerUrl = (): string =>
    `https://oidc.eks.${region()}.${fill(LONGEST_URL_SUFFIX_LENGTH)}/id/${fill(EKS_OIDC_ID_LENGTH)}`;
  const oidcProviderArn = (url: unknown): string => {
    const issuer = url === undefined ? fill(OIDC_ISSUER_LENGTH) : atMost(OIDC_ISSUER_LENGTH, () => scalar(url).replace(/^https:\/\//, ''));
    return arn('iam', false, `oidc-provider/${issuer}`);
  };
  const eksClusterName = (p: Record<string, unknown>, key: 'Name' | 'Config'): string => {
    const name = key === 'Name' ? p.Name : (p.Config as Record<string, unknown> | undefined)?.name;
    return property(name, EKS_CLUSTER_NAME_LENGTH);
  };

  /**
   * What a `Ref` (attribute undefined) or `Fn::GetAtt` of a resource of known type is, or
   * undefined when the type or attribute is not one of those below.
   */
  const resourceValue = (type: string, attribute: string | undefined, p: Record<string, unknown>): unknown => {
    switch (type) {
      case 'AWS::IAM::Role': {
        const name = property(p.RoleName, IAM_NAME_LENGTH);
        if (attribute === undefined) return name;
        if (attribute === 'Arn') return arn('iam', false, `role${property(p.Path, IAM_PATH_LENGTH, '/')}${name}`);
        if (attribute === 'RoleId') return fill(IAM_UNIQUE_ID_LENGTH);
        return undefined;
      }
      case 'AWS::IAM::OIDCProvider':
        return attribute === undefined || attribute === 'Arn' ? oidcProviderArn(p.Url) : undefined;
      case 'Custom::AWSCDKOpenIdConnectProvider':
        return attribute === undefined ? oidcProviderArn(p.Url) : undefined;
      case 'AWS::IAM::SAMLProvider':
        return attribute === undefined || attribute === 'Arn'
          ? arn('iam', false, `saml-provider/${property(p.Name, SAML_PROVIDER_NAME_LENGTH)}`) : undefined;
      case 'AWS::EKS::Cluster':
      case 'Custom::AWSCDK-EKS-Cluster': {
        const name = eksClusterName(p, type === 'AWS::EKS::Cluster' ? 'Name' : 'Config');
        if (attribute === undefined) return name;
        if (attribute === 'Arn') return arn('eks', true, `cluster/${name}`);
        if (attribute === 'OpenIdConnectIssuerUrl') return eksIssuerUrl();
        return undefined;
      }
      case 'AWS::RolesAnywhere::TrustAnchor':
        if (attribute === 'TrustAnchorArn') return arn('rolesanywhere', true, `trust-anchor/${fill(UUID_LENGTH)}`);
        return attribute === undefined || attribute === 'TrustAnchorId' ? fill(UUID_LENGTH) : undefined;
      case 'AWS::RolesAnywhere::Profile':
        if (attribute === 'ProfileArn') return arn('rolesanywhere', true, `profile/${fill(UUID_LENGTH)}`);
        return attribute === undefined || attribute === 'ProfileId' ? fill(UUID_LENGTH) : undefined;
      case 'AWS::Cognito::IdentityPool':
        return attribute === undefined || attribute === 'Id' ? `${region()}:${fill(UUID_LENGTH)}` : undefined;
      case 'Custom::AWSCDKCfnJson':
        return attribute === 'Value' && p.Value !== undefined ? jsonValue(scalar(p.Value)) : undefined;
      default:
        return undefined;
    }
  };

  /** Attributes that only one resource type has, so that their kind is known without a lookup. */
  const attributeValue = (attribute: string): string | undefined => {
    switch (attribute) {
      case 'TrustAnchorArn': return arn('rolesanywhere', true, `trust-anchor/${fill(UUID_LENGTH)}`);
      case 'ProfileArn': return arn('rolesanywhere', true, `profile/${fill(UUID_LENGTH)}`);
      case 'OpenIdConnectIssuerUrl': return eksIssuerUrl();
      default: return undefined;
    }
  };

  /** A resource of the template by id, if the lookup knows it (and it is not under way). */
  const known = (logicalId: string, attribute: string | undefined): unknown => {
    if (visiting.has(logicalId)) return undefined;
    const resource = lookupResource(logicalId);
    if (!resource) return undefined;
    visiting.add(logicalId);
    try {
      return resourceValue(resource.type, attribute, resource.properties);
    } finally {
      visiting.delete(logicalId);
    }
  };

  /** A JSON string (CfnJson's Value) counts as the object it carries. */
  const jsonValue = (value: unknown): unknown => {
    if (typeof value === 'string' && value.startsWith('{')) {
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    }
    return value;
  };

  const ref = (name: string): string => {
    switch (name) {
      case 'AWS::Partition': return part();
      case 'AWS::AccountId': return account();
      case 'AWS::Region': return region();
      case 'AWS::URLSuffix': return fill(LONGEST_URL_SUFFIX_LENGTH);
      case 'AWS::StackName': return fill(STACK_NAME_LENGTH);
      case 'AWS::StackId': return arn('cloudformation', true, `stack/${fill(STACK_NAME_LENGTH)}/${fill(UUID_LENGTH)}`);
      case 'AWS::NoValue': return '';
      default: {
        const value = known(name, undefined);
        return typeof value === 'string' ? value : unknownValue(UNKNOWN_REF_LENGTH);
      }
    }
  };

  const getAtt = (logicalId: string, attribute: string): unknown => {
    const given = lookupGetAtt(logicalId, attribute);
    if (given !== undefined) return jsonValue(concrete(given));
    const value = known(logicalId, attribute) ?? attributeValue(attribute);
    if (value !== undefined) return value;
    return unknownValue(/Arn$/.test(attribute) ? UNKNOWN_ARN_LENGTH : UNKNOWN_REF_LENGTH);
  };

  /**
   * Joins parts; in an ARN (`arn:...`), a part of unknown kind counts at the longest length
   * of the ARN field it stands in.
   */
  const join = (delimiter: string, parts: unknown[]): string => {
    let text = '';
    parts.forEach((p, i) => {
      if (i > 0) text += delimiter;
      const isArn = text.startsWith('arn:') || (i === 0 && typeof p === 'string' && p.startsWith('arn:'));
      const max = isArn ? arnFieldLength(text) : undefined;
      text += max === undefined ? scalar(p) : atMost(max, () => scalar(p));
    });
    return text;
  };

  const intrinsic = (name: string, arg: unknown, path: PolicyPath | undefined): unknown => {
    estimated = true;
    switch (name) {
      case 'Ref': return ref(String(arg));
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg as [string, string] : String(arg).split('.');
        return getAtt(logicalId, String(attribute));
      }
      case 'Fn::Join': {
        const [delimiter, parts] = arg as [string, unknown];
        if (Array.isArray(parts)) return join(delimiter, parts);
        const list = concrete(parts, path);
        return join(delimiter, Array.isArray(list) ? list : [list]);
      }
      case 'Fn::Sub': return sub(arg);
      case 'Fn::Select': {
        const [index, list] = arg as [unknown, unknown];
        // An OIDC issuer without its scheme (what issuerOf builds from a URL token).
        const split = isObject(list) ? splitOf(list) : undefined;
        if (split?.delimiter === 'https://' && Number(index) === 1) {
          return atMost(OIDC_ISSUER_LENGTH, () => {
            const url = scalar(split.source);
            return url.includes('https://') ? url.split('https://')[1] : unknownValue(UNKNOWN_REF_LENGTH);
          });
        }
        const before = unknowns;
        const items = concrete(list, path);
        const i = Number(concrete(index, path));
        if (Array.isArray(items) && Number.isInteger(i) && i >= 0 && i < items.length) return items[i];
        // Out of range for the estimate: an element is never longer than the whole.
        if (unknowns === before) unknowns++;
        return Array.isArray(items) ? items.map(x => scalar(x)).join('') : scalar(items);
      }
      case 'Fn::Split': {
        const [delimiter, source] = arg as [string, unknown];
        return scalar(source).split(delimiter);
      }
      case 'Fn::If': {
        // The longer of the two branches.
        const [, a, b] = arg as [unknown, unknown, unknown];
        const left = concrete(a, path);
        const right = concrete(b, path);
        return JSON.stringify(left ?? '').length >= JSON.stringify(right ?? '').length ? left : right;
      }
      default:
        return unknownValue(UNKNOWN_REF_LENGTH);
    }
  };

  const sub = (arg: unknown): string => {
    const [template, variables] = Array.isArray(arg) ? arg as [string, Record<string, unknown>?] : [String(arg), undefined];
    const parts: unknown[] = [];
    let rest = String(template);
    for (let m = /\$\{([^}]*)\}/.exec(rest); m; m = /\$\{([^}]*)\}/.exec(rest)) {
      parts.push(rest.slice(0, m.index));
      const name = m[1];
      if (name.startsWith('!')) {
        parts.push(`\${${name.slice(1)}}`);
      } else if (variables && variables[name] !== undefined) {
        parts.push(variables[name]);
      } else if (name.includes('.') && !name.startsWith('AWS::')) {
        const [id, ...attr] = name.split('.');
        parts.push({ 'Fn::GetAtt': [id, attr.join('.')] });
      } else {
        parts.push({ Ref: name });
      }
      rest = rest.slice(m.index + m[0].length);
    }
    parts.push(rest);
    return join('', parts);
  };

  const scalar = (value: unknown, path?: PolicyPath): string => {
    const v = concrete(value, path);
    return typeof v === 'string' ? v : JSON.stringify(v);
  };

  let services: string[] = [];

  const concrete = (value: unknown, path?: PolicyPath): unknown => {
    if (Array.isArray(value)) return value.map(v => concrete(v, path));
    if (value === null || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      const slot = slotAt(path, services);
      if (slot === undefined) return intrinsic(keys[0], obj[keys[0]], path);
      return atMost(() => slotValue(slot).length, () => {
        const v = intrinsic(keys[0], obj[keys[0]], path);
        return typeof v === 'string' ? v : JSON.stringify(v);
      });
    }
    const outer = services;
    if ('Principal' in obj) services = servicesOf(obj.Principal);
    try {
      const out: Record<string, unknown> = {};
      for (const k of keys) out[k] = concrete(obj[k], { key: k, parent: path });
      return out;
    } finally {
      services = outer;
    }
  };

  const json = JSON.stringify(concrete(resolved));
  return { length: json.length, estimated };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The literal service principals of a statement's `Principal`. */
function servicesOf(principal: unknown): string[] {
  if (!isObject(principal)) return [];
  const service = principal.Service;
  const list = Array.isArray(service) ? service : [service];
  return list.filter((s): s is string => typeof s === 'string');
}
