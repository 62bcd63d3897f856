import { CfnResource } from 'aws-cdk-lib';
import { NagRuleCompliance, NagRuleResult } from 'cdk-nag/lib/nag-rules';
import { ConditionEntry, NormalizedStatement, conditionKeys, findingsOr, hasToken, isOidc, trustStatements } from './trust-statements';
import { SubjectScope, valueScope } from '../core/subject-scope';

export { SubjectScope } from '../core/subject-scope';


/** The verdict for one statement's subject: its scope and the values responsible. */
export interface SubjectVerdict {
  readonly scope: SubjectScope;
  /** Finding suffixes: `Missing::<key>`, `Subject::<value>` or `Unresolved::<key or block>`. */
  readonly findings: string[];
}

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
