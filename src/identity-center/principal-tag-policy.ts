import { Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ErrorSite, fail } from '../core/errors';
import { quote, validateNotEmpty } from '../core/validation';

/** Options for {@link PrincipalTagPolicy}. */
export interface PrincipalTagPolicyOptions {
  /**
   * The tag key that must match: the key of an access control attribute of the instance
   * (`AccessControlAttributes`), e.g. `CostCenter`. A request is allowed only when the
   * resource's tag `<key>` equals the session's `aws:PrincipalTag/<key>`.
   */
  readonly tagKey: string;

  /**
   * The actions allowed on resources whose tag matches, e.g.
   * `['ec2:StartInstances', 'ec2:StopInstances']`. Use actions whose service supports the
   * `aws:ResourceTag/<key>` condition key for them (see the Service Authorization Reference).
   */
  readonly actions: string[];

  /**
   * The resources those actions may reach, before the tag condition narrows them.
   *
   * @default ['*'] - every resource of the account that carries the matching tag
   */
  readonly resources?: string[];

  /**
   * Actions that create resources, allowed only when the request tags the new resource with
   * the caller's own value (`aws:RequestTag/<key>` = `aws:PrincipalTag/<key>`), e.g.
   * `['ec2:RunInstances']`.
   *
   * @default - no creation
   */
  readonly createActions?: string[];

  /**
   * The tagging actions of the services involved (e.g. `['ec2:CreateTags', 'ec2:DeleteTags']`,
   * `['s3:PutObjectTagging']`): a Deny statement refuses them whenever they would remove the
   * `<key>` tag or set it to another value than the caller's, so that nobody moves a resource
   * into another team's reach or out of their own. Give them whenever `actions` or
   * `createActions` include tagging.
   *
   * @default - no Deny statement
   */
  readonly tagActions?: string[];
}

/**
 * Permissions scoped by a principal tag (ABAC): one permission set for every team, where
 * each user reaches only the resources tagged with their own value of an access control
 * attribute (`aws:ResourceTag/<key>` must equal `${aws:PrincipalTag/<key>}`). A session
 * without the tag, or a resource without it, matches nothing.
 *
 * Use the statements as the inline policy of a `PermissionSet` (or of any role whose
 * sessions carry the tag).
 *
 * @example
 * new PermissionSet(this, 'Developers', {
 *   instance,
 *   permissionSetName: 'Developers',
 *   inlinePolicy: PrincipalTagPolicy.document({
 *     tagKey: 'CostCenter',
 *     actions: ['ec2:StartInstances', 'ec2:StopInstances'],
 *     tagActions: ['ec2:CreateTags', 'ec2:DeleteTags'],
 *   }),
 * });
 *
 * @see https://docs.aws.amazon.com/singlesignon/latest/userguide/configure-abac-policies.html
 */
export class PrincipalTagPolicy {
  /** The statements: Allow on matching resources, Allow creation with a matching tag, Deny changing the tag. */
  public static statements(options: PrincipalTagPolicyOptions): iam.PolicyStatement[] {
    const site: ErrorSite = { kind: 'PrincipalTagPolicy', path: 'statements' };
    const key = options.tagKey;
    if (Token.isUnresolved(key)) {
      fail(site, 'tagKey', 'the tag key is only known at deploy time, but it names condition keys (aws:ResourceTag/<key>), which must be literal here',
        'give the key of the access control attribute as text, e.g. \'CostCenter\'');
    }
    if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u.test(key)) {
      fail(site, 'tagKey', `${quote(key)} is not a tag key`, 'use the key of an access control attribute: 1-128 letters, digits, spaces and _ . : / = + - @');
    }
    validateNotEmpty(site, 'actions', options.actions, 'list the actions allowed on resources tagged with the caller\'s value');
    const resources = options.resources ?? ['*'];
    validateNotEmpty(site, 'resources', resources, 'leave resources unset to reach every resource that carries the matching tag');
    for (const action of [...options.actions, ...options.createActions ?? []]) {
      if (!Token.isUnresolved(action) && /^(\*|[^:]+:\*)$/.test(action)) {
        fail(site, 'actions', `${quote(action)} names every action of ${action === '*' ? 'every service' : 'a service'}, including ones that ignore resource tags or change them`,
          'list the actions one by one');
      }
    }
    const principalTag = `\${aws:PrincipalTag/${key}}`;
    const tagged = { Null: { [`aws:PrincipalTag/${key}`]: 'false' } };
    const statements = [new iam.PolicyStatement({
      sid: 'MatchingResourceTag',
      actions: options.actions,
      resources,
      conditions: { ...tagged, StringEquals: { [`aws:ResourceTag/${key}`]: principalTag } },
    })];
    if ((options.createActions ?? []).length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'CreateWithOwnTag',
        actions: options.createActions,
        resources,
        conditions: { ...tagged, StringEquals: { [`aws:RequestTag/${key}`]: principalTag } },
      }));
    }
    if ((options.tagActions ?? []).length > 0) {
      // A negated operator also matches when the key is absent: removing the tag (no
      // aws:RequestTag/<key>) is refused as well as setting it to another value.
      statements.push(new iam.PolicyStatement({
        sid: 'KeepOwnTag',
        effect: iam.Effect.DENY,
        actions: options.tagActions,
        resources: ['*'],
        conditions: {
          'ForAnyValue:StringEquals': { 'aws:TagKeys': [key] },
          'StringNotEquals': { [`aws:RequestTag/${key}`]: principalTag },
        },
      }));
    }
    return statements;
  }

  /** The statements as a policy document, e.g. a permission set's `inlinePolicy`. */
  public static document(options: PrincipalTagPolicyOptions): iam.PolicyDocument {
    return new iam.PolicyDocument({ statements: PrincipalTagPolicy.statements(options) });
  }

  private constructor() {}
}
