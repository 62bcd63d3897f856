import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import { ConditionEntry, NormalizedStatement, conditionKeys, findingsOr, hasToken, isOidc, trustStatements } from './trust-statements';

/** How far a `sub` condition value reaches. Ordered from narrowest to widest. */
export enum SubjectScope {
  /** One repository / project / service account (any refs of it). */
  SCOPED = 0,
  /** Every repository of an owner, project of a group, or service account of a namespace. */
  OWNER_WIDE = 1,
  /** The value contains a part only known at deploy time that decides the verdict. */
  UNRESOLVED = 2,
  /** Any subject of the issuer, or a wildcard before the repository / project / service-account name. */
  UNSCOPED = 3,
}

/** The verdict for one statement's subject: its scope and the values responsible. */
export interface SubjectVerdict {
  readonly scope: SubjectScope;
  /** Finding suffixes: `Missing::<key>`, `Subject::<value>` or `Unresolved::<key or block>`. */
  readonly findings: string[];
}

const WILDCARD = /[*?]/;
const SUBJECT_OPERATORS = /^(StringEquals|StringLike)$/;

/**
 * Classifies the `<issuer>:sub` conditions of an OIDC trust statement. Several operator
 * blocks on `sub` must all match (AND), so the narrowest block decides; several values in
 * one block are alternatives (OR), so the widest value decides.
 */
export function subjectVerdict(s: NormalizedStatement, issuer: string): SubjectVerdict {
  const blocks = conditionKeys(s).filter(c => /:sub$/i.test(c.key) && SUBJECT_OPERATORS.test(c.operator) && c.values.length > 0);
  if (blocks.length === 0) {
    if (s.unresolved.length > 0) return { scope: SubjectScope.UNRESOLVED, findings: s.unresolved.map(b => `Unresolved::${b}`) };
    return { scope: SubjectScope.UNSCOPED, findings: [`Missing::${issuer}:sub`] };
  }
  let best: SubjectVerdict | undefined;
  for (const block of blocks) {
    const verdict = blockVerdict(block);
    if (!best || verdict.scope < best.scope) best = verdict;
  }
  return best!;
}

function blockVerdict(block: ConditionEntry): SubjectVerdict {
  const like = block.operator === 'StringLike';
  let scope = SubjectScope.SCOPED;
  let findings: string[] = [];
  for (const value of block.values) {
    const v = valueScope(block.key, value, like);
    if (v === SubjectScope.SCOPED) continue;
    const finding = v === SubjectScope.UNRESOLVED ? `Unresolved::${block.key}` : `Subject::${value}`;
    if (v > scope) {
      scope = v;
      findings = [finding];
    } else if (v === scope) {
      findings.push(finding);
    }
  }
  return { scope, findings };
}

/**
 * The scope of one subject value. A part only known at deploy time is read both as a
 * plain name and as `*`: when the two readings disagree, the value is UNRESOLVED.
 */
export function valueScope(key: string, value: string, like: boolean): SubjectScope {
  if (!hasToken(value)) return literalScope(key, value, like);
  const optimistic = literalScope(key, value.replace(/\{[^}]*\}/g, 'x'), like);
  const pessimistic = literalScope(key, value.replace(/\{[^}]*\}/g, '*'), like);
  return optimistic === pessimistic ? optimistic : SubjectScope.UNRESOLVED;
}

function literalScope(key: string, value: string, like: boolean): SubjectScope {
  if (value === '*') return SubjectScope.UNSCOPED;
  if (!like) return SubjectScope.SCOPED;
  if (/^[*?]/.test(value)) return SubjectScope.UNSCOPED;
  const issuer = key.replace(/:sub$/i, '').toLowerCase();
  if (value.startsWith('repo:') || issuer.startsWith('token.actions.githubusercontent.com')) return githubScope(value);
  if (value.startsWith('project_path:')) return gitlabScope(value);
  if (value.startsWith('system:serviceaccount:') || /^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//.test(issuer)) return eksScope(value);
  return SubjectScope.SCOPED;
}

/** `repo:OWNER/REPO:...`: a wildcard in the owner is unscoped, in the repository owner-wide. */
function githubScope(value: string): SubjectScope {
  if (!value.startsWith('repo:')) return WILDCARD.test(value.split(':')[0]) ? SubjectScope.UNSCOPED : SubjectScope.SCOPED;
  const rest = value.slice('repo:'.length);
  const slash = rest.indexOf('/');
  const owner = slash < 0 ? rest : rest.slice(0, slash);
  if (WILDCARD.test(owner)) return SubjectScope.UNSCOPED;
  if (slash < 0) return SubjectScope.SCOPED;
  const repository = rest.slice(slash + 1).split(':')[0];
  return WILDCARD.test(repository) || repository === '' ? SubjectScope.OWNER_WIDE : SubjectScope.SCOPED;
}

/** `project_path:GROUP/SUB/PROJECT:...`: a wildcard in the top-level group is unscoped, below it owner-wide. */
function gitlabScope(value: string): SubjectScope {
  const path = value.slice('project_path:'.length).split(':')[0];
  const segments = path.split('/');
  if (WILDCARD.test(segments[0]) || segments[0] === '') return SubjectScope.UNSCOPED;
  return segments.slice(1).some(s => WILDCARD.test(s)) ? SubjectScope.OWNER_WIDE : SubjectScope.SCOPED;
}

/** `system:serviceaccount:NAMESPACE:NAME`: a wildcard in the namespace is unscoped, in the name namespace-wide. */
function eksScope(value: string): SubjectScope {
  if (!value.startsWith('system:serviceaccount:')) return WILDCARD.test(value) ? SubjectScope.UNSCOPED : SubjectScope.SCOPED;
  const rest = value.slice('system:serviceaccount:'.length);
  const colon = rest.indexOf(':');
  const namespace = colon < 0 ? rest : rest.slice(0, colon);
  if (WILDCARD.test(namespace)) return SubjectScope.UNSCOPED;
  if (colon < 0) return SubjectScope.SCOPED;
  return WILDCARD.test(rest.slice(colon + 1)) ? SubjectScope.OWNER_WIDE : SubjectScope.SCOPED;
}

/** The issuer a web-identity statement trusts, for finding ids: from its provider ARN or its condition keys. */
export function issuerOf(s: NormalizedStatement): string {
  for (const f of s.principals.Federated ?? []) {
    if (f === 'cognito-identity.amazonaws.com') return f;
    const m = /:oidc-provider\/(.+)$/.exec(f);
    if (m && !hasToken(m[1])) return m[1];
  }
  for (const c of conditionKeys(s)) {
    const m = /^(.+):(aud|sub|amr|azp)$/i.exec(c.key);
    if (m && !hasToken(m[1])) return m[1];
  }
  return '<issuer>';
}

/**
 * The result of a subject rule: the findings of every OIDC trust statement of `node` whose
 * subject verdict `reported` selects, compliant when there are none, not applicable when
 * the resource has no OIDC trust.
 */
export function subjectRuleResult(node: CfnResource, reported: (scope: SubjectScope) => boolean): NagRuleResult {
  const findings: string[] = [];
  let applicable = false;
  for (const s of trustStatements(node)) {
    if (!isOidc(s)) continue;
    applicable = true;
    const verdict = subjectVerdict(s, issuerOf(s));
    if (reported(verdict.scope)) findings.push(...verdict.findings);
  }
  return applicable ? findingsOr(findings, NagRuleCompliance.COMPLIANT) : NagRuleCompliance.NOT_APPLICABLE;
}
