import { Resource, Stack, Token } from 'aws-cdk-lib';
import * as sso from 'aws-cdk-lib/aws-sso';
import { Construct, IConstruct } from 'constructs';
import { IIdentityCenterInstance } from './instance';
import { ErrorSite, fail, siteOf } from '../core/errors';
import { quote, validateNotEmpty } from '../core/validation';

/**
 * One attribute for access control: an attribute of the user in the identity source that
 * IAM Identity Center passes into every session as the session tag `key`, read in
 * policies as `aws:PrincipalTag/<key>`.
 */
export interface AccessControlAttribute {
  /**
   * The session tag key, e.g. `CostCenter` (policies read `aws:PrincipalTag/CostCenter`).
   * 1-128 letters, digits, spaces and `_ . : / = + - @`; tag keys are not case-sensitive,
   * and the `aws:` prefix is reserved for AWS.
   *
   * @see https://docs.aws.amazon.com/singlesignon/latest/APIReference/API_AccessControlAttribute.html
   */
  readonly key: string;

  /**
   * Where the value comes from: an attribute of the Identity Center directory or of the
   * users synchronized from the external identity provider, as `${path:<attribute>}`
   * (`${path:enterprise.costCenter}`, `${path:enterprise.department}`, `${path:userName}`,
   * `${path:name.familyName}`), at most 256 characters.
   *
   * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/attributemappingsconcept.html
   */
  readonly source: string;
}

/** Properties for {@link AccessControlAttributes}. */
export interface AccessControlAttributesProps {
  /** The Identity Center instance whose sessions carry the attributes. */
  readonly instance: IIdentityCenterInstance;

  /**
   * The attributes, each passed as a session tag into every account a user signs in to
   * through a permission set. At least one, at most 50 (STS accepts 50 session tags).
   */
  readonly attributes: AccessControlAttribute[];
}

/** `AWS::SSO::InstanceAccessControlAttributeConfiguration` holds every attribute of an instance. */
const MAX_ATTRIBUTES = 50;
const KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const MAX_SOURCE_LENGTH = 256;

/** The instances that already have their attributes in an app (keyed by the construct tree's root). */
const CONFIGURED = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Attribute-based access control (ABAC) for an IAM Identity Center instance: the
 * `AWS::SSO::InstanceAccessControlAttributeConfiguration` that turns user attributes into
 * session tags (`aws:PrincipalTag/<key>`), so that one permission set scoped by
 * {@link PrincipalTagPolicy} lets each user reach only the resources tagged with their own
 * value (their cost center, team or project).
 *
 * An instance has exactly one such configuration: declare every attribute of the instance
 * in one `AccessControlAttributes` (a second one for the same instance in the app is
 * refused). Deploy it in the account that manages the instance.
 *
 * @example
 * new AccessControlAttributes(this, 'Abac', {
 *   instance,
 *   attributes: [{ key: 'CostCenter', source: '${path:enterprise.costCenter}' }],
 * });
 */
export class AccessControlAttributes extends Resource {
  /** The attribute keys, in order. */
  public readonly keys: string[];

  constructor(scope: Construct, id: string, props: AccessControlAttributesProps) {
    const site = siteOf('AccessControlAttributes', scope, id);
    validateAttributes(site, props.attributes);
    super(scope, id);
    registerInstance(site, this, props.instance.instanceArn);
    this.keys = props.attributes.map(a => a.key);
    new sso.CfnInstanceAccessControlAttributeConfiguration(this, 'Resource', {
      instanceArn: props.instance.instanceArn,
      accessControlAttributes: props.attributes.map(a => ({ key: a.key, value: { source: [a.source] } })),
    });
  }
}

function validateAttributes(site: ErrorSite, attributes: AccessControlAttribute[]): void {
  validateNotEmpty(site, 'attributes', attributes, 'give the attributes that policies read as aws:PrincipalTag/<key>');
  if (attributes.length > MAX_ATTRIBUTES) {
    fail(site, 'attributes', `${attributes.length} attributes are more than the ${MAX_ATTRIBUTES} session tags STS accepts`,
      `keep at most ${MAX_ATTRIBUTES} attributes`);
  }
  const seen = new Map<string, string>();
  for (const { key, source } of attributes) {
    if (!Token.isUnresolved(key)) {
      if (!KEY.test(key)) {
        fail(site, 'attributes', `${quote(key)} is not a session tag key`,
          'use 1-128 letters, digits, spaces and _ . : / = + - @');
      }
      if (key.toLowerCase().startsWith('aws:')) {
        fail(site, 'attributes', `${quote(key)} starts with 'aws:', which is reserved for AWS`, 'choose a key without the aws: prefix');
      }
      // Tag keys are not case-sensitive: CostCenter and costcenter are one session tag.
      const other = seen.get(key.toLowerCase());
      if (other !== undefined) {
        fail(site, 'attributes', `${quote(key)} is the same session tag key as ${quote(other)} (tag keys are not case-sensitive)`,
          'list each key once');
      }
      seen.set(key.toLowerCase(), key);
    }
    if (!Token.isUnresolved(source) && (source.trim() === '' || source.length > MAX_SOURCE_LENGTH)) {
      fail(site, 'attributes', `the source of ${quote(key)} is ${source.trim() === '' ? 'empty' : `${source.length} characters long`}`,
        `give the attribute path, e.g. '\${path:enterprise.costCenter}' (at most ${MAX_SOURCE_LENGTH} characters)`);
    }
  }
}

/** Refuses a second configuration of the same instance in the app: CloudFormation would fail on it. */
function registerInstance(site: ErrorSite, construct: IConstruct, instanceArn: string): void {
  const root = construct.node.root;
  const configured = CONFIGURED.get(root) ?? new Map<string, string>();
  CONFIGURED.set(root, configured);
  const stack = Stack.of(construct);
  const key = Token.isUnresolved(instanceArn) ? `${stack.node.path}|${JSON.stringify(stack.resolve(instanceArn))}` : instanceArn;
  const other = configured.get(key);
  if (other !== undefined) {
    fail(site, 'instance', `the instance already has its access control attributes in '${other}'`,
      'declare every attribute of an instance in one AccessControlAttributes (an instance has one configuration)');
  }
  configured.set(key, construct.node.path);
}
