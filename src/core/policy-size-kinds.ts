import { CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { LONGEST_REGION_LENGTH } from './regions';

/**
 * What the policy size estimator (`policy-size.ts`) knows about the kinds of values: the
 * longest length IAM and CloudFormation allow for each, the positions in a policy that tell
 * a value's kind (slots), the longest text of each ARN field, and the lookup of the
 * resources of a template behind a `Ref` or `Fn::GetAtt`.
 */

/** A resource of the policy's template: its CloudFormation type and resolved properties. */
export interface TemplateResource {
  /** The CloudFormation type, e.g. `AWS::IAM::Role`. */
  readonly type: string;
  /** The properties as they are in the template (may hold intrinsics). */
  readonly properties: Record<string, unknown>;
}

/** Finds a resource of the policy's template by its logical id, or undefined. */
export type TemplateResourceLookup = (logicalId: string) => TemplateResource | undefined;

/** The longest partition name (`aws-us-gov`); a test holds it against aws-cdk-lib's region table. */
export const LONGEST_PARTITION = 'aws-us-gov';
/** The longest URL suffix (`amazonaws.com.cn`); a test holds it against aws-cdk-lib's region table. */
export const LONGEST_URL_SUFFIX_LENGTH = 'amazonaws.com.cn'.length;
/** A region name is counted at least this long, even if the region table knows only shorter ones. */
const MIN_REGION_LENGTH = 14;
export const ACCOUNT_ID_LENGTH = 12;
export const UUID_LENGTH = 36;
/** IAM: path up to 512 characters, role and user names up to 64 ("IAM and AWS STS quotas"). */
export const IAM_PATH_LENGTH = 512;
export const IAM_NAME_LENGTH = 64;
/** IAM unique ids (`AROA...`) are up to 128 characters. */
export const IAM_UNIQUE_ID_LENGTH = 128;
/** An OIDC provider URL is up to 255 characters; its ARN holds it without `https://`. */
export const OIDC_ISSUER_LENGTH = 255 - 'https://'.length;
export const SAML_PROVIDER_NAME_LENGTH = 128;
export const EKS_CLUSTER_NAME_LENGTH = 100;
/** The id at the end of an EKS issuer URL: 32 hexadecimal digits. */
export const EKS_OIDC_ID_LENGTH = 32;
/** `o-` and up to 32 characters. */
export const ORGANIZATION_ID_LENGTH = 34;
/** CloudFormation stack names are up to 128 characters. */
export const STACK_NAME_LENGTH = 128;
/** A reference to a resource or parameter of unknown kind. */
export const UNKNOWN_REF_LENGTH = 24;
/** An attribute of unknown kind named Arn or ending in Arn. */
export const UNKNOWN_ARN_LENGTH = 72;

/**
 * The longest region name in aws-cdk-lib's region table (at least 14). A constant held
 * against the table by a test, because loading the table costs more than synthesizing a
 * hundred roles.
 */
export function longestRegionLength(): number {
  return Math.max(MIN_REGION_LENGTH, LONGEST_REGION_LENGTH);
}

/**
 * A lookup of the resources of `stack`'s template, for `estimatePolicyLength`: tells
 * the type and properties of the resource behind a `Ref` or `Fn::GetAtt`. Elements are
 * indexed once per stack and looked up again when an id is missing (a construct added
 * since); a resource's properties are resolved when first asked for.
 */
export function templateResourceLookup(stack: Stack): TemplateResourceLookup {
  return (logicalId: string) => {
    let index = TEMPLATE_INDEX.get(stack);
    // Index again for an id not seen yet (a construct added since), at most once per id.
    if (!index || (!index.elements.has(logicalId) && !index.missing.has(logicalId))) {
      index = indexTemplate(stack);
      TEMPLATE_INDEX.set(stack, index);
    }
    const element = index.elements.get(logicalId);
    if (!element) index.missing.add(logicalId);
    if (!element || !CfnResource.isCfnResource(element)) return undefined;
    let resource = index.resolved.get(logicalId);
    if (!resource) {
      const rendered = stack.resolve((element as CfnResource & { _toCloudFormation(): any })._toCloudFormation());
      const body = rendered?.Resources?.[logicalId] ?? {};
      resource = { type: element.cfnResourceType, properties: body.Properties ?? {} };
      index.resolved.set(logicalId, resource);
    }
    return resource;
  };
}

interface TemplateIndex {
  readonly elements: Map<string, CfnElement>;
  readonly resolved: Map<string, TemplateResource>;
  /** Ids looked up and not found in this index. */
  readonly missing: Set<string>;
}

const TEMPLATE_INDEX = new WeakMap<Stack, TemplateIndex>();

function indexTemplate(stack: Stack): TemplateIndex {
  const elements = new Map<string, CfnElement>();
  for (const node of stack.node.findAll()) {
    if (CfnElement.isCfnElement(node) && node.stack === stack) {
      elements.set(stack.resolve(node.logicalId), node);
    }
  }
  return { elements, resolved: new Map(), missing: new Set() };
}

/** Where a value stands in a policy, which tells its kind when the value does not. */
export type Slot = 'awsPrincipal' | 'federatedPrincipal' | 'account' | 'identityPool' | 'clusterArn' | 'trustAnchorArn' | 'organization';

/** Condition keys (lower case) whose values have one kind. */
const KEY_SLOTS: Record<string, Slot> = {
  'aws:sourceaccount': 'account',
  'aws:principalaccount': 'account',
  'aws:resourceaccount': 'account',
  'aws:principalorgid': 'organization',
  'aws:resourceorgid': 'organization',
  'cognito-identity.amazonaws.com:aud': 'identityPool',
  'aws:requesttag/eks-cluster-arn': 'clusterArn',
};

/**
 * Where a value stands: the literal key above it, and the path above that (undefined at the
 * top). A chain rather than an array, so that walking a policy copies no arrays.
 */
export interface PolicyPath {
  readonly key: string;
  readonly parent?: PolicyPath;
}

/** The slot of a value at `path` (the literal keys above it), if it tells the value's kind. */
export function slotAt(path: PolicyPath | undefined, services: string[]): Slot | undefined {
  const last = path?.key;
  const second = path?.parent?.key;
  if (second === 'Principal') {
    if (last === 'AWS') return 'awsPrincipal';
    if (last === 'Federated') return 'federatedPrincipal';
  }
  if (last !== undefined && path?.parent?.parent?.key === 'Condition') {
    const key = last.toLowerCase();
    if (key === 'aws:sourcearn' && services.includes('rolesanywhere.amazonaws.com')) return 'trustAnchorArn';
    return KEY_SLOTS[key];
  }
  return undefined;
}

/**
 * The longest text of the ARN field that follows `prefix` (the ARN so far), or undefined
 * when the field does not tell: a partition, region or account, or the name in a role,
 * user, OIDC or SAML provider, trust anchor, profile or EKS cluster resource.
 */
export function arnFieldLength(prefix: string): number | undefined {
  const fields = prefix.split(':');
  switch (fields.length - 1) {
    case 1: return LONGEST_PARTITION.length;
    case 3: return longestRegionLength();
    case 4: return ACCOUNT_ID_LENGTH;
    default: break;
  }
  if (fields.length < 6) return undefined;
  const resource = fields.slice(5).join(':');
  const names: Array<[RegExp, number]> = [
    [/^(role|user)\//, IAM_PATH_LENGTH + IAM_NAME_LENGTH],
    [/^oidc-provider\/$/, OIDC_ISSUER_LENGTH],
    [/^saml-provider\/$/, SAML_PROVIDER_NAME_LENGTH],
    [/^(trust-anchor|profile)\/$/, UUID_LENGTH],
    [/^cluster\/$/, EKS_CLUSTER_NAME_LENGTH],
  ];
  return names.find(([pattern]) => pattern.test(resource))?.[1];
}
