import { AccessMapKind } from '../core/trust-scope/kind';

/** One way into a role: who, under which further conditions, with which actions. */
export interface AccessMapWayIn {
  /** The kind of principal. */
  readonly kind: AccessMapKind;
  /**
   * Who, in plain words, e.g. `GitHub Actions: acme/api, branch main` or
   * `account 111122223333 with ExternalId`. Values only known at deploy time read `⟨...⟩`.
   */
  readonly who: string;
  /** The statement's other conditions, in plain words. */
  readonly conditions: string[];
  /** The STS actions the statement allows, e.g. `sts:AssumeRoleWithWebIdentity`. */
  readonly actions: string[];
  /**
   * Why this way in is broad (a wildcard subject, a whole account without ExternalId,
   * MFA or principal ARN condition, any principal, any certificate ...).
   *
   * @default - not broad
   */
  readonly broad?: string;
  /** Whether `who` or a condition contains a value only known at deploy time. */
  readonly unresolved: boolean;
  /**
   * The role of this map (`Stack/construct/path`) that this way in names, where that role's
   * policies also allow it to assume this role: the way in is a hop of a chain (see `chains`).
   *
   * @default - the way in is not a hop from a role of this map
   */
  readonly hopFrom?: string;
}

/**
 * A role that a role or permission set may assume: one `Resource` of an Allow statement of
 * its policies whose actions include `sts:AssumeRole`.
 */
export interface AccessMapAssumeTarget {
  /**
   * The resource as read, e.g. `arn:aws:iam::222222222222:role/deploy`, a pattern, or `*`.
   * Values only known at deploy time read `⟨...⟩`.
   */
  readonly resource: string;
  /**
   * In plain words: `role Access/Deploy of stack Prod` for a role of this map,
   * `role deploy in account 222222222222` for another, `any role` for `*`.
   */
  readonly who: string;
  /** The statement's conditions, in plain words (e.g. `aws:ResourceTag/team = platform`). */
  readonly conditions: string[];
  /**
   * The stack of the role of this map that the resource names.
   *
   * @default - the resource names no role of this map (another app or account, a pattern)
   */
  readonly stack?: string;
  /**
   * The construct path of the role of this map that the resource names.
   *
   * @default - the resource names no role of this map (another app or account, a pattern)
   */
  readonly path?: string;
}

/** What a role or permission set may do, summarized. */
export interface AccessMapPermissions {
  /** Managed policies by name; AWS managed ones read `ReadOnlyAccess (AWS managed)`. */
  readonly managedPolicies: string[];
  /** The distinct actions that inline and attached policy statements allow. */
  readonly allowedActions: string[];
  /**
   * What is broad about the permissions: `*` or `service:*` actions, `NotAction`,
   * `Resource: *`, administrator-level AWS managed policies.
   */
  readonly flags: string[];
  /**
   * The permissions boundary.
   *
   * @default - none
   */
  readonly permissionsBoundary?: string;
  /**
   * The roles that the policies allow to assume (`sts:AssumeRole` on their ARN): the next
   * hop of a chain, e.g. a pipeline role that assumes a deploy role of another account.
   * Managed policies that are not part of the app are not read.
   *
   * @default - none
   */
  readonly mayAssume?: AccessMapAssumeTarget[];
}

/**
 * A way into a role through a chain: a way into another role (or an IAM Identity Center
 * permission set) whose policies allow it to assume this role, and whose session this
 * role's trust lets in.
 */
export interface AccessMapChain {
  /** The first way in of the chain, in plain words (as `AccessMapWayIn.who`), or an Identity Center principal. */
  readonly who: string;
  /**
   * The roles the chain passes through before this one, first to last: `Stack/construct/path`,
   * or `permission set Admin in account 111111111111` for the role Identity Center creates.
   */
  readonly via: string[];
  /**
   * Why the first way in is broad.
   *
   * @default - not broad
   */
  readonly broad?: string;
  /**
   * Why the chain is risky: a broad way in that reaches administrator-level permissions.
   *
   * @default - not flagged
   */
  readonly risk?: string;
  /** The longest session through the chain: `1 hour` (STS limits role chaining to one hour). */
  readonly sessionLimit: string;
  /** Whether a hop or the first way in depends on a value only known at deploy time. */
  readonly unresolved: boolean;
}

/** An IAM role and every way into it. */
export interface AccessMapRole {
  /** The stack's display name; a nested stack reads `Parent/Nested`. */
  readonly stack: string;
  /** The role's logical id in its template. */
  readonly logicalId: string;
  /** The construct path below the stack, or the logical id when the template has no path metadata. */
  readonly path: string;
  /** The role name, or a `⟨generated name of role ...⟩` marker. */
  readonly roleName: string;
  /**
   * The longest session, in seconds (`MaxSessionDuration`, 3600 when unset).
   *
   * @default - only known at deploy time: see `sessionLimit`
   */
  readonly maxSessionDuration?: number;
  /** The longest session in words: `1 hour`, or a `⟨...⟩` marker when only known at deploy time. */
  readonly sessionLimit: string;
  /** Every way into the role, one per trusted principal and subject. */
  readonly waysIn: AccessMapWayIn[];
  /** Deny statements of the trust policy, in plain words. */
  readonly denies: string[];
  /** What the role may do. */
  readonly permissions: AccessMapPermissions;
  /**
   * Every way in through a chain of roles of the map (at most four roles before this one).
   *
   * @default - none
   */
  readonly chains?: AccessMapChain[];
  /**
   * Whether aws-cdk-lib created the role for its own custom resource providers (the
   * `Provider` framework's functions, the `AwsCustomResource` handler, `CustomResourceProvider`
   * handlers): a `Resource: *` in its policies is not flagged.
   *
   * @default false
   */
  readonly cdkFramework?: boolean;
}

/** An IAM Identity Center permission set. */
export interface AccessMapPermissionSet {
  /** The stack's display name. */
  readonly stack: string;
  /** The permission set name. */
  readonly name: string;
  /** The session duration (ISO 8601, e.g. `PT8H`; `PT1H` when unset). */
  readonly sessionDuration: string;
  /** What users of the permission set may do. */
  readonly permissions: AccessMapPermissions;
}

/** An IAM Identity Center account assignment. */
export interface AccessMapAssignment {
  /** The stack's display name. */
  readonly stack: string;
  /** `GROUP` or `USER`. */
  readonly principalType: string;
  /** The principal: its id, or `group "Admins" (id looked up at deploy)`. */
  readonly principal: string;
  /** The permission set's name, or its ARN when it is not in the same app. */
  readonly permissionSet: string;
  /** The account id. */
  readonly account: string;
}

/** An EKS access entry (`AWS::EKS::AccessEntry`): who can administer or use which cluster. */
export interface AccessMapClusterAccess {
  /** The stack's display name. */
  readonly stack: string;
  /** The cluster's name, or a `⟨...⟩` marker. */
  readonly cluster: string;
  /** The principal ARN as read. */
  readonly principalArn: string;
  /** The principal in words: `role Access/Deploy of stack Prod` for a role of this map. */
  readonly who: string;
  /**
   * The stack of the role of this map that the entry names.
   *
   * @default - the entry names no role of this map
   */
  readonly roleStack?: string;
  /**
   * The construct path of the role of this map that the entry names.
   *
   * @default - the entry names no role of this map
   */
  readonly rolePath?: string;
  /** The access policies with their scope: `AmazonEKSClusterAdminPolicy (cluster)`, `AmazonEKSViewPolicy (namespaces shop)`. */
  readonly accessPolicies: string[];
  /** The Kubernetes groups of the entry. */
  readonly kubernetesGroups: string[];
  /**
   * The Kubernetes username of the entry.
   *
   * @default - the one EKS derives from the principal
   */
  readonly username?: string;
  /**
   * Why the entry administers the cluster: a cluster-wide admin access policy or the
   * `system:masters` group.
   *
   * @default - not an administrator
   */
  readonly admin?: string;
}

/** Whether a change of access adds or removes. */
export enum AccessMapChangeType {
  /** Access that the newer assembly grants and the older does not. */
  ADDED = 'added',
  /** Access that the older assembly grants and the newer does not. */
  REMOVED = 'removed',
}

/** One difference of access between two access maps. */
export interface AccessMapChange {
  /** Added or removed. */
  readonly changeType: AccessMapChangeType;
  /** What changed: `role ProductionAccess/Deploy (deploy)`, or `Identity Center`. */
  readonly subject: string;
  /** The change, e.g. `way in: GitHub Actions: acme/api, any branch` or `session: 12 h`. */
  readonly text: string;
  /**
   * Why the added or removed access is broad.
   *
   * @default - not broad
   */
  readonly broad?: string;
}
