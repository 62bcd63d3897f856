/** What the trust scope says: breadths, kinds of ways in, checks and reasons (part of the one definition of a narrow trust: see `index.ts`). */
import { ReadCondition } from '../trust-reader';

/** How far a way in reaches. Ordered from narrowest to widest. */
export enum Breadth {
  /** Exactly the tenant and workload the trust names. */
  NARROW = 0,
  /** Every workload of one pinned tenant: every repository of an owner, every principal of an account. Needs a named opt-in. */
  OWNER_WIDE = 1,
  /** A value only known at deploy time decides how far it reaches. */
  UNRESOLVED = 2,
  /** The tenant is not pinned: workloads of others get in. */
  BROAD = 3,
  /** IAM refuses the statement, or a condition can never be true or never narrows as written. */
  INVALID = 4,
}

import { AccessMapKind } from './kind';

export { AccessMapKind };

/** The kind of a way in: the access map's words for it (an alias inside the library). */
export const WayKind = AccessMapKind;
/** The kind of a way in. */
export type WayKind = AccessMapKind;

/** Which check a reason belongs to; each nag rule reports the reasons of its check. */
export enum ScopeCheck {
  /** The web identity audience (`<issuer>:aud`, Cognito's pool id, a built-in provider's app id). */
  AUDIENCE = 'audience',
  /** The web identity subject and the claims that pin the tenant (`<issuer>:sub`, Cognito's `amr`). */
  SUBJECT = 'subject',
  /** Another account's principals, not narrowed to a role, ExternalId, organization or MFA. */
  ACCOUNT = 'account',
  /** `"Principal": "*"` without a condition that pins the caller's organization, account or ARN. */
  ANY_PRINCIPAL = 'any-principal',
  /** IAM Roles Anywhere without its trust anchors pinned (`aws:SourceArn`). */
  TRUST_ANCHOR = 'trust-anchor',
  /** IAM Roles Anywhere certificates not pinned to one subject (CN, UID, serial number or SAN). */
  CERTIFICATE = 'certificate',
  /** EKS Pod Identity without `aws:SourceAccount`, or a cluster or source ARN of another account (or service) than the trust names. */
  SOURCE_ACCOUNT = 'source-account',
  /** A service that documents its confused-deputy conditions (`aws:SourceAccount`, `aws:SourceArn`) trusted without them, e.g. ECS task roles. */
  CONFUSED_DEPUTY = 'confused-deputy',
  /** EKS Pod Identity without its service account pinned by the session tags. */
  POD_WORKLOAD = 'pod-workload',
  /** SAML without `SAML:aud`. */
  SAML_AUDIENCE = 'saml-audience',
  /** `ForAnyValue:` / `ForAllValues:` on a single-valued key. */
  SET_OPERATOR = 'set-operator',
  /** A condition IAM never evaluates as meant: an unknown operator, a key with a scheme. */
  CONDITION_FORM = 'condition-form',
  /** A principal IAM refuses or that never matches: a wildcard in an ARN, another partition. */
  PRINCIPAL_FORM = 'principal-form',
  /** Action wildcards or `NotAction` in an Allow statement. */
  ACTIONS = 'actions',
}

/** Why a way in (or a statement) is wider than narrow, or what to watch. */
export interface ScopeReason {
  readonly check: ScopeCheck;
  /** What this reason makes the way in. */
  readonly breadth: Breadth;
  /** The finding suffix the nag pack reports, e.g. `Subject::repo:*`. */
  readonly finding: string;
  /** Why, in plain words. */
  readonly text: string;
  /** How to fix it. */
  readonly fix: string;
  /** A warning that does not widen the way in (e.g. an audience pinned only by the provider's client ids). */
  readonly advisory?: boolean;
}

/** One subject value of a web identity way in, classified. */
export interface SubjectEntry {
  readonly key: string;
  readonly value: string;
  /** Whether the value is a pattern (`StringLike`). */
  readonly like: boolean;
  readonly breadth: Breadth;
  /** Why it is wider than narrow. */
  readonly reason?: ScopeReason;
}

/** One way into a role: one principal value of an Allow statement. */
export interface WayScope {
  readonly kind: WayKind;
  /** The principal value as read (`arn:aws:iam::111122223333:root`, `pods.eks.amazonaws.com`, a provider ARN). */
  readonly principal: string;
  /** Whether the statement allows this principal's assume action (`sts:AssumeRole`, `...WithWebIdentity`, `...WithSAML`). */
  readonly assumes: boolean;
  /** The widest of the reasons that widen; NARROW when none does. */
  readonly breadth: Breadth;
  readonly reasons: ScopeReason[];
  /** The conditions that pin the tenant or the workload: the access map says them in its words. */
  readonly pinnedBy: ReadCondition[];
  /** For web identity: the OIDC issuer (host and path), when known. */
  readonly issuer?: string;
  /** For web identity: the subject values, one by one. */
  readonly subjects?: SubjectEntry[];
}

/** What a statement lets in. */
export interface StatementScope {
  readonly ways: WayScope[];
  /** Problems of the statement as a whole: malformed conditions or principals, set operators, action wildcards. */
  readonly problems: ScopeReason[];
  /** The widest breadth of the ways that assume the role and of the problems. */
  readonly breadth: Breadth;
}

/** What the reader knows about where the statement is deployed. */
export interface ScopeContext {
  /** The stack's account, when known. */
  readonly account?: string;
  /** The stack's partition, when known. */
  readonly partition?: string;
}

export function reason(check: ScopeCheck, breadth: Breadth, finding: string, text: string, fix: string, advisory?: boolean): ScopeReason {
  return { check, breadth, finding, text, fix, ...(advisory ? { advisory } : {}) };
}

export function widest(reasons: ScopeReason[]): Breadth {
  return Math.max(Breadth.NARROW, ...reasons.filter(r => !r.advisory).map(r => r.breadth));
}

export function way(
  kind: WayKind, principal: string, assumes: boolean, reasons: ScopeReason[], pinnedBy: ReadCondition[], extra: Partial<WayScope> = {},
): WayScope {
  return { kind, principal, assumes, breadth: widest(reasons), reasons, pinnedBy, ...extra };
}
